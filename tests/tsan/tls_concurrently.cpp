// One HTTPS server (examples/https/common/server.hpp) serving mutual-TLS clients from many
// threads is safe, and its connection cap holds: eight client threads make 50 connections
// each, one after another, against a server that serves at most three at a time. Each
// connection is a handshake, a GET and its response; every second one offers the session
// the client saved from its previous connection, so that full handshakes and resumptions
// (the server's one ticket key sealing and opening tickets) run at the same time. Half of
// the clients speak TLS 1.3, half TLS 1.2, whose tickets travel at different moments.
// Built and run under ThreadSanitizer by check_tsan.cmake (the sanitize.tsan_tls test): a
// plain program that exits non-zero when a connection fails or the server's counts are
// wrong, TSan making it fail on any data race.
//
//   tls_concurrently [connections per client, default 50]
//   tls_concurrently --race   (a deliberate data race: proves TSan is watching)

#include <pki/issue/authority.hpp>
#include <pki/x509/csr.hpp>
#include <pki/keys/key.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/tls/tls.hpp>
#include <pki/validate/trust_store.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "deliberate_race.hpp"
#include "http.hpp"
#include "server.hpp"
#include "socket.hpp"

using namespace std::chrono_literals;

namespace {

constexpr int client_count = 8;
constexpr std::size_t connection_cap = 3;
// A client waiting its turn behind the cap, under TSan on two cores, waits seconds; this
// only ends a connection that would otherwise hang.
constexpr auto idle_limit = 60s;

/// The value of a setup step that must succeed; ends the program otherwise.
template <class T>
T need(pki::result<T>&& r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "setup failed: %s: %s\n", what, r.error().message().c_str());
    std::exit(2);
  }
  return std::move(*r);
}

/// Both sides' credentials: root -> intermediate -> a server leaf for 127.0.0.1 and a
/// client leaf (clientAuth); each chain is the leaf then the intermediate.
struct credentials {
  std::vector<pki::certificate<>> roots{};
  std::vector<pki::certificate<>> server_chain{};
  std::optional<pki::private_key<pki::ecdsa_p256>> server_key{};
  std::vector<pki::certificate<>> client_chain{};
  std::optional<pki::private_key<pki::ecdsa_p256>> client_key{};
};

credentials make_credentials() {
  using ec_key = pki::private_key<pki::ecdsa_p256>;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto root = need(pki::certificate_authority<pki::ecdsa_p256>::create_root(
                             need(ec_key::generate(), "the root key"),
                             need(pki::distinguished_name::parse("CN=TSan TLS Root,O=Acme"), "a name"),
                             {now - 1h, now + std::chrono::days(3650)}),
                         "the root");
  const auto issuing = need(
      root.create_intermediate(need(ec_key::generate(), "the intermediate key"),
                               need(pki::distinguished_name::parse("CN=TSan TLS Issuing,O=Acme"), "a name"),
                               {now - 1h, now + std::chrono::days(1825)}),
      "the intermediate");
  const pki::validity ninety_days{now - 1h, now + std::chrono::days(90)};
  credentials out;
  out.roots = {root.certificate()};
  out.server_key = need(ec_key::generate(), "the server key");
  out.server_chain = {need(issuing.issue(need(pki::csr_builder()
                                                  .subject("CN=localhost")
                                                  .dns("localhost")
                                                  .ip("127.0.0.1")
                                                  .sign(*out.server_key),
                                              "the server request"),
                                         pki::profile::tls_server{}, ninety_days),
                           "the server leaf"),
                      issuing.certificate()};
  out.client_key = need(ec_key::generate(), "the client key");
  out.client_chain = {need(issuing.issue(need(pki::csr_builder()
                                                  .subject("CN=tsan-client")
                                                  .dns("client.tsan.example")
                                                  .sign(*out.client_key),
                                              "the client request"),
                                         pki::profile::tls_client{}, ninety_days),
                           "the client leaf"),
                      issuing.certificate()};
  return out;
}

/// What the clients saw, counted across threads; the first few failures are printed.
class tally {
 public:
  void failed(int client, int connection, const pki::error& e) {
    if (failed_.fetch_add(1, std::memory_order_relaxed) < 10) {
      const std::lock_guard lock(print_);
      std::fprintf(stderr, "client %d, connection %d: %s\n", client, connection, e.message().c_str());
    }
  }
  void succeeded(bool offered, bool resumed) {
    succeeded_.fetch_add(1, std::memory_order_relaxed);
    if (offered) offered_.fetch_add(1, std::memory_order_relaxed);
    if (resumed) resumed_.fetch_add(1, std::memory_order_relaxed);
  }
  [[nodiscard]] unsigned failed_count() const { return failed_.load(); }
  [[nodiscard]] unsigned succeeded_count() const { return succeeded_.load(); }
  [[nodiscard]] unsigned offered_count() const { return offered_.load(); }
  [[nodiscard]] unsigned resumed_count() const { return resumed_.load(); }

 private:
  std::atomic<unsigned> failed_{0};
  std::atomic<unsigned> succeeded_{0};
  std::atomic<unsigned> offered_{0};
  std::atomic<unsigned> resumed_{0};
  std::mutex print_{};
};

