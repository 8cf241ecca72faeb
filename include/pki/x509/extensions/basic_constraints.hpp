#pragma once
// basicConstraints (RFC 5280 4.2.1.9): whether the subject is a CA, and its path length.
// Decoding is strict DER and encoding refuses what RFC 5280 forbids a CA to issue; the
// rules, and the one leniency (a DEFAULT written out), are at the top of x509/extensions.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/error.hpp"
#include "../detail/der_fields.hpp"
#include "../object_identifier.hpp"

namespace pki {

/// basicConstraints (2.5.29.19): whether the subject is a CA, and how many intermediate
/// CAs may follow it. Critical by default (RFC 5280: MUST be in CA certificates).
struct basic_constraints {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x13");
  static constexpr bool default_critical = true;

  bool ca = false;
  std::optional<std::uint32_t> path_len{};  ///< pathLenConstraint; meaningful only with ca

  /// 2.5.29.19.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER (cA FALSE is omitted, as DER requires of a DEFAULT); invalid_argument
  /// when path_len is set without ca.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (path_len && !ca) return fail(errc::invalid_argument, "a pathLenConstraint needs CA:TRUE");
    detail::der_writer out;
    const std::size_t start = out.mark();
    if (path_len) out.unsigned_integer(detail::big_endian(*path_len));
    if (ca) out.boolean(true);
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed, or when pathLenConstraint is
  /// negative or above 2^32-1. A pathLen without cA is kept. cA FALSE written out (its
  /// DEFAULT, which DER omits) is read as absent: real CAs emit it and Go, OpenSSL, Botan and
  /// mbedTLS accept it, and it can mean only one thing.
  [[nodiscard]] static result<basic_constraints> from_der(byte_view der) {
    auto reader = detail::only_sequence_reader(der, "parsing basicConstraints");
    basic_constraints constraints;
    if (reader.peek_tag() == MBEDTLS_ASN1_BOOLEAN) constraints.ca = reader.read_boolean();
    if (!reader.at_end()) {
      const auto length = reader.read_small_unsigned();
      reader.require(length <= UINT32_MAX, "basicConstraints pathLenConstraint too large");
      constraints.path_len = static_cast<std::uint32_t>(length);
    }
    return reader.finish_with(std::move(constraints), "trailing data in basicConstraints");
  }
  /// "CA:TRUE, pathlen:0" or "CA:FALSE".
  [[nodiscard]] std::string to_string() const {
    std::string text = ca ? "CA:TRUE" : "CA:FALSE";
    if (path_len) text += ", pathlen:" + std::to_string(*path_len);
    return text;
  }
  friend bool operator==(const basic_constraints&, const basic_constraints&) = default;
};

}  // namespace pki
