// fuzz-seeds OUTDIR: the seeds that must come from the fuzz targets' own fixed hierarchy
// (fuzz.hpp), written under OUTDIR/<target>/, and that hierarchy in PEM under
// OUTDIR/hierarchy/ for make_corpus.py to issue more certificates from with the OpenSSL CLI.
//
// tls_client, tls_server: flights recorded from a pki::tls client and server talking over
// an in-memory pipe, configured exactly as the targets are (tls_fixture.hpp, the same
// deterministic randomness and frozen time), each as a target input: config byte, chunking
// byte, the bytes the other side sent. Also the flights with the first certificate's
// tbsCertificate signature OID turned into one nobody knows (1.2.840.10045.4.3.127), which
// crashed tls::session before e07e272. Every TLS 1.2 flight meant to complete is replayed
// into a fresh target session here: if it does not reach the end of the handshake, the
// determinism the targets rely on is gone (another mbedTLS build?) and this program fails.
//
// validate: bags of certificates and CRLs under the fixed root (see validate.cpp).
//
// fuzz-seeds --serve SERVER OUTFILE / --connect PORT CLIENT OUTFILE: one connection over
// loopback between a fixture config and another peer (make_corpus.py runs openssl s_client
// and s_server), writing what the peer sent as a target input. --serve prints the port.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.hpp"
#include "tls_fixture.hpp"

namespace {

namespace fs = std::filesystem;
using pki_fuzz::need;

fs::path out_dir;
int failures = 0;

void write_file(const fs::path& path, pki::byte_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "fuzz-seeds: cannot write %s\n", path.c_str());
    ++failures;
  }
}
void write_text(const fs::path& path, std::string_view text) {
  write_file(path, pki::as_bytes(text));
}

/// A target input: a config byte, a chunking byte, then the peer's bytes.
void write_seed(std::string_view target, std::string_view name, std::uint8_t config, std::uint8_t chunking,
                pki::byte_view flight) {
  pki::byte_buffer seed{config, chunking};
  seed.insert(seed.end(), flight.begin(), flight.end());
  write_file(out_dir / target / name, seed);
}

// --- A recording pipe ------------------------------------------------------------------

/// Two ends of an in-memory stream, non-blocking; everything each end sends is also kept.
class recording_pipe {
 public:
  pki::tls::transport end(std::size_t self) {
    return {.send = [this, self](pki::byte_view data) -> pki::result<std::size_t> {
              inbox_[1 - self].insert(inbox_[1 - self].end(), data.begin(), data.end());
              sent_[self].insert(sent_[self].end(), data.begin(), data.end());
              traffic_ += data.size();
              return data.size();
            },
            .receive = [this, self](std::span<std::uint8_t> buffer) -> pki::result<std::size_t> {
              auto& queue = inbox_[self];
              if (queue.empty()) {
                if (closed_) return 0;
                return pki::fail(pki::errc::would_block, "recording pipe: nothing yet");
              }
              const std::size_t n = std::min(buffer.size(), queue.size());
              std::copy_n(queue.begin(), n, buffer.begin());
              queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
              return n;
            }};
  }
  [[nodiscard]] std::size_t traffic() const noexcept { return traffic_; }
  [[nodiscard]] const pki::byte_buffer& sent_by(std::size_t self) const noexcept { return sent_[self]; }
  void close() noexcept { closed_ = true; }

 private:
  std::array<std::deque<std::uint8_t>, 2> inbox_{};
  std::array<pki::byte_buffer, 2> sent_{};
  std::size_t traffic_ = 0;
  bool closed_ = false;
};

constexpr std::size_t client_end = 0;
constexpr std::size_t server_end = 1;

bool waiting(const pki::result<void>& r) {
  return !r && r.error() == pki::errc::would_block;
}

/// Reads what has arrived until the transport would block or the stream ends.
void drain(pki::tls::session& session) {
  std::array<std::uint8_t, 4096> buffer{};
  for (int i = 0; i < 64; ++i) {
    auto n = session.read(buffer);
    if (!n || *n == 0) return;
  }
}

struct flights {
  pki::byte_buffer to_client;  // what the server sent
  pki::byte_buffer to_server;  // what the client sent
  bool established = false;
};

