#pragma once
// What the fuzz targets share: invariant checks that trap (a broken invariant is a finding,
// like a crash), the one validation time, and a hierarchy made once per process from keys
// and serials that are the same in every process. Fixed bytes are what let an input recorded
// once (a TLS flight, a bag of certificates) reach as deep on every later run, and let every
// regression input replay as it did when it was found.

#include <pki/pki.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace pki_fuzz {

/// Stops the process as a crash would: libFuzzer and the replay driver report it as a finding.
[[noreturn]] inline void violated(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant violated at %s:%d: %s\n", file, line, what);
  std::fflush(stderr);
  __builtin_trap();
}

/// Like violated(), for a call the harness itself needs, with the library's reason.
[[noreturn]] inline void setup_failed(const char* what, const pki::error& why) {
  std::fprintf(stderr, "fuzz set-up failed: %s: %s\n", what, why.message().c_str());
  std::fflush(stderr);
  __builtin_trap();
}

template <class T>
requires(!std::is_void_v<T>) T need(pki::result<T>&& r, const char* what) {
  if (!r) setup_failed(what, r.error());
  return std::move(*r);
}
/// A copy of a kept result's value (a certificate's decoded extensions are read by reference).
template <class T>
requires(!std::is_void_v<T>) T need(const pki::result<T>& r, const char* what) {
  if (!r) setup_failed(what, r.error());
  return *r;
}
inline void need(const pki::result<void>& r, const char* what) {
  if (!r) setup_failed(what, r.error());
}

[[nodiscard]] inline pki::byte_view bytes_of(const std::uint8_t* data, std::size_t size) noexcept {
  return {data, size};
}
[[nodiscard]] inline std::string_view text_of(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const char*>(data), size};
}
[[nodiscard]] inline std::string_view text_of(pki::byte_view data) noexcept {
  return text_of(data.data(), data.size());
}

/// When every fuzzed validation happens: the hierarchy below is valid then, whatever the
/// date the fuzzer runs on.
inline constexpr std::chrono::sys_seconds fixed_now{
    std::chrono::sys_days{std::chrono::year{2030} / std::chrono::January / 1}};

/// A P-256 key whose private scalar is SHA-256 of `label`: the same key in every process,
/// made without the random generator (SEC1 without the public point, which mbedTLS derives).
inline pki::private_key<> fixed_key(std::string_view label) {
  for (std::uint8_t attempt = 0;; ++attempt) {
    std::string seed = "pki fuzz key ";
    seed.append(label).push_back(static_cast<char>(attempt));
    const auto scalar = need(pki::sha256(pki::as_bytes(seed)), "hashing a key label");
    pki::byte_buffer sec1 = {0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20};
    sec1.insert(sec1.end(), scalar.bytes().begin(), scalar.bytes().end());
    sec1.insert(sec1.end(), {0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07});
    // A scalar of zero or at least the group order does not parse: the next label does.
    if (auto key = pki::private_key<>::from_der(sec1)) return std::move(*key);
  }
}

/// A certificate as certificate_authority would issue it under `profile` (its extensions,
/// SKI, AKI), but with a fixed serial: ECDSA signatures are deterministic (RFC 6979), so the
/// bytes are the same in every process. `issuer` null: self-signed.
template <pki::issuance_profile Profile>
pki::certificate<> fixed_certificate(const pki::certificate<>* issuer, const pki::private_key<>& issuer_key,
                                     std::string_view subject, const pki::private_key<>& subject_key,
                                     const Profile& profile, const pki::validity& period, std::uint8_t serial,
                                     std::vector<pki::general_name> alt_names = {}) {
  const auto name = need(pki::distinguished_name::parse(subject), "parsing a fixed subject");
  const auto pub = need(subject_key.public_key(), "a fixed key's public half");
  pki::extension_list requested;
  if (!alt_names.empty()) need(requested.add(pki::subject_alt_name{std::move(alt_names)}), "a SAN request");
  const auto extensions =
      need(profile.extensions({name, pub.algorithm(), requested}), "a profile's extensions");
  const auto ski =
      need(pki::subject_key_identifier::from_public_key_der(need(pub.to_der(), "an SPKI")), "SKI");
  pki::authority_key_identifier aki;
  if (issuer == nullptr) {
    aki.key_id = ski.key_id;
  } else {
    const auto issuer_ski = need(issuer->subject_key_identifier(), "the issuer's SKI");
    if (issuer_ski) aki.key_id = issuer_ski->key_id;
  }
  const std::uint8_t serial_bytes[] = {0x10, serial};
  pki::certificate_builder builder;
  builder.serial(serial_bytes)
      .issuer(issuer == nullptr ? name : issuer->subject())
      .subject(name)
      .validity(period)
      .public_key(pub);
  for (const auto& extension : extensions) builder.add_extension(extension);
  builder.add(ski).add(aki);
  return need(builder.sign(issuer_key), "signing a fixed certificate");
}

