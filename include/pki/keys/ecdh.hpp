#pragma once
// ECDH key agreement (P-256, P-384, P-521, X25519) through PSA Crypto, on the library's
// typed keys, and the raw key encodings key agreement speaks: an uncompressed point
// (SEC 1 2.3.3) for the NIST curves, 32 little-endian bytes (RFC 7748) for X25519.
// Shared secrets are secret_buffers, wiped when freed.

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "../core/bytes.hpp"
#include "../core/config.hpp"
#include "../core/detail/mbedtls_error.hpp"
#include "../core/detail/psa.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "algorithm.hpp"
#include "detail/feature.hpp"
#include "hkdf.hpp"
#include "key.hpp"

namespace pki {

/// A tag whose keys agree on secrets: the NIST curves' and X25519's (not RSA).
template <class A>
concept agreement_algorithm = fixed_algorithm<A> &&(A::id.type != key_type::rsa);

namespace detail {

/// The PSA family and bit size of an agreement key; unsupported for RSA or no curve.
[[nodiscard]] inline result<std::pair<psa_ecc_family_t, std::size_t>> ecc_family(
    const key_algorithm& alg) noexcept {
  if (alg.type == key_type::x25519)
    return std::pair{psa_ecc_family_t{PSA_ECC_FAMILY_MONTGOMERY}, std::size_t{255}};
  if (alg.type == key_type::ec && alg.ec_curve != curve::none) {
    return std::pair{psa_ecc_family_t{PSA_ECC_FAMILY_SECP_R1}, alg.bits};
  }
  return fail(errc::algorithm_mismatch, "key agreement needs an EC or X25519 key, not RSA");
}

/// Bytes of a raw public key: 1 + 2 coordinates for the NIST curves, 32 for X25519.
[[nodiscard]] constexpr std::size_t raw_public_size(const key_algorithm& alg) noexcept {
  if (alg.type == key_type::x25519) return 32;
  return 1 + 2 * ((alg.bits + 7) / 8);
}

/// Bytes of a raw private key (a big-endian scalar; X25519's 32 bytes) and of a shared secret.
[[nodiscard]] constexpr std::size_t raw_private_size(const key_algorithm& alg) noexcept {
  if (alg.type == key_type::x25519) return 32;
  return (alg.bits + 7) / 8;
}

/// A private EC or X25519 key in a PSA slot, allowed to derive (ECDH).
[[nodiscard]] inline result<psa_key> import_for_agreement(const mbedtls_pk_context& pk,
                                                          const key_algorithm& alg) {
  if (auto family = ecc_family(alg); !family) return std::unexpected(family.error());
  psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
  int ret = mbedtls_pk_get_psa_attributes(&pk, PSA_KEY_USAGE_DERIVE, &attributes);
  mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
  if (ret == 0) ret = mbedtls_pk_import_into_psa(&pk, &attributes, &id);
  psa_reset_key_attributes(&attributes);
  if (ret != 0) return mbedtls_failure(ret, "importing a private key for key agreement");
  return psa_key(id);
}

/// The attributes of a key pair of `alg` in a PSA slot, allowed to derive (ECDH) and to
/// export, PSA started (the caller resets them); fails as ecc_family() and ensure_psa().
[[nodiscard]] inline result<psa_key_attributes_t> agreement_pair_attributes(const key_algorithm& alg) {
  auto family = ecc_family(alg);
  if (!family) return std::unexpected(family.error());
  if (auto ready = ensure_psa(); !ready) return std::unexpected(ready.error());
  psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
  psa_set_key_type(&attributes, PSA_KEY_TYPE_ECC_KEY_PAIR(family->first));
  psa_set_key_bits(&attributes, family->second);
  psa_set_key_usage_flags(&attributes, PSA_KEY_USAGE_DERIVE | PSA_KEY_USAGE_EXPORT);
  psa_set_key_algorithm(&attributes, PSA_ALG_ECDH);
  return attributes;
}

/// A raw private key (see raw_private_size) in a PSA slot; invalid_argument when it is
/// not a valid scalar for the curve (zero, or not below the group order).
[[nodiscard]] inline result<psa_key> import_raw_private(const key_algorithm& alg, byte_view raw) {
  auto attributes = agreement_pair_attributes(alg);
  if (!attributes) return std::unexpected(attributes.error());
  if (raw.size() != raw_private_size(alg)) {
    psa_reset_key_attributes(&*attributes);
    return fail(errc::invalid_argument, "raw private key has the wrong length");
  }
  mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
  const psa_status_t status = psa_import_key(&*attributes, raw.data(), raw.size(), &id);
  psa_reset_key_attributes(&*attributes);
  if (status != PSA_SUCCESS) return mbedtls_failure(status, "importing a raw private key");
  return psa_key(id);
}

/// A fresh key pair in a PSA slot, allowed to derive and export.
[[nodiscard]] inline result<psa_key> generate_for_agreement(const key_algorithm& alg) {
  auto attributes = agreement_pair_attributes(alg);
  if (!attributes) return std::unexpected(attributes.error());
  mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
  const psa_status_t status = psa_generate_key(&*attributes, &id);
  psa_reset_key_attributes(&*attributes);
  if (status != PSA_SUCCESS) return mbedtls_failure(status, "generating an ephemeral key pair");
  return psa_key(id);
}

/// The raw public key of a PSA key pair.
[[nodiscard]] inline result<byte_buffer> export_raw_public(const psa_key& key) {
  byte_buffer out(PSA_EXPORT_PUBLIC_KEY_MAX_SIZE);
  std::size_t length = 0;
  const psa_status_t status = psa_export_public_key(key.id(), out.data(), out.size(), &length);
  if (status != PSA_SUCCESS) return mbedtls_failure(status, "exporting a public key");
  out.resize(length);
  return out;
}

/// The raw public key of a parsed EC or X25519 key (public or private).
[[nodiscard]] inline result<byte_buffer> raw_public(const mbedtls_pk_context& pk, const key_algorithm& alg) {
  if (auto family = ecc_family(alg); !family) return std::unexpected(family.error());
#if defined(MBEDTLS_PK_HAVE_ECC_KEYS)
  byte_buffer out(raw_public_size(alg));
  std::size_t length = 0;
  const int ret = mbedtls_ecp_write_public_key(mbedtls_pk_ec(pk), MBEDTLS_ECP_PF_UNCOMPRESSED, &length,
                                               out.data(), out.size());
  if (ret != 0) return mbedtls_failure(ret, "writing a raw public key");
  out.resize(length);
  return out;
#else
  (void)pk;
  return fail(errc::unsupported, "EC keys need an mbedTLS with elliptic curves");
#endif
}

/// ECDH between a PSA private key and a raw peer public key: the shared secret (the x
/// coordinate; X25519's output). invalid_argument for a peer key that is not a valid point
/// of the curve, and for an all-zero X25519 output (a small-order peer key, RFC 7748 6.1).
[[nodiscard]] inline result<secret_buffer> raw_agreement(const psa_key& mine, const key_algorithm& alg,
                                                         byte_view peer) {
  if (peer.size() != raw_public_size(alg))
    return fail(errc::invalid_argument, "peer public key has the wrong length");
  secret_buffer shared(raw_private_size(alg));
  std::size_t length = 0;
  const psa_status_t status = psa_raw_key_agreement(PSA_ALG_ECDH, mine.id(), peer.data(), peer.size(),
                                                    shared.data(), shared.size(), &length);
  if (status != PSA_SUCCESS) {
    if (status == PSA_ERROR_INVALID_ARGUMENT || status == PSA_ERROR_NOT_SUPPORTED) {
      return std::unexpected(
          error(errc::invalid_argument, "peer public key is not a point of the curve", status));
    }
    return mbedtls_failure(status, "ECDH key agreement");
  }
  shared.resize(length);
  // On the NIST curves a zero x coordinate is a valid result; X25519's all-zero output
  // means the peer sent a point of small order.
  if (alg.type == key_type::x25519 &&
      std::all_of(shared.begin(), shared.end(), [](std::uint8_t b) { return b == 0; })) {
    return fail(errc::invalid_argument, "key agreement gave the all-zero secret (a small-order peer key)");
  }
  return shared;
}

/// Converts a PSA key pair into a private key of type Key. PSA derived the public half
/// from the private one, so the pair check a parsed key gets (one scalar multiplication)
/// would prove nothing here.
template <class Key>
[[nodiscard]] result<Key> private_key_from_psa(const psa_key& key) {
  auto pk = pk_handle::create();
  if (!pk) return std::unexpected(pk.error());
  if (const int ret = mbedtls_pk_copy_from_psa(key.id(), pk->get()); ret != 0) {
    return mbedtls_failure(ret, "copying a key out of PSA");
  }
  return key_access::adopt<Key>(std::move(*pk));
}

}  // namespace detail

/// The raw public key: an uncompressed point for P-256/384/521, 32 bytes for X25519;
/// algorithm_mismatch for an RSA key.
template <algorithm_tag Alg>
[[nodiscard]] result<byte_buffer> raw_public_key(const public_key<Alg>& key) {
  return detail::raw_public(key.native(), key.algorithm());
}

/// A public key of algorithm Alg from its raw encoding (see raw_public_key);
/// invalid_argument when it is not a point of the curve.
template <agreement_algorithm Alg>
[[nodiscard]] result<public_key<Alg>> public_key_from_raw(byte_view raw) {
  if (auto ready = detail::ensure_psa(); !ready) return std::unexpected(ready.error());
  auto family = detail::ecc_family(Alg::id);
  if (!family) return std::unexpected(family.error());
  if (raw.size() != detail::raw_public_size(Alg::id)) {
    return fail(errc::invalid_argument, "raw public key has the wrong length");
  }
  psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
  psa_set_key_type(&attributes,
                   PSA_KEY_TYPE_PUBLIC_KEY_OF_KEY_PAIR(PSA_KEY_TYPE_ECC_KEY_PAIR(family->first)));
  psa_set_key_bits(&attributes, family->second);
  psa_set_key_usage_flags(&attributes, PSA_KEY_USAGE_EXPORT);
  mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
  const psa_status_t status = psa_import_key(&attributes, raw.data(), raw.size(), &id);
  psa_reset_key_attributes(&attributes);
  if (status != PSA_SUCCESS) {
    return std::unexpected(
        error(errc::invalid_argument, "raw public key is not a point of the curve", status));
  }
  const detail::psa_key owner(id);
  auto pk = detail::pk_handle::create();
  if (!pk) return std::unexpected(pk.error());
  if (const int ret = mbedtls_pk_copy_public_from_psa(owner.id(), pk->get()); ret != 0) {
    return detail::mbedtls_failure(ret, "copying a public key out of PSA");
  }
  auto der = detail::write_spki(**pk);
  if (!der) return std::unexpected(der.error());
  return public_key<Alg>::from_der(*der);
}

/// A private key of algorithm Alg from its raw encoding: the big-endian scalar (P-256/384/521)
/// or X25519's 32 bytes; invalid_argument for the wrong length or a scalar out of range.
template <agreement_algorithm Alg>
[[nodiscard]] result<private_key<Alg>> private_key_from_raw(byte_view raw) {
  auto key = detail::import_raw_private(Alg::id, raw);
  if (!key) return std::unexpected(key.error());
  return detail::private_key_from_psa<private_key<Alg>>(*key);
}

/// The ECDH shared secret (the x coordinate; X25519's output) between a private key and a
/// peer's public key of the same algorithm. algorithm_mismatch for RSA keys or two
/// algorithms (only possible with any_algorithm keys), invalid_argument for an X25519 peer
/// key of small order.
template <algorithm_tag Alg>
[[nodiscard]] result<secret_buffer> ecdh(const private_key<Alg>& mine, const public_key<Alg>& peer) {
  static_assert(PKI_HAS_ECDH && detail::when_used<Alg>,
                "pki::ecdh needs an mbedTLS built with MBEDTLS_ECDH_C");
  if (!(mine.algorithm() == peer.algorithm())) {
    return fail(errc::algorithm_mismatch, "ECDH needs two keys of one curve");
  }
  auto raw = detail::raw_public(peer.native(), peer.algorithm());
  if (!raw) return std::unexpected(raw.error());
  auto key = detail::import_for_agreement(mine.native(), mine.algorithm());
  if (!key) return std::unexpected(key.error());
  return detail::raw_agreement(*key, mine.algorithm(), *raw);
}

/// The ECDH shared secret with a peer public key in its raw encoding (see raw_public_key);
/// invalid_argument when it is not a point of the private key's curve.
template <algorithm_tag Alg>
[[nodiscard]] result<secret_buffer> ecdh(const private_key<Alg>& mine, byte_view peer_raw) {
  static_assert(PKI_HAS_ECDH && detail::when_used<Alg>,
                "pki::ecdh needs an mbedTLS built with MBEDTLS_ECDH_C");
  auto key = detail::import_for_agreement(mine.native(), mine.algorithm());
  if (!key) return std::unexpected(key.error());
  return detail::raw_agreement(*key, mine.algorithm(), peer_raw);
}

/// HKDF over the ECDH shared secret: `length` bytes of key material for `info`; fails as
/// ecdh() and hkdf() do. The raw shared secret never leaves the call.
template <algorithm_tag Alg>
[[nodiscard]] result<secret_buffer> ecdh_hkdf(const private_key<Alg>& mine, const public_key<Alg>& peer,
                                              hash_algorithm alg, byte_view salt, byte_view info,
                                              std::size_t length) {
  auto shared = ecdh(mine, peer);
  if (!shared) return shared;
  return hkdf(alg, *shared, salt, info, length);
}

}  // namespace pki
