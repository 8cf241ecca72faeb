// Validating a chain: a root CA, an issuing CA and a server certificate made in memory,
// then checked as a TLS client would check them — under a policy, at a given time, for a
// host name — and checked again where it must fail, to show what the errors say.
//
//   cmake --workflow --preset demo

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

  // The hierarchy: root (10 years) -> issuing CA (5 years) -> server (90 days).
  auto root_key = pki::private_key<pki::ecdsa_p384>::generate();
  if (failed(root_key, "root key")) return 1;
  auto root = pki::certificate_authority<pki::ecdsa_p384>::create_root(
      std::move(*root_key), *pki::distinguished_name::parse("CN=Acme Root CA,O=Acme"),
      {now, now + 3650 * 24h});
  if (failed(root, "root CA")) return 1;
  auto issuing_key = pki::private_key<pki::ecdsa_p256>::generate();
  if (failed(issuing_key, "issuing key")) return 1;
  auto issuing = root->create_intermediate(std::move(*issuing_key),
                                           *pki::distinguished_name::parse("CN=Acme Issuing CA,O=Acme"),
                                           {now, now + 1825 * 24h});
  if (failed(issuing, "issuing CA")) return 1;
  auto server_key = pki::private_key<pki::ecdsa_p256>::generate();
  if (failed(server_key, "server key")) return 1;
  auto request = pki::csr_builder().subject("CN=api.acme.example").dns("api.acme.example").sign(*server_key);
  if (failed(request, "CSR")) return 1;
  auto server = issuing->issue(*request, pki::profile::tls_server{}, {now, now + 90 * 24h});
  if (failed(server, "server certificate")) return 1;

  // What a client has: its trust store, and what the server sent (leaf + intermediates).
  const pki::trust_store anchors(std::vector<pki::certificate<>>{root->certificate()});
  const std::vector<pki::certificate<>> sent{issuing->certificate()};
  const pki::validator<pki::policy::iot_mtls_client> validator{anchors};

  auto path = validator.verify(*server, sent, {.peer = pki::dns_name{"api.acme.example"}});
  if (failed(path, "validation")) return 1;
  std::printf("api.acme.example: valid path of %zu certificates\n", path->size());
  for (std::size_t depth = 0; depth < path->size(); ++depth) {
    std::printf("  depth %zu: %s\n", depth, (*path)[depth].subject().to_string().c_str());
  }

  // The same chain for another host, and a year from now: each failure names the rule
  // and the certificate.
  auto wrong_host = validator.verify(*server, sent, {.peer = pki::dns_name{"www.acme.example"}});
  auto next_year = validator.search(*server, sent, {.time = now + 365 * 24h});
  if (wrong_host || next_year) {
    std::fprintf(stderr, "a chain that must fail validated\n");
    return 1;
  }
  std::printf("www.acme.example: %s\n", wrong_host.error().message().c_str());
  std::printf("a year from now:\n%s", next_year.explain().c_str());
  return 0;
}
