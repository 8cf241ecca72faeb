#pragma once
// policy::certificate_policies — RFC 5280 6.1 certificate policy processing, with the
// valid_policy_graph of RFC 9618 in place of the policy tree: one node per policy per
// depth, so that policy mappings cannot make the work grow exponentially with the path.
// It reads the inputs of validation_options (user_initial_policy_set,
// initial_explicit_policy, initial_policy_mapping_inhibit, initial_any_policy_inhibit)
// and the certificatePolicies, policyMappings, policyConstraints and inhibitAnyPolicy
// extensions of every certificate below the trust anchor, critical or not (the anchor's
// own are not read: RFC 5280 6.1.1 (d) makes the anchor an input, not a certificate of
// the path). Steps implemented: 6.1.2 (initialisation), 6.1.3 (d), (e), (f), 6.1.4 (a),
// (b), (h), (i), (j) and 6.1.5 (a), (b), (g), with the outputs of RFC 9618 section 4.
//
// Failures: policy_not_satisfied when an explicit policy is required and the path is valid
// for no acceptable policy, at the certificate where the graph became empty (the leaf
// when the user-initial-policy-set left nothing); nonconforming for a malformed policy
// extension, a policy listed twice in certificatePolicies, or a mapping to or from
// anyPolicy, at that certificate; budget_exhausted when the graph would grow past
// validation_budget::policy_nodes, at the certificate that grew it.
//
// The rule lives in pki::policy beside the extension type pki::certificate_policies it
// reads; inside this namespace the extension is always spelled pki::certificate_policies.
//
// After validation, the policies a path is good for:
//
//   auto path = v.verify(leaf, intermediates, options);
//   auto sets = pki::policy::certificate_policies::evaluate(*path, options);
//   // sets->user_constrained: the acceptable policies, in the anchor's policy domain

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "../../x509/certificate.hpp"
#include "../../x509/extensions.hpp"
#include "../chain.hpp"
#include "policy.hpp"

namespace pki::policy {

/// What a path is valid for (RFC 5280 6.1.5 (g), in RFC 9618's words).
struct policy_sets {
  /// The policies the path's CAs allow, in the anchor's policy domain
  /// (authorities-constrained-policy-set); anyPolicy when they allow every policy. Empty
  /// when the valid_policy_graph is empty.
  std::vector<object_identifier> authorities_constrained{};
  /// Those of them the caller accepts (user-constrained-policy-set): the authorities'
  /// set less what the user-initial-policy-set leaves out, anyPolicy replaced by that set.
  /// When user_initial_policy_set is empty ({anyPolicy}) it equals authorities_constrained.
  std::vector<object_identifier> user_constrained{};
  /// True when the path had to be valid for an explicit policy (explicit_policy reached 0).
  bool explicit_policy = false;
};

}  // namespace pki::policy

namespace pki::detail::policy_graph {

/// OID content octets; views into the certificates' decoded extensions and the options.
using oid_view = std::string_view;

inline constexpr oid_view any_policy = pki::certificate_policies::any_policy;

/// A node of the valid_policy_graph (RFC 9618 section 3); qualifiers are not kept.
struct node {
  oid_view policy{};
  std::vector<oid_view> expected{};
  std::vector<std::uint32_t> parents{};  ///< indices into the level above
  bool alive = true;
};
using level = std::vector<node>;

/// The policy extensions of one certificate of the path, decoded once.
struct decoded {
  // Into the certificate's decoded extensions (certificate::extension()); null when absent.
  const pki::certificate_policies* policies = nullptr;
  const pki::policy_mappings* mappings = nullptr;
  const pki::policy_constraints* constraints = nullptr;
  const pki::inhibit_any_policy* inhibit_any = nullptr;
  std::vector<oid_view> listed{};  ///< policies' OIDs, sorted
  bool self_issued = false;
};

/// The certificate at `depth`'s policy extensions; nonconforming when one is malformed, a
/// policy is listed twice (RFC 5280 4.2.1.4) or a mapping names anyPolicy (4.2.1.5).
[[nodiscard]] inline result<void> decode(const certificate<>& cert, std::size_t depth, decoded& out) {
  const auto& policies = cert.certificate_policies();
  if (!policies) return fail_at(depth, errc::nonconforming, "a malformed certificatePolicies extension");
  const auto& mappings = cert.policy_mappings();
  if (!mappings) return fail_at(depth, errc::nonconforming, "a malformed policyMappings extension");
  const auto& constraints = cert.policy_constraints();
  if (!constraints) return fail_at(depth, errc::nonconforming, "a malformed policyConstraints extension");
  const auto& inhibit = cert.inhibit_any_policy();
  if (!inhibit) return fail_at(depth, errc::nonconforming, "a malformed inhibitAnyPolicy extension");
  out.policies = *policies ? &**policies : nullptr;
  out.mappings = *mappings ? &**mappings : nullptr;
  out.constraints = *constraints ? &**constraints : nullptr;
  out.inhibit_any = *inhibit ? &**inhibit : nullptr;
  out.self_issued = cert.is_self_issued();
  if (out.policies) {
    for (const auto& information : out.policies->policies)
      out.listed.push_back(pki::detail::oid_content_view(information.policy));
    std::ranges::sort(out.listed);
    if (std::ranges::adjacent_find(out.listed) != out.listed.end())
      return fail_at(depth, errc::nonconforming, "a policy appears twice in certificatePolicies");
  }
  if (out.mappings) {
    for (const auto& mapping : out.mappings->mappings) {
      if (mapping.issuer_domain_policy == any_policy || mapping.subject_domain_policy == any_policy)
        return fail_at(depth, errc::nonconforming, "a policy mapping to or from anyPolicy");
    }
  }
  return {};
}

/// (expected policy, node index) of the live nodes of a level, sorted by policy.
[[nodiscard]] inline std::vector<std::pair<oid_view, std::uint32_t>> expected_index(const level& nodes) {
  std::vector<std::pair<oid_view, std::uint32_t>> index;
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].alive) continue;
    for (const auto policy : nodes[i].expected) index.emplace_back(policy, i);
  }
  std::ranges::sort(index);
  return index;
}

