#pragma once
// HPKE, Hybrid Public Key Encryption (RFC 9180): the modes base, psk, auth and auth_psk;
// DHKEM(P-256, HKDF-SHA256), DHKEM(P-384, HKDF-SHA384), DHKEM(P-521, HKDF-SHA512) and
// DHKEM(X25519, HKDF-SHA256); HKDF-SHA256/384/512; AES-128-GCM, AES-256-GCM,
// ChaCha20-Poly1305 and export-only.
//
// A suite is a type, hpke::suite<Kem, Kdf, Aead>, and its keys are the library's
// public_key<Tag> / private_key<Tag> of the KEM's tag, so a P-384 key with a P-256 KEM does
// not compile. hpke::suite_id is the same choice made at run time from the wire
// identifiers, checked. Every secret (DH outputs, shared secrets, the key schedule, AEAD
// keys, plaintexts of failed opens) lives in wiped memory or a PSA slot.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "../core/bytes.hpp"
#include "../core/config.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "aead.hpp"
#include "algorithm.hpp"
#include "detail/feature.hpp"
#include "ecdh.hpp"
#include "hkdf.hpp"
#include "key.hpp"

namespace pki::hpke {

/// The four HPKE modes (RFC 9180 5), with their wire values.
enum class mode : std::uint8_t { base = 0x00, psk = 0x01, auth = 0x02, auth_psk = 0x03 };

/// KEMs: each names its wire identifier and the key tag its keys have.
struct dhkem_p256_hkdf_sha256 {
  static constexpr std::uint16_t id = 0x0010;
  using key_tag = ecdsa_p256;
};
struct dhkem_p384_hkdf_sha384 {
  static constexpr std::uint16_t id = 0x0011;
  using key_tag = ecdsa_p384;
};
struct dhkem_p521_hkdf_sha512 {
  static constexpr std::uint16_t id = 0x0012;
  using key_tag = ecdsa_p521;
};
struct dhkem_x25519_hkdf_sha256 {
  static constexpr std::uint16_t id = 0x0020;
  using key_tag = x25519;
};

/// KDFs.
struct hkdf_sha256 {
  static constexpr std::uint16_t id = 0x0001;
};
struct hkdf_sha384 {
  static constexpr std::uint16_t id = 0x0002;
};
struct hkdf_sha512 {
  static constexpr std::uint16_t id = 0x0003;
};

/// AEADs; export_only gives contexts that export secrets and seal nothing.
struct aes_128_gcm {
  static constexpr std::uint16_t id = 0x0001;
};
struct aes_256_gcm {
  static constexpr std::uint16_t id = 0x0002;
};
struct chacha20_poly1305 {
  static constexpr std::uint16_t id = 0x0003;
};
struct export_only {
  static constexpr std::uint16_t id = 0xFFFF;
};

/// A suite chosen at run time, by its wire identifiers (RFC 9180 7).
struct suite_id {
  std::uint16_t kem = 0;
  std::uint16_t kdf = 0;
  std::uint16_t aead = 0;

  /// The suite of these identifiers; unsupported when one is unknown or compiled out.
  [[nodiscard]] static result<suite_id> from_wire(std::uint16_t kem, std::uint16_t kdf,
                                                  std::uint16_t aead) noexcept;

  friend constexpr bool operator==(const suite_id&, const suite_id&) = default;
};

}  // namespace pki::hpke

