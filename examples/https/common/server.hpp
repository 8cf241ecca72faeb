#pragma once
// https::server: the HTTPS examples' server. It accepts TCP connections, runs a TLS
// session on each in a thread of its own (at most max_connections at once) and answers
// HTTP/1.1 requests on it until the client closes or asks to:
//
//   auto srv = https::server::listen("127.0.0.1:0", std::move(tls_config), 64);
//   std::printf("listening on 127.0.0.1:%u\n", srv->port());
//   srv->run();   // until srv->stop(), from another thread or a signal handler
//
// GET (and HEAD) of any path answers 200 with a short text naming the path and, under
// mutual TLS, the client's subject; other methods get 405, malformed requests 400.

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pki/core/error.hpp>
#include <pki/tls/config.hpp>
#include <pki/tls/session.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "http.hpp"
#include "socket.hpp"

namespace https {

/// The most connections a server serves at once (each has a thread).
inline constexpr std::size_t max_connections_limit = 4096;
/// How long a connection may stay silent (in the handshake, or between requests) before
/// the server closes it, so that idle clients cannot hold every connection slot.
inline constexpr std::chrono::seconds idle_timeout{30};
/// How long a closing connection waits for the client to close its side (see
/// detail::close_gracefully).
inline constexpr std::chrono::seconds linger_timeout{2};

/// How one connection went, for the server's log.
struct connection_report {
  std::size_t number = 0;    ///< 1 for the first connection accepted; 0: accepting one failed
  bool established = false;  ///< the TLS handshake completed
  std::string version{};     ///< "TLSv1.3"
  std::string cipher_suite{};
  bool resumed = false;
  std::string client{};  ///< the subject of the client certificate validated; empty: none
  /// A resumed session whose ticket this server cannot match to the client validated when
  /// it began (a ticket from before a restart, say).
  bool client_unrecorded = false;
  std::size_t requests = 0;
  std::optional<pki::error> failure{};  ///< why the handshake or the connection failed
};

/// One log line: "connection 3: TLSv1.3 TLS1-3-AES-128-GCM-SHA256; resumed: yes;
/// client: CN=device; requests: 2", or "connection 4: handshake failed: <error>".
[[nodiscard]] inline std::string describe(const connection_report& r) {
  const std::string reason = r.failure ? r.failure->message() : std::string("unknown reason");
  if (r.number == 0) return "accepting a connection failed: " + reason;
  std::string line = "connection " + std::to_string(r.number) + ": ";
  if (!r.established) return line + "handshake failed: " + reason;
  line += r.version + " " + r.cipher_suite + "; resumed: " + (r.resumed ? "yes" : "no");
  line += "; client: ";
  if (!r.client.empty()) {
    line += r.client;
  } else {
    line += r.client_unrecorded ? "unknown (resumed from a ticket this server does not remember)" : "none";
  }
  line += "; requests: " + std::to_string(r.requests);
  if (r.failure) line += "; ended by: " + reason;
  return line;
}

namespace detail {

/// A pipe that, once signalled, stays readable: every thread polling it wakes up. It is
/// how stop() reaches the accept loop and all connections without locks, and writing a
/// byte to a pipe is async-signal-safe.
class wake_signal {
 public:
  [[nodiscard]] static pki::result<wake_signal> create() {
    int fds[2] = {-1, -1};
    // Non-blocking: signal() must never block, even if called from a signal handler.
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return https::detail::system_failure(errno);
    return wake_signal(socket(fds[0]), socket(fds[1]));
  }
  /// The descriptor that becomes readable once signalled.
  [[nodiscard]] int fd() const noexcept { return read_end_.fd(); }
  void signal() const noexcept {
    const char byte = 1;
    // Nothing to do when the write fails: a full pipe is already signalled.
    [[maybe_unused]] const ssize_t written = ::write(write_end_.fd(), &byte, 1);
  }
  /// Waits up to `timeout` for the signal: true once signalled.
  [[nodiscard]] bool wait(std::chrono::milliseconds timeout) const noexcept {
    pollfd watched{.fd = fd(), .events = POLLIN, .revents = 0};
    return ::poll(&watched, 1, static_cast<int>(timeout.count())) > 0;
  }

