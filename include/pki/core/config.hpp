#pragma once
// PKI_HAS_* switches derived from the mbedTLS build configuration, so that a
// firmware build with a trimmed mbedTLS compiles what it can and says clearly
// (a static_assert naming the missing MBEDTLS_* option) what it cannot.

#include <mbedtls/build_info.h>

#include "version.hpp"

#if !defined(MBEDTLS_PK_C) || !defined(MBEDTLS_PK_PARSE_C) || !defined(MBEDTLS_PK_WRITE_C) || \
    !defined(MBEDTLS_MD_C) || !defined(MBEDTLS_PSA_CRYPTO_C) || !defined(MBEDTLS_ASN1_WRITE_C)
#error \
    "pki needs an mbedTLS with MBEDTLS_PK_C, MBEDTLS_PK_PARSE_C, MBEDTLS_PK_WRITE_C, " \
       "MBEDTLS_MD_C, MBEDTLS_ASN1_WRITE_C and MBEDTLS_PSA_CRYPTO_C"
#endif

#if defined(MBEDTLS_RSA_C)
#define PKI_HAS_RSA 1
#else
#define PKI_HAS_RSA 0
#endif

#if defined(MBEDTLS_RSA_C) && defined(MBEDTLS_PKCS1_V21)
#define PKI_HAS_RSA_PSS 1
#else
#define PKI_HAS_RSA_PSS 0
#endif

#if defined(MBEDTLS_PK_HAVE_ECC_KEYS) && defined(MBEDTLS_PK_CAN_ECDSA_SOME)
#define PKI_HAS_ECDSA 1
#else
#define PKI_HAS_ECDSA 0
#endif

#if PKI_HAS_ECDSA && defined(MBEDTLS_ECP_HAVE_SECP256R1)
#define PKI_HAS_P256 1
#else
#define PKI_HAS_P256 0
#endif
#if PKI_HAS_ECDSA && defined(MBEDTLS_ECP_HAVE_SECP384R1)
#define PKI_HAS_P384 1
#else
#define PKI_HAS_P384 0
#endif
#if PKI_HAS_ECDSA && defined(MBEDTLS_ECP_HAVE_SECP521R1)
#define PKI_HAS_P521 1
#else
#define PKI_HAS_P521 0
#endif

#if defined(MBEDTLS_PEM_PARSE_C) && defined(MBEDTLS_PEM_WRITE_C) && defined(MBEDTLS_BASE64_C)
#define PKI_HAS_PEM 1
#else
#define PKI_HAS_PEM 0
#endif

// Encrypted PKCS#8 (PBES2 with PBKDF2 and AES-CBC).
#if defined(MBEDTLS_PKCS5_C) && defined(MBEDTLS_CIPHER_C) && defined(MBEDTLS_AES_C) && \
    defined(MBEDTLS_CIPHER_MODE_CBC) && defined(MBEDTLS_CIPHER_PADDING_PKCS7)
#define PKI_HAS_ENCRYPTED_PKCS8 1
#else
#define PKI_HAS_ENCRYPTED_PKCS8 0
#endif

// The largest RSA modulus a public key may have (define before including pki to change
// it). Verifying with a key costs time in its size; 8192 bits is also mbedTLS's default
// MBEDTLS_MPI_MAX_SIZE, and no public CA issues larger keys.
#ifndef PKI_MAX_RSA_BITS
#define PKI_MAX_RSA_BITS 8192
#endif

// The most PBKDF2 iterations an encrypted private key may ask for (define before including
// pki to change it). Reading a key costs time in its count, and the count is the file's to
// choose: 16 million cost some 20 s here. OpenSSL 3 writes 2,048, pki 100,000; OWASP
// advises 600,000 for PBKDF2-HMAC-SHA256.
#ifndef PKI_MAX_PBKDF2_ITERATIONS
#define PKI_MAX_PBKDF2_ITERATIONS 2000000
#endif

#if defined(MBEDTLS_ERROR_C)
#define PKI_HAS_ERROR_STRINGS 1
#else
#define PKI_HAS_ERROR_STRINGS 0
#endif

#if defined(MBEDTLS_THREADING_C)
#define PKI_HAS_THREADING 1
#else
#define PKI_HAS_THREADING 0
#endif

// TLS (pki/tls/*.hpp): the TLS module with certificates, both endpoints.
#if defined(MBEDTLS_SSL_TLS_C) && defined(MBEDTLS_X509_CRT_PARSE_C) && defined(MBEDTLS_SSL_CLI_C) && \
    defined(MBEDTLS_SSL_SRV_C) && (defined(MBEDTLS_SSL_PROTO_TLS1_2) || defined(MBEDTLS_SSL_PROTO_TLS1_3))
#define PKI_HAS_TLS 1
#else
#define PKI_HAS_TLS 0
#endif

#if PKI_HAS_TLS && defined(MBEDTLS_SSL_PROTO_TLS1_2)
#define PKI_HAS_TLS1_2 1
#else
#define PKI_HAS_TLS1_2 0
#endif
#if PKI_HAS_TLS && defined(MBEDTLS_SSL_PROTO_TLS1_3)
#define PKI_HAS_TLS1_3 1
#else
#define PKI_HAS_TLS1_3 0
#endif

// mbedTLS asks the application for a peer certificate's trusted issuers before it
// verifies any signature in the peer's chain: pki::tls then judges the chain first (see
// tls/session.hpp). Without it, mbedTLS 3.6 searches the chain the peer sent and verifies
// signatures in it before the library sees it.
#if PKI_HAS_TLS && defined(MBEDTLS_X509_TRUSTED_CERTIFICATE_CALLBACK)
#define PKI_HAS_TLS_PEER_PRECHECK 1
#else
#define PKI_HAS_TLS_PEER_PRECHECK 0
#endif

// Session resumption by tickets (the server side needs mbedTLS's ticket module).
#if PKI_HAS_TLS && defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_SSL_TICKET_C) && \
    defined(MBEDTLS_HAVE_TIME)
#define PKI_HAS_TLS_TICKETS 1
#else
#define PKI_HAS_TLS_TICKETS 0
#endif

#if PKI_HAS_TLS && defined(MBEDTLS_SSL_ALPN)
#define PKI_HAS_ALPN 1
#else
#define PKI_HAS_ALPN 0
#endif