namespace pki::detail::hpke {

// The vocabulary of pki::hpke (suite_id, mode, psk_input, the contexts), used throughout.
using namespace pki::hpke;

template <class>
inline constexpr bool is_kem = false;
template <>
inline constexpr bool is_kem<dhkem_p256_hkdf_sha256> = true;
template <>
inline constexpr bool is_kem<dhkem_p384_hkdf_sha384> = true;
template <>
inline constexpr bool is_kem<dhkem_p521_hkdf_sha512> = true;
template <>
inline constexpr bool is_kem<dhkem_x25519_hkdf_sha256> = true;

template <class T>
inline constexpr bool is_kdf =
    std::same_as<T, hkdf_sha256> || std::same_as<T, hkdf_sha384> || std::same_as<T, hkdf_sha512>;
template <class T>
inline constexpr bool is_aead = std::same_as<T, aes_128_gcm> || std::same_as<T, aes_256_gcm> ||
                                std::same_as<T, chacha20_poly1305> || std::same_as<T, export_only>;

/// What the key schedule and the KEM need to know of a KEM (RFC 9180 7.1).
struct kem_params {
  std::uint16_t id;
  hash_algorithm hash;
  key_algorithm key;
  std::size_t n_secret;
  std::size_t n_enc;
  std::size_t n_sk;
  std::uint8_t bitmask;  ///< DeriveKeyPair's mask on the first candidate byte (NIST curves)
};

inline constexpr std::array<kem_params, 4> kem_table{{
    {0x0010, hash_algorithm::sha256, {key_type::ec, 256, curve::p256}, 32, 65, 32, 0xFF},
    {0x0011, hash_algorithm::sha384, {key_type::ec, 384, curve::p384}, 48, 97, 48, 0xFF},
    {0x0012, hash_algorithm::sha512, {key_type::ec, 521, curve::p521}, 64, 133, 66, 0x01},
    {0x0020, hash_algorithm::sha256, {key_type::x25519, 255, curve::x25519}, 32, 32, 32, 0x00},
}};

/// The KEM of a wire identifier; null when unknown or compiled out.
[[nodiscard]] constexpr const kem_params* find_kem(std::uint16_t id) noexcept {
  for (const auto& kem : kem_table) {
    if (kem.id == id && (kem.key.type != key_type::x25519 || PKI_HAS_X25519)) return &kem;
  }
  return nullptr;
}

[[nodiscard]] constexpr std::optional<hash_algorithm> find_kdf(std::uint16_t id) noexcept {
  switch (id) {
    case 0x0001: return hash_algorithm::sha256;
    case 0x0002: return hash_algorithm::sha384;
    case 0x0003: return hash_algorithm::sha512;
    default: return std::nullopt;
  }
}

struct aead_params {
  std::uint16_t id;
  aead_cipher cipher;
  std::size_t n_k;
  std::size_t n_n;
  std::size_t n_t;
  [[nodiscard]] constexpr bool exports_only() const noexcept { return n_k == 0; }
};

[[nodiscard]] constexpr std::optional<aead_params> find_aead(std::uint16_t id) noexcept {
  switch (id) {
    case 0x0001:
      if (PKI_HAS_AES_GCM) return aead_params{id, aead_cipher::aes_gcm, 16, 12, 16};
      return std::nullopt;
    case 0x0002:
      if (PKI_HAS_AES_GCM) return aead_params{id, aead_cipher::aes_gcm, 32, 12, 16};
      return std::nullopt;
    case 0x0003:
      if (PKI_HAS_CHACHAPOLY) return aead_params{id, aead_cipher::chacha20_poly1305, 32, 12, 16};
      return std::nullopt;
    case 0xFFFF: return aead_params{id, aead_cipher::aes_gcm, 0, 0, 0};
    default: return std::nullopt;
  }
}

/// The suite's parameters, all three found.
struct suite_params {
  suite_id id;
  const kem_params* kem;
  hash_algorithm kdf;
  aead_params aead;
};

[[nodiscard]] inline result<suite_params> params_of(const suite_id& id) noexcept {
  if constexpr (!PKI_HAS_HPKE) {
    return fail(errc::unsupported, "HPKE needs an mbedTLS built with MBEDTLS_HKDF_C and MBEDTLS_ECDH_C");
  }
  const kem_params* kem = find_kem(id.kem);
  if (kem == nullptr) return fail(errc::unsupported, "HPKE KEM identifier unknown or compiled out");
  const auto kdf = find_kdf(id.kdf);
  if (!kdf) return fail(errc::unsupported, "HPKE KDF identifier unknown");
  const auto aead = find_aead(id.aead);
  if (!aead) return fail(errc::unsupported, "HPKE AEAD identifier unknown or compiled out");
  return suite_params{id, kem, *kdf, *aead};
}

inline void append(secret_buffer& out, byte_view bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}
inline void append_u16(secret_buffer& out, std::size_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

/// "KEM" || I2OSP(kem_id, 2), or "HPKE" || kem || kdf || aead: the suite_id of 4 and 7.1.
using label_suite = std::array<std::uint8_t, 10>;
struct labelled_suite {
  label_suite bytes{};
  std::size_t size = 0;
  [[nodiscard]] byte_view view() const noexcept { return {bytes.data(), size}; }
};
[[nodiscard]] constexpr labelled_suite kem_suite(std::uint16_t kem) noexcept {
  return {{'K', 'E', 'M', static_cast<std::uint8_t>(kem >> 8), static_cast<std::uint8_t>(kem)}, 5};
}
[[nodiscard]] constexpr labelled_suite hpke_suite(const suite_id& id) noexcept {
  return {{'H', 'P', 'K', 'E', static_cast<std::uint8_t>(id.kem >> 8), static_cast<std::uint8_t>(id.kem),
           static_cast<std::uint8_t>(id.kdf >> 8), static_cast<std::uint8_t>(id.kdf),
           static_cast<std::uint8_t>(id.aead >> 8), static_cast<std::uint8_t>(id.aead)},
          10};
}

constexpr std::string_view version_label = "HPKE-v1";

/// LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm).
[[nodiscard]] inline result<secret_buffer> labeled_extract(hash_algorithm hash, const labelled_suite& suite,
                                                           byte_view salt, std::string_view label,
                                                           byte_view ikm) {
  secret_buffer labeled_ikm;
  labeled_ikm.reserve(version_label.size() + suite.size + label.size() + ikm.size());
  append(labeled_ikm, as_bytes(version_label));
  append(labeled_ikm, suite.view());
  append(labeled_ikm, as_bytes(label));
  append(labeled_ikm, ikm);
  return hkdf_extract_checked(hash, salt, labeled_ikm);
}

/// LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id ||
/// label || info, L); invalid_argument for L above 65535 or 255 hash lengths.
[[nodiscard]] inline result<secret_buffer> labeled_expand(hash_algorithm hash, const labelled_suite& suite,
                                                          byte_view prk, std::string_view label,
                                                          byte_view info, std::size_t length) {
  if (length > 0xFFFF) return fail(errc::invalid_argument, "HPKE expands at most 65535 bytes");
  secret_buffer labeled_info;
  labeled_info.reserve(2 + version_label.size() + suite.size + label.size() + info.size());
  append_u16(labeled_info, length);
  append(labeled_info, as_bytes(version_label));
  append(labeled_info, suite.view());
  append(labeled_info, as_bytes(label));
  append(labeled_info, info);
  return hkdf_expand_checked(hash, prk, labeled_info, length);
}

/// ExtractAndExpand(dh, kem_context) of DHKEM (4.1).
[[nodiscard]] inline result<secret_buffer> extract_and_expand(const kem_params& kem, byte_view dh,
                                                              byte_view kem_context) {
  const labelled_suite suite = kem_suite(kem.id);
  auto eae_prk = labeled_extract(kem.hash, suite, {}, "eae_prk", dh);
  if (!eae_prk) return eae_prk;
  return labeled_expand(kem.hash, suite, *eae_prk, "shared_secret", kem_context, kem.n_secret);
}

/// DeriveKeyPair(ikm) of DHKEM (7.1.3): a private key in a PSA slot. invalid_argument for
/// ikm shorter than Nsk.
[[nodiscard]] inline result<psa_key> derive_key_pair(const kem_params& kem, byte_view ikm) {
  if (ikm.size() < kem.n_sk)
    return fail(errc::invalid_argument, "HPKE DeriveKeyPair needs at least Nsk bytes of ikm");
  const labelled_suite suite = kem_suite(kem.id);
  auto dkp_prk = labeled_extract(kem.hash, suite, {}, "dkp_prk", ikm);
  if (!dkp_prk) return std::unexpected(dkp_prk.error());
  if (kem.key.type == key_type::x25519) {
    auto sk = labeled_expand(kem.hash, suite, *dkp_prk, "sk", {}, kem.n_sk);
    if (!sk) return std::unexpected(sk.error());
    return import_raw_private(kem.key, *sk);
  }
  for (unsigned counter = 0; counter < 256; ++counter) {
    const std::uint8_t counter_byte = static_cast<std::uint8_t>(counter);
    auto candidate = labeled_expand(kem.hash, suite, *dkp_prk, "candidate", {&counter_byte, 1}, kem.n_sk);
    if (!candidate) return std::unexpected(candidate.error());
    (*candidate)[0] &= kem.bitmask;
    auto key = import_raw_private(kem.key, *candidate);
    // A candidate that is zero or not below the group order is refused; take the next.
    if (key || key.error().code() != errc::invalid_argument) return key;
  }
  return fail(errc::crypto_failed, "HPKE DeriveKeyPair found no valid scalar in 256 candidates");
}

}  // namespace pki::detail::hpke

namespace pki::hpke {

inline result<suite_id> suite_id::from_wire(std::uint16_t kem, std::uint16_t kdf,
                                            std::uint16_t aead) noexcept {
  const suite_id id{kem, kdf, aead};
  if (auto params = detail::hpke::params_of(id); !params) return std::unexpected(params.error());
  return id;
}

/// A suite as a type. Kem, Kdf and Aead are the structs above; a KEM, KDF or AEAD that
/// mbedTLS compiles out stops compilation with a sentence naming the option.
template <class Kem, class Kdf, class Aead>
struct suite {
  static_assert(detail::hpke::is_kem<Kem>, "hpke::suite: Kem is one of the hpke::dhkem_* types");
  static_assert(detail::hpke::is_kdf<Kdf>,
                "hpke::suite: Kdf is hpke::hkdf_sha256, hkdf_sha384 or hkdf_sha512");
  static_assert(detail::hpke::is_aead<Aead>,
                "hpke::suite: Aead is hpke::aes_128_gcm, aes_256_gcm, chacha20_poly1305 or export_only");
  static_assert(PKI_HAS_HPKE && pki::detail::when_used<Kem>,
                "pki::hpke needs an mbedTLS built with MBEDTLS_HKDF_C and MBEDTLS_ECDH_C");
  static_assert(
      PKI_HAS_X25519 || !std::same_as<Kem, dhkem_x25519_hkdf_sha256>,
      "hpke::dhkem_x25519_hkdf_sha256 needs an mbedTLS built with MBEDTLS_ECP_DP_CURVE25519_ENABLED");
  static_assert(
      PKI_HAS_AES_GCM || !(std::same_as<Aead, aes_128_gcm> || std::same_as<Aead, aes_256_gcm>),
      "hpke::aes_128_gcm and aes_256_gcm need an mbedTLS built with MBEDTLS_AES_C and MBEDTLS_GCM_C");
  static_assert(PKI_HAS_CHACHAPOLY || !std::same_as<Aead, chacha20_poly1305>,
                "hpke::chacha20_poly1305 needs an mbedTLS built with MBEDTLS_CHACHAPOLY_C");

