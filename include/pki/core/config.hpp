#pragma once
// PKI_HAS_* switches derived from the mbedTLS build configuration, so that a
// firmware build with a trimmed mbedTLS compiles what it can and says clearly
// (a static_assert naming the missing MBEDTLS_* option) what it cannot.

#include <mbedtls/build_info.h>

#include <cstddef>  // the C++ library's own configuration (threads, below)

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

// PEM in and out (core/bytes.hpp): without it, whether input is PEM is known only at run
// time, so reading or writing PEM is errc::unsupported; DER works.
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

// Encryption to a public key (keys/hkdf.hpp, aead.hpp, ecdh.hpp, oaep.hpp, hpke.hpp,
// sealed_file.hpp). Each switch names the mbedTLS options a static_assert asks for.
#if defined(MBEDTLS_HKDF_C)
#define PKI_HAS_HKDF 1
#else
#define PKI_HAS_HKDF 0
#endif

#if defined(MBEDTLS_GCM_C) && defined(MBEDTLS_AES_C)
#define PKI_HAS_AES_GCM 1
#else
#define PKI_HAS_AES_GCM 0
#endif

#if defined(MBEDTLS_CHACHAPOLY_C) && defined(MBEDTLS_CHACHA20_C) && defined(MBEDTLS_POLY1305_C)
#define PKI_HAS_CHACHAPOLY 1
#else
#define PKI_HAS_CHACHAPOLY 0
#endif

#if defined(MBEDTLS_ECDH_C) && defined(MBEDTLS_PK_HAVE_ECC_KEYS)
#define PKI_HAS_ECDH 1
#else
#define PKI_HAS_ECDH 0
#endif

// X25519 keys (RFC 7748, RFC 8410 encodings): key agreement only, they sign nothing.
#if PKI_HAS_ECDH && defined(MBEDTLS_ECP_DP_CURVE25519_ENABLED)
#define PKI_HAS_X25519 1
#else
#define PKI_HAS_X25519 0
#endif

// RSA-OAEP (PKCS#1 v2.1). There is deliberately no PKCS#1 v1.5 encryption (Bleichenbacher).
#if defined(MBEDTLS_RSA_C) && defined(MBEDTLS_PKCS1_V21)
#define PKI_HAS_RSA_OAEP 1
#else
#define PKI_HAS_RSA_OAEP 0
#endif

// HPKE (RFC 9180): DHKEM over ECDH and HKDF; an AEAD is needed for all but export-only.
#if PKI_HAS_HKDF && PKI_HAS_ECDH
#define PKI_HAS_HPKE 1
#else
#define PKI_HAS_HPKE 0
#endif

// The sealed-file format (keys/sealed_file.hpp): HPKE with AES-GCM chunks.
#if PKI_HAS_HPKE && PKI_HAS_AES_GCM
#define PKI_HAS_SEALED_FILE 1
#else
#define PKI_HAS_SEALED_FILE 0
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

// Threads: the C++ library must have them (a bare-metal newlib toolchain has no
// std::mutex) and so must mbedTLS (MBEDTLS_THREADING_C: without it, its random generator
// and key store are not safe to share). Without either, pki builds single-threaded (see
// core/detail/threads.hpp); define PKI_NO_THREADS to choose that where both have them.
#if defined(MBEDTLS_THREADING_C) && !defined(PKI_NO_THREADS) && \
    (defined(_GLIBCXX_HAS_GTHREADS) || (defined(_LIBCPP_VERSION) && !defined(_LIBCPP_HAS_NO_THREADS)))
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
