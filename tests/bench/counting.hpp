#pragma once
// What pki-bench counts besides time, for pki and mbedTLS alike:
//
// - heap allocations: the program replaces malloc and its family (counting.cpp), so every
//   allocation of the process is seen: operator new (libstdc++ calls malloc), mbedTLS's
//   calloc/free and OpenSSL's CRYPTO_malloc. Counted only inside a counting window on the
//   calling thread, so a timed loop pays one branch per allocation and nothing more;
// - signature checks: the mbedTLS functions that do the public-key math of a signature
//   check are wrapped at link time (-Wl,--wrap=..., see CMakeLists.txt), each call
//   counted. The same wrappers skip the math and answer "valid" while signatures are
//   stubbed, which is how the "stubbed" cases measure the work around the math.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <utility>

namespace pki_bench {

/// What one piece of work allocated and verified.
struct tally {
  std::uint64_t allocations = 0;  ///< malloc, calloc, realloc of a new block, aligned allocations
  std::uint64_t frees = 0;
  std::uint64_t bytes_allocated = 0;  ///< usable size of every block allocated (malloc_usable_size)
  std::int64_t bytes_net = 0;         ///< allocated minus freed: what the work left on the heap
  std::uint64_t signature_checks = 0;
};

namespace detail {
void start_counting() noexcept;
tally stop_counting() noexcept;
}  // namespace detail

/// Signature checks counted since the program started (every thread).
std::uint64_t signature_checks() noexcept;

/// Runs `work` once inside a counting window and returns what it allocated and verified.
template <class Work>
tally count(Work&& work) {
  detail::start_counting();
  std::forward<Work>(work)();
  return detail::stop_counting();
}

/// Reports a tally of one operation as the case's counters; `signatures` false for
/// OpenSSL's columns, whose checks the mbedTLS wrappers do not see.
inline void report(benchmark::State& state, const tally& t, bool signatures = true) {
  state.counters["allocations"] = static_cast<double>(t.allocations);
  state.counters["bytes_allocated"] = static_cast<double>(t.bytes_allocated);
  if (signatures) state.counters["signature_checks"] = static_cast<double>(t.signature_checks);
}

/// While one lives, the wrapped mbedTLS functions skip the math and report a valid
/// signature (they still count the call). Not nestable; for the "stubbed" cases only.
class stubbed_signatures {
 public:
  stubbed_signatures() noexcept;
  stubbed_signatures(const stubbed_signatures&) = delete;
  stubbed_signatures& operator=(const stubbed_signatures&) = delete;
  ~stubbed_signatures();
};

}  // namespace pki_bench
