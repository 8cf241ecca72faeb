#pragma once
// tls::session: one TLS connection over a transport (tls/transport.hpp), made from a
// tls::config. It owns the mbedTLS ssl_context and judges the peer's certificate chain with
// the library's validator, from inside the handshake, so that a refused peer gets the
// right alert and the caller gets the validator's error (rule and depth).
//
//   auto tls = pki::tls::session::client(config, socket_transport(fd),
//   *pki::tls::parse_peer_name("api.acme.example")); if (auto ok = tls->handshake(); !ok) return
//   report(ok.error());  // e.g. expired, depth 1 tls->write_all(pki::as_bytes("GET / HTTP/1.1\r\n..."));
//   auto n = tls->read(buffer);                                         // 0: close_notify
//   auto again = tls->save();                                          // resume next time

#include <algorithm>
#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <mbedtls/platform.h>

#include "../core/bytes.hpp"
#include "../core/detail/handle.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../validate/chain.hpp"
#include "../validate/link_cache.hpp"
#include "../validate/policy/policy.hpp"
#include "../x509/certificate.hpp"
#include "../x509/general_name.hpp"
#include "config.hpp"
#include "detail/peer_certificates.hpp"
#include "detail/tls_error.hpp"
#include "detail/wire_version.hpp"
#include "saved_session.hpp"
#include "transport.hpp"

namespace pki::tls {

/// The peer name a client expects, from text: an IPv4 or IPv6 address when it reads as
/// one, else a host name (dns_name::host()); invalid_argument otherwise.
[[nodiscard]] inline result<peer_name> parse_peer_name(std::string_view text) {
  if (auto ip = ip_address::parse(text)) return peer_name{*ip};
  auto host = dns_name::host(text);
  if (!host) return std::unexpected(host.error());
  return peer_name{std::move(*host)};
}

}  // namespace pki::tls

namespace pki::detail {

using ssl_handle = detail::handle<mbedtls_ssl_context, mbedtls_ssl_init, mbedtls_ssl_free>;
using ssl_session_handle =
    detail::handle<mbedtls_ssl_session, mbedtls_ssl_session_init, mbedtls_ssl_session_free>;

/// The mbedTLS verification flags that make mbedTLS send the alert fitting a verdict
/// (RFC 8446 section 6.2; mbedtls_ssl_verify_certificate picks the alert from the flags);
/// SKIP_VERIFY selects none of them: certificate_unknown.
[[nodiscard]] constexpr std::uint32_t alert_flags(errc code) noexcept {
  switch (code) {
    case errc::expired: return MBEDTLS_X509_BADCERT_EXPIRED;        // certificate_expired
    case errc::revoked: return MBEDTLS_X509_BADCERT_REVOKED;        // certificate_revoked
    case errc::untrusted: return MBEDTLS_X509_BADCERT_NOT_TRUSTED;  // unknown_ca
    case errc::name_mismatch:                                       // bad_certificate
    case errc::parse_failed: return MBEDTLS_X509_BADCERT_CN_MISMATCH;
    case errc::usage_not_allowed: return MBEDTLS_X509_BADCERT_EXT_KEY_USAGE;  // unsupported_certificate
    case errc::weak_algorithm: return MBEDTLS_X509_BADCERT_BAD_KEY;           // unsupported_certificate
    case errc::unsupported: return MBEDTLS_X509_BADCERT_BAD_PK;               // unsupported_certificate
    default: return MBEDTLS_X509_BADCERT_SKIP_VERIFY;
  }
}

#if PKI_HAS_TLS_PEER_PRECHECK
/// Points mbedTLS's trusted-issuer callback of this thread at a session while a call into
/// mbedTLS runs (see detail::precheck_peer).
class precheck_watch {
 public:
  explicit precheck_watch(const peer_precheck& hook) noexcept
      : previous_(std::exchange(current_precheck, &hook)) {}
  precheck_watch(const precheck_watch&) = delete;
  precheck_watch& operator=(const precheck_watch&) = delete;
  ~precheck_watch() { current_precheck = previous_; }

