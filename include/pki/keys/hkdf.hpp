#pragma once
// HKDF (RFC 5869) over SHA-256, SHA-384 and SHA-512: the key derivation under ECDH and
// HPKE. Every output is a secret_buffer, wiped when freed.

#include <mbedtls/hkdf.h>

#include <cstddef>

#include "../core/bytes.hpp"
#include "../core/config.hpp"
#include "../core/detail/mbedtls_error.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "detail/feature.hpp"

namespace pki {

namespace detail {
[[nodiscard]] inline result<const mbedtls_md_info_t*> hkdf_md(hash_algorithm alg) noexcept {
  if (alg != hash_algorithm::sha256 && alg != hash_algorithm::sha384 && alg != hash_algorithm::sha512) {
    return fail(errc::unsupported, "HKDF is offered with SHA-256, SHA-384 and SHA-512 only");
  }
  return md_info(alg);
}
}  // namespace detail

/// The longest output HKDF-Expand gives with `alg`: 255 hash lengths (RFC 5869 2.3).
[[nodiscard]] constexpr std::size_t hkdf_max_length(hash_algorithm alg) noexcept {
  return 255 * digest_size(alg);
}

namespace detail {
// The work, for callers that choose HKDF at run time (HPKE's suite ids): errc::unsupported
// where mbedTLS has no HKDF. The public functions below refuse to compile instead.
[[nodiscard]] inline result<secret_buffer> hkdf_extract_checked(hash_algorithm alg, byte_view salt,
                                                                byte_view ikm) {
#if PKI_HAS_HKDF
  auto md = hkdf_md(alg);
  if (!md) return std::unexpected(md.error());
  secret_buffer prk(digest_size(alg));
  const int ret = mbedtls_hkdf_extract(*md, salt.data(), salt.size(), ikm.data(), ikm.size(), prk.data());
  if (ret != 0) return mbedtls_failure(ret, "HKDF-Extract");
  return prk;
#else
  (void)alg, (void)salt, (void)ikm;
  return fail(errc::unsupported, "HKDF needs an mbedTLS built with MBEDTLS_HKDF_C");
#endif
}

[[nodiscard]] inline result<secret_buffer> hkdf_expand_checked(hash_algorithm alg, byte_view prk,
                                                               byte_view info, std::size_t length) {
#if PKI_HAS_HKDF
  auto md = hkdf_md(alg);
  if (!md) return std::unexpected(md.error());
  if (length == 0 || length > hkdf_max_length(alg)) {
    return fail(errc::invalid_argument, "HKDF output length is 0 or above 255 hash lengths");
  }
  if (prk.size() < digest_size(alg)) return fail(errc::invalid_argument, "HKDF PRK is shorter than the hash");
  secret_buffer okm(length);
  const int ret =
      mbedtls_hkdf_expand(*md, prk.data(), prk.size(), info.data(), info.size(), okm.data(), length);
  if (ret != 0) return mbedtls_failure(ret, "HKDF-Expand");
  return okm;
#else
  (void)alg, (void)prk, (void)info, (void)length;
  return fail(errc::unsupported, "HKDF needs an mbedTLS built with MBEDTLS_HKDF_C");
#endif
}
}  // namespace detail

/// HKDF-Extract(salt, ikm): a pseudorandom key of one hash length; unsupported for a hash
/// other than SHA-256/384/512. An empty salt means a hash length of zeros.
template <class Enable = void>
[[nodiscard]] result<secret_buffer> hkdf_extract(hash_algorithm alg, byte_view salt, byte_view ikm) {
  static_assert(PKI_HAS_HKDF && detail::when_used<Enable>,
                "pki::hkdf_extract needs an mbedTLS built with MBEDTLS_HKDF_C");
  return detail::hkdf_extract_checked(alg, salt, ikm);
}

/// HKDF-Expand(prk, info, length); invalid_argument when `length` is 0 or above
/// hkdf_max_length(alg), or `prk` is shorter than a hash length.
template <class Enable = void>
[[nodiscard]] result<secret_buffer> hkdf_expand(hash_algorithm alg, byte_view prk, byte_view info,
                                                std::size_t length) {
  static_assert(PKI_HAS_HKDF && detail::when_used<Enable>,
                "pki::hkdf_expand needs an mbedTLS built with MBEDTLS_HKDF_C");
  return detail::hkdf_expand_checked(alg, prk, info, length);
}

/// HKDF(salt, ikm, info, length): Extract then Expand; fails as hkdf_expand does.
template <class Enable = void>
[[nodiscard]] result<secret_buffer> hkdf(hash_algorithm alg, byte_view ikm, byte_view salt, byte_view info,
                                         std::size_t length) {
  auto prk = hkdf_extract<Enable>(alg, salt, ikm);
  if (!prk) return prk;
  return hkdf_expand<Enable>(alg, *prk, info, length);
}

}  // namespace pki