 private:
  wake_signal(socket read_end, socket write_end) noexcept
      : read_end_(std::move(read_end)), write_end_(std::move(write_end)) {}
  socket read_end_;  // https::socket owns any descriptor, pipe ends included
  socket write_end_;
};

/// What the server answers to GET.
[[nodiscard]] inline std::string greeting(std::string_view target, std::string_view client) {
  std::string body = "hello from pki https-server\npath: ";
  body.append(target).append("\n");
  if (!client.empty()) body.append("client: ").append(client).append("\n");
  return body;
}

/// The response to a well-formed request.
[[nodiscard]] inline std::string respond(const http::request& req, std::string_view client) {
  const bool head = req.method == "HEAD";
  if (req.method != "GET" && !head) {
    return http::format_response(405, "method not allowed: only GET and HEAD\n", req.keep_alive);
  }
  return http::format_response(200, greeting(req.target, client), req.keep_alive, !head);
}

/// Answers a request that could not be read with 400 or 501 when it was malformed, and
/// gives the error back for the log.
[[nodiscard]] inline pki::result<void> refuse(pki::tls::session& tls, const pki::error& why) {
  if (const auto status = http::error_status(why)) {
    // The connection ends either way: a client that cannot take the answer changes nothing.
    (void)http::send(tls, http::format_response(*status, why.message() + "\n", false));
  }
  return std::unexpected(why);
}

/// Serves requests until the client closes the connection, asks to close it, or sends
/// something malformed; counts them in `report`.
[[nodiscard]] inline pki::result<void> serve_requests(pki::tls::session& tls, connection_report& report) {
  http::message_reader reader(tls);
  for (;;) {
    auto head = reader.read_head();
    if (!head) return refuse(tls, head.error());
    if (!*head) return {};  // the client closed the connection between requests
    auto req = http::parse_request(**head);
    if (!req) return refuse(tls, req.error());
    // Request bodies are read and dropped, so the next request starts where it should.
    if (auto body = reader.read_body(req->content_length); !body) return std::unexpected(body.error());
    if (auto sent = http::send(tls, respond(*req, report.client)); !sent) return sent;
    ++report.requests;
    if (!req->keep_alive) return {};
  }
}

/// Sends our FIN, then waits a little for the client's before the socket is closed.
/// Closing a socket with unread data in it sends a reset, which can destroy the last
/// response or alert before the client has read it (RFC 9112 section 9.6).
inline void linger(const socket& s, int cancel_fd) {
  if (::shutdown(s.fd(), SHUT_WR) != 0) return;
  const auto deadline = std::chrono::steady_clock::now() + linger_timeout;
  for (;;) {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    if (!wait_for(s.fd(), POLLIN, {.cancel_fd = cancel_fd, .idle_timeout = left})) return;
    char discard[4096];
    const ssize_t got = ::recv(s.fd(), discard, sizeof discard, MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)) return;
  }
}

/// Everything a server shares with its connection threads.
class server_state {
 public:
  server_state(pki::tls::config tls, socket listener, std::uint16_t port, wake_signal wake,
               std::size_t max_connections)
      : tls_(std::move(tls)),
        listener_(std::move(listener)),
        port_(port),
        wake_(std::move(wake)),
        slots_(static_cast<std::ptrdiff_t>(max_connections)) {}

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::size_t peak() const noexcept { return peak_.load(); }
  [[nodiscard]] std::size_t served() const noexcept { return served_.load(); }
  [[nodiscard]] std::size_t resumed() const noexcept { return resumed_.load(); }
  void stop_after(std::size_t connections) noexcept { stop_after_ = connections; }
  void on_connection_end(std::function<void(const connection_report&)> observer) {
    observer_ = std::move(observer);
  }

  // Only an atomic and write(): safe in a signal handler.
  void stop() noexcept {
    if (!stopping_.exchange(true)) wake_.signal();
  }

  void run() {
    for (;;) {
      // The slot is taken before accept(): over the limit, clients wait in the backlog.
      slots_.acquire();
      join_finished();
      auto next = accept_next();
      if (next && *next) {
        start_connection(std::move(**next));
        continue;
      }
      slots_.release();
      if (next) break;  // stopping
      report_accept_failure(next.error());
    }
    // New clients are refused from now on rather than left waiting in the backlog.
    listener_.close();
    join_all();
  }

 private:
  using worker_list = std::list<std::thread>;

