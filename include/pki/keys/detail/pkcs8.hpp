#pragma once
// PKCS#8 (RFC 5208/5958) writing, which mbedTLS 3.6 lacks: PrivateKeyInfo around
// the traditional key, and EncryptedPrivateKeyInfo with PBES2 (RFC 8018):
// PBKDF2-HMAC-SHA256 and AES-256-CBC, the scheme OpenSSL 3 writes by default.

#include <mbedtls/cipher.h>
#include <mbedtls/pkcs5.h>

#include <array>
#include <string_view>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/detail/handle.hpp"
#include "../../core/random.hpp"
#include "../algorithm.hpp"
#include "oid.hpp"

namespace pki::detail {

[[nodiscard]] constexpr std::string_view curve_oid(curve c) noexcept {
  switch (c) {
    case curve::p256: return oid::secp256r1;
    case curve::p384: return oid::secp384r1;
    case curve::p521: return oid::secp521r1;
    case curve::x25519:  // RFC 8410 keys name no curve parameters
    case curve::none: break;
  }
  return {};
}

/// PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING traditional }.
[[nodiscard]] inline result<secret_buffer> wrap_pkcs8(const key_algorithm& alg, byte_view traditional) {
  der_writer w(traditional.size() + 64);
  w.octet_string(traditional);
  const std::size_t alg_start = w.mark();
  if (alg.type == key_type::rsa) {
    w.null();
    w.oid(oid::rsa_encryption);
  } else {
    w.oid(curve_oid(alg.ec_curve));
    w.oid(oid::ec_public_key);
  }
  w.sequence(alg_start);
  w.integer(0);
  w.sequence(0);
  return w.finish();
}

#if PKI_HAS_ENCRYPTED_PKCS8

using cipher_handle = handle<mbedtls_cipher_context_t, mbedtls_cipher_init, mbedtls_cipher_free>;

/// AES-256-CBC with PKCS#7 padding.
[[nodiscard]] inline result<secret_buffer> aes256_cbc_encrypt(byte_view key, byte_view iv, byte_view plain) {
  const mbedtls_cipher_info_t* info = mbedtls_cipher_info_from_type(MBEDTLS_CIPHER_AES_256_CBC);
  if (info == nullptr) return fail(errc::unsupported, "AES-256-CBC is not in this mbedTLS build");
  auto ctx = cipher_handle::create();
  if (!ctx) return std::unexpected(ctx.error());
  int ret = mbedtls_cipher_setup(ctx->get(), info);
  if (ret == 0) ret = mbedtls_cipher_setkey(ctx->get(), key.data(), 256, MBEDTLS_ENCRYPT);
  if (ret == 0) ret = mbedtls_cipher_set_padding_mode(ctx->get(), MBEDTLS_PADDING_PKCS7);
  secret_buffer out(plain.size() + 16);
  std::size_t written = 0;
  if (ret == 0) {
    ret = mbedtls_cipher_crypt(ctx->get(), iv.data(), iv.size(), plain.data(), plain.size(), out.data(),
                               &written);
  }
  if (ret != 0) return mbedtls_failure(ret, "encrypting a PKCS#8 key");
  out.resize(written);
  return out;
}

/// EncryptedPrivateKeyInfo around a PrivateKeyInfo, keyed by a password.
[[nodiscard]] inline result<secret_buffer> encrypt_pkcs8(byte_view private_key_info,
                                                         std::string_view password, unsigned iterations) {
  if (password.empty()) return fail(errc::invalid_argument, "encrypting a key needs a non-empty password");
  if (iterations < 1000) return fail(errc::invalid_argument, "PBKDF2 iterations below 1000 are too weak");
  if (iterations > PKI_MAX_PBKDF2_ITERATIONS) {
    return fail(errc::invalid_argument, "PBKDF2 iterations above PKI_MAX_PBKDF2_ITERATIONS could not be read back");
  }
  std::array<std::uint8_t, 16> salt{};
  std::array<std::uint8_t, 16> iv{};
  if (auto ok = random_bytes(salt); !ok) return std::unexpected(ok.error());
  if (auto ok = random_bytes(iv); !ok) return std::unexpected(ok.error());
  secret_buffer key(32);
  int ret = mbedtls_pkcs5_pbkdf2_hmac_ext(
      MBEDTLS_MD_SHA256, reinterpret_cast<const unsigned char*>(password.data()), password.size(),
      salt.data(), salt.size(), iterations, static_cast<std::uint32_t>(key.size()), key.data());
  if (ret != 0) return mbedtls_failure(ret, "deriving a key from the password");
  auto encrypted = aes256_cbc_encrypt(key, iv, private_key_info);
  if (!encrypted) return std::unexpected(encrypted.error());

  der_writer w(encrypted->size() + 160);
  w.octet_string(*encrypted);
  const std::size_t pbes2_alg = w.mark();
  {
    const std::size_t params = w.mark();
    const std::size_t scheme = w.mark();  // encryptionScheme: aes256-CBC with its IV
    w.octet_string(iv);
    w.oid(oid::aes256_cbc);
    w.sequence(scheme);
    const std::size_t kdf = w.mark();  // keyDerivationFunc: PBKDF2 { salt, iterations, prf }
    {
      const std::size_t kdf_params = w.mark();
      const std::size_t prf = w.mark();
      w.null();
      w.oid(oid::hmac_sha256);
      w.sequence(prf);
      w.integer(static_cast<int>(iterations));
      w.octet_string(salt);
      w.sequence(kdf_params);
    }
    w.oid(oid::pbkdf2);
    w.sequence(kdf);
    w.sequence(params);
  }
  w.oid(oid::pbes2);
  w.sequence(pbes2_alg);
  w.sequence(0);
  return w.finish();
}

#endif  // PKI_HAS_ENCRYPTED_PKCS8

}  // namespace pki::detail
