#pragma once
// The attributes a distinguished name is made of: attribute types (pki::attribute::common_name
// and the other well-known ones), one AttributeTypeAndValue (name_attribute), and an RDN.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/error.hpp"
#include "detail/der_fields.hpp"
#include "detail/name_string.hpp"
#include "object_identifier.hpp"
#include "string_tag.hpp"

namespace pki {

/// A well-known attribute type of names: its OID (DER content octets, no allocation) and
/// the short name RFC 4514 text uses for it. Converts to object_identifier where one is
/// expected, and compares with one directly.
struct attribute_type {
  std::string_view oid_content;  ///< the OID's DER content octets
  std::string_view short_name;   ///< e.g. "CN"

  /// The OID as a value.
  [[nodiscard]] object_identifier oid() const { return object_identifier::from_trusted(oid_content); }
  /// The same as oid(), so the constants can be passed where an object_identifier is expected.
  operator object_identifier() const { return oid(); }  // NOLINT(google-explicit-constructor)

  friend bool operator==(const attribute_type&, const attribute_type&) = default;
  /// True when `oid` is this attribute type.
  friend bool operator==(const attribute_type& type, const object_identifier& oid) noexcept {
    return oid == type.oid_content;
  }
};

/// The attribute types the library knows by name, named after their X.520 / RFC 4519 /
/// PKCS #9 attribute in snake_case: pki::attribute::common_name is 2.5.4.3, written "CN".
namespace attribute {
/// 2.5.4.3, "CN"
inline constexpr attribute_type common_name{detail::oid_octets("\x55\x04\x03"), "CN"};
/// 2.5.4.4, "SN"
inline constexpr attribute_type surname{detail::oid_octets("\x55\x04\x04"), "SN"};
/// 2.5.4.5, "serialNumber"
inline constexpr attribute_type serial_number{detail::oid_octets("\x55\x04\x05"), "serialNumber"};
/// 2.5.4.6, "C"
inline constexpr attribute_type country_name{detail::oid_octets("\x55\x04\x06"), "C"};
/// 2.5.4.7, "L"
inline constexpr attribute_type locality_name{detail::oid_octets("\x55\x04\x07"), "L"};
/// 2.5.4.8, "ST"
inline constexpr attribute_type state_or_province_name{detail::oid_octets("\x55\x04\x08"), "ST"};
/// 2.5.4.9, "STREET"
inline constexpr attribute_type street_address{detail::oid_octets("\x55\x04\x09"), "STREET"};
/// 2.5.4.10, "O"
inline constexpr attribute_type organization_name{detail::oid_octets("\x55\x04\x0A"), "O"};
/// 2.5.4.11, "OU"
inline constexpr attribute_type organizational_unit_name{detail::oid_octets("\x55\x04\x0B"), "OU"};
/// 2.5.4.12, "title"
inline constexpr attribute_type title{detail::oid_octets("\x55\x04\x0C"), "title"};
/// 2.5.4.42, "GN"
inline constexpr attribute_type given_name{detail::oid_octets("\x55\x04\x2A"), "GN"};
/// 2.5.4.43, "initials"
inline constexpr attribute_type initials{detail::oid_octets("\x55\x04\x2B"), "initials"};
/// 2.5.4.44, "generationQualifier"
inline constexpr attribute_type generation_qualifier{detail::oid_octets("\x55\x04\x2C"),
                                                     "generationQualifier"};
/// 2.5.4.46, "dnQualifier"
inline constexpr attribute_type dn_qualifier{detail::oid_octets("\x55\x04\x2E"), "dnQualifier"};
/// 2.5.4.65, "pseudonym"
inline constexpr attribute_type pseudonym{detail::oid_octets("\x55\x04\x41"), "pseudonym"};
/// 1.2.840.113549.1.9.1 (PKCS #9), "emailAddress"
inline constexpr attribute_type email_address{detail::oid_octets("\x2A\x86\x48\x86\xF7\x0D\x01\x09\x01"),
                                              "emailAddress"};
/// 0.9.2342.19200300.100.1.25, "DC"
inline constexpr attribute_type domain_component{
    detail::oid_octets("\x09\x92\x26\x89\x93\xF2\x2C\x64\x01\x19"), "DC"};
/// 0.9.2342.19200300.100.1.1, "UID"
inline constexpr attribute_type user_id{detail::oid_octets("\x09\x92\x26\x89\x93\xF2\x2C\x64\x01\x01"),
                                        "UID"};

/// Every attribute type above.
inline constexpr std::array<attribute_type, 18> known = {
    common_name,
    surname,
    serial_number,
    country_name,
    locality_name,
    state_or_province_name,
    street_address,
    organization_name,
    organizational_unit_name,
    title,
    given_name,
    initials,
    generation_qualifier,
    dn_qualifier,
    pseudonym,
    email_address,
    domain_component,
    user_id,
};

/// The known attribute type with this OID; nullopt when the library has no name for it.
[[nodiscard]] inline std::optional<attribute_type> find(const object_identifier& oid) noexcept {
  for (const auto& type : known) {
    if (type == oid) return type;
  }
  return std::nullopt;
}

/// The known attribute type with this RFC 4514 short name ("CN") or long name ("commonName"),
/// ignoring ASCII case; nullopt when there is none.
[[nodiscard]] constexpr std::optional<attribute_type> find(std::string_view name) noexcept {
  auto iequal = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
      if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
  };
  for (const auto& type : known) {
    if (iequal(name, type.short_name)) return type;
  }
  struct alias {
    std::string_view name;
    const attribute_type& type;
  };
  const alias aliases[] = {
      {"commonName", common_name},
      {"surname", surname},
      {"countryName", country_name},
      {"localityName", locality_name},
      {"stateOrProvinceName", state_or_province_name},
      {"streetAddress", street_address},
      {"organizationName", organization_name},
      {"organizationalUnitName", organizational_unit_name},
      {"givenName", given_name},
      {"domainComponent", domain_component},
      {"userId", user_id},
  };
  for (const auto& a : aliases) {
    if (iequal(name, a.name)) return a.type;
  }
  return std::nullopt;
}
}  // namespace attribute

/// One AttributeTypeAndValue of a name.
struct name_attribute {
  object_identifier type;
  /// The value's universal tag: a string_tag, or any other tag for a value kept as raw DER.
  std::uint8_t tag = string_tag::utf8;
  /// For string tags (string_tag::is_string), the text in UTF-8 (BMPString, UniversalString
  /// and TeletexString are decoded); for any other tag, the raw content octets.
  std::string value;

  /// True when the value is text (its tag is a string type).
  [[nodiscard]] bool is_string() const noexcept { return string_tag::is_string(tag); }
  /// The value's DER (tag, length, contents): byte for byte what from_der() read.
  /// invalid_argument when the text does not fit the tag (e.g. "é" as PrintableString).
  [[nodiscard]] result<byte_buffer> value_der() const;

  /// Exact equality: same type, tag and value (so the same DER).
  friend bool operator==(const name_attribute&, const name_attribute&) = default;
};

/// One RDN: a set of attributes, usually just one. Kept in the order read.
using relative_distinguished_name = std::vector<name_attribute>;

inline result<byte_buffer> name_attribute::value_der() const {
  auto content = detail::name::value_content(tag, value);
  if (!content) return std::unexpected(content.error());
  detail::der_writer w(content->size() + 8);
  w.primitive(tag, *content);
  return w.finish<byte_buffer>();
}

}  // namespace pki
