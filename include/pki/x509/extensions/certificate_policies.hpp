#pragma once
// The policy extensions (RFC 5280 4.2.1.4, 4.2.1.5, 4.2.1.11, 4.2.1.14): certificatePolicies,
// policyMappings, policyConstraints and inhibitAnyPolicy.
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
#include "../object_identifier.hpp"

namespace pki {

/// A policy qualifier: a CPS pointer (a URI) or a user notice, or another kind kept as DER.
struct policy_qualifier {
  static constexpr std::string_view cps =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x02\x01");  // 1.3.6.1.5.5.7.2.1
  static constexpr std::string_view user_notice =
      detail::oid_octets("\x2B\x06\x01\x05\x05\x07\x02\x02");  // 1.3.6.1.5.5.7.2.2

  object_identifier id{};  ///< policyQualifierId
  byte_buffer value{};     ///< the qualifier's DER: an IA5String for a CPS, a UserNotice SEQUENCE

  /// A CPS pointer qualifier; invalid_argument when `uri` is not IA5 (ASCII).
  [[nodiscard]] static result<policy_qualifier> make_cps(std::string_view uri) {
    if (!detail::is_ia5(uri)) return fail(errc::invalid_argument, "a CPS URI must be IA5 (ASCII) text");
    detail::der_writer out;
    out.primitive(MBEDTLS_ASN1_IA5_STRING, as_bytes(uri));
    auto der = out.finish<byte_buffer>();
    if (!der) return std::unexpected(der.error());
    return policy_qualifier{object_identifier::from_trusted(cps), std::move(*der)};
  }
  /// The URI of a CPS qualifier; nullopt for another kind.
  [[nodiscard]] std::optional<std::string> cps_uri() const {
    if (!(id == cps)) return std::nullopt;
    auto value_der = detail::read_only_value(value, MBEDTLS_ASN1_IA5_STRING, "parsing a CPS URI");
    if (!value_der) return std::nullopt;
    return std::string(value_der->text());
  }
  friend bool operator==(const policy_qualifier&, const policy_qualifier&) = default;
};

/// One PolicyInformation: a policy OID and its qualifiers.
struct policy_information {
  object_identifier policy{};
  std::vector<policy_qualifier> qualifiers{};  ///< empty when absent
  friend bool operator==(const policy_information&, const policy_information&) = default;
};

/// certificatePolicies (2.5.29.32): the policies the certificate was issued under. Not
/// critical by default.
struct certificate_policies {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x20");
  static constexpr bool default_critical = false;
  static constexpr std::string_view any_policy = detail::oid_octets("\x55\x1D\x20\x00");  // 2.5.29.32.0

  std::vector<policy_information> policies{};

