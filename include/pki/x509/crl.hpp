#pragma once
// crl<Alg>: an X.509 v2 certificate revocation list (RFC 5280 section 5) as an immutable
// value whose copies share one parsed state, like certificate<>; crl_builder writes and
// signs one (mbedTLS has no CRL writer). Parsing is strict DER. The extensions the library
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
#include "../core/detail/der_writer.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../keys/key.hpp"
#include "certificate.hpp"
#include "detail/builder.hpp"
#include "detail/signed_data.hpp"
#include "detail/x509_time.hpp"
#include "extensions.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"

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

[[nodiscard]] inline result<revoked_certificate> read_revoked_entry(der_reader& list) {
  auto entry = list.enter();
  if (!entry) return std::unexpected(entry.error());
  revoked_certificate revoked;
  auto serial = entry->integer_bytes();
  if (!serial) return std::unexpected(serial.error());
  revoked.serial.assign(serial->begin(), serial->end());
  auto date = read_time(*entry);
  if (!date) return std::unexpected(date.error());
  revoked.revocation_date = *date;
  if (!entry->at_end()) {
    auto exts = entry->expect(der_sequence);
    if (!exts) return std::unexpected(exts.error());
    auto parsed = extension_list::from_der(exts->whole);
    if (!parsed) return std::unexpected(parsed.error());
    revoked.extensions = std::move(*parsed);
    if (const extension* reason = revoked.extensions.find(crl_oid::reason_code)) {
      auto code = read_reason_code(reason->value);
      if (!code) return std::unexpected(code.error());
      revoked.reason = *code;
    }
  }
  if (!entry->at_end()) return fail(errc::parse_failed, "trailing data in a revokedCertificates entry");
  return revoked;
}

[[nodiscard]] inline result<void> read_tbs_cert_list(crl_data& c) {
  der_reader tbs_outer(c.parts.tbs, "CRL");
  auto tbs = tbs_outer.enter();
  if (!tbs) return std::unexpected(tbs.error());
  // version Version OPTIONAL: absent for v1; "if present, MUST be v2" (an INTEGER 1).
  if (tbs->peek_tag() == MBEDTLS_ASN1_INTEGER) {
    auto number = tbs->small_unsigned();
    if (!number) return std::unexpected(number.error());
    if (*number != 1) return fail(errc::parse_failed, "a CRL version, when present, is v2");
    c.version = 2;
  }
  byte_view alg_der;
  auto alg = read_signature_algorithm(*tbs, alg_der);
  if (!alg) return std::unexpected(alg.error());
  if (auto same =
          check_same_algorithm(c.parts, alg_der, "the two signature algorithm fields of a CRL differ");
      !same) {
    return same;
  }
  auto issuer = tbs->expect(der_sequence);
  if (!issuer) return std::unexpected(issuer.error());
  c.issuer_der = issuer->whole;
  auto issuer_name = distinguished_name::from_der(issuer->whole);
  if (!issuer_name) return std::unexpected(issuer_name.error());
  c.issuer = std::move(*issuer_name);

  auto this_update = read_time(*tbs);
  if (!this_update) return std::unexpected(this_update.error());
  c.this_update = *this_update;
  if (const auto tag = tbs->peek_tag();
      tag == MBEDTLS_ASN1_UTC_TIME || tag == MBEDTLS_ASN1_GENERALIZED_TIME) {
    auto next_update = read_time(*tbs);
    if (!next_update) return std::unexpected(next_update.error());
    c.next_update = *next_update;
  }

  // RFC 5280 wants an empty list left out, but an empty SEQUENCE OF is valid ASN.1: kept.
  if (tbs->peek_tag() == der_sequence) {
    auto list = tbs->enter();
    if (!list) return std::unexpected(list.error());
    while (!list->at_end()) {
      auto entry = read_revoked_entry(*list);
      if (!entry) return std::unexpected(entry.error());
      if (!entry->extensions.empty() && c.version != 2) {
        return fail(errc::parse_failed, "a v1 CRL has CRL entry extensions");
      }
      if (!entry->extensions.empty()) c.extended.push_back(c.revoked.size());
      c.revoked.push_back(std::move(*entry));
    }
  }

  auto exts = tbs->optional(context_constructed(0));
  if (!exts) return std::unexpected(exts.error());
  if (exts->present()) {
    if (c.version != 2) return fail(errc::parse_failed, "a v1 CRL has CRL extensions");
    auto parsed = read_explicit_extensions(*exts, "CRL extensions are malformed");
    if (!parsed) return std::unexpected(parsed.error());
    c.extensions = std::move(*parsed);
  }
  if (!tbs->at_end()) return fail(errc::parse_failed, "trailing data in a CRL");

  if (const extension* number = c.extensions.find(crl_oid::crl_number)) {
    auto value = read_crl_number(number->value);
    if (!value) return std::unexpected(value.error());
    c.crl_number = std::move(*value);
  }
  if (const extension* aki = c.extensions.find(pki::authority_key_identifier::oid_content)) {
    auto value = pki::authority_key_identifier::from_der(aki->value);
    if (!value) return std::unexpected(value.error());
    c.authority_key_identifier = std::move(*value);
  }

  c.by_serial.resize(c.revoked.size());
  for (std::size_t i = 0; i < c.by_serial.size(); ++i) c.by_serial[i] = i;
  std::ranges::stable_sort(c.by_serial, {},
                           [&c](std::size_t i) -> const byte_buffer& { return c.revoked[i].serial; });
  return {};
}

