#pragma once
// The TLS test fixture: hierarchies issued around the current time (a TLS session validates
// its peer at "now"), client and server configurations pinned to a version, connections of
// a client and a server session over one non-blocking memory pipe, and the stepping loop
// that drives both handshakes on one thread.

#include <boost/test/unit_test.hpp>

#include <pki/issue/authority.hpp>
#include <pki/issue/profile.hpp>
#include <pki/tls/config.hpp>
#include <pki/tls/session.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/trust_store.hpp>
#include <pki/x509/certificate.hpp>
#include <pki/x509/csr.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/expect.hpp"
#include "support/memory_pipe.hpp"

namespace pki::tls {
/// Names the version in data test cases' sample descriptions.
inline std::ostream& operator<<(std::ostream& os, protocol_version v) {
  return os << (v == protocol_version::tls1_2 ? "TLS 1.2" : "TLS 1.3");
}
}  // namespace pki::tls

namespace pki_test::tls_fixture {

namespace tls = pki::tls;
using pki::errc;
using pki::tls::protocol_version;

// --- Certificates -------------------------------------------------------------------

using std::chrono::days;

inline const std::chrono::sys_seconds now =
    std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

inline pki::validity around_now(days before, days after) {
  return {now - before, now + after};
}

// The roots reach far into the past so that certificates that ended before today can be
// issued under them (certificate_authority keeps a child inside its issuer's validity).
inline const pki::validity root_period = around_now(days(5 * 365), days(5 * 365));
inline const pki::validity ca_period = around_now(days(2 * 365), days(2 * 365));
inline const pki::validity leaf_period = around_now(days(1), days(90));
inline const pki::validity ended = around_now(days(300), days(-10));  // ten days ago

constexpr std::string_view server_host = "server.test";
constexpr std::string_view server_alias = "www.server.test";  // also in the server certificate
constexpr std::string_view foreign_host = "other.test";       // not in it

inline pki::private_key<> new_key(const pki::key_algorithm& algorithm) {
  return value_of(pki::private_key<>::generate(algorithm));
}

/// A certificate chain, leaf first, and the leaf's key: what an endpoint presents.
struct identity {
  std::vector<pki::certificate<>> chain{};
  pki::private_key<> key;

  [[nodiscard]] const pki::certificate<>& leaf() const { return chain.front(); }
};

/// A server certificate for `hosts` (serverAuth) from `issuer`, with `issuer` sent after it.
inline identity issue_server(const pki::certificate_authority<>& issuer, const pki::key_algorithm& algorithm,
                             std::vector<std::string_view> hosts, const pki::validity& period = leaf_period) {
  auto key = new_key(algorithm);
  pki::csr_builder request;
  request.subject("CN=" + std::string(hosts.front()) + ",O=PKI Tests");
  for (auto host : hosts) request.dns(host);
  auto cert = value_of(issuer.issue(value_of(request.sign(key)), pki::profile::tls_server{}, period));
  return {{std::move(cert), issuer.certificate()}, std::move(key)};
}

/// A device certificate (clientAuth) from `issuer`, with `issuer` sent after it.
inline identity issue_client(const pki::certificate_authority<>& issuer, const pki::key_algorithm& algorithm,
                             std::string_view device) {
  auto key = new_key(algorithm);
  const auto request =
      value_of(pki::csr_builder().subject("CN=" + std::string(device) + ",O=PKI Tests").sign(key));
  auto cert = value_of(issuer.issue(request, pki::profile::tls_client{}, leaf_period));
  return {{std::move(cert), issuer.certificate()}, std::move(key)};
}

inline pki::certificate_authority<> make_root(const pki::key_algorithm& algorithm, std::string_view name) {
  return value_of(pki::certificate_authority<>::create_root(new_key(algorithm), dn(name), root_period));
}

inline pki::certificate_authority<> make_issuing_ca(const pki::certificate_authority<>& root,
                                                    const pki::key_algorithm& algorithm,
                                                    std::string_view name,
                                                    const pki::validity& period = ca_period) {
  return value_of(root.create_intermediate(new_key(algorithm), dn(name), period));
}

/// root -> issuing CA -> a server and a client certificate, all of one key algorithm.
struct hierarchy {
  pki::certificate_authority<> root;
  pki::certificate_authority<> issuing;
  identity server;
  identity client;

