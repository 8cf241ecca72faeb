#pragma once
// object_identifier: an ASN.1 OBJECT IDENTIFIER as a value (its DER content octets),
// convertible to and from dotted-decimal text.

#include <algorithm>
#include <compare>
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
    return object_identifier(std::move(*der));
  }
  /// From DER content octets (no tag or length); parse_failed when malformed.
  [[nodiscard]] static result<object_identifier> from_der_content(byte_view content) {
    if (!detail::oid_is_valid(content)) {
      return fail(errc::parse_failed, "malformed OBJECT IDENTIFIER");
    }
    return object_identifier(byte_buffer(content.begin(), content.end()));
  }
  /// From content octets known to be valid, such as the library's constants.
  [[nodiscard]] static object_identifier from_trusted(std::string_view content) {
    return object_identifier(byte_buffer(content.begin(), content.end()));
  }

  /// Dotted-decimal text.
  [[nodiscard]] std::string to_string() const { return detail::oid_to_text(der_); }
  /// The DER content octets.
  [[nodiscard]] byte_view der_content() const noexcept { return der_; }
  [[nodiscard]] bool empty() const noexcept { return der_.empty(); }

  friend bool operator==(const object_identifier&, const object_identifier&) = default;
  /// An arbitrary but fixed order (on the content octets), for sorted containers.
  friend std::strong_ordering operator<=>(const object_identifier& a, const object_identifier& b) noexcept {
    // Spelled out: libc++ 16's std::vector has no operator<=>.
    const std::size_t common = std::min(a.der_.size(), b.der_.size());
    for (std::size_t i = 0; i < common; ++i) {
      if (a.der_[i] != b.der_[i]) return a.der_[i] <=> b.der_[i];
    }
    return a.der_.size() <=> b.der_.size();
  }
  /// Compares with content octets, as written in the library's OID tables.
  friend bool operator==(const object_identifier& a, std::string_view content) noexcept {
    return std::string_view(reinterpret_cast<const char*>(a.der_.data()), a.der_.size()) == content;
  }

 private:
  explicit object_identifier(byte_buffer der) noexcept : der_(std::move(der)) {}
  byte_buffer der_;
};

}  // namespace pki
