#pragma once
// policy::max_depth<N> — at most N intermediate certificates between the leaf and the
// trust anchor. Self-issued intermediates (a CA's key rollover certificate: subject and
// issuer the same name) are not counted, as RFC 5280 6.1.4 (l) does not count them against
// max_path_length; validation_budget::max_intermediates bounds the length of every
// candidate path, those included. Checked as the path grows, so a longer candidate is
// dropped as soon as it is too long.

#include <cstddef>

#include "policy.hpp"

namespace pki::policy {

template <std::size_t N>
struct max_depth : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (depth <= N || ctx.is_anchor(depth) || ctx.path[depth].is_self_issued()) return {};
    std::size_t counted = 0;  // intermediates up to this one, self-issued ones not counted
    for (std::size_t i = 1; i <= depth; ++i) {
      if (!ctx.path[i].is_self_issued()) ++counted;
    }
    if (counted > N)
      return fail_at(depth, errc::depth_exceeded, "more intermediates than the policy's maximum");
    return {};
  }
};

}  // namespace pki::policy
