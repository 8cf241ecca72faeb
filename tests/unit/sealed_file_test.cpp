// The sealed-file format (docs/seal-format.md): round trips for every key type and at the
// sizes around a chunk; the byte layout the document gives; a flipped bit in each part of
// the file, a truncated file, dropped, duplicated, swapped and appended chunks, a wrong key
// and a wrong suite each refused with the errc the document names, with no plaintext of a
// chunk that did not authenticate reaching the sink.

#include <boost/test/unit_test.hpp>

#include <pki/keys/sealed_file.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "support/expect.hpp"

using pki::errc;
using pki_test::expect_error;
using pki_test::value_of;
namespace sealed = pki::sealed_file;

namespace {

template <class Tag>
const pki::private_key<>& key_of() {
  static const pki::private_key<> key = value_of(pki::private_key<Tag>::generate());
  return key;
}
template <class Tag>
pki::public_key<> public_of() {
  return value_of(key_of<Tag>().public_key());
}

pki::byte_buffer pattern(std::size_t size) {
  pki::byte_buffer data(size);
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i * 31 + (i >> 8));
  return data;
}

/// A source over bytes in memory that hands them out in pieces of at most `step`.
struct memory_source {
  pki::byte_view data;
  std::size_t step = 1000;
  std::size_t pos = 0;
  pki::result<std::size_t> operator()(std::span<std::uint8_t> out) {
    const std::size_t n = std::min({out.size(), data.size() - pos, step});
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(pos), n, out.begin());
    pos += n;
    return n;
  }
};

struct memory_sink {
  pki::byte_buffer* out;
  pki::result<void> operator()(pki::byte_view bytes) {
    out->insert(out->end(), bytes.begin(), bytes.end());
    return {};
  }
};

pki::byte_buffer seal_bytes(const pki::public_key<>& to, pki::byte_view data,
                            const sealed::options& opts = {}) {
  pki::byte_buffer file;
  const auto ok = sealed::seal(to, memory_source{data}, memory_sink{&file}, opts);
  BOOST_REQUIRE_MESSAGE(ok.has_value(), pki_test::error_text(ok));
  return file;
}

/// The plaintext that reached the sink, and how the open ended.
struct open_outcome {
  pki::result<void> status;
  pki::byte_buffer written;
};

open_outcome open_bytes(const pki::private_key<>& key, pki::byte_view file) {
  open_outcome outcome{{}, {}};
  outcome.status = sealed::open(key, memory_source{file, 777}, memory_sink{&outcome.written});
  return outcome;
}

constexpr std::size_t small_chunk = 1024;
const sealed::options small_chunks{.chunk_size = small_chunk};

/// Offsets of the header's fields (docs/seal-format.md).
constexpr std::size_t at_version = 8, at_kem = 9, at_kdf = 11, at_aead = 13, at_chunk_size = 15,
                      at_fingerprint = 19, at_enc_length = 51, at_enc = 53;

