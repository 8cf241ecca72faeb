#pragma once
// tls::client_config and tls::server_config: builders that turn the library's objects
// (a certificate chain and its key, a trust store, a validation policy) into a
// tls::config, the RAII owner of an mbedTLS ssl_config and of everything it points to.
//
//   auto client = pki::tls::client_config<pki::policy::iot_mtls_client>{}
//                     .trust(anchors)
//                     .identity(device_chain, device_key)       // mutual TLS
//                     .alpn({"http/1.1"})
//                     .build();                                 // result<tls::config>
//
// The peer's certificate chain is judged by the library's validator under the policy
// (unordered chains, EKU, host name, CRLs), not by mbedTLS's own verifier: see
// tls::session. A config is immutable once built and shared by the sessions made from it,
// from any number of threads.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/config.hpp"

#if !PKI_HAS_TLS
#error \
    "pki/tls needs an mbedTLS with MBEDTLS_SSL_TLS_C, MBEDTLS_SSL_CLI_C, MBEDTLS_SSL_SRV_C and MBEDTLS_X509_CRT_PARSE_C"
#endif

#include <mbedtls/platform_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#if PKI_HAS_TLS_TICKETS
#include <mbedtls/ssl_ticket.h>
#endif

#include "../core/detail/handle.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/detail/psa.hpp"
#include "../core/detail/threads.hpp"
#include "../core/error.hpp"
#include "../core/random.hpp"
#include "../keys/key.hpp"
#include "../validate/chain.hpp"
#include "../validate/policy/presets.hpp"
#include "../validate/trust_store.hpp"
#include "../validate/validator.hpp"
#include "../x509/certificate.hpp"
#include "../x509/crl.hpp"
#include "detail/ticket_identities.hpp"
#include "detail/tls_error.hpp"

namespace pki::tls {

/// The TLS versions a config may negotiate.
enum class protocol_version : std::uint8_t { tls1_2, tls1_3 };

}  // namespace pki::tls

namespace pki::detail {

using ssl_config_handle =
    detail::handle<mbedtls_ssl_config, mbedtls_ssl_config_init, mbedtls_ssl_config_free>;
using x509_crt_handle = detail::handle<mbedtls_x509_crt, mbedtls_x509_crt_init, mbedtls_x509_crt_free>;
#if PKI_HAS_TLS_TICKETS
using ticket_handle =
    detail::handle<mbedtls_ssl_ticket_context, mbedtls_ssl_ticket_init, mbedtls_ssl_ticket_free>;
#endif

/// The validator a config carries, with its policy type erased so that sessions and
/// configs are plain types.
class peer_verifier {
 public:
  peer_verifier() = default;
  peer_verifier(const peer_verifier&) = delete;
  peer_verifier& operator=(const peer_verifier&) = delete;
  virtual ~peer_verifier() = default;
  [[nodiscard]] virtual result<chain<>> verify(const certificate<>& leaf,
                                               std::span<const certificate<>> intermediates,
                                               const validation_options& options) const = 0;
  /// A path validated before (a saved session's) checked again now, its signatures not
  /// verified again (detail::path_recheck).
  [[nodiscard]] virtual result<chain<>> recheck(std::span<const certificate<>> path,
                                                const validation_options& options) const = 0;
};

template <validation_policy Policy>
class policy_verifier final : public peer_verifier {
 public:
  policy_verifier(trust_store anchors, Policy rules) : validator_(std::move(anchors), std::move(rules)) {}
  [[nodiscard]] result<chain<>> verify(const certificate<>& leaf,
                                       std::span<const certificate<>> intermediates,
                                       const validation_options& options) const override {
    return validator_.verify(leaf, intermediates, options);
  }
  [[nodiscard]] result<chain<>> recheck(std::span<const certificate<>> path,
                                        const validation_options& options) const override {
    return detail::out_of_memory_guard("checking a saved session's path again", [&]() -> result<chain<>> {
      auto found = path_recheck::run(validator_.anchors(), path, validator_.rules(), options);
      if (!found) return std::unexpected(found.failure);
      return chain<>::from(*found.path);
    });
  }

