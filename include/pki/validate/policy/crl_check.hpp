#pragma once
// policy::crl_check — revocation by the CRLs given in validation_options::crls, under the
// CRL profile of RFC 5280 section 5 and the CRL processing of section 6.3. For each
// certificate below the anchor, a CRL speaks for it only when all of these hold; any other
// CRL is ignored, as if it had not been supplied:
//  - its issuer name is the certificate's issuer (RFC 5280 7.1 comparison), its
//    authorityKeyIdentifier (when it has a key identifier) is the issuer's SKI, the issuer
//    may sign CRLs (cRLSign when it has a keyUsage, 6.3.3 (f)) and its key verifies it;
//  - it has a non-critical cRLNumber (5.2.3: conforming issuers MUST include one);
//  - it is not a delta CRL (deltaCRLIndicator, 5.2.4): delta CRLs are not supported and
//    ignored entirely, even for the certificates they list;
//  - it has no critical CRL extension other than authorityKeyIdentifier and
//    issuingDistributionPoint, and no entry with a critical entry extension other than
//    reasonCode and invalidityDate (5.3: such a CRL MUST NOT be used);
//  - it is not indirect (IDP indirectCRL TRUE, or any entry with certificateIssuer): indirect
//    CRLs are not supported;
//  - its issuingDistributionPoint, when present, is well formed (DER, at most one of the
//    "only" flags), is not onlyContainsAttributeCerts, and its scope covers the certificate:
//    onlyContainsUserCerts not for a CA, onlyContainsCACerts not for an end entity, and a
//    named distributionPoint only for a certificate whose cRLDistributionPoints names the
//    same point (one general name equal to one of the IDP's, a directoryName by RFC 5280
//    7.1, a nameRelativeToCRLIssuer taken below the issuer's name; 6.3.3 (b)(2)(i)). A
//    certificate without cRLDistributionPoints is outside every named partition. An IDP
//    that is not critical (5.2.5 says it MUST be) is honoured all the same: marking it
//    non-critical never widens what the CRL covers.
// A certificate such a CRL lists as revoked at or before the validation time is
// errc::revoked, even when the CRL is past its nextUpdate, has none, or covers only some
// reasons: revocation is final. policy::crl_required also wants every certificate covered
// for all reasons by CRLs in force — thisUpdate <= time <= nextUpdate, so a CRL without
// nextUpdate (5.1.2.5: conforming issuers MUST include it) is never in force — or it fails
// errc::revocation_unknown at the certificate's depth. A CRL with onlySomeReasons covers
// those reasons only; several together may cover all (6.3.3 (d), (j)). The reasons of the
// certificate's own distribution point and cRLNumber order (the newest CRL) are not used.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../x509/crl.hpp"
#include "../../x509/extensions.hpp"
#include "../../x509/general_name.hpp"
#include "policy.hpp"

