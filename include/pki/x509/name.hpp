#pragma once
// distinguished_name: an X.501 Name (the subject or issuer of a certificate, CSR or CRL),
// read from and written to DER and RFC 4514 text, and compared as RFC 5280 section 7.1 says.
//
// A name is a sequence of RDNs, most general first in DER (C, O, ..., CN); each RDN is a set
// of one or more attributes (type OID + value). RFC 4514 text lists them the other way round:
// "CN=device-42,O=Acme\, Inc.,C=DE" is the DER sequence C, O, CN.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "object_identifier.hpp"

namespace pki {

/// Universal tags of the ASN.1 string types a name's values may have (name_attribute::tag).
namespace string_tag {
inline constexpr std::uint8_t utf8 = 0x0C;       ///< UTF8String
inline constexpr std::uint8_t numeric = 0x12;    ///< NumericString (read as ASCII)
inline constexpr std::uint8_t printable = 0x13;  ///< PrintableString: A-Z a-z 0-9 space '()+,-./:=?
inline constexpr std::uint8_t teletex = 0x14;    ///< TeletexString (T61String), read as Latin-1
inline constexpr std::uint8_t ia5 = 0x16;        ///< IA5String (ASCII)
inline constexpr std::uint8_t visible = 0x1A;    ///< VisibleString (read as ASCII)
inline constexpr std::uint8_t universal = 0x1C;  ///< UniversalString (UCS-4, big-endian)
inline constexpr std::uint8_t bmp = 0x1E;        ///< BMPString (UTF-16, big-endian)

/// True for the tags above: values the library reads as text.
[[nodiscard]] constexpr bool is_string(std::uint8_t tag) noexcept {
  return tag == utf8 || tag == numeric || tag == printable || tag == teletex || tag == ia5 ||
         tag == visible || tag == universal || tag == bmp;
}
}  // namespace string_tag

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

namespace detail {
/// OID content octets from a string literal (which ends in a NUL that is not part of it).
template <std::size_t N>
[[nodiscard]] consteval std::string_view oid_octets(const char (&octets)[N]) noexcept {
  return {octets, N - 1};
}
}  // namespace detail

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

namespace detail::name {

// ---- UTF-8 ----------------------------------------------------------------------------------

/// The code point of the UTF-8 sequence at text[i], advancing i past it; -1 (i unchanged)
/// when the sequence is malformed, overlong, a surrogate or beyond U+10FFFF.
[[nodiscard]] inline std::int32_t next_code_point(std::string_view text, std::size_t& i) noexcept {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t extra = 0;
  std::uint32_t cp = 0;
  std::uint32_t minimum = 0;
  if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1Fu;
    minimum = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0Fu;
    minimum = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07u;
    minimum = 0x10000;
  } else {
    return -1;
  }
  if (text.size() - i - 1 < extra) return -1;
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += extra + 1;
  return static_cast<std::int32_t>(cp);
}

[[nodiscard]] inline bool valid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    if (next_code_point(text, i) < 0) return false;
  }
  return true;
}

inline void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

[[nodiscard]] constexpr bool is_printable_string_char(char c) noexcept {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view(" '()+,-./:=?").find(c) != std::string_view::npos;
}

// ---- String values: DER contents <-> UTF-8 --------------------------------------------------