 private:
  const peer_precheck* previous_;
};
#endif

/// Points the ticket callbacks of this thread at a session's ticket_context while a call
/// into mbedTLS runs (see endpoint_state::parse_ticket).
class ticket_watch {
 public:
  explicit ticket_watch(ticket_context& context) noexcept
      : previous_(std::exchange(current_ticket, &context)) {}
  ticket_watch(const ticket_watch&) = delete;
  ticket_watch& operator=(const ticket_watch&) = delete;
  ~ticket_watch() { current_ticket = previous_; }

 private:
  ticket_context* previous_;
};

}  // namespace pki::detail

namespace pki::tls {

/// The explicit choice of a client that accepts a server certificate for any name, for a
/// policy that identifies the server otherwise (policy::spki_pin, a private anchor for one
/// server): `session::client(cfg, io, tls::any_peer_name)`.
struct any_peer_name_t {
  explicit constexpr any_peer_name_t() = default;
};
inline constexpr any_peer_name_t any_peer_name{};

/// One TLS connection. Move-only; the config it was made from stays alive with it.
class session {
 public:
  /// A client session expecting `expected` (a host name is also sent as SNI; an address is
  /// checked against the certificate's IP entries). `resume`, when given and still valid for
  /// `expected`, is offered for resumption. invalid_argument for a server config, or when
  /// `expected` names no peer and the config's policy checks host names (say
  /// tls::any_peer_name to accept any).
  [[nodiscard]] static result<session> client(const config& cfg, transport io, peer_name expected,
                                              const saved_session* resume = nullptr) {
    if (!cfg.is_server() && std::holds_alternative<std::monostate>(expected) &&
        cfg.state_->checks_host_name) {
      return fail(
          errc::invalid_argument,
          "a TLS client whose policy checks host names needs the name it expects (or tls::any_peer_name)");
    }
    return make_client(cfg, std::move(io), std::move(expected), resume);
  }
  /// A client session that accepts the server's certificate for any name (see any_peer_name).
  [[nodiscard]] static result<session> client(const config& cfg, transport io, any_peer_name_t,
                                              const saved_session* resume = nullptr) {
    return make_client(cfg, std::move(io), peer_name{}, resume);
  }
  /// A server session.
  [[nodiscard]] static result<session> server(const config& cfg, transport io) {
    return detail::out_of_memory_guard("starting a TLS session", [&]() -> result<session> {
      if (!cfg.is_server()) return fail(errc::invalid_argument, "session::server needs a server config");
      return make(cfg, std::move(io));
    });
  }

  session(session&&) noexcept = default;
  session& operator=(session&&) noexcept = default;
  session(const session&) = delete;
  session& operator=(const session&) = delete;
  ~session() = default;

  /// Runs the handshake to its end. A peer chain the policy refuses gives the validator's
  /// error (errc and depth: expired at depth 1, say); errc::certificate_required when a
  /// required client certificate is missing; errc::peer_alert when the peer refused us.
  [[nodiscard]] result<void> handshake() {
    return detail::out_of_memory_guard("TLS handshake", [&]() -> result<void> {
      auto& s = *state_;
      if (s.established) return {};
      const int ret = call([&] { return mbedtls_ssl_handshake(&*s.ssl); });
      if (ret != 0) {
        const error failed = failure(ret, "TLS handshake");
        if (const auto alert = missing_alert(ret)) {
          // Best effort: the handshake failed anyway.
          (void)call(
              [&] { return mbedtls_ssl_send_alert_message(&*s.ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL, *alert); });
        }
        return std::unexpected(failed);
      }
      s.established = true;
      if (!s.config->server && resumed()) s.path = s.resumed_path;  // a server's came with the ticket
      remember_peer();
      if (!s.config->server && detail::wire_version(*s.ssl) == MBEDTLS_SSL_VERSION_TLS1_2) {
        capture_session();  // a TLS 1.2 ticket comes within the handshake
      }
      return {};
    });
  }

