// GeneralName (x509/general_name.hpp) beyond what the extensions suite already checks
// (each choice's encoding, OpenSSL-style text, IA5, host names, malformed DER, address and
// network text): IPv4-mapped addresses both ways, the order of addresses across families,
// networks at their edge prefixes and as values, comparison across kinds, and the malformed
// inputs that suite leaves out, each with its exact errc.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/der.hpp"
#include "support/expect.hpp"
#include "support/hierarchy.hpp"

using pki::errc;
using pki::general_name;
using pki_test::dn;
using pki_test::expect_error;
using pki_test::value_of;

namespace {

using pki_test::der::hex;
using pki_test::ip;
using pki_test::network;

pki::object_identifier oid(std::string_view dotted) {
  return value_of(pki::object_identifier::parse(dotted));
}

std::string hex_of(pki::result<pki::byte_buffer> encoded) {
  return pki::to_hex(value_of(std::move(encoded)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ipv4_mapped_addresses)

BOOST_AUTO_TEST_CASE(a_mapped_address_stands_for_its_ipv4_address) {
  const auto mapped = ip("::ffff:192.0.2.1");
  BOOST_TEST(mapped.is_v6());
  const auto v4 = mapped.unmapped_v4();
  BOOST_REQUIRE(v4.has_value());
  BOOST_TEST(v4->is_v4());
  BOOST_TEST((*v4 == ip("192.0.2.1")));
  // Still two addresses: the families differ.
  BOOST_TEST((mapped != ip("192.0.2.1")));
}

BOOST_AUTO_TEST_CASE(other_addresses_stand_for_no_ipv4_address) {
  for (const std::string_view text : {"192.0.2.1", "::192.0.2.1", "::fffe:192.0.2.1", "64:ff9b::192.0.2.1",
                                      "1::ffff:192.0.2.1", "::"}) {
    BOOST_TEST_CONTEXT(text) { BOOST_TEST(!ip(text).unmapped_v4().has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(as_v6_maps_ipv4_and_keeps_ipv6) {
  const auto mapped = ip("203.0.113.9").as_v6();
  BOOST_TEST(mapped.is_v6());
  BOOST_TEST(pki::to_hex(mapped.bytes()) == "00000000000000000000ffffcb007109");
  BOOST_TEST((mapped == ip("::ffff:203.0.113.9")));
  BOOST_TEST((ip("2001:db8::1").as_v6() == ip("2001:db8::1")));
  BOOST_TEST((mapped.unmapped_v4() == std::optional(ip("203.0.113.9"))));
}

BOOST_AUTO_TEST_CASE(a_mapped_address_prints_in_mixed_notation_in_a_general_name) {
  BOOST_TEST(pki::to_string(general_name{ip("::ffff:c000:201")}) == "IP Address:::ffff:192.0.2.1");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(address_order)

BOOST_AUTO_TEST_CASE(every_ipv4_address_comes_before_every_ipv6_address) {
  BOOST_TEST((ip("255.255.255.255") < ip("::")));
  BOOST_TEST((ip("0.0.0.0") < ip("::")));
  BOOST_TEST((ip("::ffff:0.0.0.0") > ip("255.255.255.255")));
  BOOST_TEST(((ip("10.0.0.1") <=> ip("10.0.0.1")) == std::strong_ordering::equal));
}

BOOST_AUTO_TEST_CASE(a_sorted_set_orders_by_family_then_bytes) {
  std::set<pki::ip_address> set;
  for (const std::string_view text : {"2001:db8::1", "10.0.0.2", "::1", "10.0.0.1", "10.0.0.2", "192.0.2.1"})
    set.insert(ip(text));
  std::vector<std::string> order;
  for (const auto& address : set) order.push_back(address.to_string());
  const std::vector<std::string> expected{"10.0.0.1", "10.0.0.2", "192.0.2.1", "::1", "2001:db8::1"};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(networks)

BOOST_AUTO_TEST_CASE(masks_at_the_edge_prefixes) {
  BOOST_TEST(pki::to_hex(network("0.0.0.0/0").mask()) == "00000000");
  BOOST_TEST(pki::to_hex(network("10.0.0.0/7").mask()) == "fe000000");
  BOOST_TEST(pki::to_hex(network("192.168.0.0/17").mask()) == "ffff8000");
  BOOST_TEST(pki::to_hex(network("192.0.2.1/32").mask()) == "ffffffff");
  BOOST_TEST(pki::to_hex(network("::/0").mask()) == "00000000000000000000000000000000");
  BOOST_TEST(pki::to_hex(network("2001:db8::/33").mask()) == "ffffffff800000000000000000000000");
  BOOST_TEST(pki::to_hex(network("2001:db8::1/128").mask()) == "ffffffffffffffffffffffffffffffff");
}

BOOST_AUTO_TEST_CASE(a_default_network_is_all_of_ipv4) {
  const pki::ip_network all;
  BOOST_TEST(all.to_string() == "0.0.0.0/0");
  BOOST_TEST((all == network("0.0.0.0/0")));
  BOOST_TEST(all.contains(ip("198.51.100.7")));
}

BOOST_AUTO_TEST_CASE(create_refuses_ipv6_prefixes_too_long_or_with_host_bits) {
  BOOST_TEST((value_of(pki::ip_network::create(ip("::"), 0)) == network("::/0")));
  BOOST_TEST((value_of(pki::ip_network::create(ip("2001:db8::1"), 128)) == network("2001:db8::1/128")));
  expect_error(pki::ip_network::create(ip("2001:db8::"), 129), errc::invalid_argument);
  expect_error(pki::ip_network::create(ip("2001:db8::1"), 64), errc::invalid_argument);
  expect_error(pki::ip_network::create(ip("10.0.0.0"), 4), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(networks_compare_by_address_and_prefix) {
  BOOST_TEST((network("10.0.0.0/8") != network("10.0.0.0/16")));
  BOOST_TEST((network("10.0.0.0/8") != network("11.0.0.0/8")));
  // A network read with host bits keeps them, so it is not the network parsed from text.
  const auto loose = value_of(pki::ip_network::from_bytes(hex("0A000001 FF000000")));
  BOOST_TEST((loose != network("10.0.0.0/8")));
  BOOST_TEST(loose.prefix_length() == 8U);
  // An address and the one-address network of it are different kinds of general name.
  BOOST_TEST((general_name{ip("192.0.2.1")} != general_name{network("192.0.2.1/32")}));
}

BOOST_AUTO_TEST_CASE(mask_notation_of_the_other_family_or_malformed_is_parse_failed) {
  expect_error(pki::ip_network::parse("10.0.0.0/255.0.0"), errc::parse_failed);
  expect_error(pki::ip_network::parse("10.0.0.0/255.0.0.0.0"), errc::parse_failed);
  expect_error(pki::ip_network::parse("2001:db8::/ffff:ffff::1"), errc::parse_failed);
  expect_error(pki::ip_network::parse("10.0.0.0/1000"), errc::parse_failed);
  expect_error(pki::ip_network::parse("10.0.0.0/ 8"), errc::parse_failed);
  expect_error(pki::ip_network::parse("300.0.0.0/8"), errc::parse_failed);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(comparison)

BOOST_AUTO_TEST_CASE(names_of_different_kinds_with_the_same_text_differ) {
  BOOST_TEST((general_name{pki::dns_name{"a.example"}} != general_name{pki::uri_name{"a.example"}}));
  BOOST_TEST((general_name{pki::dns_name{"a.example"}} != general_name{pki::email_address{"a.example"}}));
  BOOST_TEST((general_name{pki::registered_id{oid("1.2.3")}} !=
              general_name{pki::other_name{oid("1.2.3"), hex("0500")}}));
}

BOOST_AUTO_TEST_CASE(text_names_compare_exactly_as_written) {
  // Equality is of values, not of DNS semantics: case and a trailing dot are the validator's business.
  BOOST_TEST((pki::dns_name{"A.Example"} != pki::dns_name{"a.example"}));
  BOOST_TEST((pki::dns_name{"a.example."} != pki::dns_name{"a.example"}));
  BOOST_TEST((pki::email_address{"a@b.c"} == pki::email_address{"a@b.c"}));
  BOOST_TEST((pki::uri_name{"https://x/"} != pki::uri_name{"https://x"}));
}

BOOST_AUTO_TEST_CASE(other_names_compare_type_and_value) {
  const pki::other_name upn{oid("1.3.6.1.4.1.311.20.2.3"), hex("0C 01 61")};
  BOOST_TEST((upn == pki::other_name{oid("1.3.6.1.4.1.311.20.2.3"), hex("0C 01 61")}));
  BOOST_TEST((upn != pki::other_name{oid("1.3.6.1.4.1.311.20.2.3"), hex("0C 01 62")}));
  BOOST_TEST((upn != pki::other_name{oid("1.3.6.1.5.5.7.8.4"), hex("0C 01 61")}));
}

BOOST_AUTO_TEST_CASE(directory_names_compare_as_distinguished_names) {
  BOOST_TEST((general_name{dn("CN=a,O=b")} == general_name{dn("CN=a,O=b")}));
  BOOST_TEST((general_name{dn("CN=a,O=b")} != general_name{dn("CN=a,O=c")}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(round_trips)

BOOST_AUTO_TEST_CASE(a_constructed_other_name_value_is_kept_whole) {
  // hardwareModuleName (RFC 4108): SEQUENCE { hwType OID, hwSerialNum OCTET STRING }.
  const general_name hmn = pki::other_name{oid("1.3.6.1.5.5.7.8.4"), hex("30 08 0603 2A0304 0401 07")};
  const auto encoded = value_of(pki::general_name_to_der(hmn));
  BOOST_TEST(pki::to_hex(encoded) == pki::to_hex(hex("A016 0608 2B06010505070804 A00A 3008 06032A0304 040107")));
  BOOST_TEST((value_of(pki::general_name_from_der(encoded)) == hmn));
}

BOOST_AUTO_TEST_CASE(an_empty_directory_name_round_trips) {
  const general_name empty = pki::distinguished_name{};
  const auto encoded = value_of(pki::general_name_to_der(empty));
  BOOST_TEST(pki::to_hex(encoded) == "a4023000");
  BOOST_TEST((value_of(pki::general_name_from_der(encoded)) == empty));
}

BOOST_AUTO_TEST_CASE(an_ipv4_mapped_address_round_trips_as_16_bytes) {
  const general_name mapped = ip("::ffff:192.0.2.1");
  const auto encoded = value_of(pki::general_name_to_der(mapped));
  BOOST_TEST(pki::to_hex(encoded) == "871000000000000000000000ffffc0000201");
  BOOST_TEST((value_of(pki::general_name_from_der(encoded)) == mapped));
}

BOOST_AUTO_TEST_CASE(general_names_keep_their_order_and_repeats) {
  const std::vector<general_name> names{pki::dns_name{"b"}, ip("10.0.0.1"), pki::dns_name{"a"},
                                        pki::dns_name{"b"}};
  const auto encoded = value_of(pki::general_names_to_der(names));
  BOOST_TEST((value_of(pki::general_names_from_der(encoded)) == names));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(malformed)

BOOST_AUTO_TEST_CASE(a_malformed_oid_inside_a_name_is_parse_failed) {
  expect_error(pki::general_name_from_der(hex("88 01 80")), errc::parse_failed);             // unterminated
  expect_error(pki::general_name_from_der(hex("88 02 8001")), errc::parse_failed);           // not minimal
  expect_error(pki::general_name_from_der(hex("A0 07 0600 A003 0C0161")), errc::parse_failed);  // empty type
  expect_error(pki::general_name_from_der(hex("A0 08 0601 80 A003 0C0161")), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(an_other_name_value_not_in_its_explicit_tag_is_parse_failed) {
  // [0] IMPLICIT in place of [0] EXPLICIT, the value missing, or a [1] tag.
  expect_error(pki::general_name_from_der(hex("A0 08 0603 2A0304 8001 61")), errc::parse_failed);
  expect_error(pki::general_name_from_der(hex("A0 07 0603 2A0304 A000")), errc::parse_failed);
  expect_error(pki::general_name_from_der(hex("A0 0A 0603 2A0304 A103 0C0161")), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(a_directory_name_that_is_not_a_name_is_parse_failed) {
  expect_error(pki::general_name_from_der(hex("A4 02 3100")), errc::parse_failed);  // a SET, not a Name
  expect_error(pki::general_name_from_der(hex("84 02 3000")), errc::parse_failed);  // primitive [4]
  expect_error(pki::general_name_from_der(hex("A4 04 3002 3100")), errc::parse_failed);  // an empty RDN
}

BOOST_AUTO_TEST_CASE(an_unsupported_choice_inside_general_names_is_unsupported) {
  expect_error(pki::general_names_from_der(hex("30 05 820161 A300")), errc::unsupported);
  expect_error(pki::general_names_from_der(hex("30 05 A500 820161")), errc::unsupported);
}

BOOST_AUTO_TEST_CASE(general_names_read_ip_names_as_addresses) {
  // GeneralNames in alternative names: an 8-byte iPAddress is a network, not allowed here.
  expect_error(pki::general_names_from_der(hex("30 0A 8708 0A000000FF000000")), errc::parse_failed);
  const auto names = value_of(pki::general_names_from_der(hex("30 06 8704 C0000201")));
  BOOST_REQUIRE(names.size() == 1U);
  BOOST_TEST((names[0] == general_name{ip("192.0.2.1")}));
}

BOOST_AUTO_TEST_CASE(empty_or_truncated_input_is_parse_failed) {
  expect_error(pki::general_name_from_der({}), errc::parse_failed);
  expect_error(pki::general_name_from_der(hex("82")), errc::parse_failed);
  expect_error(pki::general_names_from_der({}), errc::parse_failed);
  expect_error(pki::general_names_from_der(hex("30 05 820161")), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(an_empty_text_name_encodes_but_validate_still_checks_ia5) {
  // IA5String may be empty; the extension rules above GeneralName decide whether that is allowed.
  pki_test::expect_ok(pki::validate(pki::dns_name{""}));
  BOOST_TEST(hex_of(pki::general_name_to_der(pki::dns_name{""})) == "8200");
  BOOST_TEST((value_of(pki::general_name_from_der(hex("8200"))) == general_name{pki::dns_name{""}}));
  expect_error(pki::validate(pki::email_address{std::string("a\x80", 2)}), errc::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
