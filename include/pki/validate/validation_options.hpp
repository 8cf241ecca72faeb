#pragma once
// What one validation is about besides the certificates: the peer's name, the time, the
// CRLs, the RFC 5280 6.1.1 policy inputs, and the work budgets that keep hostile input cheap.
// The path builder and every policy read it; it depends on nothing of validate/.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <variant>

#include "../x509/crl.hpp"
#include "../x509/general_name.hpp"
#include "../x509/object_identifier.hpp"

namespace pki {

class verified_link_cache;  // link_cache.hpp

/// Work limits for one validation, so that hostile input cannot make it run for long. A
/// limit that runs out ends the validation with errc::budget_exhausted, and error::budget()
/// names it (budget_kind). Each default says where its number comes from.
struct validation_budget {
  /// Signatures verified while building paths. 100 is Go crypto/x509's
  /// maxChainSignatureChecks (and rustls-webpki's): room for several candidate issuers at
  /// each level of a chain of real length.
  unsigned signature_checks = 100;
  /// Issuer certificates considered in all. Ten times the signature budget: a candidate a
  /// name, key identifier or key rule turns away costs a comparison, not a signature.
  unsigned issuer_candidates = 1000;
  /// The longest path tried, anchor and leaf not counted. Go's verifier notes that real
  /// chains are under 15 certificates; the Web PKI's are 1 to 3 intermediates.
  unsigned max_intermediates = 16;
  /// Name-constraint comparisons in all. 250,000 is Go crypto/x509's default for
  /// VerifyOptions.MaxConstraintComparisions, which rustls-webpki adopts.
  std::uint64_t name_comparisons = 250'000;
  /// The size of one path's valid_policy_graph (RFC 9618): its nodes, their parent links
  /// and expected policies. Real paths need tens; RFC 9618 bounds the graph's growth so an
  /// implementation can cap it, and 4096 is a cap no real hierarchy approaches.
  unsigned policy_nodes = 4096;
};

/// The identity a peer must prove: a host name, an IP address, or none (not checked).
using peer_name = std::variant<std::monostate, dns_name, ip_address>;

/// What one validation is about, besides the certificates.
struct validation_options {
  /// The host name or address the leaf must be for (policy::hostname); none: not checked.
  peer_name peer{};
  /// The time the path must be valid at; when unset, pki::now() (core/clock.hpp), and
  /// errc::time_unknown without a clock.
  std::optional<std::chrono::sys_seconds> time{};
  /// CRLs for policy::crl_check, from any issuer, in any order.
  std::span<const crl> crls{};
  validation_budget budget{};
  // The inputs of RFC 5280 6.1.1 (c), (e), (f) and (g), read by policy::certificate_policies.
  /// The policies the caller accepts (user-initial-policy-set); empty means {anyPolicy}.
  std::span<const object_identifier> user_initial_policy_set{};
  /// The path must be valid for at least one policy of the set (initial-explicit-policy).
  bool initial_explicit_policy = false;
  /// Policy mappings are not honoured (initial-policy-mapping-inhibit).
  bool initial_policy_mapping_inhibit = false;
  /// anyPolicy in a certificate matches nothing (initial-any-policy-inhibit).
  bool initial_any_policy_inhibit = false;
  /// Signature checks found good by earlier validations, consulted and added to by this
  /// one (link_cache.hpp); none: every signature on the path is verified.
  verified_link_cache* link_cache = nullptr;
};

}  // namespace pki