 private:
  validator<Policy> validator_;
};

/// What mbedTLS's X.509 parser may accept of an extension it does not know itself (name
/// constraints, policy constraints, ...), for certificates the library already parsed.
enum class unknown_extensions : std::uint8_t {
  understood,  ///< those the library's validator processes, critical or not (an endpoint's own chain)
  any,         ///< all: the library has judged the certificate (anchors, a validated issuer)
};

/// mbedtls_x509_crt_ext_cb_t for the two cases above: 0 accepts the extension.
[[nodiscard]] inline int accept_understood(void*, const mbedtls_x509_crt*, const mbedtls_x509_buf* oid,
                                           int critical, const unsigned char*, const unsigned char*) {
  if (!critical) return 0;
  const std::string_view content(reinterpret_cast<const char*>(oid->p), oid->len);
  for (const std::string_view known : detail::rfc5280_rules::understood) {
    if (known == content) return 0;
  }
  return MBEDTLS_ERR_X509_INVALID_EXTENSIONS;
}
[[nodiscard]] inline int accept_any(void*, const mbedtls_x509_crt*, const mbedtls_x509_buf*, int,
                                    const unsigned char*, const unsigned char*) {
  return 0;
}

/// Copies certificates into an mbedTLS certificate list, in order: what mbedTLS needs of
/// them is the bytes to send and the leaf's key, so extensions it does not know are let
/// through as `unknown` says. `tolerant` skips the ones mbedTLS still cannot parse (used for
/// anchors, which the library's validator judges anyway).
[[nodiscard]] inline result<void> append_certificates(mbedtls_x509_crt& list,
                                                      std::span<const certificate<>> certs,
                                                      unknown_extensions unknown, bool tolerant,
                                                      const char* context) {
  const auto accept = unknown == unknown_extensions::understood ? accept_understood : accept_any;
  for (const auto& cert : certs) {
    const int ret = mbedtls_x509_crt_parse_der_with_ext_cb(&list, cert.der().data(), cert.der().size(), 1,
                                                           accept, nullptr);
    if (ret != 0 && !tolerant) return detail::mbedtls_failure(ret, context);
  }
  return {};
}

#if PKI_HAS_TLS_PEER_PRECHECK
/// Where mbedTLS's trusted-issuer callback finds the session whose handshake is running on
/// this thread (set around each call into mbedTLS, as for ticket_context): mbedTLS takes the
/// callback per configuration, which many sessions share.
struct peer_precheck {
  void* session = nullptr;
  int (*judge)(void* session, const mbedtls_x509_crt* child, mbedtls_x509_crt** trusted) = nullptr;
};
inline PKI_THREAD_LOCAL const peer_precheck* current_precheck = nullptr;

/// mbedtls_x509_crt_ca_cb_t: hands over to the running session's judge.
[[nodiscard]] inline int precheck_peer(void*, const mbedtls_x509_crt* child, mbedtls_x509_crt** trusted) {
  *trusted = nullptr;
  const peer_precheck* hook = current_precheck;
  if (hook == nullptr || hook->judge == nullptr) return MBEDTLS_ERR_X509_FATAL_ERROR;
  return hook->judge(hook->session, child, trusted);
}
#endif

/// Everything an mbedTLS ssl_config points to, kept alive as long as a config or a
/// session made from it.
struct endpoint_state {
  bool server = false;
  ssl_config_handle conf{};
  x509_crt_handle own_chain{};
  std::optional<private_key<>> own_key{};
  x509_crt_handle ca_chain{};
  std::unique_ptr<peer_verifier> verifier{};  // null: the peer is not authenticated
  bool checks_host_name = false;              // the policy has the hostname rule
  std::vector<crl> crls{};
  validation_budget budget{};
  std::function<std::chrono::sys_seconds()> clock{};  // empty: pki::now()
  std::vector<std::string> alpn_names{};
  std::vector<const char*> alpn_list{};  // alpn_names' pointers, null-terminated for mbedTLS
#if PKI_HAS_TLS_TICKETS
  ticket_handle tickets{};
  std::uint32_t ticket_lifetime = 0;
  // mbedTLS's ticket functions lock the ticket context themselves; rotation does not, so
  // it takes this lock exclusively and the callbacks take it shared.
  mutable detail::shared_mutex ticket_rotation{};

  ticket_identities identities{};

