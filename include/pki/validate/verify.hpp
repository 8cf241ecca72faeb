#pragma once
// pki::verify(): the one-call validation under the strictest sensible preset,
// policy::web_server. A header of its own because it needs every rule of the preset;
// validator.hpp alone parses none.

#include <span>

#include "../core/detail/out_of_memory.hpp"
#include "chain.hpp"
#include "path_builder.hpp"
#include "policy/presets.hpp"
#include "trust_store.hpp"
#include "validator.hpp"

namespace pki {

/// The shortest call, with the strictest sensible rules (policy::web_server): the time is
/// now unless given, serverAuth, the host name when options.peer names one, RSA of at least
/// 2048 bits, no SHA-1, budgets on the search. `anchors` is only read, not copied.
template <std::size_t Capacity = growing, algorithm_tag Alg>
[[nodiscard]] result<chain<Capacity>> verify(const certificate<Alg>& leaf,
                                             std::span<const certificate<>> intermediates,
                                             const trust_store& anchors,
                                             const validation_options& options = {}) {
  return detail::out_of_memory_guard("validating a certificate path", [&]() -> result<chain<Capacity>> {
    const policies<policy::web_server> rules;
    auto found = path_builder(anchors, intermediates).build(certificate<>(leaf), rules, options);
    if (!found) return std::unexpected(found.failure);
    return chain<Capacity>::from(*found.path);
  });
}

}  // namespace pki
