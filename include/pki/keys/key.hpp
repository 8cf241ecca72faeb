#pragma once
// Asymmetric keys: private_key<Alg> (move-only, owns secrets) and public_key<Alg>
// (a cheap-to-copy immutable value). Alg is a tag from algorithm.hpp, or
// any_algorithm for keys whose algorithm is known only at run time.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "../core/bytes.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "algorithm.hpp"
#include "detail/feature.hpp"
#include "detail/pk.hpp"
#include "detail/pkcs8.hpp"
#include "signature.hpp"

namespace pki {

/// Encodings for private keys. `traditional` is PKCS#1 for RSA and SEC1 for EC.
enum class private_key_format : std::uint8_t { pkcs8, traditional };
/// Encodings for public keys. `pkcs1` (RSAPublicKey) exists only for RSA keys.
enum class public_key_format : std::uint8_t { spki, pkcs1 };

/// Settings for password-encrypted PKCS#8 (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC).
struct encryption_options {
  unsigned pbkdf2_iterations = 100'000;
};

template <algorithm_tag Alg = any_algorithm>
class public_key;
template <algorithm_tag Alg = any_algorithm>
class private_key;

namespace detail {
struct key_access;

template <class Sig>
byte_view signature_bytes(const Sig& sig) noexcept {
  if constexpr (std::is_convertible_v<const Sig&, byte_view>) {
    return static_cast<byte_view>(sig);
  } else {
    return sig.bytes();
  }
}
}  // namespace detail

/// A public key. Copies share one immutable parsed key, safe to verify with from many threads.
template <algorithm_tag Alg>
class public_key {
  static_assert(detail::compiled_in<Alg>());

 public:
  /// Parses SubjectPublicKeyInfo or RSAPublicKey, PEM or DER; parse_failed, unsupported,
  /// key_out_of_bounds (an RSA exponent outside [3, 2^32) or a modulus above
  /// PKI_MAX_RSA_BITS), or algorithm_mismatch when Alg names another algorithm.
  [[nodiscard]] static result<public_key> parse(byte_view pem_or_der) {
    return detail::out_of_memory_guard("parsing a public key", [&]() -> result<public_key> {
      auto owner = std::make_shared<detail::shared_pk>();
      if (auto parsed = detail::parse_public_into(owner->context, pem_or_der); !parsed)
        return std::unexpected(parsed.error());
      return adopt(std::shared_ptr<mbedtls_pk_context>(owner, &owner->context));
    });
  }
  /// Parses a PEM "PUBLIC KEY" or "RSA PUBLIC KEY" block.
  [[nodiscard]] static result<public_key> from_pem(std::string_view pem) {
    if (!pem::looks_like_pem(as_bytes(pem))) return fail(errc::parse_failed, "public key text is not PEM");
    return parse(as_bytes(pem));
  }
  /// Parses DER SubjectPublicKeyInfo (or RSAPublicKey).
  [[nodiscard]] static result<public_key> from_der(byte_view der) { return parse(der); }

  /// Widens a typed key to public_key<> (any algorithm).
  template <fixed_algorithm Other>
  requires std::same_as<Alg, any_algorithm> public_key(const public_key<Other>& other)
  noexcept : pk_(other.pk_), alg_(other.alg_) {}

  /// This key as public_key<To>; algorithm_mismatch when it is another algorithm (the
  /// curve, or the RSA size class, included). Only public_key<> narrows to another tag: a
  /// typed key could never pass, so asking does not compile.
  template <fixed_algorithm To>
  requires(std::same_as<Alg, any_algorithm> || std::same_as<Alg, To>)
  [[nodiscard]] result<public_key<To>> narrow() const {
    if (auto ok = detail::check_algorithm<To>(alg_); !ok) return std::unexpected(ok.error());
    return public_key<To>(pk_, alg_);
  }

  [[nodiscard]] const key_algorithm& algorithm() const noexcept { return alg_; }
  [[nodiscard]] std::size_t bits() const noexcept { return alg_.bits; }

  /// DER in the given format; unsupported for pkcs1 on an EC key.
  [[nodiscard]] result<byte_buffer> to_der(public_key_format format = public_key_format::spki) const {
    if (format == public_key_format::spki) return detail::write_spki(native());
    if (alg_.type != key_type::rsa) return fail(errc::unsupported, "PKCS#1 public keys exist only for RSA");
    return detail::write_rsa_public(native());
  }
  /// PEM: "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1).
  [[nodiscard]] result<std::string> to_pem(public_key_format format = public_key_format::spki) const {
    auto der = to_der(format);
    if (!der) return std::unexpected(der.error());
    return pem::encode(format == public_key_format::spki ? "PUBLIC KEY" : "RSA PUBLIC KEY", *der);
  }