  /// The next connection; nullopt once the server is stopping.
  [[nodiscard]] pki::result<std::optional<socket>> accept_next() {
    for (;;) {
      if (auto ready = wait_for(listener_.fd(), POLLIN, {.cancel_fd = wake_.fd()}); !ready) {
        if (stopping_.load()) return std::nullopt;
        return std::unexpected(ready.error());
      }
      socket s(::accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC));
      if (s.valid()) {
        send_immediately(s.fd());
        return std::optional<socket>(std::move(s));
      }
      // A client that gave up before being accepted, or a signal: try the next one.
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ||
          errno == EPROTO) {
        continue;
      }
      return system_failure(errno);
    }
  }

  // Out of descriptors or memory: report it, and pause so as not to spin on a backlog
  // that cannot be accepted now.
  void report_accept_failure(const pki::error& why) {
    connection_report report;
    report.failure = why;
    if (observer_) observer_(report);
    (void)wake_.wait(std::chrono::milliseconds(100));
  }

  void start_connection(socket s) {
    const std::size_t number = ++accepted_;
    note_active(active_.fetch_add(1) + 1);
    if (spawn(std::move(s), number)) return;
    // No thread for it: the connection closes unserved, the server goes on.
    --active_;
    slots_.release();
    connection_report report{.number = number};
    report.failure = pki::error(pki::errc::out_of_memory, "no thread could be started for the connection");
    if (observer_) observer_(report);
  }

  // Starts the connection's thread, listed in workers_ for joining; false when the system
  // has no thread to give (std::thread says so with an exception).
  [[nodiscard]] bool spawn(socket s, std::size_t number) {
    const std::lock_guard lock(workers_lock_);
    const auto self = workers_.emplace(workers_.end());
    try {
      *self = std::thread(&server_state::serve, this, std::move(s), number, self);
      return true;
    } catch (const std::system_error&) {
      workers_.erase(self);
      return false;
    }
  }

  void note_active(std::size_t now) noexcept {
    std::size_t seen = peak_.load();
    while (seen < now && !peak_.compare_exchange_weak(seen, now)) {
    }
  }

  // The body of a connection thread.
  void serve(socket s, std::size_t number, worker_list::iterator self) {
    connection_report report{.number = number};
    serve_connection(s, report);
    linger(s, wake_.fd());
    finish(report, self);
  }

  void serve_connection(const socket& s, connection_report& report) {
    const wait_limits limits{
        .cancel_fd = wake_.fd(), .cancel_reason = "the server is stopping", .idle_timeout = idle_timeout};
    auto tls = pki::tls::session::server(tls_, socket_transport(s.fd(), limits));
    if (!tls) {
      report.failure = tls.error();
      return;
    }
    if (auto ok = tls->handshake(); !ok) {
      report.failure = ok.error();  // mbedTLS has sent the client the fitting alert
      return;
    }
    record_handshake(*tls, report);
    if (auto served = serve_requests(*tls, report); !served) report.failure = served.error();
    // A client that has already gone cannot receive close_notify; nothing more to do then.
    (void)tls->close();
  }

  void record_handshake(const pki::tls::session& tls, connection_report& report) {
    report.established = true;
    report.version = tls.version();
    report.cipher_suite = tls.cipher_suite();
    report.resumed = tls.resumed();
    // Only a validated certificate names the client (a server without client trust
    // neither asks for one nor checks it). A resumed session has the client validated when
    // it began, when the ticket is one this server remembers issuing.
    if (tls_.authenticates_peer() && tls.peer_certificate()) {
      report.client = tls.peer_certificate()->subject().to_string();
    } else if (tls_.authenticates_peer() && report.resumed) {
      report.client_unrecorded = true;
    }
    ++served_;
    if (report.resumed) ++resumed_;
  }

  void finish(const connection_report& report, worker_list::iterator self) {
    if (observer_) observer_(report);
    const std::size_t ended = ++ended_;
    --active_;  // before the slot is released, so that active_ never exceeds the limit
    {
      const std::lock_guard lock(workers_lock_);
      finished_.push_back(self);
    }
    slots_.release();
    if (stop_after_ != 0 && ended >= stop_after_) stop();
  }

  // Threads that have finished are joined at the next accept, so at most max_connections
  // of them wait to be joined.
  void join_finished() {
    std::vector<std::thread> done;
    {
      const std::lock_guard lock(workers_lock_);
      for (const auto self : finished_) {
        done.push_back(std::move(*self));
        workers_.erase(self);
      }
      finished_.clear();
    }
    for (auto& t : done) t.join();
  }

  void join_all() {
    worker_list all;
    {
      const std::lock_guard lock(workers_lock_);
      all.swap(workers_);
      finished_.clear();
    }
    for (auto& t : all) t.join();
  }

  const pki::tls::config tls_;
  socket listener_;  // used by run() only
  const std::uint16_t port_;
  const wake_signal wake_;
  std::counting_semaphore<max_connections_limit> slots_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> accepted_{0};
  std::atomic<std::size_t> active_{0};
  std::atomic<std::size_t> peak_{0};
  std::atomic<std::size_t> served_{0};
  std::atomic<std::size_t> resumed_{0};
  std::atomic<std::size_t> ended_{0};
  // Set before run(), read by the connection threads it starts.
  std::size_t stop_after_ = 0;
  std::function<void(const connection_report&)> observer_{};
  std::mutex workers_lock_;
  worker_list workers_{};                          // guarded by workers_lock_
  std::vector<worker_list::iterator> finished_{};  // guarded by workers_lock_
};

}  // namespace detail

