#pragma once
// keyUsage and extendedKeyUsage (RFC 5280 4.2.1.3, 4.2.1.12): what a certified key may be
// used for, as bits and as purpose OIDs.
// Decoding is strict DER and encoding refuses what RFC 5280 forbids a CA to issue; the
// rules, and the one leniency (a DEFAULT written out), are at the top of x509/extensions.hpp.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/error.hpp"
#include "../detail/der_fields.hpp"
#include "../detail/extension_text.hpp"
#include "../object_identifier.hpp"

namespace pki {

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
    return detail::named_bits_text(static_cast<std::uint16_t>(flags), names);
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
    const auto write_purpose = [](detail::der_writer& out, const object_identifier& purpose) -> result<void> {
      if (purpose.empty()) return fail(errc::invalid_argument, "an extendedKeyUsage purpose needs an OID");
      out.oid(detail::oid_content_view(purpose));
      return {};
    };
    return detail::sequence_of_der(purposes, write_purpose);
  }
  /// From the extnValue DER; parse_failed when malformed or empty.
  [[nodiscard]] static result<extended_key_usage> from_der(byte_view der) {
    extended_key_usage usage;
    const auto read_purpose = [&usage](detail::der_reader& reader) {
      usage.purposes.push_back(detail::next_oid(reader));
    };
    auto read = detail::read_sequence_of(der, "parsing extendedKeyUsage", "an extendedKeyUsage is empty",
                                         read_purpose);
    if (!read) return std::unexpected(read.error());
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

}  // namespace pki
