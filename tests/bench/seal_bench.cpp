// Sealing and opening 100 MiB in the sealed-file format (pki::sealed_file, 64 KiB chunks)
// beside raw PSA AEAD over the same data with the same chunking: one psa_aead_encrypt or
// psa_aead_decrypt per chunk into the same frames, with the nonce of each chunk's sequence
// number and the final flag as associated data. What the format adds is the HPKE setup, the
// header and the frame bookkeeping; the ratio of the two is the cost of the format.
//
// Cases: seal_100MiB/pki, seal_100MiB/mbedtls, open_100MiB/pki, open_100MiB/mbedtls.

#include <benchmark/benchmark.h>
#include <psa/crypto.h>

#include <pki/keys/sealed_file.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

namespace {

namespace sealed = pki::sealed_file;

constexpr std::size_t total = 100 * 1024 * 1024;
constexpr std::size_t chunk = sealed::default_chunk_size;
constexpr std::size_t chunks = total / chunk;  // 1600; the last one is final and full
constexpr std::size_t frame = sealed::sealer::frame_size(chunk);

template <class T>
T must(pki::result<T>&& r) {
  if (!r) {
    std::fprintf(stderr, "seal_bench: %s\n", r.error().message().c_str());
    std::abort();
  }
  return std::move(*r);
}

/// The data, a recipient key, and buffers for the frames and the plaintext.
struct fixture {
  pki::byte_buffer data = pki::byte_buffer(total);
  pki::private_key<> key = must(pki::private_key<pki::ecdsa_p256>::generate());
  pki::public_key<> recipient = must(key.public_key());
  pki::byte_buffer file = pki::byte_buffer(total + 4096 + chunks * (frame - chunk));
  pki::byte_buffer plaintext = pki::byte_buffer(total);
  std::size_t file_size = 0;

  fixture() {
    for (std::size_t i = 0; i < total; ++i) data[i] = static_cast<std::uint8_t>(i * 131 + (i >> 12));
  }
};

fixture& shared() {
  static fixture f;
  return f;
}

/// Seals the fixture's data into its file buffer with the library.
std::size_t seal_with_pki(fixture& f) {
  auto s = must(sealed::sealer::create(f.recipient));
  std::size_t at = 0;
  std::copy(s.header().begin(), s.header().end(), f.file.begin());
  at += s.header().size();
  for (std::size_t i = 0; i < chunks; ++i) {
    const pki::byte_view piece(f.data.data() + i * chunk, chunk);
    at += must(s.seal_chunk(piece, i + 1 == chunks, std::span(f.file).subspan(at, frame)));
  }
  return at;
}

void seal_pki(benchmark::State& state) {
  fixture& f = shared();
  for (auto _ : state) {
    f.file_size = seal_with_pki(f);
    benchmark::DoNotOptimize(f.file.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total));
}

void open_pki(benchmark::State& state) {
  fixture& f = shared();
  f.file_size = seal_with_pki(f);
  const std::size_t header = sealed::fixed_header_size + 65 + sealed::tag_size;
  for (auto _ : state) {
    auto o = must(sealed::opener::create(f.key, pki::byte_view(f.file).first(header)));
    std::size_t at = header;
    std::size_t out = 0;
    for (std::size_t i = 0; i < chunks; ++i) {
      out += must(o.open_chunk(pki::byte_view(f.file).subspan(at, frame),
                               std::span(f.plaintext).subspan(out, chunk)));
      at += frame;
    }
    if (out != total || !o.finished()) std::abort();
    benchmark::DoNotOptimize(f.plaintext.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total));
}

/// Raw PSA: an AES-128-GCM key (the format's suite for P-256) and a base nonce.
struct raw_psa {
  mbedtls_svc_key_id_t key = MBEDTLS_SVC_KEY_ID_INIT;
  std::array<std::uint8_t, 12> base_nonce{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

  raw_psa() {
    if (psa_crypto_init() != PSA_SUCCESS) std::abort();
    const std::array<std::uint8_t, 16> bytes{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
    psa_key_attributes_t attributes = PSA_KEY_ATTRIBUTES_INIT;
    psa_set_key_type(&attributes, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&attributes, 128);
    psa_set_key_usage_flags(&attributes, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT);
    psa_set_key_algorithm(&attributes, PSA_ALG_GCM);
    if (psa_import_key(&attributes, bytes.data(), bytes.size(), &key) != PSA_SUCCESS) std::abort();
  }
  ~raw_psa() { psa_destroy_key(key); }
  raw_psa(const raw_psa&) = delete;
  raw_psa& operator=(const raw_psa&) = delete;

  [[nodiscard]] std::array<std::uint8_t, 12> nonce(std::uint64_t seq) const {
    auto n = base_nonce;
    for (std::size_t i = 0; i < 8; ++i) n[11 - i] ^= static_cast<std::uint8_t>(seq >> (8 * i));
    return n;
  }
};

/// Seals with raw PSA into the same frame layout; returns the bytes written.
std::size_t seal_with_psa(fixture& f, const raw_psa& psa) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < chunks; ++i) {
    std::uint8_t* out = f.file.data() + at;
    out[0] = i + 1 == chunks ? 1 : 0;
    out[1] = 0, out[2] = 1, out[3] = 0, out[4] = 16;  // 65552: the chunk and its tag
    const auto nonce = psa.nonce(i + 1);
    std::size_t written = 0;
    if (psa_aead_encrypt(psa.key, PSA_ALG_GCM, nonce.data(), nonce.size(), out, 1, f.data.data() + i * chunk,
                         chunk, out + 5, frame - 5, &written) != PSA_SUCCESS) {
      std::abort();
    }
    at += 5 + written;
  }
  return at;
}

void seal_mbedtls(benchmark::State& state) {
  fixture& f = shared();
  for (auto _ : state) {
    raw_psa psa;
    benchmark::DoNotOptimize(seal_with_psa(f, psa));
    benchmark::DoNotOptimize(f.file.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total));
}

void open_mbedtls(benchmark::State& state) {
  fixture& f = shared();
  raw_psa psa;
  seal_with_psa(f, psa);
  for (auto _ : state) {
    std::size_t at = 0;
    for (std::size_t i = 0; i < chunks; ++i) {
      const std::uint8_t* in = f.file.data() + at;
      const auto nonce = psa.nonce(i + 1);
      std::size_t written = 0;
      if (psa_aead_decrypt(psa.key, PSA_ALG_GCM, nonce.data(), nonce.size(), in, 1, in + 5, frame - 5,
                           f.plaintext.data() + i * chunk, chunk, &written) != PSA_SUCCESS) {
        std::abort();
      }
      at += frame;
    }
    benchmark::DoNotOptimize(f.plaintext.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * total));
}

}  // namespace

// At least 2 s per repetition (four iterations of 100 MiB), whatever the run's minimum time:
// one iteration per repetition leaves the 2-core machine's noise (a 30-40% spread) in the
// medians.
BENCHMARK(seal_pki)->Name("seal_100MiB/pki")->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(seal_mbedtls)->Name("seal_100MiB/mbedtls")->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(open_pki)->Name("open_100MiB/pki")->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(open_mbedtls)->Name("open_100MiB/mbedtls")->Unit(benchmark::kMillisecond)->MinTime(2.0);
