#pragma once
// policy::rfc5280 — the path validation rules of RFC 5280 section 6 and the profile rules
// of section 4 that a validator can see: validity at the validation time, issuers that
// are CAs with keyCertSign, pathLenConstraint (self-issued certificates not counted),
// critical extensions the validator does not process, v1/v2 intermediates, key
// identifier rules, serial numbers, names and malformed extensions. Each link's signature
// is checked by the path builder itself before a certificate joins a path, so no
// policy can leave it out.

#include <algorithm>
#include <optional>
#include <string_view>

#include "../../x509/certificate.hpp"
#include "../../x509/detail/dns.hpp"
#include "../../x509/extensions.hpp"
#include "policy.hpp"

namespace pki::policy {

namespace detail_rfc5280 {

/// Extensions the validator processes (or that are only informative), as OID content octets.
inline constexpr std::string_view understood[] = {
    pki::basic_constraints::oid_content,
    pki::key_usage::oid_content,
    pki::extended_key_usage::oid_content,
    pki::subject_alt_name::oid_content,
    pki::issuer_alt_name::oid_content,
    pki::name_constraints::oid_content,
    pki::certificate_policies::oid_content,  // these four: policy::certificate_policies
    pki::policy_mappings::oid_content,
    pki::policy_constraints::oid_content,
    pki::inhibit_any_policy::oid_content,
    pki::crl_distribution_points::oid_content,
    pki::subject_key_identifier::oid_content,
    pki::authority_key_identifier::oid_content,
    pki::authority_information_access::oid_content,
};

[[nodiscard]] inline bool is_understood(const object_identifier& oid) {
  return std::ranges::any_of(understood, [&](std::string_view known) { return oid == known; });
}

/// The serial's INTEGER content octets: positive, non-zero, at most 20 octets of magnitude.
[[nodiscard]] inline const char* serial_problem(byte_view serial) {
  if (serial.empty()) return "the serial number is empty";
  if ((serial[0] & 0x80) != 0) return "the serial number is negative";
  if (std::ranges::all_of(serial, [](std::uint8_t b) { return b == 0; })) return "the serial number is zero";
  const std::size_t magnitude = serial.size() - (serial[0] == 0 ? 1 : 0);
  if (magnitude > 20) return "the serial number is longer than 20 octets";
  return nullptr;
}

}  // namespace detail_rfc5280

struct rfc5280 : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    const certificate<>& cert = ctx.path[depth];
    if (auto ok = check_validity(cert, ctx.time, depth); !ok) return ok;
    auto constraints = check_extensions(ctx, cert, depth);
    if (!constraints) return std::unexpected(constraints.error());
    // An anchor is taken as configured, but a leaf that is its own anchor (a pinned
    // self-signed server) is still an end entity whose fields are used: it is held to them.
    if (!ctx.is_anchor(depth) || depth == 0) {
      if (auto ok = check_issued(cert, depth); !ok) return ok;
    }
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

