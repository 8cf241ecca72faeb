// The PSA-backed random source.

#include <boost/test/unit_test.hpp>

#include <pki/core/random.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <thread>
#include <vector>

BOOST_AUTO_TEST_SUITE(random_source)

BOOST_AUTO_TEST_CASE(fills_the_buffer_and_differs_between_draws) {
  std::array<std::uint8_t, 32> a{};
  std::array<std::uint8_t, 32> b{};
  BOOST_REQUIRE(pki::random_bytes(a).has_value());
  BOOST_REQUIRE(pki::random_bytes(b).has_value());
  BOOST_TEST((a != b));
  BOOST_TEST(std::any_of(a.begin(), a.end(), [](std::uint8_t x) { return x != 0; }));
}

BOOST_AUTO_TEST_CASE(accepts_an_empty_buffer) {
  BOOST_TEST(pki::random_bytes(std::span<std::uint8_t>{}).has_value());
}

BOOST_AUTO_TEST_CASE(initialises_psa_once_from_many_threads) {
  std::vector<std::thread> threads;
  std::array<bool, 8> ok{};
  for (std::size_t i = 0; i < ok.size(); ++i) {
    threads.emplace_back([&ok, i] {
      std::array<std::uint8_t, 16> buf{};
      ok[i] = pki::random_bytes(buf).has_value();
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(std::all_of(ok.begin(), ok.end(), [](bool x) { return x; }));
}

BOOST_AUTO_TEST_SUITE_END()