/// Requires `file` to be refused with `expected`, and the sink to hold only whole chunks of
/// the plaintext that came before the bad one (no byte of a chunk that did not authenticate,
/// and never the final chunk: a file is whole or not opened to its end).
void expect_refused(pki::byte_view file, const pki::byte_buffer& plaintext, errc expected,
                    const std::string& what, const pki::private_key<>& key = key_of<pki::ecdsa_p256>()) {
  BOOST_TEST_CONTEXT(what) {
    const auto outcome = open_bytes(key, file);
    expect_error(outcome.status, expected);
    BOOST_TEST(outcome.written.size() % small_chunk == 0u);
    BOOST_TEST(outcome.written.size() < plaintext.size());
    BOOST_TEST(std::equal(outcome.written.begin(), outcome.written.end(), plaintext.begin()));
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(round_trips_every_key_type_at_sizes_around_a_chunk) {
  const std::size_t c = sealed::default_chunk_size;
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, c - 1, c, c + 1, 3 * c}) {
    const auto data = pattern(size);
    const auto file = seal_bytes(public_of<pki::ecdsa_p256>(), data);
    const std::size_t chunks = size / c + 1 - (size != 0 && size % c == 0 ? 1 : 0);
    BOOST_TEST(file.size() == sealed::fixed_header_size + 65 + 16 + chunks * (5 + 16) + size);
    const auto outcome = open_bytes(key_of<pki::ecdsa_p256>(), file);
    BOOST_REQUIRE_MESSAGE(outcome.status.has_value(), pki_test::error_text(outcome.status));
    BOOST_TEST((outcome.written == data), "size " << size);
  }
  const auto data = pattern(2 * small_chunk + 3);
  auto check = [&](const pki::private_key<>& key, std::size_t enc_size) {
    const auto file = seal_bytes(value_of(key.public_key()), data, small_chunks);
    BOOST_TEST(file.size() == sealed::fixed_header_size + enc_size + 16 + 3 * (5 + 16) + data.size());
    const auto outcome = open_bytes(key, file);
    BOOST_REQUIRE_MESSAGE(outcome.status.has_value(), pki_test::error_text(outcome.status));
    BOOST_TEST((outcome.written == data));
  };
  check(key_of<pki::ecdsa_p384>(), 97);
  check(key_of<pki::ecdsa_p521>(), 133);
  check(key_of<pki::x25519>(), 32);
  check(key_of<pki::rsa<2048>>(), 256);
}

BOOST_AUTO_TEST_CASE(the_header_is_laid_out_as_documented) {
  const auto file = seal_bytes(public_of<pki::ecdsa_p384>(), pattern(10), small_chunks);
  BOOST_TEST(std::string(file.begin(), file.begin() + 8) == "pki-seal");
  BOOST_TEST(file[at_version] == 1);
  BOOST_TEST((pki::byte_buffer(file.begin() + at_kem, file.begin() + at_chunk_size) ==
              pki::byte_buffer{0x00, 0x11, 0x00, 0x02, 0x00, 0x02}));
  BOOST_TEST((pki::byte_buffer(file.begin() + at_chunk_size, file.begin() + at_fingerprint) ==
              pki::byte_buffer{0x00, 0x00, 0x04, 0x00}));
  const auto fingerprint = value_of(public_of<pki::ecdsa_p384>().fingerprint());
  BOOST_TEST(
      std::equal(fingerprint.bytes().begin(), fingerprint.bytes().end(), file.begin() + at_fingerprint));
  BOOST_TEST(file[at_enc_length] == 0);
  BOOST_TEST(file[at_enc_length + 1] == 97);
  BOOST_TEST(file[at_enc] == 0x04);  // an uncompressed point
  const std::size_t first_frame = at_enc + 97 + 16;
  BOOST_TEST(file[first_frame] == 0x01);  // the only chunk is final
  BOOST_TEST((pki::byte_buffer(file.begin() + first_frame + 1, file.begin() + first_frame + 5) ==
              pki::byte_buffer{0, 0, 0, 26}));
  BOOST_TEST(file.size() == first_frame + 5 + 26);
}

