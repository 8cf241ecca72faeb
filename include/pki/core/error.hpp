#pragma once
// The error model: errc says what went wrong in the library's terms, error
// carries it with the mbedTLS code, the certificate depth and a static context;
// result<T> is std::expected<T, error>. Building an error never allocates.

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <system_error>

#include "config.hpp"

#if PKI_HAS_ERROR_STRINGS
#include <mbedtls/error.h>
#endif

namespace pki {

/// Why an operation failed, in the library's terms. Values are stable.
enum class errc : int {
  invalid_argument = 1,  ///< a caller-supplied value is out of range or inconsistent
  parse_failed,          ///< malformed PEM, DER or ASN.1 input
  unsupported,           ///< algorithm, format or feature not supported (or compiled out)
  algorithm_mismatch,    ///< the key or signature is of another algorithm than required
  password_required,     ///< the input is encrypted and no password was given
  bad_password,          ///< the password does not decrypt the input
  key_mismatch,          ///< a private key and a public key do not belong together
  bad_signature,         ///< a signature does not verify
  buffer_too_small,      ///< an output does not fit the space given
  out_of_memory,         ///< an allocation failed
  random_failed,         ///< the random source failed
  crypto_failed,         ///< an mbedTLS or PSA failure with no finer meaning (see mbedtls_code)
  io_failed,             ///< reading or writing a file failed
  // Issuance: why a certificate authority refused a request.
  profile_violation,        ///< the request asks for what the issuance profile forbids
  validity_too_long,        ///< the validity period exceeds the profile's maximum
  issuer_not_ca,            ///< the issuer certificate is not a CA or lacks keyCertSign
  outside_issuer_validity,  ///< the validity period is not inside the issuer's own
  // Validation: why a certificate path is not trusted. The error's depth names the
  // certificate (0 = the leaf) wherever one is to blame.
  untrusted,                   ///< no path from the certificate to a trust anchor
  expired,                     ///< the validation time is after the certificate's notAfter
  not_yet_valid,               ///< the validation time is before the certificate's notBefore
  usage_not_allowed,           ///< key usage or extended key usage does not allow the use
  path_len_exceeded,           ///< more CA certificates follow an issuer than its pathLenConstraint allows
  depth_exceeded,              ///< the path has more intermediates than the policy allows
  name_mismatch,               ///< the certificate is not for the expected host name or address
  name_constraint_violation,   ///< a name is outside an issuer's permitted or inside its excluded subtrees
  unknown_critical_extension,  ///< a critical extension the validator does not process
  nonconforming,               ///< the certificate breaks an RFC 5280 or CA/Browser Forum profile rule
  weak_algorithm,              ///< a key or signature algorithm the policy does not accept
  revoked,                     ///< a CRL from the issuer lists the certificate
  revocation_unknown,          ///< a CRL is required and none applicable was supplied
  pin_mismatch,                ///< no public key of the path matches a pinned key hash
  budget_exhausted,            ///< path building, name constraints or policies exceeded their work budget
  // TLS: why a connection failed where no certificate rule is to blame (a certificate a
  // peer presents is judged by the validator, whose errcs above then apply).
  would_block,           ///< the transport cannot move data now: call again when it can
  connection_closed,     ///< the transport ended before the TLS exchange did
  peer_alert,            ///< the peer ended the handshake or connection with a fatal alert
  certificate_required,  ///< the peer presented no certificate where one is required
  handshake_failed,      ///< no common protocol version, cipher suite, group or ALPN protocol
  protocol_error,        ///< the peer broke the TLS protocol (bad record, MAC or message)
  // Added later; values are stable, so new reasons go last.
  key_out_of_bounds,  ///< a public key's parameters are outside what the library accepts (RSA exponent, size)
  decryption_failed,  ///< a ciphertext does not authenticate or decrypt (one reason for every tampering)
  sequence_exhausted,    ///< an encryption context has used every nonce its sequence allows
  policy_not_satisfied,  ///< an explicit certificate policy is required and none acceptable is valid
  time_unknown,          ///< the time is needed, none was given and there is no clock (see core/clock.hpp)
};

namespace detail {
/// The newest errc: tests walk every value up to it.
inline constexpr errc last_errc = errc::time_unknown;
}  // namespace detail

/// A sentence fragment naming the reason, e.g. "bad password".
[[nodiscard]] constexpr std::string_view describe(errc code) noexcept {
  switch (code) {
    case errc::invalid_argument: return "invalid argument";
    case errc::parse_failed: return "malformed input";
    case errc::unsupported: return "not supported";
    case errc::algorithm_mismatch: return "wrong key algorithm";
    case errc::password_required: return "password required";
    case errc::bad_password: return "bad password";
    case errc::key_mismatch: return "keys do not match";
    case errc::bad_signature: return "signature does not verify";
    case errc::buffer_too_small: return "buffer too small";
    case errc::out_of_memory: return "out of memory";
    case errc::random_failed: return "random source failed";
    case errc::crypto_failed: return "cryptographic operation failed";
    case errc::io_failed: return "input/output failed";
    case errc::profile_violation: return "request forbidden by the issuance profile";
    case errc::validity_too_long: return "validity longer than the profile allows";
    case errc::issuer_not_ca: return "issuer is not a certificate authority";
    case errc::outside_issuer_validity: return "validity outside the issuer's";
    case errc::untrusted: return "no path to a trust anchor";
    case errc::expired: return "certificate expired";
    case errc::not_yet_valid: return "certificate not yet valid";
    case errc::usage_not_allowed: return "key usage not allowed";
    case errc::path_len_exceeded: return "path length constraint exceeded";
    case errc::depth_exceeded: return "path too long";
    case errc::name_mismatch: return "name mismatch";
    case errc::name_constraint_violation: return "name constraint violated";
    case errc::unknown_critical_extension: return "unknown critical extension";
    case errc::nonconforming: return "nonconforming certificate";
    case errc::weak_algorithm: return "algorithm not accepted";
    case errc::revoked: return "certificate revoked";
    case errc::revocation_unknown: return "revocation status unknown";
    case errc::pin_mismatch: return "no pinned key in the path";
    case errc::budget_exhausted: return "work budget exhausted";
    case errc::would_block: return "operation would block";
    case errc::connection_closed: return "connection closed";
    case errc::peer_alert: return "peer sent a fatal alert";
    case errc::certificate_required: return "peer certificate required";
    case errc::handshake_failed: return "TLS negotiation failed";
    case errc::protocol_error: return "TLS protocol violation";
    case errc::key_out_of_bounds: return "key parameters out of bounds";
    case errc::decryption_failed: return "decryption failed";
    case errc::sequence_exhausted: return "message sequence exhausted";
    case errc::policy_not_satisfied: return "no acceptable certificate policy";
    case errc::time_unknown: return "the time is not known";
  }
  return "unknown error";
}

/// Which work budget of a validation ran out (the fields of validation_budget), carried by
/// an error of errc::budget_exhausted so a caller can tell a hostile input from a budget set
/// too low for its hierarchies. Values are stable.
enum class budget_kind : std::uint8_t {
  none = 0,           ///< the error is not about a budget
  signature_checks,   ///< signatures verified while building paths
  issuer_candidates,  ///< issuer certificates considered
  intermediates,      ///< the length of a path (max_intermediates)
  name_comparisons,   ///< name-constraint comparisons
  policy_nodes,       ///< nodes of a path's valid_policy_graph
};

/// The budget's field name in validation_budget, e.g. "signature_checks"; "" for none.
[[nodiscard]] constexpr std::string_view describe(budget_kind kind) noexcept {
  switch (kind) {
    case budget_kind::none: return "";
    case budget_kind::signature_checks: return "signature_checks";
    case budget_kind::issuer_candidates: return "issuer_candidates";
    case budget_kind::intermediates: return "max_intermediates";
    case budget_kind::name_comparisons: return "name_comparisons";
    case budget_kind::policy_nodes: return "policy_nodes";
  }
  return "";
}

namespace detail {

class errc_category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "pki"; }
  std::string message(int value) const override { return std::string(describe(static_cast<errc>(value))); }
};

