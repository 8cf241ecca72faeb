#pragma once
// verified_link_cache: signature checks a validation found good, kept for the validations
// after it. A service that validates many leaves under the same intermediates verifies each
// intermediate's signature once instead of once per leaf. Opt in by pointing
// validation_options::link_cache at one; without it nothing is cached.
//
//   pki::verified_link_cache links(4096);
//   auto path = v.verify(leaf, intermediates, {.peer = host, .link_cache = &links});
//
// An entry is exactly what a check covered: the issuer's SubjectPublicKeyInfo and the whole
// signed certificate (TBS, signature algorithm, signature), as one SHA-256. A hit therefore
// means this very check succeeded before, and only successes are kept, so the cache can
// spare a check but never make a bad link good. Rules, time, names and revocation are not
// links: they are judged afresh by every validation.

#include <psa/crypto.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <optional>
#include <unordered_set>

#include "../core/detail/psa.hpp"
#include "../core/detail/threads.hpp"
#include "../x509/certificate.hpp"

namespace pki {

/// A bounded, thread-safe set of issuer-child links whose signature verified. When full,
/// the oldest entry makes room. Share one between the threads and validators of a service;
/// its lock is held only to look up or add one entry.
class verified_link_cache {
 public:
  /// At most `capacity` links (0 caches nothing).
  explicit verified_link_cache(std::size_t capacity = 4096) : capacity_(capacity) {}
  verified_link_cache(const verified_link_cache&) = delete;
  verified_link_cache& operator=(const verified_link_cache&) = delete;

  /// What an entry is keyed by: one SHA-256 over what the check covered (see above).
  using link_key = std::array<std::uint8_t, 32>;

  /// The key of the link from `child` up to `issuer`; nullopt if PSA cannot hash (nothing is
  /// cached then). Computed once by a caller that looks a link up and then records it.
  template <algorithm_tag A, algorithm_tag B>
  [[nodiscard]] static std::optional<link_key> key_of(const certificate<A>& child,
                                                      const certificate<B>& issuer) noexcept {
    return link_of(child.der(), issuer.public_key_der());
  }

  /// True when `issuer`'s key was found to have made `child`'s signature.
  template <algorithm_tag A, algorithm_tag B>
  [[nodiscard]] bool contains(const certificate<A>& child, const certificate<B>& issuer) const {
    const auto key = key_of(child, issuer);
    return key && contains(*key);
  }
  /// The same by the link's key.
  [[nodiscard]] bool contains(const link_key& key) const {
    const detail::exclusive_lock lock(mutex_);
    const bool hit = links_.contains(key);
    ++(hit ? hits_ : misses_);
    return hit;
  }

  /// Records that `issuer`'s key made `child`'s signature: call only after that check
  /// succeeded (the path builder does).
  template <algorithm_tag A, algorithm_tag B>
  void remember(const certificate<A>& child, const certificate<B>& issuer) {
    if (capacity_ == 0) return;
    if (const auto key = key_of(child, issuer)) remember(*key);
  }
  /// The same by the link's key.
  void remember(const link_key& key) {
    if (capacity_ == 0) return;
    const detail::exclusive_lock lock(mutex_);
    if (!links_.insert(key).second) return;
    order_.push_back(key);
    if (order_.size() > capacity_) {
      links_.erase(order_.front());
      order_.pop_front();
    }
  }

  /// Links held now.
  [[nodiscard]] std::size_t size() const {
    const detail::exclusive_lock lock(mutex_);
    return links_.size();
  }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  /// Look-ups that found their link, and those that did not, since the cache was made.
  [[nodiscard]] std::uint64_t hits() const {
    const detail::exclusive_lock lock(mutex_);
    return hits_;
  }
  [[nodiscard]] std::uint64_t misses() const {
    const detail::exclusive_lock lock(mutex_);
    return misses_;
  }
  /// Forgets every link (after an issuer's key is known to be compromised, say).
  void clear() {
    const detail::exclusive_lock lock(mutex_);
    links_.clear();
    order_.clear();
  }

 private:
  using link = link_key;

  struct link_hash {
    std::size_t operator()(const link& l) const noexcept {
      std::size_t h = 0;
      std::memcpy(&h, l.data(), sizeof h);  // a SHA-256 output: any 8 of its bytes are uniform
      return h;
    }
  };

  /// SHA-256 over the issuer key's length, the key and the child's DER (the length keeps
  /// key and certificate apart); nullopt if PSA cannot hash, and nothing is cached then.
  [[nodiscard]] static std::optional<link> link_of(byte_view child_der, byte_view issuer_spki) noexcept {
    if (!detail::ensure_psa()) return std::nullopt;
    const std::array<std::uint8_t, 4> length{
        static_cast<std::uint8_t>(issuer_spki.size() >> 24), static_cast<std::uint8_t>(issuer_spki.size() >> 16),
        static_cast<std::uint8_t>(issuer_spki.size() >> 8), static_cast<std::uint8_t>(issuer_spki.size())};
    psa_hash_operation_t op = PSA_HASH_OPERATION_INIT;
    link out{};
    std::size_t written = 0;
    const bool ok = psa_hash_setup(&op, PSA_ALG_SHA_256) == PSA_SUCCESS &&
                    psa_hash_update(&op, length.data(), length.size()) == PSA_SUCCESS &&
                    psa_hash_update(&op, issuer_spki.data(), issuer_spki.size()) == PSA_SUCCESS &&
                    psa_hash_update(&op, child_der.data(), child_der.size()) == PSA_SUCCESS &&
                    psa_hash_finish(&op, out.data(), out.size(), &written) == PSA_SUCCESS;
    if (!ok) {
      psa_hash_abort(&op);
      return std::nullopt;
    }
    return out;
  }

  std::size_t capacity_;
  mutable detail::mutex mutex_;
  std::unordered_set<link, link_hash> links_;
  std::deque<link> order_;
  mutable std::uint64_t hits_ = 0;
  mutable std::uint64_t misses_ = 0;
};

}  // namespace pki
