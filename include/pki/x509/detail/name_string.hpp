#pragma once
// The ASN.1 string types of name values (UTF8String, PrintableString, BMPString, ...) to and
// from UTF-8 text, byte for byte both ways.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "../../core/bytes.hpp"
#include "../../core/error.hpp"
#include "../string_tag.hpp"
#include "utf8.hpp"

namespace pki::detail::name {

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

/// A value's DER contents: encoded text for string tags, the raw octets otherwise.
[[nodiscard]] inline result<byte_buffer> value_content(std::uint8_t tag, std::string_view value) {
  if (string_tag::is_string(tag)) return encode_string(tag, value);
  return byte_buffer(value.begin(), value.end());
}

}  // namespace pki::detail::name