BOOST_AUTO_TEST_CASE(a_flipped_bit_in_each_part_is_refused_with_its_errc) {
  const auto plaintext = pattern(3 * small_chunk + 100);
  const auto file = seal_bytes(public_of<pki::ecdsa_p256>(), plaintext, small_chunks);
  const std::size_t header = at_enc + 65 + 16;
  const std::size_t frame = 5 + small_chunk + 16;
  struct part {
    const char* name;
    std::size_t offset;
    errc expected;
  };
  const part parts[] = {
      {"magic", 3, errc::parse_failed},
      {"version", at_version, errc::unsupported},
      {"KEM id (P-256 to P-384)", at_kem + 1, errc::algorithm_mismatch},
      {"KDF id (to 0)", at_kdf + 1, errc::unsupported},
      {"AEAD id (to 0)", at_aead + 1, errc::unsupported},
      {"chunk size", at_chunk_size + 3, errc::decryption_failed},
      {"fingerprint", at_fingerprint + 31, errc::key_mismatch},
      {"encapsulated key length", at_enc_length + 1, errc::decryption_failed},
      {"encapsulated key", at_enc + 40, errc::decryption_failed},
      {"header tag", header - 1, errc::decryption_failed},
      {"first chunk's flag", header, errc::decryption_failed},
      {"first chunk's length", header + 4, errc::decryption_failed},
      {"first chunk's ciphertext", header + 5 + 10, errc::decryption_failed},
      {"first chunk's tag", header + frame - 1, errc::decryption_failed},
      {"second chunk's ciphertext", header + frame + 5 + 500, errc::decryption_failed},
      {"final chunk's flag", header + 3 * frame, errc::decryption_failed},
      {"final chunk's length", header + 3 * frame + 4, errc::decryption_failed},
      {"final chunk's ciphertext", header + 3 * frame + 5, errc::decryption_failed},
      {"final chunk's tag", file.size() - 1, errc::decryption_failed},
  };
  for (const part& p : parts) {
    auto changed = file;
    changed[p.offset] ^= 0x01;
    expect_refused(changed, plaintext, p.expected, p.name);
  }
  // Every single bit of the header is caught.
  for (std::size_t i = 0; i < header; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      auto changed = file;
      changed[i] ^= static_cast<std::uint8_t>(1 << bit);
      const auto outcome = open_bytes(key_of<pki::ecdsa_p256>(), changed);
      BOOST_TEST(!outcome.status.has_value(), "header byte " << i << " bit " << bit << " went unnoticed");
      BOOST_TEST(outcome.written.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(truncation_dropping_duplicating_swapping_and_appending_chunks_are_refused) {
  const auto plaintext = pattern(3 * small_chunk + 100);
  const auto file = seal_bytes(public_of<pki::ecdsa_p256>(), plaintext, small_chunks);
  const std::size_t header = at_enc + 65 + 16;
  const std::size_t frame = 5 + small_chunk + 16;
  auto frame_at = [&](std::size_t i) {
    const auto begin = file.begin() + static_cast<std::ptrdiff_t>(header + i * frame);
    const auto end = i == 3 ? file.end() : begin + static_cast<std::ptrdiff_t>(frame);
    return pki::byte_buffer(begin, end);
  };
  auto assemble = [&](std::initializer_list<std::size_t> order) {
    pki::byte_buffer out(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(header));
    for (std::size_t i : order) {
      const auto f = frame_at(i);
      out.insert(out.end(), f.begin(), f.end());
    }
    return out;
  };
  BOOST_TEST((assemble({0, 1, 2, 3}) == file));
  expect_refused(assemble({0, 2, 3}), plaintext, errc::decryption_failed, "second chunk dropped");
  expect_refused(assemble({0, 1, 2}), plaintext, errc::decryption_failed, "final chunk dropped");
  expect_refused(assemble({0, 0, 1, 2, 3}), plaintext, errc::decryption_failed, "first chunk duplicated");
  expect_refused(assemble({0, 2, 1, 3}), plaintext, errc::decryption_failed, "chunks swapped");
  expect_refused(assemble({0, 1, 2, 3, 3}), plaintext, errc::decryption_failed, "final chunk appended again");

  for (std::size_t cut : {std::size_t{4}, std::size_t{7}}) {
    expect_refused(pki::byte_view(file).first(cut), plaintext, errc::parse_failed, "cut inside the magic");
  }
  for (std::size_t cut :
       {std::size_t{8}, std::size_t{30}, sealed::fixed_header_size, header - 1, header, header + 3,
        header + frame, header + frame + 100, header + 3 * frame, file.size() - 1}) {
    expect_refused(pki::byte_view(file).first(cut), plaintext, errc::decryption_failed,
                   "cut at " + std::to_string(cut));
  }
  auto appended = file;
  appended.push_back(0);
  expect_refused(appended, plaintext, errc::decryption_failed, "a byte appended");
  // The final chunk of another file for the same key, appended.
  const auto other = seal_bytes(public_of<pki::ecdsa_p256>(), pattern(5), small_chunks);
  appended = file;
  appended.insert(appended.end(), other.begin() + static_cast<std::ptrdiff_t>(header), other.end());
  expect_refused(appended, plaintext, errc::decryption_failed, "another file's chunk appended");
  // A chunk of another file for the same key, in place of one of this file's.
  auto spliced = assemble({0});
  const auto big_other = seal_bytes(public_of<pki::ecdsa_p256>(), plaintext, small_chunks);
  spliced.insert(spliced.end(), big_other.begin() + static_cast<std::ptrdiff_t>(header + frame),
                 big_other.begin() + static_cast<std::ptrdiff_t>(header + 2 * frame));
  const auto rest = assemble({2, 3});
  spliced.insert(spliced.end(), rest.begin() + static_cast<std::ptrdiff_t>(header), rest.end());
  expect_refused(spliced, plaintext, errc::decryption_failed, "another file's chunk spliced in");
}

BOOST_AUTO_TEST_CASE(a_wrong_key_or_suite_is_refused) {
  const auto plaintext = pattern(100);
  const auto file = seal_bytes(public_of<pki::ecdsa_p256>(), plaintext, small_chunks);
  const pki::private_key<> other = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  expect_refused(file, plaintext, errc::key_mismatch, "another P-256 key", other);
  expect_refused(file, plaintext, errc::algorithm_mismatch, "a P-384 key", key_of<pki::ecdsa_p384>());
  expect_refused(file, plaintext, errc::algorithm_mismatch, "an RSA key", key_of<pki::rsa<2048>>());
  auto changed = file;
  changed[at_aead + 1] = 0x02;  // AES-256-GCM: a valid suite, but not the one sealed with
  expect_refused(changed, plaintext, errc::decryption_failed, "another AEAD named");
  changed = file;
  changed[at_kdf + 1] = 0x03;
  expect_refused(changed, plaintext, errc::decryption_failed, "another KDF named");
  changed = file;
  changed[at_aead] = 0xFF;
  changed[at_aead + 1] = 0xFF;
  expect_refused(changed, plaintext, errc::unsupported, "export-only named");
}

BOOST_AUTO_TEST_CASE(sealer_options_and_misuse_are_checked) {
  const auto p256 = public_of<pki::ecdsa_p256>();
  expect_error(sealed::sealer::create(p256, {.chunk_size = 0}), errc::invalid_argument);
  expect_error(sealed::sealer::create(p256, {.chunk_size = sealed::max_chunk_size + 1}),
               errc::invalid_argument);
  expect_error(sealed::sealer::create(p256, {.suite = pki::hpke::suite_id{0x0011, 0x0002, 0x0002}}),
               errc::algorithm_mismatch);
  expect_error(sealed::sealer::create(p256, {.suite = pki::hpke::suite_id{0x0010, 0x0001, 0xFFFF}}),
               errc::unsupported);
  // Another suite for the key, chosen by the sender, is read back from the header.
  const auto data = pattern(3000);
  const auto file =
      seal_bytes(p256, data, {.chunk_size = 1000, .suite = pki::hpke::suite_id{0x0010, 0x0003, 0x0003}});
  const auto outcome = open_bytes(key_of<pki::ecdsa_p256>(), file);
  BOOST_REQUIRE(outcome.status.has_value());
  BOOST_TEST((outcome.written == data));

  auto s = value_of(sealed::sealer::create(p256, {.chunk_size = 16}));
  pki::byte_buffer frame(sealed::sealer::frame_size(16));
  const auto sixteen = pattern(16);
  expect_error(s.seal_chunk(pki::byte_view(sixteen).first(15), false, frame), errc::invalid_argument);
  expect_error(s.seal_chunk(sixteen, true, std::span<std::uint8_t>(frame).first(20)), errc::buffer_too_small);
  BOOST_TEST(value_of(s.seal_chunk(sixteen, true, frame)) == frame.size());
  BOOST_TEST(s.finished());
  expect_error(s.seal_chunk({}, true, frame), errc::invalid_argument);
}
