#pragma once
// The extensions of a parsed certificate that validation reads, decoded once, on first use,
// and kept with the certificate's shared data: every rule, every candidate issuer and every
// later validation of the same certificate reads the same decoded values instead of
// decoding the DER again.
//
// A certificate's data is shared between threads, so the first reader decodes while later
// ones wait for it (an atomic, not a mutex, so that it also builds for targets without
// threads); a decoding cut short by an exception (memory, where exceptions exist) leaves
// the cache to the next reader. The decoded values live in one block allocated on first
// use: a certificate that is parsed and never validated holds one pointer more, not them.

#include <atomic>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>

#include "../../core/error.hpp"
#include "../extensions/extension.hpp"

namespace pki::detail {

template <typed_extension... Ts>
class decoded_extensions {
 public:
  /// Whether T is one of the kept types.
  template <class T>
  static constexpr bool keeps = (std::is_same_v<T, Ts> || ...);

  decoded_extensions() = default;
  decoded_extensions(const decoded_extensions&) = delete;
  decoded_extensions& operator=(const decoded_extensions&) = delete;

  /// T decoded from `list` (the extensions this cache belongs to): nullopt when absent,
  /// the decoding error when malformed. The reference lives as long as the cache.
  template <class T>
  requires keeps<T>
  [[nodiscard]] const result<std::optional<T>>& get(const extension_list& list) const {
    ensure(list);
    return std::get<result<std::optional<T>>>(*values_);
  }

 private:
  enum : int { empty, decoding, ready };

  void ensure(const extension_list& list) const {
    int seen = state_.load(std::memory_order_acquire);
    while (seen != ready) {
      if (seen == empty && state_.compare_exchange_weak(seen, decoding, std::memory_order_acq_rel)) {
        decode(list);
        state_.store(ready, std::memory_order_release);
        return;
      }
      seen = state_.load(std::memory_order_acquire);  // another thread is decoding: its answer is near
    }
  }

  void decode(const extension_list& list) const {
#if defined(__cpp_exceptions)
    try {
#endif
      values_ = std::make_unique<values>(list.template get<Ts>()...);
#if defined(__cpp_exceptions)
    } catch (...) {
      state_.store(empty, std::memory_order_release);
      throw;
    }
#endif
  }

  using values = std::tuple<result<std::optional<Ts>>...>;
  mutable std::atomic<int> state_{empty};
  mutable std::unique_ptr<const values> values_;  // set once, before state_ says ready
};

}  // namespace pki::detail
