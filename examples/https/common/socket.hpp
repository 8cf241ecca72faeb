#pragma once
// TCP for the HTTPS examples: an owning socket, "host:port" parsing, connecting and
// listening, and the tls::transport that carries a TLS session over a socket.
//
// Errors are pki::error values like the library's (io_failed with a sentence saying what
// the system refused), so the programs report every failure the same way.

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pki/core/error.hpp>
#include <pki/tls/transport.hpp>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "../../common/unique_fd.hpp"

namespace https {

/// How long connect_tcp waits for the TCP handshake before it gives up.
inline constexpr std::chrono::seconds connect_timeout{10};

/// A socket (or any descriptor the server owns, pipe ends included): the examples' one
/// descriptor owner.
using socket = example_cli::unique_fd;

namespace detail {

/// A sentence for an errno value. pki::error keeps only static text, so the common
/// causes have their own; the rest share one.
[[nodiscard]] inline const char* system_reason(int code) noexcept {
  switch (code) {
    case ECONNREFUSED: return "connection refused (is the server running?)";
    case ECONNRESET: return "the peer reset the connection";
    case EPIPE: return "the peer closed the connection";
    case ETIMEDOUT: return "timed out";
    case EHOSTUNREACH: return "host unreachable";
    case ENETUNREACH: return "network unreachable";
    case EADDRINUSE: return "address already in use";
    case EADDRNOTAVAIL: return "address not available on this host";
    case EACCES: return "permission denied";
    case EMFILE:
    case ENFILE: return "too many open files";
    case ENOMEM:
    case ENOBUFS: return "out of memory";
    default: return "a socket call failed";
  }
}

[[nodiscard]] inline std::unexpected<pki::error> system_failure(int code) noexcept {
  return std::unexpected(pki::error(pki::errc::io_failed, system_reason(code)));
}

}  // namespace detail

/// What a socket_transport waits for besides the peer.
struct wait_limits {
  /// A descriptor that becomes readable when the wait must end (a server stopping), or -1.
  int cancel_fd = -1;
  /// The io_failed context when cancel_fd ends a wait.
  const char* cancel_reason = "the wait was cancelled";
  /// The longest wait for the peer to send or to take data; negative: no limit.
  std::chrono::milliseconds idle_timeout{-1};
};

namespace detail {

/// Waits until `fd` has `events` (POLLIN, POLLOUT), `limits.cancel_fd` becomes readable or
/// `limits.idle_timeout` passes; EINTR is retried with the time left.
[[nodiscard]] inline pki::result<void> wait_for(int fd, short events, const wait_limits& limits) {
  const int cancel_fd = limits.cancel_fd;
  const auto timeout = limits.idle_timeout;
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + timeout;
  for (;;) {
    pollfd watched[2] = {{.fd = fd, .events = events, .revents = 0},
                         {.fd = cancel_fd, .events = POLLIN, .revents = 0}};
    int wait_ms = -1;
    if (timeout.count() >= 0) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
      wait_ms = static_cast<int>(std::max<std::chrono::milliseconds::rep>(left.count(), 0));
    }
    const int ready = ::poll(watched, cancel_fd >= 0 ? 2 : 1, wait_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return system_failure(errno);
    if (ready == 0) return pki::fail(pki::errc::io_failed, "timed out waiting for the peer");
    if (watched[1].revents != 0) return pki::fail(pki::errc::io_failed, limits.cancel_reason);
    // POLLERR and POLLHUP end the wait too: the send or receive that follows reports them.
    return {};
  }
}

[[nodiscard]] inline pki::result<std::uint16_t> parse_port(std::string_view text) {
  std::uint16_t port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
    return pki::fail(pki::errc::invalid_argument, "the port is not a number from 0 to 65535");
  }
  return port;
}

}  // namespace detail

/// Splits "127.0.0.1:8443", "localhost:8443" or "[::1]:8443" into host and port;
/// invalid_argument when it is not HOST:PORT.
[[nodiscard]] inline pki::result<std::pair<std::string, std::uint16_t>> parse_host_port(
    std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    // An IPv6 address has colons of its own, hence the brackets (RFC 3986).
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || text.substr(close + 1, 1) != ":") {
      return pki::fail(pki::errc::invalid_argument, "an IPv6 address and port is [ADDRESS]:PORT");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) {
      return pki::fail(pki::errc::invalid_argument, "a host and port is HOST:PORT or [IPv6]:PORT");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) return pki::fail(pki::errc::invalid_argument, "the host before the port is empty");
  auto number = detail::parse_port(port);
  if (!number) return std::unexpected(number.error());
  return std::pair{std::string(host), *number};
}

/// "127.0.0.1:8443", or "[::1]:8443" for an IPv6 address: the inverse of parse_host_port.
[[nodiscard]] inline std::string format_host_port(std::string_view host, std::uint16_t port) {
  const bool ipv6 = host.find(':') != std::string_view::npos;
  std::string text = ipv6 ? "[" + std::string(host) + "]" : std::string(host);
  return text + ":" + std::to_string(port);
}

