#pragma once
// How a TLS session moves its bytes: two callbacks over whatever carries them: a
// socket, a firmware network stack, or an in-memory pipe in a test.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "../core/bytes.hpp"
#include "../core/error.hpp"

namespace pki::tls {

/// A byte stream the session reads and writes. Blocking transports simply block;
/// non-blocking ones return errc::would_block, and the session call that needed them
/// (handshake, read, write, close) then returns would_block too and is called again
/// when the transport is ready.
struct transport {
  /// Sends a prefix of `data`: the number of bytes taken (more than 0), would_block, or
  /// any other error (it ends the session with that error).
  std::function<result<std::size_t>(byte_view data)> send{};
  /// Receives into `buffer`: the number of bytes stored (more than 0), 0 when the peer
  /// has closed the stream, would_block, or any other error.
  std::function<result<std::size_t>(std::span<std::uint8_t> buffer)> receive{};
};

}  // namespace pki::tls
