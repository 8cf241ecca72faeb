#pragma once
// X.509 v3 extensions (RFC 5280 4.2) as types: each has its OID, its RFC 5280 default
// criticality, DER encoding and decoding of the extnValue contents, and OpenSSL-style
// text; `extension` is any extension as OID, criticality and DER, and `extension_list`
// the ordered Extensions of a certificate, CSR or CRL.
//
// Decoding is strict DER and refuses what the ASN.1 forbids (an empty SEQUENCE SIZE
// (1..MAX), a wrong tag, trailing data): parse_failed. One leniency: a DEFAULT value
// written out (an extension's critical FALSE, basicConstraints' cA FALSE, a subtree's
// minimum 0) is read as the DEFAULT, as Go, OpenSSL, Botan and mbedTLS read it; real CAs
// emit it and it is unambiguous. Encoding always leaves it out.
// Encoding refuses, in addition, what RFC 5280 forbids a conforming CA to issue (a
// keyUsage with no bit set, pathLenConstraint without cA, name-constraint subtrees with
// a minimum or maximum): invalid_argument. A decoded value that only RFC 5280 forbids is
// kept, so a certificate that breaks it can still be read and judged.

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "general_name.hpp"
#include "name.hpp"
#include "object_identifier.hpp"

namespace pki {

/// One extension as a certificate holds it: its OID, whether it is critical, and the DER
/// inside extnValue's OCTET STRING.
struct extension {
  object_identifier oid{};
  bool critical = false;
  byte_buffer value{};
  friend bool operator==(const extension&, const extension&) = default;
};

namespace detail {

/// Upper-case hex with ':' between bytes, as OpenSSL prints key identifiers and serials.
[[nodiscard]] inline std::string colon_hex(byte_view bytes) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string text{};
  text.reserve(bytes.size() * 3);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) text += ':';
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 0xF];
  }
  return text;
}

/// The single value with `tag` that `der` consists of; parse_failed on another tag or trailing data.
[[nodiscard]] inline result<der_value> read_only_value(byte_view der, std::uint8_t tag, const char* context) {
  der_reader reader(der, context);
  auto value = reader.expect(tag);
  if (!value) return std::unexpected(value.error());
  if (!reader.at_end()) return fail(errc::parse_failed, context);
  return *value;
}

/// The contents of a named BIT STRING (X.690 11.2.2): bit n of `bits` is ASN.1 bit n;
/// trailing zero bits are dropped and the unused-bits count says how many.
[[nodiscard]] inline byte_buffer named_bits_content(std::uint16_t bits) {
  if (bits == 0) return {0};
  unsigned highest = 15;
  while ((bits & (1U << highest)) == 0) --highest;
  byte_buffer content(2 + highest / 8, 0);
  content[0] = static_cast<std::uint8_t>(7 - highest % 8);
  for (unsigned bit = 0; bit <= highest; ++bit) {
    if ((bits & (1U << bit)) != 0) content[1 + bit / 8] |= static_cast<std::uint8_t>(0x80U >> (bit % 8));
  }
  return content;
}

/// Named bits from BIT STRING contents; parse_failed unless they are DER (unused bits zero,
/// trailing zero bits removed) and fit in 16 bits.
[[nodiscard]] inline result<std::uint16_t> read_named_bits(byte_view content, const char* context) {
  if (content.empty() || content[0] > 7) return fail(errc::parse_failed, context);
  const unsigned unused = content[0];
  if (content.size() == 1) {
    if (unused != 0) return fail(errc::parse_failed, context);
    return std::uint16_t{0};
  }
  if (content.size() > 3) return fail(errc::parse_failed, "a named BIT STRING has more than 16 bits");
  const unsigned last = content.back();
  if ((last & ((1U << unused) - 1)) != 0 || (last & (1U << unused)) == 0) {
    return fail(errc::parse_failed, "a named BIT STRING is not DER (unused or trailing zero bits)");
  }
  std::uint16_t bits = 0;
  for (std::size_t i = 1; i < content.size(); ++i) {
    for (unsigned bit = 0; bit < 8; ++bit) {
      if ((content[i] & (0x80U >> bit)) != 0) bits |= static_cast<std::uint16_t>(1U << ((i - 1) * 8 + bit));
    }
  }
  return bits;
}

/// True when `content` is a minimal two's-complement INTEGER encoding.
[[nodiscard]] inline bool is_der_integer(byte_view content) noexcept {
  if (content.empty()) return false;
  if (content.size() == 1) return true;
  return !((content[0] == 0x00 && (content[1] & 0x80) == 0) ||
           (content[0] == 0xFF && (content[1] & 0x80) != 0));
}

/// A non-negative INTEGER under an implicit tag; parse_failed when not minimal, negative or too large.
[[nodiscard]] inline result<std::uint64_t> read_implicit_unsigned(const der_value& value) {
  if (!is_der_integer(value.content) || (value.content[0] & 0x80) != 0) {
    return fail(errc::parse_failed, "malformed non-negative INTEGER");
  }
  byte_view magnitude = value.content;
  if (magnitude[0] == 0) magnitude = magnitude.subspan(1);
  if (magnitude.size() > 8) return fail(errc::parse_failed, "INTEGER too large");
  std::uint64_t number = 0;
  for (const auto b : magnitude) number = (number << 8) | b;
  return number;
}

/// Big-endian bytes of a number, for der_writer::unsigned_integer.
[[nodiscard]] inline std::array<std::uint8_t, 8> big_endian(std::uint64_t number) noexcept {
  std::array<std::uint8_t, 8> bytes{};
  for (std::size_t i = 0; i < 8; ++i) bytes[7 - i] = static_cast<std::uint8_t>(number >> (8 * i));
  return bytes;
}

/// GeneralNames (IP names as addresses) from the whole DER of a SEQUENCE OF GeneralName.
[[nodiscard]] inline result<std::vector<general_name>> read_general_names_der(byte_view der,
                                                                              const char* context) {
  auto sequence = read_only_value(der, der_sequence, context);
  if (!sequence) return std::unexpected(sequence.error());
  return read_general_names(sequence->content);
}

/// Joins lines with '\n', each indented by `indent` spaces.
inline void append_line(std::string& text, std::string_view line, std::size_t indent = 0) {
  if (!text.empty()) text += '\n';
  text.append(indent, ' ');
  text += line;
}

}  // namespace detail

/// subjectAltName (2.5.29.17): the names a certificate's subject is also known by.
/// Not critical by default (RFC 5280: critical only when the subject is empty).
struct subject_alt_name {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x11");
  static constexpr bool default_critical = false;

  std::vector<general_name> names{};

  /// 2.5.29.17.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER (GeneralNames); invalid_argument when there are no names or one is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const { return general_names_to_der(names); }
  /// From the extnValue DER; parse_failed when malformed, empty, or an iPAddress is not 4 or 16 bytes.
  [[nodiscard]] static result<subject_alt_name> from_der(byte_view der) {
    auto names = detail::read_general_names_der(der, "parsing subjectAltName");
    if (!names) return std::unexpected(names.error());
    return subject_alt_name{std::move(*names)};
  }
  /// "DNS:a.example, IP Address:192.0.2.1, URI:https://x/".
  [[nodiscard]] std::string to_string() const { return pki::to_string(std::span<const general_name>(names)); }
  friend bool operator==(const subject_alt_name&, const subject_alt_name&) = default;
};

/// issuerAltName (2.5.29.18): the names the issuer is also known by. Not critical by default.
struct issuer_alt_name {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x12");
  static constexpr bool default_critical = false;

  std::vector<general_name> names{};

  /// 2.5.29.18.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER (GeneralNames); invalid_argument when there are no names or one is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const { return general_names_to_der(names); }
  /// From the extnValue DER; parse_failed when malformed, empty, or an iPAddress is not 4 or 16 bytes.
  [[nodiscard]] static result<issuer_alt_name> from_der(byte_view der) {
    auto names = detail::read_general_names_der(der, "parsing issuerAltName");
    if (!names) return std::unexpected(names.error());
    return issuer_alt_name{std::move(*names)};
  }
  /// "DNS:ca.example, email:ca@example.com".
  [[nodiscard]] std::string to_string() const { return pki::to_string(std::span<const general_name>(names)); }
  friend bool operator==(const issuer_alt_name&, const issuer_alt_name&) = default;
};

