#pragma once
// subjectAltName and issuerAltName (RFC 5280 4.2.1.6, 4.2.1.7): the other names of a
// certificate's subject and issuer, as GeneralNames.
// Decoding is strict DER and encoding refuses what RFC 5280 forbids a CA to issue; the
// rules, and the one leniency (a DEFAULT written out), are at the top of x509/extensions.hpp.

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../core/bytes.hpp"
#include "../../core/error.hpp"
#include "../detail/der_fields.hpp"
#include "../general_name.hpp"
#include "../object_identifier.hpp"

namespace pki {

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

}  // namespace pki
