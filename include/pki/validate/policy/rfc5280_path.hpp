#pragma once
// policy::rfc5280_path — what RFC 5280 section 6.1 path validation demands of every relying
// party: validity at the validation time (6.1.3 (a)(2)), no critical extension the
// validator does not process (6.1.4 (o), 6.1.5 (f)), issuers that are CAs (6.1.4 (k); a v1
// or v2 certificate is no intermediate, a v1 trust anchor is taken on trust), keyCertSign
// in an issuer's key usage (6.1.4 (n)) and pathLenConstraint (6.1.4 (l)-(m), self-issued
// certificates not counted), and certificate policies (6.1.3 (d)-(f), 6.1.4 (a)-(b), (g)-(j),
// 6.1.5 (a)-(b), (g): policy::certificate_policies, certificate_policies.hpp). It also refuses extensions
// that do not decode (basic constraints, key usage, extended key usage, subject alternative name, authority
// information access, and the SEQUENCE SIZE (1..MAX) lists left empty): a relying party
// cannot process what it cannot read. Each link's signature is checked by the path builder
// itself before a certificate joins a path, so no policy can leave it out.
//
// What section 4 asks of conforming CAs (key identifiers, serials, criticality, ...) is
// policy::rfc5280_profile; policy::rfc5280 is both.

#include <algorithm>
#include <optional>
#include <string_view>

#include "../../x509/certificate.hpp"
#include "../../x509/extensions.hpp"
#include "certificate_policies.hpp"
#include "policy.hpp"

namespace pki::detail::rfc5280_rules {

/// Extensions the validator processes (or that are only informative), as OID content octets.
inline constexpr std::string_view understood[] = {
    pki::basic_constraints::oid_content,
    pki::key_usage::oid_content,
    pki::extended_key_usage::oid_content,
    pki::subject_alt_name::oid_content,
    pki::issuer_alt_name::oid_content,
    pki::name_constraints::oid_content,
    // These four are processed by policy::certificate_policies, which rfc5280_path holds:
    // the path rules alone (detail::rfc5280_rules::path_rules) are not a rule to pick.
    pki::certificate_policies::oid_content,
    pki::policy_mappings::oid_content,
    pki::policy_constraints::oid_content,
    pki::inhibit_any_policy::oid_content,
    pki::crl_distribution_points::oid_content,
    pki::subject_key_identifier::oid_content,
    pki::authority_key_identifier::oid_content,
    pki::authority_information_access::oid_content,
};

[[nodiscard]] inline bool is_understood(std::string_view oid) {
  return std::ranges::any_of(understood, [&](std::string_view known) { return oid == known; });
}

/// Section 6.1 but for certificate policies (see rfc5280_path).
struct path_rules : policy::rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    const certificate<>& cert = ctx.path[depth];
    if (auto ok = check_validity(cert, ctx.time, depth); !ok) return ok;
    auto constraints = check_extensions(ctx, cert, depth);
    if (!constraints) return std::unexpected(constraints.error());
    if (depth > 0) return check_issuer(ctx, cert, *constraints, depth);
    return {};
  }

 private:
  /// The extensions that decide whether a certificate may issue, decoded once.
  struct ca_extensions {
    std::optional<pki::basic_constraints> basic{};
    std::optional<pki::key_usage> usage{};
  };

  [[nodiscard]] static result<void> check_validity(const certificate<>& cert, std::chrono::sys_seconds t,
                                                   std::size_t depth) {
    if (t < cert.not_before()) return fail_at(depth, errc::not_yet_valid, "before notBefore");
    if (t > cert.not_after()) return fail_at(depth, errc::expired, "after notAfter");
    return {};
  }

  /// What every certificate of a path must satisfy, trust anchors included: no unknown
  /// critical extension, and the processed ones decode. Gives back the basic constraints
  /// and key usage it decoded.
  [[nodiscard]] static result<ca_extensions> check_extensions(const path_context& ctx,
                                                              const certificate<>& cert, std::size_t depth) {
    for (const auto& ext : cert.extension_views()) {
      if (ext.critical && !detail::rfc5280_rules::is_understood(ext.oid)) {
        return fail_at(depth, errc::unknown_critical_extension,
                       "a critical extension the validator does not process");
      }
    }
    if (cert.extension_views().find(authority_information_access::oid_content) != nullptr) {
      const auto& decoded = cert.extension<authority_information_access>();
      if (!decoded || (*decoded)->descriptions.empty()) {
        return fail_at(depth, errc::nonconforming, "a malformed authority information access");
      }
    }
    const auto& bc = cert.basic_constraints();
    if (!bc) return fail_at(depth, errc::nonconforming, "a malformed basic constraints extension");
    const auto& ku = cert.key_usage();
    if (!ku) return fail_at(depth, errc::nonconforming, "a malformed key usage extension");
    const auto& eku = cert.extended_key_usage();
    if (!eku) return fail_at(depth, errc::nonconforming, "a malformed extended key usage extension");
    if (*eku && (*eku)->purposes.empty())
      return fail_at(depth, errc::nonconforming, "an empty extended key usage");
    // An anchor's names are not used for the path (6.1.1 (d) takes its name and key).
    if (!ctx.is_anchor(depth)) {
      const auto& san = cert.subject_alt_name();
      if (!san) return fail_at(depth, errc::nonconforming, "a malformed subject alternative name");
      if (*san && (*san)->names.empty())
        return fail_at(depth, errc::nonconforming, "an empty subject alternative name");
    }
    return ca_extensions{std::move(*bc), std::move(*ku)};
  }

  /// What the certificate at depth > 0 must satisfy to issue the one below it.
  [[nodiscard]] static result<void> check_issuer(const path_context& ctx, const certificate<>& cert,
                                                 const ca_extensions& ext, std::size_t depth) {
    const bool anchor = ctx.is_anchor(depth);
    if (!anchor && cert.version() != 3) {
      return fail_at(depth, errc::nonconforming, "a v1 or v2 certificate cannot be an intermediate CA");
    }
    const auto& bc = ext.basic;
    const bool v1_anchor = anchor && cert.version() == 1;
    if (!v1_anchor && (!bc || !bc->ca)) {
      return fail_at(depth, errc::issuer_not_ca, "issues certificates but basic constraints do not say cA");
    }
    if (ext.usage && !ext.usage->has(key_usage_flag::key_cert_sign)) {
      return fail_at(depth, errc::usage_not_allowed, "issues certificates but key usage lacks keyCertSign");
    }
    if (bc && bc->path_len) {
      // CA certificates between this one and the leaf, self-issued ones not counted.
      std::size_t below = 0;
      for (std::size_t i = 1; i < depth; ++i) {
        if (!ctx.path[i].is_self_issued()) ++below;
      }
      if (below > *bc->path_len) {
        return fail_at(depth, errc::path_len_exceeded,
                       "more CA certificates follow than pathLenConstraint allows");
      }
    }
    return {};
  }
};

}  // namespace pki::detail::rfc5280_rules

namespace pki::policy {

/// RFC 5280 section 6.1 path validation: the path rules and certificate policy processing.
/// One alias, so that the policy extensions, which count as understood when critical, are
/// never passed without being processed.
using rfc5280_path = policies<detail::rfc5280_rules::path_rules, certificate_policies>;

}  // namespace pki::policy
