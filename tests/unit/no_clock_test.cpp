// The library as a board without a real-time clock and without threads builds it
// (tests/CMakeLists.txt compiles this file with PKI_NO_SYSTEM_CLOCK and PKI_NO_THREADS):
// every default that needs the time fails with errc::time_unknown until the program sets
// a clock, never guessing one; and TLS, mutual TLS included, runs on one thread with no
// locks (core/detail/threads.hpp).

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <pki/core/clock.hpp>
#include <pki/tls/config.hpp>
#include <pki/tls/session.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "clock_cases.hpp"
#include "support/tls_fixture.hpp"

static_assert(!PKI_HAS_SYSTEM_CLOCK, "built with PKI_NO_SYSTEM_CLOCK");
static_assert(!PKI_HAS_THREADING, "built with PKI_NO_THREADS");

namespace {

using pki::errc;
using pki_test::expect_error;
using pki_test::expect_ok;
namespace fx = pki_test::tls_fixture;

// The TLS fixture issues its certificates around the real time; a board's clock says it.
std::optional<std::chrono::sys_seconds> board_clock() noexcept {
  return fx::now;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(no_system_clock)

BOOST_AUTO_TEST_CASE(without_a_clock_now_is_time_unknown) {
  const auto t = pki::now();
  expect_error(t, errc::time_unknown);
  BOOST_TEST(t.error().message().find("pki::set_clock()") != std::string::npos, t.error().message());
}

BOOST_AUTO_TEST_CASE(without_a_clock_every_default_is_time_unknown) {
  expect_error(clock_cases::validate_without_time(), errc::time_unknown);
  expect_error(clock_cases::self_signed_without_start(), errc::time_unknown);
  expect_error(clock_cases::crl_without_this_update(), errc::time_unknown);
}

BOOST_AUTO_TEST_CASE(setting_no_clock_leaves_none) {
  pki::set_clock(&board_clock);
  (void)pki_test::value_of(pki::now());
  pki::set_clock(nullptr);
  expect_error(pki::now(), errc::time_unknown);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tls_without_threads)

BOOST_DATA_TEST_CASE(mutual_tls_on_one_thread_with_the_board_clock,
                     boost::unit_test::data::make(fx::all_versions), version) {
  const clock_cases::scoped_clock clock(&board_clock);
  const auto& h = fx::ec_pki();
  auto c = fx::connect(fx::client_for(h, version, &h.client), fx::server_for(h, version, true));
  fx::establish(c);
  fx::send_and_receive(c.client, c.server, "telemetry 42");
  fx::send_and_receive(c.server, c.client, "ack 42");
  BOOST_REQUIRE(c.server.peer_certificate().has_value());
  BOOST_TEST((*c.server.peer_certificate() == h.client.leaf()));
}

// Tickets without threads: the server remembers the client's path per ticket
// (ticket_identities) and rotates its ticket key, all without locks.
BOOST_DATA_TEST_CASE(mutual_tls_resumes_and_rotates_tickets_on_one_thread,
                     boost::unit_test::data::make(fx::all_versions), version) {
  const clock_cases::scoped_clock clock(&board_clock);
  const auto& h = fx::ec_pki();
  const auto client_cfg = fx::client_for(h, version, &h.client);
  const auto server_cfg = fx::server_for(h, version, true);
  auto first = fx::connect(client_cfg, server_cfg);
  fx::establish(first);
  fx::send_and_receive(first.server, first.client, "welcome");  // TLS 1.3: the ticket comes first
  const auto saved = pki_test::value_of(first.client.save());

  expect_ok(server_cfg.rotate_ticket_keys());  // the previous key still opens the ticket
  auto again = fx::connect(client_cfg, server_cfg, fx::server_host, &saved);
  fx::establish(again);
  BOOST_TEST(again.client.resumed());
  BOOST_TEST(again.server.resumed());
  BOOST_REQUIRE(again.server.peer_certificate().has_value());
  BOOST_TEST((*again.server.peer_certificate() == h.client.leaf()));
}

BOOST_DATA_TEST_CASE(a_handshake_without_a_clock_refuses_with_time_unknown,
                     boost::unit_test::data::make(fx::all_versions), version) {
  const auto& h = fx::ec_pki();
  auto c = fx::connect(fx::client_for(h, version), fx::server_for(h, version));
  const auto out = fx::step_handshakes(c);
  expect_error(out.client, errc::time_unknown);
  BOOST_TEST(!c.client.established());
}

BOOST_AUTO_TEST_SUITE_END()
