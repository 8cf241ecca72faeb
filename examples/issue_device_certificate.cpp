// Issuing a device certificate: a root CA, an intermediate CA under it, and a device that
// makes its own key and asks for a certificate with a CSR naming its subject and its
// subject alternative names. The intermediate issues the certificate under the
// device_identity profile (IEEE 802.1AR style: clientAuth, a serialNumber in the subject),
// and the chain is checked as the device's server will check it in mutual TLS.
// Prints what was issued, then the chain the device presents, as PEM.
//
//   build/default/examples/issue_device_certificate > device-chain.pem

#include <pki/pki.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

template <class T>
bool failed(const pki::result<T>& r, const char* what) {
  if (r) return false;
  std::fprintf(stderr, "%s: %s\n", what, r.error().message().c_str());
  return true;
}

}  // namespace

int main() {
  using namespace std::chrono_literals;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

  // The manufacturer's CAs: an offline root (20 years) and the issuing CA of its factory
  // (10 years; the profile's path length 0 lets it issue end-entity certificates only).
  auto root_key = pki::private_key<pki::ecdsa_p384>::generate();
  if (failed(root_key, "root key")) return 1;
  auto root = pki::certificate_authority<pki::ecdsa_p384>::create_root(
      std::move(*root_key), *pki::distinguished_name::parse("CN=Acme Device Root CA,O=Acme"),
      {now, now + 20 * 365 * 24h});
  if (failed(root, "root CA")) return 1;
  auto factory_key = pki::private_key<pki::ecdsa_p256>::generate();
  if (failed(factory_key, "factory CA key")) return 1;
  auto factory = root->create_intermediate(std::move(*factory_key),
                                           *pki::distinguished_name::parse("CN=Acme Factory CA 1,O=Acme"),
                                           {now, now + 10 * 365 * 24h});
  if (failed(factory, "factory CA")) return 1;

  // On the device: a key that never leaves it, and a CSR, sent to the factory CA as PEM.
  auto device_key = pki::private_key<pki::ecdsa_p256>::generate();
  if (failed(device_key, "device key")) return 1;
  auto request = pki::csr_builder()
                     .subject("CN=sensor-0042,serialNumber=AC-2026-0042,O=Acme")
                     .dns("sensor-0042.devices.acme.example")
                     .uri("urn:dev:acme:sensor:AC-2026-0042")
                     .sign(*device_key);
  if (failed(request, "CSR")) return 1;
  auto request_pem = request->to_pem();
  if (failed(request_pem, "CSR PEM")) return 1;

  // At the factory CA: the CSR's signature is checked as it is parsed, the profile decides
  // the extensions and refuses what it does not grant, and the device certificate lasts as
  // long as its issuer (a CA refuses to issue beyond its own notAfter).
  const pki::profile::device_identity profile{};
  auto device = factory->issue(pki::as_bytes(*request_pem), profile, {now, factory->certificate().not_after()});
  if (failed(device, "device certificate")) return 1;
  // A device identity must carry the device's serial number: without one, no certificate.
  auto anonymous =
      pki::csr_builder().subject("CN=sensor-0043,O=Acme").uri("urn:dev:acme:sensor:0043").sign(*device_key);
  if (failed(anonymous, "CSR without serialNumber")) return 1;
  auto refused = factory->issue(*anonymous, profile, {now, now + 365 * 24h});
  if (refused || refused.error().code() != pki::errc::profile_violation) {
    std::fprintf(stderr, "a device certificate without a serialNumber was issued\n");
    return 1;
  }

  // At the device's server: the chain the device sends (its certificate and the factory
  // CA's) under the mutual-TLS server preset: RFC 5280, clientAuth, modern algorithms.
  const std::vector<pki::certificate<>> presented{factory->certificate()};
  const pki::validator<pki::policy::iot_mtls_server> validator{pki::trust_store(std::vector{root->certificate()})};
  auto path = validator.verify(*device, presented);
  if (failed(path, "validation")) return 1;
  if (path->size() != 3) {
    std::fprintf(stderr, "expected a path of 3 certificates, got %zu\n", path->size());
    return 1;
  }

  auto names = device->subject_alt_name();
  if (failed(names, "subjectAltName") || !*names) return 1;
  std::printf("issued:    %s\n", device->subject().to_string().c_str());
  std::printf("issuer:    %s\n", device->issuer().to_string().c_str());
  for (const auto& name : (*names)->names) std::printf("SAN:       %s\n", pki::to_string(name).c_str());
  std::printf("serial:    %s\n", device->serial_hex().c_str());
  std::printf("without serialNumber: %s\n", refused.error().message().c_str());
  std::printf("valid for a mutual-TLS server: path of %zu certificates\n", path->size());
  for (std::size_t depth = 0; depth < path->size(); ++depth) {
    std::printf("  depth %zu: %s\n", depth, (*path)[depth].subject().to_string().c_str());
  }
  // What the device keeps: its certificate, then the factory CA's, as it sends them.
  const std::vector<pki::certificate<>> kept{*device, factory->certificate()};
  for (const auto& cert : kept) {
    auto pem = cert.to_pem();
    if (failed(pem, "certificate PEM")) return 1;
    std::fputs(pem->c_str(), stdout);
  }
  return 0;
}
