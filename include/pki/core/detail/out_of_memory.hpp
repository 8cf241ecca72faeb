#pragma once
// Allocation failure as an error. The library throws no exception of its own, but the
// standard containers it uses throw std::bad_alloc when memory runs out. Its public calls
// run their work under out_of_memory_guard, so that they return errc::out_of_memory
// instead, and the callbacks mbedTLS calls never let an exception unwind through C code.
// Built with -fno-exceptions an allocation failure ends the program, as in any C++ code
// without exceptions; mbedTLS's own allocations fail into errors either way.

#include <new>
#include <optional>
#include <stdexcept>

#include "../error.hpp"

namespace pki::detail {

/// Runs `work` (which returns a result), turning std::bad_alloc (or std::length_error, a
/// size no allocation can satisfy) into errc::out_of_memory with `context`.
template <class Work>
[[nodiscard]] auto out_of_memory_guard(const char* context, Work&& work) noexcept -> decltype(work()) {
#if defined(__cpp_exceptions)
  try {
    return work();
  } catch (const std::bad_alloc&) {
    return fail(errc::out_of_memory, context);
  } catch (const std::length_error&) {
    return fail(errc::out_of_memory, context);
  }
#else
  (void)context;
  return work();
#endif
}

/// For callbacks mbedTLS calls: runs `work` (which returns an int status), giving
/// `on_failure` when anything was thrown (memory ran out, or a user's transport threw), and
/// setting `thrown` to the error for the caller to report.
template <class Work>
[[nodiscard]] int callback_guard(int on_failure, std::optional<error>& thrown, Work&& work) noexcept {
#if defined(__cpp_exceptions)
  try {
    return work();
  } catch (const std::bad_alloc&) {
    thrown = error(errc::out_of_memory, "allocating inside an mbedTLS callback", on_failure);
  } catch (...) {
    thrown = error(errc::io_failed, "an exception left a callback mbedTLS called", on_failure);
  }
  return on_failure;
#else
  (void)thrown;
  (void)on_failure;
  return work();
#endif
}

}  // namespace pki::detail
