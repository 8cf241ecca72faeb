/* Baseline step "validate": the device's and the server's chains (leaf + intermediate)
 * verified against the root for their host names, key usage and extended key usage, at
 * the fixed validation time; then the server's chain for a name it does not have, and at a
 * time after it expired. */

#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>

#include <stdio.h>

#include "baseline.h"
#include "common.h"
#include "fw_data.h"

typedef struct {
  const char* step;
  const unsigned char* leaf;
  size_t leaf_len;
  const char* host;
  const char* eku;
  size_t eku_len;
  int64_t now; /* Unix seconds */
} bl_expectation;

static uint32_t chain_validity_flags(const mbedtls_x509_crt* chain, const mbedtls_x509_crt* root,
                                     int64_t now) {
  uint32_t flags = bl_validity_flags(root, now);
  for (const mbedtls_x509_crt* c = chain; c != NULL; c = c->next) flags |= bl_validity_flags(c, now);
  return flags;
}

/* mbedtls_x509_crt_verify checks signatures, CA flags, path length, the host name (SAN
 * dNSName, else CN) and the profile's algorithms, but not time: there is no clock. */
static int verify(mbedtls_x509_crt* root, mbedtls_x509_crt* chain, const bl_expectation* e, uint32_t* flags) {
  const int ret = mbedtls_x509_crt_verify(chain, root, NULL, e->host, flags, NULL, NULL);
  *flags |= chain_validity_flags(chain, root, e->now);
  if (ret != 0) return ret;
  return *flags != 0 ? MBEDTLS_ERR_X509_CERT_VERIFY_FAILED : 0;
}

static int leaf_usage(const mbedtls_x509_crt* leaf, const bl_expectation* e) {
  const int ret = mbedtls_x509_crt_check_key_usage(leaf, MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
  if (ret != 0) return ret;
  return mbedtls_x509_crt_check_extended_key_usage(leaf, e->eku, e->eku_len);
}

/* Parses e's chain and the root, verifies for e->host; returns the verify result and sets
 * *flags, or returns a parse or usage error. */
static int check_chain(const bl_expectation* e, uint32_t* flags) {
  mbedtls_x509_crt root, chain;
  mbedtls_x509_crt_init(&root);
  mbedtls_x509_crt_init(&chain);
  *flags = 0;
  int ret = bl_parse_root(&root);
  if (ret == 0) ret = bl_parse_chain(&chain, e->leaf, e->leaf_len);
  if (ret == 0) ret = verify(&root, &chain, e, flags);
  if (ret == 0) ret = leaf_usage(&chain, e);
  mbedtls_x509_crt_free(&chain);
  mbedtls_x509_crt_free(&root);
  return ret;
}

static int expect_valid(const bl_expectation* e) {
  uint32_t flags;
  const int ret = check_chain(e, &flags);
  if (ret != 0) {
    printf("flags=0x%08lx\n", (unsigned long)flags);
    return bl_fail(e->step, ret);
  }
  bl_step_ok(e->step);
  return 0;
}

/* Refused for exactly the reason `wanted` (MBEDTLS_X509_BADCERT_* flags). */
static int expect_refusal(const bl_expectation* e, uint32_t wanted) {
  uint32_t flags;
  const int ret = check_chain(e, &flags);
  if (ret != MBEDTLS_ERR_X509_CERT_VERIFY_FAILED || flags != wanted) {
    printf("flags=0x%08lx (want 0x%08lx)\n", (unsigned long)flags, (unsigned long)wanted);
    return bl_fail(e->step, ret != 0 ? ret : -1);
  }
  bl_step_ok(e->step);
  return 0;
}

int bl_validate(void) {
  const bl_expectation device = {.step = "validate_device_chain",
                                 .leaf = fw_device_der,
                                 .leaf_len = fw_device_der_len,
                                 .host = FW_DEVICE_HOST,
                                 .eku = MBEDTLS_OID_CLIENT_AUTH,
                                 .eku_len = MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH),
                                 .now = FW_VALIDATION_TIME};
  const bl_expectation server = {.step = "validate_server_chain",
                                 .leaf = fw_server_der,
                                 .leaf_len = fw_server_der_len,
                                 .host = FW_SERVER_HOST,
                                 .eku = MBEDTLS_OID_SERVER_AUTH,
                                 .eku_len = MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH),
                                 .now = FW_VALIDATION_TIME};
  bl_expectation wrong_host = server, expired = server;
  wrong_host.step = "reject_wrong_host";
  wrong_host.host = FW_WRONG_HOST;
  expired.step = "reject_expired";
  expired.now = FW_NOT_AFTER + 1;
  if (expect_valid(&device) != 0 || expect_valid(&server) != 0) return 1;
  if (expect_refusal(&wrong_host, MBEDTLS_X509_BADCERT_CN_MISMATCH) != 0) return 1;
  return expect_refusal(&expired, MBEDTLS_X509_BADCERT_EXPIRED);
}
