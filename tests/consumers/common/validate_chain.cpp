// What every consumer test builds and runs, however it found pki: a root CA and a server
// certificate made at run time, the path validated for the server's host, and refused
// for another host. Only the one include a user writes.

#include <pki/pki.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
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

  auto root_key = pki::private_key<pki::ecdsa_p256>::generate();
  if (failed(root_key, "root key")) return 1;
  auto root = pki::certificate_authority<pki::ecdsa_p256>::create_root(
      std::move(*root_key), *pki::distinguished_name::parse("CN=Consumer Root,O=Acme"),
      {now, now + 30 * 24h});
  if (failed(root, "root CA")) return 1;
  auto server_key = pki::private_key<pki::ecdsa_p256>::generate();
  if (failed(server_key, "server key")) return 1;
  auto request = pki::csr_builder().subject("CN=api.acme.example").dns("api.acme.example").sign(*server_key);
  if (failed(request, "CSR")) return 1;
  auto server = root->issue(*request, pki::profile::tls_server{}, {now, now + 7 * 24h});
  if (failed(server, "server certificate")) return 1;

  const pki::trust_store anchors(std::vector<pki::certificate<>>{root->certificate()});
  const std::vector<pki::certificate<>> intermediates;
  auto path = pki::verify(*server, intermediates, anchors, {.peer = pki::dns_name{"api.acme.example"}});
  if (failed(path, "validation")) return 1;
  if (path->size() != 2) {
    std::fprintf(stderr, "validation: a path of %zu certificates, not leaf + root\n", path->size());
    return 1;
  }
  auto wrong_host = pki::verify(*server, intermediates, anchors, {.peer = pki::dns_name{"www.acme.example"}});
  if (wrong_host || wrong_host.error().code() != pki::errc::name_mismatch) {
    std::fprintf(stderr, "validation for another host: expected name_mismatch\n");
    return 1;
  }
  std::printf("pki %s on mbedTLS %s: api.acme.example valid (%zu certificates), www.acme.example %s\n",
              pki::version_string, pki::mbedtls_version_string, path->size(),
              wrong_host.error().message().c_str());
  return 0;
}
