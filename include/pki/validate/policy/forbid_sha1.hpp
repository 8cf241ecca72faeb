#pragma once
// policy::forbid_sha1 — no certificate on the path is signed with SHA-1 (chosen-prefix
// collisions are practical since 2020). The anchor's own signature is not relied on, so
// an old root self-signed with SHA-1 is still usable.

#include "../../core/hash.hpp"
#include "policy.hpp"

namespace pki::policy {

struct forbid_sha1 : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (!ctx.is_anchor(depth) && ctx.path[depth].signature_algorithm().hash == hash_algorithm::sha1) {
      return fail_at(depth, errc::weak_algorithm, "signed with SHA-1");
    }
    return {};
  }
};

}  // namespace pki::policy
