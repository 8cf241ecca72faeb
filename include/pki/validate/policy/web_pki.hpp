#pragma once
// policy::web_pki — the CA/Browser Forum Baseline Requirements a relying party can see,
// beyond RFC 5280: a subscriber certificate is not a CA and cannot sign certificates, does
// not claim anyExtendedKeyUsage, has a non-critical extended key usage, and marks its
// subjectAltName critical only when its subject is empty; subordinate CA and subscriber
// certificates carry an authority key identifier of a keyIdentifier alone; a root (a self-issued trust
// anchor) carries no extended key usage, and an authority key identifier on a root holds only its own key
// identifier; RSA moduli are a whole number of bytes. For the public Web PKI; private hierarchies (devices,
// services) usually want the iot_* presets instead.

#include <algorithm>
#include <variant>

#include "../../x509/extensions.hpp"
#include "../../x509/general_name.hpp"
#include "../../x509/name.hpp"
#include "policy.hpp"

namespace pki::policy {

struct web_pki : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    const certificate<>& cert = ctx.path[depth];
    if (auto ok = check_key(cert.public_key(), depth); !ok) return ok;
    // The root profile is for roots: an anchor issued by another CA (a subordinate CA the
    // caller trusts directly) is judged as what it is, and BR 7.1.2.10's subordinate rules
    // that a relying party can see are not held against intermediates here either.
    if (ctx.is_anchor(depth)) return cert.is_self_issued() ? check_root(cert, depth) : result<void>{};
    if (auto ok = check_authority_key_id(cert, depth); !ok) return ok;
    if (depth == 0) return check_subscriber(cert);
    return {};
  }
  [[nodiscard]] result<void> check_key(const public_key<>& pub, std::size_t depth) const {
    const key_algorithm& key = pub.algorithm();
    if (key.type == key_type::rsa && key.bits % 8 != 0) {
      return fail_at(depth, errc::weak_algorithm, "an RSA modulus that is not a whole number of bytes");
    }
    return {};
  }

 private:
  [[nodiscard]] static result<void> check_root(const certificate<>& cert, std::size_t depth) {
    if (cert.extension_views().find(extended_key_usage::oid_content) != nullptr) {
      return fail_at(depth, errc::nonconforming, "a root with an extended key usage");
    }
    const auto& aki = cert.authority_key_identifier();
    if (aki && *aki) {
      if (!(*aki)->issuer.empty() || (*aki)->serial) {
        return fail_at(depth, errc::nonconforming,
                       "a root's authority key identifier names an issuer or serial");
      }
      const auto& ski = cert.subject_key_identifier();
      if ((*aki)->key_id && ski && *ski && (*ski)->key_id != *(*aki)->key_id) {
        return fail_at(depth, errc::nonconforming, "a root's authority key identifier is not its own");
      }
    }
    return {};
  }

  /// BR 7.1.2.11.1, for subordinate CA and subscriber certificates: the AKI is present
  /// with a keyIdentifier, and authorityCertIssuer and authorityCertSerialNumber are absent.
  [[nodiscard]] static result<void> check_authority_key_id(const certificate<>& cert, std::size_t depth) {
    const auto& aki = cert.authority_key_identifier();
    if (!aki || !*aki || !(*aki)->key_id)
      return fail_at(depth, errc::nonconforming,
                     "no authority key identifier with a keyIdentifier (BR 7.1.2.11.1)");
    if (!(*aki)->issuer.empty() || (*aki)->serial)
      return fail_at(depth, errc::nonconforming,
                     "an authority key identifier that names an issuer or serial (BR 7.1.2.11.1)");
    return {};
  }

  [[nodiscard]] static result<void> check_subscriber(const certificate<>& cert) {
    if (cert.is_ca()) return fail_at(0, errc::nonconforming, "a subscriber certificate that is a CA");
    if (const auto& ku = cert.key_usage(); ku && *ku && (*ku)->has(key_usage_flag::key_cert_sign)) {
      return fail_at(0, errc::nonconforming, "a subscriber certificate with keyCertSign");
    }
    if (const auto& eku = cert.extended_key_usage();
        eku && *eku && (*eku)->has(extended_key_usage::any_extended_key_usage)) {
      return fail_at(0, errc::nonconforming, "a subscriber certificate with anyExtendedKeyUsage");
    }
    // BR 7.1.2.7.6: extKeyUsage MUST be present, not critical (its table's "Critical: N");
    // 7.1.2.7.10 then wants id-kp-serverAuth in it, which policy::server_auth checks.
    const auto* eku_ext = cert.extension_views().find(extended_key_usage::oid_content);
    if (eku_ext == nullptr)
      return fail_at(0, errc::nonconforming,
                     "a subscriber certificate without extended key usage (BR 7.1.2.7.10)");
    if (eku_ext->critical)
      return fail_at(0, errc::nonconforming,
                     "a subscriber certificate with a critical extended key usage (BR 7.1.2.7.6)");
    const auto* san_ext = cert.extension_views().find(subject_alt_name::oid_content);
    if (san_ext != nullptr && san_ext->critical && !cert.subject().empty()) {
      return fail_at(0, errc::nonconforming, "a critical subjectAltName with a non-empty subject");
    }
    return {};
  }
};

}  // namespace pki::policy