/// The bits of keyUsage; combine with |. Bit values are 1 << (ASN.1 bit number).
enum class key_usage_flag : std::uint16_t {
  digital_signature = 1U << 0,
  non_repudiation = 1U << 1,
  content_commitment = 1U << 1,  ///< the newer name of non_repudiation
  key_encipherment = 1U << 2,
  data_encipherment = 1U << 3,
  key_agreement = 1U << 4,
  key_cert_sign = 1U << 5,
  crl_sign = 1U << 6,
  encipher_only = 1U << 7,
  decipher_only = 1U << 8,
};

/// Both sets of key usages.
[[nodiscard]] constexpr key_usage_flag operator|(key_usage_flag a, key_usage_flag b) noexcept {
  return static_cast<key_usage_flag>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}

/// keyUsage (2.5.29.15): what the key may be used for. Critical by default (RFC 5280: SHOULD).
struct key_usage {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x0F");
  static constexpr bool default_critical = true;
  using enum key_usage_flag;

  key_usage_flag flags{};

  /// 2.5.29.15.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// True when every bit of `flag` is set.
  [[nodiscard]] constexpr bool has(key_usage_flag flag) const noexcept {
    const auto wanted = static_cast<std::uint16_t>(flag);
    return wanted != 0 && (static_cast<std::uint16_t>(flags) & wanted) == wanted;
  }
  /// The extnValue DER (a named BIT STRING, trailing zero bits removed); invalid_argument
  /// when no bit is set (RFC 5280: at least one MUST be).
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (static_cast<std::uint16_t>(flags) == 0)
      return fail(errc::invalid_argument, "a keyUsage needs a bit set");
    detail::der_writer out;
    out.primitive(MBEDTLS_ASN1_BIT_STRING, detail::named_bits_content(static_cast<std::uint16_t>(flags)));
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when it is not a DER named BIT STRING.
  [[nodiscard]] static result<key_usage> from_der(byte_view der) {
    auto value = detail::read_only_value(der, MBEDTLS_ASN1_BIT_STRING, "parsing keyUsage");
    if (!value) return std::unexpected(value.error());
    auto bits = detail::read_named_bits(value->content, "parsing keyUsage");
    if (!bits) return std::unexpected(bits.error());
    return key_usage{static_cast<key_usage_flag>(*bits)};
  }
  /// "Digital Signature, Key Encipherment", in bit order.
  [[nodiscard]] std::string to_string() const {
    static constexpr std::string_view names[] = {"Digital Signature", "Non Repudiation", "Key Encipherment",
                                                 "Data Encipherment", "Key Agreement",   "Certificate Sign",
                                                 "CRL Sign",          "Encipher Only",   "Decipher Only"};
    std::string text;
    for (std::size_t bit = 0; bit < std::size(names); ++bit) {
      if ((static_cast<std::uint16_t>(flags) & (1U << bit)) == 0) continue;
      if (!text.empty()) text += ", ";
      text += names[bit];
    }
    return text;
  }
  friend bool operator==(const key_usage&, const key_usage&) = default;
};

/// extendedKeyUsage (2.5.29.37): the purposes the key may be used for. Not critical by default.
struct extended_key_usage {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x25");
  static constexpr bool default_critical = false;
  // Purposes, as OID content octets.
  static constexpr std::string_view server_auth =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x03\x01");  // 1.3.6.1.5.5.7.3.1
  static constexpr std::string_view client_auth =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x03\x02");  // 1.3.6.1.5.5.7.3.2
  static constexpr std::string_view code_signing =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x03\x03");  // 1.3.6.1.5.5.7.3.3
  static constexpr std::string_view email_protection =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x03\x04");  // 1.3.6.1.5.5.7.3.4
  static constexpr std::string_view time_stamping =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x03\x08");  // 1.3.6.1.5.5.7.3.8
  static constexpr std::string_view ocsp_signing =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x03\x09");  // 1.3.6.1.5.5.7.3.9
  static constexpr std::string_view any_extended_key_usage =
      detail::oid_octets("\x55\x1D\x25\x00");  // 2.5.29.37.0

  std::vector<object_identifier> purposes{};

  /// 2.5.29.37.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The purposes named by the constants above: `extended_key_usage::of({extended_key_usage::server_auth})`.
  [[nodiscard]] static extended_key_usage of(std::initializer_list<std::string_view> known_purposes) {
    extended_key_usage usage;
    for (const auto purpose : known_purposes)
      usage.purposes.push_back(object_identifier::from_trusted(purpose));
    return usage;
  }
  /// True when `purpose` (OID content octets) is listed.
  [[nodiscard]] bool has(std::string_view purpose) const noexcept {
    for (const auto& listed : purposes) {
      if (listed == purpose) return true;
    }
    return false;
  }
  /// True when `purpose` is listed.
  [[nodiscard]] bool has(const object_identifier& purpose) const noexcept {
    return has(detail::oid_content_view(purpose));
  }
  /// The extnValue DER (SEQUENCE OF OBJECT IDENTIFIER); invalid_argument when empty.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (purposes.empty()) return fail(errc::invalid_argument, "an extendedKeyUsage needs a purpose");
    detail::der_writer out;
    const std::size_t start = out.mark();
    for (auto it = purposes.rbegin(); it != purposes.rend(); ++it) {
      if (it->empty()) return fail(errc::invalid_argument, "an extendedKeyUsage purpose needs an OID");
      out.oid(detail::oid_content_view(*it));
    }
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed or empty.
  [[nodiscard]] static result<extended_key_usage> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing extendedKeyUsage");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing extendedKeyUsage");
    if (reader.at_end()) return fail(errc::parse_failed, "an extendedKeyUsage is empty");
    extended_key_usage usage;
    while (!reader.at_end()) {
      auto content = reader.oid();
      if (!content) return std::unexpected(content.error());
      auto purpose = object_identifier::from_der_content(*content);
      if (!purpose) return std::unexpected(purpose.error());
      usage.purposes.push_back(std::move(*purpose));
    }
    return usage;
  }
  /// OpenSSL's name of a purpose ("TLS Web Server Authentication"), or its dotted OID.
  [[nodiscard]] static std::string purpose_name(const object_identifier& purpose) {
    if (purpose == server_auth) return "TLS Web Server Authentication";
    if (purpose == client_auth) return "TLS Web Client Authentication";
    if (purpose == code_signing) return "Code Signing";
    if (purpose == email_protection) return "E-mail Protection";
    if (purpose == time_stamping) return "Time Stamping";
    if (purpose == ocsp_signing) return "OCSP Signing";
    if (purpose == any_extended_key_usage) return "Any Extended Key Usage";
    return purpose.to_string();
  }
  /// "TLS Web Server Authentication, TLS Web Client Authentication".
  [[nodiscard]] std::string to_string() const {
    std::string text;
    for (const auto& purpose : purposes) {
      if (!text.empty()) text += ", ";
      text += purpose_name(purpose);
    }
    return text;
  }
  friend bool operator==(const extended_key_usage&, const extended_key_usage&) = default;
};

/// basicConstraints (2.5.29.19): whether the subject is a CA, and how many intermediate
/// CAs may follow it. Critical by default (RFC 5280: MUST be in CA certificates).
struct basic_constraints {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x13");
  static constexpr bool default_critical = true;

  bool ca = false;
  std::optional<std::uint32_t> path_len{};  ///< pathLenConstraint; meaningful only with ca

  /// 2.5.29.19.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER (cA FALSE is omitted, as DER requires of a DEFAULT); invalid_argument
  /// when path_len is set without ca.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (path_len && !ca) return fail(errc::invalid_argument, "a pathLenConstraint needs CA:TRUE");
    detail::der_writer out;
    const std::size_t start = out.mark();
    if (path_len) out.unsigned_integer(detail::big_endian(*path_len));
    if (ca) out.boolean(true);
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed, or when pathLenConstraint is
  /// negative or above 2^32-1. A pathLen without cA is kept. cA FALSE written out (its
  /// DEFAULT, which DER omits) is read as absent: real CAs emit it and Go, OpenSSL, Botan and
  /// mbedTLS accept it, and it can mean only one thing.
  [[nodiscard]] static result<basic_constraints> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing basicConstraints");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing basicConstraints");
    basic_constraints constraints;
    if (reader.peek_tag() == MBEDTLS_ASN1_BOOLEAN) {
      auto ca = reader.boolean();
      if (!ca) return std::unexpected(ca.error());
      constraints.ca = *ca;
    }
    if (!reader.at_end()) {
      auto length = reader.small_unsigned();
      if (!length) return std::unexpected(length.error());
      if (*length > UINT32_MAX)
        return fail(errc::parse_failed, "basicConstraints pathLenConstraint too large");
      constraints.path_len = static_cast<std::uint32_t>(*length);
    }
    if (!reader.at_end()) return fail(errc::parse_failed, "trailing data in basicConstraints");
    return constraints;
  }
  /// "CA:TRUE, pathlen:0" or "CA:FALSE".
  [[nodiscard]] std::string to_string() const {
    std::string text = ca ? "CA:TRUE" : "CA:FALSE";
    if (path_len) text += ", pathlen:" + std::to_string(*path_len);
    return text;
  }
  friend bool operator==(const basic_constraints&, const basic_constraints&) = default;
};

