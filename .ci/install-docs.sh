#!/usr/bin/env bash
# CI: what the docs.doxygen test and the consumer.* tests need, from Debian's archive when
# the machine lacks it: doxygen (the API reference), pkg-config (consumer.pkg_config),
# readelf (binutils) and git (consumer.fetchcontent).
set -euo pipefail
missing=()
command -v doxygen >/dev/null || missing+=(doxygen)
command -v pkg-config >/dev/null || missing+=(pkgconf)
command -v readelf >/dev/null || missing+=(binutils)
command -v git >/dev/null || missing+=(git)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
doxygen --version
