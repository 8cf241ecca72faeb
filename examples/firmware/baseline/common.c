/* Step reporting and test-PKI loading shared by the baseline images. */

#include "common.h"

#include <psa/crypto.h>

#include <stdio.h>

#include "fw_data.h"

void bl_step_ok(const char* step) {
  printf("STEP %s ok\n", step);
}

int bl_fail(const char* step, int ret) {
  printf("FAIL %s ret=%s0x%04x\n", step, ret < 0 ? "-" : "", (unsigned)(ret < 0 ? -ret : ret));
  return 1;
}

int bl_init(void) {
  BL_CHECK("psa_crypto_init", psa_crypto_init());
  bl_step_ok("psa_crypto_init");
  return 0;
}

int bl_parse_chain(mbedtls_x509_crt* chain, const unsigned char* leaf, size_t leaf_len) {
  const int ret = mbedtls_x509_crt_parse_der(chain, leaf, leaf_len);
  if (ret != 0) return ret;
  return mbedtls_x509_crt_parse_der(chain, fw_intermediate_der, fw_intermediate_der_len);
}

int bl_parse_root(mbedtls_x509_crt* root) {
  return mbedtls_x509_crt_parse_der(root, fw_root_der, fw_root_der_len);
}

int bl_parse_key(mbedtls_pk_context* key, const unsigned char* der, size_t der_len) {
  return mbedtls_pk_parse_key(key, der, der_len, NULL, 0, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

static int64_t unix_seconds(const mbedtls_x509_time* t) {
  return days_from_civil(t->year, t->mon, t->day) * 86400 + t->hour * 3600 + t->min * 60 + t->sec;
}

uint32_t bl_validity_flags(const mbedtls_x509_crt* crt, int64_t now) {
  uint32_t flags = 0;
  if (now < unix_seconds(&crt->valid_from)) flags |= MBEDTLS_X509_BADCERT_FUTURE;
  if (now > unix_seconds(&crt->valid_to)) flags |= MBEDTLS_X509_BADCERT_EXPIRED;
  return flags;
}
