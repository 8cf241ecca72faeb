#pragma once
// PSA Crypto, initialised once and thread-safely on first use, and an owner
// for volatile PSA key slots.

#include <psa/crypto.h>

#include <atomic>
#include <utility>

#include "../error.hpp"
#include "mbedtls_error.hpp"

namespace pki::detail {

/// Initialises PSA Crypto on first call, thread-safely. A failed initialisation (memory
/// ran out, no entropy yet) is not remembered: the next call tries again. An atomic, not
/// a mutex, so that it also builds for targets without threads (newlib).
[[nodiscard]] inline result<void> ensure_psa() noexcept {
  enum : int { not_started, starting, ready };
  static std::atomic<int> state{not_started};
  for (;;) {
    int seen = state.load(std::memory_order_acquire);
    if (seen == ready) return {};
    if (seen == not_started && state.compare_exchange_strong(seen, starting, std::memory_order_acq_rel)) {
      const psa_status_t status = psa_crypto_init();
      state.store(status == PSA_SUCCESS ? ready : not_started, std::memory_order_release);
      if (status != PSA_SUCCESS) return mbedtls_failure(status, "initialising PSA Crypto");
      return {};
    }
    // Another thread is initialising: its answer comes within the call.
  }
}

/// Owns a volatile PSA key and destroys it (wiping its material) when it dies.
class psa_key {
 public:
  psa_key() noexcept = default;
  explicit psa_key(mbedtls_svc_key_id_t id) noexcept : id_(id) {}
  psa_key(psa_key&& other) noexcept : id_(std::exchange(other.id_, MBEDTLS_SVC_KEY_ID_INIT)) {}
  psa_key& operator=(psa_key&& other) noexcept {
    if (this != &other) {
      destroy();
      id_ = std::exchange(other.id_, MBEDTLS_SVC_KEY_ID_INIT);
    }
    return *this;
  }
  psa_key(const psa_key&) = delete;
  psa_key& operator=(const psa_key&) = delete;
  ~psa_key() { destroy(); }

  [[nodiscard]] mbedtls_svc_key_id_t id() const noexcept { return id_; }

 private:
  void destroy() noexcept {
    if (!mbedtls_svc_key_id_is_null(id_)) psa_destroy_key(id_);
    id_ = MBEDTLS_SVC_KEY_ID_INIT;
  }
  mbedtls_svc_key_id_t id_ = MBEDTLS_SVC_KEY_ID_INIT;
};

}  // namespace pki::detail