[[nodiscard]] inline result<std::shared_ptr<crl_data>> parse_crl(byte_view der) {
  return parse_signed<crl_data>(der, "CRL", "CRL input is empty", read_tbs_cert_list);
}

}  // namespace detail

/// A certificate revocation list. Alg names the issuer's key algorithm: crl<> accepts any;
/// a fixed tag makes parsing refuse (algorithm_mismatch) a CRL signed by another key type.
template <algorithm_tag Alg = any_algorithm>
class crl {
 public:
  /// Parses one DER CRL: parse_failed when it is not strict DER, has trailing data, a v1
  /// CRL has extensions, or a cRLNumber, authorityKeyIdentifier or reasonCode is malformed
  /// (a reason of 7 included); unsupported for an unknown signature algorithm;
  /// algorithm_mismatch when it is signed with a key type other than Alg's.
  [[nodiscard]] static result<crl> from_der(byte_view der) {
    auto data = detail::parse_crl(der);
    if (!data) return std::unexpected(data.error());
    if constexpr (fixed_algorithm<Alg>) {
      if ((*data)->parts.algorithm.type != Alg::id.type) {
        return fail(errc::algorithm_mismatch, "the CRL is signed with another key type than the type names");
      }
    }
    return crl(std::move(*data));
  }
  /// Parses the first "X509 CRL" PEM block of a text; parse_failed when there is none, else as from_der().
  [[nodiscard]] static result<crl> from_pem(std::string_view pem) {
    return detail::out_of_memory_guard("parsing a PEM CRL", [&]() -> result<crl> {
      auto der = pem::decode(pem, "X509 CRL");
      if (!der) return std::unexpected(der.error());
      return from_der(*der);
    });
  }
  /// Parses PEM or DER, as from_pem() or from_der().
  [[nodiscard]] static result<crl> parse(byte_view pem_or_der) {
    return detail::parse_pem_or_der<crl>(pem_or_der);
  }

  /// Widens a CRL typed by its issuer's key algorithm.
  template <fixed_algorithm Other>
  requires std::same_as<Alg, any_algorithm> crl(const crl<Other>& other) : data_(other.data_) {}

  /// 1 or 2 (a CRL with extensions is v2).
  [[nodiscard]] int version() const noexcept { return data_->version; }
  /// The scheme the issuer signed with.
  [[nodiscard]] const pki::signature_algorithm& signature_algorithm() const noexcept {
    return data_->parts.algorithm;
  }
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

  /// Checks that `issuer_key` signed this CRL: bad_signature if not; algorithm_mismatch
  /// when the signature algorithm is for another key type.
  template <algorithm_tag K>
  requires(std::same_as<Alg, any_algorithm> || std::same_as<K, Alg> || std::same_as<K, any_algorithm>)
      [[nodiscard]] result<void> verify_signature(const pki::public_key<K>& issuer_key) const {
    return detail::verify_signed(data_->parts, pki::public_key<>(issuer_key));
  }

