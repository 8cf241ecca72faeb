#pragma once
// The random source: PSA Crypto's DRBG, seeded by the platform's entropy.

#include "detail/psa_util.hpp"

#include <mbedtls/bignum.h>
#include <mbedtls/entropy.h>

#include <cstdint>
#include <span>

#include "detail/psa.hpp"
#include "error.hpp"

namespace pki {

namespace detail {

/// The f_rng callback mbedTLS functions take (pair it with rng_state()): PSA's generator. Unlike mbedtls_psa_get_random it keeps a failed
/// allocation (PSA copies the caller's buffer) apart from an entropy failure, so that an
/// operation that ran out of memory says so.
inline int rng(void* /*state*/, unsigned char* out, std::size_t size) noexcept {
  const psa_status_t status = psa_generate_random(out, size);
  if (status == PSA_SUCCESS) return 0;
  return status == PSA_ERROR_INSUFFICIENT_MEMORY ? MBEDTLS_ERR_MPI_ALLOC_FAILED : MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
}
inline void* rng_state() noexcept {
  return MBEDTLS_PSA_RANDOM_STATE;
}

}  // namespace detail

/// Fills `out` with cryptographically secure random bytes; fails with random_failed.
[[nodiscard]] inline result<void> random_bytes(std::span<std::uint8_t> out) noexcept {
  if (auto ready = detail::ensure_psa(); !ready) return std::unexpected(ready.error());
  const psa_status_t status = psa_generate_random(out.data(), out.size());
  if (status == PSA_ERROR_INSUFFICIENT_MEMORY) {
    return std::unexpected(error(errc::out_of_memory, "drawing random bytes", status));
  }
  if (status != PSA_SUCCESS) {
    return std::unexpected(error(errc::random_failed, "drawing random bytes", status));
  }
  return {};
}

}  // namespace pki
