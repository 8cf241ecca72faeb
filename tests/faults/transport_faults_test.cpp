// A transport at its worst, under a mutual-TLS handshake in TLS 1.2 and 1.3: bytes that
// arrive one at a time, sends that take one byte, would_block answered at every other call,
// and the link hung up at every offset of the handshake's bytes. A handshake over a slow
// link must complete (and carry data); one over a cut link must end in a pki::error on both
// sides, never hang or crash; and a new session on a sound link must work after each cut.

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <span>
#include <string>

#include "support/expect.hpp"
#include "support/tls_fixture.hpp"

namespace {

namespace tf = pki_test::tls_fixture;
using pki::errc;

/// How a link misbehaves.
struct link_faults {
  std::size_t max_chunk = SIZE_MAX;  // bytes one send takes or one receive delivers, at most
  bool block_every_other_call = false;
  std::size_t cut_after = SIZE_MAX;  // the link hangs up once this many bytes went over it
};

/// Two ends over one in-memory link that misbehaves as told.
class faulty_link {
 public:
  explicit faulty_link(link_faults faults) : state_(std::make_shared<state>()) { state_->faults = faults; }

  [[nodiscard]] pki::tls::transport end(std::size_t self) const {
    return {.send = [s = state_, self](pki::byte_view data) { return s->send(self, data); },
            .receive = [s = state_, self](std::span<std::uint8_t> out) { return s->receive(self, out); }};
  }
  [[nodiscard]] std::size_t carried() const noexcept { return state_->carried; }
  [[nodiscard]] std::size_t calls() const noexcept { return state_->calls; }
  [[nodiscard]] bool hung_up() const noexcept { return state_->hung_up; }

 private:
  struct state {
    link_faults faults;
    std::array<std::deque<std::uint8_t>, 2> inbox{};
    std::size_t carried = 0;
    std::size_t calls = 0;
    std::array<std::size_t, 2> calls_of{};  // each end's calls: every other one blocks
    bool hung_up = false;

    bool blocks_now(std::size_t self) {
      ++calls;
      return faults.block_every_other_call && ++calls_of[self] % 2 == 0;
    }

    pki::result<std::size_t> send(std::size_t self, pki::byte_view data) {
      if (blocks_now(self)) return pki::fail(errc::would_block, "faulty link: not now");
      if (hung_up) return pki::fail(errc::connection_closed, "faulty link: hung up");
      const std::size_t room = faults.cut_after - carried;
      const std::size_t n = std::min({data.size(), faults.max_chunk, room});
      inbox[1 - self].insert(inbox[1 - self].end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
      carried += n;
      if (carried == faults.cut_after) hung_up = true;
      if (n == 0) return pki::fail(errc::connection_closed, "faulty link: hung up");
      return n;
    }

    pki::result<std::size_t> receive(std::size_t self, std::span<std::uint8_t> out) {
      if (blocks_now(self)) return pki::fail(errc::would_block, "faulty link: not now");
      auto& queue = inbox[self];
      if (queue.empty()) {
        if (hung_up) return 0;  // the end of the stream
        return pki::fail(errc::would_block, "faulty link: nothing yet");
      }
      const std::size_t n = std::min({out.size(), queue.size(), faults.max_chunk});
      std::copy_n(queue.begin(), n, out.begin());
      queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
      return n;
    }
  };
  std::shared_ptr<state> state_;
};

struct sessions {
  faulty_link link;
  pki::tls::session client;
  pki::tls::session server;
};

sessions open_sessions(const pki::tls::config& client_cfg, const pki::tls::config& server_cfg, link_faults f) {
  faulty_link link(f);
  auto client = pki_test::value_of(pki::tls::session::client(client_cfg, link.end(0),
                                                       pki_test::value_of(pki::tls::parse_peer_name(tf::server_host))));
  auto server = pki_test::value_of(pki::tls::session::server(server_cfg, link.end(1)));
  return {std::move(link), std::move(client), std::move(server)};
}

/// Steps both handshakes until neither is waiting, or until `max_rounds` rounds: a
/// handshake that still waits then would have hung.
tf::handshake_outcome drive(sessions& s, std::size_t max_rounds) {
  tf::handshake_outcome out;
  for (std::size_t round = 0; round < max_rounds; ++round) {
    if (tf::waiting(out.client)) out.client = s.client.handshake();
    if (tf::waiting(out.server)) out.server = s.server.handshake();
    if (!tf::waiting(out.client) && !tf::waiting(out.server)) break;
  }
  return out;
}

constexpr std::size_t generous_rounds = 200'000;

#ifdef PKI_FAULTS_SANITIZED
constexpr std::size_t cut_stride = 17;  // every 17th offset: each handshake costs ten times as much
#else
constexpr std::size_t cut_stride = 1;
#endif
// A new session on a sound link after every this many cuts, and after the last.
constexpr long fresh_session_period = 16;

}  // namespace

BOOST_AUTO_TEST_SUITE(transport_faults)

BOOST_DATA_TEST_CASE(a_handshake_completes_one_byte_at_a_time_with_would_block_at_every_other_call,
                     boost::unit_test::data::make(tf::all_versions), version) {
  const auto& h = tf::ec_pki();
  const auto client_cfg = tf::client_for(h, version, &h.client);
  const auto server_cfg = tf::server_for(h, version, true);
  auto s = open_sessions(client_cfg, server_cfg, {.max_chunk = 1, .block_every_other_call = true});
  const auto out = drive(s, generous_rounds);
  pki_test::expect_ok(out.client);
  pki_test::expect_ok(out.server);
  std::cout << "transport faults: " << version << " handshake one byte at a time, every other call would_block: "
            << s.link.carried() << " bytes in " << s.link.calls() << " transport calls\n";
  // Data too goes through, byte by byte: write_all and read loop over would_block.
  const std::string text = "GET / HTTP/1.1\r\n\r\n";
  std::size_t sent = 0;
  std::string got;
  std::array<std::uint8_t, 64> buffer{};
  for (std::size_t round = 0; round < generous_rounds && got.size() < text.size(); ++round) {
    if (sent < text.size()) {
      auto n = s.client.write(pki::as_bytes(std::string_view(text).substr(sent)));
      if (n) sent += *n;
      else BOOST_REQUIRE_MESSAGE(n.error() == errc::would_block, pki_test::error_text(n));
    }
    auto r = s.server.read(buffer);
    if (r) got.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*r));
    else BOOST_REQUIRE_MESSAGE(r.error() == errc::would_block, pki_test::error_text(r));
  }
  BOOST_TEST(got == text);
}