/// The live node of `nodes` with valid_policy `policy`, or nullptr.
[[nodiscard]] inline node* find_node(level& nodes, oid_view policy) {
  for (auto& n : nodes) {
    if (n.alive && n.policy == policy) return &n;
  }
  return nullptr;
}

/// One path's valid_policy_graph, levels 0 (the anchor's anyPolicy) to n.
class policy_graph {
 public:
  policy_graph(std::size_t n, unsigned budget) : levels_(n + 1), budget_(budget) {
    levels_[0].push_back({any_policy, {any_policy}, {}});
    spent_ = 2;
  }

  [[nodiscard]] bool empty() const noexcept { return empty_; }
  void clear() noexcept { empty_ = true; }
  [[nodiscard]] const level& at(std::size_t depth) const noexcept { return levels_[depth]; }

  /// RFC 5280 6.1.3 (d) for certificate i; false when the budget ran out.
  [[nodiscard]] bool add_certificate(std::size_t i, const decoded& cert, bool any_allowed) {
    level& above = levels_[i - 1];
    level& here = levels_[i];
    const auto index = expected_index(above);
    std::optional<std::uint32_t> any_above{};
    for (std::uint32_t k = 0; k < above.size(); ++k) {
      if (above[k].alive && above[k].policy == any_policy) any_above = k;
    }
    bool lists_any = false;
    // (d)(1): each policy but anyPolicy, under the nodes that expect it or else anyPolicy.
    for (const auto policy : cert.listed) {
      if (policy == any_policy) {
        lists_any = true;
        continue;
      }
      auto [first, last] =
          std::ranges::equal_range(index, policy, {}, &std::pair<oid_view, std::uint32_t>::first);
      node created{policy, {policy}, {}};
      for (auto it = first; it != last; ++it) created.parents.push_back(it->second);
      if (created.parents.empty() && any_above) created.parents.push_back(*any_above);
      if (created.parents.empty()) continue;
      if (!spend(2 + created.parents.size())) return false;
      here.push_back(std::move(created));
    }
    // (d)(2): anyPolicy matches every expected policy no node of this depth has taken.
    if (lists_any && any_allowed) {
      for (auto it = index.begin(); it != index.end();) {
        const oid_view policy = it->first;
        auto group_end =
            std::find_if(it, index.end(), [&](const auto& entry) { return entry.first != policy; });
        if (!std::ranges::binary_search(cert.listed, policy) || policy == any_policy) {
          node created{policy, {policy}, {}};
          for (auto member = it; member != group_end; ++member) created.parents.push_back(member->second);
          if (!spend(2 + created.parents.size())) return false;
          here.push_back(std::move(created));
        }
        it = group_end;
      }
    }
    prune(i);
    return true;
  }

