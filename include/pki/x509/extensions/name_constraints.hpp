#pragma once
// nameConstraints (RFC 5280 4.2.1.10): the name spaces a CA's subordinates must and must
// not fall in, as GeneralSubtrees.
// Decoding is strict DER and encoding refuses what RFC 5280 forbids a CA to issue; the
// rules, and the one leniency (a DEFAULT written out), are at the top of x509/extensions.hpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

/// One subtree of name constraints: a base name (an ip_network for IP addresses) and the
/// minimum and maximum distances that RFC 5280 fixes at 0 and absent.
struct general_subtree {
  general_name base{};
  std::uint64_t minimum = 0;               ///< RFC 5280: MUST be 0
  std::optional<std::uint64_t> maximum{};  ///< RFC 5280: MUST be absent

  general_subtree() = default;
  /// The subtree under `base_name`, as RFC 5280 has it (minimum 0, no maximum); implicit, so
  /// `.permitted = {{pki::dns_name{".example.com"}}, {network}}` reads naturally.
  general_subtree(general_name base_name)
      : base(std::move(base_name)) {}  // NOLINT(google-explicit-constructor)
  /// A subtree with explicit distances (which only decoding and tests need).
  general_subtree(general_name base_name, std::uint64_t minimum_distance,
                  std::optional<std::uint64_t> maximum_distance)
      : base(std::move(base_name)), minimum(minimum_distance), maximum(maximum_distance) {}

  friend bool operator==(const general_subtree&, const general_subtree&) = default;
};

/// nameConstraints (2.5.29.30): the name spaces a CA's subordinates must (permitted) and
/// must not (excluded) fall in. Critical by default (RFC 5280: MUST be).
struct name_constraints {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x1E");
  static constexpr bool default_critical = true;

  std::vector<general_subtree> permitted{};
  std::vector<general_subtree> excluded{};

  /// 2.5.29.30.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER; invalid_argument when both lists are empty, a subtree has a minimum
  /// or maximum, a base is an ip_address rather than an ip_network, or a name is invalid.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (permitted.empty() && excluded.empty()) {
      return fail(errc::invalid_argument, "nameConstraints needs a permitted or excluded subtree");
    }
    detail::der_writer out;
    const std::size_t start = out.mark();
    if (auto written = write_subtrees(out, excluded, 1); !written) return std::unexpected(written.error());
    if (auto written = write_subtrees(out, permitted, 0); !written) return std::unexpected(written.error());
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed, when a subtree list is empty, or
  /// an iPAddress is not address and mask (8 or 32 bytes). A minimum of 0 written out is read.
  [[nodiscard]] static result<name_constraints> from_der(byte_view der) {
    auto reader = detail::only_sequence_reader(der, "parsing nameConstraints");
    name_constraints constraints;
    std::vector<general_subtree>* lists[] = {&constraints.permitted, &constraints.excluded};
    for (unsigned tag = 0; tag < 2; ++tag) {
      const auto list = reader.read_optional(detail::context_constructed(tag));
      if (list.present()) *lists[tag] = reader.keep(read_subtrees(list.content));
    }
    return reader.finish_with(std::move(constraints), "trailing data in nameConstraints");
  }
  /// "Permitted:" and "Excluded:" lines, each followed by its names indented by two spaces.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    const auto section = [&text](std::string_view heading, const std::vector<general_subtree>& subtrees) {
      if (subtrees.empty()) return;
      detail::append_line(text, heading);
      for (const auto& subtree : subtrees) {
        std::string line = pki::to_string(subtree.base);
        if (subtree.minimum != 0) line += " (minimum " + std::to_string(subtree.minimum) + ')';
        if (subtree.maximum) line += " (maximum " + std::to_string(*subtree.maximum) + ')';
        detail::append_line(text, line, 2);
      }
    };
    section("Permitted:", permitted);
    section("Excluded:", excluded);
    return text;
  }
  friend bool operator==(const name_constraints&, const name_constraints&) = default;

 private:
  [[nodiscard]] static result<void> write_subtrees(detail::der_writer& out,
                                                   const std::vector<general_subtree>& subtrees,
                                                   unsigned tag_number) {
    if (subtrees.empty()) return {};
    const std::size_t start = out.mark();
    for (auto it = subtrees.rbegin(); it != subtrees.rend(); ++it) {
      if (it->minimum != 0 || it->maximum) {
        return fail(errc::invalid_argument,
                    "RFC 5280: a name-constraint subtree has minimum 0 and no maximum");
      }
      const std::size_t subtree_start = out.mark();
      if (auto written = detail::write_general_name(out, it->base, ip_form::network); !written)
        return written;
      out.sequence(subtree_start);
    }
    out.wrap(start, detail::context_constructed(tag_number));
    return {};
  }
  /// The GeneralSubtrees of a list's contents, read with a reader of its own rather than one
  /// nested in the extension's, so that malformed DER here says "subtrees".
  [[nodiscard]] static result<std::vector<general_subtree>> read_subtrees(byte_view content) {
    detail::der_reader reader(content, "parsing nameConstraints subtrees");
    reader.require(!reader.at_end(), "a nameConstraints subtree list is empty");
    std::vector<general_subtree> subtrees;
    while (!reader.at_end()) subtrees.push_back(read_subtree(reader));
    return reader.finish_with(std::move(subtrees));
  }
  /// The next GeneralSubtree of `list`; on a failure `list` keeps it (der_reader::read_nested).
  [[nodiscard]] static general_subtree read_subtree(detail::der_reader& list) {
    auto reader = list.read_nested(detail::der_sequence);
    general_subtree subtree{detail::next_general_name(reader, ip_form::network), 0, std::nullopt};
    if (const auto minimum = reader.read_optional(detail::context_tag(0)); minimum.present()) {
      // 0 written out is the DEFAULT (see the top of x509/extensions.hpp)
      subtree.minimum = reader.keep(detail::read_implicit_unsigned(minimum));
    }
    if (const auto maximum = reader.read_optional(detail::context_tag(1)); maximum.present()) {
      subtree.maximum = reader.keep(detail::read_implicit_unsigned(maximum));
    }
    reader.require(reader.at_end(), "trailing data in a GeneralSubtree");
    return subtree;
  }
};

}  // namespace pki
