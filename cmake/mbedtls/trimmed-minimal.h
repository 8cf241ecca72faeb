/* A trimmed mbedTLS (MBEDTLS_CONFIG_FILE) for tests/trimmed: the P-256 configuration
 * without what a device that speaks only DER leaves out as well: no base64 or PEM, no
 * error strings, no ECDH. */
#include "trimmed-p256.h"
#undef MBEDTLS_PEM_PARSE_C
#undef MBEDTLS_PEM_WRITE_C
#undef MBEDTLS_BASE64_C
#undef MBEDTLS_ERROR_C
#undef MBEDTLS_ECDH_C
