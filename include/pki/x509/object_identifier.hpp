#pragma once
// object_identifier: an ASN.1 OBJECT IDENTIFIER as a value (its DER content octets),
// convertible to and from dotted-decimal text. The octets are kept in a std::string, whose
// inline buffer (15 bytes in libstdc++, 22 in libc++) holds every OID a certificate
// usually carries: parsing one allocates nothing.

#include <algorithm>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/error.hpp"

namespace pki {

class object_identifier {
 public:
  object_identifier() = default;

  /// From dotted-decimal text ("2.5.29.17"); parse_failed when it is not an OID.
  [[nodiscard]] static result<object_identifier> parse(std::string_view dotted) {
    auto der = detail::oid_from_text(dotted);
    if (!der) return std::unexpected(der.error());
    return object_identifier(std::string(reinterpret_cast<const char*>(der->data()), der->size()));
  }
  /// From DER content octets (no tag or length); parse_failed when malformed.
  [[nodiscard]] static result<object_identifier> from_der_content(byte_view content) {
    if (!detail::oid_is_valid(content)) {
      return fail(errc::parse_failed, "malformed OBJECT IDENTIFIER");
    }
    return object_identifier(std::string(reinterpret_cast<const char*>(content.data()), content.size()));
  }
  /// From content octets known to be valid, such as the library's constants.
  [[nodiscard]] static object_identifier from_trusted(std::string_view content) {
    return object_identifier(std::string(content));
  }

  /// Dotted-decimal text.
  [[nodiscard]] std::string to_string() const { return detail::oid_to_text(der_content()); }
  /// The DER content octets.
  [[nodiscard]] byte_view der_content() const noexcept {
    return {reinterpret_cast<const std::uint8_t*>(der_.data()), der_.size()};
  }
  [[nodiscard]] bool empty() const noexcept { return der_.empty(); }

  friend bool operator==(const object_identifier&, const object_identifier&) = default;
  /// An arbitrary but fixed order (on the content octets, unsigned), for sorted containers.
  friend std::strong_ordering operator<=>(const object_identifier& a, const object_identifier& b) noexcept {
    const byte_view x = a.der_content();
    const byte_view y = b.der_content();
    const std::size_t common = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < common; ++i) {
      if (x[i] != y[i]) return x[i] <=> y[i];
    }
    return x.size() <=> y.size();
  }
  /// Compares with content octets, as written in the library's OID tables.
  friend bool operator==(const object_identifier& a, std::string_view content) noexcept {
    return std::string_view(a.der_) == content;
  }

 private:
  explicit object_identifier(std::string der) noexcept : der_(std::move(der)) {}
  std::string der_;  // content octets
};

}  // namespace pki