  // The ticket callbacks: mbedTLS's, plus the client path each ticket stands for (see
  // ticket_identities) and, on acceptance, word to the session (see ticket_context).
  static int write_ticket(void* p, const mbedtls_ssl_session* session, unsigned char* start,
                          const unsigned char* end, std::size_t* written, std::uint32_t* lifetime) {
    auto& self = *static_cast<endpoint_state*>(p);
    const detail::shared_lock lock(self.ticket_rotation);
    const int ret = mbedtls_ssl_ticket_write(self.tickets.get(), session, start, end, written, lifetime);
    const ticket_context* ctx = current_ticket;
    if (ret == 0 && ctx != nullptr && ctx->path != nullptr && !ctx->path->empty()) {
      // Best effort: without memory for it the ticket resumes without the client's identity,
      // as one from a restarted server does.
      std::optional<error> thrown;
      (void)detail::callback_guard(0, thrown, [&] {
        self.identities.remember(byte_view(start, *written), *ctx->path, std::chrono::seconds(*lifetime));
        return 0;
      });
    }
    return ret;
  }
  static int parse_ticket(void* p, mbedtls_ssl_session* session, unsigned char* buf, std::size_t len) {
    auto& self = *static_cast<endpoint_state*>(p);
    const detail::shared_lock lock(self.ticket_rotation);
    // Looked up first: mbedTLS decrypts the ticket in place. Without memory for the copy the
    // session resumes without the client's identity.
    chain<> issued_for;
    if (self.verifier) {
      std::optional<error> thrown;
      (void)detail::callback_guard(0, thrown, [&] {
        issued_for = self.identities.recall(byte_view(buf, len));
        return 0;
      });
    }
    const int ret = mbedtls_ssl_ticket_parse(self.tickets.get(), session, buf, len);
    ticket_context* ctx = current_ticket;
    if (ret == 0 && ctx != nullptr) {
      ctx->accepted = true;
      if (ctx->path != nullptr) *ctx->path = std::move(issued_for);
    }
    return ret;
  }
#endif
};

[[nodiscard]] constexpr mbedtls_ssl_protocol_version native_version(tls::protocol_version v) noexcept {
  return v == tls::protocol_version::tls1_2 ? MBEDTLS_SSL_VERSION_TLS1_2 : MBEDTLS_SSL_VERSION_TLS1_3;
}

[[nodiscard]] constexpr bool version_compiled_in(tls::protocol_version v) noexcept {
  return v == tls::protocol_version::tls1_2 ? PKI_HAS_TLS1_2 != 0 : PKI_HAS_TLS1_3 != 0;
}

}  // namespace pki::detail

namespace pki::tls {

/// A built TLS configuration: the mbedTLS ssl_config and everything it refers to. Copies
/// share one configuration; sessions keep it alive. Immutable, so any number of threads
/// may start sessions from one config at once.
class config {
 public:
  [[nodiscard]] bool is_server() const noexcept { return state_->server; }
  /// True when sessions check the peer's certificate chain (always for a client; for a
  /// server, when it was given a trust store for client certificates).
  [[nodiscard]] bool authenticates_peer() const noexcept { return state_->verifier != nullptr; }

#if PKI_HAS_TLS_TICKETS
  /// Server: replaces the key that seals new session tickets with a fresh random one.
  /// Tickets sealed under the key before it still resume; older ones fall back to a full
  /// handshake. (Keys also rotate by themselves when a ticket lifetime has passed.)
  [[nodiscard]] result<void> rotate_ticket_keys() const {
    if (!state_->server || !state_->tickets) {
      return fail(errc::invalid_argument, "rotating ticket keys: this config issues no session tickets");
    }
    secret_buffer fresh(4 + 32);  // a key name, then an AES-256 key; wiped on every way out
    if (auto ok = random_bytes(fresh); !ok) return ok;
    const detail::exclusive_lock lock(state_->ticket_rotation);
    const int ret = mbedtls_ssl_ticket_rotate(state_->tickets.get(), fresh.data(), 4, fresh.data() + 4, 32,
                                              state_->ticket_lifetime);
    if (ret != 0) return detail::mbedtls_failure(ret, "rotating the session ticket key");
    return {};
  }
#endif

  /// The mbedTLS configuration, for settings this library does not wrap. Change it only
  /// before the first session is made from it.
  [[nodiscard]] mbedtls_ssl_config& native() const noexcept {
    return *state_->conf;
  }

 private:
  explicit config(std::shared_ptr<detail::endpoint_state> state) noexcept : state_(std::move(state)) {}
  std::shared_ptr<detail::endpoint_state> state_;

