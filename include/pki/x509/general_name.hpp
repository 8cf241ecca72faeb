#pragma once
// GeneralName (RFC 5280 4.2.1.6) as C++ values: DNS names, IP addresses and (in name
// constraints) IP networks, URIs, e-mail addresses, directory names, registered IDs and
// other names; strict DER encoding and decoding, and OpenSSL-style text
// ("DNS:example.com", "IP Address:192.0.2.1").
//
// The text alternatives are aggregates (`pki::dns_name{"gw.acme.io"}`); their `create`
// functions validate at once, and every encoder validates again, so a value that is not
// IA5 is never written.

#include <algorithm>
#include <array>
#include <charconv>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/error.hpp"
#include "detail/dns.hpp"
#include "name.hpp"
#include "object_identifier.hpp"

namespace pki {

namespace detail {

/// True when every character is IA5 (7-bit ASCII), the character set of dNSName,
/// rfc822Name and uniformResourceIdentifier.
[[nodiscard]] constexpr bool is_ia5(std::string_view text) noexcept {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) > 0x7F) return false;
  }
  return true;
}

/// OID content octets as the string_view the DER writer and the OID tables use.
[[nodiscard]] inline std::string_view oid_content_view(const object_identifier& oid) noexcept {
  const byte_view der = oid.der_content();
  return {reinterpret_cast<const char*>(der.data()), der.size()};
}

/// True when `der` is exactly one DER value.
[[nodiscard]] inline bool is_single_der_value(byte_view der) noexcept {
  der_reader reader(der);
  return reader.any().has_value() && reader.at_end();
}

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

}  // namespace detail

/// A DNS name (dNSName): "example.com", "*.example.com", or in name constraints ".example.com".
struct dns_name {
  std::string value{};

  /// The DNS name `text`; invalid_argument when it is not IA5 (7-bit ASCII).
  [[nodiscard]] static result<dns_name> create(std::string_view text) {
    if (!detail::is_ia5(text)) return fail(errc::invalid_argument, "a dNSName must be IA5 (ASCII) text");
    return dns_name{std::string(text)};
  }
  /// A host name to connect to or validate for: dot-separated labels of letters, digits and
  /// hyphens (RFC 1034 preferred name syntax), one trailing dot allowed and dropped;
  /// invalid_argument otherwise (wildcards and constraint forms such as ".example.com" too).
  [[nodiscard]] static result<dns_name> host(std::string_view text) {
    if (text.ends_with('.')) text.remove_suffix(1);
    if (!detail::dns::is_host_name(text)) {
      return fail(errc::invalid_argument,
                  "a host name is dot-separated labels of letters, digits and hyphens");
    }
    return dns_name{std::string(text)};
  }
  friend bool operator==(const dns_name&, const dns_name&) = default;
};

/// An e-mail address (rfc822Name): "user@example.com", or in name constraints a host or domain.
struct email_address {
  std::string value{};

  /// The address `text`; invalid_argument when it is not IA5 (7-bit ASCII).
  [[nodiscard]] static result<email_address> create(std::string_view text) {
    if (!detail::is_ia5(text)) return fail(errc::invalid_argument, "an rfc822Name must be IA5 (ASCII) text");
    return email_address{std::string(text)};
  }
  friend bool operator==(const email_address&, const email_address&) = default;
};

/// A URI (uniformResourceIdentifier): "https://example.com/", or in name constraints a host or domain.
struct uri_name {
  std::string value{};

  /// The URI `text`; invalid_argument when it is not IA5 (7-bit ASCII).
  [[nodiscard]] static result<uri_name> create(std::string_view text) {
    if (!detail::is_ia5(text)) return fail(errc::invalid_argument, "a URI must be IA5 (ASCII) text");
    return uri_name{std::string(text)};
  }
  friend bool operator==(const uri_name&, const uri_name&) = default;
};

/// A registered identifier (registeredID): an OBJECT IDENTIFIER naming something.
struct registered_id {
  object_identifier value{};
  friend bool operator==(const registered_id&, const registered_id&) = default;
};

/// An otherName: a type OID and the DER of its value (what the [0] EXPLICIT wraps), kept as is.
struct other_name {
  object_identifier type_id{};
  byte_buffer value{};  ///< exactly one DER value, e.g. a UTF8String for a Microsoft UPN
  friend bool operator==(const other_name&, const other_name&) = default;
};

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