/// One connection: a handshake (offering `resume` when given), GET /, a 200 response.
/// Leaves in `saved` the session to resume next time; true when this one resumed.
pki::result<bool> fetch_once(const pki::tls::config& config, const std::string& address,
                             const pki::peer_name& server_name, const pki::tls::saved_session* resume,
                             std::optional<pki::tls::saved_session>& saved) {
  auto tcp = https::connect_tcp(address);
  if (!tcp) return std::unexpected(tcp.error());
  auto tls = pki::tls::session::client(
      config, https::socket_transport(tcp->fd(), {.cancel_fd = -1, .idle_timeout = idle_limit}), server_name,
      resume);
  if (!tls) return std::unexpected(tls.error());
  if (auto ok = tls->handshake(); !ok) return std::unexpected(ok.error());
  if (auto ok = https::http::send(*tls, https::http::format_get("/", address, true)); !ok) {
    return std::unexpected(ok.error());
  }
  https::http::message_reader reader(*tls);
  auto response = https::http::read_response(reader);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) return pki::fail(pki::errc::io_failed, "the server did not answer 200");
  // After the response: a TLS 1.3 ticket arrives after the handshake, read with the data.
  if (auto next = tls->save()) saved = std::move(*next);
  // The server closes after answering "Connection: close"; it may be gone before our
  // close_notify arrives, which is no failure of this connection.
  (void)tls->close();
  return tls->resumed();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "--race") return tsan_check::deliberate_race();
  const int per_client = argc > 1 ? std::atoi(argv[1]) : 50;
  if (per_client <= 0) {
    std::fprintf(stderr, "usage: tls_concurrently [connections per client]\n");
    return 2;
  }

  auto creds = make_credentials();
  const pki::trust_store anchors{creds.roots};
  auto server_config = need(pki::tls::server_config<pki::policy::iot_mtls_server>{}
                                .identity(creds.server_chain, *creds.server_key)
                                .trust(anchors)
                                .build(),
                            "the server configuration");
  const auto client_config = [&](pki::tls::protocol_version version) {
    return need(pki::tls::client_config<pki::policy::iot_mtls_client>{}
                    .trust(anchors)
                    .identity(creds.client_chain, *creds.client_key)
                    .versions(version, version)
                    .build(),
                "a client configuration");
  };
  const pki::tls::config tls1_3 = client_config(pki::tls::protocol_version::tls1_3);
  const pki::tls::config tls1_2 = client_config(pki::tls::protocol_version::tls1_2);

  auto server =
      need(https::server::listen("127.0.0.1:0", std::move(server_config), connection_cap), "the server");
  const std::string address = "127.0.0.1:" + std::to_string(server.port());
  const auto server_name = need(pki::tls::parse_peer_name("127.0.0.1"), "the server's name");
  std::thread serving([&] { server.run(); });

  tally seen;
  std::latch start(client_count);
  const auto client = [&](int c) {
    const pki::tls::config& config = c % 2 == 0 ? tls1_3 : tls1_2;
    std::optional<pki::tls::saved_session> saved;
    start.arrive_and_wait();
    for (int i = 0; i < per_client; ++i) {
      const pki::tls::saved_session* resume = i % 2 == 1 && saved ? &*saved : nullptr;
      auto resumed = fetch_once(config, address, server_name, resume, saved);
      if (resumed) {
        seen.succeeded(resume != nullptr, *resumed);
      } else {
        seen.failed(c, i, resumed.error());
      }
    }
  };

  const auto began = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  clients.reserve(client_count);
  for (int c = 0; c < client_count; ++c) clients.emplace_back(client, c);
  for (auto& thread : clients) thread.join();
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  server.stop();
  serving.join();

  const auto expected = static_cast<unsigned>(client_count * per_client);
  std::printf(
      "%d clients x %d connections in %lld ms: %u succeeded, %u failed; %u offered a saved session, "
      "%u resumed (server: %zu); server: %zu served, peak %zu connections at once (cap %zu)\n",
      client_count, per_client, static_cast<long long>(took.count()), seen.succeeded_count(),
      seen.failed_count(), seen.offered_count(), seen.resumed_count(), server.resumed_connections(),
      server.connections_served(), server.peak_connections(), connection_cap);

  bool ok = true;
  const auto check = [&ok](bool holds, const char* what) {
    if (!holds) std::fprintf(stderr, "FAILED: %s\n", what);
    ok = ok && holds;
  };
  check(seen.succeeded_count() == expected, "every connection succeeds");
  check(server.connections_served() == expected, "the server counts every connection it served");
  check(server.peak_connections() <= connection_cap, "the server never serves more than the cap at once");
  // Eight clients against a cap of three keep the server full; a peak below two would
  // mean the cap was never put to the test.
  check(server.peak_connections() >= 2, "connections overlap, so the cap is exercised");
  check(seen.offered_count() == static_cast<unsigned>(client_count * (per_client / 2)),
        "every second connection offers a saved session");
  // Each saved session is fresh and valid for a day, under a ticket key that does not
  // rotate in between: every offer must resume.
  check(seen.resumed_count() > 0 && seen.resumed_count() == seen.offered_count(), "saved sessions resume");
  check(server.resumed_connections() == seen.resumed_count(),
        "the server and the clients agree on resumptions");
  return ok ? 0 : 1;
}