  /// What every certificate of a path must satisfy, trust anchors included; gives back
  /// the basic constraints and key usage it decoded.
  [[nodiscard]] static result<ca_extensions> check_extensions(const path_context& ctx,
                                                              const certificate<>& cert, std::size_t depth) {
    for (const auto& ext : cert.extensions()) {
      if (ext.critical && !detail_rfc5280::is_understood(ext.oid)) {
        return fail_at(depth, errc::unknown_critical_extension,
                       "a critical extension the validator does not process");
      }
    }
    const auto* aki = cert.extensions().find(authority_key_identifier::oid_content);
    if (aki != nullptr && aki->critical)
      return fail_at(depth, errc::nonconforming, "a critical authority key identifier");
    const auto* ski = cert.extensions().find(subject_key_identifier::oid_content);
    if (ski != nullptr && ski->critical)
      return fail_at(depth, errc::nonconforming, "a critical subject key identifier");
    const auto* aia = cert.extensions().find(authority_information_access::oid_content);
    if (aia != nullptr) {
      if (aia->critical)
        return fail_at(depth, errc::nonconforming, "a critical authority information access");
      auto decoded = cert.extensions().get<authority_information_access>();
      if (!decoded || (*decoded)->descriptions.empty()) {
        return fail_at(depth, errc::nonconforming, "a malformed authority information access");
      }
    }
    auto bc = cert.basic_constraints();
    if (!bc) return fail_at(depth, errc::nonconforming, "a malformed basic constraints extension");
    auto ku = cert.key_usage();
    if (!ku) return fail_at(depth, errc::nonconforming, "a malformed key usage extension");
    auto eku = cert.extended_key_usage();
    if (!eku) return fail_at(depth, errc::nonconforming, "a malformed extended key usage extension");
    if (*eku && (*eku)->purposes.empty())
      return fail_at(depth, errc::nonconforming, "an empty extended key usage");
    const bool ca = *bc && (*bc)->ca;
    if (*bc && !ca && (*bc)->path_len) {
      return fail_at(depth, errc::nonconforming, "a pathLenConstraint without cA");
    }
    if (const auto* nc = cert.extensions().find(pki::name_constraints::oid_content); nc != nullptr) {
      if (!ca)
        return fail_at(depth, errc::nonconforming, "name constraints in a certificate that is not a CA");
      if (!nc->critical) return fail_at(depth, errc::nonconforming, "name constraints not marked critical");
    }
    if (auto ok = check_alt_names(ctx, cert, depth); !ok) return std::unexpected(ok.error());
    return ca_extensions{std::move(*bc), std::move(*ku)};
  }

  /// A subjectAltName must decode, hold at least one name, and its DNS names must be
  /// host names (or wildcards) in preferred name syntax.
  [[nodiscard]] static result<void> check_alt_names(const path_context& ctx, const certificate<>& cert,
                                                    std::size_t depth) {
    if (ctx.is_anchor(depth)) return {};
    auto san = cert.subject_alt_name();
    if (!san) return fail_at(depth, errc::nonconforming, "a malformed subject alternative name");
    if (!*san) return {};
    if ((*san)->names.empty())
      return fail_at(depth, errc::nonconforming, "an empty subject alternative name");
    for (const auto& name : (*san)->names) {
      if (const auto* dns = std::get_if<dns_name>(&name);
          dns && !detail::dns::is_presented_name(dns->value)) {
        return fail_at(depth, errc::nonconforming, "a dNSName that is not a valid host name");
      }
    }
    return {};
  }

  /// What a certificate issued by another (any but the anchor) must satisfy.
  [[nodiscard]] static result<void> check_issued(const certificate<>& cert, std::size_t depth) {
    if (const char* problem = detail_rfc5280::serial_problem(cert.serial())) {
      return fail_at(depth, errc::nonconforming, problem);
    }
    if (cert.issuer().empty()) return fail_at(depth, errc::nonconforming, "an empty issuer name");
    if (!cert.is_self_issued()) {
      auto aki = cert.authority_key_identifier();
      if (!aki || !*aki || !(*aki)->key_id) {
        return fail_at(depth, errc::nonconforming, "no authority key identifier (RFC 5280 4.2.1.1)");
      }
    }
    return {};
  }

  /// What the certificate at depth > 0 must satisfy to issue the one below it.
  [[nodiscard]] static result<void> check_issuer(const path_context& ctx, const certificate<>& cert,
                                                 const ca_extensions& ext, std::size_t depth) {
    const bool anchor = ctx.is_anchor(depth);
    if (!anchor && cert.version() != 3) {
      return fail_at(depth, errc::nonconforming, "a v1 or v2 certificate cannot be an intermediate CA");
    }
    if (cert.subject().empty()) return fail_at(depth, errc::nonconforming, "a CA with an empty subject name");
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

}  // namespace pki::policy
