#pragma once
// crl: an X.509 v2 certificate revocation list (RFC 5280 section 5) as an immutable
// value whose copies share one parsed state, like certificate<>; crl_builder
// (crl_builder.hpp) writes and signs one (mbedTLS has no CRL writer). Parsing is strict DER. The extensions the library
// knows (cRLNumber, authorityKeyIdentifier, reasonCode) are decoded when the CRL is read, so
// a malformed one fails parsing; every other extension, critical or not, is kept as it is
// for the validator to judge.

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../keys/key.hpp"
#include "detail/signed_data.hpp"
#include "detail/x509_time.hpp"
#include "extensions.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"
#include "signed_document.hpp"

namespace pki {

/// Why a certificate was revoked: RFC 5280 5.3.1 CRLReason (7 is not used).
enum class crl_reason : std::uint8_t {
  unspecified = 0,
  key_compromise = 1,
  ca_compromise = 2,
  affiliation_changed = 3,
  superseded = 4,
  cessation_of_operation = 5,
  certificate_hold = 6,
  remove_from_crl = 8,  ///< only in delta CRLs
  privilege_withdrawn = 9,
  aa_compromise = 10,
};

/// The reason as OpenSSL prints it: "Key Compromise", "Cessation Of Operation", ...
[[nodiscard]] constexpr std::string_view name(crl_reason reason) noexcept {
  switch (reason) {
    case crl_reason::unspecified: return "Unspecified";
    case crl_reason::key_compromise: return "Key Compromise";
    case crl_reason::ca_compromise: return "CA Compromise";
    case crl_reason::affiliation_changed: return "Affiliation Changed";
    case crl_reason::superseded: return "Superseded";
    case crl_reason::cessation_of_operation: return "Cessation Of Operation";
    case crl_reason::certificate_hold: return "Certificate Hold";
    case crl_reason::remove_from_crl: return "Remove From CRL";
    case crl_reason::privilege_withdrawn: return "Privilege Withdrawn";
    case crl_reason::aa_compromise: return "AA Compromise";
  }
  return "Unknown";
}

/// One entry of a CRL: which certificate, since when, and why.
struct revoked_certificate {
  /// The certificate's serial number: the INTEGER's content octets, as certificate::serial() gives them.
  byte_buffer serial{};
  std::chrono::sys_seconds revocation_date{};
  /// The reasonCode entry extension; nullopt when the entry has none (which means unspecified).
  std::optional<crl_reason> reason{};
  /// Every crlEntryExtension as read, reasonCode included. When building, extensions other
  /// than reasonCode are written as they are, and a reasonCode here must agree with `reason`.
  extension_list extensions;

  friend bool operator==(const revoked_certificate&, const revoked_certificate&) = default;
};

/// When a CRL was issued and when the next one will be (RFC 5280 5.1.2.4 and 5.1.2.5).
struct crl_period {
  std::chrono::sys_seconds this_update{};
  std::chrono::sys_seconds next_update{};
};

namespace detail {

namespace crl_oid {
inline constexpr std::string_view crl_number = oid_octets("\x55\x1D\x14");   // 2.5.29.20
inline constexpr std::string_view reason_code = oid_octets("\x55\x1D\x15");  // 2.5.29.21
}  // namespace crl_oid

/// The longest cRLNumber RFC 5280 5.2.3 lets an issuer write, in INTEGER content octets.
inline constexpr std::size_t max_crl_number_octets = 20;

/// A reasonCode extnValue: one DER ENUMERATED naming a CRLReason; parse_failed otherwise (7 included).
[[nodiscard]] inline result<crl_reason> read_reason_code(byte_view der) {
  auto value = read_only_value(der, MBEDTLS_ASN1_ENUMERATED, "parsing a CRL reasonCode");
  if (!value) return std::unexpected(value.error());
  if (!is_der_integer(value->content) || value->content.size() != 1) {
    return fail(errc::parse_failed, "a CRL reasonCode is not a CRLReason value");
  }
  const std::uint8_t code = value->content[0];
  if (code > 10 || code == 7) return fail(errc::parse_failed, "a CRL reasonCode is not a CRLReason value");
  return static_cast<crl_reason>(code);
}

/// The extnValue DER of a reasonCode: ENUMERATED.
[[nodiscard]] inline byte_buffer reason_code_der(crl_reason reason) {
  return byte_buffer{MBEDTLS_ASN1_ENUMERATED, 0x01, static_cast<std::uint8_t>(reason)};
}

/// A cRLNumber extnValue: a non-negative DER INTEGER, as its content octets; parse_failed otherwise.
[[nodiscard]] inline result<byte_buffer> read_crl_number(byte_view der) {
  auto value = read_only_value(der, MBEDTLS_ASN1_INTEGER, "parsing a cRLNumber");
  if (!value) return std::unexpected(value.error());
  if (!is_der_integer(value->content) || (value->content[0] & 0x80) != 0) {
    return fail(errc::parse_failed, "a cRLNumber is not a non-negative DER INTEGER");
  }
  return byte_buffer(value->content.begin(), value->content.end());
}

/// Everything read from a CRL; shared, never modified after parsing.
struct crl_data {
  static constexpr std::string_view pem_label = "X509 CRL";
  static constexpr std::string_view legacy_pem_label = "";
  static constexpr const char* pem_context = "parsing a PEM CRL";
  /// One DER CRL (as crl::from_der() says).
  [[nodiscard]] static result<std::shared_ptr<crl_data>> parse(byte_view der);