namespace detail {

/// Owns a getaddrinfo() list.
struct address_list_deleter {
  void operator()(addrinfo* list) const noexcept { ::freeaddrinfo(list); }
};
using address_list = std::unique_ptr<addrinfo, address_list_deleter>;

/// The addresses of a "host:port", for connecting or (passive) for binding.
[[nodiscard]] inline pki::result<address_list> resolve(std::string_view host_port, bool passive) {
  auto parts = parse_host_port(host_port);
  if (!parts) return std::unexpected(parts.error());
  const std::string port = std::to_string(parts->second);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  addrinfo* found = nullptr;
  const int ret = ::getaddrinfo(parts->first.c_str(), port.c_str(), &hints, &found);
  if (ret == EAI_SYSTEM) return system_failure(errno);
  if (ret != 0) return pki::fail(pki::errc::io_failed, "the host name does not resolve to an address");
  return address_list(found);
}

/// Sets or clears O_NONBLOCK.
[[nodiscard]] inline pki::result<void> set_nonblocking(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return system_failure(errno);
  if (::fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK) != 0) return system_failure(errno);
  return {};
}

/// Connects a blocking socket to one address, within connect_timeout. The connect runs
/// non-blocking so that it can time out; the socket is blocking again afterwards.
[[nodiscard]] inline pki::result<socket> connect_one(const addrinfo& address) {
  socket s(::socket(address.ai_family, address.ai_socktype | SOCK_CLOEXEC, address.ai_protocol));
  if (!s.valid()) return system_failure(errno);
  if (auto ok = set_nonblocking(s.fd(), true); !ok) return std::unexpected(ok.error());
  if (::connect(s.fd(), address.ai_addr, address.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) return system_failure(errno);
    if (auto ok = wait_for(s.fd(), POLLOUT, {.idle_timeout = connect_timeout}); !ok) {
      return pki::fail(pki::errc::io_failed, "connecting timed out");
    }
    int status = 0;
    socklen_t size = sizeof status;
    if (::getsockopt(s.fd(), SOL_SOCKET, SO_ERROR, &status, &size) != 0) return system_failure(errno);
    if (status != 0) return system_failure(status);
  }
  if (auto ok = set_nonblocking(s.fd(), false); !ok) return std::unexpected(ok.error());
  return s;
}

/// Turns off Nagle's algorithm: TLS writes a flight as several records, and holding the
/// later ones back until the peer's delayed ACK would add 40 ms to each exchange.
inline void send_immediately(int fd) noexcept {
  const int on = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

}  // namespace detail

/// A blocking TCP connection to "host:port", trying each address the host resolves to;
/// io_failed with the last address's reason when none accepts.
[[nodiscard]] inline pki::result<socket> connect_tcp(std::string_view host_port) {
  auto addresses = detail::resolve(host_port, false);
  if (!addresses) return std::unexpected(addresses.error());
  pki::result<socket> last = pki::fail(pki::errc::io_failed, "the host has no address");
  for (const addrinfo* a = addresses->get(); a != nullptr; a = a->ai_next) {
    last = detail::connect_one(*a);
    if (last) {
      detail::send_immediately(last->fd());
      return last;
    }
  }
  return last;
}

/// A socket listening on "host:port" (port 0: a free port the system picks), with a
/// backlog of `backlog` connections waiting to be accepted.
[[nodiscard]] inline pki::result<socket> listen_tcp(std::string_view host_port, int backlog) {
  auto addresses = detail::resolve(host_port, true);
  if (!addresses) return std::unexpected(addresses.error());
  const addrinfo& a = **addresses;  // the first address only: one listening socket
  socket s(::socket(a.ai_family, a.ai_socktype | SOCK_CLOEXEC, a.ai_protocol));
  if (!s.valid()) return detail::system_failure(errno);
  // A restarted server may bind its port while the last run's connections are in TIME_WAIT.
  const int on = 1;
  if (::setsockopt(s.fd(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) {
    return detail::system_failure(errno);
  }
  if (::bind(s.fd(), a.ai_addr, a.ai_addrlen) != 0) return detail::system_failure(errno);
  if (::listen(s.fd(), backlog) != 0) return detail::system_failure(errno);
  return s;
}

/// The local port a socket is bound to (the one the system chose for port 0).
[[nodiscard]] inline pki::result<std::uint16_t> local_port(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    return detail::system_failure(errno);
  }
  if (address.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  return pki::fail(pki::errc::unsupported, "the socket is neither IPv4 nor IPv6");
}

/// A transport over a connected socket that blocks until the peer sends or takes data,
/// `limits.cancel_fd` is readable, or `limits.idle_timeout` passes (io_failed for both).
/// EINTR is retried; the end of the stream is 0; other failures are io_failed.
[[nodiscard]] inline pki::tls::transport socket_transport(int fd, wait_limits limits) {
  pki::tls::transport io;
  // Each call waits with poll() and then moves what it can without blocking, so a
  // stopping server or a silent peer never leaves a thread stuck in send() or recv().
  io.send = [fd, limits](pki::byte_view data) -> pki::result<std::size_t> {
    for (;;) {
      if (auto ok = detail::wait_for(fd, POLLOUT, limits); !ok) {
        return std::unexpected(ok.error());
      }
      // MSG_NOSIGNAL: a peer that has gone away is an error to report, not a SIGPIPE.
      const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent > 0) return static_cast<std::size_t>(sent);
      if (sent < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
      return detail::system_failure(sent < 0 ? errno : EPIPE);
    }
  };
  io.receive = [fd, limits](std::span<std::uint8_t> buffer) -> pki::result<std::size_t> {
    for (;;) {
      if (auto ok = detail::wait_for(fd, POLLIN, limits); !ok) {
        return std::unexpected(ok.error());
      }
      const ssize_t got = ::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return detail::system_failure(errno);
    }
  };
  return io;
}

/// A transport over a connected socket that blocks as long as the peer does.
[[nodiscard]] inline pki::tls::transport socket_transport(int fd) {
  return socket_transport(fd, wait_limits{});
}

}  // namespace https