namespace pki::detail::revocation {

using pki::detail::oid_octets;

inline constexpr std::string_view delta_crl_indicator = oid_octets("\x55\x1D\x1B");         // 2.5.29.27
inline constexpr std::string_view issuing_distribution_point = oid_octets("\x55\x1D\x1C");  // 2.5.29.28
inline constexpr std::string_view invalidity_date = oid_octets("\x55\x1D\x18");             // 2.5.29.24
inline constexpr std::string_view certificate_issuer = oid_octets("\x55\x1D\x1D");          // 2.5.29.29

/// The ReasonFlags bits that name a reason (all but `unused`): a certificate is covered when
/// CRLs in force cover each of them.
inline constexpr std::uint16_t all_reasons = 0x1FE;

/// What an issuingDistributionPoint says, read strictly.
struct scope {
  std::optional<distribution_point> point{};  // distributionPoint, as a cRLDistributionPoints point
  bool only_user = false;
  bool only_ca = false;
  bool only_attribute = false;
  bool indirect = false;
  std::uint16_t reasons = all_reasons;  // onlySomeReasons; all when absent
};

/// An IDP BOOLEAN DEFAULT FALSE: TRUE (0xFF), or FALSE (0x00) written out, which DER omits
/// but which is unambiguous and read as the DEFAULT, as every common verifier reads it;
/// nullopt for any other content (malformed).
[[nodiscard]] inline std::optional<bool> idp_flag(const pki::detail::der_value& field) {
  if (field.content.size() != 1 || (field.content[0] != 0xFF && field.content[0] != 0x00))
    return std::nullopt;
  return field.content[0] == 0xFF;
}

/// The issuingDistributionPoint extnValue; parse_failed when it is malformed (fields out of
/// order or repeated, a BOOLEAN neither 0x00 nor 0xFF), is empty (5.2.5 forbids it), or sets
/// more than one of the "only" flags. A FALSE written out is read as the DEFAULT.
[[nodiscard]] inline result<scope> read_scope(byte_view der) {
  using namespace pki::detail;
  der_reader outer(der, "issuingDistributionPoint");
  const auto sequence = outer.expect(der_sequence);
  outer.require(sequence && outer.at_end(), "a malformed issuingDistributionPoint");
  auto idp = outer.nested_in(sequence.value_or(der_value{}));
  idp.require(!idp.at_end(), "an empty issuingDistributionPoint");
  scope out;
  int last = -1;
  while (!idp.at_end()) {
    const auto field = idp.read_any();
    const int number = field.tag & 0x1F;
    idp.require((field.tag & 0xC0) == 0x80 && number > last,
                "issuingDistributionPoint fields are out of order");
    if (idp.failed()) break;  // `field` may be the absent value a failed read gives
    last = number;
    if (field.tag == context_constructed(0)) {
      // DistributionPointName: read as the one of a DistributionPoint SEQUENCE holding it.
      der_writer w(field.whole.size() + 8);
      const std::size_t start = w.mark();
      w.raw(field.whole);
      w.sequence(start);  // the DistributionPoint
      w.sequence(start);  // and the cRLDistributionPoints holding it
      auto wrapped = w.finish<byte_buffer>();
      if (!wrapped) return std::unexpected(wrapped.error());
      auto points = crl_distribution_points::from_der(*wrapped);
      idp.require(points && points->points.size() == 1,
                  "a malformed issuingDistributionPoint distributionPoint");
      if (!idp.failed()) out.point = std::move(points->points.front());
    } else if (field.tag == context_tag(3)) {
      const auto bits =
          idp.keep(read_named_bits(field.content, "a malformed issuingDistributionPoint onlySomeReasons"));
      out.reasons = static_cast<std::uint16_t>(bits & all_reasons);
    } else {
      const auto flag = idp_flag(field);
      idp.require(flag.has_value(), "a malformed issuingDistributionPoint flag");
      const bool set = flag.value_or(false);
      switch (field.tag) {
        case context_tag(1): out.only_user = set; break;
        case context_tag(2): out.only_ca = set; break;
        case context_tag(4): out.indirect = set; break;
        case context_tag(5): out.only_attribute = set; break;
        default: idp.reject(errc::parse_failed, "a malformed issuingDistributionPoint");
      }
    }
  }
  idp.require(int{out.only_user} + int{out.only_ca} + int{out.only_attribute} <= 1,
              "an issuingDistributionPoint sets more than one only... flag");
  return outer.finish_with(std::move(out));
}

/// Whether the CRL itself may be used at all, whatever certificate it is asked about: the
/// profile rules above that do not depend on the certificate. Its IDP scope when it may.
[[nodiscard]] inline std::optional<scope> usable_scope(const crl& list) {
  scope out;
  bool numbered = false;
  for (const auto& ext : list.extensions()) {
    if (ext.oid == pki::detail::crl_oid::crl_number) {
      if (ext.critical) return std::nullopt;
      numbered = true;
    } else if (ext.oid == delta_crl_indicator) {
      return std::nullopt;
    } else if (ext.oid == issuing_distribution_point) {
      auto s = read_scope(ext.value);
      if (!s || s->indirect || s->only_attribute) return std::nullopt;
      out = std::move(*s);
    } else if (ext.critical && !(ext.oid == pki::authority_key_identifier::oid_content)) {
      return std::nullopt;
    }
  }
  if (!numbered) return std::nullopt;
  for (const std::size_t i : list.entries_with_extensions()) {
    for (const auto& ext : list.revoked()[i].extensions) {
      if (ext.oid == certificate_issuer) return std::nullopt;
      if (ext.critical && !(ext.oid == pki::detail::crl_oid::reason_code) && !(ext.oid == invalidity_date)) {
        return std::nullopt;
      }
    }
  }
  return out;
}

/// The names a distribution point goes by: its fullName, its nameRelativeToCRLIssuer as a
/// directoryName below `issuer_der`, or (with neither) its cRLIssuer names.
[[nodiscard]] inline std::vector<general_name> names_of(const distribution_point& point,
                                                        byte_view issuer_der) {
  if (!point.full_name.empty()) return point.full_name;
  if (point.relative_name) {
    using namespace pki::detail;
    der_reader outer(issuer_der);
    auto rdns = outer.enter();
    if (!rdns) return {};
    der_writer w(issuer_der.size() + point.relative_name->size() + 16);
    const std::size_t start = w.mark();
    const std::size_t rdn = w.mark();
    w.raw(*point.relative_name);
    w.set(rdn);
    w.raw(rdns->rest());
    w.sequence(start);
    auto der = w.finish<byte_buffer>();
    if (!der) return {};
    auto name = distinguished_name::from_der(*der);
    if (!name) return {};
    return {general_name{std::move(*name)}};
  }
  return point.crl_issuer;
}

/// Whether a CRL whose IDP names `idp_point` is for `cert`: one of the IDP's names is one of
/// the names of one of the certificate's distribution points (6.3.3 (b)(2)(i)).
[[nodiscard]] inline bool same_partition(const distribution_point& idp_point, const crl& list,
                                         const certificate<>& cert) {
  const auto& points = cert.crl_distribution_points();
  if (!points || !*points) return false;
  const auto wanted = names_of(idp_point, list.issuer_der());
  for (const auto& point : (*points)->points) {
    for (const auto& name : names_of(point, cert.issuer_der())) {
      if (std::ranges::find(wanted, name) != wanted.end()) return true;
    }
  }
  return false;
}

/// The reasons for which `list` is `issuer`'s word on `cert` (see the rules above); nullopt
/// when it is not. (Whether it is in force is a separate question: see current().)
[[nodiscard]] inline std::optional<std::uint16_t> speaks_for(const crl& list, const certificate<>& cert,
                                                             const certificate<>& issuer) {
  if (!pki::detail::same_name(list.issuer_der(), list.issuer(), issuer.subject_der(), issuer.subject()))
    return std::nullopt;
  if (const auto& ku = issuer.key_usage(); !ku || (*ku && !(*ku)->has(key_usage_flag::crl_sign)))
    return std::nullopt;
  if (const auto& aki = list.authority_key_identifier(); aki && aki->key_id) {
    const auto& ski = issuer.subject_key_identifier();
    if (ski && *ski && (*ski)->key_id != *aki->key_id) return std::nullopt;
  }
  auto s = usable_scope(list);
  if (!s) return std::nullopt;
  if (s->only_user && cert.is_ca()) return std::nullopt;
  if (s->only_ca && !cert.is_ca()) return std::nullopt;
  if (s->point && !same_partition(*s->point, list, cert)) return std::nullopt;
  if (!list.verify_signature(issuer.public_key())) return std::nullopt;
  return s->reasons;
}

/// Whether `list` is in force at `t`: thisUpdate <= t <= nextUpdate; never without a nextUpdate.
[[nodiscard]] inline bool current(const crl& list, std::chrono::sys_seconds t) {
  return list.this_update() <= t && list.next_update() && t <= *list.next_update();
}

}  // namespace pki::detail::revocation