/// subjectKeyIdentifier (2.5.29.14): an identifier of the subject's public key. Never critical.
struct subject_key_identifier {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x0E");
  static constexpr bool default_critical = false;

  byte_buffer key_id{};

  /// 2.5.29.14.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// RFC 5280 method 1: the SHA-1 of the subjectPublicKey BIT STRING's bytes of a
  /// SubjectPublicKeyInfo; parse_failed when `spki_der` is not one, unsupported without SHA-1.
  [[nodiscard]] static result<subject_key_identifier> from_public_key_der(byte_view spki_der) {
    auto spki = detail::read_only_value(spki_der, detail::der_sequence, "parsing a SubjectPublicKeyInfo");
    if (!spki) return std::unexpected(spki.error());
    detail::der_reader reader(spki->content, "parsing a SubjectPublicKeyInfo");
    auto algorithm = reader.expect(detail::der_sequence);
    if (!algorithm) return std::unexpected(algorithm.error());
    auto key = reader.bit_string();
    if (!key) return std::unexpected(key.error());
    if (!reader.at_end()) return fail(errc::parse_failed, "trailing data in a SubjectPublicKeyInfo");
    auto digest = hash(hash_algorithm::sha1, key->bytes);
    if (!digest) return std::unexpected(digest.error());
    return subject_key_identifier{byte_buffer(digest->bytes().begin(), digest->bytes().end())};
  }
  /// The extnValue DER (an OCTET STRING).
  [[nodiscard]] result<byte_buffer> to_der() const {
    detail::der_writer out;
    out.octet_string(key_id);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when it is not one OCTET STRING.
  [[nodiscard]] static result<subject_key_identifier> from_der(byte_view der) {
    auto value = detail::read_only_value(der, MBEDTLS_ASN1_OCTET_STRING, "parsing subjectKeyIdentifier");
    if (!value) return std::unexpected(value.error());
    return subject_key_identifier{byte_buffer(value->content.begin(), value->content.end())};
  }
  /// "AB:CD:...".
  [[nodiscard]] std::string to_string() const { return detail::colon_hex(key_id); }
  friend bool operator==(const subject_key_identifier&, const subject_key_identifier&) = default;
};

/// authorityKeyIdentifier (2.5.29.35): identifies the key that signed the certificate, by
/// key identifier and/or by the issuer's issuer name and serial. Never critical.
struct authority_key_identifier {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x23");
  static constexpr bool default_critical = false;

  std::optional<byte_buffer> key_id{};  ///< keyIdentifier
  std::vector<general_name> issuer{};   ///< authorityCertIssuer; empty when absent
  std::optional<byte_buffer> serial{};  ///< authorityCertSerialNumber: the INTEGER's content octets

  /// 2.5.29.35.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// An identifier by the issuer key's subjectKeyIdentifier method 1 (see subject_key_identifier).
  [[nodiscard]] static result<authority_key_identifier> from_public_key_der(byte_view issuer_spki_der) {
    auto ski = subject_key_identifier::from_public_key_der(issuer_spki_der);
    if (!ski) return std::unexpected(ski.error());
    return authority_key_identifier{std::move(ski->key_id), {}, std::nullopt};
  }
  /// The extnValue DER; invalid_argument when issuer and serial are not both present or
  /// both absent (RFC 5280), the serial is not a minimal INTEGER, or a name is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (issuer.empty() != !serial) {
      return fail(errc::invalid_argument, "authorityCertIssuer and authorityCertSerialNumber go together");
    }
    if (serial && !detail::is_der_integer(*serial)) {
      return fail(errc::invalid_argument, "authorityCertSerialNumber is not a minimal INTEGER");
    }
    detail::der_writer out;
    const std::size_t start = out.mark();
    if (serial) out.primitive(detail::context_tag(2), *serial);
    if (!issuer.empty()) {
      if (auto written = detail::write_general_names(out, issuer, detail::context_constructed(1)); !written) {
        return std::unexpected(written.error());
      }
    }
    if (key_id) out.primitive(detail::context_tag(0), *key_id);
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed.
  [[nodiscard]] static result<authority_key_identifier> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing authorityKeyIdentifier");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing authorityKeyIdentifier");
    authority_key_identifier identifier;
    auto key_id = reader.optional(detail::context_tag(0));
    if (!key_id) return std::unexpected(key_id.error());
    if (key_id->tag != 0) identifier.key_id = byte_buffer(key_id->content.begin(), key_id->content.end());
    auto issuer = reader.optional(detail::context_constructed(1));
    if (!issuer) return std::unexpected(issuer.error());
    if (issuer->tag != 0) {
      auto names = detail::read_general_names(issuer->content);
      if (!names) return std::unexpected(names.error());
      identifier.issuer = std::move(*names);
    }
    auto serial = reader.optional(detail::context_tag(2));
    if (!serial) return std::unexpected(serial.error());
    if (serial->tag != 0) {
      if (!detail::is_der_integer(serial->content)) {
        return fail(errc::parse_failed, "authorityCertSerialNumber is not a DER INTEGER");
      }
      identifier.serial = byte_buffer(serial->content.begin(), serial->content.end());
    }
    if (!reader.at_end()) return fail(errc::parse_failed, "trailing data in authorityKeyIdentifier");
    return identifier;
  }
  /// "keyid:AB:CD:...", then the issuer names and "serial:01:02" on lines of their own.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    if (key_id) detail::append_line(text, "keyid:" + detail::colon_hex(*key_id));
    for (const auto& name : issuer) detail::append_line(text, pki::to_string(name));
    if (serial) detail::append_line(text, "serial:" + detail::colon_hex(*serial));
    return text;
  }
  friend bool operator==(const authority_key_identifier&, const authority_key_identifier&) = default;
};

/// One subtree of name constraints: a base name (an ip_network for IP addresses) and the
/// minimum and maximum distances that RFC 5280 fixes at 0 and absent.
struct general_subtree {
  general_name base{};
  std::uint64_t minimum = 0;               ///< RFC 5280: MUST be 0
  std::optional<std::uint64_t> maximum{};  ///< RFC 5280: MUST be absent

  general_subtree() = default;
  /// The subtree under `base_name`, as RFC 5280 has it (minimum 0, no maximum); implicit, so
  /// `.permitted = {{pki::dns_name{".example.com"}}, {network}}` reads naturally.
  general_subtree(general_name base_name)
      : base(std::move(base_name)) {}  // NOLINT(google-explicit-constructor)
  /// A subtree with explicit distances (which only decoding and tests need).
  general_subtree(general_name base_name, std::uint64_t minimum_distance,
                  std::optional<std::uint64_t> maximum_distance)
      : base(std::move(base_name)), minimum(minimum_distance), maximum(maximum_distance) {}

  friend bool operator==(const general_subtree&, const general_subtree&) = default;
};

/// nameConstraints (2.5.29.30): the name spaces a CA's subordinates must (permitted) and
/// must not (excluded) fall in. Critical by default (RFC 5280: MUST be).
struct name_constraints {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x1E");
  static constexpr bool default_critical = true;

  std::vector<general_subtree> permitted{};
  std::vector<general_subtree> excluded{};

