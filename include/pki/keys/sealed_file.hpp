#pragma once
// The sealed-file format (docs/seal-format.md): data of any size encrypted to a public key
// in constant memory. An HPKE-sealed header (the suite, the chunk size, the recipient key's
// SPKI fingerprint, the encapsulated key, and a tag over all of it) is followed by the data
// in authenticated chunks, each sealed with the next nonce of one HPKE context and marked
// final or not in its associated data, so that truncation, reordering, dropping, duplicating
// and appending chunks all fail to open.
//
// EC and X25519 recipients use RFC 9180's DHKEMs. RSA recipients use the format's own KEM
// (0xFF01, not an RFC 9180 KEM): a random 32-byte shared secret encrypted with RSA-OAEP-SHA256,
// then RFC 9180's key schedule.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "../core/bytes.hpp"
#include "../core/config.hpp"
#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "../core/random.hpp"
#include "detail/feature.hpp"
#include "hpke.hpp"
#include "key.hpp"
#include "oaep.hpp"

namespace pki::sealed_file {

/// Plaintext bytes per chunk unless told otherwise (the last chunk holds the rest).
inline constexpr std::size_t default_chunk_size = 64 * 1024;
/// The largest chunk size a file may name: an opener's memory is bounded by it.
inline constexpr std::size_t max_chunk_size = 16 * 1024 * 1024;
/// The tag every chunk and the header carry (every AEAD the format takes has 16 bytes).
inline constexpr std::size_t tag_size = 16;
/// A chunk's frame before its ciphertext: the final flag and the ciphertext length.
inline constexpr std::size_t frame_head_size = 5;
/// The header's fixed part, up to and including the encapsulated key's length.
inline constexpr std::size_t fixed_header_size = 53;
/// The KEM identifier of the format's RSA-OAEP KEM (not an RFC 9180 KEM).
inline constexpr std::uint16_t rsa_oaep_kem = 0xFF01;
/// "pki-seal", the first eight bytes of every sealed file, and the format version after them.
inline constexpr std::array<std::uint8_t, 8> magic{'p', 'k', 'i', '-', 's', 'e', 'a', 'l'};
inline constexpr std::uint8_t version = 1;

/// How to seal: the chunk size and, optionally, the suite (by default the recipient key's:
/// see default_suite()).
struct options {
  std::size_t chunk_size = default_chunk_size;
  std::optional<hpke::suite_id> suite{};
};

/// The suite a key is sealed to by default: P-256 with HKDF-SHA256 and AES-128-GCM; P-384,
/// SHA-384, AES-256-GCM; P-521, SHA-512, AES-256-GCM; X25519, SHA-256, ChaCha20-Poly1305
/// (AES-128-GCM without it); RSA, the RSA-OAEP KEM, SHA-256, AES-256-GCM.
[[nodiscard]] constexpr hpke::suite_id default_suite(const key_algorithm& alg) noexcept {
  if (alg.type == key_type::rsa) return {rsa_oaep_kem, 0x0001, 0x0002};
  if (alg.type == key_type::x25519)
    return {0x0020, 0x0001, PKI_HAS_CHACHAPOLY ? std::uint16_t{0x0003} : std::uint16_t{0x0001}};
  if (alg.ec_curve == curve::p384) return {0x0011, 0x0002, 0x0002};
  if (alg.ec_curve == curve::p521) return {0x0012, 0x0003, 0x0002};
  return {0x0010, 0x0001, 0x0001};
}

}  // namespace pki::sealed_file