/// The UTF-8 text of a string value's DER contents. Lenient where real certificates are
/// sloppy (a PrintableString with '@' or '*' is accepted: any ASCII is), strict where the
/// bytes could not be text at all (bad UTF-8, odd-length BMPString, lone surrogates).
[[nodiscard]] inline result<std::string> decode_string(std::uint8_t tag, byte_view content) {
  const std::string_view bytes(reinterpret_cast<const char*>(content.data()), content.size());
  std::string text;
  switch (tag) {
    case string_tag::utf8:
      if (!valid_utf8(bytes))
        return fail(errc::parse_failed, "DER: a UTF8String in a name is not valid UTF-8");
      return std::string(bytes);
    case string_tag::numeric:
    case string_tag::printable:
    case string_tag::ia5:
    case string_tag::visible:
      for (const auto b : content) {
        if (b >= 0x80)
          return fail(errc::parse_failed, "DER: an ASCII string type in a name has a non-ASCII byte");
      }
      return std::string(bytes);
    case string_tag::teletex:
      // T.61 proper is unused in practice; like OpenSSL, read each byte as Latin-1.
      for (const auto b : content) append_utf8(text, b);
      return text;
    case string_tag::bmp:
      if (content.size() % 2 != 0) return fail(errc::parse_failed, "DER: a BMPString has an odd length");
      for (std::size_t i = 0; i < content.size(); i += 2) {
        std::uint32_t unit = static_cast<std::uint32_t>(content[i] << 8 | content[i + 1]);
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
          return fail(errc::parse_failed, "DER: a BMPString has a lone surrogate");
        }
        if (unit >= 0xD800 && unit <= 0xDBFF) {  // UTF-16 pair, as some encoders write
          if (i + 3 >= content.size())
            return fail(errc::parse_failed, "DER: a BMPString has a lone surrogate");
          const std::uint32_t low = static_cast<std::uint32_t>(content[i + 2] << 8 | content[i + 3]);
          if (low < 0xDC00 || low > 0xDFFF)
            return fail(errc::parse_failed, "DER: a BMPString has a lone surrogate");
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
          i += 2;
        }
        append_utf8(text, unit);
      }
      return text;
    case string_tag::universal:
      if (content.size() % 4 != 0)
        return fail(errc::parse_failed, "DER: a UniversalString's length is not a multiple of 4");
      for (std::size_t i = 0; i < content.size(); i += 4) {
        const std::uint32_t cp = static_cast<std::uint32_t>(content[i]) << 24 |
                                 static_cast<std::uint32_t>(content[i + 1]) << 16 |
                                 static_cast<std::uint32_t>(content[i + 2]) << 8 | content[i + 3];
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return fail(errc::parse_failed, "DER: a UniversalString has a value that is not a character");
        }
        append_utf8(text, cp);
      }
      return text;
    default: return fail(errc::parse_failed, "DER: not a string type");
  }
}

/// The DER contents of UTF-8 text under a string tag: the inverse of decode_string, so a value
/// read from DER is written back byte for byte. invalid_argument when the text does not fit.
[[nodiscard]] inline result<byte_buffer> encode_string(std::uint8_t tag, std::string_view text) {
  constexpr const char* does_not_fit = "distinguished name: a value does not fit its string type";
  byte_buffer out;
  out.reserve(text.size());
  if (tag == string_tag::utf8 || tag == string_tag::numeric || tag == string_tag::printable ||
      tag == string_tag::ia5 || tag == string_tag::visible) {
    const bool ascii_only = tag != string_tag::utf8;
    if (!valid_utf8(text))
      return fail(errc::invalid_argument, "distinguished name: a value is not valid UTF-8");
    for (const char c : text) {
      if (ascii_only && static_cast<unsigned char>(c) >= 0x80)
        return fail(errc::invalid_argument, does_not_fit);
      out.push_back(static_cast<std::uint8_t>(c));
    }
    return out;
  }
  for (std::size_t i = 0; i < text.size();) {
    const std::int32_t cp = next_code_point(text, i);
    if (cp < 0) return fail(errc::invalid_argument, "distinguished name: a value is not valid UTF-8");
    const auto u = static_cast<std::uint32_t>(cp);
    switch (tag) {
      case string_tag::teletex:
        if (u > 0xFF) return fail(errc::invalid_argument, does_not_fit);
        out.push_back(static_cast<std::uint8_t>(u));
        break;
      case string_tag::bmp:
        if (u >= 0x10000) {
          const std::uint32_t v = u - 0x10000;
          const std::uint32_t high = 0xD800 + (v >> 10);
          const std::uint32_t low = 0xDC00 + (v & 0x3FF);
          out.insert(out.end(), {static_cast<std::uint8_t>(high >> 8), static_cast<std::uint8_t>(high),
                                 static_cast<std::uint8_t>(low >> 8), static_cast<std::uint8_t>(low)});
        } else {
          out.insert(out.end(), {static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u)});
        }
        break;
      case string_tag::universal:
        out.insert(out.end(), {static_cast<std::uint8_t>(u >> 24), static_cast<std::uint8_t>(u >> 16),
                               static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u)});
        break;
      default: return fail(errc::invalid_argument, "distinguished name: not a string type");
    }
  }
  return out;
}

/// The value's DER contents: encoded text for string tags, the raw octets otherwise.
[[nodiscard]] inline result<byte_buffer> value_content(const name_attribute& a) {
  if (a.is_string()) return encode_string(a.tag, a.value);
  return byte_buffer(a.value.begin(), a.value.end());
}