  /// The signature's bytes.
  [[nodiscard]] byte_view signature() const noexcept { return data_->parts.signature; }
  /// The DER of tbsCertList, the bytes the signature covers.
  [[nodiscard]] byte_view tbs_der() const noexcept { return data_->parts.tbs; }
  /// The whole CRL in DER.
  [[nodiscard]] byte_view der() const noexcept { return data_->der; }
  /// The CRL as an "X509 CRL" PEM block; fails only when base64 encoding does.
  [[nodiscard]] result<std::string> to_pem() const { return pem::encode("X509 CRL", data_->der); }

  /// Same DER encoding.
  template <algorithm_tag Other>
  friend bool operator==(const crl& a, const crl<Other>& b) noexcept {
    return std::ranges::equal(a.der(), b.der());
  }

 private:
  template <algorithm_tag>
  friend class crl;

  explicit crl(std::shared_ptr<const detail::crl_data> data) noexcept : data_(std::move(data)) {}

  std::shared_ptr<const detail::crl_data> data_;
};

/// Writes and signs a v2 CRL with a cRLNumber and an authorityKeyIdentifier (both non-critical,
/// as RFC 5280 5.2 requires). There is no default cRLNumber or nextUpdate: sign() refuses a
/// CRL without them, which policy::crl_check could not use (the caller keeps the numbers
/// increasing). Setters chain; the first invalid input is kept and reported by sign().
class crl_builder : public detail::builder_base<crl_builder> {
 public:
  /// The issuing CA's certificate: its subject, byte for byte, is the CRL's issuer; its
  /// subjectKeyIdentifier (or, without one, the method-1 identifier of its key) is the AKI;
  /// sign() checks the key against it.
  template <algorithm_tag C>
  crl_builder& issuer(const certificate<C>& ca) {
    issuer_der_.assign(ca.subject_der().begin(), ca.subject_der().end());
    issuer_key_ = pki::public_key<>(ca.public_key());
    auto ski = ca.subject_key_identifier();
    if (!ski) return note(ski.error());
    if (*ski) {
      key_id_ = (*ski)->key_id;
      return *this;
    }
    auto spki = ca.public_key().to_der();
    if (!spki) return note(spki.error());
    auto computed = subject_key_identifier::from_public_key_der(*spki);
    if (!computed) return note(computed.error());
    key_id_ = std::move(computed->key_id);
    return *this;
  }
  /// The issuer by name alone; the AKI is then computed from the signing key.
  crl_builder& issuer(const distinguished_name& name) {
    auto der = name.to_der();
    if (!der) return note(der.error());
    issuer_der_ = std::move(*der);
    issuer_key_.reset();
    key_id_.reset();
    return *this;
  }
  /// When the CRL is issued (default: when sign() is called).
  crl_builder& this_update(std::chrono::sys_seconds t) {
    this_update_ = t;
    return *this;
  }
  /// When the next CRL will be issued (required: RFC 5280 5.1.2.5).
  crl_builder& next_update(std::chrono::sys_seconds t) {
    next_update_ = t;
    return *this;
  }
  /// Both update times.
  crl_builder& period(const crl_period& p) { return this_update(p.this_update).next_update(p.next_update); }
  /// The cRLNumber (required: RFC 5280 5.2.3).
  crl_builder& crl_number(std::uint64_t number) {
    const auto bytes = detail::big_endian(number);
    return crl_number(byte_view(bytes));
  }
  /// The cRLNumber from its big-endian magnitude (INTEGER content octets read the same);
  /// invalid_argument when empty or longer than 20 octets encoded.
  crl_builder& crl_number(byte_view magnitude) {
    if (magnitude.empty()) return note(errc::invalid_argument, "a cRLNumber needs at least one octet");
    while (magnitude.size() > 1 && magnitude[0] == 0) magnitude = magnitude.subspan(1);
    const std::size_t octets = magnitude.size() + ((magnitude[0] & 0x80) != 0 ? 1 : 0);
    if (octets > detail::max_crl_number_octets) {
      return note(errc::invalid_argument, "a cRLNumber has at most 20 octets (RFC 5280 5.2.3)");
    }
    crl_number_.assign(magnitude.begin(), magnitude.end());
    return *this;
  }
  /// Lists the certificate with this serial (INTEGER content octets, as certificate::serial()
  /// gives them). unspecified is written as no reasonCode (RFC 5280 5.3.1 says to leave it
  /// out). invalid_argument when the serial is not a DER INTEGER, is already listed, or the
  /// reason is remove_from_crl (delta CRLs only).
  crl_builder& revoke(byte_view serial, std::chrono::sys_seconds date,
                      std::optional<crl_reason> reason = std::nullopt) {
    return revoke(revoked_certificate{byte_buffer(serial.begin(), serial.end()), date, reason, {}});
  }
  /// Lists this certificate; as revoke(cert.serial(), ...).
  template <algorithm_tag C>
  crl_builder& revoke(const certificate<C>& cert, std::chrono::sys_seconds date,
                      std::optional<crl_reason> reason = std::nullopt) {
    return revoke(cert.serial(), date, reason);
  }
  /// Lists an entry (from another CRL, say) with its other entry extensions; invalid_argument
  /// as revoke() above, or when its extensions hold a reasonCode other than its `reason`.
  crl_builder& revoke(revoked_certificate entry) {
    if (!detail::is_der_integer(entry.serial)) {
      return note(errc::invalid_argument, "a revoked serial is not an INTEGER's content octets");
    }
    if (entry.reason && (static_cast<std::uint8_t>(*entry.reason) > 10 || *entry.reason == crl_reason{7})) {
      return note(errc::invalid_argument, "a revocation reason is not a CRLReason value");
    }
    if (entry.reason == crl_reason::remove_from_crl) {
      return note(errc::invalid_argument, "removeFromCRL is for delta CRLs only (RFC 5280 5.3.1)");
    }
    if (const extension* listed = entry.extensions.find(detail::crl_oid::reason_code)) {
      auto code = detail::read_reason_code(listed->value);
      if (!code) return note(errc::invalid_argument, "an entry's reasonCode extension is malformed");
      if (entry.reason != *code) {
        return note(errc::invalid_argument, "an entry's reasonCode extension differs from its reason");
      }
    }
    for (const auto& other : revoked_) {
      if (other.serial == entry.serial) return note(errc::invalid_argument, "a serial is revoked twice");
    }
    revoked_.push_back(std::move(entry));
    return *this;
  }
  /// Another crlExtension, written after the AKI and cRLNumber; a duplicate OID is invalid_argument.
  crl_builder& add_extension(extension ext) {
    if (ext.oid == detail::crl_oid::crl_number || ext.oid == pki::authority_key_identifier::oid_content) {
      return note(errc::invalid_argument, "the builder writes cRLNumber and authorityKeyIdentifier itself");
    }
    if (auto ok = extra_.add(std::move(ext)); !ok) return note(ok.error());
    return *this;
  }