  template <class Derived, validation_policy Policy>
  friend class config_builder;
  friend class session;
};

/// What client_config and server_config have in common (a CRTP base: each setter returns
/// the derived builder).
template <class Derived, validation_policy Policy>
class config_builder {
 public:
  /// The certificate chain this endpoint presents, leaf first, all of it sent, and the
  /// leaf's private key.
  template <algorithm_tag Alg>
  Derived& identity(std::span<const certificate<>> chain, const private_key<Alg>& key) {
    chain_.assign(chain.begin(), chain.end());
    auto copy = key.clone();
    if (copy) {
      key_.emplace(std::move(*copy));
    } else {
      deferred_ = copy.error();
    }
    return self();
  }
  /// The same from a typed leaf and its key, which must be of one algorithm (a leaf and a
  /// key of different algorithms does not compile), then the intermediates, all sent.
  template <fixed_algorithm Alg>
  Derived& identity(const certificate<Alg>& leaf, const private_key<Alg>& key,
                    std::span<const certificate<>> intermediates = {}) {
    std::vector<certificate<>> chain{certificate<>(leaf)};
    chain.insert(chain.end(), intermediates.begin(), intermediates.end());
    return identity(chain, key);
  }
  /// The anchors the peer's chain must lead to. A server given anchors requires a client
  /// certificate (mutual TLS).
  Derived& trust(trust_store anchors) {
    anchors_ = std::move(anchors);
    return self();
  }
  /// The validation policy as a value, for rules that carry settings (policy::spki_pin).
  Derived& policy(Policy rules) {
    rules_ = std::move(rules);
    return self();
  }
  /// The versions to offer or accept (by default both TLS 1.2 and TLS 1.3).
  Derived& versions(protocol_version min, protocol_version max) {
    min_ = min;
    max_ = max;
    return self();
  }
  /// Application protocols (ALPN) in order of preference, e.g. {"h2", "http/1.1"}.
  Derived& alpn(std::initializer_list<std::string_view> protocols) {
    alpn_.assign(protocols.begin(), protocols.end());
    return self();
  }
  /// CRLs for the policy's crl_check rule: a peer certificate they list is refused.
  Derived& crls(std::vector<crl> lists) {
    crls_ = std::move(lists);
    return self();
  }
  /// Work limits of each peer chain validation.
  Derived& budget(const validation_budget& limits) {
    budget_ = limits;
    return self();
  }
  /// The time to validate this endpoint's peer chains at, when it must differ from the
  /// program's clock (pki::now(), core/clock.hpp, which is the default): a test, a replay.
  Derived& clock(std::function<std::chrono::sys_seconds()> now) {
    clock_ = std::move(now);
    return self();
  }

 protected:
  config_builder() = default;

  /// The common part of build(): a configured mbedTLS endpoint with the identity, the
  /// versions, ALPN and (when anchors were given) the peer check.
  [[nodiscard]] result<std::shared_ptr<detail::endpoint_state>> build_endpoint(bool server) {
    if (deferred_) return std::unexpected(*deferred_);
    if (auto psa = detail::ensure_psa(); !psa) return std::unexpected(psa.error());
    auto state = std::make_shared<detail::endpoint_state>();
    state->server = server;
    auto conf = detail::ssl_config_handle::create();
    if (!conf) return std::unexpected(conf.error());
    state->conf = std::move(*conf);
    mbedtls_ssl_config& c = *state->conf;
    int ret = mbedtls_ssl_config_defaults(&c, server ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                          MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) return detail::mbedtls_failure(ret, "setting up an mbedTLS configuration");
    mbedtls_ssl_conf_rng(&c, detail::rng, detail::rng_state());
    if (auto ok = set_versions(c); !ok) return std::unexpected(ok.error());
    if (auto ok = set_identity(*state); !ok) return std::unexpected(ok.error());
    if (auto ok = set_alpn(*state); !ok) return std::unexpected(ok.error());
    if (anchors_) {
      auto ok = set_peer_check(*state, server);
      if (!ok) return std::unexpected(ok.error());
    } else {
      mbedtls_ssl_conf_authmode(&c, MBEDTLS_SSL_VERIFY_NONE);
    }
    return state;
  }

  [[nodiscard]] bool has_identity() const noexcept { return key_.has_value() && !chain_.empty(); }
  [[nodiscard]] bool has_anchors() const noexcept { return anchors_.has_value(); }
  [[nodiscard]] static config make(std::shared_ptr<detail::endpoint_state> state) noexcept {
    return config(std::move(state));
  }

 private:
  Derived& self() noexcept { return static_cast<Derived&>(*this); }

