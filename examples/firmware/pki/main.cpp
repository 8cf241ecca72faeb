// A device's PKI work with pki, on a Cortex-M4 under QEMU (mps2-an386): no threads, no
// real-time clock, no file system, exceptions and RTTI off. Which steps run is chosen when
// the image is built (PKI_FW_CSR, PKI_FW_TLS_CLIENT, PKI_FW_MTLS: the feature sets of
// docs/FOOTPRINT.md, each a superset of the one before), so that an image links only what
// its set uses.

#include <pki/core/version.hpp>

#include <mbedtls/build_info.h>

#include <cstdio>

#include "fw_support.h"
#include "steps.hpp"

namespace {
bool run_steps() {
  if (!fw::validate_steps()) return false;
#if defined(PKI_FW_CSR)
  if (!fw::csr_steps()) return false;
#endif
#if defined(PKI_FW_TLS_CLIENT)
  if (!fw::tls_client_steps()) return false;
#endif
#if defined(PKI_FW_MTLS)
  if (!fw::mtls_steps()) return false;
#endif
  return true;
}
}  // namespace

int main() {
  std::printf("%s: pki %s on mbedTLS %s\n", FW_IMAGE_NAME, pki::version_string, MBEDTLS_VERSION_STRING);
  if (!run_steps()) return 1;
  fw_report();
  std::puts("DONE OK");
  return 0;
}