  /// SHA-256 over the DER SubjectPublicKeyInfo (the value HPKP and SPKI pinning use).
  [[nodiscard]] result<digest> fingerprint() const {
    auto der = to_der();
    if (!der) return std::unexpected(der.error());
    return sha256(*der);
  }

  /// Verifies a signature over `message`; bad_signature when it does not verify.
  template <class Sig>
  [[nodiscard]] result<void> verify(byte_view message, const Sig& sig, const signature_options& opts = {})
      const requires signing_algorithm<Alg> {
    auto d = hash(opts.hash.value_or(alg_.default_hash()), message);
    if (!d) return std::unexpected(d.error());
    return verify_digest(*d, sig, opts);
  }
  /// Verifies a signature over a precomputed digest (its algorithm is the signature's hash).
  template <class Sig>
  [[nodiscard]] result<void> verify_digest(const digest& d, const Sig& sig,
                                           const signature_options& opts = {}) const requires
      signing_algorithm<Alg> {
    return detail::verify_digest(native(), alg_, d, detail::signature_bytes(sig), opts);
  }

  /// The underlying mbedTLS context, for calling mbedTLS directly (e.g. TLS configuration).
  [[nodiscard]] mbedtls_pk_context& native() const noexcept { return *pk_; }

  /// Same key material (compares SubjectPublicKeyInfo).
  friend bool operator==(const public_key& a, const public_key& b) {
    if (a.pk_ == b.pk_) return true;
    auto da = a.to_der();
    auto db = b.to_der();
    return da && db && *da == *db;
  }

 private:
  template <algorithm_tag>
  friend class public_key;
  template <algorithm_tag>
  friend class private_key;

  public_key(std::shared_ptr<mbedtls_pk_context> pk, key_algorithm alg) noexcept
      : pk_(std::move(pk)), alg_(alg) {}

  [[nodiscard]] static result<public_key> adopt(detail::pk_handle pk) {
    auto owner = std::make_shared<detail::pk_handle>(std::move(pk));
    return adopt(std::shared_ptr<mbedtls_pk_context>(owner, owner->get()));
  }
  /// The key over a parsed context (shared, never modified again): refused as parse() says.
  [[nodiscard]] static result<public_key> adopt(std::shared_ptr<mbedtls_pk_context> pk) {
    auto alg = detail::algorithm_of(*pk);
    if (!alg) return std::unexpected(alg.error());
    if (auto ok = detail::check_public_key_bounds(*pk, *alg); !ok) return std::unexpected(ok.error());
    if (auto ok = detail::check_algorithm<Alg>(*alg); !ok) return std::unexpected(ok.error());
    return public_key(std::move(pk), *alg);
  }

  // The parsed context; the mbedTLS calls that take it non-const only read it.
  std::shared_ptr<mbedtls_pk_context> pk_;
  key_algorithm alg_;
};

/// A private key. Move-only: it owns secret material, wiped when it is destroyed;
/// copy it with clone(). Signing from several threads at once needs the caller's lock.
template <algorithm_tag Alg>
class private_key {
  static_assert(detail::compiled_in<Alg>());

 public:
  /// A new key pair of algorithm Alg, generated by PSA Crypto.
  [[nodiscard]] static result<private_key> generate() requires fixed_algorithm<Alg> {
    return generate_as(Alg::id);
  }
  /// A new key pair of the algorithm given at run time (private_key<> only).
  [[nodiscard]] static result<private_key> generate(
      const key_algorithm& alg) requires std::same_as<Alg, any_algorithm> {
    return generate_as(alg);
  }

  /// Parses PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1, as PEM or DER. A password is needed
  /// only for encrypted keys (password_required without, bad_password when wrong).
  [[nodiscard]] static result<private_key> parse(byte_view pem_or_der, std::string_view password = {}) {
    return detail::out_of_memory_guard("parsing a private key", [&]() -> result<private_key> {
      auto pk = detail::parse_private(pem_or_der, password);
      if (!pk) return std::unexpected(pk.error());
      return adopt(std::move(*pk));
    });
  }
  /// Parses a PEM private key ("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA/EC PRIVATE KEY").
  [[nodiscard]] static result<private_key> from_pem(std::string_view pem, std::string_view password = {}) {
    if (!pem::looks_like_pem(as_bytes(pem))) return fail(errc::parse_failed, "private key text is not PEM");
    return parse(as_bytes(pem), password);
  }
  /// Parses a DER private key (PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1).
  [[nodiscard]] static result<private_key> from_der(byte_view der, std::string_view password = {}) {
    return parse(der, password);
  }

