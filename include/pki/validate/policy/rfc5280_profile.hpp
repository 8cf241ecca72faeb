#pragma once
// policy::rfc5280_profile — the certificate profile of RFC 5280 section 4, as far as a
// relying party can see it: the sentences addressed to conforming CAs ("conforming CAs
// MUST ...") that path validation (section 6, policy::rfc5280_path) does not need. Each
// rule cites its clause. A relying party that wants the RFC's algorithm and nothing more
// leaves this class out (policy::rfc5280_strict_path); policy::rfc5280 and every other
// preset take it.
//
// Which certificates are held to the rules: every certificate below the trust anchor; a
// leaf that is its own anchor (a pinned self-signed server), as the end entity it is; and a
// self-issued anchor (a root) for what a CA certificate must carry. An anchor issued by
// another CA is taken as configured, except for the rules on criticality and on name
// constraints, which bind every certificate of the path.
//
// Rules on a certificate's own key-identifier, serial and issuer fields (4.1.2.2, 4.1.2.4,
// 4.2.1.1) spare the anchor unless it is the leaf: a root that only issues is trusted for
// its key, and old roots break them.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <variant>

#include "../../x509/certificate.hpp"
#include "../../x509/detail/dns.hpp"
#include "../../x509/extensions.hpp"
#include "policy.hpp"

namespace pki::detail::rfc5280_rules {

/// The serial's INTEGER content octets: positive, non-zero, at most 20 octets of magnitude.
[[nodiscard]] inline const char* serial_problem(byte_view serial) {
  if (serial.empty()) return "the serial number is empty";
  if ((serial[0] & 0x80) != 0) return "the serial number is negative";
  if (std::ranges::all_of(serial, [](std::uint8_t b) { return b == 0; })) return "the serial number is zero";
  const std::size_t magnitude = serial.size() - (serial[0] == 0 ? 1 : 0);
  if (magnitude > 20) return "the serial number is longer than 20 octets";
  return nullptr;
}

}  // namespace pki::detail::rfc5280_rules

