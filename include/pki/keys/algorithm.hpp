#pragma once
// Key algorithm tags with compile-time traits, and their run-time description.

#include <mbedtls/ecdsa.h>
#include <mbedtls/pk.h>

#include <concepts>
#include <cstddef>
#include <string_view>
#include <type_traits>

#include "../core/config.hpp"
#include "../core/hash.hpp"

namespace pki {

/// `x25519` keys (RFC 7748) agree on secrets and sign nothing.
enum class key_type : std::uint8_t { rsa, ec, x25519 };
enum class curve : std::uint8_t { none, p256, p384, p521, x25519 };

/// A key algorithm known at run time: RSA of some size, ECDSA on a curve, or X25519.
struct key_algorithm {
  key_type type = key_type::ec;
  std::size_t bits = 0;
  curve ec_curve = curve::none;

  /// "RSA-2048", "EC P-256".
  [[nodiscard]] constexpr std::string_view name() const noexcept {
    if (type == key_type::x25519) return "X25519";
    if (type == key_type::ec) {
      switch (ec_curve) {
        case curve::p256: return "EC P-256";
        case curve::p384: return "EC P-384";
        case curve::p521: return "EC P-521";
        case curve::x25519:
        case curve::none: break;
      }
      return "EC (unsupported curve)";
    }
    switch (bits) {
      case 2048: return "RSA-2048";
      case 3072: return "RSA-3072";
      case 4096: return "RSA-4096";
      default: return "RSA";
    }
  }

  /// The hash a signature uses unless told otherwise: matched to the key's strength.
  [[nodiscard]] constexpr hash_algorithm default_hash() const noexcept {
    if (type == key_type::ec && ec_curve == curve::p384) return hash_algorithm::sha384;
    if (type == key_type::ec && ec_curve == curve::p521) return hash_algorithm::sha512;
    return hash_algorithm::sha256;
  }

