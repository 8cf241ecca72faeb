#pragma once
// What the files of cases share: registering a case under the names the report pairs,
// failing a case, and owners for the raw mbedTLS objects of the mbedtls columns.
//
// A case is registered as "CASE/pki", "CASE/mbedtls" and, where OpenSSL does the same job,
// "CASE/openssl". run_benchmarks.py pairs them by CASE; it reads "parse" in a CASE as a
// parse case and "stubbed" as a case whose signature math is switched off.

#include <benchmark/benchmark.h>

#include <pki/core/error.hpp>

#include <string>
#include <utility>

namespace pki_bench {

/// Registers `work` (a void(benchmark::State&) callable) as "CASE/column".
template <class Work>
benchmark::internal::Benchmark* add_case(const std::string& name, const char* column, Work&& work) {
  const std::string full = name + "/" + column;
  return benchmark::RegisterBenchmark(full.c_str(), std::forward<Work>(work));
}

/// Ends the case with an error naming what failed (pki-bench then exits non-zero).
inline void fail(benchmark::State& state, const std::string& what) {
  state.SkipWithError(what.c_str());
}
inline void fail(benchmark::State& state, const std::string& what, const pki::error& e) {
  fail(state, what + ": " + e.message());
}
/// An mbedTLS return code as text.
std::string mbedtls_text(int ret);
inline void fail_mbedtls(benchmark::State& state, const std::string& what, int ret) {
  fail(state, what + ": " + mbedtls_text(ret));
}
/// The first error of OpenSSL's queue as text (and the queue cleared).
std::string openssl_text();
inline void fail_openssl(benchmark::State& state, const std::string& what) {
  fail(state, what + ": " + openssl_text());
}

/// Owns one mbedTLS context: init on construction, free on destruction, in place (mbedTLS
/// contexts must not move once initialised, so this neither copies nor moves).
template <class T, void (*Init)(T*), void (*Free)(T*)>
class raw {
 public:
  raw() noexcept { Init(&value_); }
  raw(const raw&) = delete;
  raw& operator=(const raw&) = delete;
  ~raw() { Free(&value_); }
  T* get() noexcept { return &value_; }
  const T* get() const noexcept { return &value_; }
  T* operator->() noexcept { return &value_; }

 private:
  T value_;
};

}  // namespace pki_bench
