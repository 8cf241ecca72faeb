#pragma once
// The pieces of OpenSSL's extension text: colon-separated hex and indented lines.

#include <cstddef>
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

}  // namespace pki::detail