  /// 2.5.29.32.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// True when `policy` is listed.
  [[nodiscard]] bool has(const object_identifier& policy) const noexcept {
    for (const auto& information : policies) {
      if (information.policy == policy) return true;
    }
    return false;
  }
  /// The extnValue DER; invalid_argument when there are no policies, a policy repeats
  /// (RFC 5280), an OID is empty or a qualifier's value is not one DER value.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (policies.empty()) return fail(errc::invalid_argument, "certificatePolicies needs a policy");
    for (std::size_t i = 0; i < policies.size(); ++i) {
      if (policies[i].policy.empty()) return fail(errc::invalid_argument, "a policy needs an OID");
      for (std::size_t j = 0; j < i; ++j) {
        if (policies[j].policy == policies[i].policy) {
          return fail(errc::invalid_argument, "RFC 5280: a policy appears once in certificatePolicies");
        }
      }
      for (const auto& qualifier : policies[i].qualifiers) {
        if (qualifier.id.empty() || !detail::is_single_der_value(qualifier.value)) {
          return fail(errc::invalid_argument, "a policy qualifier needs an OID and one DER value");
        }
      }
    }
    const auto write_information = [](detail::der_writer& out,
                                      const policy_information& information) -> result<void> {
      const std::size_t information_start = out.mark();
      if (!information.qualifiers.empty()) {
        const std::size_t qualifiers_start = out.mark();
        for (auto q = information.qualifiers.rbegin(); q != information.qualifiers.rend(); ++q) {
          const std::size_t qualifier_start = out.mark();
          out.raw(q->value);
          out.oid(detail::oid_content_view(q->id));
          out.sequence(qualifier_start);
        }
        out.sequence(qualifiers_start);
      }
      out.oid(detail::oid_content_view(information.policy));
      out.sequence(information_start);
      return {};
    };
    return detail::sequence_of_der(policies, write_information);
  }
  /// From the extnValue DER; parse_failed when malformed, empty, with an empty qualifier
  /// list, or with a CPS that is not an IA5String or a user notice that is not a SEQUENCE.
  [[nodiscard]] static result<certificate_policies> from_der(byte_view der) {
    certificate_policies result_policies;
    const auto read_information = [&result_policies](detail::der_reader& reader) {
      auto information_reader = reader.read_nested(detail::der_sequence);
      policy_information information{detail::next_oid(information_reader), {}};
      if (!information_reader.at_end()) {
        auto qualifiers = information_reader.read_nested(detail::der_sequence);
        qualifiers.require(!qualifiers.at_end(), "policyQualifiers is empty");
        while (!qualifiers.at_end()) information.qualifiers.push_back(read_qualifier(qualifiers));
      }
      information_reader.require(information_reader.at_end(), "trailing data in PolicyInformation");
      result_policies.policies.push_back(std::move(information));
    };
    auto read = detail::read_sequence_of(der, "parsing certificatePolicies", "certificatePolicies is empty",
                                         read_information);
    if (!read) return std::unexpected(read.error());
    return result_policies;
  }
  /// "Policy: 2.23.140.1.2.1", then "  CPS: https://..." and "  User Notice:" lines.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    for (const auto& information : policies) {
      detail::append_line(text,
                          "Policy: " + (information.policy == any_policy ? std::string("X509v3 Any Policy")
                                                                         : information.policy.to_string()));
      for (const auto& qualifier : information.qualifiers) {
        if (auto uri = qualifier.cps_uri()) {
          detail::append_line(text, "CPS: " + *uri, 2);
        } else if (qualifier.id == policy_qualifier::user_notice) {
          detail::append_line(text, "User Notice:", 2);
          append_user_notice(text, qualifier.value);
        } else {
          detail::append_line(text, qualifier.id.to_string() + ": " + to_hex(qualifier.value), 2);
        }
      }
    }
    return text;
  }
  friend bool operator==(const certificate_policies&, const certificate_policies&) = default;

 private:
  /// The next PolicyQualifierInfo of `list`; on a failure `list` keeps it (der_reader::read_nested).
  [[nodiscard]] static policy_qualifier read_qualifier(detail::der_reader& list) {
    auto reader = list.read_nested(detail::der_sequence);
    auto id = detail::next_oid(reader);
    const auto value = reader.read_any();
    reader.require(reader.at_end(), "trailing data in PolicyQualifierInfo");
    reader.require(!(id == policy_qualifier::cps) ||
                       (value.tag == MBEDTLS_ASN1_IA5_STRING && detail::is_ia5(value.text())),
                   "a CPS qualifier is not an IA5String");
    reader.require(!(id == policy_qualifier::user_notice) || value.tag == detail::der_sequence,
                   "a user notice qualifier is not a SEQUENCE");
    return policy_qualifier{std::move(id), byte_buffer(value.whole.begin(), value.whole.end())};
  }
  /// Text of a DisplayText: UTF8String, IA5String and VisibleString as they are, others as hex.
  [[nodiscard]] static std::string display_text(const detail::der_value& value) {
    constexpr std::uint8_t visible_string = 0x1A;
    if (value.tag == MBEDTLS_ASN1_UTF8_STRING || value.tag == MBEDTLS_ASN1_IA5_STRING ||
        value.tag == visible_string) {
      return std::string(value.text());
    }
    return to_hex(value.whole);
  }
  static void append_user_notice(std::string& text, const byte_buffer& der) {
    auto notice = detail::read_only_value(der, detail::der_sequence, "parsing a user notice");
    if (!notice) return detail::append_line(text, to_hex(der), 4);
    detail::der_reader reader(notice->content, "parsing a user notice");
    if (reader.peek_tag() == detail::der_sequence) {
      auto reference = reader.enter(detail::der_sequence);
      if (!reference) return;
      if (auto organization = reference->any()) {
        detail::append_line(text, "Organization: " + display_text(*organization), 4);
      }
      if (auto numbers = reference->enter(detail::der_sequence)) {
        std::string list;
        std::size_t count = 0;
        while (!numbers->at_end()) {
          auto number = numbers->small_unsigned();
          if (!number) break;
          list += (count++ == 0 ? "" : ", ") + std::to_string(*number);
        }
        detail::append_line(text, (count == 1 ? "Number: " : "Numbers: ") + list, 4);
      }
    }
    if (auto explicit_text = reader.any()) {
      detail::append_line(text, "Explicit Text: " + display_text(*explicit_text), 4);
    }
  }
};