  [[nodiscard]] result<void> set_versions(mbedtls_ssl_config& c) const {
    if (min_ > max_) return fail(errc::invalid_argument, "TLS versions: the minimum is above the maximum");
    if (!detail::version_compiled_in(min_) || !detail::version_compiled_in(max_)) {
      return fail(errc::unsupported, "TLS versions: this mbedTLS build lacks the version asked for");
    }
    mbedtls_ssl_conf_min_tls_version(&c, detail::native_version(min_));
    mbedtls_ssl_conf_max_tls_version(&c, detail::native_version(max_));
    return {};
  }

  [[nodiscard]] result<void> set_identity(detail::endpoint_state& state) {
    if (!has_identity()) return {};
    auto list = detail::x509_crt_handle::create();
    if (!list) return std::unexpected(list.error());
    state.own_chain = std::move(*list);
    auto ok =
        detail::append_certificates(*state.own_chain, chain_, detail::unknown_extensions::understood, false,
                                    "loading the endpoint's own chain (a critical extension mbedTLS and "
                                    "the library's validator do not know?)");
    if (!ok) return ok;
    if (auto pair = key_->matches(chain_.front().public_key()); !pair) {
      return std::unexpected(error(errc::key_mismatch, "the private key is not the leaf certificate's",
                                   pair.error().mbedtls_code()));
    }
    state.own_key.emplace(std::move(*key_));
    key_.reset();
    const int ret = mbedtls_ssl_conf_own_cert(&*state.conf, state.own_chain.get(), &state.own_key->native());
    if (ret != 0) return detail::mbedtls_failure(ret, "installing the endpoint's own chain");
    return {};
  }

  [[nodiscard]] result<void> set_alpn(detail::endpoint_state& state) {
    if (alpn_.empty()) return {};
#if PKI_HAS_ALPN
    for (const auto& name : alpn_) {
      if (name.empty() || name.size() > 255) {
        return fail(errc::invalid_argument, "an ALPN protocol name is 1 to 255 bytes");
      }
      state.alpn_names.emplace_back(name);
    }
    for (const auto& name : state.alpn_names) state.alpn_list.push_back(name.c_str());
    state.alpn_list.push_back(nullptr);
    const int ret = mbedtls_ssl_conf_alpn_protocols(&*state.conf, state.alpn_list.data());
    if (ret != 0) return detail::mbedtls_failure(ret, "setting the ALPN protocols");
    return {};
#else
    (void)state;
    return fail(errc::unsupported, "ALPN: this mbedTLS build lacks MBEDTLS_SSL_ALPN");
#endif
  }

  // The library's validator decides (see session); mbedTLS is told to require a verified
  // peer and given a certificate list so that it runs its verification callback. A server
  // gets the anchors themselves (their names go into a TLS 1.2 CertificateRequest; mbedTLS
  // 3.6 sends no certificate_authorities in TLS 1.3); a client gets an empty list. Either
  // way mbedTLS still verifies the links it finds among the certificates the peer sent
  // before the verification callback runs, unless PKI_HAS_TLS_PEER_PRECHECK lets the
  // session judge the chain first.
  [[nodiscard]] result<void> set_peer_check(detail::endpoint_state& state, bool server) {
    auto list = detail::x509_crt_handle::create();
    if (!list) return std::unexpected(list.error());
    state.ca_chain = std::move(*list);
    if (server) {
      auto ok = detail::append_certificates(*state.ca_chain, anchors_->anchors(),
                                            detail::unknown_extensions::any, true, "");
      if (!ok) return ok;
    }
    mbedtls_ssl_conf_ca_chain(&*state.conf, state.ca_chain.get(), nullptr);
#if PKI_HAS_TLS_PEER_PRECHECK
    // mbedTLS then asks for the trusted issuers instead of reading the list above (which
    // still names the CAs in a TLS 1.2 CertificateRequest).
    mbedtls_ssl_conf_ca_cb(&*state.conf, detail::precheck_peer, nullptr);
#endif
    mbedtls_ssl_conf_authmode(&*state.conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    state.verifier =
        std::make_unique<detail::policy_verifier<Policy>>(std::move(*anchors_), std::move(rules_));
    state.checks_host_name = policy::checks_host_name<Policy>::value;
    anchors_.reset();
    state.crls = std::move(crls_);
    state.budget = budget_;
    state.clock = std::move(clock_);
    return {};
  }

  std::vector<certificate<>> chain_{};
  std::optional<private_key<>> key_{};
  std::optional<error> deferred_{};
  std::optional<trust_store> anchors_{};
  Policy rules_{};
  protocol_version min_ = PKI_HAS_TLS1_2 ? protocol_version::tls1_2 : protocol_version::tls1_3;
  protocol_version max_ = PKI_HAS_TLS1_3 ? protocol_version::tls1_3 : protocol_version::tls1_2;
  std::vector<std::string> alpn_{};  // copies: the caller's strings may be gone by build()
  std::vector<crl> crls_{};
  validation_budget budget_{};
  std::function<std::chrono::sys_seconds()> clock_{};
};

/// Builds a client configuration: the server's chain is validated under Policy (by default
/// policy::web_server; policy::iot_mtls_client for a private PKI) against trust(); the
/// host name a session expects is its SNI and the policy's peer name.
template <validation_policy Policy = policy::web_server>
class client_config : public config_builder<client_config<Policy>, Policy> {
 public:
  /// Whether to accept session tickets for resumption (on by default).
  client_config& session_tickets(bool enabled) {
    tickets_ = enabled;
    return *this;
  }

