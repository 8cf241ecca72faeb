#pragma once
// policy::min_rsa_bits<N> — every RSA key on the path, the anchor's included, has at
// least N bits.

#include <cstddef>

#include "policy.hpp"

namespace pki::policy {

template <std::size_t N>
struct min_rsa_bits : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    return check_key(ctx.path[depth].public_key(), depth);
  }
  [[nodiscard]] result<void> check_key(const public_key<>& key, std::size_t depth) const {
    if (key.algorithm().type == key_type::rsa && key.bits() < N) {
      return fail_at(depth, errc::weak_algorithm, "an RSA key shorter than the policy's minimum");
    }
    return {};
  }
};

}  // namespace pki::policy
