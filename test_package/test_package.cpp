// The package works: a root CA issues a server certificate and pki::verify accepts the
// chain for the server's host name.

#include <pki/pki.hpp>

#include <chrono>
#include <cstdio>
#include <vector>

int main() {
  using namespace std::chrono_literals;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto root = pki::certificate_authority<pki::ecdsa_p256>::create_root(
      *pki::private_key<pki::ecdsa_p256>::generate(), *pki::distinguished_name::parse("CN=Test Root"),
      {now, now + 24h});
  if (!root) return std::puts(root.error().message().c_str()), 1;
  auto key = pki::private_key<pki::ecdsa_p256>::generate();
  auto request = pki::csr_builder().subject("CN=test.example").dns("test.example").sign(*key);
  if (!request) return std::puts(request.error().message().c_str()), 1;
  auto leaf = root->issue(*request, pki::profile::tls_server{}, {now, now + 1h});
  if (!leaf) return std::puts(leaf.error().message().c_str()), 1;
  const pki::trust_store anchors(std::vector<pki::certificate<>>{root->certificate()});
  auto path =
      pki::verify(*leaf, std::vector<pki::certificate<>>{}, anchors, {.peer = pki::dns_name{"test.example"}});
  if (!path) return std::puts(path.error().message().c_str()), 1;
  std::printf("pki %s: test.example valid, %zu certificates\n", pki::version_string, path->size());
  return 0;
}
