#!/usr/bin/env bash
# CI fuzz stage (docs/fuzzing.md): builds the fuzz preset (libFuzzer, ASan, UBSan; Clang 16,
# libc++ 16), writes the seed corpora, and runs every fuzz target for PKI_FUZZ_SECONDS
# (default 30) from its seeds and its regression inputs, PKI_FUZZ_JOBS (default 2) at a time,
# with libFuzzer's random seed PKI_FUZZ_SEED (default 1; 0 draws a new one each run).
# Fails on any finding: a crash, a broken invariant (trap), a sanitizer report (leaks
# included), a timeout (-timeout=10) or memory beyond -rss_limit_mb=2048. Prints per target
# the executions, exec/s, coverage and corpus size, and the stage's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
stage_start=$(date +%s)
seconds=${PKI_FUZZ_SECONDS:-30}
jobs=${PKI_FUZZ_JOBS:-2}
# A fixed seed makes the run reproducible: each target starts from the same corpus and
# mutates it the same way, so CI explores what a local run with the same seed explored (a
# slower machine explores a prefix of it) and a finding never depends on luck. Exploring
# new ground is a longer run with PKI_FUZZ_SEED=0 (docs/fuzzing.md).
fuzz_seed=${PKI_FUZZ_SEED:-1}

# What the stage needs, from Debian's archive when the machine lacks it. Debian's clang-16
# ships the sanitizer and libFuzzer runtimes in libclang-rt-16-dev.
packages=()
command -v clang++-16 >/dev/null || packages+=(clang-16)
[ -d /usr/lib/llvm-16/include/c++/v1 ] || packages+=(libc++-16-dev libc++abi-16-dev)
[ -f /usr/lib/llvm-16/lib/clang/16/lib/linux/libclang_rt.fuzzer-x86_64.a ] || packages+=(libclang-rt-16-dev)
command -v openssl >/dev/null || packages+=(openssl)
command -v python3 >/dev/null || packages+=(python3)
command -v cmake >/dev/null || packages+=(cmake)
if [ ${#packages[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

# PKI_FUZZ_BUILD names a tree that has the targets built already (the asan preset builds them
# too, over an instrumented mbedTLS: .ci/run uses it); by default the fuzz preset's.
build=${PKI_FUZZ_BUILD:-}
if [ -z "$build" ]; then
  cmake --preset fuzz
  cmake --build --preset fuzz
  build=build/fuzz
fi
# pki_fuzz_seeds, pki_fuzz_tool, pki_fuzz_bin: written by tests/fuzz/CMakeLists.txt.
# shellcheck source=/dev/null
. "$build/fuzz-programs.sh"
seeds=$build/corpus/seeds
tool_args=()
[ -n "$pki_fuzz_tool" ] && tool_args=(--pki-tool "$pki_fuzz_tool")
python3 tests/fuzz/make_corpus.py --out "$seeds" --seeds-program "$pki_fuzz_seeds" "${tool_args[@]}"

targets=$(sed -n '/^set(PKI_FUZZ_TARGETS/,/)/p' tests/fuzz/CMakeLists.txt | tr -d '()' |
  sed 's/setPKI_FUZZ_TARGETS//' | xargs)
rm -rf "$build/corpus/run" "$build/findings" "$build/logs"
mkdir -p "$build/logs"

run_target() {
  local target=$1
  local work=$build/corpus/run/$target findings=$build/findings/$target
  mkdir -p "$work" "$findings"
  set +e
  # mbedTLS's own reports that are known and harmless are suppressed as in ctest's runs
  # (tests/sanitizers/ubsan.supp says why each one is).
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$PWD/tests/sanitizers/ubsan.supp \
    "$pki_fuzz_bin/fuzz-$target" -max_total_time="$seconds" -seed="$fuzz_seed" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$seeds/$target" \
    "tests/fuzz/regressions/$target" >"$build/logs/$target.log" 2>&1
  echo $? >"$build/logs/$target.rc"
  set -e
}

for target in $targets; do
  run_target "$target" &
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
wait

failed=0
printf '%-12s %12s %8s %6s %8s  %s\n' target executions exec/s cov corpus verdict
for target in $targets; do
  log=$build/logs/$target.log
  rc=$(cat "$build/logs/$target.rc")
  # A target that fails on its seeds or regressions stops before any statistics: "-".
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$( (grep -o 'cov: [0-9]*' "$log" || true) | tail -1 | cut -d' ' -f2)
  corpus=$( (grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" || true) | tail -1 | cut -d' ' -f2)
  findings=$(find "$build/findings/$target" -type f | wc -l)
  verdict=ok
  if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ]; then
    verdict="FINDING (exit $rc, $findings files in $build/findings/$target)"
    failed=1
  fi
  printf '%-12s %12s %8s %6s %8s  %s\n' "$target" "${runs:--}" "${speed:--}" "${cov:--}" "${corpus:--}" "$verdict"
done
for target in $targets; do
  if [ "$(cat "$build/logs/$target.rc")" -ne 0 ] || [ -n "$(ls -A "$build/findings/$target")" ]; then
    echo "--- $target: $build/logs/$target.log (end) ---"
    tail -60 "$build/logs/$target.log"
  fi
done
echo "libFuzzer seed: $fuzz_seed (PKI_FUZZ_SEED; 0 draws one per target, printed in its log)"
echo "fuzz stage took $(($(date +%s) - stage_start)) s"
exit $failed
