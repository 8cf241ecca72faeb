#pragma once
// Signatures in a fixed-size buffer, and the options that choose a scheme.

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "../core/bytes.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "algorithm.hpp"

namespace pki {

/// RSA signature padding.
enum class rsa_padding : std::uint8_t { pkcs1_v15, pss };
/// ECDSA signature encoding: DER (X.509, TLS) or raw r||s (IEEE P1363, JOSE, COSE).
enum class ecdsa_encoding : std::uint8_t { der, raw };

/// How to sign or verify. Fields that do not apply to the key's type are ignored. Every
/// member has an initializer, so designated initializers may name any subset of them.
struct signature_options {
  /// The message hash; defaults to the key's (SHA-256; SHA-384 for P-384, SHA-512 for P-521).
  std::optional<hash_algorithm> hash{};
  rsa_padding padding = rsa_padding::pkcs1_v15;
  ecdsa_encoding encoding = ecdsa_encoding::der;
  /// RSA-PSS: the MGF1 hash (default: the message hash). Verification accepts any;
  /// signing supports only the message hash (errc::unsupported otherwise).
  std::optional<hash_algorithm> mgf1_hash{};
  /// RSA-PSS: the salt length. Signing defaults to the hash length; verification accepts
  /// any salt length unless one is given.
  std::optional<std::size_t> pss_salt_length{};
};

/// A signature made by a key of algorithm Alg, held in place (no heap).
template <algorithm_tag Alg = any_algorithm>
class signature {
  static_assert(detail::compiled_in<Alg>());

 public:
  static constexpr std::size_t capacity = Alg::max_signature_size;

  /// A signature from bytes; invalid_argument when empty or too long for Alg.
  [[nodiscard]] static result<signature> from_bytes(byte_view bytes) noexcept {
    if (bytes.empty()) return fail(errc::invalid_argument, "signature is empty");
    if (bytes.size() > capacity)
      return fail(errc::invalid_argument, "signature is longer than the algorithm allows");
    signature sig;
    std::copy(bytes.begin(), bytes.end(), sig.bytes_.begin());
    sig.size_ = bytes.size();
    return sig;
  }

  /// A signature of any algorithm, from this one.
  template <algorithm_tag Other>
  requires(Other::max_signature_size >= capacity && !std::same_as<Other, Alg>) operator signature<Other>()
      const noexcept {
    return *signature<Other>::from_bytes(bytes());
  }

  [[nodiscard]] byte_view bytes() const noexcept { return {bytes_.data(), size_}; }
  [[nodiscard]] const std::uint8_t* data() const noexcept { return bytes_.data(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::string hex() const { return to_hex(bytes()); }
  operator byte_view() const noexcept { return bytes(); }

  friend bool operator==(const signature& a, const signature& b) noexcept {
    return std::ranges::equal(a.bytes(), b.bytes());
  }

 private:
  template <algorithm_tag>
  friend class private_key;
  signature() noexcept = default;
  std::array<std::uint8_t, capacity> bytes_{};
  std::size_t size_ = 0;
};

}  // namespace pki