  /// The configuration; invalid_argument without trust(), key_mismatch when the identity's
  /// key is not the leaf's.
  [[nodiscard]] result<config> build() {
    return detail::out_of_memory_guard("building a TLS configuration", [&]() -> result<config> {
      if (!this->has_anchors()) {
        return fail(errc::invalid_argument,
                    "a TLS client needs the anchors to check servers against (trust())");
      }
      auto state = this->build_endpoint(false);
      if (!state) return std::unexpected(state.error());
      [[maybe_unused]] mbedtls_ssl_config& c = *(*state)->conf;  // used with tickets only
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
      mbedtls_ssl_conf_session_tickets(
          &c, tickets_ ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#if PKI_HAS_TLS1_3
      // TLS 1.3 tickets arrive after the handshake; the session stores them as they come.
      mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
          &c, tickets_ ? MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED
                       : MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_DISABLED);
#endif
#endif
      return this->make(std::move(*state));
    });
  }

 private:
  bool tickets_ = true;
};

/// Builds a server configuration: identity() is required; trust() turns on mutual TLS,
/// every client then presents a chain validated under Policy (by default
/// policy::iot_mtls_server: clientAuth, at most four intermediates, CRLs when given).
template <validation_policy Policy = policy::iot_mtls_server>
class server_config : public config_builder<server_config<Policy>, Policy> {
 public:
  /// How long an issued session ticket resumes (default one day; TLS 1.3 allows at most
  /// seven) and how often the ticket key rotates by itself. Zero turns tickets off.
  server_config& ticket_lifetime(std::chrono::seconds lifetime) {
    lifetime_ = lifetime;
    return *this;
  }

  /// The configuration; invalid_argument without identity(), key_mismatch when the key is
  /// not the leaf's.
  [[nodiscard]] result<config> build() {
    return detail::out_of_memory_guard("building a TLS configuration", [&]() -> result<config> {
      if (!this->has_identity()) {
        return fail(errc::invalid_argument, "a TLS server needs its certificate chain and key (identity())");
      }
      if (lifetime_ < std::chrono::seconds(0) || lifetime_ > std::chrono::days(7)) {
        return fail(errc::invalid_argument, "a session ticket lifetime is between 0 and 7 days");
      }
      auto state = this->build_endpoint(true);
      if (!state) return std::unexpected(state.error());
#if PKI_HAS_TLS_TICKETS
      if (lifetime_.count() > 0) {
        if (auto ok = enable_tickets(**state); !ok) return std::unexpected(ok.error());
      }
#endif
      return this->make(std::move(*state));
    });
  }

 private:
#if PKI_HAS_TLS_TICKETS
  [[nodiscard]] result<void> enable_tickets(detail::endpoint_state& state) const {
    auto tickets = detail::ticket_handle::create();
    if (!tickets) return std::unexpected(tickets.error());
    state.tickets = std::move(*tickets);
    state.ticket_lifetime = static_cast<std::uint32_t>(lifetime_.count());
    const int ret = mbedtls_ssl_ticket_setup(state.tickets.get(), detail::rng, detail::rng_state(),
                                             MBEDTLS_CIPHER_AES_256_GCM, state.ticket_lifetime);
    if (ret != 0) return detail::mbedtls_failure(ret, "setting up session tickets");
    mbedtls_ssl_conf_session_tickets_cb(&*state.conf, detail::endpoint_state::write_ticket,
                                        detail::endpoint_state::parse_ticket, &state);
    return {};
  }
#endif

  std::chrono::seconds lifetime_ = std::chrono::days(1);
};

}  // namespace pki::tls