  /// 2.5.29.30.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER; invalid_argument when both lists are empty, a subtree has a minimum
  /// or maximum, a base is an ip_address rather than an ip_network, or a name is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (permitted.empty() && excluded.empty()) {
      return fail(errc::invalid_argument, "nameConstraints needs a permitted or excluded subtree");
    }
    detail::der_writer out;
    const std::size_t start = out.mark();
    if (auto written = write_subtrees(out, excluded, 1); !written) return std::unexpected(written.error());
    if (auto written = write_subtrees(out, permitted, 0); !written) return std::unexpected(written.error());
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed, when a subtree list is empty, or
  /// an iPAddress is not address and mask (8 or 32 bytes). A minimum of 0 written out is read.
  [[nodiscard]] static result<name_constraints> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing nameConstraints");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing nameConstraints");
    name_constraints constraints;
    auto permitted = reader.optional(detail::context_constructed(0));
    if (!permitted) return std::unexpected(permitted.error());
    if (permitted->tag != 0) {
      auto subtrees = read_subtrees(permitted->content);
      if (!subtrees) return std::unexpected(subtrees.error());
      constraints.permitted = std::move(*subtrees);
    }
    auto excluded = reader.optional(detail::context_constructed(1));
    if (!excluded) return std::unexpected(excluded.error());
    if (excluded->tag != 0) {
      auto subtrees = read_subtrees(excluded->content);
      if (!subtrees) return std::unexpected(subtrees.error());
      constraints.excluded = std::move(*subtrees);
    }
    if (!reader.at_end()) return fail(errc::parse_failed, "trailing data in nameConstraints");
    return constraints;
  }
  /// "Permitted:" and "Excluded:" lines, each followed by its names indented by two spaces.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    const auto section = [&text](std::string_view heading, const std::vector<general_subtree>& subtrees) {
      if (subtrees.empty()) return;
      detail::append_line(text, heading);
      for (const auto& subtree : subtrees) {
        std::string line = pki::to_string(subtree.base);
        if (subtree.minimum != 0) line += " (minimum " + std::to_string(subtree.minimum) + ')';
        if (subtree.maximum) line += " (maximum " + std::to_string(*subtree.maximum) + ')';
        detail::append_line(text, line, 2);
      }
    };
    section("Permitted:", permitted);
    section("Excluded:", excluded);
    return text;
  }
  friend bool operator==(const name_constraints&, const name_constraints&) = default;

 private:
  [[nodiscard]] static result<void> write_subtrees(detail::der_writer& out,
                                                   const std::vector<general_subtree>& subtrees,
                                                   unsigned tag_number) {
    if (subtrees.empty()) return {};
    const std::size_t start = out.mark();
    for (auto it = subtrees.rbegin(); it != subtrees.rend(); ++it) {
      if (it->minimum != 0 || it->maximum) {
        return fail(errc::invalid_argument,
                    "RFC 5280: a name-constraint subtree has minimum 0 and no maximum");
      }
      const std::size_t subtree_start = out.mark();
      if (auto written = detail::write_general_name(out, it->base, ip_form::network); !written)
        return written;
      out.sequence(subtree_start);
    }
    out.wrap(start, detail::context_constructed(tag_number));
    return {};
  }
  [[nodiscard]] static result<std::vector<general_subtree>> read_subtrees(byte_view content) {
    detail::der_reader reader(content, "parsing nameConstraints subtrees");
    if (reader.at_end()) return fail(errc::parse_failed, "a nameConstraints subtree list is empty");
    std::vector<general_subtree> subtrees;
    while (!reader.at_end()) {
      auto subtree_reader = reader.enter(detail::der_sequence);
      if (!subtree_reader) return std::unexpected(subtree_reader.error());
      auto base_der = subtree_reader->any();
      if (!base_der) return std::unexpected(base_der.error());
      auto base = detail::read_general_name(*base_der, ip_form::network);
      if (!base) return std::unexpected(base.error());
      general_subtree subtree{std::move(*base), 0, std::nullopt};
      auto minimum = subtree_reader->optional(detail::context_tag(0));
      if (!minimum) return std::unexpected(minimum.error());
      if (minimum->tag != 0) {
        auto value = detail::read_implicit_unsigned(*minimum);
        if (!value) return std::unexpected(value.error());
        subtree.minimum = *value;  // 0 written out is the DEFAULT (see the top of this file)
      }
      auto maximum = subtree_reader->optional(detail::context_tag(1));
      if (!maximum) return std::unexpected(maximum.error());
      if (maximum->tag != 0) {
        auto value = detail::read_implicit_unsigned(*maximum);
        if (!value) return std::unexpected(value.error());
        subtree.maximum = *value;
      }
      if (!subtree_reader->at_end()) return fail(errc::parse_failed, "trailing data in a GeneralSubtree");
      subtrees.push_back(std::move(subtree));
    }
    return subtrees;
  }
};

/// The bits of ReasonFlags in a distribution point; combine with |.
enum class reason_flag : std::uint16_t {
  unused = 1U << 0,
  key_compromise = 1U << 1,
  ca_compromise = 1U << 2,
  affiliation_changed = 1U << 3,
  superseded = 1U << 4,
  cessation_of_operation = 1U << 5,
  certificate_hold = 1U << 6,
  privilege_withdrawn = 1U << 7,
  aa_compromise = 1U << 8,
};

/// Both sets of reasons.
[[nodiscard]] constexpr reason_flag operator|(reason_flag a, reason_flag b) noexcept {
  return static_cast<reason_flag>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}

/// One DistributionPoint: where a CRL is (a full name, usually a URI, or a name relative
/// to the CRL issuer), for which reasons, and who issues it.
struct distribution_point {
  std::vector<general_name> full_name{};       ///< fullName; empty when absent
  std::optional<byte_buffer> relative_name{};  ///< nameRelativeToCRLIssuer: the RDN SET's contents, as is
  std::optional<reason_flag> reasons{};        ///< absent: the CRL covers every reason
  std::vector<general_name> crl_issuer{};      ///< cRLIssuer; empty when absent
  friend bool operator==(const distribution_point&, const distribution_point&) = default;
};

/// cRLDistributionPoints (2.5.29.31): where to fetch CRLs. Not critical by default.
struct crl_distribution_points {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x1F");
  static constexpr bool default_critical = false;

  std::vector<distribution_point> points{};

