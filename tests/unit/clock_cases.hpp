#pragma once
// Every default that reads the time reads pki::now(), and so the clock set with
// pki::set_clock(): validation without validation_options::time, make_self_signed()
// without not_before, a CRL without thisUpdate. Included by clock_test.cpp (a build with
// the system clock) and no_clock_test.cpp (one without it, and without threads), which
// add what differs between the two.

#include <boost/test/unit_test.hpp>

#include <pki/core/clock.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/validator.hpp>
#include <pki/x509/certificate_builder.hpp>
#include <pki/x509/crl_builder.hpp>

#include <chrono>
#include <optional>
#include <string>

#include "support/expect.hpp"
#include "support/hierarchy.hpp"

namespace clock_cases {

using pki::errc;
using pki_test::expect_error;
using pki_test::value_of;

// The hierarchy's validation instant (pki_test::when), as a clock.
inline std::optional<std::chrono::sys_seconds> clock_at_when() noexcept {
  return pki_test::when;
}
// After the shared leaf's notAfter, and before its notBefore.
inline std::optional<std::chrono::sys_seconds> clock_after_leaf() noexcept {
  return pki_test::leaf_period.not_after + std::chrono::seconds(1);
}
inline std::optional<std::chrono::sys_seconds> clock_before_leaf() noexcept {
  return pki_test::leaf_period.not_before - std::chrono::seconds(1);
}
// A real-time clock not set yet.
inline std::optional<std::chrono::sys_seconds> unset_rtc() noexcept {
  return std::nullopt;
}

/// Sets the program's clock for one test, and puts the built-in one back after it.
class scoped_clock {
 public:
  explicit scoped_clock(pki::clock_source source) noexcept { pki::set_clock(source); }
  scoped_clock(const scoped_clock&) = delete;
  scoped_clock& operator=(const scoped_clock&) = delete;
  ~scoped_clock() { pki::set_clock(nullptr); }
};

inline pki::result<pki::chain<>> validate_without_time() {
  const auto& h = pki_test::shared();
  const pki::validator<pki::policy::rfc5280> v{pki_test::anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  return v.verify(h.leaf.cert, bag, pki::validation_options{});
}

inline pki::result<pki::certificate<>> self_signed_without_start() {
  return pki::make_self_signed(pki_test::shared().leaf.key, pki_test::dn("CN=device-7"),
                               pki::self_signed_options{.days = std::chrono::days(30)});
}

inline pki::result<pki::crl> crl_without_this_update() {
  const auto& root = pki_test::shared().root;
  return pki::crl_builder()
      .issuer(root.cert)
      .next_update(pki_test::root_period.not_after)
      .crl_number(1)
      .sign(root.key);
}

BOOST_AUTO_TEST_SUITE(clock_defaults)

BOOST_AUTO_TEST_CASE(now_reads_the_clock_set) {
  const scoped_clock clock(&clock_at_when);
  BOOST_TEST((value_of(pki::now()) == pki_test::when));
}

BOOST_AUTO_TEST_CASE(validation_without_a_time_is_judged_at_the_clock) {
  {
    const scoped_clock clock(&clock_at_when);
    (void)value_of(validate_without_time());
  }
  {
    const scoped_clock clock(&clock_after_leaf);
    pki_test::expect_failure(validate_without_time(), errc::expired, 0);
  }
  {
    const scoped_clock clock(&clock_before_leaf);
    pki_test::expect_failure(validate_without_time(), errc::not_yet_valid, 0);
  }
}

BOOST_AUTO_TEST_CASE(an_explicit_time_needs_no_clock) {
  const scoped_clock clock(&unset_rtc);
  const auto& h = pki_test::shared();
  const pki::validator<pki::policy::rfc5280> v{pki_test::anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  (void)value_of(v.verify(h.leaf.cert, bag, pki_test::at_when));
  const auto cert = value_of(pki::make_self_signed(h.leaf.key, pki_test::dn("CN=device-7"),
                                                   pki::self_signed_options{.not_before = pki_test::when}));
  BOOST_TEST((cert.not_before() == pki_test::when));
}

BOOST_AUTO_TEST_CASE(a_self_signed_certificate_starts_at_the_clock) {
  const scoped_clock clock(&clock_at_when);
  const auto cert = value_of(self_signed_without_start());
  BOOST_TEST((cert.not_before() == pki_test::when));
  BOOST_TEST((cert.not_after() == pki_test::when + std::chrono::days(30)));
}

BOOST_AUTO_TEST_CASE(a_crl_is_issued_at_the_clock) {
  const scoped_clock clock(&clock_at_when);
  BOOST_TEST((value_of(crl_without_this_update()).this_update() == pki_test::when));
}

BOOST_AUTO_TEST_CASE(a_clock_that_does_not_know_the_time_is_time_unknown_everywhere) {
  const scoped_clock clock(&unset_rtc);
  const auto t = pki::now();
  expect_error(t, errc::time_unknown);
  BOOST_TEST(t.error().message().find("does not know the time yet") != std::string::npos,
             t.error().message());
  expect_error(validate_without_time(), errc::time_unknown);
  expect_error(self_signed_without_start(), errc::time_unknown);
  expect_error(crl_without_this_update(), errc::time_unknown);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace clock_cases
