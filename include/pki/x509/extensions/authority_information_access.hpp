#pragma once
// authorityInfoAccess (RFC 5280 4.2.2.1): where the issuer's OCSP responder and
// certificate are.
// Decoding is strict DER and encoding refuses what RFC 5280 forbids a CA to issue; the
// rules, and the one leniency (a DEFAULT written out), are at the top of x509/extensions.hpp.

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/error.hpp"
#include "../detail/der_fields.hpp"
#include "../detail/extension_text.hpp"
#include "../general_name.hpp"
#include "../object_identifier.hpp"

namespace pki {

/// One AccessDescription: an access method OID and where (usually a URI).
struct access_description {
  object_identifier method{};
  general_name location{};
  friend bool operator==(const access_description&, const access_description&) = default;
};

/// authorityInfoAccess (1.3.6.1.5.5.7.1.1): where to reach the issuer's OCSP responder
/// and certificate. Never critical.
struct authority_information_access {
  static constexpr std::string_view oid_content = detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x01\x01");
  static constexpr bool default_critical = false;
  static constexpr std::string_view ocsp =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x30\x01");  // 1.3.6.1.5.5.7.48.1
  static constexpr std::string_view ca_issuers =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x30\x02");  // 1.3.6.1.5.5.7.48.2

  std::vector<access_description> descriptions{};

  /// 1.3.6.1.5.5.7.1.1.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The URIs given for `method` (ocsp or ca_issuers), in order.
  [[nodiscard]] std::vector<std::string> uris(std::string_view method) const {
    std::vector<std::string> found;
    for (const auto& description : descriptions) {
      if (!(description.method == method)) continue;
      if (const auto* uri = std::get_if<uri_name>(&description.location)) found.push_back(uri->value);
    }
    return found;
  }
  /// The extnValue DER; invalid_argument when empty or a method or location is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (descriptions.empty()) return fail(errc::invalid_argument, "authorityInfoAccess needs a description");
    const auto write_description = [](detail::der_writer& out,
                                      const access_description& description) -> result<void> {
      if (description.method.empty())
        return fail(errc::invalid_argument, "an access description needs a method OID");
      const std::size_t description_start = out.mark();
      if (auto written = detail::write_general_name(out, description.location); !written) return written;
      out.oid(detail::oid_content_view(description.method));
      out.sequence(description_start);
      return {};
    };
    return detail::sequence_of_der(descriptions, write_description);
  }
  /// From the extnValue DER; parse_failed when malformed or empty.
  [[nodiscard]] static result<authority_information_access> from_der(byte_view der) {
    authority_information_access access;
    const auto read_description = [&access](detail::der_reader& reader) {
      auto description = reader.read_nested(detail::der_sequence);
      auto method = detail::next_oid(description);
      const auto location_der = description.read_any();
      auto location = description.keep(detail::read_general_name(location_der));
      description.require(description.at_end(), "trailing data in an AccessDescription");
      access.descriptions.push_back({std::move(method), std::move(location)});
    };
    auto read = detail::read_sequence_of(der, "parsing authorityInfoAccess", "authorityInfoAccess is empty",
                                         read_description);
    if (!read) return std::unexpected(read.error());
    return access;
  }
  /// "OCSP - URI:http://..." and "CA Issuers - URI:http://..." lines.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    for (const auto& description : descriptions) {
      const std::string method = description.method == ocsp         ? std::string("OCSP")
                                 : description.method == ca_issuers ? std::string("CA Issuers")
                                                                    : description.method.to_string();
      detail::append_line(text, method + " - " + pki::to_string(description.location));
    }
    return text;
  }
  friend bool operator==(const authority_information_access&, const authority_information_access&) = default;
};

}  // namespace pki
