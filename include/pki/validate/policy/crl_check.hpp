#pragma once
// policy::crl_check — revocation by the CRLs given in validation_options::crls. For each
// certificate below the anchor, a CRL speaks for it when its issuer name is the
// certificate's issuer, the issuer's key verifies it, the issuer may sign CRLs (cRLSign
// when it has a key usage), it is a complete CRL (no deltaCRLIndicator) whose
// issuingDistributionPoint scope covers the certificate, and it has no other critical
// extension. A certificate such a CRL lists as revoked at or before the validation time is
// errc::revoked, even when the CRL is past its nextUpdate: revocation is final. Other CRLs
// are ignored; policy::crl_required also wants one in force (validation time within
// [thisUpdate, nextUpdate]) for every certificate, or errc::revocation_unknown.

#include <algorithm>
#include <string_view>

#include "../../core/detail/der_reader.hpp"
#include "../../x509/crl.hpp"
#include "../../x509/extensions.hpp"
#include "policy.hpp"

namespace pki::policy {

namespace detail_crl {

inline constexpr std::string_view delta_crl_indicator = pki::detail::oid_octets("\x55\x1D\x1B");  // 2.5.29.27
inline constexpr std::string_view issuing_distribution_point =
    pki::detail::oid_octets("\x55\x1D\x1C");  // 2.5.29.28

/// The scope an issuingDistributionPoint gives a CRL; the parts the validator honours.
struct scope {
  bool only_user = false;
  bool only_ca = false;
  bool partial = false;  // onlySomeReasons, indirectCRL or attribute certificates: not complete for us
};

[[nodiscard]] inline result<scope> read_scope(byte_view der) {
  using namespace pki::detail;
  der_reader outer(der, "issuingDistributionPoint");
  auto idp = outer.enter();
  if (!idp || !outer.at_end()) return fail(errc::parse_failed, "a malformed issuingDistributionPoint");
  scope out;
  while (!idp->at_end()) {
    auto field = idp->any();
    if (!field) return std::unexpected(field.error());
    const bool is_true = field->content.size() == 1 && field->content[0] == 0xFF;
    switch (field->tag) {
      case context_constructed(0): break;  // distributionPoint: any point of the issuer's is accepted
      case context_tag(1): out.only_user = is_true; break;
      case context_tag(2): out.only_ca = is_true; break;
      case context_constructed(3):
      case context_tag(3): out.partial = true; break;
      case context_tag(4):
      case context_tag(5): out.partial = out.partial || is_true; break;
      default: return fail(errc::parse_failed, "a malformed issuingDistributionPoint");
    }
  }
  return out;
}

/// Whether `list` is `issuer`'s word on `cert`: its issuer name and key identifier are the
/// issuer's, the issuer may sign CRLs, its scope covers the certificate, it is complete and
/// has no critical extension the validator does not process, and the issuer's key verifies
/// it. (Whether it is in force is a separate question: see current().)
[[nodiscard]] inline bool authoritative(const crl<>& list, const certificate<>& cert,
                                        const certificate<>& issuer) {
  if (!pki::detail::same_name(list.issuer_der(), list.issuer(), issuer.subject_der(), issuer.subject()))
    return false;
  if (auto ku = issuer.key_usage(); !ku || (*ku && !(*ku)->has(key_usage_flag::crl_sign))) return false;
  if (const auto& aki = list.authority_key_identifier(); aki && aki->key_id) {
    auto ski = issuer.subject_key_identifier();
    if (ski && *ski && (*ski)->key_id != *aki->key_id) return false;
  }
  for (const auto& ext : list.extensions()) {
    if (ext.oid == delta_crl_indicator) return false;
    if (ext.oid == issuing_distribution_point) {
      auto s = read_scope(ext.value);
      if (!s || s->partial) return false;
      if (s->only_user && cert.is_ca()) return false;
      if (s->only_ca && !cert.is_ca()) return false;
    } else if (ext.critical && !(ext.oid == pki::authority_key_identifier::oid_content)) {
      return false;
    }
  }
  return list.verify_signature(issuer.public_key()).has_value();
}

/// Whether `list` is in force at `t`: thisUpdate <= t <= nextUpdate.
[[nodiscard]] inline bool current(const crl<>& list, std::chrono::sys_seconds t) {
  return list.this_update() <= t && (!list.next_update() || t <= *list.next_update());
}

}  // namespace detail_crl

template <bool Required>
struct crl_rule : rule {
  /// At `depth` the issuer of path[depth - 1] is known: check that certificate.
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (depth == 0) return {};
    const certificate<>& cert = ctx.path[depth - 1];
    const certificate<>& issuer = ctx.path[depth];
    bool covered = false;
    for (const auto& list : ctx.options->crls) {
      if (!detail_crl::authoritative(list, cert, issuer)) continue;
      // A revocation stays true after the CRL that says so is superseded: an out-of-date
      // CRL still revokes; it only no longer vouches for the certificates it does not list.
      if (auto entry = list.is_revoked(cert.serial()); entry && entry->revocation_date <= ctx.time) {
        return fail_at(depth - 1, errc::revoked, "listed on a CRL of its issuer");
      }
      covered = covered || detail_crl::current(list, ctx.time);
    }
    if (Required && !covered) {
      return fail_at(depth - 1, errc::revocation_unknown, "no current CRL from its issuer was supplied");
    }
    return {};
  }
};

/// Revocation checked with the CRLs supplied; a certificate no CRL speaks for passes.
using crl_check = crl_rule<false>;
/// Revocation checked, and every certificate below the anchor needs a current CRL.
using crl_required = crl_rule<true>;

}  // namespace pki::policy