namespace pki::detail::sealed {

constexpr std::string_view info = "pki sealed file v1";
constexpr std::uint8_t flag_more = 0x00;
constexpr std::uint8_t flag_final = 0x01;
/// The longest encapsulated key: an RSA-8192 ciphertext (DHKEM P-521's is 133 bytes).
constexpr std::size_t max_enc_size = 1024;

[[nodiscard]] constexpr std::uint32_t read_u32(const std::uint8_t* p) noexcept {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}
[[nodiscard]] constexpr std::uint16_t read_u16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
inline void put_u32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}
inline void put_u16(byte_buffer& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

/// The suite's parameters for the format: RFC 9180's, or the RSA-OAEP KEM's; unsupported for
/// an unknown identifier or an export-only AEAD, algorithm_mismatch when the KEM is not the
/// key's.
[[nodiscard]] inline result<pki::detail::hpke::suite_params> format_params(const pki::hpke::suite_id& id,
                                                                          const key_algorithm& key) {
  std::optional<pki::detail::hpke::suite_params> params;
  if (id.kem == sealed_file::rsa_oaep_kem) {
    const auto kdf = pki::detail::hpke::find_kdf(id.kdf);
    const auto aead = pki::detail::hpke::find_aead(id.aead);
    if (!kdf || !aead) return fail(errc::unsupported, "sealed file names an unknown KDF or AEAD");
    if (!PKI_HAS_RSA_OAEP) return fail(errc::unsupported, "the RSA-OAEP KEM needs MBEDTLS_PKCS1_V21");
    if (key.type != key_type::rsa) return fail(errc::algorithm_mismatch, "sealed file is for an RSA key");
    params = pki::detail::hpke::suite_params{id, nullptr, *kdf, *aead};
  } else {
    auto found = pki::detail::hpke::params_of(id);
    if (!found) return std::unexpected(found.error());
    if (!(found->kem->key == key)) {
      return fail(errc::algorithm_mismatch,
                  "sealed file names a KEM of another key algorithm than the key's");
    }
    params = *found;
  }
  if (params->aead.exports_only())
    return fail(errc::unsupported, "a sealed file needs an AEAD, not export-only");
  return *params;
}

}  // namespace pki::detail::sealed

namespace pki::sealed_file {

/// Seals data chunk by chunk: write header(), then each chunk's frame from seal_chunk().
class sealer {
 public:
  /// A sealer to `recipient`; invalid_argument for a chunk size of 0 or above
  /// max_chunk_size, algorithm_mismatch or unsupported for a suite that does not fit the key.
  [[nodiscard]] static result<sealer> create(const public_key<>& recipient, const options& opts = {}) {
    if (opts.chunk_size == 0 || opts.chunk_size > max_chunk_size) {
      return fail(errc::invalid_argument, "sealed-file chunk size is 0 or above 16 MiB");
    }
    const hpke::suite_id id = opts.suite.value_or(default_suite(recipient.algorithm()));
    auto params = detail::sealed::format_params(id, recipient.algorithm());
    if (!params) return std::unexpected(params.error());
    auto fingerprint = recipient.fingerprint();
    if (!fingerprint) return std::unexpected(fingerprint.error());

    byte_buffer enc;
    std::optional<hpke::sender_context> context;
    if (id.kem == rsa_oaep_kem) {
      secret_buffer shared_secret(32);
      if (auto ok = random_bytes(shared_secret); !ok) return std::unexpected(ok.error());
      auto wrapped = pki::detail::oaep_encrypt_checked(
          recipient, shared_secret,
          {.hash = hash_algorithm::sha256, .label = as_bytes(detail::sealed::info)});
      if (!wrapped) return std::unexpected(wrapped.error());
      auto state = pki::detail::hpke::context_state::schedule(*params, hpke::mode::base, shared_secret,
                                                              as_bytes(detail::sealed::info), std::nullopt);
      if (!state) return std::unexpected(state.error());
      enc = std::move(*wrapped);
      context.emplace(std::move(*state));
    } else {
      auto setup = pki::detail::hpke::setup_sender(id, recipient.native(), recipient.algorithm(),
                                                   as_bytes(detail::sealed::info), std::nullopt, nullptr, nullptr,
                                                   nullptr);
      if (!setup) return std::unexpected(setup.error());
      enc = std::move(setup->enc);
      context.emplace(std::move(setup->context));
    }

    byte_buffer header(magic.begin(), magic.end());
    header.reserve(fixed_header_size + enc.size() + tag_size);
    header.push_back(version);
    detail::sealed::put_u16(header, id.kem);
    detail::sealed::put_u16(header, id.kdf);
    detail::sealed::put_u16(header, id.aead);
    header.resize(header.size() + 4);
    detail::sealed::put_u32(header.data() + header.size() - 4, static_cast<std::uint32_t>(opts.chunk_size));
    header.insert(header.end(), fingerprint->bytes().begin(), fingerprint->bytes().end());
    detail::sealed::put_u16(header, static_cast<std::uint16_t>(enc.size()));
    header.insert(header.end(), enc.begin(), enc.end());
    const std::size_t prefix = header.size();
    header.resize(prefix + tag_size);
    auto tag = context->seal_into({header.data(), prefix}, {}, {header.data() + prefix, tag_size});
    if (!tag) return std::unexpected(tag.error());
    return sealer(std::move(header), std::move(*context), opts.chunk_size);
  }

