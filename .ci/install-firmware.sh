#!/usr/bin/env bash
# Installs what firmware.qemu needs (tests/firmware, examples/firmware), from Debian 12's
# archive, quietly, only when something is missing: the Cortex-M cross compiler with
# newlib-nano and its libstdc++, and QEMU's Arm system emulator (mps2-an386).
set -euo pipefail

packages=(gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm)
if command -v arm-none-eabi-g++ >/dev/null && command -v qemu-system-arm >/dev/null &&
   [ -d /usr/lib/arm-none-eabi/include/c++ ] && [ -f /usr/lib/arm-none-eabi/newlib/librdimon.a ]; then
  exit 0
fi
echo "install-firmware: installing ${packages[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
arm-none-eabi-g++ --version | head -1
qemu-system-arm --version | head -1