  /// 2.5.29.31.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// Every URI given as a full name, in order.
  [[nodiscard]] std::vector<std::string> uris() const {
    std::vector<std::string> found;
    for (const auto& point : points) {
      for (const auto& name : point.full_name) {
        if (const auto* uri = std::get_if<uri_name>(&name)) found.push_back(uri->value);
      }
    }
    return found;
  }
  /// The extnValue DER; invalid_argument when there are no points, a point has both a full
  /// and a relative name, has neither a name nor a cRLIssuer (RFC 5280), or a name is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (points.empty()) return fail(errc::invalid_argument, "cRLDistributionPoints needs a point");
    detail::der_writer out;
    const std::size_t start = out.mark();
    for (auto it = points.rbegin(); it != points.rend(); ++it) {
      if (auto written = write_point(out, *it); !written) return std::unexpected(written.error());
    }
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed or empty.
  [[nodiscard]] static result<crl_distribution_points> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing cRLDistributionPoints");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing cRLDistributionPoints");
    if (reader.at_end()) return fail(errc::parse_failed, "cRLDistributionPoints is empty");
    crl_distribution_points distribution;
    while (!reader.at_end()) {
      auto point = read_point(reader);
      if (!point) return std::unexpected(point.error());
      distribution.points.push_back(std::move(*point));
    }
    return distribution;
  }
  /// OpenSSL's layout: "Full Name:" then "  URI:..." lines, "Reasons: Key Compromise, ...",
  /// "CRL Issuer:" then names; points separated by an empty line.
  [[nodiscard]] std::string to_string() const {
    static constexpr std::string_view reason_names[] = {
        "Unused",       "Key Compromise",         "CA Compromise",    "Affiliation Changed",
        "Superseded",   "Cessation Of Operation", "Certificate Hold", "Privilege Withdrawn",
        "AA Compromise"};
    std::string text;
    for (const auto& point : points) {
      if (!text.empty()) text += '\n';
      if (!point.full_name.empty()) {
        detail::append_line(text, "Full Name:");
        for (const auto& name : point.full_name) detail::append_line(text, pki::to_string(name), 2);
      }
      if (point.relative_name) {
        detail::append_line(text, "Relative Name:");
        detail::append_line(text, relative_name_text(*point.relative_name), 2);
      }
      if (point.reasons) {
        std::string line = "Reasons:";
        const char* separator = " ";
        for (std::size_t bit = 0; bit < std::size(reason_names); ++bit) {
          if ((static_cast<std::uint16_t>(*point.reasons) & (1U << bit)) == 0) continue;
          line += separator;
          line += reason_names[bit];
          separator = ", ";
        }
        detail::append_line(text, line);
      }
      if (!point.crl_issuer.empty()) {
        detail::append_line(text, "CRL Issuer:");
        for (const auto& name : point.crl_issuer) detail::append_line(text, pki::to_string(name), 2);
      }
    }
    return text;
  }
  friend bool operator==(const crl_distribution_points&, const crl_distribution_points&) = default;

 private:
  [[nodiscard]] static result<void> write_point(detail::der_writer& out, const distribution_point& point) {
    if (!point.full_name.empty() && point.relative_name) {
      return fail(errc::invalid_argument,
                  "a distribution point has a full name or a relative name, not both");
    }
    if (point.full_name.empty() && !point.relative_name && point.crl_issuer.empty()) {
      return fail(errc::invalid_argument, "RFC 5280: a distribution point needs a name or a cRLIssuer");
    }
    const std::size_t start = out.mark();
    if (!point.crl_issuer.empty()) {
      if (auto written = detail::write_general_names(out, point.crl_issuer, detail::context_constructed(2));
          !written) {
        return written;
      }
    }
    if (point.reasons) {
      out.primitive(detail::context_tag(1),
                    detail::named_bits_content(static_cast<std::uint16_t>(*point.reasons)));
    }
    if (!point.full_name.empty() || point.relative_name) {
      const std::size_t name_start = out.mark();
      if (!point.full_name.empty()) {
        if (auto written = detail::write_general_names(out, point.full_name, detail::context_constructed(0));
            !written) {
          return written;
        }
      } else {
        detail::der_reader check(*point.relative_name);
        if (check.at_end())
          return fail(errc::invalid_argument, "a relative distribution point name is empty");
        while (!check.at_end()) {
          if (!check.expect(detail::der_sequence)) {
            return fail(errc::invalid_argument,
                        "a relative distribution point name is not an RDN's contents");
          }
        }
        out.primitive(detail::context_constructed(1), *point.relative_name);
      }
      out.wrap(name_start, detail::context_constructed(0));  // EXPLICIT: DistributionPointName is a CHOICE
    }
    out.sequence(start);
    return {};
  }
  [[nodiscard]] static result<distribution_point> read_point(detail::der_reader& list) {
    auto reader = list.enter(detail::der_sequence);
    if (!reader) return std::unexpected(reader.error());
    distribution_point point;
    auto name = reader->optional(detail::context_constructed(0));
    if (!name) return std::unexpected(name.error());
    if (name->tag != 0) {
      detail::der_reader choice(name->content, "parsing a DistributionPointName");
      auto chosen = choice.any();
      if (!chosen) return std::unexpected(chosen.error());
      if (!choice.at_end()) return fail(errc::parse_failed, "trailing data in a DistributionPointName");
      if (chosen->tag == detail::context_constructed(0)) {
        auto names = detail::read_general_names(chosen->content);
        if (!names) return std::unexpected(names.error());
        point.full_name = std::move(*names);
      } else if (chosen->tag == detail::context_constructed(1)) {
        detail::der_reader rdn(chosen->content, "parsing nameRelativeToCRLIssuer");
        if (rdn.at_end()) return fail(errc::parse_failed, "nameRelativeToCRLIssuer is empty");
        while (!rdn.at_end()) {
          auto attribute = rdn.expect(detail::der_sequence);
          if (!attribute) return std::unexpected(attribute.error());
        }
        point.relative_name = byte_buffer(chosen->content.begin(), chosen->content.end());
      } else {
        return fail(errc::parse_failed,
                    "a DistributionPointName is fullName [0] or nameRelativeToCRLIssuer [1]");
      }
    }
    auto reasons = reader->optional(detail::context_tag(1));
    if (!reasons) return std::unexpected(reasons.error());
    if (reasons->tag != 0) {
      auto bits = detail::read_named_bits(reasons->content, "parsing distribution point reasons");
      if (!bits) return std::unexpected(bits.error());
      point.reasons = static_cast<reason_flag>(*bits);
    }
    auto issuer = reader->optional(detail::context_constructed(2));
    if (!issuer) return std::unexpected(issuer.error());
    if (issuer->tag != 0) {
      auto names = detail::read_general_names(issuer->content);
      if (!names) return std::unexpected(names.error());
      point.crl_issuer = std::move(*names);
    }
    if (!reader->at_end()) return fail(errc::parse_failed, "trailing data in a DistributionPoint");
    return point;
  }
  [[nodiscard]] static std::string relative_name_text(const byte_buffer& rdn_content) {
    // An RDN reads like a one-RDN Name: SEQUENCE { SET { attributes } }.
    detail::der_writer out;
    const std::size_t start = out.mark();
    out.raw(rdn_content);
    out.set(start);
    out.sequence(start);
    if (auto der = out.finish<byte_buffer>()) {
      if (auto name = distinguished_name::from_der(*der)) return name->to_string();
    }
    return to_hex(rdn_content);
  }
};

/// A policy qualifier: a CPS pointer (a URI) or a user notice, or another kind kept as DER.
struct policy_qualifier {
  static constexpr std::string_view cps =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x02\x01");  // 1.3.6.1.5.5.7.2.1
  static constexpr std::string_view user_notice =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x02\x02");  // 1.3.6.1.5.5.7.2.2

  object_identifier id{};  ///< policyQualifierId
  byte_buffer value{};     ///< the qualifier's DER: an IA5String for a CPS, a UserNotice SEQUENCE

  /// A CPS pointer qualifier; invalid_argument when `uri` is not IA5 (ASCII).
  [[nodiscard]] static result<policy_qualifier> make_cps(std::string_view uri) {
    if (!detail::is_ia5(uri)) return fail(errc::invalid_argument, "a CPS URI must be IA5 (ASCII) text");
    detail::der_writer out;
    out.primitive(MBEDTLS_ASN1_IA5_STRING, as_bytes(uri));
    auto der = out.finish<byte_buffer>();
    if (!der) return std::unexpected(der.error());
    return policy_qualifier{object_identifier::from_trusted(cps), std::move(*der)};
  }
  /// The URI of a CPS qualifier; nullopt for another kind.
  [[nodiscard]] std::optional<std::string> cps_uri() const {
    if (!(id == cps)) return std::nullopt;
    auto value_der = detail::read_only_value(value, MBEDTLS_ASN1_IA5_STRING, "parsing a CPS URI");
    if (!value_der) return std::nullopt;
    return std::string(value_der->text());
  }
  friend bool operator==(const policy_qualifier&, const policy_qualifier&) = default;
};

/// One PolicyInformation: a policy OID and its qualifiers.
struct policy_information {
  object_identifier policy{};
  std::vector<policy_qualifier> qualifiers{};  ///< empty when absent
  friend bool operator==(const policy_information&, const policy_information&) = default;
};

/// certificatePolicies (2.5.29.32): the policies the certificate was issued under. Not
/// critical by default.
struct certificate_policies {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x20");
  static constexpr bool default_critical = false;
  static constexpr std::string_view any_policy = detail::oid_octets("\x55\x1D\x20\x00");  // 2.5.29.32.0

  std::vector<policy_information> policies{};

