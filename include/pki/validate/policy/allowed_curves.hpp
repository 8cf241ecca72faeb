#pragma once
// policy::allowed_curves<Curves...> — every EC key on the path, the anchor's included, is
// on one of the listed curves.

#include "../../keys/algorithm.hpp"
#include "policy.hpp"

namespace pki::policy {

template <curve... Curves>
struct allowed_curves : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    return check_key(ctx.path[depth].public_key(), depth);
  }
  [[nodiscard]] result<void> check_key(const public_key<>& pub, std::size_t depth) const {
    const key_algorithm& key = pub.algorithm();
    if (key.type == key_type::ec && ((key.ec_curve != Curves) && ...)) {
      return fail_at(depth, errc::weak_algorithm, "an EC key on a curve the policy does not allow");
    }
    return {};
  }
};

}  // namespace pki::policy
