#pragma once
// The proof that ThreadSanitizer is watching, shared by the programs under tests/tsan:
// run with --race, a program makes this race, and check_tsan.cmake requires TSan to report it.

#include <cstdio>
#include <latch>
#include <thread>

namespace tsan_check {

/// Two threads write one plain int: the race TSan must report, or it is not active.
inline int deliberate_race() {
  int shared = 0;
  std::latch start(2);
  const auto bump = [&] {
    start.arrive_and_wait();
    for (int i = 0; i < 1000; ++i) shared = shared + 1;
  };
  std::thread a(bump);
  std::thread b(bump);
  a.join();
  b.join();
  std::printf("deliberate race done (%d)\n", shared);
  return 0;
}

}  // namespace tsan_check
