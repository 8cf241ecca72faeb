#pragma once
// The TLS fuzz targets' configurations, made once from the fixed hierarchy, and the
// scripted peer they talk to. Each config draws its randomness from a deterministic
// generator, reset before every input, and time() is frozen (frozen_time.cpp): a session's
// handshake then depends only on the bytes it receives, so a flight recorded from a real
// peer (seeds.cpp) replays to the end of the handshake and beyond, not only up to the first
// signature over fresh randoms. mbedTLS here is built without MBEDTLS_USE_PSA_CRYPTO, so
// TLS 1.2 takes all its randomness from the config's generator; TLS 1.3 key shares come
// from PSA, so a TLS 1.3 replay ends where the peer's encrypted flight begins.
//
// The first input byte selects the config; the second, how the peer's bytes are cut into
// the chunks receive() hands out (0: as much as asked for); the rest is what the peer sends.

#include <mbedtls/ssl.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "fuzz.hpp"

namespace pki_fuzz {

/// A deterministic stand-in for mbedTLS's f_rng (splitmix64).
struct fixed_random {
  std::uint64_t state = 0;

  void reset() noexcept { state = 0x5DEECE66DULL; }
  static int generate(void* self, unsigned char* out, std::size_t size) noexcept {
    auto& r = *static_cast<fixed_random*>(self);
    for (std::size_t i = 0; i < size; i += 8) {
      std::uint64_t z = (r.state += 0x9E3779B97F4A7C15ULL);
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      z ^= z >> 31;
      for (std::size_t k = 0; k < 8 && i + k < size; ++k)
        out[i + k] = static_cast<unsigned char>(z >> (8 * k));
    }
    return 0;
  }
};

/// A config and its generator.
struct endpoint {
  pki::tls::config config;
  fixed_random* random;

  /// The config, its generator reset: the same bytes as at the start of every session.
  [[nodiscard]] const pki::tls::config& fresh() const noexcept {
    random->reset();
    return config;
  }
};

inline endpoint make_endpoint(pki::result<pki::tls::config> built, fixed_random& random) {
  auto config = need(std::move(built), "building a TLS config");
  mbedtls_ssl_conf_rng(&config.native(), fixed_random::generate, &random);
  return {std::move(config), &random};
}

inline constexpr std::size_t client_count = 4;
inline constexpr std::size_t server_count = 4;

/// The clients: 0 TLS 1.2 with ALPN h2 and http/1.1; 1 TLS 1.2 or 1.3 with ALPN http/1.1;
/// 2 TLS 1.2 presenting a leaf the root issued, alone; 3 TLS 1.2 or 1.3 presenting leaf and CA.
/// All trust the fixed root under policy::web_server at fixed_now, expecting server.test.
inline const std::array<endpoint, client_count>& clients() {
  static std::array<fixed_random, client_count> randoms{};
  static const std::array<endpoint, client_count> made = [] {
    using pki::tls::protocol_version;
    const auto& h = fixed_hierarchy();
    auto base = [&h] {
      pki::tls::client_config<> builder;
      builder.trust(h.anchors).clock([] { return fixed_now; });
      return builder;
    };
    return std::array<endpoint, client_count>{
        make_endpoint(base()
                          .versions(protocol_version::tls1_2, protocol_version::tls1_2)
                          .alpn({"h2", "http/1.1"})
                          .build(),
                      randoms[0]),
        make_endpoint(base().alpn({"http/1.1"}).build(), randoms[1]),
        make_endpoint(base()
                          .versions(protocol_version::tls1_2, protocol_version::tls1_2)
                          .identity(h.client_direct.chain, h.client_direct.key)
                          .build(),
                      randoms[2]),
        make_endpoint(base().identity(h.client.chain, h.client.key).build(), randoms[3])};
  }();
  return made;
}

/// The servers: 0 TLS 1.2 or 1.3, ALPN http/1.1, leaf and CA, no client certificate;
/// 1 TLS 1.2, a leaf the root issued, alone, client certificate required; 2 TLS 1.2 or 1.3,
/// leaf and CA, client certificate required; 3 TLS 1.3, the root-issued leaf alone. Client
/// certificates are judged under policy::iot_mtls_server at fixed_now.
inline const std::array<endpoint, server_count>& servers() {
  static std::array<fixed_random, server_count> randoms{};
  static const std::array<endpoint, server_count> made = [] {
    using pki::tls::protocol_version;
    const auto& h = fixed_hierarchy();
    auto base = [](const identity& id) {
      pki::tls::server_config<> builder;
      builder.identity(id.chain, id.key).clock([] { return fixed_now; });
      return builder;
    };
    return std::array<endpoint, server_count>{
        make_endpoint(base(h.server).alpn({"http/1.1"}).build(), randoms[0]),
        make_endpoint(base(h.server_direct)
                          .versions(protocol_version::tls1_2, protocol_version::tls1_2)
                          .trust(h.anchors)
                          .build(),
                      randoms[1]),
        make_endpoint(base(h.server).trust(h.anchors).build(), randoms[2]),
        make_endpoint(
            base(h.server_direct).versions(protocol_version::tls1_3, protocol_version::tls1_3).build(),
            randoms[3])};
  }();
  return made;
}

/// The peer as a script: receive() hands out its bytes in chunks, then reports the end of
/// the stream; send() takes everything and forgets it.
class scripted_peer {
 public:
  scripted_peer(pki::byte_view script, std::uint8_t chunking) : script_(script), chunk_state_(chunking) {}