class mbedtls_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "mbedtls"; }
  std::string message(int value) const override {
#if PKI_HAS_ERROR_STRINGS
    char text[160];
    mbedtls_strerror(value, text, sizeof text);
    return text;
#else
    return "mbedTLS error " + std::to_string(value);
#endif
  }
};

}  // namespace detail

/// The std::error_category of errc values.
[[nodiscard]] inline const std::error_category& pki_category() noexcept {
  static const detail::errc_category category;
  return category;
}

/// The std::error_category of raw mbedTLS and PSA codes (negative ints).
[[nodiscard]] inline const std::error_category& mbedtls_category() noexcept {
  static const detail::mbedtls_category_impl category;
  return category;
}

/// An errc as a std::error_code.
[[nodiscard]] inline std::error_code make_error_code(errc code) noexcept {
  return {static_cast<int>(code), pki_category()};
}

/// What went wrong: a reason, the mbedTLS or PSA code behind it (0 when none),
/// the depth in a certificate path it concerns (none when not about a path), the
/// budget that ran out (for budget_exhausted) and a static string saying what the
/// library was doing.
class error {
 public:
  static constexpr int no_depth = -1;

  constexpr error(errc code, const char* context, int mbedtls_code = 0, int depth = no_depth) noexcept
      : code_(code), mbedtls_code_(mbedtls_code), depth_(depth), context_(context ? context : "") {}