/// An HTTPS server: TLS over TCP, a thread per connection, HTTP/1.1 with keep-alive.
/// Movable; run() and the counters may be used from different threads.
class server {
 public:
  /// Binds `host_port` ("127.0.0.1:8443"; port 0: a free port) and listens, to serve
  /// sessions of `tls` (a server config) with at most `max_connections` at once (1 to
  /// max_connections_limit); invalid_argument or the socket's io_failed otherwise.
  [[nodiscard]] static pki::result<server> listen(std::string_view host_port, pki::tls::config tls,
                                                  std::size_t max_connections) {
    if (!tls.is_server()) {
      return pki::fail(pki::errc::invalid_argument, "https::server needs a server config");
    }
    if (max_connections == 0 || max_connections > max_connections_limit) {
      return pki::fail(pki::errc::invalid_argument, "the connection limit is from 1 to 4096");
    }
    auto listener = listen_tcp(host_port, SOMAXCONN);
    if (!listener) return std::unexpected(listener.error());
    // accept() after poll() must not block when the client has given up in between.
    if (auto ok = detail::set_nonblocking(listener->fd(), true); !ok) return std::unexpected(ok.error());
    auto port = local_port(listener->fd());
    if (!port) return std::unexpected(port.error());
    auto wake = detail::wake_signal::create();
    if (!wake) return std::unexpected(wake.error());
    return server(std::make_unique<detail::server_state>(std::move(tls), std::move(*listener), *port,
                                                         std::move(*wake), max_connections));
  }

  /// The port listened on (the one the system chose for port 0).
  [[nodiscard]] std::uint16_t port() const noexcept { return state_->port(); }

  /// Accepts and serves connections until stop(); returns once every connection thread
  /// has ended. A stopped server does not start again.
  void run() { state_->run(); }

  /// Makes run() return: open connections end at their next wait for the client. Safe
  /// from any thread and from a signal handler.
  void stop() noexcept { state_->stop(); }

  /// The most connections served at the same time so far.
  [[nodiscard]] std::size_t peak_connections() const noexcept { return state_->peak(); }
  /// Connections whose handshake completed.
  [[nodiscard]] std::size_t connections_served() const noexcept { return state_->served(); }
  /// Of those, the ones that resumed an earlier session.
  [[nodiscard]] std::size_t resumed_connections() const noexcept { return state_->resumed(); }

  /// Stops by itself once `connections` connections have ended (0: never). Call before run().
  void stop_after(std::size_t connections) noexcept { state_->stop_after(connections); }
  /// Calls `observer` as each connection ends, on that connection's thread (so it may run
  /// concurrently with itself), and when accepting fails. Call before run().
  void on_connection_end(std::function<void(const connection_report&)> observer) {
    state_->on_connection_end(std::move(observer));
  }

 private:
  explicit server(std::unique_ptr<detail::server_state> state) noexcept : state_(std::move(state)) {}
  std::unique_ptr<detail::server_state> state_;
};

}  // namespace https