  /// 2.5.29.32.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// True when `policy` is listed.
  [[nodiscard]] bool has(const object_identifier& policy) const noexcept {
    for (const auto& information : policies) {
      if (information.policy == policy) return true;
    }
    return false;
  }
  /// The extnValue DER; invalid_argument when there are no policies, a policy repeats
  /// (RFC 5280), an OID is empty or a qualifier's value is not one DER value.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (policies.empty()) return fail(errc::invalid_argument, "certificatePolicies needs a policy");
    for (std::size_t i = 0; i < policies.size(); ++i) {
      if (policies[i].policy.empty()) return fail(errc::invalid_argument, "a policy needs an OID");
      for (std::size_t j = 0; j < i; ++j) {
        if (policies[j].policy == policies[i].policy) {
          return fail(errc::invalid_argument, "RFC 5280: a policy appears once in certificatePolicies");
        }
      }
      for (const auto& qualifier : policies[i].qualifiers) {
        if (qualifier.id.empty() || !detail::is_single_der_value(qualifier.value)) {
          return fail(errc::invalid_argument, "a policy qualifier needs an OID and one DER value");
        }
      }
    }
    detail::der_writer out;
    const std::size_t start = out.mark();
    for (auto it = policies.rbegin(); it != policies.rend(); ++it) {
      const std::size_t information_start = out.mark();
      if (!it->qualifiers.empty()) {
        const std::size_t qualifiers_start = out.mark();
        for (auto q = it->qualifiers.rbegin(); q != it->qualifiers.rend(); ++q) {
          const std::size_t qualifier_start = out.mark();
          out.raw(q->value);
          out.oid(detail::oid_content_view(q->id));
          out.sequence(qualifier_start);
        }
        out.sequence(qualifiers_start);
      }
      out.oid(detail::oid_content_view(it->policy));
      out.sequence(information_start);
    }
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed, empty, with an empty qualifier
  /// list, or with a CPS that is not an IA5String or a user notice that is not a SEQUENCE.
  [[nodiscard]] static result<certificate_policies> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing certificatePolicies");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing certificatePolicies");
    if (reader.at_end()) return fail(errc::parse_failed, "certificatePolicies is empty");
    certificate_policies result_policies;
    while (!reader.at_end()) {
      auto information_reader = reader.enter(detail::der_sequence);
      if (!information_reader) return std::unexpected(information_reader.error());
      auto policy_content = information_reader->oid();
      if (!policy_content) return std::unexpected(policy_content.error());
      auto policy = object_identifier::from_der_content(*policy_content);
      if (!policy) return std::unexpected(policy.error());
      policy_information information{std::move(*policy), {}};
      if (!information_reader->at_end()) {
        auto qualifiers = information_reader->enter(detail::der_sequence);
        if (!qualifiers) return std::unexpected(qualifiers.error());
        if (qualifiers->at_end()) return fail(errc::parse_failed, "policyQualifiers is empty");
        while (!qualifiers->at_end()) {
          auto qualifier = read_qualifier(*qualifiers);
          if (!qualifier) return std::unexpected(qualifier.error());
          information.qualifiers.push_back(std::move(*qualifier));
        }
      }
      if (!information_reader->at_end())
        return fail(errc::parse_failed, "trailing data in PolicyInformation");
      result_policies.policies.push_back(std::move(information));
    }
    return result_policies;
  }
  /// "Policy: 2.23.140.1.2.1", then "  CPS: https://..." and "  User Notice:" lines.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    for (const auto& information : policies) {
      detail::append_line(text,
                          "Policy: " + (information.policy == any_policy ? std::string("X509v3 Any Policy")
                                                                         : information.policy.to_string()));
      for (const auto& qualifier : information.qualifiers) {
        if (auto uri = qualifier.cps_uri()) {
          detail::append_line(text, "CPS: " + *uri, 2);
        } else if (qualifier.id == policy_qualifier::user_notice) {
          detail::append_line(text, "User Notice:", 2);
          append_user_notice(text, qualifier.value);
        } else {
          detail::append_line(text, qualifier.id.to_string() + ": " + to_hex(qualifier.value), 2);
        }
      }
    }
    return text;
  }
  friend bool operator==(const certificate_policies&, const certificate_policies&) = default;

 private:
  [[nodiscard]] static result<policy_qualifier> read_qualifier(detail::der_reader& list) {
    auto reader = list.enter(detail::der_sequence);
    if (!reader) return std::unexpected(reader.error());
    auto id_content = reader->oid();
    if (!id_content) return std::unexpected(id_content.error());
    auto id = object_identifier::from_der_content(*id_content);
    if (!id) return std::unexpected(id.error());
    auto value = reader->any();
    if (!value) return std::unexpected(value.error());
    if (!reader->at_end()) return fail(errc::parse_failed, "trailing data in PolicyQualifierInfo");
    if (*id == policy_qualifier::cps &&
        (value->tag != MBEDTLS_ASN1_IA5_STRING || !detail::is_ia5(value->text()))) {
      return fail(errc::parse_failed, "a CPS qualifier is not an IA5String");
    }
    if (*id == policy_qualifier::user_notice && value->tag != detail::der_sequence) {
      return fail(errc::parse_failed, "a user notice qualifier is not a SEQUENCE");
    }
    return policy_qualifier{std::move(*id), byte_buffer(value->whole.begin(), value->whole.end())};
  }
  /// Text of a DisplayText: UTF8String, IA5String and VisibleString as they are, others as hex.
  [[nodiscard]] static std::string display_text(const detail::der_value& value) {
    constexpr std::uint8_t visible_string = 0x1A;
    if (value.tag == MBEDTLS_ASN1_UTF8_STRING || value.tag == MBEDTLS_ASN1_IA5_STRING ||
        value.tag == visible_string) {
      return std::string(value.text());
    }
    return to_hex(value.whole);
  }
  static void append_user_notice(std::string& text, const byte_buffer& der) {
    auto notice = detail::read_only_value(der, detail::der_sequence, "parsing a user notice");
    if (!notice) return detail::append_line(text, to_hex(der), 4);
    detail::der_reader reader(notice->content, "parsing a user notice");
    if (reader.peek_tag() == detail::der_sequence) {
      auto reference = reader.enter(detail::der_sequence);
      if (!reference) return;
      if (auto organization = reference->any()) {
        detail::append_line(text, "Organization: " + display_text(*organization), 4);
      }
      if (auto numbers = reference->enter(detail::der_sequence)) {
        std::string list;
        std::size_t count = 0;
        while (!numbers->at_end()) {
          auto number = numbers->small_unsigned();
          if (!number) break;
          list += (count++ == 0 ? "" : ", ") + std::to_string(*number);
        }
        detail::append_line(text, (count == 1 ? "Number: " : "Numbers: ") + list, 4);
      }
    }
    if (auto explicit_text = reader.any()) {
      detail::append_line(text, "Explicit Text: " + display_text(*explicit_text), 4);
    }
  }
};

namespace detail {

/// The minimal INTEGER content octets of a non-negative number.
[[nodiscard]] inline byte_buffer unsigned_content(std::uint64_t number) {
  byte_buffer content;
  for (int shift = 56; shift >= 0; shift -= 8) {
    const auto octet = static_cast<std::uint8_t>(number >> shift);
    if (content.empty() && octet == 0 && shift != 0) continue;
    if (content.empty() && (octet & 0x80) != 0) content.push_back(0);
    content.push_back(octet);
  }
  return content;
}

/// A SkipCerts (INTEGER (0..MAX)) as the certificate holds it; parse_failed when it is
/// malformed, negative, or above 2^32-1: no path is that long, and a bound keeps the
/// counters of RFC 5280 6.1 in one type (basicConstraints' pathLenConstraint has the same).
[[nodiscard]] inline result<std::uint32_t> read_skip_certs(const der_value& value) {
  auto number = read_implicit_unsigned(value);
  if (!number) return std::unexpected(number.error());
  if (*number > UINT32_MAX) return fail(errc::parse_failed, "a SkipCerts above 2^32-1");
  return static_cast<std::uint32_t>(*number);
}

}  // namespace detail

/// One mapping of policyMappings: the issuer's policy the subject's policy is equivalent to.
struct policy_mapping {
  object_identifier issuer_domain_policy{};
  object_identifier subject_domain_policy{};
  friend bool operator==(const policy_mapping&, const policy_mapping&) = default;
};

/// policyMappings (2.5.29.33): a CA's statement that its issuer's policy is equivalent to
/// one of its own (RFC 5280 4.2.1.5). Critical by default (RFC 5280: SHOULD).
struct policy_mappings {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x21");
  static constexpr bool default_critical = true;

  std::vector<policy_mapping> mappings{};

