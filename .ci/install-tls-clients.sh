#!/usr/bin/env bash
# Installs the real TLS clients that interop.tls_clients runs against the HTTPS example
# server, from Debian 12's archive, quietly, only when a program is missing:
#   curl           curl (OpenSSL)
#   gnutls-cli     gnutls-bin (GnuTLS)
#   chromium       chromium (BoringSSL), headless
#   certutil       libnss3-tools (puts the test root in Chromium's NSS database)
#   python3        python3 (its ssl module, OpenSSL)
set -euo pipefail

declare -A package_of=(
  [curl]=curl
  [gnutls-cli]=gnutls-bin
  [chromium]=chromium
  [certutil]=libnss3-tools
  [python3]=python3
)

missing=()
for program in "${!package_of[@]}"; do
  command -v "$program" >/dev/null || missing+=("${package_of[$program]}")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "install-tls-clients: installing ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for program in "${!package_of[@]}"; do
  command -v "$program" >/dev/null || {
    echo "install-tls-clients: $program is still missing after installing ${package_of[$program]}" >&2
    exit 1
  }
done
