#pragma once
// Authenticated encryption with associated data through PSA Crypto: AES-GCM (128, 192
// or 256-bit keys) and ChaCha20-Poly1305 (RFC 8439). The key lives in a PSA key slot that
// is destroyed, and so wiped, with its owner. Opening never hands out plaintext that did
// not authenticate: the output is wiped on failure.

#include <mbedtls/platform_util.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "../core/bytes.hpp"
#include "../core/config.hpp"
#include "../core/detail/mbedtls_error.hpp"
#include "../core/detail/psa.hpp"
#include "../core/error.hpp"

namespace pki {

/// AEAD ciphers. AES-GCM takes a 16, 24 or 32-byte key, ChaCha20-Poly1305 a 32-byte one.
enum class aead_cipher : std::uint8_t { aes_gcm, chacha20_poly1305 };

/// A symmetric AEAD key (move-only; its PSA slot is destroyed with it).
class aead_key {
 public:
  /// The cipher keyed with `key`, producing `tag_length`-byte tags (AES-GCM: 4, 8 or
  /// 12..16; ChaCha20-Poly1305: 16); invalid_argument for another key or tag length,
  /// unsupported when the cipher is compiled out (MBEDTLS_GCM_C / MBEDTLS_CHACHAPOLY_C).
  [[nodiscard]] static result<aead_key> create(aead_cipher cipher, byte_view key,
                                               std::size_t tag_length = 16) {
    if (auto ready = detail::ensure_psa(); !ready) return std::unexpected(ready.error());
    psa_key_type_t type = PSA_KEY_TYPE_AES;
    psa_algorithm_t base = PSA_ALG_GCM;
    if (cipher == aead_cipher::aes_gcm) {
      if (!PKI_HAS_AES_GCM) return fail(errc::unsupported, "AES-GCM needs MBEDTLS_AES_C and MBEDTLS_GCM_C");
      if (key.size() != 16 && key.size() != 24 && key.size() != 32) {
        return fail(errc::invalid_argument, "an AES-GCM key has 16, 24 or 32 bytes");
      }
      const bool allowed_tag = tag_length == 4 || tag_length == 8 || (tag_length >= 12 && tag_length <= 16);
      if (!allowed_tag) return fail(errc::invalid_argument, "an AES-GCM tag has 4, 8 or 12 to 16 bytes");
    } else {
      if (!PKI_HAS_CHACHAPOLY) return fail(errc::unsupported, "ChaCha20-Poly1305 needs MBEDTLS_CHACHAPOLY_C");
      if (key.size() != 32) return fail(errc::invalid_argument, "a ChaCha20-Poly1305 key has 32 bytes");
      if (tag_length != 16) return fail(errc::invalid_argument, "a ChaCha20-Poly1305 tag has 16 bytes");
      type = PSA_KEY_TYPE_CHACHA20;
      base = PSA_ALG_CHACHA20_POLY1305;
    }
    const psa_algorithm_t alg = PSA_ALG_AEAD_WITH_SHORTENED_TAG(base, tag_length);
    psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&attributes, type);
    psa_set_key_bits(&attributes, key.size() * 8);
    psa_set_key_usage_flags(&attributes, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT);
    psa_set_key_algorithm(&attributes, alg);
    mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
    const psa_status_t status = psa_import_key(&attributes, key.data(), key.size(), &id);
    psa_reset_key_attributes(&attributes);
    if (status != PSA_SUCCESS) return detail::mbedtls_failure(status, "importing an AEAD key");
    return aead_key(detail::psa_key(id), alg, tag_length, cipher);
  }

  /// The length of the tag each sealed message carries.
  [[nodiscard]] std::size_t tag_length() const noexcept { return tag_length_; }

