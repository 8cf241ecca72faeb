/* A trimmed mbedTLS (MBEDTLS_CONFIG_FILE) for tests/trimmed: EC P-256 and SHA-256 only,
 * as a small device has: no RSA, no other curve, no SHA-1 or SHA-512, no TLS, no
 * threads. */
#include "trimmed-common.h"
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDH_C
