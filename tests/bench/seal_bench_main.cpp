// The main of pki-bench-seal; the cases live in seal_bench.cpp, which another benchmark
// program can compile in beside its own.

#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