  byte_buffer der{};
  signed_parts parts;  // views into der
  int version = 1;
  distinguished_name issuer{};
  byte_view issuer_der;  // into der
  std::chrono::sys_seconds this_update{};
  std::optional<std::chrono::sys_seconds> next_update{};
  std::vector<revoked_certificate> revoked{};
  std::vector<std::size_t> by_serial{};  // indices into revoked, ordered by serial octets
  std::vector<std::size_t> extended{};   // indices into revoked of the entries with extensions
  extension_list extensions;
  std::optional<byte_buffer> crl_number{};
  std::optional<pki::authority_key_identifier> authority_key_identifier{};
};

/// The next revokedCertificates entry of `list`, which keeps a failure.
[[nodiscard]] inline revoked_certificate read_revoked_entry(der_reader& list) {
  auto entry = list.read_nested();
  revoked_certificate revoked;
  const byte_view serial = entry.keep(entry.integer_bytes());
  revoked.serial.assign(serial.begin(), serial.end());
  revoked.revocation_date = entry.keep(read_time(entry));
  if (!entry.at_end()) {
    const auto exts = entry.read(der_sequence);
    revoked.extensions = entry.keep(extension_list::from_der(exts.whole));
    if (const extension* reason = revoked.extensions.find(crl_oid::reason_code)) {
      revoked.reason = entry.keep(read_reason_code(reason->value));
    }
  }
  entry.require(entry.at_end(), "trailing data in a revokedCertificates entry");
  return revoked;
}

[[nodiscard]] inline result<void> read_tbs_cert_list(crl_data& c) {
  der_reader tbs_outer(c.parts.tbs, "CRL");
  auto tbs = tbs_outer.read_nested();
  // version Version OPTIONAL: absent for v1; "if present, MUST be v2" (an INTEGER 1).
  if (tbs.peek_tag() == MBEDTLS_ASN1_INTEGER) {
    const std::uint64_t number = tbs.read_small_unsigned();
    tbs.require(number == 1, "a CRL version, when present, is v2");
    c.version = 2;
  }
  // Only compared with the outer one: crl_data keeps parts.algorithm.
  static_cast<void>(
      read_inner_algorithm(tbs, c.parts, "the two signature algorithm fields of a CRL differ"));
  read_name_field(tbs, c.issuer_der, c.issuer);

  c.this_update = tbs.keep(read_time(tbs));
  if (const auto tag = tbs.peek_tag();
      tag == MBEDTLS_ASN1_UTC_TIME || tag == MBEDTLS_ASN1_GENERALIZED_TIME) {
    c.next_update = tbs.keep(read_time(tbs));
  }

  // RFC 5280 wants an empty list left out, but an empty SEQUENCE OF is valid ASN.1: kept.
  if (tbs.peek_tag() == der_sequence) {
    auto list = tbs.read_nested();
    while (!list.at_end()) {
      auto entry = read_revoked_entry(list);
      list.require(entry.extensions.empty() || c.version == 2, "a v1 CRL has CRL entry extensions");
      if (!entry.extensions.empty()) c.extended.push_back(c.revoked.size());
      c.revoked.push_back(std::move(entry));
    }
  }

  read_explicit_extensions(tbs, 0, c.version == 2, "a v1 CRL has CRL extensions",
                           "CRL extensions are malformed", c.extensions);
  tbs.require(tbs.at_end(), "trailing data in a CRL");

  if (const extension* number = c.extensions.find(crl_oid::crl_number)) {
    c.crl_number = tbs.keep(read_crl_number(number->value));
  }
  if (const extension* aki = c.extensions.find(pki::authority_key_identifier::oid_content)) {
    c.authority_key_identifier = tbs.keep(pki::authority_key_identifier::from_der(aki->value));
  }

  c.by_serial.resize(c.revoked.size());
  for (std::size_t i = 0; i < c.by_serial.size(); ++i) c.by_serial[i] = i;
  std::ranges::stable_sort(c.by_serial, {},
                           [&c](std::size_t i) -> const byte_buffer& { return c.revoked[i].serial; });
  return tbs.finish();
}

inline result<std::shared_ptr<crl_data>> crl_data::parse(byte_view der) {
  return parse_signed<crl_data>(der, "CRL", "CRL input is empty", read_tbs_cert_list);
}

}  // namespace detail

/// A certificate revocation list. Not typed by its issuer's key: which key may sign a CRL is
/// the issuer certificate's business, checked by verify_signature() (policy::crl_check does).
/// Parsing (from_der(): parse_failed when it is not strict DER, has trailing data, a v1 CRL
/// has extensions, or a cRLNumber, authorityKeyIdentifier or reasonCode is malformed, a
/// reason of 7 included; unsupported for an unknown signature algorithm), the DER, PEM,
/// TBS, signature and equality come from signed_document.
class crl : public signed_document<crl, detail::crl_data> {
 public:
  /// 1 or 2 (a CRL with extensions is v2).
  [[nodiscard]] int version() const noexcept { return data_->version; }
  /// The issuer's name (for a CRL that is not indirect, the subject of the CA certificate that signed it).
  [[nodiscard]] const distinguished_name& issuer() const noexcept { return data_->issuer; }
  /// The issuer Name exactly as encoded.
  [[nodiscard]] byte_view issuer_der() const noexcept { return data_->issuer_der; }
  /// When this CRL was issued.
  [[nodiscard]] std::chrono::sys_seconds this_update() const noexcept { return data_->this_update; }
  /// When the next CRL will be issued; nullopt when the CRL does not say.
  [[nodiscard]] const std::optional<std::chrono::sys_seconds>& next_update() const noexcept {
    return data_->next_update;
  }
  /// The entries in the order the CRL lists them.
  [[nodiscard]] std::span<const revoked_certificate> revoked() const noexcept { return data_->revoked; }
  /// The positions in revoked() of the entries that carry CRL entry extensions, in order
  /// (most entries carry none): what a relying party inspects before using the CRL,
  /// without walking every entry.
  [[nodiscard]] std::span<const std::size_t> entries_with_extensions() const noexcept {
    return data_->extended;
  }
  /// The entry for the certificate with this serial (INTEGER content octets, as
  /// certificate::serial() gives them); nullopt when it is not listed.
  [[nodiscard]] std::optional<revoked_certificate> is_revoked(byte_view serial) const {
    const auto& entries = data_->revoked;
    const auto found = std::ranges::lower_bound(
        data_->by_serial, serial,
        [](byte_view a, byte_view b) { return std::ranges::lexicographical_compare(a, b); },
        [&entries](std::size_t i) { return byte_view(entries[i].serial); });
    if (found == data_->by_serial.end() || !std::ranges::equal(entries[*found].serial, serial)) {
      return std::nullopt;
    }
    return entries[*found];
  }