BOOST_DATA_TEST_CASE(a_link_hung_up_at_any_offset_ends_both_sessions_in_an_error,
                     boost::unit_test::data::make(tf::all_versions), version) {
  const auto& h = tf::ec_pki();
  const auto client_cfg = tf::client_for(h, version, &h.client);
  const auto server_cfg = tf::server_for(h, version, true);
  // A sound handshake says how many bytes a handshake carries.
  auto sound = open_sessions(client_cfg, server_cfg, {});
  const auto sound_out = drive(sound, generous_rounds);
  pki_test::expect_ok(sound_out.client);
  pki_test::expect_ok(sound_out.server);
  const std::size_t total = sound.link.carried();

  std::map<std::string, long> endings;  // "client: <errc> / server: <errc>" -> count
  long cuts = 0;
  long shorter = 0;
  long fresh_sessions = 0;
  long new_sessions_ok = 0;
  for (std::size_t cut = 0; cut < total; cut += cut_stride) {
    auto s = open_sessions(client_cfg, server_cfg, {.cut_after = cut});
    const auto out = drive(s, generous_rounds);
    if (!s.link.hung_up()) {
      // Signatures vary in length by a byte or two: this handshake was shorter than the cut.
      pki_test::expect_ok(out.client);
      pki_test::expect_ok(out.server);
      ++shorter;
      continue;
    }
    ++cuts;
    // The handshake may still have finished on a side the cut bytes were not needed for:
    // the client in TLS 1.3 is done once it sent its Finished, and a NewSessionTicket the
    // server sends after is read later. Such a session ends at its next read: the stream's
    // end or an error, never data.
    BOOST_TEST(!tf::waiting(out.client), "cut after " << cut << ": the client still waits");
    BOOST_TEST(!tf::waiting(out.server), "cut after " << cut << ": the server still waits");
    const auto name = [](pki::tls::session& session, const pki::result<void>& r) {
      if (!r) return std::string(pki::describe(r.error().code()));
      std::array<std::uint8_t, 16> buffer{};
      const auto n = session.read(buffer);
      BOOST_TEST((!n || *n == 0), "a session over a cut link read " << (n ? *n : 0) << " bytes");
      return "finished, then read " + (n ? std::string("the end of the stream") : std::string(pki::describe(n.error().code())));
    };
    ++endings["client " + name(s.client, out.client) + "; server " + name(s.server, out.server)];
    // A new session over a sound link works after it.
    if (cuts % fresh_session_period == 0 || cut + cut_stride >= total) {
      ++fresh_sessions;
      auto fresh = open_sessions(client_cfg, server_cfg, {});
      const auto fresh_out = drive(fresh, generous_rounds);
      if (fresh_out.client && fresh_out.server) ++new_sessions_ok;
    }
  }
  BOOST_TEST(new_sessions_ok == fresh_sessions);
  std::cout << "transport faults: " << version << " handshake of " << total << " bytes hung up at " << cuts
            << " offsets (every " << cut_stride << "; " << shorter << " handshakes were shorter than their cut), "
            << "each ended in errors; " << new_sessions_ok << " of "
            << fresh_sessions << " new sessions between them worked; endings:\n";
  for (const auto& [ending, n] : endings) std::cout << "  " << n << " x " << ending << "\n";
}

BOOST_AUTO_TEST_SUITE_END()