/// A whole connection between the fixture's client and server configs: the handshake, a
/// request and a response, close_notify both ways.
flights record(std::size_t client_index, std::size_t server_index) {
  recording_pipe pipe;
  const pki::peer_name expected = pki::dns_name{std::string(pki_fuzz::server_host)};
  auto client = need(
      pki::tls::session::client(pki_fuzz::clients()[client_index].fresh(), pipe.end(client_end), expected),
      "a recording client");
  auto server =
      need(pki::tls::session::server(pki_fuzz::servers()[server_index].fresh(), pipe.end(server_end)),
           "a recording server");
  pki::result<void> c = pki::fail(pki::errc::would_block, "not started");
  pki::result<void> s = c;
  for (;;) {
    const std::size_t before = pipe.traffic();
    if (waiting(c)) c = client.handshake();
    if (waiting(s)) s = server.handshake();
    if (!waiting(c) && !waiting(s)) break;
    if (pipe.traffic() == before) break;
  }
  const bool established = c && s;

  if (established) {
    need(client.write_all(pki::as_bytes("GET / HTTP/1.1\r\nHost: server.test\r\n\r\n")), "a request");
    drain(server);
    need(server.write_all(pki::as_bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")), "a response");
    drain(client);
    need(server.close(), "the server's close_notify");
    drain(client);
    need(client.close(), "the client's close_notify");
    drain(server);
  } else {
    // Let each side read the other's alert.
    pipe.close();
    if (!c) drain(server);
    if (!s) drain(client);
  }
  return {pipe.sent_by(server_end), pipe.sent_by(client_end), established};
}

/// Whether the fixture's client (or server) config, fed `flight` as a target input is,
/// completes its handshake.
bool replay_establishes(bool as_client, std::size_t index, pki::byte_view flight) {
  pki_fuzz::scripted_peer peer(flight, 0);
  auto session = as_client ? pki::tls::session::client(pki_fuzz::clients()[index].fresh(), peer.transport(),
                                                       pki::dns_name{std::string(pki_fuzz::server_host)})
                           : pki::tls::session::server(pki_fuzz::servers()[index].fresh(), peer.transport());
  return session && session->handshake().has_value();
}

/// `flight` with the first certificate `leaf` in it given an unknown tbsCertificate
/// signature algorithm (ecdsa-with-SHA256 1.2.840.10045.4.3.2 -> .127, the same length);
/// empty when `leaf` does not appear in plaintext.
pki::byte_buffer forge_unknown_signature(pki::byte_view flight, const pki::certificate<>& leaf) {
  pki::byte_buffer forged(flight.begin(), flight.end());
  const auto found = std::ranges::search(forged, leaf.der());
  if (found.empty()) return {};
  static constexpr std::array<std::uint8_t, 10> ecdsa_sha256 = {0x06, 0x08, 0x2A, 0x86, 0x48,
                                                                0xCE, 0x3D, 0x04, 0x03, 0x02};
  const auto oid = std::ranges::search(found, ecdsa_sha256);  // the first is tbsCertificate's
  if (oid.empty()) return {};
  oid.back() = 0x7F;
  return forged;
}

struct tls_scenario {
  const char* name;
  std::size_t client;
  std::size_t server;
  // TLS 1.2 connections that complete replay completely, to a side whose own Hello is
  // deterministic: not a client that also offers TLS 1.3 (its key share comes from PSA).
  bool client_replays;
  bool server_replays;
};

void write_tls_seeds() {
  constexpr tls_scenario scenarios[] = {
      {"tls12-alpn", 0, 0, true, true},
      {"tls13-alpn", 1, 0, false, false},
      {"tls12-mtls-leaf-only", 2, 1, true, true},
      {"tls12-mtls-server-chain", 2, 2, true, true},
      {"tls12-mtls-client-chain", 3, 1, false, true},
      {"tls13-mtls", 3, 2, false, false},
      {"tls13-server-leaf-only", 1, 3, false, false},
      {"tls12-certificate-required", 0, 1, false, false},
      {"tls13-certificate-required", 1, 2, false, false},
      {"version-mismatch", 0, 3, false, false},
  };
  const auto& h = pki_fuzz::fixed_hierarchy();
  for (const auto& scenario : scenarios) {
    const auto recorded = record(scenario.client, scenario.server);
    const auto c = static_cast<std::uint8_t>(scenario.client);
    const auto s = static_cast<std::uint8_t>(scenario.server);
    write_seed("tls_client", scenario.name, c, 0, recorded.to_client);
    write_seed("tls_server", scenario.name, s, 0, recorded.to_server);
    if (scenario.client_replays || scenario.server_replays) {
      const bool client_ok =
          !scenario.client_replays || replay_establishes(true, scenario.client, recorded.to_client);
      const bool server_ok =
          !scenario.server_replays || replay_establishes(false, scenario.server, recorded.to_server);
      std::printf("fuzz-seeds: %s: recorded %s; replays to the end: client %s, server %s\n", scenario.name,
                  recorded.established ? "established" : "FAILED",
                  scenario.client_replays ? (client_ok ? "yes" : "NO") : "-",
                  scenario.server_replays ? (server_ok ? "yes" : "NO") : "-");
      if (!recorded.established || !client_ok || !server_ok) ++failures;
      // The same flights cut into small chunks, for the record layer's reassembly.
      write_seed("tls_client", std::string(scenario.name) + "-chunked", c, 3, recorded.to_client);
      write_seed("tls_server", std::string(scenario.name) + "-chunked", s, 3, recorded.to_server);
    }
    for (const auto* id : {&h.server, &h.server_direct}) {
      const auto forged = forge_unknown_signature(recorded.to_client, id->chain.front());
      if (!forged.empty())
        write_seed("tls_client", std::string(scenario.name) + "-unknown-signature-oid", c, 0, forged);
    }
    for (const auto* id : {&h.client, &h.client_direct}) {
      const auto forged = forge_unknown_signature(recorded.to_server, id->chain.front());
      if (!forged.empty())
        write_seed("tls_server", std::string(scenario.name) + "-unknown-signature-oid", s, 0, forged);
    }
  }
}

// --- Validation bags -------------------------------------------------------------------

void write_certificate(std::string_view name, const pki::certificate<>& cert) {
  write_file(out_dir / "certificate" / ("library-" + std::string(name)), cert.der());
}

void write_bag(std::string_view name, std::uint8_t options, std::initializer_list<pki::byte_view> values) {
  pki::byte_buffer bag{options};
  for (const auto value : values) bag.insert(bag.end(), value.begin(), value.end());
  write_file(out_dir / "validate" / name, bag);
}

pki::certificate<> issue_server(const pki::certificate_authority<>& ca, std::string_view label,
                                std::string_view host, const pki::validity& period) {
  const auto key = pki_fuzz::fixed_key(label);
  const auto request = need(
      pki::csr_builder().subject("CN=" + std::string(host) + ",O=PKI Fuzz").dns(host).sign(key), "a CSR");
  return need(ca.issue(request, pki::profile::tls_server{}, period), "a server certificate");
}

void write_validation_seeds() {
  using std::chrono::days;
  const auto& h = pki_fuzz::fixed_hierarchy();
  const auto now = pki_fuzz::fixed_now;
  const auto& root = h.root.certificate().der();
  const auto& ca = h.issuing.certificate().der();
  const auto& server = h.server.chain.front().der();
  const auto& client = h.client.chain.front().der();
  constexpr std::uint8_t dns = 1, ip = 2, other_host = 3, later = 4, tight = 8, devices = 16;

  write_bag("server-chain", dns, {server, ca});
  write_bag("server-chain-ip", ip, {server, ca});
  write_bag("server-no-name", 0, {server, ca});
  write_bag("server-wrong-host", other_host, {server, ca});
  write_bag("server-expired", dns | later, {server, ca});
  write_bag("server-tight-budget", dns | tight, {server, ca});
  write_bag("server-without-ca", dns, {server});
  write_bag("server-unordered-decoys", dns, {server, client, root, ca});
  write_bag("client-device", devices, {client, ca});
  write_bag("client-under-web-rules", 0, {client, ca});
  write_bag("root-alone", 0, {root});

  const auto& server_serial = h.server.chain.front().serial();
  const std::vector<pki::revoked_certificate> revoked{{.serial = {server_serial.begin(), server_serial.end()},
                                                       .revocation_date = now - days(1),
                                                       .reason = pki::crl_reason::key_compromise,
                                                       .extensions = {}}};
  const auto revoking = need(h.issuing.issue_crl(revoked, {now - days(1), now + days(7)}, 42), "a CRL");
  const auto empty_crl = need(h.issuing.issue_crl({}, {now - days(1), now + days(7)}, 43), "an empty CRL");
  write_file(out_dir / "crl" / "library-revoking", revoking.der());
  write_file(out_dir / "crl" / "library-empty", empty_crl.der());
  write_bag("server-revoked", dns, {server, ca, revoking.der()});
  write_bag("server-not-revoked", dns, {server, ca, empty_crl.der()});
  write_bag("client-revoked-crl-for-other", devices, {client, ca, revoking.der()});

  // root -> CA 1 (path length 1) -> CA 2 -> leaf, and a CA 2 under a too-short path length.
  const auto ca_period = pki::validity{now - days(365), now + days(365)};
  const auto leaf_period = pki::validity{now - days(10), now + days(90)};
  const auto ca1 = need(
      h.root.create_intermediate(pki_fuzz::fixed_key("ca1"),
                                 need(pki::distinguished_name::parse("CN=Fuzz CA 1,O=PKI Fuzz"), "a name"),
                                 ca_period, pki::profile::intermediate_ca{.path_len = 1}),
      "CA 1");
  const auto ca2 =
      need(ca1.create_intermediate(pki_fuzz::fixed_key("ca2"),
                                   need(pki::distinguished_name::parse("CN=Fuzz CA 2,O=PKI Fuzz"), "a name"),
                                   ca_period),
           "CA 2");
  const auto deep = issue_server(ca2, "deep", "deep.server.test", leaf_period);
  write_bag("deep-chain", 0, {deep.der(), ca2.certificate().der(), ca1.certificate().der()});
  const auto ca3 =
      need(h.issuing.create_intermediate(
               pki_fuzz::fixed_key("ca3"),
               need(pki::distinguished_name::parse("CN=Fuzz CA 3,O=PKI Fuzz"), "a name"), ca_period),
           "CA 3 under a CA with path length 0");
  const auto too_deep = issue_server(ca3, "too-deep", "too-deep.server.test", leaf_period);
  write_bag("path-length-exceeded", 0, {too_deep.der(), ca3.certificate().der(), ca});

  // A name-constrained CA (permitted .server.test, excluded bad.server.test) and leaves inside and outside.
  const auto nc_key = pki_fuzz::fixed_key("constrained");
  pki::certificate_builder nc;
  nc.issuer(h.root.certificate().subject())
      .subject(need(pki::distinguished_name::parse("CN=Fuzz Constrained CA,O=PKI Fuzz"), "a name"))
      .validity(ca_period)
      .public_key(need(nc_key.public_key(), "a key"))
      .add(pki::basic_constraints{.ca = true, .path_len = 0}, true)
      .add(pki::key_usage{pki::key_usage_flag::key_cert_sign | pki::key_usage_flag::crl_sign}, true)
      .add(pki::name_constraints{.permitted = {{pki::dns_name{"server.test"}},
                                               {need(pki::ip_network::parse("192.0.2.0/24"), "a network")}},
                                 .excluded = {{pki::dns_name{"bad.server.test"}}}})
      .add(need(pki::subject_key_identifier::from_public_key_der(
                    need(need(nc_key.public_key(), "a key").to_der(), "SPKI")),
                "SKI"))
      .add(pki::authority_key_identifier{
          .key_id = need(h.root.certificate().subject_key_identifier(), "SKI")->key_id});
  const auto nc_cert = need(nc.sign(h.root.key()), "the constrained CA");
  const auto nc_ca =
      need(pki::certificate_authority<>::create(nc_cert, pki_fuzz::fixed_key("constrained")), "a CA");
  const auto inside = issue_server(nc_ca, "inside", "api.server.test", leaf_period);
  const auto outside = issue_server(nc_ca, "outside", "api.bad.server.test", leaf_period);
  write_bag("name-constraints-inside", 0, {inside.der(), nc_cert.der()});
  write_bag("name-constraints-excluded", 0, {outside.der(), nc_cert.der()});

  const auto self_key = pki_fuzz::fixed_key("self");
  const auto self =
      need(pki::make_self_signed(self_key, need(pki::distinguished_name::parse("CN=server.test"), "a name"),
                                 {.not_before = now - days(1),
                                  .days = days(30),
                                  .subject_alt_names = {pki::dns_name{"server.test"}},
                                  .ca = false,
                                  .hash = {}}),
           "a self-signed certificate");
  write_bag("self-signed-leaf", dns, {self.der()});

  write_certificate("root", h.root.certificate());
  write_certificate("issuing", h.issuing.certificate());
  write_certificate("server", h.server.chain.front());
  write_certificate("client", h.client.chain.front());
  write_certificate("server-direct", h.server_direct.chain.front());
  write_certificate("client-direct", h.client_direct.chain.front());
  write_certificate("path-length-1-ca", ca1.certificate());
  write_certificate("deep", deep);
  write_certificate("constrained-ca", nc_cert);
  write_certificate("self-signed", self);
}

// --- Private keys as the library writes them -------------------------------------------

/// private_key target inputs: a selector byte (bit 0: parse with make_corpus.py's password)
/// and the key in each of the library's formats. Encrypted with 1000 PBKDF2 iterations, the
/// least the library writes: its default (100 000) would make each execution slow.
void write_key_seeds() {
  constexpr std::string_view password = "fuzz-password";
  const auto& key = pki_fuzz::fixed_hierarchy().server.key;
  auto bytes = [](const auto& secret) {
    return pki::byte_view(reinterpret_cast<const std::uint8_t*>(secret.data()), secret.size());
  };
  auto write_key = [](std::string_view name, std::uint8_t selector, pki::byte_view key_bytes) {
    pki::byte_buffer seed{selector};
    seed.insert(seed.end(), key_bytes.begin(), key_bytes.end());
    write_file(out_dir / "private_key" / name, seed);
  };
  write_key("library-pkcs8.der", 0, bytes(need(key.to_der(), "PKCS#8")));
  write_key("library-sec1.der", 0, bytes(need(key.to_der(pki::private_key_format::traditional), "SEC1")));
  write_key("library-pkcs8.pem", 2, bytes(need(key.to_pem(), "PEM")));
  write_key("library-sec1.pem", 0, bytes(need(key.to_pem(pki::private_key_format::traditional), "PEM")));
  write_key("library-encrypted.der", 1,
            bytes(need(key.to_encrypted_der(password, {.pbkdf2_iterations = 1000}), "encrypted")));
  write_key("library-encrypted.pem", 3,
            bytes(need(key.to_encrypted_pem(password, {.pbkdf2_iterations = 1000}), "encrypted")));
  write_key("library-encrypted-no-password.pem", 0,
            bytes(need(key.to_encrypted_pem(password, {.pbkdf2_iterations = 1000}), "encrypted")));
  const auto pub = need(key.public_key(), "a public key");
  write_file(out_dir / "public_key" / "library-spki.der", need(pub.to_der(), "SPKI"));
  write_text(out_dir / "public_key" / "library-spki.pem", need(pub.to_pem(), "PEM"));
}

// --- The hierarchy, for the OpenSSL CLI -------------------------------------------------

void write_hierarchy() {
  const auto& h = pki_fuzz::fixed_hierarchy();
  const auto dir = out_dir / "hierarchy";
  write_text(dir / "root.pem", need(h.root.certificate().to_pem(), "PEM"));
  write_text(dir / "issuing.pem", need(h.issuing.certificate().to_pem(), "PEM"));
  const auto key = need(h.issuing.key().to_pem(), "PEM");
  write_text(dir / "issuing.key", std::string_view(key.data(), key.size()));
  write_text(dir / "server.pem", need(h.server.chain.front().to_pem(), "PEM"));
  const auto server_key = need(h.server.key.to_pem(), "PEM");
  write_text(dir / "server.key", std::string_view(server_key.data(), server_key.size()));
  write_text(dir / "client.pem", need(h.client.chain.front().to_pem(), "PEM"));
  const auto client_key = need(h.client.key.to_pem(), "PEM");
  write_text(dir / "client.key", std::string_view(client_key.data(), client_key.size()));
}

// --- One connection with another TLS implementation -------------------------------------

/// A blocking socket as a transport; what arrives is also kept.
pki::tls::transport socket_transport(int fd, pki::byte_buffer& received) {
  return {.send = [fd](pki::byte_view data) -> pki::result<std::size_t> {
            const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) return pki::fail(pki::errc::io_failed, "send on the loopback socket");
            return static_cast<std::size_t>(n);
          },
          .receive = [fd, &received](std::span<std::uint8_t> buffer) -> pki::result<std::size_t> {
            pollfd ready{.fd = fd, .events = POLLIN, .revents = 0};
            if (::poll(&ready, 1, 5000) <= 0) return pki::fail(pki::errc::io_failed, "the peer went quiet");
            const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
            if (n < 0) return pki::fail(pki::errc::io_failed, "recv on the loopback socket");
            received.insert(received.end(), buffer.begin(), buffer.begin() + n);
            return static_cast<std::size_t>(n);
          }};
}

/// Handshake, one request or response, close_notify; then everything the peer still sends.
void converse(pki::tls::session& session, bool client) {
  auto shaken = session.handshake();
  std::fprintf(stderr, "fuzz-seeds: handshake with the other peer: %s\n",
               shaken ? std::string(session.version()).c_str() : shaken.error().message().c_str());
  if (!shaken) return;
  std::array<std::uint8_t, 4096> buffer{};
  if (client) {
    (void)session.write_all(pki::as_bytes("GET / HTTP/1.0\r\n\r\n"));
  } else {
    (void)session.read(buffer);
    (void)session.write_all(pki::as_bytes("HTTP/1.0 200 OK\r\n\r\nhello\n"));
    (void)session.close();
  }
  for (int i = 0; i < 64; ++i) {
    auto n = session.read(buffer);
    if (!n || *n == 0) break;
  }
  if (client) (void)session.close();
}

int serve(std::size_t server_index, const fs::path& outfile) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::listen(listener, 1) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::perror("fuzz-seeds: listening");
    return 1;
  }
  std::printf("port %d\n", ntohs(address.sin_port));
  std::fflush(stdout);
  pollfd ready{.fd = listener, .events = POLLIN, .revents = 0};
  if (::poll(&ready, 1, 20000) <= 0) return 1;
  const int fd = ::accept(listener, nullptr, nullptr);
  pki::byte_buffer received;
  {
    auto session = need(
        pki::tls::session::server(pki_fuzz::servers()[server_index].fresh(), socket_transport(fd, received)),
        "a server session");
    converse(session, false);
  }
  ::close(fd);
  ::close(listener);
  write_file(outfile, [&] {
    pki::byte_buffer seed{static_cast<std::uint8_t>(server_index), 0};
    seed.insert(seed.end(), received.begin(), received.end());
    return seed;
  }());
  std::fprintf(stderr, "fuzz-seeds: replayed to the server it %s\n",
               replay_establishes(false, server_index, received) ? "establishes" : "does not establish");
  return failures == 0 ? 0 : 1;
}