  /// The cRLNumber's INTEGER content octets (non-negative, big-endian); nullopt when absent.
  [[nodiscard]] const std::optional<byte_buffer>& crl_number() const noexcept { return data_->crl_number; }
  /// The cRLNumber as a number; nullopt when absent or wider than 64 bits (see crl_number()).
  [[nodiscard]] std::optional<std::uint64_t> crl_number_value() const noexcept {
    if (!data_->crl_number) return std::nullopt;
    byte_view magnitude = *data_->crl_number;
    if (magnitude[0] == 0 && magnitude.size() > 1) magnitude = magnitude.subspan(1);
    if (magnitude.size() > 8) return std::nullopt;
    std::uint64_t number = 0;
    for (const auto b : magnitude) number = (number << 8) | b;
    return number;
  }
  /// The authorityKeyIdentifier: which of the issuer's keys signed; nullopt when absent.
  [[nodiscard]] const std::optional<pki::authority_key_identifier>& authority_key_identifier()
      const noexcept {
    return data_->authority_key_identifier;
  }
  /// Every crlExtension in order, known or not, critical or not.
  [[nodiscard]] const extension_list& extensions() const noexcept { return data_->extensions; }

 private:
  friend signed_document;
  explicit crl(std::shared_ptr<const detail::crl_data> data) noexcept : signed_document(std::move(data)) {}
  [[nodiscard]] static result<crl> adopt(std::shared_ptr<const detail::crl_data> data) {
    return crl(std::move(data));
  }
};

}  // namespace pki