  using kem = Kem;
  using kdf = Kdf;
  using aead = Aead;
  /// The tag of the keys this suite takes.
  using key_tag = typename Kem::key_tag;
  static constexpr suite_id id{Kem::id, Kdf::id, Aead::id};
};

/// A pre-shared key and its identifier (psk and auth_psk modes); both non-empty.
struct psk_input {
  byte_view key{};
  byte_view id{};
};

/// The sender's inputs beyond the recipient's key: `info`, a PSK (psk mode) and the
/// sender's own private key (auth mode); both give auth_psk. The pointer is not owned.
template <algorithm_tag Tag = any_algorithm>
struct sender_options {
  byte_view info{};
  std::optional<psk_input> psk{};
  const private_key<Tag>* sender_key = nullptr;
};

/// The recipient's inputs beyond its key and `enc`: the sender's `info`, PSK and, in auth
/// modes, the sender's public key. The pointer is not owned.
template <algorithm_tag Tag = any_algorithm>
struct recipient_options {
  byte_view info{};
  std::optional<psk_input> psk{};
  const public_key<Tag>* sender_public_key = nullptr;
};

class sender_context;
class recipient_context;

}  // namespace pki::hpke

namespace pki::detail::hpke {

/// The part of a context both sides share: the AEAD key, base nonce, exporter secret and
/// the message sequence (RFC 9180 5.2, 5.3).
class context_state {
 public:
  [[nodiscard]] const suite_id& suite() const noexcept { return params_.id; }
  [[nodiscard]] hpke::mode mode() const noexcept { return mode_; }
  /// The sequence number the next message uses.
  [[nodiscard]] std::uint64_t sequence() const noexcept { return sequence_; }
  /// The AEAD tag length (0 for export-only).
  [[nodiscard]] std::size_t tag_length() const noexcept { return params_.aead.n_t; }