/// A chain an endpoint presents, leaf first, and the leaf's key.
struct identity {
  std::vector<pki::certificate<>> chain;
  pki::private_key<> key;
};

/// root -> issuing CA -> a TLS server (server.test, www.server.test, 192.0.2.1) and a TLS
/// client (device-1); and a server and a client issued by the root itself, whose chains
/// are their leaf alone. All P-256, valid around fixed_now.
struct hierarchy {
  pki::certificate_authority<> root;
  pki::certificate_authority<> issuing;
  identity server;
  identity client;
  identity server_direct;
  identity client_direct;
  pki::trust_store anchors;
};

inline constexpr std::string_view server_host = "server.test";

inline const hierarchy& fixed_hierarchy() {
  static const hierarchy made = [] {
    using std::chrono::days;
    const pki::validity root_period{fixed_now - days(5 * 365), fixed_now + days(5 * 365)};
    const pki::validity ca_period{fixed_now - days(2 * 365), fixed_now + days(2 * 365)};
    const pki::validity leaf_period{fixed_now - days(100), fixed_now + days(200)};
    auto root_key = fixed_key("root");
    auto root_cert = fixed_certificate(nullptr, root_key, "CN=Fuzz Root CA,O=PKI Fuzz", root_key,
                                       pki::profile::root_ca{}, root_period, 1);
    auto ca_key = fixed_key("issuing");
    auto ca_cert = fixed_certificate(&root_cert, root_key, "CN=Fuzz Issuing CA,O=PKI Fuzz", ca_key,
                                     pki::profile::intermediate_ca{}, ca_period, 2);
    auto server_key = fixed_key("server");
    auto server_cert = fixed_certificate(
        &ca_cert, ca_key, "CN=server.test,O=PKI Fuzz", server_key, pki::profile::tls_server{}, leaf_period, 3,
        {pki::dns_name{std::string(server_host)}, pki::dns_name{"www.server.test"},
         need(pki::ip_address::parse("192.0.2.1"), "an address")});
    auto client_key = fixed_key("client");
    auto client_cert = fixed_certificate(&ca_cert, ca_key, "CN=device-1,O=PKI Fuzz", client_key,
                                         pki::profile::tls_client{}, leaf_period, 4);
    auto direct_server_key = fixed_key("server issued by the root");
    auto direct_server_cert = fixed_certificate(&root_cert, root_key, "CN=server.test,OU=Direct,O=PKI Fuzz",
                                                direct_server_key, pki::profile::tls_server{}, leaf_period, 5,
                                                {pki::dns_name{std::string(server_host)}});
    auto direct_client_key = fixed_key("client issued by the root");
    auto direct_client_cert =
        fixed_certificate(&root_cert, root_key, "CN=device-2,OU=Direct,O=PKI Fuzz", direct_client_key,
                          pki::profile::tls_client{}, leaf_period, 6);
    pki::trust_store anchors;
    anchors.add(root_cert);
    return hierarchy{
        .root = need(pki::certificate_authority<>::create(root_cert, std::move(root_key)), "the root CA"),
        .issuing = need(pki::certificate_authority<>::create(ca_cert, std::move(ca_key)), "the issuing CA"),
        .server = {{server_cert, ca_cert}, std::move(server_key)},
        .client = {{client_cert, ca_cert}, std::move(client_key)},
        .server_direct = {{direct_server_cert}, std::move(direct_server_key)},
        .client_direct = {{direct_client_cert}, std::move(direct_client_key)},
        .anchors = std::move(anchors)};
  }();
  return made;
}

/// Splits `data` into its leading DER values (tag, length, contents), each whole; stops at
/// the first that does not fit. Bags of certificates and CRLs are written this way.
inline std::vector<pki::byte_view> der_values(pki::byte_view data) {
  std::vector<pki::byte_view> out;
  while (data.size() >= 2) {
    std::size_t header = 2;
    std::size_t length = data[1];
    if (length & 0x80) {
      const std::size_t octets = length & 0x7F;
      if (octets == 0 || octets > 3 || data.size() < 2 + octets) break;
      length = 0;
      for (std::size_t i = 0; i < octets; ++i) length = length << 8 | data[2 + i];
      header += octets;
    }
    if (data.size() - header < length) break;
    out.push_back(data.first(header + length));
    data = data.subspan(header + length);
  }
  return out;
}

}  // namespace pki_fuzz

#define PKI_FUZZ_CHECK(condition) \
  ((condition) ? static_cast<void>(0) : ::pki_fuzz::violated(#condition, __FILE__, __LINE__))
