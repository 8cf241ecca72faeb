#pragma once
// The pieces of OpenSSL's extension text: colon-separated hex, named bits and indented lines.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "../../core/bytes.hpp"

namespace pki::detail {

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

/// Joins lines with '\n', each indented by `indent` spaces.
inline void append_line(std::string& text, std::string_view line, std::size_t indent = 0) {
  if (!text.empty()) text += '\n';
  text.append(indent, ' ');
  text += line;
}

/// The names of the bits set in `bits` (bit n named by names[n]), in bit order, joined with ", ".
[[nodiscard]] inline std::string named_bits_text(std::uint16_t bits,
                                                 std::span<const std::string_view> names) {
  std::string text;
  for (std::size_t bit = 0; bit < names.size(); ++bit) {
    if ((bits & (1U << bit)) == 0) continue;
    if (!text.empty()) text += ", ";
    text += names[bit];
  }
  return text;
}

}  // namespace pki::detail
