#pragma once
// The extensions of a parsed certificate that validation reads, decoded once, on first use,
// and kept with the certificate's shared data: every rule, every candidate issuer and every
// later validation of the same certificate reads the same decoded values instead of
// decoding the DER again. The decoded values live in one block allocated on first use: a
// certificate that is parsed and never validated holds one pointer more, not them.

#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>

#include "../../core/detail/computed_once.hpp"
#include "../../core/error.hpp"
#include "../extensions/extension.hpp"

namespace pki::detail {

template <typed_extension... Ts>
class decoded_extensions {
 public:
  /// Whether T is one of the kept types.
  template <class T>
  static constexpr bool keeps = (std::is_same_v<T, Ts> || ...);

  /// T decoded from `list` (the extensions this cache belongs to): nullopt when absent,
  /// the decoding error when malformed. The reference lives as long as the cache.
  template <class T>
  requires keeps<T>
  [[nodiscard]] const result<std::optional<T>>& get(const extension_views& list) const {
    const auto& all = values_.get([&] { return std::make_unique<const values>(list.template get<Ts>()...); });
    return std::get<result<std::optional<T>>>(*all);
  }

 private:
  using values = std::tuple<result<std::optional<Ts>>...>;
  computed_once<std::unique_ptr<const values>> values_;
};

}  // namespace pki::detail
