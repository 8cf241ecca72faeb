// Mutual TLS over a real TCP socket: one CA issues a server certificate for 127.0.0.1 and
// a client certificate; a server thread listens on 127.0.0.1 (on a port the kernel picks),
// the client connects, each side validates the other's chain under its policy during the
// handshake and prints what it learned of its peer, and one request and reply cross.
//
//   build/default/examples/mtls_socket

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pki/pki.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace {

template <class T>
bool failed(const pki::result<T>& r, const char* what) {
  if (r) return false;
  std::fprintf(stderr, "%s: %s\n", what, r.error().message().c_str());
  return true;
}

/// Closes the socket it owns.
struct socket_fd {
  int fd = -1;
  ~socket_fd() {
    if (fd >= 0) ::close(fd);
  }
};

/// A blocking transport over a connected socket: the session's bytes go through send and
/// recv (0 from recv: the peer closed). No signal handler is installed, so no EINTR.
pki::tls::transport over(int fd) {
  auto counted = [](ssize_t n, const char* what) -> pki::result<std::size_t> {
    if (n < 0) return pki::fail(pki::errc::io_failed, what);
    return static_cast<std::size_t>(n);
  };
  return {.send = [=](pki::byte_view data) {
            return counted(::send(fd, data.data(), data.size(), MSG_NOSIGNAL), "sending on the socket");
          },
          .receive = [=](std::span<std::uint8_t> buffer) {
            return counted(::recv(fd, buffer.data(), buffer.size(), 0), "receiving on the socket");
          }};
}

/// What a session learned of its peer: the validated leaf's subject and names, the anchor.
std::string describe_peer(const pki::tls::session& s) {
  const auto& path = s.peer_path();
  if (path.empty()) return "no validated peer";
  std::string text = path.leaf().subject().to_string();
  if (auto san = path.leaf().subject_alt_name(); san && *san) {
    for (const auto& name : (*san)->names) text += ", " + pki::to_string(name);
  }
  text += " (" + std::to_string(path.size()) + "-certificate path to " + path.anchor().subject().to_string() +
          ", " + std::string(s.version()) + ")";
  return text;
}

/// The server's side of one connection: handshake, then answer one request.
bool serve_one(int listener, const pki::tls::config& cfg) {
  const socket_fd connection{::accept(listener, nullptr, nullptr)};
  if (connection.fd < 0) return false;
  auto session = pki::tls::session::server(cfg, over(connection.fd));
  if (failed(session, "server session") || failed(session->handshake(), "server handshake")) return false;
  std::printf("server: client is %s\n", describe_peer(*session).c_str());
  std::vector<std::uint8_t> request(256);
  auto n = session->read(request);
  if (failed(n, "server read")) return false;
  const std::string sent(request.begin(), request.begin() + static_cast<std::ptrdiff_t>(*n));
  const std::string reply = "hello " + session->peer_path().leaf().subject().to_string() + ", you sent '" + sent + "'";
  return !failed(session->write_all(pki::as_bytes(reply)), "server write") && !failed(session->close(), "close");
}

/// The client's side: connect, handshake (expecting the server at 127.0.0.1), one request.
bool ask_one(const sockaddr_in& address, const pki::tls::config& cfg) {
  const socket_fd connection{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (connection.fd < 0 || ::connect(connection.fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    std::perror("connecting to the server");
    return false;
  }
  auto session = pki::tls::session::client(cfg, over(connection.fd), *pki::tls::parse_peer_name("127.0.0.1"));
  if (failed(session, "client session") || failed(session->handshake(), "client handshake")) return false;
  std::printf("client: server is %s\n", describe_peer(*session).c_str());
  if (failed(session->write_all(pki::as_bytes("status?")), "client write")) return false;
  std::vector<std::uint8_t> reply(256);
  auto n = session->read(reply);
  if (failed(n, "client read")) return false;
  std::printf("client: server replied: %.*s\n", static_cast<int>(*n), reinterpret_cast<const char*>(reply.data()));
  return *n > 0;
}

}  // namespace

int main() {
  using namespace std::chrono_literals;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());

  // One CA for both ends; a server certificate for 127.0.0.1, a client certificate.
  auto ca_key = pki::private_key<pki::ecdsa_p256>::generate();
  if (failed(ca_key, "CA key")) return 1;
  auto ca = pki::certificate_authority<pki::ecdsa_p256>::create_root(
      std::move(*ca_key), *pki::distinguished_name::parse("CN=Acme Fleet CA,O=Acme"), {now, now + 365 * 24h});
  if (failed(ca, "CA")) return 1;
  auto server_key = pki::private_key<pki::ecdsa_p256>::generate();
  auto client_key = pki::private_key<pki::ecdsa_p256>::generate();
  if (failed(server_key, "server key") || failed(client_key, "client key")) return 1;
  auto server_csr = pki::csr_builder().subject("CN=fleet-api,O=Acme").ip("127.0.0.1").sign(*server_key);
  auto client_csr =
      pki::csr_builder().subject("CN=gateway-7,O=Acme").uri("urn:acme:gateway:7").sign(*client_key);
  if (failed(server_csr, "server CSR") || failed(client_csr, "client CSR")) return 1;
  auto server_cert = ca->issue(*server_csr, pki::profile::tls_server{}, {now, now + 30 * 24h});
  auto client_cert = ca->issue(*client_csr, pki::profile::tls_client{}, {now, now + 30 * 24h});
  if (failed(server_cert, "server certificate") || failed(client_cert, "client certificate")) return 1;

  // The server requires a client certificate from the CA (trust() turns mutual TLS on);
  // the client checks the server's chain and its address under the private-PKI preset.
  const pki::trust_store anchors(std::vector{ca->certificate()});
  auto server_cfg = pki::tls::server_config<pki::policy::iot_mtls_server>()
                        .identity(std::vector{*server_cert}, *server_key)
                        .trust(anchors)
                        .build();
  auto client_cfg = pki::tls::client_config<pki::policy::iot_mtls_client>()
                        .identity(std::vector{*client_cert}, *client_key)
                        .trust(anchors)
                        .build();
  if (failed(server_cfg, "server config") || failed(client_cfg, "client config")) return 1;

  // A listening socket on 127.0.0.1, port chosen by the kernel.
  const socket_fd listener{::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  auto* where = reinterpret_cast<sockaddr*>(&address);
  if (listener.fd < 0 || ::bind(listener.fd, where, sizeof address) != 0 || ::listen(listener.fd, 1) != 0 ||
      ::getsockname(listener.fd, where, &length) != 0) {
    std::perror("listening on 127.0.0.1");
    return 1;
  }
  bool served = false;
  std::thread server([&] { served = serve_one(listener.fd, *server_cfg); });

  // The client, on this thread. Either way the server thread ends: a failed connect wakes
  // its accept (shutdown), a failure later closes the socket under its handshake or read.
  const bool answered = ask_one(address, *client_cfg);
  if (!answered) ::shutdown(listener.fd, SHUT_RDWR);
  server.join();
  return served && answered ? 0 : 1;
}
