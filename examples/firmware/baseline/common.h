/* Shared by the baseline images: step reporting and loading the test PKI with mbedTLS. */
#ifndef BASELINE_COMMON_H
#define BASELINE_COMMON_H

#include <mbedtls/pk.h>
#include <mbedtls/psa_util.h> /* mbedtls_psa_get_random: the f_rng over PSA's generator */
#include <mbedtls/x509_crt.h>

#include <stddef.h>
#include <stdint.h>

/* Runs expr (an mbedTLS or PSA call returning 0 on success); on failure reports the step
 * and makes the enclosing function return 1. */
#define BL_CHECK(step, expr)                           \
  do {                                                 \
    const int bl_ret_ = (int)(expr);                   \
    if (bl_ret_ != 0) return bl_fail((step), bl_ret_); \
  } while (0)

/* Prints `STEP <step> ok`. */
void bl_step_ok(const char* step);

/* Prints `FAIL <step> ret=-0x<code>` (mbedTLS and PSA codes are negative); returns 1. */
int bl_fail(const char* step, int ret);

/* psa_crypto_init: seeds PSA's generator from the entropy source; returns 0 or 1. */
int bl_init(void);

/* Appends leaf and the test intermediate to chain; returns an mbedTLS error or 0. */
int bl_parse_chain(mbedtls_x509_crt* chain, const unsigned char* leaf, size_t leaf_len);

/* Parses the test root (the trust anchor) into root; returns an mbedTLS error or 0. */
int bl_parse_root(mbedtls_x509_crt* root);

/* Parses a DER private key; returns an mbedTLS error or 0. */
int bl_parse_key(mbedtls_pk_context* key, const unsigned char* der, size_t der_len);

/* mbedTLS has no clock here (no MBEDTLS_HAVE_TIME_DATE), so it never checks validity
 * periods; pki validates at a time it is given. This does the same for the baseline: the
 * MBEDTLS_X509_BADCERT_FUTURE/EXPIRED flags for crt at Unix time `now`. */
uint32_t bl_validity_flags(const mbedtls_x509_crt* crt, int64_t now);

#endif