  /// RFC 5280 6.1.4 (b) for certificate i's mappings; false when the budget ran out.
  [[nodiscard]] bool map(std::size_t i, const pki::policy_mappings& mappings, bool mapping_allowed) {
    level& here = levels_[i];
    std::vector<std::pair<oid_view, oid_view>> pairs;
    for (const auto& mapping : mappings.mappings) {
      pairs.emplace_back(pki::detail::oid_content_view(mapping.issuer_domain_policy),
                         pki::detail::oid_content_view(mapping.subject_domain_policy));
    }
    std::ranges::sort(pairs);
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    // Nodes made here have policies no node of this depth had, so lookups stay correct.
    const std::size_t existing = here.size();
    for (auto it = pairs.begin(); it != pairs.end();) {
      const oid_view issuer_policy = it->first;
      auto group_end = std::find_if(it, pairs.end(), [&](const auto& p) { return p.first != issuer_policy; });
      std::vector<oid_view> subjects;
      for (auto member = it; member != group_end; ++member) subjects.push_back(member->second);
      it = group_end;
      node* mapped = nullptr;
      node* any_here = nullptr;
      for (std::size_t k = 0; k < existing; ++k) {
        if (!here[k].alive) continue;
        if (here[k].policy == issuer_policy) mapped = &here[k];
        if (here[k].policy == any_policy) any_here = &here[k];
      }
      if (!mapping_allowed) {
        if (mapped != nullptr) mapped->alive = false;  // (b)(2)
        continue;
      }
      if (!spend(subjects.size())) return false;
      if (mapped != nullptr) {  // (b)(1)
        mapped->expected = std::move(subjects);
      } else if (any_here != nullptr) {
        node created{issuer_policy, std::move(subjects), any_here->parents};
        if (!spend(2 + created.parents.size())) return false;
        here.push_back(std::move(created));
      }
    }
    if (!mapping_allowed) prune(i);
    return true;
  }

  /// RFC 9618 6.1.5 (g): the authorities' policy set, sorted and without repeats.
  [[nodiscard]] std::vector<oid_view> authorities_constrained() const {
    std::vector<oid_view> out;
    if (empty_) return out;
    for (std::size_t depth = 1; depth < levels_.size(); ++depth) {
      for (const auto& n : levels_[depth]) {
        if (!n.alive) continue;
        const bool under_any = n.parents.size() == 1 && levels_[depth - 1][n.parents[0]].policy == any_policy;
        if (n.policy != any_policy && under_any) out.push_back(n.policy);
        if (n.policy == any_policy && depth + 1 == levels_.size()) out.push_back(n.policy);
      }
    }
    if (levels_.size() == 1) out.push_back(any_policy);  // a path of the anchor alone
    std::ranges::sort(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  [[nodiscard]] bool spend(std::size_t n) {
    spent_ += n;
    return spent_ <= budget_;
  }

  /// Deletes the nodes of depth below `depth` without children, up the graph, and marks the
  /// graph empty when `depth` has no node left (6.1.3 (d)(3), 6.1.4 (b)(2)).
  void prune(std::size_t depth) {
    if (std::ranges::none_of(levels_[depth], &node::alive)) {
      empty_ = true;
      return;
    }
    for (std::size_t d = depth; d > 0; --d) {
      std::vector<bool> has_child(levels_[d - 1].size(), false);
      for (const auto& n : levels_[d]) {
        if (!n.alive) continue;
        for (const auto parent : n.parents) has_child[parent] = true;
      }
      bool deleted = false;
      for (std::size_t k = 0; k < levels_[d - 1].size(); ++k) {
        if (levels_[d - 1][k].alive && !has_child[k]) {
          levels_[d - 1][k].alive = false;
          deleted = true;
        }
      }
      if (!deleted) return;
    }
  }

  std::vector<level> levels_;
  std::size_t budget_;
  std::size_t spent_ = 0;
  bool empty_ = false;
};

[[nodiscard]] inline std::size_t counter_after(std::size_t counter, std::optional<std::uint32_t> skip) {
  return skip && *skip < counter ? *skip : counter;
}

}  // namespace pki::detail::policy_graph

namespace pki::policy {

struct certificate_policies : rule {
  /// RFC 5280 6.1 policy processing of a complete path (leaf first, anchor last).
  [[nodiscard]] result<void> check_path(const path_context& ctx) const {
    auto sets = evaluate(ctx.path, *ctx.options);
    if (!sets) return std::unexpected(sets.error());
    return {};
  }