  /// Reads application data into `buffer` (handshaking first if needed): the number of
  /// bytes, or 0 once the peer has sent close_notify.
  [[nodiscard]] result<std::size_t> read(std::span<std::uint8_t> buffer) {
    return detail::out_of_memory_guard("reading TLS application data", [&]() -> result<std::size_t> {
      if (auto ok = handshake(); !ok) return std::unexpected(ok.error());
      auto& s = *state_;
      if (s.peer_closed) return 0;
      for (;;) {
        const int ret = call([&] { return mbedtls_ssl_read(&*s.ssl, buffer.data(), buffer.size()); });
        if (ret > 0) return static_cast<std::size_t>(ret);
        if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
          s.peer_closed = true;
          return 0;
        }
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
          capture_session();  // a TLS 1.3 ticket: keep it, then go on reading
          continue;
        }
        return std::unexpected(failure(ret, "reading TLS application data"));
      }
    });
  }

  /// Writes a prefix of `data` as one record at most: the number of bytes taken. With a
  /// non-blocking transport, after would_block call again with the same data.
  [[nodiscard]] result<std::size_t> write(byte_view data) {
    if (auto ok = handshake(); !ok) return std::unexpected(ok.error());
    const int ret = call([&] { return mbedtls_ssl_write(&*state_->ssl, data.data(), data.size()); });
    if (ret < 0) return std::unexpected(failure(ret, "writing TLS application data"));
    return static_cast<std::size_t>(ret);
  }

  /// Writes all of `data` (for blocking transports).
  [[nodiscard]] result<void> write_all(byte_view data) {
    while (!data.empty()) {
      auto n = write(data);
      if (!n) return std::unexpected(n.error());
      data = data.subspan(*n);
    }
    return {};
  }

  /// Sends close_notify: the orderly end of the connection (the transport stays open).
  [[nodiscard]] result<void> close() {
    if (!state_->established) return {};
    const int ret = call([&] { return mbedtls_ssl_close_notify(&*state_->ssl); });
    if (ret != 0) return std::unexpected(failure(ret, "sending close_notify"));
    return {};
  }

  [[nodiscard]] bool established() const noexcept { return state_->established; }
  /// True when the handshake resumed an earlier session (no certificates were exchanged).
  [[nodiscard]] bool resumed() const noexcept {
    const auto& s = *state_;
    if (!s.established || s.verified) return false;
    return s.config->server ? s.ticket.accepted : s.offered;
  }
  /// "TLSv1.2" or "TLSv1.3".
  [[nodiscard]] std::string_view version() const noexcept { return mbedtls_ssl_get_version(&*state_->ssl); }
  /// The negotiated cipher suite, e.g. "TLS1-3-AES-256-GCM-SHA384".
  [[nodiscard]] std::string_view cipher_suite() const noexcept {
    const char* name = mbedtls_ssl_get_ciphersuite(&*state_->ssl);
    return name != nullptr ? name : "";
  }
  /// The negotiated application protocol, or empty.
  [[nodiscard]] std::string_view alpn() const noexcept {
#if PKI_HAS_ALPN
    const char* name = mbedtls_ssl_get_alpn_protocol(&*state_->ssl);
    return name != nullptr ? name : "";
#else
    return {};
#endif
  }
  /// The peer's certificate, once the handshake is done and when the peer presented one;
  /// on a resumed session the leaf of peer_path(), else the one mbedTLS kept in the ticket.
  [[nodiscard]] const std::optional<certificate<>>& peer_certificate() const noexcept {
    return state_->peer_certificate;
  }
  /// The path the validator accepted, leaf first; empty when the peer is not authenticated
  /// (a server without client trust). On a resumed session, the path validated when the
  /// session was established: a client has it from its saved_session; a server from the
  /// tickets this config issued, in memory (after a restart, or from a ticket another
  /// server issued, it is empty).
  [[nodiscard]] const chain<>& peer_path() const noexcept {
    return state_->path;
  }

  /// The session to resume on a later connection (client only). A TLS 1.2 session is there
  /// once the handshake is done; a TLS 1.3 ticket arrives after it, with the first data
  /// read. invalid_argument when there is none (yet).
  [[nodiscard]] result<saved_session> save() const {
    const auto& s = *state_;
    if (s.config->server) return fail(errc::invalid_argument, "saving a session: only a client resumes");
    if (!s.saved)
      return fail(errc::invalid_argument, "saving a session: the server has sent no session ticket yet");
    return *s.saved;
  }

  /// The mbedTLS context, for what this library does not wrap.
  [[nodiscard]] mbedtls_ssl_context& native() const noexcept {
    return *state_->ssl;
  }

 private:
  struct state {
    std::shared_ptr<detail::endpoint_state> config;  // first: outlives the context
    detail::ssl_handle ssl{};
    transport io{};
    peer_name expected{};
    std::optional<error> transport_error{};
    std::optional<error> verdict{};  // the validator's refusal of the peer chain
    chain<> path{};
    chain<> resumed_path{};
    std::optional<certificate<>> peer_certificate{};
    std::optional<saved_session> saved{};
    bool verified = false;            // the peer's chain was checked in this handshake
    bool offered = false;             // a client offered a saved session
    detail::ticket_context ticket{};  // what a server's ticket callbacks saw
    bool prejudged = false;           // the chain was judged before mbedTLS verified any of it
    // What mbedTLS's own check of the peer chain found (verify_cb), by depth of the chain
    // it built: the certificate, and whether its signature verified under the next one's
    // key. The validator takes those links as verified, so no signature is checked twice.
    struct checked_link {
      const mbedtls_x509_crt* crt = nullptr;
      bool signed_by_next = false;
    };
    std::array<checked_link, MBEDTLS_X509_MAX_VERIFY_CHAIN_SIZE> mbedtls_checked{};
    std::size_t mbedtls_checked_count = 0;
#if PKI_HAS_TLS_PEER_PRECHECK
    detail::peer_precheck precheck{};  // how mbedTLS's trusted-issuer callback reaches judge_first
#endif
    bool established = false;
    bool peer_closed = false;
    bool transport_blocked = false;  // the transport said would_block in this call

    /// The validator's verdict on a chain the peer sent, leaf first, the rest in any order.
    [[nodiscard]] result<chain<>> validate(std::span<const certificate<>> sent,
                                           verified_link_cache* checked = nullptr) const {
      if (sent.empty()) return fail(errc::certificate_required, "the peer sent no certificate");
      auto opts = options();
      opts.link_cache = checked;
      return config->verifier->verify(sent.front(), sent.subspan(1), opts);
    }
    /// The verdict now on a path validated when a saved session was established: its
    /// signatures stand, what can change since (time, CRLs, peer name, anchors) is checked.
    [[nodiscard]] result<chain<>> recheck(std::span<const certificate<>> path) const {
      return config->verifier->recheck(path, options());
    }
    [[nodiscard]] validation_options options() const {
      validation_options options{.peer = expected, .crls = config->crls, .budget = config->budget};
      if (config->clock) options.time = config->clock();
      return options;
    }
  };

  explicit session(std::unique_ptr<state> s) noexcept : state_(std::move(s)) {}

  [[nodiscard]] static result<session> make_client(const config& cfg, transport io, peer_name expected,
                                                   const saved_session* resume) {
    return detail::out_of_memory_guard("starting a TLS session", [&]() -> result<session> {
      if (cfg.is_server()) return fail(errc::invalid_argument, "session::client needs a client config");
      auto made = make(cfg, std::move(io));
      if (!made) return made;
      auto& s = *made->state_;
      s.expected = std::move(expected);
      const auto* host = std::get_if<dns_name>(&s.expected);
      int ret = mbedtls_ssl_set_hostname(&*s.ssl, host != nullptr ? host->value.c_str() : nullptr);
      if (ret != 0) return detail::tls_failure(ret, "setting the expected host name");
      if (resume != nullptr) {
        if (auto ok = made->offer(*resume); !ok) return std::unexpected(ok.error());
      }
      return made;
    });
  }

  // Calls into mbedTLS. mbedTLS also answers WANT_READ when it has consumed a record that
  // carried no data for the caller (a TLS 1.3 ticket, say), with more maybe in its buffer:
  // that is only passed on as would_block when the transport itself said so.
  template <class Call>
  int call(Call&& mbedtls_call) {
    auto& s = *state_;
    const detail::ticket_watch watch(s.ticket);
#if PKI_HAS_TLS_PEER_PRECHECK
    const detail::precheck_watch prechecked(s.precheck);
#endif
    for (;;) {
      s.transport_blocked = false;
      const int ret = mbedtls_call();
      const bool want = ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE;
      if (!want || s.transport_blocked) return ret;
    }
  }

  [[nodiscard]] static result<session> make(const config& cfg, transport io) {
    if (!io.send || !io.receive)
      return fail(errc::invalid_argument, "a TLS transport needs send and receive");
    auto s = std::make_unique<state>();
    s->config = cfg.state_;
    s->io = std::move(io);
    auto ssl = detail::ssl_handle::create();
    if (!ssl) return std::unexpected(ssl.error());
    s->ssl = std::move(*ssl);
    int ret = mbedtls_ssl_setup(&*s->ssl, &*s->config->conf);
    if (ret != 0) return detail::tls_failure(ret, "setting up a TLS session");
    mbedtls_ssl_set_bio(&*s->ssl, s.get(), send_cb, receive_cb, nullptr);
    if (s->config->verifier) mbedtls_ssl_set_verify(&*s->ssl, verify_cb, s.get());
#if PKI_HAS_TLS_PEER_PRECHECK
    s->precheck = {s.get(), judge_first};
#endif
    s->ticket.path = &s->path;
    return session(std::move(s));
  }

  // A saved session is offered only to the peer name it was established for, and only if
  // its path still validates now: a ticket for one host must not resume a connection to
  // another (and mbedTLS fails a TLS 1.3 handshake whose ticket names another host). Its
  // signatures were verified when it was established (a saved_session is made only from a
  // validated path), so the recheck verifies none and checks all else again.
  [[nodiscard]] result<void> offer(const saved_session& saved) {
    auto& s = *state_;
    if (saved.path().empty() || saved.peer() != s.expected) return {};
    const std::vector<certificate<>> path(saved.path().begin(), saved.path().end());
    if (!s.recheck(path)) return {};
    auto native = detail::ssl_session_handle::create();
    if (!native) return std::unexpected(native.error());
    int ret = mbedtls_ssl_session_load(native->get(), saved.bytes().data(), saved.bytes().size());
    if (ret != 0) return {};  // from another mbedTLS build or configuration: not resumable
    ret = mbedtls_ssl_set_session(&*s.ssl, native->get());
    if (ret != 0) return {};
    s.offered = true;
    s.resumed_path = saved.path();
    return {};
  }

  // The alert a failed handshake owes the peer where mbedTLS sends none, so that the peer
  // does not wait for a flight that never comes.
  [[nodiscard]] std::optional<unsigned char> missing_alert(int ret) const {
    const bool tls1_2 = detail::wire_version(*state_->ssl) == MBEDTLS_SSL_VERSION_TLS1_2;
    // mbedTLS's TLS 1.2 server refuses an empty client Certificate without an alert
    // (mbedtls_ssl_parse_certificate); RFC 5246 section 7.4.6 answers it with handshake_failure.
    if (ret == MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE && tls1_2)
      return MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE;
    // mbedTLS's TLS 1.3 parser fails a Certificate message whose last certificate has a
    // signature algorithm it does not know, without an alert (the end of
    // mbedtls_ssl_tls13_parse_certificate returns the skipped entry's code).
    if (ret == unknown_signature_algorithm) return MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT;
    return std::nullopt;
  }

  static constexpr int unknown_signature_algorithm =
      MBEDTLS_ERR_X509_UNKNOWN_SIG_ALG + MBEDTLS_ERR_OID_NOT_FOUND;

  // mbedTLS failed to parse a certificate the peer sent, before the verify callback could
  // judge it: the library's reason for the first certificate it cannot parse either, at
  // its depth, else unsupported, unlocated.
  [[nodiscard]] error unreadable_peer_certificate(int ret) const {
    const auto entries = detail::peer_certificates(*state_->ssl, nullptr);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      auto cert = certificate<>::from_der(entries[i]);
      if (!cert) return error(cert.error().code(), cert.error().context(), ret, static_cast<int>(i));
    }
    // The library reads them all: mbedTLS's own X.509 parser refuses one, most likely for a
    // critical extension it does not know (name constraints, policy constraints).
    return error(
        errc::unsupported,
        "mbedTLS 3.6 cannot parse a certificate the peer sent (a critical extension it does not know?)", ret);
  }

  // The error for a failed mbedTLS call: what the transport or the validator said first.
  [[nodiscard]] error failure(int ret, const char* context) const {
    const auto& s = *state_;
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) {
      return error(errc::would_block, context, ret);
    }
    if (s.transport_error) return *s.transport_error;
    if (s.verdict) return *s.verdict;
    if (!s.established && is_x509_error(ret)) return unreadable_peer_certificate(ret);
    if (ret == MBEDTLS_ERR_SSL_BAD_CERTIFICATE) {
      // The validator accepted the chain and mbedTLS's own check of the leaf for this key
      // exchange did not (keyUsage without digitalSignature, say).
      return error(errc::usage_not_allowed,
                   "the peer certificate's key usage does not allow this TLS key exchange", ret, 0);
    }
    return error(detail::errc_from_tls(ret), context, ret);
  }

  // An error of mbedTLS's X.509 module (MBEDTLS_ERR_X509_*, alone or over a low-level code).
  [[nodiscard]] static constexpr bool is_x509_error(int ret) noexcept {
    const int high = (-ret) & 0xFF80;
    return ret < 0 && high >= 0x2000 && high < 0x3000;
  }

  void capture_session() {
    auto& s = *state_;
    auto native = detail::ssl_session_handle::create();
    if (!native) return;
    if (mbedtls_ssl_get_session(&*s.ssl, native->get()) != 0) return;
    std::size_t size = 0;
    (void)mbedtls_ssl_session_save(native->get(), nullptr, 0, &size);
    secret_buffer bytes(size);
    if (size == 0 || mbedtls_ssl_session_save(native->get(), bytes.data(), bytes.size(), &size) != 0) return;
    s.saved.emplace(saved_session(std::move(bytes), s.expected, s.path));
  }

  // The peer's certificate: the validated leaf, else the one mbedTLS kept in a ticket.
  void remember_peer() {
    auto& s = *state_;
    if (!s.path.empty()) {
      s.peer_certificate = s.path.leaf();
      return;
    }
#if defined(MBEDTLS_SSL_KEEP_PEER_CERTIFICATE)
    const mbedtls_x509_crt* peer = mbedtls_ssl_get_peer_cert(&*s.ssl);
    if (peer == nullptr || peer->raw.p == nullptr) return;
    auto cert = certificate<>::from_der(byte_view(peer->raw.p, peer->raw.len));
    if (cert) s.peer_certificate = std::move(*cert);
#endif
  }

  // The transport is the caller's code: whatever it throws becomes the transport's error
  // here, never an exception unwinding through mbedTLS.
  static int send_cb(void* p, const unsigned char* data, std::size_t size) {
    auto& s = *static_cast<state*>(p);
    std::optional<error> thrown;
    const int ret = detail::callback_guard(MBEDTLS_ERR_SSL_INTERNAL_ERROR, thrown, [&] {
      auto sent = s.io.send(byte_view(data, std::min<std::size_t>(size, INT_MAX)));
      if (sent && *sent > 0) return static_cast<int>(std::min<std::size_t>(*sent, size));
      if (!sent && sent.error() == errc::would_block) {
        s.transport_blocked = true;
        return MBEDTLS_ERR_SSL_WANT_WRITE;
      }
      s.transport_error = sent ? error(errc::io_failed, "the transport sent nothing") : sent.error();
      return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
    });
    if (thrown) s.transport_error = *thrown;
    return ret;
  }

  static int receive_cb(void* p, unsigned char* buffer, std::size_t size) {
    auto& s = *static_cast<state*>(p);
    std::optional<error> thrown;
    const int ret = detail::callback_guard(MBEDTLS_ERR_SSL_INTERNAL_ERROR, thrown, [&] {
      auto got = s.io.receive(std::span<std::uint8_t>(buffer, std::min<std::size_t>(size, INT_MAX)));
      if (got) return static_cast<int>(std::min<std::size_t>(*got, size));  // 0: end of stream
      if (got.error() == errc::would_block) {
        s.transport_blocked = true;
        return MBEDTLS_ERR_SSL_WANT_READ;
      }
      s.transport_error = got.error();
      return MBEDTLS_ERR_SSL_INTERNAL_ERROR;
    });
    if (thrown) s.transport_error = *thrown;
    return ret;
  }