/// An attribute from a value's DER, as read from a Name or from an RFC 4514 "#hex" value.
[[nodiscard]] inline result<name_attribute> attribute_from_der(object_identifier type, const der_value& v) {
  name_attribute a;
  a.type = std::move(type);
  a.tag = v.tag;
  if (string_tag::is_string(v.tag)) {
    auto text = decode_string(v.tag, v.content);
    if (!text) return std::unexpected(text.error());
    a.value = std::move(*text);
  } else if (v.constructed() && string_tag::is_string(static_cast<std::uint8_t>(v.tag & ~0x20u))) {
    return fail(errc::parse_failed, "DER: a constructed (BER) string in a name");
  } else {
    a.value.assign(reinterpret_cast<const char*>(v.content.data()), v.content.size());
  }
  return a;
}

/// One AttributeTypeAndValue's DER.
[[nodiscard]] inline result<byte_buffer> attribute_der(const name_attribute& a) {
  auto content = value_content(a);
  if (!content) return std::unexpected(content.error());
  const byte_view oid = a.type.der_content();
  der_writer w(content->size() + oid.size() + 16);
  const std::size_t start = w.mark();
  w.primitive(a.tag, *content);
  w.oid(std::string_view(reinterpret_cast<const char*>(oid.data()), oid.size()));
  w.sequence(start);
  return w.finish<byte_buffer>();
}

// ---- New values: the encoding the library chooses -------------------------------------------

/// An attribute for text given by a caller (RFC 4514 text or add()), encoded as RFC 5280 and
/// OpenSSL do: C, serialNumber and dnQualifier as PrintableString (C exactly two characters),
/// emailAddress and DC as IA5String, everything else as UTF8String. Fails with `code`.
[[nodiscard]] inline result<name_attribute> attribute_from_text(object_identifier type, std::string value,
                                                                errc code) {
  if (!valid_utf8(value)) return fail(code, "distinguished name: a value is not valid UTF-8");
  if (value.find('\0') != std::string::npos) {
    // Never legitimate, and the classic way to make a name print as another one.
    return fail(code, "distinguished name: a value contains a NUL character");
  }
  name_attribute a;
  a.tag = string_tag::utf8;
  if (type == attribute::country_name) {
    a.tag = string_tag::printable;
    if (value.size() != 2 || !is_printable_string_char(value[0]) || !is_printable_string_char(value[1])) {
      return fail(code, "distinguished name: C must be two letters (a PrintableString of size 2)");
    }
  } else if (type == attribute::serial_number || type == attribute::dn_qualifier) {
    a.tag = string_tag::printable;
    for (const char c : value) {
      if (!is_printable_string_char(c)) {
        return fail(code,
                    "distinguished name: serialNumber and dnQualifier must be PrintableString characters");
      }
    }
  } else if (type == attribute::email_address || type == attribute::domain_component) {
    a.tag = string_tag::ia5;
    for (const char c : value) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        return fail(code, "distinguished name: emailAddress and DC must be ASCII (IA5String)");
      }
    }
  }
  a.type = std::move(type);
  a.value = std::move(value);
  return a;
}

// ---- RFC 4514 text --------------------------------------------------------------------------