namespace pki::policy {

template <bool Required>
struct crl_rule : rule {
  /// At `depth` the issuer of path[depth - 1] is known: check that certificate.
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (depth == 0) return {};
    const certificate<>& cert = ctx.path[depth - 1];
    const certificate<>& issuer = ctx.path[depth];
    std::uint16_t covered = 0;
    for (const auto& list : ctx.options->crls) {
      const auto reasons = detail::revocation::speaks_for(list, cert, issuer);
      if (!reasons) continue;
      // A revocation stays true after the CRL that says so is superseded: an out-of-date
      // CRL still revokes; it only no longer vouches for the certificates it does not list.
      if (auto entry = list.is_revoked(cert.serial()); entry && entry->revocation_date <= ctx.time) {
        return fail_at(depth - 1, errc::revoked, "listed on a CRL of its issuer");
      }
      if (detail::revocation::current(list, ctx.time)) covered |= *reasons;
    }
    if (Required && covered != detail::revocation::all_reasons) {
      return fail_at(depth - 1, errc::revocation_unknown,
                     "no usable CRL in force from its issuer covers it for every reason");
    }
    return {};
  }
};

/// Revocation checked with the CRLs supplied; a certificate no CRL speaks for passes.
using crl_check = crl_rule<false>;
/// Revocation checked, and every certificate below the anchor needs usable CRLs in force
/// that cover it for every reason.
using crl_required = crl_rule<true>;

}  // namespace pki::policy