namespace pki::policy {

struct rfc5280_profile : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    const certificate<>& cert = ctx.path[depth];
    const bool anchor = ctx.is_anchor(depth);
    // Decoded once for the rules below; one that does not decode is rfc5280_path's to refuse
    // and reads as absent here.
    const auto& decoded = cert.basic_constraints();
    const pki::basic_constraints* bc = decoded && *decoded ? &**decoded : nullptr;
    if (auto ok = check_criticality(cert, bc, depth); !ok) return ok;
    if (!anchor) {
      if (auto ok = check_dns_names(cert, depth); !ok) return ok;
    }
    if (!anchor || depth == 0) {
      if (auto ok = check_issued(cert, depth); !ok) return ok;
    }
    // 4.1.2.6: "If the subject is a CA ... the subject field MUST be populated with a
    // non-empty distinguished name"; the anchor too, whose name the path chains to.
    if (depth > 0 && cert.subject().empty())
      return fail_at(depth, errc::nonconforming, "a CA with an empty subject name");
    if (anchor && depth > 0 && !cert.is_self_issued()) return {};
    if (auto ok = check_ca_certificate(cert, bc, depth); !ok) return ok;
    return check_subject_names(cert, depth);
  }

 private:
  /// The criticality and placement rules that bind every certificate of the path, anchors too.
  [[nodiscard]] static result<void> check_criticality(const certificate<>& cert,
                                                      const pki::basic_constraints* bc, std::size_t depth) {
    // 4.2.1.1: "Conforming CAs MUST mark this extension as non-critical."
    const auto* aki = cert.extension_views().find(authority_key_identifier::oid_content);
    if (aki != nullptr && aki->critical)
      return fail_at(depth, errc::nonconforming, "a critical authority key identifier");
    // 4.2.1.2: "Conforming CAs MUST mark this extension as non-critical."
    const auto* ski = cert.extension_views().find(subject_key_identifier::oid_content);
    if (ski != nullptr && ski->critical)
      return fail_at(depth, errc::nonconforming, "a critical subject key identifier");
    // 4.2.2.1: "Conforming CAs MUST mark this extension as non-critical."
    const auto* aia = cert.extension_views().find(authority_information_access::oid_content);
    if (aia != nullptr && aia->critical)
      return fail_at(depth, errc::nonconforming, "a critical authority information access");
    // 4.2.1.9: "CAs MUST NOT include the pathLenConstraint field unless the cA boolean is
    // asserted".
    const bool ca = bc != nullptr && bc->ca;
    if (bc != nullptr && !ca && bc->path_len)
      return fail_at(depth, errc::nonconforming, "a pathLenConstraint without cA");
    // 4.2.1.10: "The name constraints extension ... MUST be used only in a CA certificate";
    // "Conforming CAs MUST mark this extension as critical".
    if (const auto* nc = cert.extension_views().find(pki::name_constraints::oid_content); nc != nullptr) {
      if (!ca)
        return fail_at(depth, errc::nonconforming, "name constraints in a certificate that is not a CA");
      if (!nc->critical) return fail_at(depth, errc::nonconforming, "name constraints not marked critical");
    }
    return {};
  }

  /// 4.2.1.6: a dNSName "MUST be in the 'preferred name syntax'" (host names, or wildcards).
  [[nodiscard]] static result<void> check_dns_names(const certificate<>& cert, std::size_t depth) {
    const auto& san = cert.subject_alt_name();
    if (!san || !*san) return {};  // a malformed SAN is rfc5280_path's to refuse
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
    // 4.1.2.2: positive, at most 20 octets.
    if (const char* problem = detail::rfc5280_rules::serial_problem(cert.serial())) {
      return fail_at(depth, errc::nonconforming, problem);
    }
    // 4.1.2.4: "The issuer field MUST contain a non-empty distinguished name".
    if (cert.issuer().empty()) return fail_at(depth, errc::nonconforming, "an empty issuer name");
    // 4.2.1.1: the keyIdentifier "MUST be included in all certificates generated by
    // conforming CAs"; a self-signed certificate MAY omit it (self-issued ones too: key
    // rollover certificates chain by name and key).
    if (!cert.is_self_issued()) {
      const auto& aki = cert.authority_key_identifier();
      if (!aki || !*aki || !(*aki)->key_id) {
        return fail_at(depth, errc::nonconforming, "no authority key identifier (RFC 5280 4.2.1.1)");
      }
    }
    return {};
  }

  /// What a CA certificate carries: one that says cA, or one that issues on this path
  /// (depth > 0, which rfc5280_path makes say cA unless it is a v1 anchor).
  [[nodiscard]] static result<void> check_ca_certificate(const certificate<>& cert,
                                                         const pki::basic_constraints* bc,
                                                         std::size_t depth) {
    const auto& ku = cert.key_usage();
    const bool says_ca = bc != nullptr && bc->ca;
    // 4.2.1.3: "If the keyCertSign bit is asserted, then the cA bit in the basic
    // constraints extension (Section 4.2.1.9) MUST also be asserted."
    if (!says_ca && ku && *ku && (*ku)->has(key_usage_flag::key_cert_sign))
      return fail_at(depth, errc::nonconforming,
                     "keyCertSign in a certificate that is not a CA (RFC 5280 4.2.1.3)");
    if (!says_ca && depth == 0) return {};
    // 4.2.1.9: conforming CAs "MUST include this extension in all CA certificates that
    // contain public keys used to validate digital signatures on certificates"; only a v3
    // certificate has extensions (4.1.2.1), so a v1 or v2 root is not a conforming CA.
    if (bc == nullptr)
      return fail_at(depth, errc::nonconforming,
                     "a CA certificate without basic constraints (RFC 5280 4.2.1.9)");
    // 4.2.1.9: "... and MUST mark the extension as critical in such certificates."
    const auto* bc_ext = cert.extension_views().find(pki::basic_constraints::oid_content);
    if (bc_ext != nullptr && !bc_ext->critical)
      return fail_at(depth, errc::nonconforming,
                     "basic constraints not critical in a CA certificate (RFC 5280 4.2.1.9)");
    // 4.2.1.3: "Conforming CAs MUST include this extension in certificates that contain
    // public keys that are used to validate digital signatures on other public key
    // certificates or CRLs."
    if (!ku || !*ku)
      return fail_at(depth, errc::nonconforming, "a CA certificate without key usage (RFC 5280 4.2.1.3)");
    // 4.2.1.2: "this extension MUST appear in all conforming CA certificates". Unlike the
    // AKI (4.2.1.1), self-signed roots get no exception.
    if (cert.extension_views().find(subject_key_identifier::oid_content) == nullptr)
      return fail_at(depth, errc::nonconforming,
                     "a CA certificate without subject key identifier (RFC 5280 4.2.1.2)");
    return {};
  }

  /// 4.1.2.6 and 4.2.1.6: a certificate named only in its subjectAltName has an empty
  /// subject, and then "the issuing CA MUST include a subjectAltName extension that is
  /// marked as critical".
  [[nodiscard]] static result<void> check_subject_names(const certificate<>& cert, std::size_t depth) {
    if (!cert.subject().empty()) return {};
    const auto* san = cert.extension_views().find(subject_alt_name::oid_content);
    if (san == nullptr)
      return fail_at(depth, errc::nonconforming,
                     "an empty subject without a subject alternative name (RFC 5280 4.1.2.6)");
    if (!san->critical)
      return fail_at(
          depth, errc::nonconforming,
          "an empty subject with a subject alternative name not marked critical (RFC 5280 4.2.1.6)");
    return {};
  }
};

}  // namespace pki::policy