  /// Export(exporter_context, L) (5.3); invalid_argument for L of 0 or above 255 hash lengths.
  [[nodiscard]] result<secret_buffer> export_secret(byte_view exporter_context, std::size_t length) const {
    if (length == 0 || length > hkdf_max_length(params_.kdf)) {
      return fail(errc::invalid_argument, "HPKE exports 1 to 255 hash lengths of secret");
    }
    return labeled_expand(params_.kdf, hpke_suite(params_.id), exporter_secret_, "sec", exporter_context,
                          length);
  }

  /// KeySchedule (5.1) from a KEM's shared secret.
  [[nodiscard]] static result<context_state> schedule(const suite_params& params, hpke::mode mode,
                                                      byte_view shared_secret, byte_view info,
                                                      const std::optional<psk_input>& psk) {
    const bool got_psk = psk && !psk->key.empty();
    const bool got_psk_id = psk && !psk->id.empty();
    if (got_psk != got_psk_id)
      return fail(errc::invalid_argument, "an HPKE PSK needs both a key and an identifier");
    const bool psk_mode = mode == hpke::mode::psk || mode == hpke::mode::auth_psk;
    if (got_psk != psk_mode) return fail(errc::invalid_argument, "the HPKE mode and the PSK inputs disagree");
    const labelled_suite suite = hpke_suite(params.id);
    const byte_view psk_key = got_psk ? psk->key : byte_view{};
    const byte_view psk_id = got_psk ? psk->id : byte_view{};
    auto psk_id_hash = labeled_extract(params.kdf, suite, {}, "psk_id_hash", psk_id);
    if (!psk_id_hash) return std::unexpected(psk_id_hash.error());
    auto info_hash = labeled_extract(params.kdf, suite, {}, "info_hash", info);
    if (!info_hash) return std::unexpected(info_hash.error());
    secret_buffer key_schedule_context;
    key_schedule_context.push_back(static_cast<std::uint8_t>(mode));
    append(key_schedule_context, *psk_id_hash);
    append(key_schedule_context, *info_hash);
    auto secret = labeled_extract(params.kdf, suite, shared_secret, "secret", psk_key);
    if (!secret) return std::unexpected(secret.error());

    context_state state(params, mode);
    if (!params.aead.exports_only()) {
      auto key = labeled_expand(params.kdf, suite, *secret, "key", key_schedule_context, params.aead.n_k);
      if (!key) return std::unexpected(key.error());
      auto base_nonce =
          labeled_expand(params.kdf, suite, *secret, "base_nonce", key_schedule_context, params.aead.n_n);
      if (!base_nonce) return std::unexpected(base_nonce.error());
      auto aead = aead_key::create(params.aead.cipher, *key, params.aead.n_t);
      if (!aead) return std::unexpected(aead.error());
      state.key_.emplace(std::move(*aead));
      state.base_nonce_ = std::move(*base_nonce);
    }
    auto exporter =
        labeled_expand(params.kdf, suite, *secret, "exp", key_schedule_context, digest_size(params.kdf));
    if (!exporter) return std::unexpected(exporter.error());
    state.exporter_secret_ = std::move(*exporter);
    return state;
  }

