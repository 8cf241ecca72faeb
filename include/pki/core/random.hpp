#pragma once
// The random source: PSA Crypto's DRBG, seeded by the platform's entropy.

#include "detail/psa_util.hpp"

#include <cstdint>
#include <span>

#include "detail/psa.hpp"
#include "error.hpp"

namespace pki {

namespace detail {

/// The f_rng callback mbedTLS functions take; pair it with rng_state().
inline int rng(void* state, unsigned char* out, std::size_t size) noexcept {
  return mbedtls_psa_get_random(state, out, size);
}
inline void* rng_state() noexcept {
  return MBEDTLS_PSA_RANDOM_STATE;
}

}  // namespace detail

/// Fills `out` with cryptographically secure random bytes; fails with random_failed.
[[nodiscard]] inline result<void> random_bytes(std::span<std::uint8_t> out) noexcept {
  if (auto ready = detail::ensure_psa(); !ready) return std::unexpected(ready.error());
  const psa_status_t status = psa_generate_random(out.data(), out.size());
  if (status != PSA_SUCCESS) {
    return std::unexpected(error(errc::random_failed, "drawing random bytes", status));
  }
  return {};
}

}  // namespace pki
