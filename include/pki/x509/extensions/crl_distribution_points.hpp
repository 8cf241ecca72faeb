#pragma once
// cRLDistributionPoints (RFC 5280 4.2.1.13): where a certificate's CRLs are, for which
// reasons, and who issues them.
// Decoding is strict DER and encoding refuses what RFC 5280 forbids a CA to issue; the
// rules, and the one leniency (a DEFAULT written out), are at the top of x509/extensions.hpp.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
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
#include "../name.hpp"
#include "../object_identifier.hpp"

namespace pki {

/// The bits of ReasonFlags in a distribution point; combine with |.
enum class reason_flag : std::uint16_t {
  unused = 1U << 0,
  key_compromise = 1U << 1,
  ca_compromise = 1U << 2,
  affiliation_changed = 1U << 3,
  superseded = 1U << 4,
  cessation_of_operation = 1U << 5,
  certificate_hold = 1U << 6,
  privilege_withdrawn = 1U << 7,
  aa_compromise = 1U << 8,
};

/// Both sets of reasons.
[[nodiscard]] constexpr reason_flag operator|(reason_flag a, reason_flag b) noexcept {
  return static_cast<reason_flag>(static_cast<std::uint16_t>(a) | static_cast<std::uint16_t>(b));
}

/// One DistributionPoint: where a CRL is (a full name, usually a URI, or a name relative
/// to the CRL issuer), for which reasons, and who issues it.
struct distribution_point {
  std::vector<general_name> full_name{};       ///< fullName; empty when absent
  std::optional<byte_buffer> relative_name{};  ///< nameRelativeToCRLIssuer: the RDN SET's contents, as is
  std::optional<reason_flag> reasons{};        ///< absent: the CRL covers every reason
  std::vector<general_name> crl_issuer{};      ///< cRLIssuer; empty when absent
  friend bool operator==(const distribution_point&, const distribution_point&) = default;
};

/// cRLDistributionPoints (2.5.29.31): where to fetch CRLs. Not critical by default.
struct crl_distribution_points {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x1F");
  static constexpr bool default_critical = false;

  std::vector<distribution_point> points{};

  /// 2.5.29.31.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// Every URI given as a full name, in order.
  [[nodiscard]] std::vector<std::string> uris() const {
    std::vector<std::string> found;
    for (const auto& point : points) {
      for (const auto& name : point.full_name) {
        if (const auto* uri = std::get_if<uri_name>(&name)) found.push_back(uri->value);
      }
    }
    return found;
  }
  /// The extnValue DER; invalid_argument when there are no points, a point has both a full
  /// and a relative name, has neither a name nor a cRLIssuer (RFC 5280), or a name is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (points.empty()) return fail(errc::invalid_argument, "cRLDistributionPoints needs a point");
    return detail::sequence_of_der(points, write_point);
  }
  /// From the extnValue DER; parse_failed when malformed or empty.
  [[nodiscard]] static result<crl_distribution_points> from_der(byte_view der) {
    crl_distribution_points distribution;
    const auto read_one = [&distribution](detail::der_reader& reader) {
      distribution.points.push_back(read_point(reader));
    };
    auto read =
        detail::read_sequence_of(der, "parsing cRLDistributionPoints", "cRLDistributionPoints is empty",
                                 read_one);
    if (!read) return std::unexpected(read.error());
    return distribution;
  }
  /// OpenSSL's layout: "Full Name:" then "  URI:..." lines, "Reasons: Key Compromise, ...",
  /// "CRL Issuer:" then names; points separated by an empty line.
  [[nodiscard]] std::string to_string() const {
    static constexpr std::string_view reason_names[] = {
        "Unused",       "Key Compromise",         "CA Compromise",    "Affiliation Changed",
        "Superseded",   "Cessation Of Operation", "Certificate Hold", "Privilege Withdrawn",
        "AA Compromise"};
    std::string text;
    const auto names_section = [&text](std::string_view heading, const std::vector<general_name>& names) {
      if (names.empty()) return;
      detail::append_line(text, heading);
      for (const auto& name : names) detail::append_line(text, pki::to_string(name), 2);
    };
    for (const auto& point : points) {
      if (!text.empty()) text += '\n';
      names_section("Full Name:", point.full_name);
      if (point.relative_name) {
        detail::append_line(text, "Relative Name:");
        detail::append_line(text, relative_name_text(*point.relative_name), 2);
      }
      if (point.reasons) {
        const std::string reasons =
            detail::named_bits_text(static_cast<std::uint16_t>(*point.reasons), reason_names);
        detail::append_line(text, reasons.empty() ? "Reasons:" : "Reasons: " + reasons);
      }
      names_section("CRL Issuer:", point.crl_issuer);
    }
    return text;
  }
  friend bool operator==(const crl_distribution_points&, const crl_distribution_points&) = default;