/// One GeneralName. An iPAddress is an ip_address (4 or 16 bytes) in alternative names and
/// an ip_network (8 or 32 bytes) in name constraints. x400Address and ediPartyName are not
/// supported.
using general_name = std::variant<dns_name, ip_address, ip_network, email_address, uri_name,
                                  distinguished_name, registered_id, other_name>;

/// The form an iPAddress GeneralName takes where it appears.
enum class ip_form : std::uint8_t {
  address,  ///< 4 or 16 bytes, an ip_address: alternative names, distribution points, access locations
  network,  ///< 8 or 32 bytes (address || mask), an ip_network: name constraints
};

/// Checks a general name can be encoded where IP addresses take `form`; invalid_argument
/// when a text name is not IA5, an OID is empty, an otherName's value is not exactly one DER
/// value, or an IP name is an address where a network is wanted or the reverse.
[[nodiscard]] inline result<void> validate(const general_name& name, ip_form form = ip_form::address) {
  if (const auto* dns = std::get_if<dns_name>(&name)) {
    if (!detail::is_ia5(dns->value))
      return fail(errc::invalid_argument, "a dNSName must be IA5 (ASCII) text");
  } else if (const auto* email = std::get_if<email_address>(&name)) {
    if (!detail::is_ia5(email->value)) {
      return fail(errc::invalid_argument, "an rfc822Name must be IA5 (ASCII) text");
    }
  } else if (const auto* uri = std::get_if<uri_name>(&name)) {
    if (!detail::is_ia5(uri->value)) return fail(errc::invalid_argument, "a URI must be IA5 (ASCII) text");
  } else if (std::holds_alternative<ip_address>(name)) {
    if (form != ip_form::address) {
      return fail(errc::invalid_argument, "an iPAddress name constraint is an ip_network (address and mask)");
    }
  } else if (std::holds_alternative<ip_network>(name)) {
    if (form != ip_form::network) {
      return fail(errc::invalid_argument,
                  "an iPAddress here is an ip_address; networks are for name constraints");
    }
  } else if (const auto* id = std::get_if<registered_id>(&name)) {
    if (id->value.empty()) return fail(errc::invalid_argument, "a registeredID needs an OID");
  } else if (const auto* other = std::get_if<other_name>(&name)) {
    if (other->type_id.empty()) return fail(errc::invalid_argument, "an otherName needs a type OID");
    if (!detail::is_single_der_value(other->value)) {
      return fail(errc::invalid_argument, "an otherName's value must be exactly one DER value");
    }
  }
  return {};
}

