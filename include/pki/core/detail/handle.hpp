#pragma once
// One RAII shape for every mbedTLS context: allocated once on the heap (mbedTLS
// contexts hold pointers into themselves and their chains, so they must not
// move), initialised with its _init and released with its _free function.

#include <new>
#include <utility>

#include "../error.hpp"

namespace pki::detail {

template <class T, void (*Init)(T*), void (*Free)(T*)>
class handle {
 public:
  /// A fresh, initialised context, or out_of_memory.
  [[nodiscard]] static result<handle> create() noexcept {
    T* raw = new (std::nothrow) T;
    if (raw == nullptr) return fail(errc::out_of_memory, "allocating an mbedTLS context");
    Init(raw);
    return handle(raw);
  }

  handle() noexcept = default;
  handle(handle&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)) {}
  handle& operator=(handle&& other) noexcept {
    if (this != &other) {
      reset();
      ptr_ = std::exchange(other.ptr_, nullptr);
    }
    return *this;
  }
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  ~handle() { reset(); }

  [[nodiscard]] T* get() const noexcept { return ptr_; }
  T* operator->() const noexcept { return ptr_; }
  T& operator*() const noexcept { return *ptr_; }
  explicit operator bool() const noexcept { return ptr_ != nullptr; }

 private:
  explicit handle(T* raw) noexcept : ptr_(raw) {}
  void reset() noexcept {
    if (ptr_ != nullptr) {
      Free(ptr_);  // mbedTLS's _free functions also zeroize the context
      delete ptr_;
      ptr_ = nullptr;
    }
  }

  T* ptr_ = nullptr;
};

}  // namespace pki::detail
