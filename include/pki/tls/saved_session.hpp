#pragma once
// tls::saved_session: what a client keeps of a connection to resume it on the next one
// (RFC 5077 tickets in TLS 1.2, RFC 8446 tickets in TLS 1.3), with the server path the
// library validated when the session was established.

#include <utility>

#include "../core/bytes.hpp"
#include "../validate/chain.hpp"
#include "../validate/policy/policy.hpp"

namespace pki::tls {

/// A resumable client session: mbedTLS's serialised session (which holds the session's
/// secret, so its memory is wiped on release), the peer name it was established for and
/// the validated server path. Copyable; give it to session::client() to resume. A saved
/// session is checked again before it is offered: only to a session expecting the same
/// peer name (RFC 8446 section 4.6.1), and only while its path still validates: at the
/// time of the new connection, under its config's anchors, rules and CRLs. The path's
/// signatures are not verified again (they were when it was validated, and cannot change).
class saved_session {
 public:
  /// mbedTLS's serialisation (mbedtls_ssl_session_save), secret included.
  [[nodiscard]] byte_view bytes() const noexcept { return bytes_; }
  /// The server path validated when the session was first established.
  [[nodiscard]] const chain<>& path() const noexcept { return path_; }
  /// The peer name the session was established for.
  [[nodiscard]] const peer_name& peer() const noexcept { return peer_; }

 private:
  saved_session(secret_buffer bytes, peer_name peer, chain<> path) noexcept
      : bytes_(std::move(bytes)), peer_(std::move(peer)), path_(std::move(path)) {}
  secret_buffer bytes_;
  peer_name peer_;
  chain<> path_;

  friend class session;
};

}  // namespace pki::tls
