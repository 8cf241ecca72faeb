#pragma once
// RFC 4514 text of names: reading attribute types and escaped values, and writing them
// back so that they read the same.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/error.hpp"
#include "../name_attribute.hpp"
#include "../object_identifier.hpp"
#include "attribute_der.hpp"
#include "name_matching.hpp"
#include "utf8.hpp"

namespace pki::detail::name {

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
    const auto v = reader.read_any();
    reader.require(reader.at_end(), "RFC 4514: a #hex value has bytes after its DER value");
    auto attribute = reader.keep(attribute_from_der(std::move(type), v));
    return reader.finish_with(std::move(attribute));
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

}  // namespace pki::detail::name
