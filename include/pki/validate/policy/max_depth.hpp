#pragma once
// policy::max_depth<N> — at most N intermediate certificates between the leaf and the
// trust anchor (as OpenSSL's -verify_depth counts). Checked as the path grows, so a longer
// candidate is dropped as soon as it is too long.

#include <cstddef>

#include "policy.hpp"

namespace pki::policy {

template <std::size_t N>
struct max_depth : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (depth > N && !ctx.is_anchor(depth)) {
      return fail_at(depth, errc::depth_exceeded, "more intermediates than the policy's maximum");
    }
    return {};
  }
};

}  // namespace pki::policy