  /// The header, to write before the first chunk.
  [[nodiscard]] byte_view header() const noexcept { return header_; }
  /// Plaintext bytes in every chunk but the last.
  [[nodiscard]] std::size_t chunk_size() const noexcept { return chunk_size_; }
  /// The frame's size for a chunk of `plaintext_size` bytes.
  [[nodiscard]] static constexpr std::size_t frame_size(std::size_t plaintext_size) noexcept {
    return frame_head_size + plaintext_size + tag_size;
  }
  /// True once the final chunk is sealed.
  [[nodiscard]] bool finished() const noexcept { return finished_; }

  /// Seals one chunk into `out` (at least frame_size(plaintext.size()) bytes) and returns the
  /// frame's length. Every chunk but the final one holds exactly chunk_size() bytes, the
  /// final one at most that (an empty input is one empty final chunk). invalid_argument when
  /// a chunk breaks that or follows the final one; buffer_too_small; sequence_exhausted.
  [[nodiscard]] result<std::size_t> seal_chunk(byte_view plaintext, bool final, std::span<std::uint8_t> out) {
    if (finished_) return fail(errc::invalid_argument, "the final chunk is already sealed");
    if (plaintext.size() > chunk_size_ || (!final && plaintext.size() != chunk_size_)) {
      return fail(errc::invalid_argument, "a chunk other than the last must hold exactly the chunk size");
    }
    if (out.size() < frame_size(plaintext.size()))
      return fail(errc::buffer_too_small, "no room for the chunk's frame");
    out[0] = final ? detail::sealed::flag_final : detail::sealed::flag_more;
    detail::sealed::put_u32(out.data() + 1, static_cast<std::uint32_t>(plaintext.size() + tag_size));
    auto written = context_.seal_into(out.first(1), plaintext, out.subspan(frame_head_size));
    if (!written) return std::unexpected(written.error());
    finished_ = final;
    return frame_head_size + *written;
  }

 private:
  sealer(byte_buffer header, hpke::sender_context context, std::size_t chunk_size) noexcept
      : header_(std::move(header)), context_(std::move(context)), chunk_size_(chunk_size) {}

  byte_buffer header_;
  hpke::sender_context context_;
  std::size_t chunk_size_;
  bool finished_ = false;
};

/// Opens a sealed file chunk by chunk: create() from its header, then open_chunk() per frame.
class opener {
 public:
  /// The whole header's length, from its first fixed_header_size bytes. parse_failed when
  /// they do not start with the magic, unsupported for another format version,
  /// decryption_failed for an encapsulated key length no KEM has.
  [[nodiscard]] static result<std::size_t> header_size(byte_view fixed) noexcept {
    if (fixed.size() < magic.size() || !std::equal(magic.begin(), magic.end(), fixed.begin())) {
      return fail(errc::parse_failed, "not a pki sealed file (no pki-seal magic)");
    }
    if (fixed.size() < fixed_header_size)
      return fail(errc::decryption_failed, "the sealed file's header is cut short");
    if (fixed[8] != version) return fail(errc::unsupported, "sealed file of an unknown format version");
    const std::size_t enc_size = detail::sealed::read_u16(fixed.data() + 51);
    if (enc_size == 0 || enc_size > detail::sealed::max_enc_size) {
      return fail(errc::decryption_failed, "the sealed file's encapsulated key length is out of range");
    }
    return fixed_header_size + enc_size + tag_size;
  }