 protected:
  context_state(const suite_params& params, hpke::mode mode) noexcept : params_(params), mode_(mode) {}

  /// ComputeNonce(seq) into `nonce`; sequence_exhausted when no sequence number is left.
  [[nodiscard]] result<std::array<std::uint8_t, 12>> next_nonce() const {
    if (!key_) return fail(errc::unsupported, "an export-only HPKE context encrypts nothing");
    // The RFC's limit is 2^96 - 1 messages for a 12-byte nonce; a 64-bit counter runs out
    // first, and its last value stays unused so that the counter never wraps.
    if (sequence_ == std::numeric_limits<std::uint64_t>::max()) {
      return fail(errc::sequence_exhausted, "the HPKE context has used every sequence number");
    }
    std::array<std::uint8_t, 12> nonce{};
    std::copy(base_nonce_.begin(), base_nonce_.end(), nonce.begin());
    for (std::size_t i = 0; i < 8; ++i) {
      nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(sequence_ >> (8 * i));
    }
    return nonce;
  }

  /// `crypt(key, nonce)` (the AEAD key's seal_into or open_into) with the next nonce; the
  /// sequence moves on only when it succeeds.
  template <class Crypt>
  [[nodiscard]] result<std::size_t> in_sequence(Crypt&& crypt) {
    auto nonce = next_nonce();
    if (!nonce) return std::unexpected(nonce.error());
    auto written = crypt(*key_, *nonce);
    if (written) ++sequence_;
    return written;
  }

  suite_params params_;
  hpke::mode mode_;
  std::optional<aead_key> key_{};
  secret_buffer base_nonce_{};
  secret_buffer exporter_secret_{};
  std::uint64_t sequence_ = 0;

  friend struct context_access;
};

/// Test-only access: sets a context's sequence number (to reach its end in a test).
struct context_access {
  static void set_sequence(context_state& context, std::uint64_t sequence) noexcept {
    context.sequence_ = sequence;
  }
};

}  // namespace pki::detail::hpke

namespace pki::hpke {

/// The sender's context (RFC 9180 5.2): seals messages in sequence and exports secrets.
/// Move-only; its keys are wiped with it. Not for use from two threads at once.
class sender_context : public detail::hpke::context_state {
 public:
  explicit sender_context(detail::hpke::context_state&& state) noexcept : context_state(std::move(state)) {}

  /// Seal(aad, pt) into `out` (at least plaintext + tag_length() bytes): the ciphertext then
  /// tag, and the sequence moves on; returns the length. sequence_exhausted, unsupported for
  /// an export-only suite, buffer_too_small.
  [[nodiscard]] result<std::size_t> seal_into(byte_view aad, byte_view plaintext,
                                              std::span<std::uint8_t> out) {
    return in_sequence(
        [&](aead_key& key, const auto& nonce) { return key.seal_into(nonce, aad, plaintext, out); });
  }
  /// Seal(aad, pt) in a new buffer; fails as seal_into().
  [[nodiscard]] result<byte_buffer> seal(byte_view aad, byte_view plaintext) {
    byte_buffer out(plaintext.size() + tag_length());
    auto written = seal_into(aad, plaintext, out);
    if (!written) return std::unexpected(written.error());
    out.resize(*written);
    return out;
  }
};

/// The recipient's context (RFC 9180 5.2): opens messages in the sender's sequence and
/// exports the same secrets. A message that fails to open leaves the sequence where it was.
class recipient_context : public detail::hpke::context_state {
 public:
  explicit recipient_context(detail::hpke::context_state&& state) noexcept
      : context_state(std::move(state)) {}