[[nodiscard]] constexpr bool is_alpha(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
[[nodiscard]] constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
[[nodiscard]] constexpr int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// attributeType at text[pos]: a known name, a dotted OID, or "OID." and a dotted OID.
[[nodiscard]] inline result<object_identifier> parse_type(std::string_view text, std::size_t& pos) {
  if (pos < text.size() && is_alpha(text[pos])) {
    const std::size_t start = pos;
    while (pos < text.size() && (is_alpha(text[pos]) || is_digit(text[pos]) || text[pos] == '-')) ++pos;
    const std::string_view descr = text.substr(start, pos - start);
    const bool oid_prefix = pos < text.size() && text[pos] == '.' && descr.size() == 3 &&
                            (descr[0] | 0x20) == 'o' && (descr[1] | 0x20) == 'i' && (descr[2] | 0x20) == 'd';
    if (!oid_prefix) {
      const auto known = attribute::find(descr);
      if (!known) return fail(errc::parse_failed, "RFC 4514: unknown attribute type");
      return known->oid();
    }
    ++pos;  // the '.' after "OID"
  }
  if (pos >= text.size() || !is_digit(text[pos])) {
    return fail(errc::parse_failed, "RFC 4514: expected an attribute type");
  }
  const std::size_t start = pos;
  while (pos < text.size() && (is_digit(text[pos]) || text[pos] == '.')) ++pos;
  auto oid = object_identifier::parse(text.substr(start, pos - start));
  if (!oid) return fail(errc::parse_failed, "RFC 4514: malformed numeric attribute type (OID)");
  return oid;
}

/// attributeValue at text[pos], up to an unescaped ',' or '+' or the end.
[[nodiscard]] inline result<name_attribute> parse_value(std::string_view text, std::size_t& pos,
                                                        object_identifier type) {
  if (pos < text.size() && text[pos] == '#') {
    const std::size_t start = ++pos;
    while (pos < text.size() && text[pos] != ',' && text[pos] != '+') ++pos;
    const std::string_view hex = text.substr(start, pos - start);
    if (hex.empty()) return fail(errc::parse_failed, "RFC 4514: a #hex value has no hex digits");
    auto der = from_hex(hex);
    if (!der) return fail(errc::parse_failed, "RFC 4514: a #hex value is not pairs of hex digits");
    der_reader reader(*der, "RFC 4514: a #hex value is not a DER value");
    auto v = reader.any();
    if (!v) return std::unexpected(v.error());
    if (!reader.at_end())
      return fail(errc::parse_failed, "RFC 4514: a #hex value has bytes after its DER value");
    return attribute_from_der(std::move(type), *v);
  }
  constexpr const char* bad_escape =
      "RFC 4514: '\\' must be followed by a special character or two hex digits";
  std::string value;
  const std::size_t start = pos;
  bool ends_in_unescaped_space = false;
  while (pos < text.size() && text[pos] != ',' && text[pos] != '+') {
    const char c = text[pos];
    if (c == '\\') {
      if (pos + 1 >= text.size()) return fail(errc::parse_failed, "RFC 4514: unterminated escape");
      const char next = text[pos + 1];
      if (const int hi = hex_digit(next); hi >= 0) {
        if (pos + 2 >= text.size() || hex_digit(text[pos + 2]) < 0)
          return fail(errc::parse_failed, bad_escape);
        value += static_cast<char>(hi << 4 | hex_digit(text[pos + 2]));
        pos += 3;
      } else if (std::string_view("\"+,;<>\\ #=").find(next) != std::string_view::npos) {
        value += next;
        pos += 2;
      } else {
        return fail(errc::parse_failed, bad_escape);
      }
      ends_in_unescaped_space = false;
      continue;
    }
    if (c == '"' || c == ';' || c == '<' || c == '>') {
      return fail(errc::parse_failed, "RFC 4514: '\"', ';', '<' and '>' in a value must be escaped");
    }
    if (c == '\0') return fail(errc::parse_failed, "RFC 4514: a NUL in a value must be escaped");
    if (c == ' ' && pos == start)
      return fail(errc::parse_failed, "RFC 4514: a leading space must be escaped");
    ends_in_unescaped_space = c == ' ';
    value += c;
    ++pos;
  }
  if (ends_in_unescaped_space) return fail(errc::parse_failed, "RFC 4514: a trailing space must be escaped");
  return attribute_from_text(std::move(type), std::move(value), errc::parse_failed);
}

inline void append_hex_byte(std::string& out, unsigned char b) {
  static constexpr char digits[] = "0123456789ABCDEF";
  out += digits[b >> 4];
  out += digits[b & 0xF];
}

/// The value escaped as RFC 4514 requires ('"', '+', ',', ';', '<', '>', '\', a leading
/// '#', leading and trailing spaces), with control characters (C0, DEL, C1) and bytes that
/// are not UTF-8 as \XX.
inline void append_escaped(std::string& out, std::string_view value) {
  for (std::size_t i = 0; i < value.size();) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80) {
      std::size_t next = i;
      const std::int32_t cp = next_code_point(value, next);
      if (cp < 0 || cp <= 0x9F) {  // not UTF-8, or a C1 control
        for (const std::size_t end = cp < 0 ? i + 1 : next; i < end; ++i) {
          out += '\\';
          append_hex_byte(out, static_cast<unsigned char>(value[i]));
        }
        continue;
      }
      out.append(value.substr(i, next - i));
      i = next;
      continue;
    }
    const bool first = i == 0;
    const bool last = i + 1 == value.size();
    if ((c == ' ' && (first || last)) || (c == '#' && first) ||
        std::string_view("\"+,;<>\\").find(static_cast<char>(c)) != std::string_view::npos) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      out += '\\';
      append_hex_byte(out, c);
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
}

[[nodiscard]] inline bool attribute_matches(const name_attribute& a, const name_attribute& b) noexcept;

