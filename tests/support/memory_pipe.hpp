#pragma once
// memory_pipe: an in-memory duplex byte stream whose two ends are pki::tls::transports,
// so that a TLS client and server talk without sockets. Non-blocking (the default), an
// empty end answers errc::would_block and one thread steps both sessions in turn;
// blocking, a receive waits for bytes (mutex and condition variable), for a session on
// each of two threads. A test can also make an end's sends fail with a chosen error (a
// link gone down) or close an end (the other reads the end of the stream).

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include <pki/core/bytes.hpp>
#include <pki/core/error.hpp>
#include <pki/tls/transport.hpp>

namespace pki_test {

class memory_pipe {
 public:
  enum class mode : std::uint8_t { non_blocking, blocking };
  /// The two ends; bytes one sends, the other receives.
  enum class end : std::uint8_t { client = 0, server = 1 };

  explicit memory_pipe(mode m = mode::non_blocking) : shared_(std::make_shared<state>()) {
    shared_->blocking = m == mode::blocking;
  }

  /// The transport of one end; it shares the pipe (the pipe object may go first).
  [[nodiscard]] pki::tls::transport transport(end e) const {
    const auto self = static_cast<std::size_t>(e);
    return {
        .send = [s = shared_, self](pki::byte_view data) { return s->send(self, data); },
        .receive = [s = shared_, self](std::span<std::uint8_t> buffer) { return s->receive(self, buffer); }};
  }
  [[nodiscard]] pki::tls::transport client() const { return transport(end::client); }
  [[nodiscard]] pki::tls::transport server() const { return transport(end::server); }

  /// From now on, every send of `e` fails with `failure` (a link gone down).
  void fail_sends(end e, pki::error failure) {
    const std::lock_guard lock(shared_->mutex);
    shared_->send_failure[static_cast<std::size_t>(e)] = failure;
  }

  /// `e` hangs up: from then on a send from either end fails with connection_closed, and
  /// each end reads what was already sent to it, then the end of the stream (0).
  void close(end e) {
    const std::lock_guard lock(shared_->mutex);
    shared_->closed[static_cast<std::size_t>(e)] = true;
    shared_->changed.notify_all();
  }

  /// The bytes sent to `e` that it has not received yet: the TLS records on the wire.
  [[nodiscard]] std::vector<std::uint8_t> pending(end e) const {
    const std::lock_guard lock(shared_->mutex);
    const auto& queue = shared_->inbox[static_cast<std::size_t>(e)];
    return {queue.begin(), queue.end()};
  }

  /// Bytes sent through the pipe so far, both ways: a stepping loop that sees it stand
  /// still knows that neither side can make progress.
  [[nodiscard]] std::size_t traffic() const {
    const std::lock_guard lock(shared_->mutex);
    return shared_->traffic;
  }

 private:
  struct state {
    mutable std::mutex mutex{};
    std::condition_variable changed{};
    std::array<std::deque<std::uint8_t>, 2> inbox{};  // inbox[e]: bytes waiting for end e
    std::array<std::optional<pki::error>, 2> send_failure{};
    std::array<bool, 2> closed{};
    std::size_t traffic = 0;
    bool blocking = false;

    pki::result<std::size_t> send(std::size_t self, pki::byte_view data) {
      const std::lock_guard lock(mutex);
      if (send_failure[self]) return std::unexpected(*send_failure[self]);
      if (closed[self] || closed[1 - self]) {
        return pki::fail(pki::errc::connection_closed, "memory pipe: the connection is closed");
      }
      inbox[1 - self].insert(inbox[1 - self].end(), data.begin(), data.end());
      traffic += data.size();
      changed.notify_all();
      return data.size();
    }

    pki::result<std::size_t> receive(std::size_t self, std::span<std::uint8_t> buffer) {
      std::unique_lock lock(mutex);
      auto& queue = inbox[self];
      if (blocking) changed.wait(lock, [&] { return !queue.empty() || closed[0] || closed[1]; });
      if (queue.empty()) {
        if (closed[0] || closed[1]) return 0;  // the end of the stream
        return pki::fail(pki::errc::would_block, "memory pipe: nothing to receive yet");
      }
      const std::size_t n = std::min(buffer.size(), queue.size());
      std::copy_n(queue.begin(), n, buffer.begin());
      queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
      return n;
    }
  };

  std::shared_ptr<state> shared_;
};

}  // namespace pki_test