  /// Open(aad, ct) into `out` (at least ciphertext - tag_length() bytes); returns the
  /// plaintext length. decryption_failed when it does not authenticate (`out` wiped),
  /// sequence_exhausted, unsupported for an export-only suite.
  [[nodiscard]] result<std::size_t> open_into(byte_view aad, byte_view ciphertext,
                                              std::span<std::uint8_t> out) {
    return in_sequence(
        [&](aead_key& key, const auto& nonce) { return key.open_into(nonce, aad, ciphertext, out); });
  }
  /// Open(aad, ct): the plaintext in a wiped buffer; fails as open_into().
  [[nodiscard]] result<secret_buffer> open(byte_view aad, byte_view ciphertext) {
    if (ciphertext.size() < tag_length())
      return fail(errc::decryption_failed, "HPKE ciphertext is shorter than a tag");
    secret_buffer out(ciphertext.size() - tag_length());
    auto written = open_into(aad, ciphertext, out);
    if (!written) return std::unexpected(written.error());
    out.resize(*written);
    return out;
  }
};

/// What SetupS gives: the encapsulated key to send, and the context.
struct sender_setup {
  byte_buffer enc;
  sender_context context;
};

/// A single-shot sealed message: the encapsulated key and the ciphertext.
struct sealed_message {
  byte_buffer enc;
  byte_buffer ciphertext;
};

}  // namespace pki::hpke

namespace pki::detail::hpke {

[[nodiscard]] constexpr hpke::mode mode_of(bool psk, bool auth) noexcept {
  if (psk) return auth ? hpke::mode::auth_psk : hpke::mode::psk;
  return auth ? hpke::mode::auth : hpke::mode::base;
}

/// The key of `key_alg` must be the KEM's: algorithm_mismatch otherwise.
[[nodiscard]] inline result<void> check_kem_key(const kem_params& kem,
                                                const key_algorithm& key_alg) noexcept {
  if (!(key_alg == kem.key)) return fail(errc::algorithm_mismatch, "the key is not of the HPKE suite's KEM");
  return {};
}

/// The suite's parameters once the recipient's key, and the sender's in auth modes, are of
/// its KEM; unsupported or algorithm_mismatch otherwise.
[[nodiscard]] inline result<suite_params> params_for_keys(const suite_id& id,
                                                          const key_algorithm& recipient_alg,
                                                          const key_algorithm* sender_alg) noexcept {
  auto params = params_of(id);
  if (!params) return params;
  if (auto ok = check_kem_key(*params->kem, recipient_alg); !ok) return std::unexpected(ok.error());
  if (sender_alg != nullptr) {
    if (auto ok = check_kem_key(*params->kem, *sender_alg); !ok) return std::unexpected(ok.error());
  }
  return params;
}

/// The context of the KEM's DH output and kem_context: ExtractAndExpand, then KeySchedule
/// in the mode the PSK and `auth` give.
[[nodiscard]] inline result<context_state> schedule_from_dh(const suite_params& params, byte_view dh,
                                                            byte_view kem_context, byte_view info,
                                                            const std::optional<psk_input>& psk, bool auth) {
  auto shared_secret = extract_and_expand(*params.kem, dh, kem_context);
  if (!shared_secret) return std::unexpected(shared_secret.error());
  return context_state::schedule(params, mode_of(psk.has_value(), auth), *shared_secret, info, psk);
}

/// SetupS for every mode (Encap or AuthEncap, then KeySchedule). `ephemeral` fixes the
/// ephemeral key (tests with RFC 9180's vectors); null draws a fresh one.
[[nodiscard]] inline result<sender_setup> setup_sender(
    const suite_id& id, const mbedtls_pk_context& recipient, const key_algorithm& recipient_alg,
    byte_view info, const std::optional<psk_input>& psk, const mbedtls_pk_context* sender,
    const key_algorithm* sender_alg, const psa_key* ephemeral) {
  auto params = params_for_keys(id, recipient_alg, sender != nullptr ? sender_alg : nullptr);
  if (!params) return std::unexpected(params.error());
  const kem_params& kem = *params->kem;
  auto pk_rm = raw_public(recipient, recipient_alg);
  if (!pk_rm) return std::unexpected(pk_rm.error());

  std::optional<psa_key> fresh;
  if (ephemeral == nullptr) {
    auto generated = generate_for_agreement(kem.key);
    if (!generated) return std::unexpected(generated.error());
    fresh.emplace(std::move(*generated));
    ephemeral = &*fresh;
  }
  auto enc = export_raw_public(*ephemeral);
  if (!enc) return std::unexpected(enc.error());
  auto dh = raw_agreement(*ephemeral, kem.key, *pk_rm);
  if (!dh) return std::unexpected(dh.error());
  secret_buffer kem_context;
  append(kem_context, *enc);
  append(kem_context, *pk_rm);
  if (sender != nullptr) {
    auto sender_key = import_for_agreement(*sender, *sender_alg);
    if (!sender_key) return std::unexpected(sender_key.error());
    auto dh_static = raw_agreement(*sender_key, kem.key, *pk_rm);
    if (!dh_static) return std::unexpected(dh_static.error());
    append(*dh, *dh_static);
    auto pk_sm = raw_public(*sender, *sender_alg);
    if (!pk_sm) return std::unexpected(pk_sm.error());
    append(kem_context, *pk_sm);
  }
  auto state = schedule_from_dh(*params, *dh, kem_context, info, psk, sender != nullptr);
  if (!state) return std::unexpected(state.error());
  return sender_setup{std::move(*enc), sender_context(std::move(*state))};
}

/// SetupR for every mode (Decap or AuthDecap, then KeySchedule). An `enc` that is not a
/// point of the curve is decryption_failed: to the recipient it is tampering like any other.
[[nodiscard]] inline result<recipient_context> setup_recipient(
    const suite_id& id, const mbedtls_pk_context& recipient, const key_algorithm& recipient_alg,
    byte_view enc, byte_view info, const std::optional<psk_input>& psk, const mbedtls_pk_context* sender,
    const key_algorithm* sender_alg) {
  auto params = params_for_keys(id, recipient_alg, sender != nullptr ? sender_alg : nullptr);
  if (!params) return std::unexpected(params.error());
  const kem_params& kem = *params->kem;
  if (enc.size() != kem.n_enc)
    return fail(errc::decryption_failed, "the HPKE encapsulated key has the wrong length");
  auto mine = import_for_agreement(recipient, recipient_alg);
  if (!mine) return std::unexpected(mine.error());
  auto dh = raw_agreement(*mine, kem.key, enc);
  if (!dh) {
    if (dh.error().code() != errc::invalid_argument) return std::unexpected(dh.error());
    return std::unexpected(error(errc::decryption_failed,
                                 "the HPKE encapsulated key is not a valid public key",
                                 dh.error().mbedtls_code()));
  }
  auto pk_rm = raw_public(recipient, recipient_alg);
  if (!pk_rm) return std::unexpected(pk_rm.error());
  secret_buffer kem_context;
  append(kem_context, enc);
  append(kem_context, *pk_rm);
  if (sender != nullptr) {
    auto pk_sm = raw_public(*sender, *sender_alg);
    if (!pk_sm) return std::unexpected(pk_sm.error());
    auto dh_static = raw_agreement(*mine, kem.key, *pk_sm);
    if (!dh_static) return std::unexpected(dh_static.error());
    append(*dh, *dh_static);
    append(kem_context, *pk_sm);
  }
  auto state = schedule_from_dh(*params, *dh, kem_context, info, psk, sender != nullptr);
  if (!state) return std::unexpected(state.error());
  return recipient_context(std::move(*state));
}

/// Single-shot Seal over a sender's setup: `enc` and the ciphertext; fails as the setup or Seal.
[[nodiscard]] inline result<sealed_message> seal_once(result<sender_setup> setup, byte_view aad,
                                                      byte_view plaintext) {
  if (!setup) return std::unexpected(setup.error());
  auto ciphertext = setup->context.seal(aad, plaintext);
  if (!ciphertext) return std::unexpected(ciphertext.error());
  return sealed_message{std::move(setup->enc), std::move(*ciphertext)};
}

/// Single-shot Open over a recipient's context; fails as the setup or Open.
[[nodiscard]] inline result<secret_buffer> open_once(result<recipient_context> context, byte_view aad,
                                                     byte_view ciphertext) {
  if (!context) return std::unexpected(context.error());
  return context->open(aad, ciphertext);
}

template <algorithm_tag Tag>
[[nodiscard]] result<sender_setup> setup_sender_with(const suite_id& id, const public_key<Tag>& recipient,
                                                     const sender_options<Tag>& opts,
                                                     const psa_key* ephemeral) {
  const mbedtls_pk_context* sender = opts.sender_key ? &opts.sender_key->native() : nullptr;
  const key_algorithm* sender_alg = opts.sender_key ? &opts.sender_key->algorithm() : nullptr;
  return setup_sender(id, recipient.native(), recipient.algorithm(), opts.info, opts.psk, sender, sender_alg,
                      ephemeral);
}

template <algorithm_tag Tag>
[[nodiscard]] result<recipient_context> setup_recipient_with(const suite_id& id,
                                                             const private_key<Tag>& recipient, byte_view enc,
                                                             const recipient_options<Tag>& opts) {
  const mbedtls_pk_context* sender = opts.sender_public_key ? &opts.sender_public_key->native() : nullptr;
  const key_algorithm* sender_alg = opts.sender_public_key ? &opts.sender_public_key->algorithm() : nullptr;
  return setup_recipient(id, recipient.native(), recipient.algorithm(), enc, opts.info, opts.psk, sender,
                         sender_alg);
}

/// SetupS with the ephemeral key DeriveKeyPair(ikm_e) gives: deterministic, for tests
/// against RFC 9180's vectors only (a fixed ephemeral key in use breaks HPKE's security).
template <algorithm_tag Tag>
[[nodiscard]] result<sender_setup> setup_sender_deterministic(const suite_id& id,
                                                              const public_key<Tag>& recipient,
                                                              const sender_options<Tag>& opts,
                                                              byte_view ikm_e) {
  auto params = params_of(id);
  if (!params) return std::unexpected(params.error());
  auto ephemeral = derive_key_pair(*params->kem, ikm_e);
  if (!ephemeral) return std::unexpected(ephemeral.error());
  return setup_sender_with(id, recipient, opts, &*ephemeral);
}

}  // namespace pki::detail::hpke

namespace pki::hpke {

// ---- Suites as types -------------------------------------------------------------------

/// SetupBaseS / SetupPSKS / SetupAuthS / SetupAuthPSKS (the mode follows from `opts`):
/// `enc` and the sender's context. invalid_argument for a PSK without its id (or the
/// reverse), or an X25519 recipient key of small order.
template <class Suite>
[[nodiscard]] result<sender_setup> setup_sender(const public_key<typename Suite::key_tag>& recipient,
                                                const sender_options<typename Suite::key_tag>& opts = {}) {
  return detail::hpke::setup_sender_with(Suite::id, recipient, opts, nullptr);
}

/// SetupBaseR and the other modes: the recipient's context for `enc`. decryption_failed
/// when `enc` is not a valid public key; invalid_argument as setup_sender.
template <class Suite>
[[nodiscard]] result<recipient_context> setup_recipient(
    const private_key<typename Suite::key_tag>& recipient, byte_view enc,
    const recipient_options<typename Suite::key_tag>& opts = {}) {
  return detail::hpke::setup_recipient_with(Suite::id, recipient, enc, opts);
}

/// Single-shot Seal (RFC 9180 6.1): `enc` and the ciphertext of `plaintext`; fails as
/// setup_sender().
template <class Suite>
[[nodiscard]] result<sealed_message> seal(const public_key<typename Suite::key_tag>& recipient, byte_view aad,
                                          byte_view plaintext,
                                          const sender_options<typename Suite::key_tag>& opts = {}) {
  static_assert(!std::same_as<typename Suite::aead, export_only>,
                "hpke::seal: an export-only suite seals nothing");
  return detail::hpke::seal_once(setup_sender<Suite>(recipient, opts), aad, plaintext);
}

/// Single-shot Open (RFC 9180 6.1): the plaintext in a wiped buffer; decryption_failed
/// when `enc` or the ciphertext does not authenticate (no plaintext is returned or left).
template <class Suite>
[[nodiscard]] result<secret_buffer> open(const private_key<typename Suite::key_tag>& recipient, byte_view enc,
                                         byte_view aad, byte_view ciphertext,
                                         const recipient_options<typename Suite::key_tag>& opts = {}) {
  static_assert(!std::same_as<typename Suite::aead, export_only>,
                "hpke::open: an export-only suite opens nothing");
  return detail::hpke::open_once(setup_recipient<Suite>(recipient, enc, opts), aad, ciphertext);
}

/// DeriveKeyPair(ikm) (RFC 9180 7.1.3): the KEM's key pair for `ikm`, deterministic;
/// invalid_argument for ikm shorter than the private key.
template <class Kem>
[[nodiscard]] result<private_key<typename Kem::key_tag>> derive_key_pair(byte_view ikm) {
  static_assert(detail::hpke::is_kem<Kem>, "hpke::derive_key_pair: Kem is one of the hpke::dhkem_* types");
  static_assert(PKI_HAS_HPKE && (PKI_HAS_X25519 || !std::same_as<Kem, dhkem_x25519_hkdf_sha256>),
                "hpke::derive_key_pair needs MBEDTLS_HKDF_C, MBEDTLS_ECDH_C (and Curve25519 for X25519)");
  auto key = detail::hpke::derive_key_pair(*detail::hpke::find_kem(Kem::id), ikm);
  if (!key) return std::unexpected(key.error());
  return pki::detail::private_key_from_psa<private_key<typename Kem::key_tag>>(*key);
}

// ---- Suites chosen at run time ---------------------------------------------------------

/// setup_sender for a suite chosen at run time; additionally algorithm_mismatch when a key
/// is not of the suite's KEM, unsupported for a suite compiled out.
[[nodiscard]] inline result<sender_setup> setup_sender(const suite_id& suite, const public_key<>& recipient,
                                                       const sender_options<>& opts = {}) {
  return detail::hpke::setup_sender_with(suite, recipient, opts, nullptr);
}

/// setup_recipient for a suite chosen at run time; fails as the typed one, and as setup_sender(suite_id,
/// ...).
[[nodiscard]] inline result<recipient_context> setup_recipient(const suite_id& suite,
                                                               const private_key<>& recipient, byte_view enc,
                                                               const recipient_options<>& opts = {}) {
  return detail::hpke::setup_recipient_with(suite, recipient, enc, opts);
}

/// Single-shot Seal for a suite chosen at run time; unsupported for an export-only suite.
[[nodiscard]] inline result<sealed_message> seal(const suite_id& suite, const public_key<>& recipient,
                                                 byte_view aad, byte_view plaintext,
                                                 const sender_options<>& opts = {}) {
  return detail::hpke::seal_once(setup_sender(suite, recipient, opts), aad, plaintext);
}

/// Single-shot Open for a suite chosen at run time; fails as the typed open().
[[nodiscard]] inline result<secret_buffer> open(const suite_id& suite, const private_key<>& recipient,
                                                byte_view enc, byte_view aad, byte_view ciphertext,
                                                const recipient_options<>& opts = {}) {
  return detail::hpke::open_once(setup_recipient(suite, recipient, enc, opts), aad, ciphertext);
}

/// DeriveKeyPair for a KEM chosen at run time; unsupported for an unknown KEM identifier.
[[nodiscard]] inline result<private_key<>> derive_key_pair(std::uint16_t kem, byte_view ikm) {
  const detail::hpke::kem_params* params = detail::hpke::find_kem(kem);
  if (params == nullptr) return fail(errc::unsupported, "HPKE KEM identifier unknown or compiled out");
  auto key = detail::hpke::derive_key_pair(*params, ikm);
  if (!key) return std::unexpected(key.error());
  return pki::detail::private_key_from_psa<private_key<>>(*key);
}

}  // namespace pki::hpke
