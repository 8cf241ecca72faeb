#pragma once
// RSASSA-PSS verification (RFC 8017 8.1.2 and EMSA-PSS-VERIFY, 9.1.2) on top of
// mbedTLS's raw RSA public operation. mbedTLS 3.6 hashes M' with the MGF1 hash, so it
// cannot verify signatures whose MGF1 hash differs from the message hash (RFC 4055
// allows it, Wycheproof tests it); this follows the RFC with the two hashes apart.

#include <mbedtls/rsa.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "../../core/bytes.hpp"
#include "../../core/detail/mbedtls_error.hpp"
#include "../../core/error.hpp"
#include "../../core/hash.hpp"

namespace pki::detail {

/// MGF1 (RFC 8017 B.2.1): XORs the mask generated from `seed` into `out`.
[[nodiscard]] inline result<void> mgf1_xor(hash_algorithm h, byte_view seed, std::span<std::uint8_t> out) {
  std::uint32_t counter = 0;
  std::size_t done = 0;
  while (done < out.size()) {
    auto hs = hasher::create(h);
    if (!hs) return std::unexpected(hs.error());
    const std::uint8_t c[4] = {static_cast<std::uint8_t>(counter >> 24),
                               static_cast<std::uint8_t>(counter >> 16),
                               static_cast<std::uint8_t>(counter >> 8), static_cast<std::uint8_t>(counter)};
    if (auto ok = hs->update(seed); !ok) return ok;
    if (auto ok = hs->update(c); !ok) return ok;
    auto block = hs->finish();
    if (!block) return std::unexpected(block.error());
    const std::size_t n = std::min(block->size(), out.size() - done);
    for (std::size_t i = 0; i < n; ++i) out[done + i] ^= block->bytes()[i];
    done += n;
    ++counter;
  }
  return {};
}

/// Verifies an RSASSA-PSS signature over `message_hash`; bad_signature when it does not.
/// `salt_length` nullopt accepts any salt length.
[[nodiscard]] inline result<void> verify_pss(mbedtls_rsa_context& rsa, const digest& message_hash,
                                             hash_algorithm mgf1_hash, std::optional<std::size_t> salt_length,
                                             byte_view sig) {
  auto bad = [](const char* why) { return fail(errc::bad_signature, why); };
  const std::size_t k = mbedtls_rsa_get_len(&rsa);
  if (sig.size() != k) return bad("RSA-PSS signature length is not the modulus length");
  secret_buffer em_full(k);
  if (int ret = mbedtls_rsa_public(&rsa, sig.data(), em_full.data()); ret != 0) {
    // The only input-dependent failure is a signature not below the modulus.
    if (errc_from_mbedtls(ret) == errc::out_of_memory) return mbedtls_failure(ret, "RSA public operation");
    return std::unexpected(error(errc::bad_signature, "RSA-PSS signature is out of range", ret));
  }
  const std::size_t em_bits = mbedtls_rsa_get_bitlen(&rsa) - 1;
  const std::size_t em_len = (em_bits + 7) / 8;
  // When emBits is a multiple of 8, EM is one octet shorter than the modulus.
  if (em_len < k && em_full[0] != 0) return bad("RSA-PSS encoded message is too long");
  std::span<std::uint8_t> em(em_full.data() + (k - em_len), em_len);

  const std::size_t h_len = message_hash.size();
  if (em_len < h_len + (salt_length ? *salt_length : 0) + 2) return bad("RSA-PSS encoding is inconsistent");
  if (em.back() != 0xBC) return bad("RSA-PSS trailer is not 0xBC");
  const std::size_t db_len = em_len - h_len - 1;
  std::span<std::uint8_t> db(em.data(), db_len);
  const byte_view h(em.data() + db_len, h_len);
  const unsigned top_bits = static_cast<unsigned>(8 * em_len - em_bits);
  const std::uint8_t top_mask = static_cast<std::uint8_t>(0xFF << (8 - top_bits));
  if (top_bits != 0 && (db[0] & top_mask) != 0) return bad("RSA-PSS leftmost bits are not zero");
  if (auto ok = mgf1_xor(mgf1_hash, h, db); !ok) return ok;
  if (top_bits != 0) db[0] &= static_cast<std::uint8_t>(~top_mask);

  // DB = PS (zeros) || 0x01 || salt.
  std::size_t one = 0;
  while (one < db_len && db[one] == 0) ++one;
  if (one == db_len || db[one] != 0x01) return bad("RSA-PSS padding is malformed");
  const std::size_t salt_len = db_len - one - 1;
  if (salt_length && salt_len != *salt_length) return bad("RSA-PSS salt length is not the expected one");

  auto hs = hasher::create(message_hash.algorithm());
  if (!hs) return std::unexpected(hs.error());
  static constexpr std::array<std::uint8_t, 8> zeros{};
  if (auto ok = hs->update(zeros); !ok) return ok;
  if (auto ok = hs->update(message_hash.bytes()); !ok) return ok;
  if (auto ok = hs->update(byte_view(db.data() + one + 1, salt_len)); !ok) return ok;
  auto expected = hs->finish();
  if (!expected) return std::unexpected(expected.error());
  if (!std::ranges::equal(expected->bytes(), h)) return bad("RSA-PSS signature does not verify");
  return {};
}

}  // namespace pki::detail