  /// Encrypts and authenticates into `out` (at least plaintext + tag_length() bytes):
  /// ciphertext then tag; returns the length. invalid_argument for a nonce the cipher
  /// does not take (ChaCha20-Poly1305: 12 bytes), buffer_too_small.
  [[nodiscard]] result<std::size_t> seal_into(byte_view nonce, byte_view aad, byte_view plaintext,
                                              std::span<std::uint8_t> out) const noexcept {
    if (out.size() < plaintext.size() + tag_length_) {
      return fail(errc::buffer_too_small, "AEAD output has no room for the ciphertext and tag");
    }
    if (auto ok = check_nonce(nonce); !ok) return std::unexpected(ok.error());
    std::size_t written = 0;
    const psa_status_t status =
        psa_aead_encrypt(key_.id(), alg_, nonce.data(), nonce.size(), aad.data(), aad.size(),
                         plaintext.data(), plaintext.size(), out.data(), out.size(), &written);
    if (status != PSA_SUCCESS) return detail::mbedtls_failure(status, "AEAD encryption");
    return written;
  }

  /// Ciphertext then tag in a new buffer; fails as seal_into().
  [[nodiscard]] result<byte_buffer> seal(byte_view nonce, byte_view aad, byte_view plaintext) const {
    byte_buffer out(plaintext.size() + tag_length_);
    auto written = seal_into(nonce, aad, plaintext, out);
    if (!written) return std::unexpected(written.error());
    out.resize(*written);
    return out;
  }

  /// Authenticates and decrypts ciphertext-then-tag into `out` (at least ciphertext minus
  /// tag bytes); returns the plaintext length. decryption_failed when the tag does not
  /// verify or the input is shorter than a tag (`out` is then wiped), invalid_argument for
  /// a nonce the cipher does not take.
  [[nodiscard]] result<std::size_t> open_into(byte_view nonce, byte_view aad, byte_view ciphertext,
                                              std::span<std::uint8_t> out) const noexcept {
    if (ciphertext.size() < tag_length_)
      return fail(errc::decryption_failed, "AEAD input is shorter than a tag");
    const std::size_t plain_size = ciphertext.size() - tag_length_;
    if (out.size() < plain_size)
      return fail(errc::buffer_too_small, "AEAD output has no room for the plaintext");
    if (auto ok = check_nonce(nonce); !ok) return std::unexpected(ok.error());
    std::size_t written = 0;
    const psa_status_t status =
        psa_aead_decrypt(key_.id(), alg_, nonce.data(), nonce.size(), aad.data(), aad.size(),
                         ciphertext.data(), ciphertext.size(), out.data(), plain_size, &written);
    if (status != PSA_SUCCESS) {
      mbedtls_platform_zeroize(out.data(), plain_size);
      if (status == PSA_ERROR_INVALID_SIGNATURE) {
        return std::unexpected(error(errc::decryption_failed, "AEAD tag does not verify", status));
      }
      return detail::mbedtls_failure(status, "AEAD decryption");
    }
    return written;
  }

  /// The plaintext in a buffer that is wiped when freed; fails as open_into().
  [[nodiscard]] result<secret_buffer> open(byte_view nonce, byte_view aad, byte_view ciphertext) const {
    if (ciphertext.size() < tag_length_)
      return fail(errc::decryption_failed, "AEAD input is shorter than a tag");
    secret_buffer out(ciphertext.size() - tag_length_);
    auto written = open_into(nonce, aad, ciphertext, out);
    if (!written) return std::unexpected(written.error());
    out.resize(*written);
    return out;
  }

 private:
  aead_key(detail::psa_key key, psa_algorithm_t alg, std::size_t tag_length, aead_cipher cipher) noexcept
      : key_(std::move(key)), alg_(alg), tag_length_(tag_length), cipher_(cipher) {}

  /// ChaCha20-Poly1305 takes 12-byte nonces (RFC 8439), GCM any non-empty one.
  [[nodiscard]] result<void> check_nonce(byte_view nonce) const noexcept {
    if (cipher_ == aead_cipher::chacha20_poly1305 ? nonce.size() != 12 : nonce.empty()) {
      return fail(errc::invalid_argument, "the nonce's length does not suit the AEAD cipher");
    }
    return {};
  }

  detail::psa_key key_;
  psa_algorithm_t alg_ = 0;
  std::size_t tag_length_ = 16;
  aead_cipher cipher_ = aead_cipher::aes_gcm;
};

}  // namespace pki