  [[nodiscard]] pki::tls::transport transport() {
    return {.send = [](pki::byte_view data) -> pki::result<std::size_t> { return data.size(); },
            .receive = [this](std::span<std::uint8_t> buffer) -> pki::result<std::size_t> {
              std::size_t n = std::min(buffer.size(), script_.size());
              if (chunk_state_ != 0) n = std::min(n, next_chunk());
              std::copy_n(script_.begin(), n, buffer.begin());
              script_ = script_.subspan(n);
              return n;  // 0 once the script is over: the peer closed the connection
            }};
  }

 private:
  // Chunk sizes from 1 up to about four times the chunking byte, from a small LCG on it.
  std::size_t next_chunk() noexcept {
    limit_ = limit_ == 0 ? chunk_state_ : limit_;
    lcg_ = lcg_ * 1103515245U + 12345U + chunk_state_;
    return 1 + (lcg_ >> 16) % (4U * limit_);
  }

  pki::byte_view script_;
  std::uint8_t chunk_state_;
  std::uint32_t limit_ = 0;
  std::uint32_t lcg_ = 0;
};

/// Runs a session to the end of its script: the handshake, then reads until the stream
/// ends, a write and a close_notify (both discarded by the peer). What must hold: a
/// transport that never blocks never yields would_block; an established session that
/// authenticates its peer has a validated path whose leaf is the peer certificate, one that
/// does not has no path.
inline void run_session(pki::result<pki::tls::session> made, bool authenticates, bool client) {
  PKI_FUZZ_CHECK(made.has_value());
  auto& session = *made;
  auto shaken = session.handshake();
  if (!shaken) {
    PKI_FUZZ_CHECK(shaken.error() != pki::errc::would_block);
    PKI_FUZZ_CHECK(!session.established());
    (void)shaken.error().message();
    return;
  }
  PKI_FUZZ_CHECK(session.established());
  PKI_FUZZ_CHECK(!session.resumed());
  if (authenticates) {
    PKI_FUZZ_CHECK(!session.peer_path().empty());
    PKI_FUZZ_CHECK(session.peer_certificate().has_value() &&
                   *session.peer_certificate() == session.peer_path().leaf());
    PKI_FUZZ_CHECK(fixed_hierarchy().anchors.contains(session.peer_path().anchor()));
  } else {
    PKI_FUZZ_CHECK(session.peer_path().empty());
  }
  (void)session.version();
  (void)session.cipher_suite();
  (void)session.alpn();
  std::array<std::uint8_t, 2048> buffer{};
  for (int reads = 0; reads < 32; ++reads) {
    auto n = session.read(buffer);
    if (!n) {
      PKI_FUZZ_CHECK(n.error() != pki::errc::would_block);
      (void)n.error().message();
      break;
    }
    if (*n == 0) break;
  }
  (void)session.write(pki::as_bytes("fuzz"));
  (void)session.close();
  if (client) (void)session.save();
}

}  // namespace pki_fuzz