  friend constexpr bool operator==(const key_algorithm&, const key_algorithm&) = default;
};

/// Algorithm tags. Each names a key algorithm and bounds its signature size. A tag exists
/// whatever mbedTLS compiles in, so that including pki never fails; a key, signature,
/// certificate or CSR of an algorithm mbedTLS lacks does not compile (see
/// detail::compiled_in below).
struct ecdsa_p256 {
  static constexpr key_algorithm id{key_type::ec, 256, curve::p256};
  static constexpr std::size_t max_signature_size = MBEDTLS_ECDSA_MAX_SIG_LEN(256);
};
struct ecdsa_p384 {
  static constexpr key_algorithm id{key_type::ec, 384, curve::p384};
  static constexpr std::size_t max_signature_size = MBEDTLS_ECDSA_MAX_SIG_LEN(384);
};
struct ecdsa_p521 {
  static constexpr key_algorithm id{key_type::ec, 521, curve::p521};
  static constexpr std::size_t max_signature_size = MBEDTLS_ECDSA_MAX_SIG_LEN(521);
};
template <std::size_t Bits>
struct rsa {
  static_assert(Bits == 2048 || Bits == 3072 || Bits == 4096, "pki::rsa<Bits>: Bits is 2048, 3072 or 4096");
  static constexpr key_algorithm id{key_type::rsa, Bits, curve::none};
  static constexpr std::size_t max_signature_size = Bits / 8;
};
/// X25519 (RFC 7748): a key-agreement key for ECDH and HPKE. It signs nothing, so its
/// keys have no sign() or verify().
/// Without Curve25519 in mbedTLS the tag still exists, and what would use it says so (a
/// static_assert in ecdh, hpke; unsupported from generate()).
struct x25519 {
  static constexpr key_algorithm id{key_type::x25519, 255, curve::x25519};
  static constexpr std::size_t max_signature_size = 0;
};
/// A key whose algorithm is known only at run time.
struct any_algorithm {
  static constexpr std::size_t max_signature_size = MBEDTLS_PK_SIGNATURE_MAX_SIZE;
};

namespace detail {
template <class>
inline constexpr bool is_rsa_tag = false;
template <std::size_t Bits>
inline constexpr bool is_rsa_tag<rsa<Bits>> = true;

/// True, or a static_assert naming the mbedTLS options that algorithm Alg needs. The
/// conditions depend on Alg, so they are checked where a type is made of Alg, not where
/// this header is read (an mbedTLS without P-384 still includes all of pki).
template <class Alg>
consteval bool compiled_in() {
  static_assert(!std::is_same_v<Alg, ecdsa_p256> || PKI_HAS_P256,
                "pki::ecdsa_p256 needs an mbedTLS with MBEDTLS_ECDSA_C (or PSA ECDSA) and "
                "MBEDTLS_ECP_DP_SECP256R1_ENABLED");
  static_assert(!std::is_same_v<Alg, ecdsa_p384> || PKI_HAS_P384,
                "pki::ecdsa_p384 needs an mbedTLS with MBEDTLS_ECDSA_C (or PSA ECDSA) and "
                "MBEDTLS_ECP_DP_SECP384R1_ENABLED");
  static_assert(!std::is_same_v<Alg, ecdsa_p521> || PKI_HAS_P521,
                "pki::ecdsa_p521 needs an mbedTLS with MBEDTLS_ECDSA_C (or PSA ECDSA) and "
                "MBEDTLS_ECP_DP_SECP521R1_ENABLED");
  static_assert(!is_rsa_tag<Alg> || PKI_HAS_RSA, "pki::rsa<Bits> needs an mbedTLS with MBEDTLS_RSA_C");
  return true;
}
}  // namespace detail

/// Any algorithm tag.
template <class A>
concept algorithm_tag = requires {
  { A::max_signature_size } -> std::convertible_to<std::size_t>;
};

/// A tag that fixes the algorithm at compile time (everything but any_algorithm).
template <class A>
concept fixed_algorithm = algorithm_tag<A> && requires {
  { A::id } -> std::convertible_to<key_algorithm>;
};

/// A tag whose keys can sign (every tag but x25519; any_algorithm checks at run time).
template <class A>
concept signing_algorithm = algorithm_tag<A> &&(A::max_signature_size > 0);

namespace detail {

[[nodiscard]] constexpr curve curve_from_group(mbedtls_ecp_group_id group) noexcept {
  switch (group) {
    case MBEDTLS_ECP_DP_SECP256R1: return curve::p256;
    case MBEDTLS_ECP_DP_SECP384R1: return curve::p384;
    case MBEDTLS_ECP_DP_SECP521R1: return curve::p521;
#if PKI_HAS_X25519
    case MBEDTLS_ECP_DP_CURVE25519: return curve::x25519;
#endif
    default: return curve::none;
  }
}

[[nodiscard]] constexpr mbedtls_ecp_group_id group_from_curve(curve c) noexcept {
  switch (c) {
    case curve::p256: return MBEDTLS_ECP_DP_SECP256R1;
    case curve::p384: return MBEDTLS_ECP_DP_SECP384R1;
    case curve::p521: return MBEDTLS_ECP_DP_SECP521R1;
#if PKI_HAS_X25519
    case curve::x25519: return MBEDTLS_ECP_DP_CURVE25519;
#endif
    default: break;
  }
  return MBEDTLS_ECP_DP_NONE;
}

/// The algorithm of a parsed key; unsupported for other key types and curves.
[[nodiscard]] inline result<key_algorithm> algorithm_of(const mbedtls_pk_context& pk) noexcept {
  const mbedtls_pk_type_t type = mbedtls_pk_get_type(&pk);
  if (type == MBEDTLS_PK_RSA) {
    return key_algorithm{key_type::rsa, mbedtls_pk_get_bitlen(&pk), curve::none};
  }
#if defined(MBEDTLS_PK_HAVE_ECC_KEYS)  // mbedtls_pk_ec() exists only with EC keys
  if (type == MBEDTLS_PK_ECKEY || type == MBEDTLS_PK_ECDSA) {
    const curve c = curve_from_group(mbedtls_ecp_keypair_get_group_id(mbedtls_pk_ec(pk)));
    if (c == curve::x25519) return key_algorithm{key_type::x25519, 255, c};
    if (c == curve::none) return fail(errc::unsupported, "EC key on a curve other than P-256/384/521");
    return key_algorithm{key_type::ec, mbedtls_pk_get_bitlen(&pk), c};
  }
#endif
  return fail(errc::unsupported, "key is neither RSA nor EC");
}

/// Checks a key's algorithm against a tag: algorithm_mismatch if it is another.
template <algorithm_tag Alg>
[[nodiscard]] result<void> check_algorithm(const key_algorithm& actual) noexcept {
  if constexpr (fixed_algorithm<Alg>) {
    if (!(actual == Alg::id))
      return fail(errc::algorithm_mismatch, "key is not of the algorithm the type names");
  }
  return {};
}

}  // namespace detail
}  // namespace pki
