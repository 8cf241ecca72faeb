#pragma once
// What validation policies see and how they compose. A policy is a small class with two
// hooks, both returning result<void>:
//
//   check(ctx, depth)  — called when the certificate at `depth` joins a candidate path;
//                        the certificates below it (ctx.path[0..depth)) already passed.
//   check_path(ctx)    — called once the candidate path reaches a trust anchor.
//
// A rule about keys alone may also have
//
//   check_key(key, depth) — called before the path builder verifies a signature with the
//                        key of a candidate issuer at `depth` (and for the leaf's key),
//                        so that a key the policy refuses is never used for work.
//
// A failing hook returns an error located at the depth of the certificate to blame. The
// path builder calls the hooks as it extends each candidate, so a rule prunes a search
// as early as it can. policies<...> composes rules in order; validator<...> runs them.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <tuple>
#include <variant>

#include "../../core/error.hpp"
#include "../../x509/certificate.hpp"
#include "../../x509/crl.hpp"
#include "../../x509/general_name.hpp"
#include "../../x509/object_identifier.hpp"

namespace pki {

/// Work limits for one validation, so that hostile input cannot make it run for long.
struct validation_budget {
  unsigned signature_checks = 100;           ///< signatures verified while building paths
  unsigned issuer_candidates = 1000;         ///< issuer certificates considered in all
  unsigned max_intermediates = 16;           ///< longest path tried, anchor and leaf not counted
  std::uint64_t name_comparisons = 250'000;  ///< name-constraint comparisons in all
  /// The size of one path's valid_policy_graph (RFC 9618): its nodes, their parent links
  /// and expected policies. Real paths need tens; RFC 9618 section 7 asks for a bound.
  unsigned policy_nodes = 4096;
};

/// The identity a peer must prove: a host name, an IP address, or none (not checked).
using peer_name = std::variant<std::monostate, dns_name, ip_address>;

/// What one validation is about, besides the certificates.
struct validation_options {
  /// The host name or address the leaf must be for (policy::hostname); none: not checked.
  peer_name peer{};
  /// The time the path must be valid at; the current time when unset.
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
};

/// Counters one validation spends; shared by every candidate path it tries.
struct validation_spend {
  std::uint64_t name_comparisons = 0;
};

/// A candidate path as the policies see it.
struct path_context {
  /// Leaf first; when a certificate is checked, the path ends with it.
  std::span<const certificate<>> path{};
  /// True when the last certificate of `path` is a trust anchor (the path is complete).
  bool complete = false;
  /// The validation time.
  std::chrono::sys_seconds time{};
  const validation_options* options = nullptr;
  validation_spend* spend = nullptr;

  [[nodiscard]] bool is_leaf(std::size_t depth) const noexcept { return depth == 0; }
  [[nodiscard]] bool is_anchor(std::size_t depth) const noexcept {
    return complete && depth + 1 == path.size();
  }
  /// Spends `n` name comparisons; budget_exhausted once the budget is gone.
  [[nodiscard]] result<void> spend_name_comparisons(std::uint64_t n) const {
    spend->name_comparisons += n;
    if (spend->name_comparisons > options->budget.name_comparisons) {
      return fail(errc::budget_exhausted, "name constraint comparisons exceeded the budget");
    }
    return {};
  }
};

/// A located failure: `code` at the certificate of `depth`.
[[nodiscard]] inline std::unexpected<error> fail_at(std::size_t depth, errc code, const char* context) {
  return std::unexpected(error(code, context, 0, static_cast<int>(depth)));
}

/// What the validator requires of a policy class.
template <class P>
concept validation_policy = requires(const P& p, const path_context& ctx, std::size_t depth) {
  { p.check(ctx, depth) } -> std::same_as<result<void>>;
  { p.check_path(ctx) } -> std::same_as<result<void>>;
};

namespace policy {

/// Hooks that accept everything: derive a rule from it and define the hook it needs.
struct rule {
  [[nodiscard]] result<void> check(const path_context&, std::size_t) const { return {}; }
  [[nodiscard]] result<void> check_path(const path_context&) const { return {}; }
  [[nodiscard]] result<void> check_key(const public_key<>&, std::size_t) const { return {}; }
};

}  // namespace policy

/// Rules composed in order: the first that fails decides. A policies<> is itself a policy,
/// so presets nest.
template <validation_policy... Rules>
class policies {
 public:
  policies() = default;
  /// Rules that take settings (policy::spki_pin, say) given as values.
  explicit policies(Rules... rules) : rules_(std::move(rules)...) {}

  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    result<void> out;
    std::apply([&](const auto&... rule) { (void)((out = rule.check(ctx, depth)) && ...); }, rules_);
    return out;
  }
  [[nodiscard]] result<void> check_path(const path_context& ctx) const {
    result<void> out;
    std::apply([&](const auto&... rule) { (void)((out = rule.check_path(ctx)) && ...); }, rules_);
    return out;
  }
  /// The key rules (those with a check_key hook) on the key of the certificate at `depth`.
  [[nodiscard]] result<void> check_key(const public_key<>& key, std::size_t depth) const {
    result<void> out;
    std::apply([&](const auto&... rule) { (void)((out = key_rule(rule, key, depth)) && ...); }, rules_);
    return out;
  }

  /// The rule of type R, to read or adjust its settings.
  template <class R>
  [[nodiscard]] R& get() noexcept {
    return std::get<R>(rules_);
  }
  template <class R>
  [[nodiscard]] const R& get() const noexcept {
    return std::get<R>(rules_);
  }

 private:
  template <class R>
  [[nodiscard]] static result<void> key_rule(const R& rule, const public_key<>& key, std::size_t depth) {
    if constexpr (requires { rule.check_key(key, depth); }) {
      return rule.check_key(key, depth);
    } else {
      return {};
    }
  }

  std::tuple<Rules...> rules_;
};

}  // namespace pki
