#pragma once
// IP address text as ip_address and ip_network read it: strict dotted-quad IPv4, RFC 4291
// IPv6 text, and prefix lengths.

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pki::detail {

/// Parses strict dotted-quad IPv4 ("192.0.2.1": four decimal octets, no leading zeros).
[[nodiscard]] inline bool parse_ipv4(std::string_view text, std::uint8_t* out) noexcept {
  std::size_t octet = 0;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t dot = text.find('.', pos);
    const std::string_view digits = text.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
    if (octet == 4 || digits.empty() || digits.size() > 3) return false;
    if (digits.size() > 1 && digits[0] == '0') return false;  // "01" could be read as octal
    for (const char c : digits) {
      if (c < '0' || c > '9') return false;
    }
    unsigned value = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (value > 255) return false;
    out[octet++] = static_cast<std::uint8_t>(value);
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return octet == 4;
}

/// Parses colon-separated IPv6 groups ("2001:db8", "" for none), the last of which may be
/// a dotted-quad IPv4 tail worth two groups when `ipv4_tail` is allowed.
[[nodiscard]] inline bool parse_ipv6_groups(std::string_view text, bool ipv4_tail,
                                            std::array<std::uint16_t, 8>& groups,
                                            std::size_t& count) noexcept {
  count = 0;
  if (text.empty()) return true;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t colon = text.find(':', pos);
    const std::string_view part = text.substr(pos, colon == std::string_view::npos ? colon : colon - pos);
    if (part.empty()) return false;  // a lone ':' at either end, or ':::'
    if (part.find('.') != std::string_view::npos) {
      std::uint8_t v4[4];
      if (!ipv4_tail || colon != std::string_view::npos || count > 6 || !parse_ipv4(part, v4)) return false;
      groups[count++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
      groups[count++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
      return true;
    }
    if (count == 8 || part.size() > 4) return false;
    for (const char c : part) {
      const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) return false;
    }
    std::uint16_t value = 0;
    std::from_chars(part.data(), part.data() + part.size(), value, 16);
    groups[count++] = value;
    if (colon == std::string_view::npos) return true;
    pos = colon + 1;
  }
}

/// Parses IPv6 text with at most one "::" and an optional IPv4 tail ("::ffff:192.0.2.1").
[[nodiscard]] inline bool parse_ipv6(std::string_view text, std::uint8_t* out) noexcept {
  std::array<std::uint16_t, 8> head{};
  std::array<std::uint16_t, 8> tail{};
  std::size_t head_count = 0;
  std::size_t tail_count = 0;
  const std::size_t gap = text.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_ipv6_groups(text, true, head, head_count) || head_count != 8) return false;
  } else {
    // "::" stands for one or more zero groups, so at most seven are written out.
    if (!parse_ipv6_groups(text.substr(0, gap), false, head, head_count) ||
        !parse_ipv6_groups(text.substr(gap + 2), true, tail, tail_count) || head_count + tail_count > 7) {
      return false;
    }
  }
  std::array<std::uint16_t, 8> groups{};
  for (std::size_t i = 0; i < head_count; ++i) groups[i] = head[i];
  for (std::size_t i = 0; i < tail_count; ++i) groups[8 - tail_count + i] = tail[i];
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xFF);
  }
  return true;
}

/// A decimal number of at most three digits without a leading zero (an IP prefix length).
[[nodiscard]] inline bool parse_prefix_length(std::string_view text, unsigned& value) noexcept {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  std::from_chars(text.data(), text.data() + text.size(), value);
  return true;
}

}  // namespace pki::detail