/// True when parse() reads the value's text back into a matching attribute. Not every
/// string value does: parse() encodes text as attribute_from_text() says (a C of exactly
/// two PrintableString characters, an ASCII emailAddress, no NUL), while a certificate may
/// hold a one-digit NumericString C or a Latin-1 TeletexString emailAddress.
[[nodiscard]] inline bool reads_back_as_text(const name_attribute& a) {
  auto again = attribute_from_text(a.type, a.value, errc::parse_failed);
  return again && attribute_matches(a, *again);
}

/// One attribute as RFC 4514 text: "CN=value", or "1.2.3.4=#0C03616263" when the type has no
/// name, the value is not a string, or its text would not read back (RFC 4514 2.4 lets any
/// value be written as the hex of its DER, which reads back exactly).
inline void append_attribute(std::string& out, const name_attribute& a) {
  const auto known = attribute::find(a.type);
  if (known) {
    out.append(known->short_name);
  } else {
    out += a.type.to_string();
  }
  out += '=';
  if (known && a.is_string() && reads_back_as_text(a)) {
    append_escaped(out, a.value);
    return;
  }
  auto der = a.value_der();
  if (!der) {  // text that does not fit its tag (only when a caller edited the attribute)
    append_escaped(out, a.value);
    return;
  }
  out += '#';
  for (const auto b : *der) append_hex_byte(out, b);
}

// ---- RFC 5280 comparison --------------------------------------------------------------------