  /// 2.5.29.33.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER; invalid_argument when there are no mappings, an OID is empty, or one
  /// side is anyPolicy (RFC 5280: a policy is never mapped to or from anyPolicy).
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (mappings.empty()) return fail(errc::invalid_argument, "policyMappings needs a mapping");
    detail::der_writer out;
    const std::size_t start = out.mark();
    for (auto it = mappings.rbegin(); it != mappings.rend(); ++it) {
      if (it->issuer_domain_policy.empty() || it->subject_domain_policy.empty())
        return fail(errc::invalid_argument, "a policy mapping needs two OIDs");
      if (it->issuer_domain_policy == certificate_policies::any_policy ||
          it->subject_domain_policy == certificate_policies::any_policy) {
        return fail(errc::invalid_argument, "RFC 5280: no policy is mapped to or from anyPolicy");
      }
      const std::size_t mapping_start = out.mark();
      out.oid(detail::oid_content_view(it->subject_domain_policy));
      out.oid(detail::oid_content_view(it->issuer_domain_policy));
      out.sequence(mapping_start);
    }
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed or empty. A mapping to or from
  /// anyPolicy is kept, for the validator to refuse.
  [[nodiscard]] static result<policy_mappings> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing policyMappings");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing policyMappings");
    if (reader.at_end()) return fail(errc::parse_failed, "policyMappings is empty");
    policy_mappings result_mappings;
    while (!reader.at_end()) {
      auto mapping = reader.enter(detail::der_sequence);
      if (!mapping) return std::unexpected(mapping.error());
      auto issuer_content = mapping->oid();
      if (!issuer_content) return std::unexpected(issuer_content.error());
      auto issuer = object_identifier::from_der_content(*issuer_content);
      if (!issuer) return std::unexpected(issuer.error());
      auto subject_content = mapping->oid();
      if (!subject_content) return std::unexpected(subject_content.error());
      auto subject = object_identifier::from_der_content(*subject_content);
      if (!subject) return std::unexpected(subject.error());
      if (!mapping->at_end()) return fail(errc::parse_failed, "trailing data in a policy mapping");
      result_mappings.mappings.push_back({std::move(*issuer), std::move(*subject)});
    }
    return result_mappings;
  }
  /// "1.2.3:1.2.4" lines (issuer's policy, then the subject's), as OpenSSL prints them.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    for (const auto& mapping : mappings) {
      detail::append_line(
          text, mapping.issuer_domain_policy.to_string() + ':' + mapping.subject_domain_policy.to_string());
    }
    return text;
  }
  friend bool operator==(const policy_mappings&, const policy_mappings&) = default;
};

/// policyConstraints (2.5.29.36): after how many more certificates an explicit policy is
/// required, and policy mapping inhibited (RFC 5280 4.2.1.11). Critical by default
/// (RFC 5280: MUST).
struct policy_constraints {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x24");
  static constexpr bool default_critical = true;

  std::optional<std::uint32_t> require_explicit_policy{};  ///< SkipCerts
  std::optional<std::uint32_t> inhibit_policy_mapping{};   ///< SkipCerts

  /// 2.5.29.36.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER; invalid_argument when neither field is set (RFC 5280: MUST NOT be
  /// an empty sequence).
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (!require_explicit_policy && !inhibit_policy_mapping)
      return fail(errc::invalid_argument,
                  "policyConstraints needs requireExplicitPolicy or inhibitPolicyMapping");
    detail::der_writer out;
    const std::size_t start = out.mark();
    if (inhibit_policy_mapping)
      out.primitive(detail::context_tag(1), detail::unsigned_content(*inhibit_policy_mapping));
    if (require_explicit_policy)
      out.primitive(detail::context_tag(0), detail::unsigned_content(*require_explicit_policy));
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed, empty, or a SkipCerts is negative
  /// or above 2^32-1.
  [[nodiscard]] static result<policy_constraints> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing policyConstraints");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing policyConstraints");
    if (reader.at_end()) return fail(errc::parse_failed, "policyConstraints is empty");
    policy_constraints constraints;
    std::optional<std::uint32_t>* fields[] = {&constraints.require_explicit_policy,
                                              &constraints.inhibit_policy_mapping};
    for (unsigned tag = 0; tag < 2; ++tag) {
      auto value = reader.optional(detail::context_tag(tag));
      if (!value) return std::unexpected(value.error());
      if (value->tag == 0) continue;
      auto skip = detail::read_skip_certs(*value);
      if (!skip) return std::unexpected(skip.error());
      *fields[tag] = *skip;
    }
    if (!reader.at_end()) return fail(errc::parse_failed, "trailing data in policyConstraints");
    return constraints;
  }
  /// "Require Explicit Policy:0, Inhibit Policy Mapping:1", as OpenSSL prints it.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    if (require_explicit_policy) text = "Require Explicit Policy:" + std::to_string(*require_explicit_policy);
    if (inhibit_policy_mapping) {
      if (!text.empty()) text += ", ";
      text += "Inhibit Policy Mapping:" + std::to_string(*inhibit_policy_mapping);
    }
    return text;
  }
  friend bool operator==(const policy_constraints&, const policy_constraints&) = default;
};

/// inhibitAnyPolicy (2.5.29.54): after how many more certificates anyPolicy stops
/// matching (RFC 5280 4.2.1.14). Critical by default (RFC 5280: MUST).
struct inhibit_any_policy {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x36");
  static constexpr bool default_critical = true;

  std::uint32_t skip_certs = 0;

  /// 2.5.29.54.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER (an INTEGER).
  [[nodiscard]] result<byte_buffer> to_der() const {
    detail::der_writer out;
    out.unsigned_integer(detail::big_endian(skip_certs));
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when it is not one INTEGER in 0..2^32-1.
  [[nodiscard]] static result<inhibit_any_policy> from_der(byte_view der) {
    auto value = detail::read_only_value(der, MBEDTLS_ASN1_INTEGER, "parsing inhibitAnyPolicy");
    if (!value) return std::unexpected(value.error());
    auto skip = detail::read_skip_certs(*value);
    if (!skip) return std::unexpected(skip.error());
    return inhibit_any_policy{*skip};
  }
  /// The number, as OpenSSL prints it.
  [[nodiscard]] std::string to_string() const { return std::to_string(skip_certs); }
  friend bool operator==(const inhibit_any_policy&, const inhibit_any_policy&) = default;
};

/// One AccessDescription: an access method OID and where (usually a URI).
struct access_description {
  object_identifier method{};
  general_name location{};
  friend bool operator==(const access_description&, const access_description&) = default;
};

/// authorityInfoAccess (1.3.6.1.5.5.7.1.1): where to reach the issuer's OCSP responder
/// and certificate. Never critical.
struct authority_information_access {
  static constexpr std::string_view oid_content = detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x01\x01");
  static constexpr bool default_critical = false;
  static constexpr std::string_view ocsp =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x30\x01");  // 1.3.6.1.5.5.7.48.1
  static constexpr std::string_view ca_issuers =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x30\x02");  // 1.3.6.1.5.5.7.48.2

  std::vector<access_description> descriptions{};

  /// 1.3.6.1.5.5.7.1.1.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The URIs given for `method` (ocsp or ca_issuers), in order.
  [[nodiscard]] std::vector<std::string> uris(std::string_view method) const {
    std::vector<std::string> found;
    for (const auto& description : descriptions) {
      if (!(description.method == method)) continue;
      if (const auto* uri = std::get_if<uri_name>(&description.location)) found.push_back(uri->value);
    }
    return found;
  }
  /// The extnValue DER; invalid_argument when empty or a method or location is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (descriptions.empty()) return fail(errc::invalid_argument, "authorityInfoAccess needs a description");
    detail::der_writer out;
    const std::size_t start = out.mark();
    for (auto it = descriptions.rbegin(); it != descriptions.rend(); ++it) {
      if (it->method.empty()) return fail(errc::invalid_argument, "an access description needs a method OID");
      const std::size_t description_start = out.mark();
      if (auto written = detail::write_general_name(out, it->location); !written) {
        return std::unexpected(written.error());
      }
      out.oid(detail::oid_content_view(it->method));
      out.sequence(description_start);
    }
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed or empty.
  [[nodiscard]] static result<authority_information_access> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing authorityInfoAccess");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing authorityInfoAccess");
    if (reader.at_end()) return fail(errc::parse_failed, "authorityInfoAccess is empty");
    authority_information_access access;
    while (!reader.at_end()) {
      auto description = reader.enter(detail::der_sequence);
      if (!description) return std::unexpected(description.error());
      auto method_content = description->oid();
      if (!method_content) return std::unexpected(method_content.error());
      auto method = object_identifier::from_der_content(*method_content);
      if (!method) return std::unexpected(method.error());
      auto location_der = description->any();
      if (!location_der) return std::unexpected(location_der.error());
      auto location = detail::read_general_name(*location_der);
      if (!location) return std::unexpected(location.error());
      if (!description->at_end()) return fail(errc::parse_failed, "trailing data in an AccessDescription");
      access.descriptions.push_back({std::move(*method), std::move(*location)});
    }
    return access;
  }
  /// "OCSP - URI:http://..." and "CA Issuers - URI:http://..." lines.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    for (const auto& description : descriptions) {
      const std::string method = description.method == ocsp         ? std::string("OCSP")
                                 : description.method == ca_issuers ? std::string("CA Issuers")
                                                                    : description.method.to_string();
      detail::append_line(text, method + " - " + pki::to_string(description.location));
    }
    return text;
  }
  friend bool operator==(const authority_information_access&, const authority_information_access&) = default;
};