  [[nodiscard]] constexpr errc code() const noexcept { return code_; }
  /// The underlying mbedTLS or PSA status (a negative number), or 0.
  [[nodiscard]] constexpr int mbedtls_code() const noexcept { return mbedtls_code_; }
  /// The certificate depth (0 = leaf) the error concerns, or no_depth.
  [[nodiscard]] constexpr int depth() const noexcept { return depth_; }
  [[nodiscard]] constexpr bool has_depth() const noexcept { return depth_ != no_depth; }
  /// What the library was doing, e.g. "parsing a private key".
  [[nodiscard]] constexpr const char* context() const noexcept { return context_; }
  /// Which budget ran out when code() is budget_exhausted; budget_kind::none otherwise.
  [[nodiscard]] constexpr budget_kind budget() const noexcept { return budget_; }

  /// An errc::budget_exhausted error naming the budget that ran out.
  [[nodiscard]] static constexpr error exhausted(budget_kind kind, const char* context,
                                                 int depth = no_depth) noexcept {
    error e(errc::budget_exhausted, context, 0, depth);
    e.budget_ = kind;
    return e;
  }

  /// The same error, located at a certificate depth.
  [[nodiscard]] constexpr error at_depth(int depth) const noexcept {
    error e = *this;  // every other field as it is, a budget kind included
    e.depth_ = depth;
    return e;
  }

  /// The reason as a std::error_code in pki_category().
  [[nodiscard]] std::error_code error_code() const noexcept { return make_error_code(code_); }

  /// A readable sentence: "bad password: parsing a private key (mbedTLS -0x3B80: ...)";
  /// a budget error names its budget: "work budget exhausted (signature_checks): ...".
  [[nodiscard]] std::string message() const {
    std::string text(describe(code_));
    if (budget_ != budget_kind::none) {
      text += " (";
      text += describe(budget_);
      text += ')';
    }
    if (*context_ != '\0') {
      text += ": ";
      text += context_;
    }
    if (depth_ != no_depth) {
      text += " (certificate at depth ";
      text += std::to_string(depth_);
      text += ')';
    }
    if (mbedtls_code_ != 0) {
      text += " [mbedTLS ";
      text += hex_code(mbedtls_code_);
      text += ": ";
      text += mbedtls_category().message(mbedtls_code_);
      text += ']';
    }
    return text;
  }

  friend constexpr bool operator==(const error& e, errc code) noexcept { return e.code_ == code; }

 private:
  static std::string hex_code(int code) {
    static constexpr char digits[] = "0123456789ABCDEF";
    unsigned magnitude = code < 0 ? 0U - static_cast<unsigned>(code) : static_cast<unsigned>(code);
    std::string out = code < 0 ? "-0x" : "0x";
    char buf[8];
    int n = 0;
    do {
      buf[n++] = digits[magnitude & 0xF];
      magnitude >>= 4;
    } while (magnitude != 0);
    while (n < 4) buf[n++] = '0';
    while (n > 0) out += buf[--n];
    return out;
  }

  errc code_;
  int mbedtls_code_;
  int depth_;
  budget_kind budget_ = budget_kind::none;  // in the padding: an error stays 24 bytes
  const char* context_;
};

/// The value of a fallible call, or why it failed.
template <class T>
using result = std::expected<T, error>;

/// Shorthand for returning a failure: `return pki::fail(errc::parse_failed, "...")`.
[[nodiscard]] constexpr std::unexpected<error> fail(errc code, const char* context,
                                                    int mbedtls_code = 0) noexcept {
  return std::unexpected<error>(error(code, context, mbedtls_code));
}

}  // namespace pki

/// \cond
// Doxygen cannot place a specialization of a std template; it is not pki's API either.
template <>
struct std::is_error_code_enum<pki::errc> : std::true_type {};
/// \endcond