 private:
  [[nodiscard]] static result<void> write_point(detail::der_writer& out, const distribution_point& point) {
    if (!point.full_name.empty() && point.relative_name) {
      return fail(errc::invalid_argument,
                  "a distribution point has a full name or a relative name, not both");
    }
    if (point.full_name.empty() && !point.relative_name && point.crl_issuer.empty()) {
      return fail(errc::invalid_argument, "RFC 5280: a distribution point needs a name or a cRLIssuer");
    }
    const std::size_t start = out.mark();
    if (!point.crl_issuer.empty()) {
      if (auto written = detail::write_general_names(out, point.crl_issuer, detail::context_constructed(2));
          !written) {
        return written;
      }
    }
    if (point.reasons) {
      out.primitive(detail::context_tag(1),
                    detail::named_bits_content(static_cast<std::uint16_t>(*point.reasons)));
    }
    if (!point.full_name.empty() || point.relative_name) {
      const std::size_t name_start = out.mark();
      if (!point.full_name.empty()) {
        if (auto written = detail::write_general_names(out, point.full_name, detail::context_constructed(0));
            !written) {
          return written;
        }
      } else {
        detail::der_reader check(*point.relative_name);
        if (check.at_end())
          return fail(errc::invalid_argument, "a relative distribution point name is empty");
        while (!check.at_end()) {
          if (!check.expect(detail::der_sequence)) {
            return fail(errc::invalid_argument,
                        "a relative distribution point name is not an RDN's contents");
          }
        }
        out.primitive(detail::context_constructed(1), *point.relative_name);
      }
      out.wrap(name_start, detail::context_constructed(0));  // EXPLICIT: DistributionPointName is a CHOICE
    }
    out.sequence(start);
    return {};
  }
  /// The next DistributionPoint of `list`, which keeps a failure (der_reader::read_nested).
  [[nodiscard]] static distribution_point read_point(detail::der_reader& list) {
    auto reader = list.read_nested(detail::der_sequence);
    distribution_point point;
    const auto name = reader.read_optional(detail::context_constructed(0));
    if (name.present()) read_point_name(reader.nested_in(name, "parsing a DistributionPointName"), point);
    const auto reasons = reader.read_optional(detail::context_tag(1));
    if (reasons.present()) {
      point.reasons = static_cast<reason_flag>(
          reader.keep(detail::read_named_bits(reasons.content, "parsing distribution point reasons")));
    }
    const auto issuer = reader.read_optional(detail::context_constructed(2));
    if (issuer.present()) point.crl_issuer = reader.keep(detail::read_general_names(issuer.content));
    reader.require(reader.at_end(), "trailing data in a DistributionPoint");
    return point;
  }
  /// A DistributionPointName, the CHOICE of fullName [0] and nameRelativeToCRLIssuer [1].
  static void read_point_name(detail::der_reader choice, distribution_point& point) {
    const auto chosen = choice.read_any();
    choice.require(choice.at_end(), "trailing data in a DistributionPointName");
    if (choice.failed()) return;
    if (chosen.tag == detail::context_constructed(0)) {
      point.full_name = choice.keep(detail::read_general_names(chosen.content));
    } else if (chosen.tag == detail::context_constructed(1)) {
      auto rdn = choice.nested_in(chosen, "parsing nameRelativeToCRLIssuer");
      rdn.require(!rdn.at_end(), "nameRelativeToCRLIssuer is empty");
      while (!rdn.at_end()) rdn.skip(detail::der_sequence);
      point.relative_name = byte_buffer(chosen.content.begin(), chosen.content.end());
    } else {
      choice.reject(errc::parse_failed, "a DistributionPointName is fullName [0] or nameRelativeToCRLIssuer [1]");
    }
  }
  [[nodiscard]] static std::string relative_name_text(const byte_buffer& rdn_content) {
    // An RDN reads like a one-RDN Name: SEQUENCE { SET { attributes } }.
    detail::der_writer out;
    const std::size_t start = out.mark();
    out.raw(rdn_content);
    out.set(start);
    out.sequence(start);
    if (auto der = out.finish<byte_buffer>()) {
      if (auto name = distinguished_name::from_der(*der)) return name->to_string();
    }
    return to_hex(rdn_content);
  }
};

}  // namespace pki
