#pragma once
// CPU time spent by a piece of work, for tests that bound what hostile input costs: the
// figure is printed into the test log, and asserted against a limit far above it, so that
// a slow machine or a sanitizer build does not make the test flaky while a return of
// the quadratic or exponential case (seconds) still fails it.

#include <time.h>

#include <chrono>
#include <iostream>
#include <string_view>

namespace pki_test {

/// CPU time of the calling thread so far.
inline std::chrono::duration<double, std::milli> thread_cpu_time() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return std::chrono::duration<double, std::milli>(static_cast<double>(t.tv_sec) * 1e3 +
                                                   static_cast<double>(t.tv_nsec) / 1e6);
}

/// Runs `work`, prints "<what>: N ms of CPU" and returns the milliseconds.
template <class Work>
double cpu_ms(std::string_view what, Work&& work) {
  const auto start = thread_cpu_time();
  work();
  const double ms = (thread_cpu_time() - start).count();
  std::cout << "cpu: " << what << ": " << ms << " ms\n";
  return ms;
}

/// The margin hostile-input tests assert: the target is 50 ms; twenty times that still
/// tells bounded work from the seconds an unbounded case takes.
inline constexpr double hostile_input_limit_ms = 1000.0;

}  // namespace pki_test