#if PKI_HAS_TLS_PEER_PRECHECK
  // mbedTLS asks for the trusted issuers of each certificate it walks up from, the leaf
  // first, before it verifies any signature: the library judges the whole chain then. A
  // refusal stops mbedTLS there (its verification fails, it sends access_denied); an
  // accepted chain continues with the leaf's issuer on the validated path as trusted, so
  // mbedTLS checks one link and none of the others the peer sent.
  static int judge_first(void* p, const mbedtls_x509_crt* child, mbedtls_x509_crt** trusted) {
    auto& s = *static_cast<state*>(p);
    if (s.prejudged) return 0;  // a later link: nothing more to judge
    s.verified = true;
    s.verdict.reset();
    s.path = {};
    auto path = judge(s, child);
    if (!path) {
      s.verdict = path.error();
      return MBEDTLS_ERR_X509_FATAL_ERROR;
    }
    s.path = std::move(*path);
    s.prejudged = true;
    if (s.path.size() < 2) return 0;  // the leaf is an anchor itself
    auto* issuer = static_cast<mbedtls_x509_crt*>(mbedtls_calloc(1, sizeof(mbedtls_x509_crt)));
    if (issuer == nullptr) return MBEDTLS_ERR_X509_ALLOC_FAILED;
    mbedtls_x509_crt_init(issuer);
    const auto der = s.path[1].der();
    if (mbedtls_x509_crt_parse_der_with_ext_cb(issuer, der.data(), der.size(), 1, detail::accept_any,
                                               nullptr) != 0) {
      mbedtls_x509_crt_free(issuer);
      mbedtls_free(issuer);
      return 0;  // mbedTLS looks among what the peer sent, all of it accepted by the library
    }
    *trusted = issuer;  // mbedTLS frees it
    return 0;
  }