  private_key(private_key&&) noexcept = default;
  private_key& operator=(private_key&&) noexcept = default;
  private_key(const private_key&) = delete;
  private_key& operator=(const private_key&) = delete;

  /// Widens a typed key to private_key<> (any algorithm).
  template <fixed_algorithm Other>
  requires std::same_as<Alg, any_algorithm> private_key(private_key<Other>&& other)
  noexcept : pk_(std::move(other.pk_)), alg_(other.alg_) {}

  /// This key as private_key<To>, consuming it; algorithm_mismatch (and this key kept) when
  /// it is another algorithm, to the curve and the RSA size class. Only private_key<>
  /// narrows to another tag (a typed key could never pass).
  template <fixed_algorithm To>
  requires(std::same_as<Alg, any_algorithm> || std::same_as<Alg, To>)
  [[nodiscard]] result<private_key<To>> narrow() && {
    if (auto ok = detail::check_algorithm<To>(alg_); !ok) return std::unexpected(ok.error());
    return private_key<To>(std::move(pk_), alg_);
  }

  /// An independent copy of this key.
  [[nodiscard]] result<private_key> clone() const {
    auto der = detail::write_traditional(native());
    if (!der) return std::unexpected(der.error());
    return parse(*der);
  }

  [[nodiscard]] const key_algorithm& algorithm() const noexcept { return alg_; }
  [[nodiscard]] std::size_t bits() const noexcept { return alg_.bits; }

  /// The matching public key.
  [[nodiscard]] result<pki::public_key<Alg>> public_key() const {
    auto der = detail::write_spki(native());
    if (!der) return std::unexpected(der.error());
    return pki::public_key<Alg>::from_der(*der);
  }

  /// Unencrypted DER: PKCS#8 PrivateKeyInfo (default) or the traditional form (X25519
  /// keys have none: both are RFC 8410 PKCS#8).
  [[nodiscard]] result<secret_buffer> to_der(private_key_format format = private_key_format::pkcs8) const {
    auto traditional = detail::write_traditional(native());
    // mbedTLS writes X25519 keys as RFC 8410 OneAsymmetricKey, PKCS#8 already.
    if (!traditional || format == private_key_format::traditional || alg_.type == key_type::x25519) {
      return traditional;
    }
    return detail::wrap_pkcs8(alg_, *traditional);
  }
  /// Unencrypted PEM: "PRIVATE KEY" (PKCS#8), or "RSA PRIVATE KEY" / "EC PRIVATE KEY".
  [[nodiscard]] result<secret_string> to_pem(private_key_format format = private_key_format::pkcs8) const {
    auto der = to_der(format);
    if (!der) return std::unexpected(der.error());
    return pem::encode<secret_string>(pem_label(format), *der);
  }

  /// Password-encrypted PKCS#8 DER (EncryptedPrivateKeyInfo, PBES2); invalid_argument
  /// for an empty password.
  template <class Enable = void>
  [[nodiscard]] result<secret_buffer> to_encrypted_der(std::string_view password,
                                                       const encryption_options& opts = {}) const {
    static_assert(PKI_HAS_ENCRYPTED_PKCS8 && detail::when_used<Enable>,
                  "encrypted PKCS#8 needs an mbedTLS with MBEDTLS_PKCS5_C, MBEDTLS_CIPHER_C, MBEDTLS_AES_C, "
                  "MBEDTLS_CIPHER_MODE_CBC and MBEDTLS_CIPHER_PADDING_PKCS7");
#if PKI_HAS_ENCRYPTED_PKCS8
    auto info = to_der(private_key_format::pkcs8);
    if (!info) return info;
    return detail::encrypt_pkcs8(*info, password, opts.pbkdf2_iterations);
#else
    (void)password, (void)opts;
    return fail(errc::unsupported, "encrypted PKCS#8 is compiled out");
#endif
  }
  /// Password-encrypted PKCS#8 PEM ("ENCRYPTED PRIVATE KEY").
  template <class Enable = void>
  [[nodiscard]] result<secret_string> to_encrypted_pem(std::string_view password,
                                                       const encryption_options& opts = {}) const {
    auto der = to_encrypted_der<Enable>(password, opts);
    if (!der) return std::unexpected(der.error());
    return pem::encode<secret_string>("ENCRYPTED PRIVATE KEY", *der);
  }