/// One mapping of policyMappings: the issuer's policy the subject's policy is equivalent to.
struct policy_mapping {
  object_identifier issuer_domain_policy{};
  object_identifier subject_domain_policy{};
  friend bool operator==(const policy_mapping&, const policy_mapping&) = default;
};

/// policyMappings (2.5.29.33): a CA's statement that its issuer's policy is equivalent to
/// one of its own (RFC 5280 4.2.1.5). Critical by default (RFC 5280: SHOULD).
struct policy_mappings {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x21");
  static constexpr bool default_critical = true;

  std::vector<policy_mapping> mappings{};

  /// 2.5.29.33.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER; invalid_argument when there are no mappings, an OID is empty, or one
  /// side is anyPolicy (RFC 5280: a policy is never mapped to or from anyPolicy).
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (mappings.empty()) return fail(errc::invalid_argument, "policyMappings needs a mapping");
    const auto write_mapping = [](detail::der_writer& out, const policy_mapping& mapping) -> result<void> {
      if (mapping.issuer_domain_policy.empty() || mapping.subject_domain_policy.empty())
        return fail(errc::invalid_argument, "a policy mapping needs two OIDs");
      if (mapping.issuer_domain_policy == certificate_policies::any_policy ||
          mapping.subject_domain_policy == certificate_policies::any_policy) {
        return fail(errc::invalid_argument, "RFC 5280: no policy is mapped to or from anyPolicy");
      }
      const std::size_t mapping_start = out.mark();
      out.oid(detail::oid_content_view(mapping.subject_domain_policy));
      out.oid(detail::oid_content_view(mapping.issuer_domain_policy));
      out.sequence(mapping_start);
      return {};
    };
    return detail::sequence_of_der(mappings, write_mapping);
  }
  /// From the extnValue DER; parse_failed when malformed or empty. A mapping to or from
  /// anyPolicy is kept, for the validator to refuse.
  [[nodiscard]] static result<policy_mappings> from_der(byte_view der) {
    policy_mappings result_mappings;
    const auto read_mapping = [&result_mappings](detail::der_reader& reader) {
      auto mapping = reader.read_nested(detail::der_sequence);
      auto issuer = detail::next_oid(mapping);
      auto subject = detail::next_oid(mapping);
      mapping.require(mapping.at_end(), "trailing data in a policy mapping");
      result_mappings.mappings.push_back({std::move(issuer), std::move(subject)});
    };
    auto read =
        detail::read_sequence_of(der, "parsing policyMappings", "policyMappings is empty", read_mapping);
    if (!read) return std::unexpected(read.error());
    return result_mappings;
  }
  /// "1.2.3:1.2.4" lines (issuer's policy, then the subject's), as OpenSSL prints them.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    for (const auto& mapping : mappings) {
      detail::append_line(
          text, mapping.issuer_domain_policy.to_string() + ':' + mapping.subject_domain_policy.to_string());
    }
    return text;
  }
  friend bool operator==(const policy_mappings&, const policy_mappings&) = default;
};

