/* mbedTLS configuration of the project's sanitizer build (the asan preset): upstream
 * 3.6's default configuration, which this file is appended to (MBEDTLS_USER_CONFIG_FILE),
 * plus what Debian's build adds (threads) and what lets pki::tls judge a peer's chain
 * before mbedTLS verifies any of it (PKI_HAS_TLS_PEER_PRECHECK in pki/config.hpp). */
#define MBEDTLS_THREADING_C
#define MBEDTLS_THREADING_PTHREAD
#define MBEDTLS_X509_TRUSTED_CERTIFICATE_CALLBACK
