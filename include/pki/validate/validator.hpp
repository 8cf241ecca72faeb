#pragma once
// validator<Rules...>: decides whether to trust a certificate. It builds candidate paths
// from the leaf through the intermediates a peer sent to the trust store's anchors
// (path_builder) and accepts the first path every rule accepts. The rules are policy
// classes (policy/*.hpp) composed at compile time; a rule not named costs nothing, and is
// not even parsed: this header includes no rule (include the ones you name, or
// policy/presets.hpp; verify.hpp has the one-call shortcut under policy::web_server).
//
//   pki::validator<pki::policy::web_server> v{anchors};
//   auto path = v.verify(leaf, intermediates, {.peer = pki::dns_name{"example.com"}});
//   if (!path) std::puts(path.error().message().c_str());
//
// A validator is immutable once made: many threads may validate with one at once.

#include <span>
#include <utility>

#include "../core/detail/out_of_memory.hpp"
#include "chain.hpp"
#include "path_builder.hpp"
#include "policy/policy.hpp"
#include "trust_store.hpp"

namespace pki {

template <validation_policy... Rules>
class validator {
 public:
  /// Validates against `anchors` (copied: certificates are shared, so this is cheap)
  /// under default-made rules.
  explicit validator(trust_store anchors) requires(std::default_initializable<Rules>&&...)
      : anchors_(std::move(anchors)) {}
  /// Rules that need settings (policy::spki_pin, say) are given as values.
  validator(trust_store anchors, Rules... rules)
      : anchors_(std::move(anchors)), rules_(std::move(rules)...) {}

  /// The validated path, leaf first and anchor last; on failure the error of the most
  /// telling candidate path, with the depth of the certificate to blame. `intermediates`
  /// may come in any order and hold unrelated certificates.
  template <std::size_t Capacity = growing, algorithm_tag Alg>
  [[nodiscard]] result<chain<Capacity>> verify(const certificate<Alg>& leaf,
                                               std::span<const certificate<>> intermediates = {},
                                               const validation_options& options = {}) const {
    return detail::out_of_memory_guard("validating a certificate path", [&]() -> result<chain<Capacity>> {
      auto found = search(leaf, intermediates, options);
      if (!found) return std::unexpected(found.failure);
      return chain<Capacity>::from(*found.path);
    });
  }

  /// The whole story: the path found, or every candidate path tried with the rule that
  /// failed at which depth (path_search::explain() prints it).
  template <algorithm_tag Alg>
  [[nodiscard]] path_search search(const certificate<Alg>& leaf,
                                   std::span<const certificate<>> intermediates = {},
                                   const validation_options& options = {}) const {
    return path_builder(anchors_, intermediates).build(certificate<>(leaf), rules_, options);
  }

  [[nodiscard]] const trust_store& anchors() const noexcept { return anchors_; }
  [[nodiscard]] const policies<Rules...>& rules() const noexcept { return rules_; }

 private:
  trust_store anchors_;
  policies<Rules...> rules_;
};

}  // namespace pki
