// pki-bench: every case of tests/bench against raw mbedTLS (and OpenSSL as a reference).
// Google Benchmark's flags apply (--benchmark_filter, --benchmark_format=json, ...); the
// program exits non-zero when a case failed (SkipWithError), so that a smoke run catches
// a broken case while never judging a time. tests/bench/run_benchmarks.py runs it and
// writes docs/BENCHMARKS.md.

#include <benchmark/benchmark.h>
#include <mbedtls/error.h>
#include <mbedtls/version.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <pki/core/version.hpp>

#include <array>
#include <string>
#include <vector>

#include "bench.hpp"

namespace pki_bench {

std::string mbedtls_text(int ret) {
  std::array<char, 200> text{};
  mbedtls_strerror(ret, text.data(), text.size());
  return "mbedTLS -0x" +
         [&] {
           std::array<char, 16> hex{};
           std::snprintf(hex.data(), hex.size(), "%04X", static_cast<unsigned>(-ret));
           return std::string(hex.data());
         }() +
         " " + text.data();
}

std::string openssl_text() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "OpenSSL: no error queued";
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return std::string("OpenSSL: ") + text.data();
}

namespace {

/// Forwards to the reporter the flags chose, remembering whether a case failed.
class error_watch : public benchmark::BenchmarkReporter {
 public:
  explicit error_watch(benchmark::BenchmarkReporter* inner) : inner_(inner) {}

  bool ReportContext(const Context& context) override { return inner_->ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      if (failed(run)) failures_.push_back(run.benchmark_name());
    }
    inner_->ReportRuns(runs);
  }
  void Finalize() override { inner_->Finalize(); }

  [[nodiscard]] const std::vector<std::string>& failures() const noexcept { return failures_; }

 private:
  // Google Benchmark 1.7 says error_occurred; 1.8 renamed it skipped.
  template <class R>
  static bool failed(const R& run) {
    if constexpr (requires { run.error_occurred; }) {
      return run.error_occurred;
    } else {
      return run.skipped != 0;
    }
  }

  benchmark::BenchmarkReporter* inner_;
  std::vector<std::string> failures_;
};

}  // namespace
}  // namespace pki_bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  std::array<char, 64> mbedtls{};
  mbedtls_version_get_string_full(mbedtls.data());
  benchmark::AddCustomContext("pki_version", pki::version_string);
  benchmark::AddCustomContext("mbedtls_version", mbedtls.data());
  benchmark::AddCustomContext("openssl_version", OpenSSL_version(OPENSSL_VERSION));
#if defined(__clang__)
  benchmark::AddCustomContext("compiler", "clang++ " __clang_version__ " -O2");
#else
  benchmark::AddCustomContext("compiler", "g++ " __VERSION__ " -O2");
#endif

  pki_bench::error_watch reporter(benchmark::CreateDefaultDisplayReporter());
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  for (const auto& name : reporter.failures())
    std::fprintf(stderr, "pki-bench: case failed: %s\n", name.c_str());
  return reporter.failures().empty() ? 0 : 1;
}
