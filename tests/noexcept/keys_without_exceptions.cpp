// Built with -fno-exceptions -fno-rtti, as firmware builds are: the whole library must
// compile, and its key operations and a mutual-TLS handshake run. Boost.Test needs exceptions, so this is a
// plain program that reports each check and exits non-zero when one fails.

#include <pki/pki.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

template <class T>
bool fails_with(const pki::result<T>& r, pki::errc code) {
  return !r && r.error().code() == code;
}

template <class Key>
void exercise(const Key& key, const char* name) {
  std::printf("-- %s\n", name);
  const auto message = pki::as_bytes("no exceptions here");
  auto pub = key.public_key();
  check(pub.has_value(), "public key");
  if (!pub) return;
  auto sig = key.sign(message);
  check(sig && pub->verify(message, *sig).has_value(), "sign and verify");
  check(sig && fails_with(pub->verify(pki::as_bytes("tampered"), *sig), pki::errc::bad_signature),
        "tampered message is bad_signature");

  auto pem = key.to_pem();
  check(pem && pki::private_key<>::from_pem({pem->data(), pem->size()}).has_value(), "PKCS#8 PEM round trip");
  auto traditional = key.to_der(pki::private_key_format::traditional);
  check(traditional && pki::private_key<>::from_der(*traditional).has_value(), "traditional DER round trip");
#if PKI_HAS_ENCRYPTED_PKCS8
  auto encrypted = key.to_encrypted_der("pw", {.pbkdf2_iterations = 2000});
  check(encrypted && pki::private_key<>::from_der(*encrypted, "pw").has_value(), "encrypted PKCS#8");
  check(encrypted && fails_with(pki::private_key<>::from_der(*encrypted, "nope"), pki::errc::bad_password),
        "wrong password is bad_password");
#endif
  auto spki = pub->to_pem();
  check(spki && pki::public_key<>::from_pem(*spki).has_value(), "SPKI PEM round trip");
  check(pub->fingerprint().has_value(), "fingerprint");
  check(key.matches(*pub).has_value(), "pair check");
}

#if PKI_HAS_TLS
// One direction of an in-memory pipe, read without blocking.
struct pipe_direction {
  std::deque<std::uint8_t> bytes{};
};

pki::tls::transport over(pipe_direction& in, pipe_direction& out) {
  return {[&out](pki::byte_view data) -> pki::result<std::size_t> {
            out.bytes.insert(out.bytes.end(), data.begin(), data.end());
            return data.size();
          },
          [&in](std::span<std::uint8_t> buffer) -> pki::result<std::size_t> {
            if (in.bytes.empty()) return pki::fail(pki::errc::would_block, "pipe empty");
            const std::size_t n = std::min(buffer.size(), in.bytes.size());
            std::copy_n(in.bytes.begin(), n, buffer.begin());
            in.bytes.erase(in.bytes.begin(), in.bytes.begin() + static_cast<std::ptrdiff_t>(n));
            return n;
          }};
}

// A root issues a server and a client certificate; the two shake hands over the pipe,
// stepped in turn on this thread.
void tls_handshake() {
  std::printf("-- mutual TLS\n");
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const pki::validity years{now - std::chrono::hours(1), now + std::chrono::days(365)};
  auto root_key = pki::private_key<pki::ecdsa_p256>::generate();
  auto root = pki::certificate_authority<pki::ecdsa_p256>::create_root(
      std::move(*root_key), *pki::distinguished_name::parse("CN=No-exceptions Root"), years);
  auto server_key = pki::private_key<pki::ecdsa_p256>::generate();
  auto client_key = pki::private_key<pki::ecdsa_p256>::generate();
  auto server_cert =
      root->issue(*pki::csr_builder().subject("CN=server").dns("server.test").sign(*server_key),
                  pki::profile::tls_server{}, years);
  auto client_cert = root->issue(*pki::csr_builder().subject("CN=device").sign(*client_key),
                                 pki::profile::tls_client{}, years);
  check(server_cert && client_cert, "issue server and client certificates");
  if (!server_cert || !client_cert) return;
  pki::trust_store anchors;
  (void)anchors.add_pem(*root->certificate().to_pem());
  const std::vector<pki::certificate<>> server_chain{pki::certificate<>(*server_cert)};
  const std::vector<pki::certificate<>> client_chain{pki::certificate<>(*client_cert)};
  auto server_config = pki::tls::server_config<>{}.identity(server_chain, *server_key).trust(anchors).build();
  auto client_config = pki::tls::client_config<pki::policy::iot_mtls_client>{}
                           .trust(anchors)
                           .identity(client_chain, *client_key)
                           .build();
  check(server_config && client_config, "build server and client configs");
  if (!server_config || !client_config) return;

  pipe_direction to_server;
  pipe_direction to_client;
  auto server = pki::tls::session::server(*server_config, over(to_server, to_client));
  auto client = pki::tls::session::client(*client_config, over(to_client, to_server),
                                          *pki::tls::parse_peer_name("server.test"));
  bool done = false;
  for (int step = 0; step < 20 && !done && server && client; ++step) {
    auto c = client->handshake();
    auto s = server->handshake();
    const bool failed =
        (!c && c.error() != pki::errc::would_block) || (!s && s.error() != pki::errc::would_block);
    if (failed) break;
    done = c && s;
  }
  check(done, "handshake");
  check(done && server->peer_path().size() == 2, "the server validated the client's path");
}
#endif

}  // namespace

int main() {
  auto ec = pki::private_key<pki::ecdsa_p256>::generate();
  check(ec.has_value(), "generate P-256");
  if (ec) exercise(*ec, "EC P-256");

  auto rsa = pki::private_key<pki::rsa<2048>>::generate();
  check(rsa.has_value(), "generate RSA-2048");
  if (rsa) exercise(*rsa, "RSA-2048");

  if (ec) {
    pki::private_key<> any = std::move(*ec);
    check(fails_with(std::move(any).narrow<pki::rsa<2048>>(), pki::errc::algorithm_mismatch),
          "narrowing to another algorithm is algorithm_mismatch");
  }
  check(fails_with(pki::private_key<>::from_pem("garbage"), pki::errc::parse_failed),
        "garbage is parse_failed");

#if PKI_HAS_TLS
  tls_handshake();
#endif

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