int connect_to(int port, std::size_t client_index, const fs::path& outfile) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    std::perror("fuzz-seeds: connecting");
    return 1;
  }
  pki::byte_buffer received;
  {
    auto session = need(
        pki::tls::session::client(pki_fuzz::clients()[client_index].fresh(), socket_transport(fd, received),
                                  pki::dns_name{std::string(pki_fuzz::server_host)}),
        "a client session");
    converse(session, true);
  }
  ::close(fd);
  write_file(outfile, [&] {
    pki::byte_buffer seed{static_cast<std::uint8_t>(client_index), 0};
    seed.insert(seed.end(), received.begin(), received.end());
    return seed;
  }());
  std::fprintf(stderr, "fuzz-seeds: replayed to the client it %s\n",
               replay_establishes(true, client_index, received) ? "establishes" : "does not establish");
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "--serve") {
    return serve(static_cast<std::size_t>(std::stoul(std::string(args[1]))) % pki_fuzz::server_count,
                 args[2]);
  }
  if (args.size() == 4 && args[0] == "--connect") {
    return connect_to(std::stoi(std::string(args[1])),
                      static_cast<std::size_t>(std::stoul(std::string(args[2]))) % pki_fuzz::client_count,
                      args[3]);
  }
  if (args.size() != 1) {
    std::fprintf(stderr,
                 "usage: fuzz-seeds OUTDIR | --serve SERVER OUTFILE | --connect PORT CLIENT OUTFILE\n");
    return 2;
  }
  out_dir = argv[1];
  write_hierarchy();
  write_tls_seeds();
  write_validation_seeds();
  write_key_seeds();
  if (failures != 0) {
    std::fprintf(stderr, "fuzz-seeds: %d failures\n", failures);
    return 1;
  }
  return 0;
}