namespace detail {

inline constexpr std::uint8_t tag_other_name = context_constructed(0);
inline constexpr std::uint8_t tag_rfc822_name = context_tag(1);
inline constexpr std::uint8_t tag_dns_name = context_tag(2);
inline constexpr std::uint8_t tag_x400_address = context_constructed(3);
inline constexpr std::uint8_t tag_directory_name = context_constructed(4);
inline constexpr std::uint8_t tag_edi_party_name = context_constructed(5);
inline constexpr std::uint8_t tag_uri = context_tag(6);
inline constexpr std::uint8_t tag_ip_address = context_tag(7);
inline constexpr std::uint8_t tag_registered_id = context_tag(8);

/// Writes one GeneralName (validated first).
[[nodiscard]] inline result<void> write_general_name(der_writer& out, const general_name& name,
                                                     ip_form form = ip_form::address) {
  if (auto valid = validate(name, form); !valid) return valid;
  if (const auto* dns = std::get_if<dns_name>(&name)) {
    out.primitive(tag_dns_name, as_bytes(dns->value));
  } else if (const auto* email = std::get_if<email_address>(&name)) {
    out.primitive(tag_rfc822_name, as_bytes(email->value));
  } else if (const auto* uri = std::get_if<uri_name>(&name)) {
    out.primitive(tag_uri, as_bytes(uri->value));
  } else if (const auto* address = std::get_if<ip_address>(&name)) {
    out.primitive(tag_ip_address, address->bytes());
  } else if (const auto* network = std::get_if<ip_network>(&name)) {
    out.primitive(tag_ip_address, network->bytes());
  } else if (const auto* directory = std::get_if<distinguished_name>(&name)) {
    auto der = directory->to_der();
    if (!der) return std::unexpected(der.error());
    const std::size_t start = out.mark();
    out.raw(*der);
    out.wrap(start, tag_directory_name);  // EXPLICIT: Name is a CHOICE
  } else if (const auto* id = std::get_if<registered_id>(&name)) {
    out.primitive(tag_registered_id, id->value.der_content());
  } else if (const auto* other = std::get_if<other_name>(&name)) {
    const std::size_t start = out.mark();
    const std::size_t value_start = out.mark();
    out.raw(other->value);
    out.wrap(value_start, context_constructed(0));
    out.oid(oid_content_view(other->type_id));
    out.wrap(start, tag_other_name);
  }
  return {};
}

/// Writes GeneralNames (SEQUENCE SIZE (1..MAX) OF GeneralName), with `tag` in place of
/// SEQUENCE where it is implicitly tagged; invalid_argument when `names` is empty.
[[nodiscard]] inline result<void> write_general_names(der_writer& out, std::span<const general_name> names,
                                                      std::uint8_t tag = der_sequence) {
  if (names.empty()) return fail(errc::invalid_argument, "GeneralNames needs at least one name");
  const std::size_t start = out.mark();
  for (auto it = names.rbegin(); it != names.rend(); ++it) {
    if (auto written = write_general_name(out, *it); !written) return written;
  }
  out.wrap(start, tag);
  return {};
}

[[nodiscard]] inline result<std::string> read_ia5(const der_value& value, const char* context) {
  if (!is_ia5(value.text())) return fail(errc::parse_failed, context);
  return std::string(value.text());
}

/// Reads one GeneralName from its DER value.
[[nodiscard]] inline result<general_name> read_general_name(const der_value& value,
                                                            ip_form form = ip_form::address) {
  switch (value.tag) {
    case tag_dns_name: {
      auto text = read_ia5(value, "a dNSName is not IA5 (ASCII) text");
      if (!text) return std::unexpected(text.error());
      return dns_name{std::move(*text)};
    }
    case tag_rfc822_name: {
      auto text = read_ia5(value, "an rfc822Name is not IA5 (ASCII) text");
      if (!text) return std::unexpected(text.error());
      return email_address{std::move(*text)};
    }
    case tag_uri: {
      auto text = read_ia5(value, "a URI is not IA5 (ASCII) text");
      if (!text) return std::unexpected(text.error());
      return uri_name{std::move(*text)};
    }
    case tag_ip_address: {
      if (form == ip_form::network) {
        auto network = ip_network::from_bytes(value.content);
        if (!network) return std::unexpected(network.error());
        return *network;
      }
      auto address = ip_address::from_bytes(value.content);
      if (!address) return std::unexpected(address.error());
      return *address;
    }
    case tag_directory_name: {
      der_reader inner(value.content, "parsing a directoryName");
      auto name_der = inner.expect(der_sequence);
      if (!name_der) return std::unexpected(name_der.error());
      if (!inner.at_end()) return fail(errc::parse_failed, "a directoryName holds one Name");
      auto name = distinguished_name::from_der(name_der->whole);
      if (!name) return std::unexpected(name.error());
      return *std::move(name);
    }
    case tag_registered_id: {
      auto oid = object_identifier::from_der_content(value.content);
      if (!oid) return std::unexpected(oid.error());
      return registered_id{std::move(*oid)};
    }
    case tag_other_name: {
      der_reader inner(value.content, "parsing an otherName");
      auto type_id = inner.oid();
      if (!type_id) return std::unexpected(type_id.error());
      auto wrapped = inner.enter(context_constructed(0));
      if (!wrapped) return std::unexpected(wrapped.error());
      auto inner_value = wrapped->any();
      if (!inner_value) return std::unexpected(inner_value.error());
      if (!wrapped->at_end() || !inner.at_end())
        return fail(errc::parse_failed, "an otherName has extra data");
      auto oid = object_identifier::from_der_content(*type_id);
      if (!oid) return std::unexpected(oid.error());
      return other_name{std::move(*oid), byte_buffer(inner_value->whole.begin(), inner_value->whole.end())};
    }
    case tag_x400_address:
    case tag_edi_party_name:
      return fail(errc::unsupported, "x400Address and ediPartyName names are not supported");
    default: return fail(errc::parse_failed, "not a GeneralName (unknown tag)");
  }
}

/// Reads GeneralNames (IP names as addresses) from the contents of its SEQUENCE (or
/// implicitly tagged equivalent); parse_failed when empty.
[[nodiscard]] inline result<std::vector<general_name>> read_general_names(byte_view content) {
  der_reader reader(content, "parsing GeneralNames");
  if (reader.at_end()) return fail(errc::parse_failed, "GeneralNames is empty");
  std::vector<general_name> names{};
  while (!reader.at_end()) {
    auto value = reader.any();
    if (!value) return std::unexpected(value.error());
    auto name = read_general_name(*value);
    if (!name) return std::unexpected(name.error());
    names.push_back(std::move(*name));
  }
  return names;
}

}  // namespace detail