  /// The opener of the file whose header is `header` (header_size() bytes), for `key`.
  /// Fails as header_size(), and: unsupported for an unknown suite; algorithm_mismatch when
  /// the suite's KEM is not the key's; key_mismatch when the file is sealed to another key;
  /// decryption_failed when the header does not authenticate (any other change to it).
  [[nodiscard]] static result<opener> create(const private_key<>& key, byte_view header) {
    auto size = header_size(header);
    if (!size) return std::unexpected(size.error());
    if (header.size() != *size) return fail(errc::decryption_failed, "the sealed file's header is cut short");
    const hpke::suite_id id{detail::sealed::read_u16(header.data() + 9), detail::sealed::read_u16(header.data() + 11),
                            detail::sealed::read_u16(header.data() + 13)};
    auto params = detail::sealed::format_params(id, key.algorithm());
    if (!params) return std::unexpected(params.error());
    auto pub = key.public_key();
    if (!pub) return std::unexpected(pub.error());
    auto fingerprint = pub->fingerprint();
    if (!fingerprint) return std::unexpected(fingerprint.error());
    if (!std::equal(fingerprint->bytes().begin(), fingerprint->bytes().end(), header.begin() + 19)) {
      return fail(errc::key_mismatch, "the file is sealed to another key");
    }
    const std::size_t chunk_size = detail::sealed::read_u32(header.data() + 15);
    if (chunk_size == 0 || chunk_size > max_chunk_size) {
      return fail(errc::decryption_failed, "the sealed file's chunk size is out of range");
    }
    const byte_view enc = header.subspan(fixed_header_size, header.size() - fixed_header_size - tag_size);

    std::optional<hpke::recipient_context> context;
    if (id.kem == rsa_oaep_kem) {
      auto shared_secret = pki::detail::oaep_decrypt_checked(
          key, enc, {.hash = hash_algorithm::sha256, .label = as_bytes(detail::sealed::info)});
      if (!shared_secret) return std::unexpected(shared_secret.error());
      if (shared_secret->size() != 32)
        return fail(errc::decryption_failed, "the RSA-OAEP KEM's secret is not 32 bytes");
      auto state = pki::detail::hpke::context_state::schedule(*params, hpke::mode::base, *shared_secret,
                                                              as_bytes(detail::sealed::info), std::nullopt);
      if (!state) return std::unexpected(state.error());
      context.emplace(std::move(*state));
    } else {
      auto setup = pki::detail::hpke::setup_recipient(id, key.native(), key.algorithm(), enc,
                                                      as_bytes(detail::sealed::info), std::nullopt, nullptr, nullptr);
      if (!setup) return std::unexpected(setup.error());
      context.emplace(std::move(*setup));
    }
    const std::size_t prefix = header.size() - tag_size;
    std::array<std::uint8_t, 1> nothing{};
    auto tag = context->open_into(header.first(prefix), header.subspan(prefix), nothing);
    if (!tag)
      return std::unexpected(
          error(errc::decryption_failed, "the sealed file's header does not authenticate"));
    return opener(std::move(*context), id, chunk_size);
  }

  /// The suite the file names.
  [[nodiscard]] const hpke::suite_id& suite() const noexcept { return suite_; }
  /// Plaintext bytes in every chunk but the last.
  [[nodiscard]] std::size_t chunk_size() const noexcept { return chunk_size_; }
  /// True once the final chunk is open: anything after it is an error.
  [[nodiscard]] bool finished() const noexcept { return finished_; }

