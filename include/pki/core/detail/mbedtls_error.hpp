#pragma once
// Maps mbedTLS and PSA status codes to errc. mbedTLS codes are a high-level
// part (module, 0x1000..0x7F80) plus a low-level part (0x01..0x7F); PSA
// statuses are -128..-255. Codes are matched as sets, so new codes added in a
// later mbedTLS fall into a sensible class, and the raw code is always kept.

#include <psa/crypto.h>

#include <mbedtls/asn1.h>
#include <mbedtls/pk.h>

#include "../error.hpp"

namespace pki::detail {

[[nodiscard]] constexpr errc errc_from_psa(int status) noexcept {
  switch (status) {
    case PSA_ERROR_NOT_SUPPORTED: return errc::unsupported;
    case PSA_ERROR_INVALID_ARGUMENT: return errc::invalid_argument;
    case PSA_ERROR_BUFFER_TOO_SMALL: return errc::buffer_too_small;
    case PSA_ERROR_INSUFFICIENT_MEMORY: return errc::out_of_memory;
    case PSA_ERROR_INSUFFICIENT_ENTROPY: return errc::random_failed;
    case PSA_ERROR_INVALID_SIGNATURE: return errc::bad_signature;
    case PSA_ERROR_DATA_INVALID:
    case PSA_ERROR_INSUFFICIENT_DATA: return errc::parse_failed;
    default: return errc::crypto_failed;
  }
}

[[nodiscard]] constexpr errc errc_from_low_level(int low) noexcept {
  switch (low) {
    case 0x60:
    case 0x62:
    case 0x64:
    case 0x66:
    case 0x68:  // ASN1_*: malformed DER
    case 0x2C:  // BASE64_INVALID_CHARACTER
      return errc::parse_failed;
    case 0x6A:
    case 0x10: return errc::out_of_memory;  // ASN1/MPI_ALLOC_FAILED
    case 0x6C:
    case 0x08:
    case 0x2A: return errc::buffer_too_small;
    case 0x34:
    case 0x3C:
    case 0x3D:
    case 0x40: return errc::random_failed;  // DRBG/entropy
    case 0x2E: return errc::unsupported;    // OID_NOT_FOUND
    default: return errc::crypto_failed;
  }
}

[[nodiscard]] constexpr errc errc_from_high_level(int high) noexcept {
  switch (high) {
    // PK
    case 0x3F80: return errc::out_of_memory;
    case 0x3F00: return errc::algorithm_mismatch;
    case 0x3E80: return errc::invalid_argument;
    case 0x3E00: return errc::io_failed;
    case 0x3D80:
    case 0x3D00:
    case 0x3B00: return errc::parse_failed;
    case 0x3C80:
    case 0x3A80:
    case 0x3A00:
    case 0x3980: return errc::unsupported;
    case 0x3C00: return errc::password_required;
    case 0x3B80: return errc::bad_password;
    case 0x3900: return errc::bad_signature;  // PK_SIG_LEN_MISMATCH
    case 0x3880: return errc::buffer_too_small;
    // PEM
    case 0x1080:
    case 0x1100:
    case 0x1200: return errc::parse_failed;
    case 0x1180: return errc::out_of_memory;
    case 0x1280:
    case 0x1400: return errc::unsupported;
    case 0x1300: return errc::password_required;
    case 0x1380: return errc::bad_password;
    case 0x1480: return errc::invalid_argument;
    // PKCS#5 and PKCS#12 (password-based encryption)
    case 0x2F80:
    case 0x1F80: return errc::invalid_argument;
    case 0x2F00:
    case 0x1E80: return errc::parse_failed;
    case 0x2E80:
    case 0x1F00: return errc::unsupported;
    case 0x2E00:
    case 0x1E00: return errc::bad_password;
    // RSA
    case 0x4080: return errc::invalid_argument;
    case 0x4100:
    case 0x4380: return errc::bad_signature;  // INVALID_PADDING, VERIFY_FAILED
    case 0x4200: return errc::parse_failed;   // KEY_CHECK_FAILED
    case 0x4400: return errc::buffer_too_small;
    case 0x4480: return errc::random_failed;
    // ECP
    case 0x4F80: return errc::invalid_argument;
    case 0x4F00: return errc::buffer_too_small;
    case 0x4E80: return errc::unsupported;
    case 0x4E00:
    case 0x4C00: return errc::bad_signature;
    case 0x4D80: return errc::out_of_memory;
    case 0x4D00: return errc::random_failed;
    case 0x4C80:
      return errc::parse_failed;  // INVALID_KEY
    // MD and cipher
    case 0x5080:
    case 0x6080: return errc::unsupported;
    case 0x5100:
    case 0x6100: return errc::invalid_argument;
    case 0x5180:
    case 0x6180: return errc::out_of_memory;
    case 0x5200: return errc::io_failed;
    case 0x6200:
    case 0x6280: return errc::bad_password;  // bad padding after decryption
    case 0x6300:
      return errc::bad_signature;  // AEAD tag mismatch
    // X.509
    case 0x2080:
    case 0x2100:
    case 0x2580:
    case 0x2600: return errc::unsupported;
    case 0x2180:
    case 0x2200:
    case 0x2280:
    case 0x2300:
    case 0x2380:
    case 0x2400:
    case 0x2480:
    case 0x2500:
    case 0x2680:
    case 0x2780: return errc::parse_failed;
    case 0x2700: return errc::bad_signature;
    case 0x2800: return errc::invalid_argument;
    case 0x2880: return errc::out_of_memory;
    case 0x2900: return errc::io_failed;
    case 0x2980: return errc::buffer_too_small;
    default: return errc::crypto_failed;
  }
}

/// The errc for an mbedTLS or PSA status (0 is not an error; callers check).
[[nodiscard]] constexpr errc errc_from_mbedtls(int code) noexcept {
  if (code >= 0) return errc::crypto_failed;
  const int magnitude = -code;
  if (magnitude >= 0x80 && magnitude <= 0xFF) return errc_from_psa(code);
  const int high = magnitude & 0xFF80;
  const int low = magnitude & 0x7F;
  // Memory ran out underneath, whatever the module above made of it (ECP reports "bad input"
  // over a bignum that could not grow): MPI_ALLOC_FAILED, ASN1_ALLOC_FAILED.
  if (low == 0x10 || low == 0x6A) return errc::out_of_memory;
  // An ASN.1 decoding error under any module means the input is malformed, even where
  // the module reports it as, say, an unknown algorithm (it could not read the OID).
  if (low >= 0x60 && low <= 0x68) return errc::parse_failed;
  if (high != 0) {
    const errc from_high = errc_from_high_level(high);
    // A module's generic "invalid format" wrapping an ASN.1 error is a parse error.
    if (from_high != errc::crypto_failed || low == 0) return from_high;
  }
  return errc_from_low_level(low);
}

/// An error from an mbedTLS or PSA status, keeping the raw code.
[[nodiscard]] constexpr error mbedtls_error(int code, const char* context) noexcept {
  return error(errc_from_mbedtls(code), context, code);
}

/// Shorthand: `return detail::mbedtls_failure(ret, "signing")`.
[[nodiscard]] constexpr std::unexpected<error> mbedtls_failure(int code, const char* context) noexcept {
  return std::unexpected<error>(mbedtls_error(code, context));
}

}  // namespace pki::detail
