// pki::now() and pki::set_clock() in a build with the system clock: it is the default,
// and every default that reads the time follows the clock a program sets
// (clock_cases.hpp). no_clock_test.cpp is the build without one.

#include <boost/test/unit_test.hpp>

#include <pki/core/clock.hpp>

#include <chrono>

#include "clock_cases.hpp"

static_assert(PKI_HAS_SYSTEM_CLOCK, "this suite is the build with a system clock");

BOOST_AUTO_TEST_SUITE(system_clock_default)

BOOST_AUTO_TEST_CASE(the_default_clock_is_the_system_clock) {
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto read = pki_test::value_of(pki::now());
  const auto after = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  BOOST_TEST((before <= read && read <= after));
}

BOOST_AUTO_TEST_CASE(setting_no_clock_restores_the_system_clock) {
  pki::set_clock(&clock_cases::unset_rtc);
  pki_test::expect_error(pki::now(), pki::errc::time_unknown);
  pki::set_clock(nullptr);
  const auto read = pki_test::value_of(pki::now());
  const auto system = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  BOOST_TEST((system - read <= std::chrono::seconds(1)));
}

BOOST_AUTO_TEST_SUITE_END()
