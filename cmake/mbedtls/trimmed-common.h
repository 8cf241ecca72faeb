/* What every trimmed configuration of the project's tests has (tests/trimmed): the
 * modules pki cannot do without (pki/core/config.hpp: PK parse and write, MD, ASN.1
 * writing, PSA Crypto) and PSA's random generator, on a host (time, OS entropy). The
 * including file adds one algorithm family and SHA-256; nothing else is compiled in. */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_AES_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_MD_C
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PEM_WRITE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_ERROR_C