/// An extension type of this header: OID, default criticality, DER both ways.
template <class T>
concept typed_extension = requires(const T& value, byte_view der) {
  { T::oid_content } -> std::convertible_to<std::string_view>;
  { T::default_critical } -> std::convertible_to<bool>;
  { value.to_der() } -> std::same_as<result<byte_buffer>>;
  { T::from_der(der) } -> std::same_as<result<T>>;
};

/// A typed extension as a generic one; fails as its to_der() does.
template <typed_extension T>
[[nodiscard]] result<extension> to_extension(const T& typed, bool critical = T::default_critical) {
  auto value = typed.to_der();
  if (!value) return std::unexpected(value.error());
  return extension{T::oid(), critical, std::move(*value)};
}

/// A generic extension as a typed one; invalid_argument when its OID is not T's, parse_failed
/// when its value is malformed.
template <typed_extension T>
[[nodiscard]] result<T> from_extension(const extension& generic) {
  if (!(generic.oid == T::oid_content))
    return fail(errc::invalid_argument, "the extension is of another type");
  return T::from_der(generic.value);
}

/// The ordered extensions of a certificate, CSR or CRL; an OID appears at most once.
class extension_list {
 public:
  extension_list() = default;

  /// Appends `ext`; invalid_argument when its OID is empty or already present.
  [[nodiscard]] result<void> add(extension ext) {
    if (ext.oid.empty()) return fail(errc::invalid_argument, "an extension needs an OID");
    if (find(ext.oid) != nullptr) return fail(errc::invalid_argument, "the extension is already in the list");
    items_.push_back(std::move(ext));
    return {};
  }
  /// Appends a typed extension; invalid_argument when its OID is already present or its
  /// to_der() refuses it.
  template <typed_extension T>
  [[nodiscard]] result<void> add(const T& typed, bool critical = T::default_critical) {
    auto generic = to_extension(typed, critical);
    if (!generic) return std::unexpected(generic.error());
    return add(std::move(*generic));
  }

  /// The extension with this OID, or nullptr.
  [[nodiscard]] const extension* find(const object_identifier& oid) const noexcept {
    return find(detail::oid_content_view(oid));
  }
  /// The extension with this OID (content octets, as the types' oid_content), or nullptr.
  [[nodiscard]] const extension* find(std::string_view oid_content) const noexcept {
    for (const auto& item : items_) {
      if (item.oid == oid_content) return &item;
    }
    return nullptr;
  }
  /// The extension of type T decoded, nullopt when absent; parse_failed when malformed.
  template <typed_extension T>
  [[nodiscard]] result<std::optional<T>> get() const {
    const extension* found = find(T::oid_content);
    if (found == nullptr) return std::optional<T>{};
    auto typed = T::from_der(found->value);
    if (!typed) return std::unexpected(typed.error());
    return std::optional<T>(std::move(*typed));
  }

  [[nodiscard]] std::span<const extension> items() const noexcept { return items_; }
  [[nodiscard]] auto begin() const noexcept { return items_.begin(); }
  [[nodiscard]] auto end() const noexcept { return items_.end(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

  /// The DER of Extensions (SEQUENCE OF Extension, critical FALSE omitted); invalid_argument
  /// when the list is empty (a certificate without extensions leaves the field out).
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (items_.empty()) return fail(errc::invalid_argument, "Extensions needs at least one extension");
    detail::der_writer out;
    const std::size_t start = out.mark();
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
      const std::size_t item_start = out.mark();
      out.octet_string(it->value);
      if (it->critical) out.boolean(true);
      out.oid(detail::oid_content_view(it->oid));
      out.sequence(item_start);
    }
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the DER of Extensions; parse_failed when malformed, empty, or when an OID appears
  /// twice. critical FALSE written out is read as not critical.
  [[nodiscard]] static result<extension_list> from_der(byte_view der) {
    auto sequence = detail::read_only_value(der, detail::der_sequence, "parsing Extensions");
    if (!sequence) return std::unexpected(sequence.error());
    detail::der_reader reader(sequence->content, "parsing Extensions");
    if (reader.at_end()) return fail(errc::parse_failed, "Extensions is empty");
    extension_list list;
    while (!reader.at_end()) {
      auto item = reader.enter(detail::der_sequence);
      if (!item) return std::unexpected(item.error());
      auto oid_content = item->oid();
      if (!oid_content) return std::unexpected(oid_content.error());
      auto oid = object_identifier::from_der_content(*oid_content);
      if (!oid) return std::unexpected(oid.error());
      extension ext{std::move(*oid), false, {}};
      if (item->peek_tag() == MBEDTLS_ASN1_BOOLEAN) {
        auto critical = item->boolean();
        if (!critical) return std::unexpected(critical.error());
        ext.critical = *critical;  // FALSE written out is the DEFAULT: read, as every peer does
      }
      auto value = item->expect(MBEDTLS_ASN1_OCTET_STRING);
      if (!value) return std::unexpected(value.error());
      if (!item->at_end()) return fail(errc::parse_failed, "trailing data in an Extension");
      ext.value.assign(value->content.begin(), value->content.end());
      if (list.find(ext.oid) != nullptr) return fail(errc::parse_failed, "an extension appears twice");
      list.items_.push_back(std::move(ext));
    }
    return list;
  }

  friend bool operator==(const extension_list&, const extension_list&) = default;

 private:
  std::vector<extension> items_;
};

/// OpenSSL's heading for an extension ("X509v3 Subject Alternative Name"), or its dotted OID.
[[nodiscard]] inline std::string extension_name(const object_identifier& oid) {
  if (oid == subject_alt_name::oid_content) return "X509v3 Subject Alternative Name";
  if (oid == issuer_alt_name::oid_content) return "X509v3 Issuer Alternative Name";
  if (oid == key_usage::oid_content) return "X509v3 Key Usage";
  if (oid == extended_key_usage::oid_content) return "X509v3 Extended Key Usage";
  if (oid == basic_constraints::oid_content) return "X509v3 Basic Constraints";
  if (oid == subject_key_identifier::oid_content) return "X509v3 Subject Key Identifier";
  if (oid == authority_key_identifier::oid_content) return "X509v3 Authority Key Identifier";
  if (oid == name_constraints::oid_content) return "X509v3 Name Constraints";
  if (oid == crl_distribution_points::oid_content) return "X509v3 CRL Distribution Points";
  if (oid == certificate_policies::oid_content) return "X509v3 Certificate Policies";
  if (oid == policy_mappings::oid_content) return "X509v3 Policy Mappings";
  if (oid == policy_constraints::oid_content) return "X509v3 Policy Constraints";
  if (oid == inhibit_any_policy::oid_content) return "X509v3 Inhibit Any Policy";
  if (oid == authority_information_access::oid_content) return "Authority Information Access";
  return oid.to_string();
}

namespace detail {

template <typed_extension T>
[[nodiscard]] std::optional<std::string> typed_text(const extension& ext) {
  if (!(ext.oid == T::oid_content)) return std::nullopt;
  auto typed = T::from_der(ext.value);
  if (!typed) return "<malformed: " + typed.error().message() + '>';
  return typed->to_string();
}

template <typed_extension... Ts>
[[nodiscard]] std::string known_extension_text(const extension& ext) {
  std::optional<std::string> text{};
  static_cast<void>(((text = typed_text<Ts>(ext)).has_value() || ...));
  return text ? std::move(*text) : colon_hex(ext.value);
}

}  // namespace detail

/// The value of any extension as text: the typed to_string() of the extensions this header
/// knows, "<malformed: ...>" when such a value does not decode, and hex for the others.
[[nodiscard]] inline std::string to_string(const extension& ext) {
  return detail::known_extension_text<subject_alt_name, issuer_alt_name, key_usage, extended_key_usage,
                                      basic_constraints, subject_key_identifier, authority_key_identifier,
                                      name_constraints, crl_distribution_points, certificate_policies,
                                      policy_mappings, policy_constraints, inhibit_any_policy,
                                      authority_information_access>(ext);
}

}  // namespace pki
