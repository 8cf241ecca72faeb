/* mbedTLS 3.6 configuration of the firmware images (used as MBEDTLS_CONFIG_FILE: it is the
 * whole configuration, not an addition to upstream's default).
 *
 * The device this stands for: a Cortex-M4F with no file system, no sockets, no RTOS, no
 * clock, no TRNG driver in mbedTLS (the board supplies mbedtls_hardware_poll), that
 *   - validates X.509 chains of P-256/SHA-256 certificates,
 *   - makes its key and a certificate request (and can write a certificate),
 *   - speaks mutual TLS 1.2 with ECDHE-ECDSA-AES-128-GCM-SHA256, as client or server.
 * It also holds everything pki requires (include/pki/core/config.hpp): PK, PK parse and
 * write, MD, ASN.1 write, PSA Crypto; and PKI_HAS_TLS (TLS, X.509 parse, both endpoints).
 *
 * Every option below is on for a reason given next to it; upstream's default options that
 * are absent are off on purpose (in particular: no RSA, no SHA-1, no CBC, no TLS 1.3). */
#ifndef PKI_FIRMWARE_MBEDTLS_CONFIG_H
#define PKI_FIRMWARE_MBEDTLS_CONFIG_H

/* --- System ------------------------------------------------------------------------- */

/* Thumb-2 multiply-accumulate assembly (UMAAL) in bignum: much faster ECC. */
#define MBEDTLS_HAVE_ASM
/* No MBEDTLS_HAVE_TIME / MBEDTLS_HAVE_TIME_DATE: there is no clock. mbedTLS therefore
 * cannot check validity periods (mbedtls_x509_crt_verify never reports EXPIRED/FUTURE);
 * pki takes the validation time as a parameter instead. */
/* No MBEDTLS_FS_IO, MBEDTLS_NET_C, MBEDTLS_THREADING_C, MBEDTLS_TIMING_C: none exist. */
/* There is no OS entropy source (/dev/urandom, getrandom): the board's TRNG is the only
 * one, through mbedtls_hardware_poll (fw_test_only_entropy.c under QEMU). */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
/* Leaner API: the compatibility names of deprecated functions are not declared. */
#define MBEDTLS_DEPRECATED_REMOVED

/* --- Symmetric crypto and hashes ----------------------------------------------------- */

#define MBEDTLS_AES_C
/* The lookup tables in flash rather than computed into RAM at first use, and one table
 * instead of four (3 KiB less, for a few more rotations per round). */
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
/* GCM and CTR_DRBG only ever encrypt with AES, so the inverse cipher is left out. */
#define MBEDTLS_BLOCK_CIPHER_NO_DECRYPT
#define MBEDTLS_GCM_C
/* The cipher layer: TLS 1.2's record protection goes through it. */
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
/* A rolled loop instead of the unrolled rounds: mbedTLS gives ~2 KiB -> ~0.5 KiB for the
 * compression function on a Cortex-M4, about 30% slower. */
#define MBEDTLS_SHA256_SMALLER

/* --- Randomness ---------------------------------------------------------------------- */

/* PSA's generator (psa_generate_random, all pki randomness): CTR_DRBG over AES, seeded by
 * the entropy module, which conditions the TRNG's bytes with SHA-256. */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
/* One source (the TRNG) is all there is; the default reserves room for 20. */
#define MBEDTLS_ENTROPY_MAX_SOURCES 2

/* --- Public-key crypto --------------------------------------------------------------- */

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDH_C
/* Size over speed: the smallest sliding window that is still constant-time, no fixed-
 * point tables for the generator (they cost flash), and no NIST fast reduction
 * (MBEDTLS_ECP_NIST_OPTIM: faster P-256, more code). */
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
/* Bignums no bigger than P-256 needs, with room for a DER INTEGER's leading zero byte (a
 * 33-byte r or s of a signature is read into an MPI as is). */
#define MBEDTLS_MPI_MAX_SIZE 48
#define MBEDTLS_MPI_WINDOW_SIZE 1
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
/* No MBEDTLS_PK_PARSE_EC_COMPRESSED, MBEDTLS_PK_PARSE_EC_EXTENDED: certificates and keys
 * carry uncompressed points of a named curve. */

/* --- PSA Crypto ---------------------------------------------------------------------- */

/* pki makes keys, hashes and draws all its randomness through PSA (psa_generate_key,
 * psa_hash_*, psa_generate_random). */
#define MBEDTLS_PSA_CRYPTO_C
/* No MBEDTLS_USE_PSA_CRYPTO: with it, X.509, PK and TLS reach the same ECDSA, ECDH, AES-GCM
 * and SHA-256 code through PSA's dispatch and key store, which measured here (3.6.6) as
 * 7 KiB more flash for the validate baseline and 10 KiB more for mtls, and 300-400 bytes
 * more of both heap and stack. It is also off in upstream's default configuration and in
 * Debian's build, which pki's host tests run against. PSA itself stays: pki draws its randomness and
 * makes its keys there. */
/* A fixed key store instead of one grown on the heap: pki holds a handful of PSA keys at
 * once (a key it generates or imports, an ECDH share). */
#define MBEDTLS_PSA_KEY_SLOT_COUNT 8

/* --- Encodings ----------------------------------------------------------------------- */

#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PEM_WRITE_C

/* --- X.509 --------------------------------------------------------------------------- */

#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CSR_PARSE_C
#define MBEDTLS_X509_CREATE_C
#define MBEDTLS_X509_CSR_WRITE_C
#define MBEDTLS_X509_CRT_WRITE_C
/* Key usage and extended key usage checks (TLS checks serverAuth/clientAuth with them). */
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE
/* mbedTLS asks the application for a certificate's trusted issuers: pki::tls judges a
 * peer's chain before mbedTLS verifies any signature in it (PKI_HAS_TLS_PEER_PRECHECK). */
#define MBEDTLS_X509_TRUSTED_CERTIFICATE_CALLBACK
/* Root, intermediate, leaf: a device's chains are short; the default allows 8. */
#define MBEDTLS_X509_MAX_INTERMEDIATE_CA 4

/* --- TLS 1.2 ------------------------------------------------------------------------- */

#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
/* The one suite both ends offer; a shorter table is less code and a smaller ClientHello. */
#define MBEDTLS_SSL_CIPHERSUITES MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
/* RFC 7627: binds the master secret to the handshake (defeats triple-handshake attacks). */
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
/* Send a proper alert before closing on an error, so the peer can tell why. */
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
/* Records of up to 4 KiB each way instead of 16 KiB: a P-256 chain of three certificates
 * is about 1.5 KiB. Both buffers are heap, so this is most of a session's RAM. A peer
 * sending larger records would be refused, so a device's servers must not. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 4096
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096
/* No MBEDTLS_SSL_KEEP_PEER_CERTIFICATE: keeps a digest of the peer's certificate after
 * the handshake instead of the whole parsed certificate (pki keeps its own copy). No
 * renegotiation, session tickets, session cache, SNI, ALPN, max fragment length, DTLS,
 * encrypt-then-MAC (CBC only), context serialization. */

#endif
