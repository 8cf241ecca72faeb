#pragma once
// ip_address (an IPv4 or IPv6 address, as in a subjectAltName) and ip_network (an address
// and a prefix, as in name constraints): strict text and byte forms both ways, RFC 5952
// text out.

#include <algorithm>
#include <array>
#include <charconv>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include "../core/bytes.hpp"
#include "../core/error.hpp"
#include "detail/ip_text.hpp"

namespace pki {

/// An IPv4 or IPv6 address (iPAddress in a subjectAltName: 4 or 16 bytes).
class ip_address {
 public:
  /// 0.0.0.0.
  ip_address() = default;

  /// From "192.0.2.1" or "2001:db8::1" (also "::ffff:192.0.2.1"); parse_failed when it is
  /// not strict dotted-quad (no leading zeros) or RFC 4291 text (one "::" at most, no zone).
  [[nodiscard]] static result<ip_address> parse(std::string_view text) noexcept {
    ip_address address;
    if (text.find(':') == std::string_view::npos) {
      if (!detail::parse_ipv4(text, address.bytes_.data())) {
        return fail(errc::parse_failed, "an IPv4 address is four decimal octets, like 192.0.2.1");
      }
      address.size_ = 4;
    } else {
      if (!detail::parse_ipv6(text, address.bytes_.data())) {
        return fail(errc::parse_failed, "malformed IPv6 address text");
      }
      address.size_ = 16;
    }
    return address;
  }

  /// From network-order bytes; parse_failed unless there are 4 (IPv4) or 16 (IPv6).
  [[nodiscard]] static result<ip_address> from_bytes(byte_view bytes) noexcept {
    if (bytes.size() != 4 && bytes.size() != 16) {
      return fail(errc::parse_failed, "an IP address is 4 or 16 bytes");
    }
    ip_address address;
    std::copy(bytes.begin(), bytes.end(), address.bytes_.begin());
    address.size_ = static_cast<std::uint8_t>(bytes.size());
    return address;
  }

  [[nodiscard]] bool is_v4() const noexcept { return size_ == 4; }
  [[nodiscard]] bool is_v6() const noexcept { return size_ == 16; }

  /// The IPv4 address an IPv4-mapped IPv6 address ("::ffff:a.b.c.d", RFC 4291 2.5.5.2) stands
  /// for; nullopt for any other address.
  [[nodiscard]] std::optional<ip_address> unmapped_v4() const noexcept {
    if (!is_v6() || !std::equal(std::begin(mapped_prefix), std::end(mapped_prefix), bytes_.begin())) {
      return std::nullopt;
    }
    ip_address v4;
    std::copy_n(bytes_.begin() + 12, 4, v4.bytes_.begin());
    return v4;
  }
  /// The IPv4-mapped IPv6 form of an IPv4 address; an IPv6 address itself.
  [[nodiscard]] ip_address as_v6() const noexcept {
    if (is_v6()) return *this;
    ip_address v6;
    std::copy(std::begin(mapped_prefix), std::end(mapped_prefix), v6.bytes_.begin());
    std::copy_n(bytes_.begin(), 4, v6.bytes_.begin() + 12);
    v6.size_ = 16;
    return v6;
  }
  /// The address in network byte order: 4 or 16 bytes.
  [[nodiscard]] byte_view bytes() const noexcept { return {bytes_.data(), size_}; }

  /// Dotted-quad for IPv4; RFC 5952 canonical text for IPv6 (lower case, no leading zeros,
  /// the longest run of two or more zero groups as "::", "::ffff:a.b.c.d" for IPv4-mapped).
  [[nodiscard]] std::string to_string() const {
    if (is_v4()) return dotted_quad(bytes_.data());
    if (auto v4 = unmapped_v4()) return "::ffff:" + v4->to_string();
    std::array<unsigned, 8> groups{};
    for (std::size_t i = 0; i < 8; ++i)
      groups[i] = static_cast<unsigned>(bytes_[2 * i] << 8 | bytes_[2 * i + 1]);
    std::size_t best = 8;
    std::size_t best_length = 1;  // a single zero group is not compressed
    for (std::size_t i = 0; i < 8;) {
      if (groups[i] != 0) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < 8 && groups[end] == 0) ++end;
      if (end - i > best_length) {
        best = i;
        best_length = end - i;
      }
      i = end;
    }
    std::string text;
    for (std::size_t i = 0; i < 8;) {
      if (i == best) {
        text += "::";
        i += best_length;
        continue;
      }
      if (!text.empty() && text.back() != ':') text += ':';
      char digits[4];
      const auto written = std::to_chars(digits, digits + sizeof digits, groups[i], 16);
      text.append(digits, written.ptr);
      ++i;
    }
    return text;
  }

  friend bool operator==(const ip_address&, const ip_address&) = default;
  /// IPv4 before IPv6, then by address bytes.
  friend std::strong_ordering operator<=>(const ip_address& a, const ip_address& b) noexcept {
    if (a.size_ != b.size_) return a.size_ <=> b.size_;
    for (std::size_t i = 0; i < a.bytes_.size(); ++i) {
      if (a.bytes_[i] != b.bytes_[i]) return a.bytes_[i] <=> b.bytes_[i];
    }
    return std::strong_ordering::equal;
  }

 private:
  static constexpr std::uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

  static std::string dotted_quad(const std::uint8_t* octets) {
    std::string text;
    for (std::size_t i = 0; i < 4; ++i) {
      if (i != 0) text += '.';
      text += std::to_string(octets[i]);
    }
    return text;
  }

  std::array<std::uint8_t, 16> bytes_{};  // unused bytes stay zero, so == can compare them all
  std::uint8_t size_ = 4;
};