  /// The policy sets `path` (leaf first, anchor last) is valid for under `options`' policy
  /// inputs; fails with policy_not_satisfied, nonconforming or budget_exhausted (located at
  /// a depth, as the top of this header says), invalid_argument for an empty path.
  [[nodiscard]] static result<policy_sets> evaluate(std::span<const certificate<>> path,
                                                    const validation_options& options) {
    namespace dp = detail::policy_graph;
    if (path.empty()) return fail(errc::invalid_argument, "policies of an empty path");
    const std::size_t n = path.size() - 1;  // RFC 5280's n: the anchor is not counted
    // RFC certificate i (1 = issued by the anchor, n = the leaf) is path[n - i].
    std::vector<dp::decoded> certs(n + 1);
    for (std::size_t i = 1; i <= n; ++i) {
      if (auto ok = dp::decode(path[n - i], n - i, certs[i]); !ok) return std::unexpected(ok.error());
    }
    // 6.1.2
    std::size_t explicit_policy = options.initial_explicit_policy ? 0 : n + 1;
    std::size_t inhibit_any = options.initial_any_policy_inhibit ? 0 : n + 1;
    std::size_t policy_mapping = options.initial_policy_mapping_inhibit ? 0 : n + 1;
    dp::policy_graph graph(n, options.budget.policy_nodes);
    std::optional<std::size_t> emptied_at{};
    const auto exhausted = [](std::size_t depth) {
      return std::unexpected(error::exhausted(budget_kind::policy_nodes,
                                             "the valid_policy_graph grew past the policy budget",
                                             static_cast<int>(depth)));
    };
    const auto unsatisfied = [&](std::size_t depth) {
      return fail_at(depth, errc::policy_not_satisfied,
                     "an explicit policy is required and the path is valid for no acceptable policy");
    };

    for (std::size_t i = 1; i <= n; ++i) {
      const std::size_t depth = n - i;
      const dp::decoded& cert = certs[i];
      // 6.1.3 (d), (e)
      if (!cert.policies) {
        graph.clear();
      } else if (!graph.empty()) {
        const bool any_allowed = inhibit_any > 0 || (i < n && cert.self_issued);
        if (!graph.add_certificate(i, cert, any_allowed)) return exhausted(depth);
      }
      if (graph.empty() && !emptied_at) emptied_at = depth;
      // 6.1.3 (f)
      if (explicit_policy == 0 && graph.empty()) return unsatisfied(*emptied_at);
      if (i == n) break;
      // 6.1.4 (a) was checked as the certificate was decoded; (b):
      if (cert.mappings && !graph.empty()) {
        if (!graph.map(i, *cert.mappings, policy_mapping > 0)) return exhausted(depth);
        if (graph.empty() && !emptied_at) emptied_at = depth;
      }
      // (h): a self-issued intermediate (a key rollover) does not count.
      if (!cert.self_issued) {
        if (explicit_policy != 0) --explicit_policy;
        if (policy_mapping != 0) --policy_mapping;
        if (inhibit_any != 0) --inhibit_any;
      }
      // (i), (j)
      if (cert.constraints) {
        explicit_policy = dp::counter_after(explicit_policy, cert.constraints->require_explicit_policy);
        policy_mapping = dp::counter_after(policy_mapping, cert.constraints->inhibit_policy_mapping);
      }
      if (cert.inhibit_any) inhibit_any = dp::counter_after(inhibit_any, cert.inhibit_any->skip_certs);
    }
    // 6.1.5 (a), (b)
    if (n > 0) {
      if (explicit_policy != 0) --explicit_policy;
      const auto& leaf = certs[n];
      if (leaf.constraints && leaf.constraints->require_explicit_policy == 0u) explicit_policy = 0;
    }
    // 6.1.5 (g), as RFC 9618 section 4 computes it.
    policy_sets sets;
    sets.explicit_policy = explicit_policy == 0;
    const auto authorities = graph.authorities_constrained();
    std::vector<dp::oid_view> user;
    const bool any_acceptable =
        options.user_initial_policy_set.empty() ||
        std::ranges::any_of(options.user_initial_policy_set,
                            [](const object_identifier& oid) { return oid == dp::any_policy; });
    if (any_acceptable) {
      user = authorities;
    } else {
      std::vector<dp::oid_view> acceptable;
      for (const auto& oid : options.user_initial_policy_set)
        acceptable.push_back(pki::detail::oid_content_view(oid));
      std::ranges::sort(acceptable);
      for (const auto policy : authorities) {
        if (policy == dp::any_policy) {
          user.insert(user.end(), acceptable.begin(), acceptable.end());
        } else if (std::ranges::binary_search(acceptable, policy)) {
          user.push_back(policy);
        }
      }
      std::ranges::sort(user);
      user.erase(std::unique(user.begin(), user.end()), user.end());
    }
    for (const auto policy : authorities)
      sets.authorities_constrained.push_back(object_identifier::from_trusted(policy));
    for (const auto policy : user) sets.user_constrained.push_back(object_identifier::from_trusted(policy));
    // 6.1.5: the path succeeds when no explicit policy is required or one is acceptable.
    if (explicit_policy == 0 && user.empty()) return unsatisfied(emptied_at.value_or(0));
    return sets;
  }

  /// evaluate() on a validated chain.
  template <std::size_t Capacity>
  [[nodiscard]] static result<policy_sets> evaluate(const chain<Capacity>& path,
                                                    const validation_options& options) {
    std::vector<certificate<>> certs;
    for (const auto& cert : path) certs.push_back(cert);
    return evaluate(std::span<const certificate<>>(certs), options);
  }
};

}  // namespace pki::policy
