/* Baseline images: what a device does with its PKI, written in C against mbedTLS's own
 * X.509 and TLS APIs, for comparison with the pki images (pki/). Which steps an image
 * runs is chosen when it is built (BASELINE_CSR, BASELINE_TLS_CLIENT, BASELINE_MTLS), so
 * the linker keeps only what that feature set uses. The sets are cumulative, as on a
 * device: validate; + csr; + tls-client, or + mtls (client and server in one image). */

#include <mbedtls/build_info.h>

#include <stdio.h>

#include "baseline.h"
#include "common.h"
#include "fw_support.h"

static int run_steps(void) {
  if (bl_init() != 0 || bl_validate() != 0) return 1;
#if defined(BASELINE_CSR)
  if (bl_csr() != 0) return 1;
#endif
#if defined(BASELINE_TLS_CLIENT)
  if (bl_tls_client() != 0) return 1;
#endif
#if defined(BASELINE_MTLS)
  if (bl_mtls() != 0) return 1;
#endif
  return 0;
}

int main(void) {
  puts(FW_IMAGE_NAME ": mbedTLS " MBEDTLS_VERSION_STRING);
  if (run_steps() != 0) return 1;
  fw_report();
  puts("DONE OK");
  return 0;
}