/// The DER of one GeneralName; invalid_argument when validate(name, form) refuses it.
[[nodiscard]] inline result<byte_buffer> general_name_to_der(const general_name& name,
                                                             ip_form form = ip_form::address) {
  detail::der_writer out;
  if (auto written = detail::write_general_name(out, name, form); !written) {
    return std::unexpected(written.error());
  }
  return out.finish<byte_buffer>();
}

/// One GeneralName from DER, IP names in `form`; parse_failed when malformed (an iPAddress
/// of the wrong length included) or followed by other data, unsupported for x400Address and
/// ediPartyName.
[[nodiscard]] inline result<general_name> general_name_from_der(byte_view der,
                                                                ip_form form = ip_form::address) {
  detail::der_reader reader(der, "parsing a GeneralName");
  auto value = reader.any();
  if (!value) return std::unexpected(value.error());
  if (!reader.at_end()) return fail(errc::parse_failed, "trailing data after a GeneralName");
  return detail::read_general_name(*value, form);
}

/// The DER of GeneralNames (SEQUENCE OF GeneralName, IP names as addresses); invalid_argument
/// when `names` is empty or a name is refused by validate().
[[nodiscard]] inline result<byte_buffer> general_names_to_der(std::span<const general_name> names) {
  detail::der_writer out;
  if (auto written = detail::write_general_names(out, names); !written)
    return std::unexpected(written.error());
  return out.finish<byte_buffer>();
}

/// GeneralNames (IP names as addresses) from DER; parse_failed when malformed, empty or
/// followed by other data.
[[nodiscard]] inline result<std::vector<general_name>> general_names_from_der(byte_view der) {
  detail::der_reader reader(der, "parsing GeneralNames");
  auto sequence = reader.expect(detail::der_sequence);
  if (!sequence) return std::unexpected(sequence.error());
  if (!reader.at_end()) return fail(errc::parse_failed, "trailing data after GeneralNames");
  return detail::read_general_names(sequence->content);
}

/// OpenSSL-style text: "DNS:example.com", "IP Address:192.0.2.1", "IP Address:10.0.0.0/8",
/// "email:a@example.com", "URI:https://example.com/", "DirName:CN=example",
/// "Registered ID:1.2.3.4", "othername:1.3.6.1.4.1.311.20.2.3:<hex DER>".
[[nodiscard]] inline std::string to_string(const general_name& name) {
  if (const auto* dns = std::get_if<dns_name>(&name)) return "DNS:" + dns->value;
  if (const auto* email = std::get_if<email_address>(&name)) return "email:" + email->value;
  if (const auto* uri = std::get_if<uri_name>(&name)) return "URI:" + uri->value;
  if (const auto* address = std::get_if<ip_address>(&name)) return "IP Address:" + address->to_string();
  if (const auto* network = std::get_if<ip_network>(&name)) return "IP Address:" + network->to_string();
  if (const auto* directory = std::get_if<distinguished_name>(&name))
    return "DirName:" + directory->to_string();
  if (const auto* id = std::get_if<registered_id>(&name)) return "Registered ID:" + id->value.to_string();
  const auto* other = std::get_if<other_name>(&name);
  return "othername:" + other->type_id.to_string() + ':' + to_hex(other->value);
}

/// The names' text joined with ", ", as OpenSSL prints a subjectAltName.
[[nodiscard]] inline std::string to_string(std::span<const general_name> names) {
  std::string text{};
  for (const auto& name : names) {
    if (!text.empty()) text += ", ";
    text += to_string(name);
  }
  return text;
}

}  // namespace pki
