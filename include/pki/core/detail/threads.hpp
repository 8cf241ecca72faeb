#pragma once
// The library's few locks, and what replaces them where there are no threads. With
// PKI_HAS_THREADING (threads in the C++ library and MBEDTLS_THREADING_C, see config.hpp)
// these are std::mutex, std::shared_mutex, std::atomic and thread_local; without it (a
// bare-metal toolchain such as arm-none-eabi's newlib, which has no std::mutex, no
// 64-bit atomics and no thread-local storage) they do nothing, and objects shared between
// threads are the caller's to lock: mbedTLS itself is not thread-safe then.

#include "../config.hpp"

#include <atomic>  // std::memory_order; lock-free sizes need no threads library
#if PKI_HAS_THREADING
#include <mutex>
#include <shared_mutex>
#endif

namespace pki::detail {

#if PKI_HAS_THREADING

using mutex = std::mutex;
using shared_mutex = std::shared_mutex;
/// A value threads may read and write at once without ordering anything else by it.
template <class T>
using relaxed_atomic = std::atomic<T>;
#define PKI_THREAD_LOCAL thread_local

#else

/// A lock with nothing to exclude: one thread.
struct no_mutex {
  void lock() noexcept {}
  void unlock() noexcept {}
  void lock_shared() noexcept {}
  void unlock_shared() noexcept {}
};
using mutex = no_mutex;
using shared_mutex = no_mutex;

/// What std::atomic's load and store mean with one thread: a plain value.
template <class T>
class relaxed_atomic {
 public:
  constexpr relaxed_atomic(T value = T{}) noexcept : value_(value) {}
  relaxed_atomic(const relaxed_atomic&) = delete;
  relaxed_atomic& operator=(const relaxed_atomic&) = delete;
  [[nodiscard]] T load(std::memory_order = std::memory_order_seq_cst) const noexcept { return value_; }
  void store(T value, std::memory_order = std::memory_order_seq_cst) noexcept { value_ = value; }

 private:
  T value_;
};
#define PKI_THREAD_LOCAL

#endif

/// Holds a lock exclusively for its scope (std::lock_guard needs <mutex>, which a
/// toolchain without threads may not have).
template <class Mutex>
class exclusive_lock {
 public:
  explicit exclusive_lock(Mutex& m) : m_(m) { m_.lock(); }
  exclusive_lock(const exclusive_lock&) = delete;
  exclusive_lock& operator=(const exclusive_lock&) = delete;
  ~exclusive_lock() { m_.unlock(); }

 private:
  Mutex& m_;
};

/// Holds a lock shared for its scope (readers among readers).
template <class Mutex>
class shared_lock {
 public:
  explicit shared_lock(Mutex& m) : m_(m) { m_.lock_shared(); }
  shared_lock(const shared_lock&) = delete;
  shared_lock& operator=(const shared_lock&) = delete;
  ~shared_lock() { m_.unlock_shared(); }

 private:
  Mutex& m_;
};

}  // namespace pki::detail
