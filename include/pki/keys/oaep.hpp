#pragma once
// RSA-OAEP (PKCS#1 v2.2, RFC 8017 7.1) through PSA Crypto, on rsa<Bits> keys: one hash
// for the label and MGF1 (mbedTLS 3.6 cannot tell them apart), an optional label.
//
// There is no PKCS#1 v1.5 encryption here, on purpose: its padding check is a decryption
// oracle (Bleichenbacher, 1998; ROBOT, 2017) that no API can make safe to call on
// attacker-chosen ciphertexts. Decryption failures of any kind are one errc,
// decryption_failed, so the caller cannot become such an oracle either.

#include <mbedtls/rsa.h>

#include <cstddef>

#include "../core/bytes.hpp"
#include "../core/config.hpp"
#include "../core/detail/handle.hpp"
#include "../core/detail/mbedtls_error.hpp"
#include "../core/detail/psa.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "../core/random.hpp"
#include "algorithm.hpp"
#include "detail/feature.hpp"
#include "key.hpp"

namespace pki {

/// The tags whose keys RSA-OAEP takes: rsa<Bits>, or any_algorithm (checked at run time).
template <class A>
concept oaep_algorithm = std::same_as<A, any_algorithm> ||(fixed_algorithm<A>&& A::id.type == key_type::rsa);

/// How to pad: the hash of the label and of MGF1, and the label (empty by default).
struct oaep_options {
  hash_algorithm hash = hash_algorithm::sha256;
  byte_view label{};
};

namespace detail {

[[nodiscard]] constexpr psa_algorithm_t psa_hash(hash_algorithm alg) noexcept {
  switch (alg) {
    case hash_algorithm::sha1: return PSA_ALG_SHA_1;
    case hash_algorithm::sha224: return PSA_ALG_SHA_224;
    case hash_algorithm::sha256: return PSA_ALG_SHA_256;
    case hash_algorithm::sha384: return PSA_ALG_SHA_384;
    case hash_algorithm::sha512: return PSA_ALG_SHA_512;
  }
  return PSA_ALG_NONE;
}

/// An RSA key in a PSA slot for OAEP with `hash`: its public half for ENCRYPT, the pair for DECRYPT.
[[nodiscard]] inline result<psa_key> import_for_oaep(const mbedtls_pk_context& pk, const key_algorithm& alg,
                                                     psa_key_usage_t usage, hash_algorithm hash) {
  if (auto ready = ensure_psa(); !ready) return std::unexpected(ready.error());
  if (alg.type != key_type::rsa) return fail(errc::algorithm_mismatch, "RSA-OAEP needs an RSA key");
  psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
  int ret = mbedtls_pk_get_psa_attributes(&pk, usage, &attributes);
  mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
  if (ret == 0) {
    psa_set_key_algorithm(&attributes, PSA_ALG_RSA_OAEP(psa_hash(hash)));
    ret = mbedtls_pk_import_into_psa(&pk, &attributes, &id);
  }
  psa_reset_key_attributes(&attributes);
  if (ret != 0) return mbedtls_failure(ret, "importing an RSA key for OAEP");
  return psa_key(id);
}

using rsa_handle = handle<mbedtls_rsa_context, mbedtls_rsa_init, mbedtls_rsa_free>;

/// PSA Crypto takes RSA keys up to PSA_VENDOR_RSA_MAX_KEY_BITS (4096 in mbedTLS 3.6);
/// larger ones go through mbedTLS's RSA module, on a private copy of the key whose padding
/// mode can be set (the key itself may be shared between threads). The copy is wiped.
[[nodiscard]] constexpr bool oaep_beyond_psa(std::size_t bits) noexcept {
  return bits > PSA_VENDOR_RSA_MAX_KEY_BITS;
}

[[nodiscard]] inline result<rsa_handle> oaep_context(const mbedtls_pk_context& pk, hash_algorithm hash) {
#if PKI_HAS_RSA_OAEP
  auto rsa = rsa_handle::create();
  if (!rsa) return rsa;
  int ret = mbedtls_rsa_copy(rsa->get(), mbedtls_pk_rsa(pk));
  if (ret == 0) ret = mbedtls_rsa_set_padding(rsa->get(), MBEDTLS_RSA_PKCS_V21, md_type(hash));
  if (ret != 0) return mbedtls_failure(ret, "preparing an RSA key for OAEP");
  return rsa;
#else
  (void)pk, (void)hash;
  return fail(errc::unsupported, "RSA-OAEP needs an mbedTLS built with MBEDTLS_RSA_C and MBEDTLS_PKCS1_V21");
#endif
}

}  // namespace detail

/// The longest plaintext RSA-OAEP takes with a key of `modulus_bytes` and `hash`: k - 2 hLen - 2.
[[nodiscard]] constexpr std::size_t oaep_max_plaintext(std::size_t modulus_bytes,
                                                       hash_algorithm hash) noexcept {
  const std::size_t overhead = 2 * digest_size(hash) + 2;
  return modulus_bytes > overhead ? modulus_bytes - overhead : 0;
}

namespace detail {
// The work, for callers that meet RSA at run time (the sealed-file format):
// errc::unsupported where mbedTLS has no RSA-OAEP.
template <oaep_algorithm Alg>
[[nodiscard]] result<byte_buffer> oaep_encrypt_checked(const public_key<Alg>& key, byte_view plaintext,
                                                       const oaep_options& opts) {
#if PKI_HAS_RSA_OAEP
  if (key.algorithm().type != key_type::rsa)
    return fail(errc::algorithm_mismatch, "RSA-OAEP needs an RSA key");
  const std::size_t modulus_bytes = (key.bits() + 7) / 8;
  if (plaintext.size() > oaep_max_plaintext(modulus_bytes, opts.hash)) {
    return fail(errc::invalid_argument, "plaintext is too long for RSA-OAEP with this key and hash");
  }
  byte_buffer out(modulus_bytes);
  if (oaep_beyond_psa(key.bits())) {
    auto rsa = oaep_context(key.native(), opts.hash);
    if (!rsa) return std::unexpected(rsa.error());
    const int ret =
        mbedtls_rsa_rsaes_oaep_encrypt(rsa->get(), rng, rng_state(), opts.label.data(), opts.label.size(),
                                       plaintext.size(), plaintext.data(), out.data());
    if (ret != 0) return mbedtls_failure(ret, "RSA-OAEP encryption");
    return out;
  }
  auto psa = import_for_oaep(key.native(), key.algorithm(), PSA_KEY_USAGE_ENCRYPT, opts.hash);
  if (!psa) return std::unexpected(psa.error());
  std::size_t length = 0;
  const psa_status_t status = psa_asymmetric_encrypt(psa->id(), PSA_ALG_RSA_OAEP(psa_hash(opts.hash)),
                                                     plaintext.data(), plaintext.size(), opts.label.data(),
                                                     opts.label.size(), out.data(), out.size(), &length);
  if (status != PSA_SUCCESS) return mbedtls_failure(status, "RSA-OAEP encryption");
  out.resize(length);
  return out;
#else
  (void)key, (void)plaintext, (void)opts;
  return fail(errc::unsupported, "RSA-OAEP needs an mbedTLS built with MBEDTLS_RSA_C and MBEDTLS_PKCS1_V21");
#endif
}
}  // namespace detail

/// `plaintext` encrypted to `key` with RSA-OAEP (a ciphertext of the modulus' length);
/// invalid_argument when it is longer than oaep_max_plaintext(), algorithm_mismatch for a
/// key that is not RSA, unsupported for a hash compiled out.
template <oaep_algorithm Alg>
[[nodiscard]] result<byte_buffer> rsa_oaep_encrypt(const public_key<Alg>& key, byte_view plaintext,
                                                   const oaep_options& opts = {}) {
  static_assert(PKI_HAS_RSA_OAEP && detail::when_used<Alg>,
                "pki::rsa_oaep_encrypt needs an mbedTLS built with MBEDTLS_RSA_C and MBEDTLS_PKCS1_V21");
  return detail::oaep_encrypt_checked(key, plaintext, opts);
}

namespace detail {
// The work, for callers that meet RSA at run time (the sealed-file format):
// errc::unsupported where mbedTLS has no RSA-OAEP.
template <oaep_algorithm Alg>
[[nodiscard]] result<secret_buffer> oaep_decrypt_checked(const private_key<Alg>& key, byte_view ciphertext,
                                                         const oaep_options& opts) {
#if PKI_HAS_RSA_OAEP
  if (key.algorithm().type != key_type::rsa)
    return fail(errc::algorithm_mismatch, "RSA-OAEP needs an RSA key");
  const std::size_t modulus_bytes = (key.bits() + 7) / 8;
  if (ciphertext.size() != modulus_bytes) {
    return fail(errc::decryption_failed, "RSA-OAEP ciphertext is not as long as the modulus");
  }
  secret_buffer out(modulus_bytes);
  if (oaep_beyond_psa(key.bits())) {
    auto rsa = oaep_context(key.native(), opts.hash);
    if (!rsa) return std::unexpected(rsa.error());
    std::size_t length = 0;
    const int ret =
        mbedtls_rsa_rsaes_oaep_decrypt(rsa->get(), rng, rng_state(), opts.label.data(), opts.label.size(),
                                       &length, ciphertext.data(), out.data(), out.size());
    if (ret != 0) {
      mbedtls_platform_zeroize(out.data(), out.size());
      if (errc_from_mbedtls(ret) == errc::out_of_memory) {
        return mbedtls_failure(ret, "RSA-OAEP decryption");
      }
      return std::unexpected(error(errc::decryption_failed, "RSA-OAEP ciphertext does not decrypt", ret));
    }
    out.resize(length);
    return out;
  }
  auto psa = import_for_oaep(key.native(), key.algorithm(), PSA_KEY_USAGE_DECRYPT, opts.hash);
  if (!psa) return std::unexpected(psa.error());
  std::size_t length = 0;
  const psa_status_t status = psa_asymmetric_decrypt(psa->id(), PSA_ALG_RSA_OAEP(psa_hash(opts.hash)),
                                                     ciphertext.data(), ciphertext.size(), opts.label.data(),
                                                     opts.label.size(), out.data(), out.size(), &length);
  if (status != PSA_SUCCESS) {
    mbedtls_platform_zeroize(out.data(), out.size());
    if (status == PSA_ERROR_INSUFFICIENT_MEMORY) return mbedtls_failure(status, "RSA-OAEP decryption");
    return std::unexpected(error(errc::decryption_failed, "RSA-OAEP ciphertext does not decrypt", status));
  }
  out.resize(length);
  return out;
#else
  (void)key, (void)ciphertext, (void)opts;
  return fail(errc::unsupported, "RSA-OAEP needs an mbedTLS built with MBEDTLS_RSA_C and MBEDTLS_PKCS1_V21");
#endif
}
}  // namespace detail

/// The plaintext of an RSA-OAEP ciphertext, in a buffer wiped when freed; decryption_failed
/// for every ciphertext that does not decrypt (wrong length, padding, label or key: one
/// reason, so that no failure tells an attacker more than another), algorithm_mismatch for a
/// key that is not RSA.
template <oaep_algorithm Alg>
[[nodiscard]] result<secret_buffer> rsa_oaep_decrypt(const private_key<Alg>& key, byte_view ciphertext,
                                                     const oaep_options& opts = {}) {
  static_assert(PKI_HAS_RSA_OAEP && detail::when_used<Alg>,
                "pki::rsa_oaep_decrypt needs an mbedTLS built with MBEDTLS_RSA_C and MBEDTLS_PKCS1_V21");
  return detail::oaep_decrypt_checked(key, ciphertext, opts);
}

}  // namespace pki