/// An IP network: an address and a prefix length (iPAddress in name constraints, encoded
/// as address || mask, 8 or 32 bytes).
class ip_network {
 public:
  /// 0.0.0.0/0.
  ip_network() = default;

  /// From "10.0.0.0/8", "2001:db8::/32" or "10.0.0.0/255.0.0.0"; parse_failed when the
  /// address or prefix is malformed, the mask is not contiguous, or host bits are set.
  [[nodiscard]] static result<ip_network> parse(std::string_view text) noexcept {
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) {
      return fail(errc::parse_failed, "an IP network is address/prefix-length, like 10.0.0.0/8");
    }
    auto address = ip_address::parse(text.substr(0, slash));
    if (!address) return std::unexpected(address.error());
    const std::string_view after = text.substr(slash + 1);
    unsigned prefix = 0;
    if (!detail::parse_prefix_length(after, prefix)) {
      auto mask = ip_address::parse(after);
      if (!mask || mask->bytes().size() != address->bytes().size()) {
        return fail(errc::parse_failed, "an IP network's prefix is a length or a mask of the same family");
      }
      auto length = contiguous_prefix(mask->bytes());
      if (!length) return std::unexpected(length.error());
      prefix = *length;
    }
    if (prefix > 8 * address->bytes().size()) {
      return fail(errc::parse_failed, "an IP network's prefix is longer than its address");
    }
    if (has_host_bits(*address, prefix)) {
      return fail(errc::parse_failed, "an IP network's address has bits set beyond its prefix");
    }
    ip_network network;
    network.address_ = *address;
    network.prefix_ = static_cast<std::uint8_t>(prefix);
    return network;
  }

  /// The network of `address` with `prefix_length` bits; invalid_argument when the prefix is
  /// longer than the address or the address has bits set beyond it.
  [[nodiscard]] static result<ip_network> create(const ip_address& address, unsigned prefix_length) noexcept {
    if (prefix_length > 8 * address.bytes().size()) {
      return fail(errc::invalid_argument, "an IP network's prefix is longer than its address");
    }
    if (has_host_bits(address, prefix_length)) {
      return fail(errc::invalid_argument, "an IP network's address has bits set beyond its prefix");
    }
    ip_network network;
    network.address_ = address;
    network.prefix_ = static_cast<std::uint8_t>(prefix_length);
    return network;
  }

  /// From the name-constraint encoding address || mask (8 or 32 bytes); parse_failed on
  /// another length or a mask that is not contiguous. The address is kept as written.
  [[nodiscard]] static result<ip_network> from_bytes(byte_view address_and_mask) noexcept {
    if (address_and_mask.size() != 8 && address_and_mask.size() != 32) {
      return fail(errc::parse_failed, "an IP network in name constraints is 8 or 32 bytes");
    }
    const std::size_t half = address_and_mask.size() / 2;
    auto length = contiguous_prefix(address_and_mask.subspan(half));
    if (!length) return std::unexpected(length.error());
    ip_network network;
    network.address_ = *ip_address::from_bytes(address_and_mask.first(half));
    network.prefix_ = static_cast<std::uint8_t>(*length);
    return network;
  }

  [[nodiscard]] const ip_address& address() const noexcept { return address_; }
  [[nodiscard]] unsigned prefix_length() const noexcept { return prefix_; }

  /// The mask: prefix_length() one bits then zeros, 4 or 16 bytes.
  [[nodiscard]] byte_buffer mask() const {
    byte_buffer mask(address_.bytes().size(), 0);
    for (unsigned bit = 0; bit < prefix_; ++bit)
      mask[bit / 8] |= static_cast<std::uint8_t>(0x80U >> (bit % 8));
    return mask;
  }

  /// The name-constraint encoding: address || mask, 8 or 32 bytes.
  [[nodiscard]] byte_buffer bytes() const {
    byte_buffer out(address_.bytes().begin(), address_.bytes().end());
    const byte_buffer m = mask();
    out.insert(out.end(), m.begin(), m.end());
    return out;
  }

  /// True when `address` is of the same family and inside the network.
  [[nodiscard]] bool contains(const ip_address& address) const noexcept {
    const byte_view mine = address_.bytes();
    const byte_view theirs = address.bytes();
    if (mine.size() != theirs.size()) return false;
    for (unsigned bit = 0; bit < prefix_; ++bit) {
      const auto probe = static_cast<std::uint8_t>(0x80U >> (bit % 8));
      if ((mine[bit / 8] & probe) != (theirs[bit / 8] & probe)) return false;
    }
    return true;
  }

  /// "10.0.0.0/8", "2001:db8::/32".
  [[nodiscard]] std::string to_string() const { return address_.to_string() + '/' + std::to_string(prefix_); }

  friend bool operator==(const ip_network&, const ip_network&) = default;

 private:
  [[nodiscard]] static result<unsigned> contiguous_prefix(byte_view mask) noexcept {
    unsigned ones = 0;
    bool zero_seen = false;
    for (std::size_t bit = 0; bit < 8 * mask.size(); ++bit) {
      const bool set = (mask[bit / 8] & (0x80U >> (bit % 8))) != 0;
      if (set && zero_seen) return fail(errc::parse_failed, "an IP network mask is not contiguous");
      if (set) ++ones;
      zero_seen = zero_seen || !set;
    }
    return ones;
  }
  [[nodiscard]] static bool has_host_bits(const ip_address& address, unsigned prefix) noexcept {
    const byte_view bytes = address.bytes();
    for (std::size_t bit = prefix; bit < 8 * bytes.size(); ++bit) {
      if ((bytes[bit / 8] & (0x80U >> (bit % 8))) != 0) return true;
    }
    return false;
  }

  ip_address address_;
  std::uint8_t prefix_ = 0;
};

}  // namespace pki
