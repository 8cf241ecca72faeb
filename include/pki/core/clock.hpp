#pragma once
// The time, for every default that needs it: validation with no validation_options::time,
// a self-signed certificate with no not_before, a CRL with no thisUpdate, a TLS peer's
// chain with no clock() on its config. All of them read pki::now(), and pki::now() reads
// the one clock a program sets with pki::set_clock() -- by default the system clock, where
// there is one.
//
// Where there is none (mbedTLS built without MBEDTLS_HAVE_TIME, as on a board with no
// real-time clock, or PKI_NO_SYSTEM_CLOCK defined), pki::now() fails with
// errc::time_unknown until the program sets a clock: a certificate checked against a
// guessed time (the epoch, the build date) would pass or fail for no reason.

#include <chrono>
#include <optional>

#include "config.hpp"
#include "detail/threads.hpp"
#include "error.hpp"

#if defined(MBEDTLS_HAVE_TIME) && !defined(PKI_NO_SYSTEM_CLOCK)
#define PKI_HAS_SYSTEM_CLOCK 1
#else
#define PKI_HAS_SYSTEM_CLOCK 0
#endif

namespace pki {

/// A clock: the time now, or nullopt while it is not known (a real-time clock not yet set,
/// no network time yet). A plain function, so that a board can hand over its RTC reader.
using clock_source = std::optional<std::chrono::sys_seconds> (*)() noexcept;

namespace detail {
[[nodiscard]] inline std::optional<std::chrono::sys_seconds> no_clock() noexcept {
  return std::nullopt;
}

#if PKI_HAS_SYSTEM_CLOCK
[[nodiscard]] inline std::optional<std::chrono::sys_seconds> system_time() noexcept {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}
inline constexpr clock_source default_clock = &system_time;
#else
inline constexpr clock_source default_clock = &no_clock;
#endif

// Set once at start-up in practice; read by every default. Relaxed: the clock is a plain
// function, so nothing else is published by setting it.
inline constinit relaxed_atomic<clock_source> current_clock{default_clock};
}  // namespace detail

/// Makes `source` the clock every default reads, for the whole program; nullptr restores
/// the built-in one (the system clock, or none without PKI_HAS_SYSTEM_CLOCK).
inline void set_clock(clock_source source) noexcept {
  detail::current_clock.store(source != nullptr ? source : detail::default_clock, std::memory_order_relaxed);
}

/// The time now, to the second, from the clock set; time_unknown when there is no clock
/// or it does not know the time yet.
[[nodiscard]] inline result<std::chrono::sys_seconds> now() {
  const clock_source source = detail::current_clock.load(std::memory_order_relaxed);
  if (const auto time = source(); time) return *time;
  if (source == &detail::no_clock) {
    return fail(
        errc::time_unknown,
        "no clock: give the time explicitly or call pki::set_clock() (this build has no system clock)");
  }
  return fail(errc::time_unknown, "the clock set with pki::set_clock() does not know the time yet");
}

namespace detail {
/// The time a caller gave, or else now(): how every default reads the time.
[[nodiscard]] inline result<std::chrono::sys_seconds> given_or_now(
    const std::optional<std::chrono::sys_seconds>& given) {
  if (given) return *given;
  return now();
}
}  // namespace detail

}  // namespace pki