  /// The CRL signed by `issuer_key`: invalid_argument when the issuer, nextUpdate or
  /// cRLNumber is missing or nextUpdate is before thisUpdate; key_mismatch when the key is not
  /// the issuer certificate's; or the first error a setter met.
  template <algorithm_tag K>
  [[nodiscard]] result<crl<>> sign(const private_key<K>& issuer_key) const {
    return detail::out_of_memory_guard("signing a CRL", [&]() -> result<crl<>> {
      if (error_) return std::unexpected(*error_);
      if (issuer_der_.empty()) return fail(errc::invalid_argument, "a CRL needs an issuer");
      if (!next_update_) return fail(errc::invalid_argument, "a CRL needs a nextUpdate (RFC 5280 5.1.2.5)");
      if (crl_number_.empty())
        return fail(errc::invalid_argument, "a CRL needs a cRLNumber (RFC 5280 5.2.3)");
      const auto this_update =
          this_update_.value_or(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
      if (*next_update_ < this_update) {
        return fail(errc::invalid_argument, "a CRL's nextUpdate is before its thisUpdate");
      }
      if (issuer_key_) {
        if (auto ok = issuer_key.matches(*issuer_key_); !ok) {
          return fail(errc::key_mismatch, "the signing key does not match the issuer certificate");
        }
      }
      pki::authority_key_identifier aki;
      if (key_id_) {
        aki.key_id = *key_id_;
      } else {
        auto pub = issuer_key.public_key();
        if (!pub) return std::unexpected(pub.error());
        auto spki = pub->to_der();
        if (!spki) return std::unexpected(spki.error());
        auto computed = pki::authority_key_identifier::from_public_key_der(*spki);
        if (!computed) return std::unexpected(computed.error());
        aki = std::move(*computed);
      }
      extension_list exts;
      if (auto ok = exts.add(aki); !ok) return std::unexpected(ok.error());
      detail::der_writer number(32);
      number.unsigned_integer(crl_number_);
      auto number_der = number.finish<byte_buffer>();
      if (!number_der) return std::unexpected(number_der.error());
      if (auto ok = exts.add(extension{object_identifier::from_trusted(detail::crl_oid::crl_number), false,
                                       std::move(*number_der)});
          !ok) {
        return std::unexpected(ok.error());
      }
      for (const auto& ext : extra_) {
        if (auto ok = exts.add(ext); !ok) return std::unexpected(ok.error());
      }

      const auto algorithm = signature_algorithm::for_key(issuer_key.algorithm(), hash_);
      auto tbs = write_tbs(algorithm, this_update, exts);
      if (!tbs) return std::unexpected(tbs.error());
      auto der = detail::sign_tbs(*tbs, issuer_key, algorithm);
      if (!der) return std::unexpected(der.error());
      return crl<>::from_der(*der);
    });
  }

 private:
  /// The entry's extensions: reasonCode first (from `reason`), then the others as given.
  [[nodiscard]] static result<extension_list> entry_extensions(const revoked_certificate& entry) {
    extension_list exts;
    if (entry.reason && *entry.reason != crl_reason::unspecified) {
      auto ok = exts.add(extension{object_identifier::from_trusted(detail::crl_oid::reason_code), false,
                                   detail::reason_code_der(*entry.reason)});
      if (!ok) return std::unexpected(ok.error());
    }
    for (const auto& ext : entry.extensions) {
      if (ext.oid == detail::crl_oid::reason_code) continue;
      if (auto ok = exts.add(ext); !ok) return std::unexpected(ok.error());
    }
    return exts;
  }

  [[nodiscard]] result<byte_buffer> write_tbs(const signature_algorithm& algorithm,
                                              std::chrono::sys_seconds this_update,
                                              const extension_list& exts) const {
    detail::der_writer w(1024 + 48 * revoked_.size());
    auto crl_exts = exts.to_der();
    if (!crl_exts) return std::unexpected(crl_exts.error());
    const std::size_t tagged = w.mark();
    w.raw(*crl_exts);
    w.wrap(tagged, detail::context_constructed(0));
    // RFC 5280 5.1.2.6: with no revoked certificates the list is absent, not empty.
    if (!revoked_.empty()) {
      const std::size_t list = w.mark();
      for (auto entry = revoked_.rbegin(); entry != revoked_.rend(); ++entry) {
        const std::size_t start = w.mark();
        auto entry_exts = entry_extensions(*entry);
        if (!entry_exts) return std::unexpected(entry_exts.error());
        if (!entry_exts->empty()) {
          auto der = entry_exts->to_der();
          if (!der) return std::unexpected(der.error());
          w.raw(*der);
        }
        if (auto ok = detail::write_time(w, entry->revocation_date); !ok) return std::unexpected(ok.error());
        w.primitive(MBEDTLS_ASN1_INTEGER, entry->serial);
        w.sequence(start);
      }
      w.sequence(list);
    }
    if (auto ok = detail::write_time(w, *next_update_); !ok) return std::unexpected(ok.error());
    if (auto ok = detail::write_time(w, this_update); !ok) return std::unexpected(ok.error());
    w.raw(issuer_der_);
    detail::write_signature_algorithm(w, algorithm);
    w.integer(1);  // v2
    w.sequence(0);
    return w.finish<byte_buffer>();
  }

  byte_buffer issuer_der_;
  std::optional<pki::public_key<>> issuer_key_;
  std::optional<byte_buffer> key_id_;
  std::optional<std::chrono::sys_seconds> this_update_;
  std::optional<std::chrono::sys_seconds> next_update_;
  byte_buffer crl_number_;
  std::vector<revoked_certificate> revoked_;
  extension_list extra_;
};

}  // namespace pki