  [[nodiscard]] pki::trust_store anchors() const {
    pki::trust_store store;
    store.add(root.certificate());
    return store;
  }
};

inline hierarchy make_hierarchy(const pki::key_algorithm& algorithm, std::string_view tag) {
  auto root = make_root(algorithm, "CN=" + std::string(tag) + " Root CA,O=PKI Tests");
  auto issuing = make_issuing_ca(root, algorithm, "CN=" + std::string(tag) + " Issuing CA,O=PKI Tests");
  auto server = issue_server(issuing, algorithm, {server_host, server_alias});
  auto client = issue_client(issuing, algorithm, "device-1");
  return {std::move(root), std::move(issuing), std::move(server), std::move(client)};
}

// Generated once: RSA-2048 key generation is what would make this suite slow.
inline const hierarchy& rsa_pki() {
  static const hierarchy h = make_hierarchy(pki::rsa<2048>::id, "RSA");
  return h;
}
inline const hierarchy& ec_pki() {
  static const hierarchy h = make_hierarchy(pki::ecdsa_p256::id, "EC");
  return h;
}

// --- Configurations -----------------------------------------------------------------

constexpr std::array all_versions{protocol_version::tls1_2, protocol_version::tls1_3};

/// A client trusting `h`'s root, pinned to `version`, presenting `id` when given.
inline tls::config client_for(const hierarchy& h, protocol_version version, const identity* id = nullptr) {
  tls::client_config<> builder;
  builder.trust(h.anchors()).versions(version, version);
  if (id != nullptr) builder.identity(id->chain, id->key);
  return value_of(builder.build());
}

/// A server presenting `h`'s server identity, pinned to `version`; with `mutual`, it
/// requires a client certificate under `h`'s root.
inline tls::config server_for(const hierarchy& h, protocol_version version, bool mutual = false) {
  tls::server_config<> builder;
  builder.identity(h.server.chain, h.server.key).versions(version, version);
  if (mutual) builder.trust(h.anchors());
  return value_of(builder.build());
}

// --- Connections --------------------------------------------------------------------

/// A client and a server session over one non-blocking pipe.
struct connection {
  memory_pipe pipe;
  tls::session client;
  tls::session server;
};

inline connection connect(const tls::config& client, const tls::config& server,
                          std::string_view host = server_host, const tls::saved_session* resume = nullptr) {
  memory_pipe pipe;
  auto c =
      value_of(tls::session::client(client, pipe.client(), value_of(tls::parse_peer_name(host)), resume));
  auto s = value_of(tls::session::server(server, pipe.server()));
  return {std::move(pipe), std::move(c), std::move(s)};
}

inline pki::result<void> not_started() {
  return pki::fail(errc::would_block, "the handshake has not run yet");
}

inline bool waiting(const pki::result<void>& r) {
  return !r && r.error() == errc::would_block;
}

struct handshake_outcome {
  pki::result<void> client = not_started();
  pki::result<void> server = not_started();
};

/// Steps the client's and the server's handshakes in turn until both are done (or
/// failed), or until a round moves no byte: then neither can go on.
inline handshake_outcome step_handshakes(connection& c) {
  handshake_outcome out;
  for (;;) {
    const std::size_t before = c.pipe.traffic();
    if (waiting(out.client)) out.client = c.client.handshake();
    if (waiting(out.server)) out.server = c.server.handshake();
    if (!waiting(out.client) && !waiting(out.server)) break;
    if (c.pipe.traffic() == before) break;
  }
  return out;
}

inline void establish(connection& c) {
  const auto out = step_handshakes(c);
  expect_ok(out.client);
  expect_ok(out.server);
  BOOST_TEST(c.client.established());
  BOOST_TEST(c.server.established());
}

inline pki::result<void> outcome_of(const pki::result<std::size_t>& r) {
  if (r) return {};
  return std::unexpected(r.error());
}

/// Sends `text` one way and reads it all at the other end.
inline void send_and_receive(tls::session& from, tls::session& to, std::string_view text) {
  expect_ok(from.write_all(pki::as_bytes(text)));
  std::string got;
  std::array<std::uint8_t, 256> buffer{};
  while (got.size() < text.size()) {
    const auto n = to.read(buffer);
    BOOST_REQUIRE_MESSAGE((n && *n > 0), "reading: " << error_text(n));
    got.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
  }
  BOOST_TEST(got == text);
}

}  // namespace pki_test::tls_fixture