  /// Signs `message` (hashed with opts.hash, or the key's default hash).
  [[nodiscard]] result<signature<Alg>> sign(
      byte_view message, const signature_options& opts = {}) const requires signing_algorithm<Alg> {
    auto d = hash(opts.hash.value_or(alg_.default_hash()), message);
    if (!d) return std::unexpected(d.error());
    return sign_digest(*d, opts);
  }
  /// Signs a precomputed digest; the digest's algorithm is the signature's hash.
  [[nodiscard]] result<signature<Alg>> sign_digest(
      const digest& d, const signature_options& opts = {}) const requires signing_algorithm<Alg> {
    signature<Alg> sig;
    auto length = detail::sign_digest(native(), alg_, d, opts, sig.bytes_.data(), sig.bytes_.size());
    if (!length) return std::unexpected(length.error());
    sig.size_ = *length;
    return sig;
  }

  /// Succeeds when `pub` is this key's public half; key_mismatch otherwise.
  template <algorithm_tag Other>
  [[nodiscard]] result<void> matches(const pki::public_key<Other>& pub) const {
    if (auto ready = detail::ensure_psa(); !ready) return std::unexpected(ready.error());
    const int ret = mbedtls_pk_check_pair(&pub.native(), &native(), detail::rng, detail::rng_state());
    if (ret == 0) return {};
    if (detail::errc_from_mbedtls(ret) == errc::out_of_memory)
      return detail::mbedtls_failure(ret, "comparing keys");
    return std::unexpected(error(errc::key_mismatch, "public key is not the private key's", ret));
  }

  /// The underlying mbedTLS context, for calling mbedTLS directly (e.g. TLS configuration).
  [[nodiscard]] mbedtls_pk_context& native() const noexcept {
    return *pk_;
  }

 private:
  template <algorithm_tag>
  friend class private_key;
  friend struct detail::key_access;

  private_key(detail::pk_handle pk, key_algorithm alg) noexcept : pk_(std::move(pk)), alg_(alg) {}

  [[nodiscard]] static result<private_key> adopt(detail::pk_handle pk) {
    auto alg = detail::algorithm_of(*pk);
    if (!alg) return std::unexpected(alg.error());
    if (auto ok = detail::check_algorithm<Alg>(*alg); !ok) return std::unexpected(ok.error());
    return private_key(std::move(pk), *alg);
  }
  [[nodiscard]] static result<private_key> generate_as(const key_algorithm& alg) {
    return detail::out_of_memory_guard("generating a key pair", [&]() -> result<private_key> {
      auto pk = detail::generate(alg);
      if (!pk) return std::unexpected(pk.error());
      return adopt(std::move(*pk));
    });
  }
  [[nodiscard]] const char* pem_label(private_key_format format) const noexcept {
    if (format == private_key_format::pkcs8 || alg_.type == key_type::x25519) return "PRIVATE KEY";
    return alg_.type == key_type::rsa ? "RSA PRIVATE KEY" : "EC PRIVATE KEY";
  }

  detail::pk_handle pk_;
  key_algorithm alg_;
};

namespace detail {
/// For the library's own constructors of keys (ecdh.hpp, hpke.hpp): a key whose mbedTLS
/// context it built itself, checked only for its algorithm.
struct key_access {
  template <class Key>
  [[nodiscard]] static result<Key> adopt(pk_handle pk) {
    return Key::adopt(std::move(pk));
  }
};

/// `key` as public_key<Alg>: itself for any_algorithm, else narrowed (algorithm_mismatch).
template <algorithm_tag Alg>
[[nodiscard]] result<public_key<Alg>> as_typed(const public_key<>& key) {
  if constexpr (std::same_as<Alg, any_algorithm>) {
    return key;
  } else {
    return key.template narrow<Alg>();
  }
}
}  // namespace detail

/// Succeeds when the two keys are halves of one pair; key_mismatch otherwise.
template <algorithm_tag A, algorithm_tag B>
[[nodiscard]] result<void> check_pair(const private_key<A>& priv, const public_key<B>& pub) {
  return priv.matches(pub);
}

}  // namespace pki