#endif

  // mbedTLS calls this for each certificate of the chain it built, the leaf last (depth
  // 0). Its own verdicts are cleared: at depth 0 the library's validator judges the whole
  // chain the peer sent, in whatever order it came (unless judge_first already did).
  // mbedTLS flags a certificate NOT_TRUSTED when it found no issuer for it or the issuer's
  // key did not verify its signature (x509_crt_verify_chain): without the flag, the link to
  // the next certificate of its chain verified.
  static int verify_cb(void* p, mbedtls_x509_crt* crt, int depth, std::uint32_t* flags) {
    auto& s = *static_cast<state*>(p);
    const bool signed_by_next = (*flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) == 0;
    *flags = 0;
    if (s.prejudged) return 0;
    if (depth >= 0 && static_cast<std::size_t>(depth) < s.mbedtls_checked.size()) {
      s.mbedtls_checked[static_cast<std::size_t>(depth)] = {crt, signed_by_next};
      s.mbedtls_checked_count = std::max(s.mbedtls_checked_count, static_cast<std::size_t>(depth) + 1);
    }
    if (depth != 0) return 0;
    s.verified = true;
    s.verdict.reset();
    s.path = {};
    auto path = judge(s, crt);
    if (!path) {
      s.verdict = path.error();
      *flags = detail::alert_flags(path.error().code());
      return 0;
    }
    s.path = std::move(*path);
    return 0;
  }

  // The links mbedTLS verified in the chain it built, as the validator's link cache sees
  // them: each child and issuer by its DER (an issuer mbedTLS took from the trusted list
  // rather than from the peer is parsed here), so that the validator checks none again.
  static void take_mbedtls_checks(state& s, std::span<const certificate<>> sent, verified_link_cache& checked) {
    const auto as_certificate = [&](const mbedtls_x509_crt* crt) -> std::optional<certificate<>> {
      const byte_view der(crt->raw.p, crt->raw.len);
      for (const auto& cert : sent) {
        if (std::ranges::equal(cert.der(), der)) return cert;
      }
      auto parsed = certificate<>::from_der(der);
      if (!parsed) return std::nullopt;
      return std::move(*parsed);
    };
    for (std::size_t d = 0; d + 1 < s.mbedtls_checked_count; ++d) {
      const auto& link = s.mbedtls_checked[d];
      const auto* next = s.mbedtls_checked[d + 1].crt;
      if (!link.signed_by_next || link.crt == nullptr || next == nullptr) continue;
      auto child = as_certificate(link.crt);
      auto issuer = as_certificate(next);
      if (child && issuer) checked.remember(*child, *issuer);
    }
    s.mbedtls_checked_count = 0;
  }

  // Every certificate the peer sent, parsed by the library, then the validator's verdict.
  // mbedTLS signs and checks the handshake with the key of the head of its own list, so
  // that head must be the peer's first certificate: mbedTLS drops entries it cannot read
  // (detail/peer_certificates.hpp), and a chain it shortened is refused, never judged.
  [[nodiscard]] static result<chain<>> judge(state& s, const mbedtls_x509_crt* parsed) {
    return detail::out_of_memory_guard("judging the peer's certificate chain",
                                            [&]() -> result<chain<>> { return judge_chain(s, parsed); });
  }
  [[nodiscard]] static result<chain<>> judge_chain(state& s, const mbedtls_x509_crt* parsed) {
    const auto entries = detail::peer_certificates(*s.ssl, parsed);
    if (entries.empty()) {
      return std::unexpected(
          error(errc::certificate_required, "the peer's Certificate message holds no certificate"));
    }
    std::vector<certificate<>> sent;
    sent.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      auto cert = certificate<>::from_der(entries[i]);
      if (!cert) return std::unexpected(cert.error().at_depth(static_cast<int>(i)));
      sent.push_back(std::move(*cert));
    }
    const bool head_is_leaf = parsed != nullptr && parsed->raw.p != nullptr &&
                              std::ranges::equal(byte_view(parsed->raw.p, parsed->raw.len), entries.front());
    if (!head_is_leaf) {
      return std::unexpected(error(errc::unsupported, "mbedTLS could not read the peer's certificate", 0, 0));
    }
    verified_link_cache checked(MBEDTLS_X509_MAX_VERIFY_CHAIN_SIZE);
    take_mbedtls_checks(s, sent, checked);
    return s.validate(sent, &checked);
  }

  std::unique_ptr<state> state_;
};

}  // namespace pki::tls
