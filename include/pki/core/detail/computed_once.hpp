#pragma once
// computed_once<T>: a value computed on first use and kept, for the caches of an immutable
// value shared between threads (a certificate's names, its decoded extensions, its owning
// extension list; a trust store's name index). The first reader computes while later ones
// wait for it: an atomic, not a mutex, so that it also builds for targets without threads.
// A computation cut short by an exception (memory, where exceptions exist) leaves the cell
// to the next reader. The value is kept inline beside a one-byte state (a large value that
// is often never read goes in as a std::unique_ptr).

#include <atomic>
#include <cstdint>
#include <new>
#include <utility>

namespace pki::detail {

template <class T>
class computed_once {
 public:
  computed_once() = default;
  computed_once(const computed_once&) = delete;
  computed_once& operator=(const computed_once&) = delete;
  ~computed_once() { reset(); }

  /// The kept value, computed by `make()` (returning a T) on the first call.
  template <class Make>
  [[nodiscard]] const T& get(Make&& make) const {
    std::uint8_t seen = state_.load(std::memory_order_acquire);
    while (seen != ready) {
      if (seen == empty && state_.compare_exchange_weak(seen, computing, std::memory_order_acq_rel)) {
        compute(std::forward<Make>(make));
        state_.store(ready, std::memory_order_release);
        break;
      }
      seen = state_.load(std::memory_order_acquire);  // another thread is computing: its answer is near
    }
    return *value();
  }

  /// Forgets the value, for an owner that changes what it was computed from. Not while
  /// another thread may read: owners call it from their non-const members only.
  void reset() noexcept {
    if (state_.load(std::memory_order_acquire) == ready) value()->~T();
    state_.store(empty, std::memory_order_release);
  }

 private:
  enum : std::uint8_t { empty, computing, ready };

  template <class Make>
  void compute(Make&& make) const {
#if defined(__cpp_exceptions)
    try {
#endif
      ::new (static_cast<void*>(storage_)) T(std::forward<Make>(make)());
#if defined(__cpp_exceptions)
    } catch (...) {
      state_.store(empty, std::memory_order_release);
      throw;
    }
#endif
  }

  [[nodiscard]] T* value() const noexcept {
    return std::launder(reinterpret_cast<T*>(storage_));
  }

  alignas(T) mutable unsigned char storage_[sizeof(T)];  // a T once state_ says ready
  mutable std::atomic<std::uint8_t> state_{empty};
};

}  // namespace pki::detail