  /// The whole frame's length from its first frame_head_size bytes; decryption_failed for a
  /// flag or length no sealer writes, or a frame after the final one.
  [[nodiscard]] result<std::size_t> frame_size(byte_view head) const noexcept {
    if (finished_) return fail(errc::decryption_failed, "data follows the sealed file's final chunk");
    if (head.size() < frame_head_size)
      return fail(errc::decryption_failed, "the sealed file is cut short in a chunk");
    if (head[0] != detail::sealed::flag_more && head[0] != detail::sealed::flag_final) {
      return fail(errc::decryption_failed, "a chunk's final flag is neither 0 nor 1");
    }
    const std::size_t length = detail::sealed::read_u32(head.data() + 1);
    if (length < tag_size || length > chunk_size_ + tag_size ||
        (head[0] == detail::sealed::flag_more && length != chunk_size_ + tag_size)) {
      return fail(errc::decryption_failed, "a chunk's length is not one the sealer writes");
    }
    return frame_head_size + length;
  }

  /// Opens one whole frame into `out` (at least chunk_size() bytes) and returns the
  /// plaintext length; decryption_failed when it does not authenticate as the next chunk
  /// (nothing is left in `out` then), and as frame_size().
  [[nodiscard]] result<std::size_t> open_chunk(byte_view frame, std::span<std::uint8_t> out) {
    auto size = frame_size(frame);
    if (!size) return std::unexpected(size.error());
    if (frame.size() != *size)
      return fail(errc::decryption_failed, "the sealed file is cut short in a chunk");
    auto written = context_.open_into(frame.first(1), frame.subspan(frame_head_size), out);
    if (!written) {
      if (written.error().code() == errc::decryption_failed) {
        return std::unexpected(
            error(errc::decryption_failed, "a chunk does not authenticate (changed, moved or dropped)"));
      }
      return written;
    }
    finished_ = frame[0] == detail::sealed::flag_final;
    return written;
  }

 private:
  opener(hpke::recipient_context context, hpke::suite_id suite, std::size_t chunk_size) noexcept
      : context_(std::move(context)), suite_(suite), chunk_size_(chunk_size) {}

  hpke::recipient_context context_;
  hpke::suite_id suite_;
  std::size_t chunk_size_;
  bool finished_ = false;
};

}  // namespace pki::sealed_file

namespace pki::detail::sealed {

/// Reads until `buffer` is full or the source ends; the number of bytes read.
template <class Source>
[[nodiscard]] result<std::size_t> read_full(Source& source, std::span<std::uint8_t> buffer) {
  std::size_t filled = 0;
  while (filled < buffer.size()) {
    result<std::size_t> n = source(buffer.subspan(filled));
    if (!n) return n;
    if (*n == 0) break;
    filled += *n;
  }
  return filled;
}

}  // namespace pki::detail::sealed

