#!/usr/bin/env bash
# CI: what pki-bench (tests/bench) and its bench.smoke test need, from Debian's archive when
# the machine lacks it: Google Benchmark (libbenchmark-dev) and OpenSSL's headers and
# libraries (libssl-dev), the reference columns.
set -euo pipefail
missing=()
[ -f /usr/include/benchmark/benchmark.h ] || missing+=(libbenchmark-dev)
[ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dpkg-query -W -f='${Package} ${Version}\n' libbenchmark-dev libssl-dev