/// policyConstraints (2.5.29.36): after how many more certificates an explicit policy is
/// required, and policy mapping inhibited (RFC 5280 4.2.1.11). Critical by default
/// (RFC 5280: MUST).
struct policy_constraints {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x24");
  static constexpr bool default_critical = true;

  std::optional<std::uint32_t> require_explicit_policy{};  ///< SkipCerts
  std::optional<std::uint32_t> inhibit_policy_mapping{};   ///< SkipCerts

  /// 2.5.29.36.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER; invalid_argument when neither field is set (RFC 5280: MUST NOT be
  /// an empty sequence).
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (!require_explicit_policy && !inhibit_policy_mapping)
      return fail(errc::invalid_argument,
                  "policyConstraints needs requireExplicitPolicy or inhibitPolicyMapping");
    detail::der_writer out;
    const std::size_t start = out.mark();
    if (inhibit_policy_mapping)
      out.primitive(detail::context_tag(1), detail::unsigned_content(*inhibit_policy_mapping));
    if (require_explicit_policy)
      out.primitive(detail::context_tag(0), detail::unsigned_content(*require_explicit_policy));
    out.sequence(start);
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when malformed, empty, or a SkipCerts is negative
  /// or above 2^32-1.
  [[nodiscard]] static result<policy_constraints> from_der(byte_view der) {
    auto reader = detail::only_sequence_reader(der, "parsing policyConstraints");
    reader.require(!reader.at_end(), "policyConstraints is empty");
    policy_constraints constraints;
    std::optional<std::uint32_t>* fields[] = {&constraints.require_explicit_policy,
                                              &constraints.inhibit_policy_mapping};
    for (unsigned tag = 0; tag < 2; ++tag) {
      const auto value = reader.read_optional(detail::context_tag(tag));
      if (value.present()) *fields[tag] = reader.keep(detail::read_skip_certs(value));
    }
    return reader.finish_with(std::move(constraints), "trailing data in policyConstraints");
  }
  /// "Require Explicit Policy:0, Inhibit Policy Mapping:1", as OpenSSL prints it.
  [[nodiscard]] std::string to_string() const {
    std::string text;
    if (require_explicit_policy) text = "Require Explicit Policy:" + std::to_string(*require_explicit_policy);
    if (inhibit_policy_mapping) {
      if (!text.empty()) text += ", ";
      text += "Inhibit Policy Mapping:" + std::to_string(*inhibit_policy_mapping);
    }
    return text;
  }
  friend bool operator==(const policy_constraints&, const policy_constraints&) = default;
};

/// inhibitAnyPolicy (2.5.29.54): after how many more certificates anyPolicy stops
/// matching (RFC 5280 4.2.1.14). Critical by default (RFC 5280: MUST).
struct inhibit_any_policy {
  static constexpr std::string_view oid_content = detail::oid_octets("\x55\x1D\x36");
  static constexpr bool default_critical = true;

  std::uint32_t skip_certs = 0;

  /// 2.5.29.54.
  [[nodiscard]] static object_identifier oid() { return object_identifier::from_trusted(oid_content); }
  /// The extnValue DER (an INTEGER).
  [[nodiscard]] result<byte_buffer> to_der() const {
    detail::der_writer out;
    out.unsigned_integer(detail::big_endian(skip_certs));
    return out.finish<byte_buffer>();
  }
  /// From the extnValue DER; parse_failed when it is not one INTEGER in 0..2^32-1.
  [[nodiscard]] static result<inhibit_any_policy> from_der(byte_view der) {
    auto value = detail::read_only_value(der, MBEDTLS_ASN1_INTEGER, "parsing inhibitAnyPolicy");
    if (!value) return std::unexpected(value.error());
    auto skip = detail::read_skip_certs(*value);
    if (!skip) return std::unexpected(skip.error());
    return inhibit_any_policy{*skip};
  }
  /// The number, as OpenSSL prints it.
  [[nodiscard]] std::string to_string() const { return std::to_string(skip_certs); }
  friend bool operator==(const inhibit_any_policy&, const inhibit_any_policy&) = default;
};

}  // namespace pki