[[nodiscard]] constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/// A string value prepared for comparison: whitespace trimmed, runs of it collapsed to one
/// space, ASCII letters in lower case. This is a subset of the LDAP StringPrep of RFC 4518
/// that RFC 5280 7.1 refers to: no Unicode case folding or normalization, no mapping of
/// characters to nothing. Names that differ only in non-ASCII case compare unequal.
[[nodiscard]] inline std::string fold_for_comparison(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool space_pending = false;
  for (const char c : value) {
    if (is_space(c)) {
      space_pending = !out.empty();
      continue;
    }
    if (space_pending) out += ' ';
    space_pending = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

/// Reads a string value as fold_for_comparison() would write it, one character at a time,
/// so that two values compare without building either folded string.
class folded_reader {
 public:
  explicit folded_reader(std::string_view value) noexcept : rest_(value) { skip_space(); }

  /// The next folded character, or -1 at the end.
  [[nodiscard]] int next() noexcept {
    if (space_pending_) {
      space_pending_ = false;
      return ' ';
    }
    if (rest_.empty()) return -1;
    const char c = rest_.front();
    rest_.remove_prefix(1);
    if (skip_space() && !rest_.empty()) space_pending_ = true;
    return static_cast<unsigned char>((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }

 private:
  bool skip_space() noexcept {
    bool skipped = false;
    while (!rest_.empty() && is_space(rest_.front())) {
      rest_.remove_prefix(1);
      skipped = true;
    }
    return skipped;
  }

  std::string_view rest_;
  bool space_pending_ = false;
};

/// fold_for_comparison(a) == fold_for_comparison(b), without allocating.
[[nodiscard]] inline bool folded_equal(std::string_view a, std::string_view b) noexcept {
  folded_reader x(a);
  folded_reader y(b);
  for (;;) {
    const int cx = x.next();
    if (cx != y.next()) return false;
    if (cx < 0) return true;
  }
}

/// RFC 5280 7.1 attribute matching: the same type, and string values equal after folding
/// (whatever their string types), other values the same tag and octets.
[[nodiscard]] inline bool attribute_matches(const name_attribute& a, const name_attribute& b) noexcept {
  if (!std::ranges::equal(a.type.der_content(), b.type.der_content())) return false;
  if (a.is_string() != b.is_string()) return false;
  if (a.is_string()) return folded_equal(a.value, b.value);
  return a.tag == b.tag && a.value == b.value;
}

/// What decides whether two attributes match: the type's OID octets, -1 for text or else the
/// tag, and the folded text or the raw octets.
using comparison_key = std::tuple<std::string, int, std::string>;

[[nodiscard]] inline comparison_key key_of(const name_attribute& a) {
  const byte_view oid = a.type.der_content();
  std::string type(reinterpret_cast<const char*>(oid.data()), oid.size());
  if (a.is_string()) return {std::move(type), -1, fold_for_comparison(a.value)};
  return {std::move(type), a.tag, a.value};
}

[[nodiscard]] inline bool rdn_matches(const relative_distinguished_name& a,
                                      const relative_distinguished_name& b) {
  if (a.size() != b.size()) return false;
  if (a.size() == 1) return attribute_matches(a[0], b[0]);
  // A set: equal when the sorted keys are (matching is an equivalence, so no search is needed).
  std::vector<comparison_key> ka, kb;
  ka.reserve(a.size());
  kb.reserve(b.size());
  for (const auto& x : a) ka.push_back(key_of(x));
  for (const auto& x : b) kb.push_back(key_of(x));
  std::sort(ka.begin(), ka.end());
  std::sort(kb.begin(), kb.end());
  return ka == kb;
}

/// Puts the attributes of an RDN in DER SET OF order: by their encodings, which are complete
/// TLVs (none a proper prefix of another), so plain lexicographic order is X.690's order.
[[nodiscard]] inline result<void> sort_as_der(relative_distinguished_name& rdn) {
  if (rdn.size() < 2) return {};
  std::vector<std::pair<byte_buffer, name_attribute>> encoded;
  encoded.reserve(rdn.size());
  for (auto& attr : rdn) {
    auto der = attribute_der(attr);
    if (!der) return std::unexpected(der.error());
    encoded.emplace_back(std::move(*der), std::move(attr));
  }
  std::stable_sort(encoded.begin(), encoded.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < rdn.size(); ++i) rdn[i] = std::move(encoded[i].second);
  return {};
}

}  // namespace detail::name

inline result<byte_buffer> name_attribute::value_der() const {
  auto content = detail::name::value_content(*this);
  if (!content) return std::unexpected(content.error());
  detail::der_writer w(content->size() + 8);
  w.primitive(tag, *content);
  return w.finish<byte_buffer>();
}

/// An X.501 Name: a sequence of RDNs, most general first (DER order). A value, cheap enough
/// to copy. Read it with parse() or from_der(), or build it with add().
class distinguished_name {
 public:
  /// Longest RFC 4514 text parse() accepts (hostile input).
  static constexpr std::size_t max_text_size = 64 * 1024;
  /// Most RDNs parse(), from_der() and add() accept.
  static constexpr std::size_t max_rdns = 256;
  /// Most attributes in one RDN parse() and from_der() accept (RDN comparison sorts them).
  static constexpr std::size_t max_attributes_per_rdn = 64;

  /// The empty name (no RDNs).
  distinguished_name() = default;

  /// The name written as RFC 4514 text, e.g. "CN=device-42,O=Acme\, Inc.,C=DE" (the text
  /// starts with the most specific RDN). Attribute types: the short names of pki::attribute
  /// (and their long names, any case), dotted OIDs, "OID." + dotted OID. Values: RFC 4514
  /// escapes (a backslash before one of `,+\;<>=#`, a double quote or a space, and `\XX`
  /// hex pairs, which must form UTF-8), or "#" + the hex of one DER value, kept as it
  /// is. Spaces after a ',' are skipped; an empty text is the empty name. New values are encoded as
  /// attribute_from_text() says, and the attributes of a multi-valued RDN are kept in DER order (so
  /// "CN=a+O=b" prints back as "O=b+CN=a", as OpenSSL prints it). parse_failed on any syntax error, an
  /// unknown type name, a value its type does not allow (C not two letters...), a NUL in a value, more than
  /// 64 KiB of text or 256 RDNs.
  [[nodiscard]] static result<distinguished_name> parse(std::string_view rfc4514) {
    return detail::out_of_memory_guard("parsing a distinguished name", [&]() -> result<distinguished_name> {
      if (rfc4514.size() > max_text_size)
        return fail(errc::parse_failed, "RFC 4514: a name longer than 64 KiB");
      distinguished_name name;
      std::size_t pos = 0;
      while (pos < rfc4514.size()) {
        if (name.rdns_.size() == max_rdns)
          return fail(errc::parse_failed, "RFC 4514: a name with more than 256 RDNs");
        relative_distinguished_name rdn;
        for (;;) {
          if (rdn.size() == max_attributes_per_rdn) {
            return fail(errc::parse_failed, "RFC 4514: an RDN with more than 64 attributes");
          }
          auto type = detail::name::parse_type(rfc4514, pos);
          if (!type) return std::unexpected(type.error());
          if (pos >= rfc4514.size() || rfc4514[pos] != '=') {
            return fail(errc::parse_failed, "RFC 4514: expected '=' after an attribute type");
          }
          ++pos;
          auto attr = detail::name::parse_value(rfc4514, pos, std::move(*type));
          if (!attr) return std::unexpected(attr.error());
          rdn.push_back(std::move(*attr));
          if (pos == rfc4514.size() || rfc4514[pos] != '+') break;
          ++pos;
        }
        // Kept in DER SET OF order, so what is stored is what to_der() writes (and byte_equal()
        // compares); to_string() prints the attributes of an RDN backwards, as OpenSSL does.
        if (auto sorted = detail::name::sort_as_der(rdn); !sorted) return std::unexpected(sorted.error());
        name.rdns_.push_back(std::move(rdn));
        if (pos == rfc4514.size()) break;
        ++pos;  // a value ends only at ',', '+' or the end: this is a ','
        while (pos < rfc4514.size() && rfc4514[pos] == ' ') ++pos;
        if (pos == rfc4514.size()) return fail(errc::parse_failed, "RFC 4514: a name ends with ','");
      }
      std::reverse(name.rdns_.begin(), name.rdns_.end());
      return name;
    });
  }

  /// The name in DER: Name ::= SEQUENCE OF SET OF AttributeTypeAndValue, strict DER and
  /// nothing after it. Values keep their tags (string types are decoded to UTF-8, others
  /// kept as raw octets), and the attributes of a multi-valued RDN keep their order even
  /// when it is not the DER order. parse_failed when malformed, on a string value that is
  /// not text (bad UTF-8, odd-length BMPString...), an empty RDN, or more than 256 RDNs.
  [[nodiscard]] static result<distinguished_name> from_der(byte_view der) {
    constexpr const char* malformed = "DER: malformed Name";
    detail::der_reader outer(der, malformed);
    auto sequence = outer.enter(detail::der_sequence);
    if (!sequence) return std::unexpected(sequence.error());
    if (!outer.at_end()) return fail(errc::parse_failed, "DER: bytes after a Name");
    distinguished_name name;
    while (!sequence->at_end()) {
      if (name.rdns_.size() == max_rdns)
        return fail(errc::parse_failed, "DER: a Name with more than 256 RDNs");
      auto set = sequence->enter(detail::der_set);
      if (!set) return std::unexpected(set.error());
      if (set->at_end()) return fail(errc::parse_failed, "DER: an empty RDN in a Name");
      relative_distinguished_name rdn;
      while (!set->at_end()) {
        if (rdn.size() == max_attributes_per_rdn) {
          return fail(errc::parse_failed, "DER: an RDN with more than 64 attributes");
        }
        auto atv = set->enter(detail::der_sequence);
        if (!atv) return std::unexpected(atv.error());
        auto oid_octets = atv->oid();
        if (!oid_octets) return std::unexpected(oid_octets.error());
        auto type = object_identifier::from_der_content(*oid_octets);
        if (!type) return std::unexpected(type.error());
        auto value = atv->any();
        if (!value) return std::unexpected(value.error());
        if (!atv->at_end()) return fail(errc::parse_failed, malformed);
        auto attr = detail::name::attribute_from_der(std::move(*type), *value);
        if (!attr) return std::unexpected(attr.error());
        rdn.push_back(std::move(*attr));
      }
      name.rdns_.push_back(std::move(rdn));
    }
    return name;
  }

  /// The name in DER, each value with its tag; the attributes of a multi-valued RDN are
  /// sorted by their encodings as DER requires of a SET OF (so a name read from DER comes
  /// back byte for byte unless its multi-valued RDNs were out of order). The error of a
  /// failed add(), or invalid_argument when an attribute's text does not fit its tag.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (add_error_) return std::unexpected(*add_error_);
    detail::der_writer w(256);
    const std::size_t whole = w.mark();
    std::vector<byte_buffer> encodings;
    for (auto rdn = rdns_.rbegin(); rdn != rdns_.rend(); ++rdn) {
      encodings.clear();
      for (const auto& attr : *rdn) {
        auto der = detail::name::attribute_der(attr);
        if (!der) return std::unexpected(der.error());
        encodings.push_back(std::move(*der));
      }
      // X.690 SET OF order (see sort_as_der); names read from DER may not have had it.
      std::sort(encodings.begin(), encodings.end());
      const std::size_t set = w.mark();
      for (auto e = encodings.rbegin(); e != encodings.rend(); ++e) w.raw(*e);
      w.set(set);
    }
    w.sequence(whole);
    return w.finish<byte_buffer>();
  }

  /// RFC 4514 text, most specific RDN first: short names for known types, dotted OIDs for
  /// others; string values of known types as escaped UTF-8, other values as "#" and the hex
  /// of their DER (RFC 4514 2.4), as are string values whose text parse() would refuse or
  /// read differently (a NUL, a one-letter C). parse() reads it back into an equal name.
  [[nodiscard]] std::string to_string() const {
    std::string out;
    for (auto rdn = rdns_.rbegin(); rdn != rdns_.rend(); ++rdn) {
      if (rdn != rdns_.rbegin()) out += ',';
      for (auto attr = rdn->rbegin(); attr != rdn->rend(); ++attr) {
        if (attr != rdn->rbegin()) out += '+';
        detail::name::append_attribute(out, *attr);
      }
    }
    return out;
  }

  /// The RDNs, most general first (DER order).
  [[nodiscard]] const std::vector<relative_distinguished_name>& rdns() const noexcept { return rdns_; }
  /// True for the empty name.
  [[nodiscard]] bool empty() const noexcept { return rdns_.empty(); }
  /// The number of RDNs.
  [[nodiscard]] std::size_t size() const noexcept { return rdns_.size(); }

  /// The most specific (last in DER order) common name with a string value; nullopt when none.
  [[nodiscard]] std::optional<std::string> common_name() const {
    for (auto rdn = rdns_.rbegin(); rdn != rdns_.rend(); ++rdn) {
      for (auto attr = rdn->rbegin(); attr != rdn->rend(); ++attr) {
        if (attr->type == attribute::common_name && attr->is_string()) return attr->value;
      }
    }
    return std::nullopt;
  }

  /// The text of every string-valued attribute of this type, in DER order (most general
  /// first). Values that are not strings (`#hex`) are left out: they are not text.
  [[nodiscard]] std::vector<std::string> values(const object_identifier& type) const {
    std::vector<std::string> found;
    for (const auto& rdn : rdns_) {
      for (const auto& attr : rdn) {
        if (attr.type == type && attr.is_string()) found.push_back(attr.value);
      }
    }
    return found;
  }

  /// Appends a single-valued RDN (the new most specific one), its value encoded as parse()
  /// encodes it (C PrintableString, emailAddress IA5String, ...), and returns the name to
  /// chain: `distinguished_name{}.add(attribute::country_name, "DE").add(...)`.
  /// A value its type does not allow is not added: the first such error (invalid_argument)
  /// is kept, later add() calls do nothing, and status() and to_der() report it.
  distinguished_name& add(const object_identifier& type, std::string_view value) & {
    if (add_error_) return *this;
    if (rdns_.size() == max_rdns) {
      add_error_ = error(errc::invalid_argument, "distinguished name: more than 256 RDNs");
      return *this;
    }
    auto attr = detail::name::attribute_from_text(type, std::string(value), errc::invalid_argument);
    if (!attr) {
      add_error_ = attr.error();
      return *this;
    }
    rdns_.push_back(relative_distinguished_name{std::move(*attr)});
    return *this;
  }
  /// add() on a temporary, returning it by value.
  [[nodiscard]] distinguished_name add(const object_identifier& type, std::string_view value) && {
    add(type, value);
    return std::move(*this);
  }

  /// Success, or the first error met by add().
  [[nodiscard]] result<void> status() const {
    if (add_error_) return std::unexpected(*add_error_);
    return {};
  }

  /// RFC 5280 section 7.1 name matching: the same number of RDNs, and RDN by RDN the same
  /// attributes in any order, string values compared after fold_for_comparison() (case and
  /// whitespace insensitive; a PrintableString and a UTF8String of the same text match),
  /// other values byte for byte. A pending add() error is not compared.
  friend bool operator==(const distinguished_name& a, const distinguished_name& b) {
    if (a.rdns_.size() != b.rdns_.size()) return false;
    for (std::size_t i = 0; i < a.rdns_.size(); ++i) {
      if (!detail::name::rdn_matches(a.rdns_[i], b.rdns_[i])) return false;
    }
    return true;
  }

 private:
  std::vector<relative_distinguished_name> rdns_;
  std::optional<error> add_error_;
};

/// True when two names are the same DER: RDN by RDN, attribute by attribute in the order kept,
/// the same types, tags and value octets. For a name from from_der() that is the DER it was
/// read from (even a multi-valued RDN out of DER order); for one from parse() or add(), what
/// to_der() writes. Stricter than operator==, which follows RFC 5280's matching rules.
[[nodiscard]] inline bool byte_equal(const distinguished_name& a, const distinguished_name& b) noexcept {
  return a.rdns() == b.rdns();
}

namespace detail {

/// RFC 5280 name matching of two names read from DER, `a_der` and `b_der` being their
/// encodings: identical encodings match without comparing attribute by attribute.
[[nodiscard]] inline bool same_name(byte_view a_der, const distinguished_name& a, byte_view b_der,
                                    const distinguished_name& b) {
  return std::ranges::equal(a_der, b_der) || a == b;
}

}  // namespace detail

}  // namespace pki
