/* A trimmed mbedTLS (MBEDTLS_CONFIG_FILE) for tests/trimmed: RSA only (PKCS#1 v1.5 and
 * v2.1, key generation) with SHA-256: no elliptic curve at all, no TLS, no threads. */
#include "trimmed-common.h"
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_GENPRIME
