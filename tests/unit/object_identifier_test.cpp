// object_identifier: dotted text to content octets and back, the first two arcs folded
// into one subidentifier, arcs up to 64 bits, leading zeros and malformed encodings
// refused with parse_failed, equality and the fixed order on content octets.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"

using pki::errc;
using pki_test::expect_error;
using pki_test::value_of;

namespace {

pki::object_identifier oid(std::string_view dotted) {
  return value_of(pki::object_identifier::parse(dotted));
}

std::string hex_of(const pki::object_identifier& id) {
  return pki::to_hex(id.der_content());
}

pki::byte_buffer bytes(std::initializer_list<std::uint8_t> octets) {
  return pki::byte_buffer(octets);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dotted_text)

BOOST_AUTO_TEST_CASE(well_known_oids_encode_as_x690_says) {
  BOOST_TEST(hex_of(oid("2.5.29.17")) == "551d11");
  BOOST_TEST(hex_of(oid("1.2.840.113549.1.1.11")) == "2a864886f70d01010b");
  BOOST_TEST(hex_of(oid("1.3.6.1.5.5.7.3.1")) == "2b06010505070301");
}

BOOST_AUTO_TEST_CASE(text_round_trips) {
  for (const std::string_view text : {"0.0", "0.39", "1.0", "1.39", "2.0", "2.5.4.3", "2.999.1", "1.2.840.10045.4.3.2"})
    BOOST_TEST(oid(text).to_string() == text);
}

BOOST_AUTO_TEST_CASE(the_first_two_arcs_share_one_subidentifier) {
  BOOST_TEST(hex_of(oid("0.0")) == "00");
  BOOST_TEST(hex_of(oid("0.39")) == "27");
  BOOST_TEST(hex_of(oid("1.0")) == "28");
  BOOST_TEST(hex_of(oid("1.39")) == "4f");
  BOOST_TEST(hex_of(oid("2.0")) == "50");
  BOOST_TEST(hex_of(oid("2.47")) == "7f");
  // Under arc 2 the second arc is unbounded: 2.48 is 128, two octets.
  BOOST_TEST(hex_of(oid("2.48")) == "8100");
  BOOST_TEST(hex_of(oid("2.999.3")) == "883703");
}

BOOST_AUTO_TEST_CASE(arcs_up_to_64_bits_round_trip) {
  const auto big = oid("1.2.18446744073709551609");
  BOOST_TEST(big.to_string() == "1.2.18446744073709551609");
  BOOST_TEST(big.der_content().size() == 11U);  // 0x2a, then ten octets of 7 bits
  const auto back = value_of(pki::object_identifier::from_der_content(big.der_content()));
  BOOST_TEST((back == big));
  // The largest second arc under 2 that still fits in the first subidentifier.
  BOOST_TEST(oid("2.18446744073709551535").to_string() == "2.18446744073709551535");
}

BOOST_AUTO_TEST_CASE(arcs_beyond_64_bits_are_refused) {
  expect_error(pki::object_identifier::parse("1.2.99999999999999999999"), errc::parse_failed);
  expect_error(pki::object_identifier::parse("2.25.329800735698586629295641978511506172918"), errc::parse_failed);
  expect_error(pki::object_identifier::parse("2.18446744073709551536"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(leading_zeros_are_refused_but_a_lone_zero_is_an_arc) {
  expect_error(pki::object_identifier::parse("1.2.03"), errc::parse_failed);
  expect_error(pki::object_identifier::parse("01.2"), errc::parse_failed);
  expect_error(pki::object_identifier::parse("1.2.00"), errc::parse_failed);
  BOOST_TEST(oid("1.2.0.10").to_string() == "1.2.0.10");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_an_oid_is_parse_failed) {
  for (const std::string_view text :
       {"", "1", "2", ".", "1.", ".1.2", "1..2", "1.2.", "3.1", "0.40", "1.40", "1.2.a", " 1.2", "1.2 ", "-1.2",
        "+1.2", "1,2", "1.2.3\n"}) {
    BOOST_TEST_CONTEXT("\"" << text << "\"") { expect_error(pki::object_identifier::parse(text), errc::parse_failed); }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(content_octets)

BOOST_AUTO_TEST_CASE(valid_octets_read_back_as_text) {
  const auto id = value_of(pki::object_identifier::from_der_content(bytes({0x55, 0x1d, 0x13})));
  BOOST_TEST(id.to_string() == "2.5.29.19");
  BOOST_TEST((id == oid("2.5.29.19")));
  BOOST_TEST(!id.empty());
}

BOOST_AUTO_TEST_CASE(malformed_octets_are_parse_failed) {
  // Empty; the last octet still continued; a non-minimal leading 0x80 in the first and in a
  // later subidentifier; eleven octets of one subidentifier (over 64 bits).
  expect_error(pki::object_identifier::from_der_content({}), errc::parse_failed);
  expect_error(pki::object_identifier::from_der_content(bytes({0x55, 0x1d, 0x91})), errc::parse_failed);
  expect_error(pki::object_identifier::from_der_content(bytes({0x80, 0x01})), errc::parse_failed);
  expect_error(pki::object_identifier::from_der_content(bytes({0x55, 0x80, 0x1d})), errc::parse_failed);
  expect_error(pki::object_identifier::from_der_content(
                   bytes({0x2a, 0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})),
               errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(the_largest_64_bit_subidentifier_is_accepted) {
  // 2^64 - 1 as ten octets: 0x81 then eight 0xff then 0x7f.
  const auto id = value_of(pki::object_identifier::from_der_content(
      bytes({0x2a, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})));
  BOOST_TEST(id.to_string() == "1.2.18446744073709551615");
  // What to_string() prints, parse() reads back: every arc up to 2^64 - 1 is text too.
  BOOST_TEST((oid(id.to_string()) == id));
  BOOST_TEST(oid("1.2.18446744073709551610").to_string() == "1.2.18446744073709551610");
  expect_error(pki::object_identifier::parse("1.2.18446744073709551616"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(a_default_oid_is_empty_and_prints_nothing) {
  const pki::object_identifier none;
  BOOST_TEST(none.empty());
  BOOST_TEST(none.to_string().empty());
  BOOST_TEST(none.der_content().empty());
}

BOOST_AUTO_TEST_CASE(trusted_octets_are_taken_as_written) {
  const auto id = pki::object_identifier::from_trusted("\x55\x04\x03");
  BOOST_TEST((id == oid("2.5.4.3")));
  BOOST_TEST((id == std::string_view("\x55\x04\x03")));
  BOOST_TEST(!(id == std::string_view("\x55\x04\x0a")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(comparison)

BOOST_AUTO_TEST_CASE(equal_oids_from_text_and_octets_compare_equal) {
  BOOST_TEST((oid("2.5.4.3") == value_of(pki::object_identifier::from_der_content(bytes({0x55, 0x04, 0x03})))));
  BOOST_TEST((oid("2.5.4.3") != oid("2.5.4.4")));
  BOOST_TEST((oid("2.5.4") != oid("2.5.4.0")));
}

BOOST_AUTO_TEST_CASE(order_is_on_content_octets_and_a_prefix_comes_first) {
  BOOST_TEST((oid("2.5.4.3") < oid("2.5.4.10")));
  BOOST_TEST((oid("2.5.4") < oid("2.5.4.3")));
  BOOST_TEST((oid("1.2.840") < oid("2.5")));
  // 2.5.4.200 is 0x81 0x48, two octets, 2.5.4.100 the one octet 0x64.
  BOOST_TEST((oid("2.5.4.200") > oid("2.5.4.100")));
  BOOST_TEST(((oid("2.5.4.3") <=> oid("2.5.4.3")) == std::strong_ordering::equal));
}

BOOST_AUTO_TEST_CASE(sorted_containers_hold_each_oid_once) {
  std::set<pki::object_identifier> set;
  for (const std::string_view text : {"2.5.4.3", "1.2.840.113549", "2.5.4.3", "2.5.29.17", "1.2.840.113549"})
    set.insert(oid(text));
  std::vector<std::string> order;
  for (const auto& id : set) order.push_back(id.to_string());
  const std::vector<std::string> expected{"1.2.840.113549", "2.5.4.3", "2.5.29.17"};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