namespace pki::sealed_file {

/// Seals everything `source` gives to `recipient`, writing the sealed file to `sink`, in
/// memory bounded by two chunks. `source(std::span<std::uint8_t>)` returns
/// result<std::size_t>, the bytes it put there (0 at the end); `sink(byte_view)` returns
/// result<void>. Fails as sealer::create() and as the source or sink fail.
template <class Source, class Sink>
[[nodiscard]] result<void> seal(const public_key<>& recipient, Source&& source, Sink&& sink,
                                const options& opts = {}) {
  static_assert(PKI_HAS_SEALED_FILE && pki::detail::when_used<Source>,
                "pki::sealed_file needs MBEDTLS_HKDF_C, MBEDTLS_ECDH_C, MBEDTLS_AES_C and MBEDTLS_GCM_C");
  auto s = sealer::create(recipient, opts);
  if (!s) return std::unexpected(s.error());
  if (auto ok = sink(s->header()); !ok) return ok;
  secret_buffer current(s->chunk_size());
  secret_buffer next(s->chunk_size());
  byte_buffer frame(sealer::frame_size(s->chunk_size()));
  auto filled = detail::sealed::read_full(source, current);
  if (!filled) return std::unexpected(filled.error());
  std::size_t size = *filled;
  for (;;) {
    // A full chunk is the last only when nothing follows it: look ahead one chunk.
    std::size_t next_size = 0;
    bool final = size < s->chunk_size();
    if (!final) {
      auto more = detail::sealed::read_full(source, next);
      if (!more) return std::unexpected(more.error());
      next_size = *more;
      final = next_size == 0;
    }
    auto written = s->seal_chunk({current.data(), size}, final, frame);
    if (!written) return std::unexpected(written.error());
    if (auto ok = sink(byte_view(frame.data(), *written)); !ok) return ok;
    if (final) return {};
    current.swap(next);
    size = next_size;
  }
}

/// Opens the sealed file `source` gives with `key`, writing its plaintext to `sink` chunk by
/// chunk, each only once it has authenticated; memory bounded by one chunk. Fails as
/// opener::create() and opener::open_chunk(): a file cut short, with chunks dropped,
/// duplicated, reordered or changed, or with data after its end is decryption_failed. When it
/// fails, the sink may have had the chunks before the bad one (all authentic, never the
/// final one): a caller who needs all or nothing writes to a temporary file and discards it
/// on failure.
template <class Source, class Sink>
[[nodiscard]] result<void> open(const private_key<>& key, Source&& source, Sink&& sink) {
  static_assert(PKI_HAS_SEALED_FILE && pki::detail::when_used<Source>,
                "pki::sealed_file needs MBEDTLS_HKDF_C, MBEDTLS_ECDH_C, MBEDTLS_AES_C and MBEDTLS_GCM_C");
  byte_buffer header(fixed_header_size);
  auto got = detail::sealed::read_full(source, header);
  if (!got) return std::unexpected(got.error());
  auto size = opener::header_size({header.data(), *got});
  if (!size) return std::unexpected(size.error());
  header.resize(*size);
  got = detail::sealed::read_full(source, std::span(header).subspan(fixed_header_size));
  if (!got) return std::unexpected(got.error());
  if (*got != *size - fixed_header_size)
    return fail(errc::decryption_failed, "the sealed file's header is cut short");
  auto o = opener::create(key, header);
  if (!o) return std::unexpected(o.error());

  byte_buffer frame(sealer::frame_size(o->chunk_size()));
  secret_buffer plaintext(o->chunk_size());
  while (!o->finished()) {
    got = detail::sealed::read_full(source, std::span(frame).first(frame_head_size));
    if (!got) return std::unexpected(got.error());
    if (*got != frame_head_size)
      return fail(errc::decryption_failed, "the sealed file ends before its final chunk");
    auto frame_size = o->frame_size(std::span(frame).first(frame_head_size));
    if (!frame_size) return std::unexpected(frame_size.error());
    got = detail::sealed::read_full(source, std::span(frame).subspan(frame_head_size, *frame_size - frame_head_size));
    if (!got) return std::unexpected(got.error());
    if (*got != *frame_size - frame_head_size)
      return fail(errc::decryption_failed, "the sealed file is cut short in a chunk");
    auto opened = o->open_chunk({frame.data(), *frame_size}, plaintext);
    if (!opened) return std::unexpected(opened.error());
    if (o->finished()) {
      // The final chunk's plaintext is held back until the file is known to end there.
      std::array<std::uint8_t, 1> extra{};
      got = detail::sealed::read_full(source, extra);
      if (!got) return std::unexpected(got.error());
      if (*got != 0) return fail(errc::decryption_failed, "data follows the sealed file's final chunk");
    }
    if (auto ok = sink(byte_view(plaintext.data(), *opened)); !ok) return ok;
  }
  return {};
}

}  // namespace pki::sealed_file
