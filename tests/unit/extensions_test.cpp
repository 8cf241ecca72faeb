// X.509 extensions and GeneralNames: IP address and network text, exact DER of every
// extension type both ways, the DER violations each decoder refuses, extension lists, and
// certificates written by the OpenSSL CLI decoded, checked field by field, re-encoded byte
// for byte and printed as `openssl x509 -text` prints them.

#include <boost/test/unit_test.hpp>

#include <pki/core/hash.hpp>
#include <pki/x509/extensions.hpp>
#include <pki/x509/general_name.hpp>
#include <pki/x509/name.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"
#include "support/openssl_cli.hpp"

using pki::errc;
using pki::general_name;
using pki_test::dn;
using pki_test::expect_error;
using pki_test::expect_ok;
using pki_test::value_of;

namespace {

/// Bytes from hex written with optional spaces: "30 06 01 01 FF".
pki::byte_buffer der(std::string_view spaced_hex) {
  std::string compact;
  for (const char c : spaced_hex) {
    if (c != ' ') compact += c;
  }
  return value_of(pki::from_hex(compact));
}

/// Upper-case hex of an encoding that must have succeeded, to compare with der().
std::string hex_of(pki::result<pki::byte_buffer>&& encoded) {
  const auto bytes = value_of(std::move(encoded));
  std::string text = pki::to_hex(bytes);
  for (auto& c : text) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}
std::string hex_of(std::string_view spaced_hex) {
  return hex_of(pki::result<pki::byte_buffer>(der(spaced_hex)));
}

pki::object_identifier oid(std::string_view dotted) {
  return value_of(pki::object_identifier::parse(dotted));
}
pki::ip_address ip(std::string_view text) {
  return value_of(pki::ip_address::parse(text));
}
pki::ip_network net(std::string_view text) {
  return value_of(pki::ip_network::parse(text));
}
/// Encodes `value`, checks the exact DER, decodes it back and checks it is equal.
template <class T>
void check_round_trip(const T& value, std::string_view expected_hex) {
  BOOST_TEST(hex_of(value.to_der()) == hex_of(expected_hex));
  const auto decoded = value_of(T::from_der(der(expected_hex)));
  BOOST_TEST((decoded == value));
}

}  // namespace

// ---- IP addresses and networks ------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(object_identifiers)

BOOST_AUTO_TEST_CASE(content_octets_are_checked_without_being_formatted) {
  const auto from = [](std::initializer_list<std::uint8_t> octets) {
    const std::vector<std::uint8_t> content(octets);
    return pki::object_identifier::from_der_content(content);
  };
  // 2.5.29.17, and an arc of several octets (1.2.840.113549: 0x86 0x48 and 0x86 0xF7 0x0D).
  BOOST_TEST(value_of(from({0x55, 0x1D, 0x11})).to_string() == "2.5.29.17");
  BOOST_TEST(value_of(from({0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D})).to_string() == "1.2.840.113549");
  expect_error(from({}), errc::parse_failed);                  // no arc
  expect_error(from({0x55, 0x1D, 0x91}), errc::parse_failed);  // the last arc does not end
  expect_error(from({0x55, 0x80, 0x1D}), errc::parse_failed);  // 0x80 first: not minimal
  // An arc above 64 bits: nine octets of 0xFF and 0x7F are 70 one bits.
  expect_error(from({0x55, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}), errc::parse_failed);
  // The largest 64-bit arc is fine: 0x81, eight octets of 0xFF and 0x7F are 1 + 56 + 7 one bits.
  BOOST_TEST(value_of(from({0x55, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F})).to_string() ==
             "2.5.18446744073709551615");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ip_addresses)

BOOST_AUTO_TEST_CASE(parses_and_prints_ipv4) {
  const auto address = ip("192.0.2.1");
  BOOST_TEST(address.is_v4());
  BOOST_TEST(!address.is_v6());
  BOOST_TEST(pki::to_hex(address.bytes()) == "c0000201");
  BOOST_TEST(address.to_string() == "192.0.2.1");
  BOOST_TEST(ip("0.0.0.0").to_string() == "0.0.0.0");
  BOOST_TEST(ip("255.255.255.255").to_string() == "255.255.255.255");
  BOOST_TEST(pki::ip_address{}.to_string() == "0.0.0.0");
}

BOOST_AUTO_TEST_CASE(refuses_malformed_ipv4) {
  for (const std::string_view text :
       {"1.2.3", "256.1.1.1", "01.2.3.4", "1.2.3.4.5", "", "1..2.3", "1.2.3.", ".1.2.3", " 1.2.3.4",
        "1.2.3.4 ", "+1.2.3.4", "1.2.3.-4", "1.2.3.4a", "0x1.2.3.4", "1234.1.1.1", "1.2.3.00"}) {
    BOOST_TEST_CONTEXT("text \"" << text << '"') {
      expect_error(pki::ip_address::parse(text), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(parses_ipv6_and_prints_rfc5952_canonical_text) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"2001:db8::1", "2001:db8::1"},
      {"2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
      {"::", "::"},
      {"::1", "::1"},
      {"1::", "1::"},
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},     // the first of equal runs
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},  // one zero group stays
      {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},                 // the longest run
      {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
      {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
      {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},  // IPv4-mapped: mixed notation (RFC 5952 5)
      {"::FFFF:c000:0201", "::ffff:192.0.2.1"},
      {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
      {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
      {"fe80::abcd:EF01", "fe80::abcd:ef01"},
  };
  for (const auto& [text, canonical] : cases) {
    BOOST_TEST_CONTEXT("text \"" << text << '"') {
      const auto address = ip(text);
      BOOST_TEST(address.is_v6());
      BOOST_TEST(address.bytes().size() == 16U);
      BOOST_TEST(address.to_string() == canonical);
      BOOST_TEST((ip(canonical) == address));
    }
  }
  BOOST_TEST(pki::to_hex(ip("2001:db8::1").bytes()) == "20010db8000000000000000000000001");
}

BOOST_AUTO_TEST_CASE(refuses_malformed_ipv6) {
  for (const std::string_view text : {":::",
                                      "1::2::3",
                                      "1:2:3:4:5:6:7:8:9",
                                      "1:2:3:4:5:6:7",
                                      "1:2:3:4:5:6:7:8::",
                                      "::1:2:3:4:5:6:7:8",
                                      ":1::2",
                                      "1::2:",
                                      ":",
                                      "1:2:3:4:5:6:7:8:",
                                      "12345::",
                                      "g::1",
                                      "::1.2.3",
                                      "1.2.3.4::",
                                      "::1.2.3.4:5",
                                      "fe80::1%eth0",
                                      "1:2:3:4:5:6:7:1.2.3.4",
                                      "::256.1.1.1",
                                      "::01.2.3.4",
                                      "[::1]",
                                      " ::1",
                                      "::1 ",
                                      "1:::2"}) {
    BOOST_TEST_CONTEXT("text \"" << text << '"') {
      expect_error(pki::ip_address::parse(text), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(from_bytes_takes_4_or_16_bytes) {
  BOOST_TEST(value_of(pki::ip_address::from_bytes(der("C0000201"))).to_string() == "192.0.2.1");
  BOOST_TEST(value_of(pki::ip_address::from_bytes(der("20010DB8000000000000000000000001"))).to_string() ==
             "2001:db8::1");
  expect_error(pki::ip_address::from_bytes(der("C00002")), errc::parse_failed);
  expect_error(pki::ip_address::from_bytes(der("C000020100")), errc::parse_failed);
  expect_error(pki::ip_address::from_bytes({}), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(orders_and_compares_addresses) {
  BOOST_TEST((ip("10.0.0.1") == ip("10.0.0.1")));
  BOOST_TEST((ip("10.0.0.1") != ip("10.0.0.2")));
  BOOST_TEST((ip("10.0.0.1") < ip("10.0.0.2")));
  BOOST_TEST((ip("0.0.0.0") != ip("::")));  // same bytes, other family
}

BOOST_AUTO_TEST_CASE(parses_networks_in_both_notations) {
  const auto v4 = net("10.0.0.0/8");
  BOOST_TEST(v4.address().to_string() == "10.0.0.0");
  BOOST_TEST(v4.prefix_length() == 8U);
  BOOST_TEST(pki::to_hex(v4.bytes()) == "0a000000ff000000");
  BOOST_TEST(pki::to_hex(v4.mask()) == "ff000000");
  BOOST_TEST(v4.to_string() == "10.0.0.0/8");
  BOOST_TEST((net("10.0.0.0/255.0.0.0") == v4));
  BOOST_TEST(net("0.0.0.0/0").to_string() == "0.0.0.0/0");
  BOOST_TEST(net("192.0.2.1/32").to_string() == "192.0.2.1/32");
  BOOST_TEST(net("192.168.0.0/255.255.128.0").prefix_length() == 17U);

  const auto v6 = net("2001:db8::/32");
  BOOST_TEST(pki::to_hex(v6.bytes()) == "20010db8000000000000000000000000ffffffff000000000000000000000000");
  BOOST_TEST(v6.to_string() == "2001:db8::/32");
  BOOST_TEST(net("::/0").to_string() == "::/0");
  BOOST_TEST(net("2001:db8::1/128").prefix_length() == 128U);
  BOOST_TEST((net("2001:db8::/ffff:ffff::") == v6));
}

BOOST_AUTO_TEST_CASE(refuses_malformed_networks) {
  for (const std::string_view text :
       {"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.1/8", "10.0.0.0/255.0.255.0",
        "10.0.0.0/0.255.255.255", "10.0.0.0/08", "10.0.0.0/-8", "10.0.0.0/8/8", "2001:db8::/129",
        "2001:db8::1/32", "10.0.0.0/ffff::", "2001:db8::/255.0.0.0", "/8", "10.0.0/8",
        "2001:db8::/ffff:0:ffff::"}) {
    BOOST_TEST_CONTEXT("text \"" << text << '"') {
      expect_error(pki::ip_network::parse(text), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(creates_networks_from_address_and_prefix) {
  BOOST_TEST((value_of(pki::ip_network::create(ip("10.0.0.0"), 8)) == net("10.0.0.0/8")));
  BOOST_TEST((value_of(pki::ip_network::create(ip("2001:db8::"), 32)) == net("2001:db8::/32")));
  expect_error(pki::ip_network::create(ip("10.0.0.0"), 33), errc::invalid_argument);
  expect_error(pki::ip_network::create(ip("10.0.0.1"), 8), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(reads_the_name_constraint_encoding) {
  BOOST_TEST((value_of(pki::ip_network::from_bytes(der("0A000000FF000000"))) == net("10.0.0.0/8")));
  BOOST_TEST(value_of(pki::ip_network::from_bytes(der("0000000000000000"))).to_string() == "0.0.0.0/0");
  // Host bits are kept as written; contains() masks them.
  const auto loose = value_of(pki::ip_network::from_bytes(der("0A000001FF000000")));
  BOOST_TEST(loose.address().to_string() == "10.0.0.1");
  BOOST_TEST(pki::to_hex(loose.bytes()) == "0a000001ff000000");
  BOOST_TEST(loose.contains(ip("10.9.9.9")));
  BOOST_TEST(value_of(pki::ip_network::from_bytes(
                          der("20010DB8000000000000000000000000FFFFFFFF000000000000000000000000")))
                 .to_string() == "2001:db8::/32");
}

BOOST_AUTO_TEST_CASE(refuses_non_contiguous_masks_and_wrong_lengths) {
  expect_error(pki::ip_network::from_bytes(der("0A000000FF00FF00")), errc::parse_failed);
  expect_error(pki::ip_network::from_bytes(der("0A00000000FFFFFF")), errc::parse_failed);
  expect_error(pki::ip_network::from_bytes(der("0A000000FE000001")), errc::parse_failed);
  expect_error(pki::ip_network::from_bytes(der("0A000000FF0000")), errc::parse_failed);
  expect_error(pki::ip_network::from_bytes(der("0A000000")), errc::parse_failed);
  expect_error(
      pki::ip_network::from_bytes(der("20010DB8000000000000000000000000FFFFFFFF000000000000000000000001")),
      errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(contains_addresses_of_its_family_within_its_prefix) {
  const auto ten = net("10.0.0.0/8");
  BOOST_TEST(ten.contains(ip("10.0.0.0")));
  BOOST_TEST(ten.contains(ip("10.255.255.255")));
  BOOST_TEST(!ten.contains(ip("11.0.0.0")));
  BOOST_TEST(!ten.contains(ip("9.255.255.255")));
  BOOST_TEST(!ten.contains(ip("::ffff:10.0.0.1")));  // another family, even when mapped
  BOOST_TEST(net("0.0.0.0/0").contains(ip("203.0.113.9")));
  BOOST_TEST(!net("0.0.0.0/0").contains(ip("::")));
  BOOST_TEST(net("192.168.0.0/17").contains(ip("192.168.127.1")));
  BOOST_TEST(!net("192.168.0.0/17").contains(ip("192.168.128.1")));
  BOOST_TEST(net("192.0.2.1/32").contains(ip("192.0.2.1")));
  BOOST_TEST(!net("192.0.2.1/32").contains(ip("192.0.2.2")));
  const auto doc = net("2001:db8::/32");
  BOOST_TEST(doc.contains(ip("2001:db8:ffff::1")));
  BOOST_TEST(!doc.contains(ip("2001:db9::")));
  BOOST_TEST(!doc.contains(ip("32.1.13.184")));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- GeneralName ----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(general_names)

BOOST_AUTO_TEST_CASE(encodes_each_choice_with_its_tag) {
  const std::pair<general_name, std::string_view> cases[] = {
      {pki::dns_name{"a.example"}, "82 09 612E6578616D706C65"},
      {pki::email_address{"a@b.c"}, "81 05 6140622E63"},
      {pki::uri_name{"https://x/"}, "86 0A 68747470733A2F2F782F"},
      {ip("192.0.2.1"), "87 04 C0000201"},
      {ip("2001:db8::1"), "87 10 20010DB8000000000000000000000001"},
      {pki::registered_id{oid("1.2.3.4")}, "88 03 2A0304"},
      {pki::other_name{oid("1.3.6.1.4.1.311.20.2.3"), der("0C 10 75736572406578616D706C652E636F6D")},
       "A0 20 060A2B060104018237140203 A0 12 0C1075736572406578616D706C652E636F6D"},
      {dn("CN=Alt Name,O=Acme"),
       "A4 24 3022 310D300B060355040A0C0441636D65 3111300F06035504030C08416C74204E616D65"},
  };
  for (const auto& [name, expected] : cases) {
    BOOST_TEST_CONTEXT(pki::to_string(name)) {
      BOOST_TEST(hex_of(pki::general_name_to_der(name)) == hex_of(expected));
      const auto decoded = value_of(pki::general_name_from_der(der(expected)));
      BOOST_TEST((decoded == name));
      BOOST_TEST(hex_of(pki::general_name_to_der(decoded)) == hex_of(expected));
    }
  }
}

BOOST_AUTO_TEST_CASE(encodes_networks_only_for_name_constraints) {
  const general_name network = net("10.0.0.0/8");
  BOOST_TEST(hex_of(pki::general_name_to_der(network, pki::ip_form::network)) ==
             hex_of("87 08 0A000000FF000000"));
  BOOST_TEST((value_of(pki::general_name_from_der(der("87 08 0A000000FF000000"), pki::ip_form::network)) ==
              network));
  expect_error(pki::general_name_to_der(network), errc::invalid_argument);
  expect_error(pki::general_name_to_der(ip("10.0.0.0"), pki::ip_form::network), errc::invalid_argument);
  expect_error(pki::general_name_from_der(der("87 08 0A000000FF000000")), errc::parse_failed);
  expect_error(pki::general_name_from_der(der("87 04 0A000000"), pki::ip_form::network), errc::parse_failed);
  expect_error(pki::general_name_from_der(der("87 08 0A000000FF00FF00"), pki::ip_form::network),
               errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(prints_like_openssl) {
  BOOST_TEST(pki::to_string(general_name{pki::dns_name{"example.com"}}) == "DNS:example.com");
  BOOST_TEST(pki::to_string(general_name{ip("192.0.2.1")}) == "IP Address:192.0.2.1");
  BOOST_TEST(pki::to_string(general_name{ip("2001:db8::1")}) == "IP Address:2001:db8::1");
  BOOST_TEST(pki::to_string(general_name{net("10.0.0.0/8")}) == "IP Address:10.0.0.0/8");
  BOOST_TEST(pki::to_string(general_name{pki::uri_name{"https://x/"}}) == "URI:https://x/");
  BOOST_TEST(pki::to_string(general_name{pki::email_address{"a@b.c"}}) == "email:a@b.c");
  BOOST_TEST(pki::to_string(general_name{dn("CN=Alt Name,O=Acme")}) == "DirName:CN=Alt Name,O=Acme");
  BOOST_TEST(pki::to_string(general_name{pki::registered_id{oid("1.2.3.4")}}) == "Registered ID:1.2.3.4");
  BOOST_TEST((pki::to_string(general_name{pki::other_name{oid("1.2.3"), der("0C0161")}}) ==
              "othername:1.2.3:0c0161"));
  const std::vector<general_name> names{pki::dns_name{"a.example"}, ip("192.0.2.1")};
  BOOST_TEST(pki::to_string(names) == "DNS:a.example, IP Address:192.0.2.1");
}

BOOST_AUTO_TEST_CASE(create_refuses_text_that_is_not_ia5) {
  BOOST_TEST(value_of(pki::dns_name::create("a.example")).value == "a.example");
  BOOST_TEST(value_of(pki::email_address::create("a@b.c")).value == "a@b.c");
  BOOST_TEST(value_of(pki::uri_name::create("https://x/")).value == "https://x/");
  expect_error(pki::dns_name::create("b\xC3\xBC"
                                     "cher.example"),
               errc::invalid_argument);
  expect_error(pki::email_address::create("j\xC3\xB6rg@example.com"), errc::invalid_argument);
  expect_error(pki::uri_name::create("https://b\xC3\xBC"
                                     "cher.example/"),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(host_accepts_only_host_names) {
  BOOST_TEST(value_of(pki::dns_name::host("api-1.Example.COM")).value == "api-1.Example.COM");
  BOOST_TEST(value_of(pki::dns_name::host("example.com.")).value == "example.com");  // trailing dot dropped
  BOOST_TEST(value_of(pki::dns_name::host("localhost")).value == "localhost");
  for (const char* bad : {"", ".", ".example.com", "*.example.com", "a..b", "-a.example", "a-.example",
                          "under_score.example", "sp ace.example", "example.com..",
                          "b\xC3\xBC"
                          "cher.example"}) {
    BOOST_TEST_CONTEXT("host " << bad) {
      expect_error(pki::dns_name::host(bad), errc::invalid_argument);
    }
  }
  const std::string label63(63, 'a');
  BOOST_TEST(pki::dns_name::host(label63 + ".example").has_value());
  expect_error(pki::dns_name::host(label63 + "a.example"), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(validate_refuses_what_cannot_be_encoded) {
  expect_ok(pki::validate(pki::dns_name{"a.example"}));
  expect_ok(pki::validate(net("10.0.0.0/8"), pki::ip_form::network));
  expect_error(pki::validate(pki::dns_name{"\xFF"}), errc::invalid_argument);
  expect_error(pki::validate(pki::email_address{"\x80@b.c"}), errc::invalid_argument);
  expect_error(pki::validate(pki::uri_name{"http://\xC3\xA9/"}), errc::invalid_argument);
  expect_error(pki::validate(pki::registered_id{}), errc::invalid_argument);
  expect_error(pki::validate(pki::other_name{{}, der("0C0161")}), errc::invalid_argument);
  expect_error(pki::validate(pki::other_name{oid("1.2.3"), {}}), errc::invalid_argument);
  expect_error(pki::validate(pki::other_name{oid("1.2.3"), der("0C01610C0161")}), errc::invalid_argument);
  expect_error(pki::validate(pki::other_name{oid("1.2.3"), der("0C0261")}), errc::invalid_argument);
  expect_error(pki::validate(net("10.0.0.0/8")), errc::invalid_argument);
  expect_error(pki::validate(ip("10.0.0.0"), pki::ip_form::network), errc::invalid_argument);
  expect_error(pki::general_name_to_der(pki::dns_name{"\xFF"}), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(refuses_malformed_general_names) {
  expect_error(pki::general_name_from_der(der("82 02 C3A4")), errc::parse_failed);        // not IA5
  expect_error(pki::general_name_from_der(der("81 01 FF")), errc::parse_failed);          // not IA5
  expect_error(pki::general_name_from_der(der("86 01 80")), errc::parse_failed);          // not IA5
  expect_error(pki::general_name_from_der(der("87 05 C000020100")), errc::parse_failed);  // 5-byte IP
  expect_error(pki::general_name_from_der(der("87 00")), errc::parse_failed);
  expect_error(pki::general_name_from_der(der("A2 03 040161")), errc::parse_failed);  // constructed dNSName
  expect_error(pki::general_name_from_der(der("89 01 00")), errc::parse_failed);      // no such tag
  expect_error(pki::general_name_from_der(der("82 01 61 00")), errc::parse_failed);   // trailing data
  expect_error(pki::general_name_from_der(der("82 02 61")), errc::parse_failed);      // truncated
  expect_error(pki::general_name_from_der(der("82 81 01 61")), errc::parse_failed);   // long-form length
  expect_error(pki::general_name_from_der(der("88 00")), errc::parse_failed);         // empty OID
  expect_error(pki::general_name_from_der(der("A4 00")), errc::parse_failed);         // no Name
  expect_error(pki::general_name_from_der(der("A4 04 3000 3000")), errc::parse_failed);    // two Names
  expect_error(pki::general_name_from_der(der("A0 05 0603 2A0304")), errc::parse_failed);  // no [0] value
  expect_error(pki::general_name_from_der(der("A0 0B 0603 2A0304 A004 0C0161 00")), errc::parse_failed);
  expect_error(pki::general_name_from_der(der("A3 00")), errc::unsupported);  // x400Address
  expect_error(pki::general_name_from_der(der("A5 00")), errc::unsupported);  // ediPartyName
}

BOOST_AUTO_TEST_CASE(general_names_are_a_non_empty_sequence) {
  const std::vector<general_name> names{pki::dns_name{"a"}, pki::email_address{"b"}};
  BOOST_TEST(hex_of(pki::general_names_to_der(names)) == hex_of("30 06 820161 810162"));
  BOOST_TEST((value_of(pki::general_names_from_der(der("30 06 820161 810162"))) == names));
  expect_error(pki::general_names_to_der({}), errc::invalid_argument);
  expect_error(pki::general_names_from_der(der("30 00")), errc::parse_failed);
  expect_error(pki::general_names_from_der(der("31 03 820161")), errc::parse_failed);
  expect_error(pki::general_names_from_der(der("30 03 820161 00")), errc::parse_failed);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Typed extensions -----------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(typed_extensions)

BOOST_AUTO_TEST_CASE(every_type_has_its_oid_and_rfc5280_criticality) {
  BOOST_TEST(pki::subject_alt_name::oid().to_string() == "2.5.29.17");
  BOOST_TEST(pki::issuer_alt_name::oid().to_string() == "2.5.29.18");
  BOOST_TEST(pki::key_usage::oid().to_string() == "2.5.29.15");
  BOOST_TEST(pki::extended_key_usage::oid().to_string() == "2.5.29.37");
  BOOST_TEST(pki::basic_constraints::oid().to_string() == "2.5.29.19");
  BOOST_TEST(pki::subject_key_identifier::oid().to_string() == "2.5.29.14");
  BOOST_TEST(pki::authority_key_identifier::oid().to_string() == "2.5.29.35");
  BOOST_TEST(pki::name_constraints::oid().to_string() == "2.5.29.30");
  BOOST_TEST(pki::crl_distribution_points::oid().to_string() == "2.5.29.31");
  BOOST_TEST(pki::certificate_policies::oid().to_string() == "2.5.29.32");
  BOOST_TEST(pki::authority_information_access::oid().to_string() == "1.3.6.1.5.5.7.1.1");
  BOOST_TEST(pki::key_usage::default_critical);
  BOOST_TEST(pki::basic_constraints::default_critical);
  BOOST_TEST(pki::name_constraints::default_critical);
  BOOST_TEST(!pki::subject_alt_name::default_critical);
  BOOST_TEST(!pki::extended_key_usage::default_critical);
  BOOST_TEST(!pki::subject_key_identifier::default_critical);
  BOOST_TEST(!pki::authority_key_identifier::default_critical);
  BOOST_TEST(!pki::crl_distribution_points::default_critical);
  BOOST_TEST(!pki::certificate_policies::default_critical);
  BOOST_TEST(!pki::authority_information_access::default_critical);
}

BOOST_AUTO_TEST_CASE(subject_alt_name_round_trips) {
  const pki::subject_alt_name san{{pki::dns_name{"a.example"}, ip("192.0.2.1"), ip("2001:db8::1"),
                                   pki::uri_name{"https://x/"}, pki::email_address{"a@b.c"}}};
  check_round_trip(
      san,
      "30368209612E6578616D706C658704C0000201871020010DB8000000000000000000000001860A68747470733A2F2F"
      "782F81056140622E63");
  BOOST_TEST(san.to_string() ==
             "DNS:a.example, IP Address:192.0.2.1, IP Address:2001:db8::1, URI:https://x/, email:a@b.c");
  expect_error(pki::subject_alt_name{}.to_der(), errc::invalid_argument);
  expect_error(pki::subject_alt_name{{net("10.0.0.0/8")}}.to_der(), errc::invalid_argument);
  expect_error(pki::subject_alt_name::from_der(der("30 00")), errc::parse_failed);
  expect_error(pki::subject_alt_name::from_der(der("30 0A 87 08 0A000000FF000000")), errc::parse_failed);
  expect_error(pki::subject_alt_name::from_der(der("30 03 820161 00")), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(issuer_alt_name_round_trips) {
  const pki::issuer_alt_name ian{{pki::dns_name{"ca.example"}}};
  check_round_trip(ian, "300C820A63612E6578616D706C65");
  BOOST_TEST(ian.to_string() == "DNS:ca.example");
  expect_error(pki::issuer_alt_name{}.to_der(), errc::invalid_argument);
  expect_error(pki::issuer_alt_name::from_der(der("30 00")), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(key_usage_is_a_der_named_bit_string) {
  using ku = pki::key_usage;
  check_round_trip(ku{ku::digital_signature | ku::key_encipherment}, "03 02 05 A0");
  check_round_trip(ku{ku::digital_signature}, "03 02 07 80");
  check_round_trip(ku{ku::key_cert_sign | ku::crl_sign}, "03 02 01 06");
  check_round_trip(ku{ku::encipher_only | ku::key_agreement}, "03 02 00 09");
  check_round_trip(ku{ku::decipher_only}, "03 03 07 00 80");
  check_round_trip(
      ku{ku::digital_signature | ku::non_repudiation | ku::key_encipherment | ku::data_encipherment |
         ku::key_agreement | ku::key_cert_sign | ku::crl_sign | ku::encipher_only | ku::decipher_only},
      "03 03 07 FF 80");
  const ku usage{ku::digital_signature | ku::key_cert_sign};
  BOOST_TEST(usage.has(ku::digital_signature));
  BOOST_TEST(usage.has(ku::key_cert_sign));
  BOOST_TEST(usage.has(ku::digital_signature | ku::key_cert_sign));
  BOOST_TEST(!usage.has(ku::digital_signature | ku::crl_sign));
  BOOST_TEST(!usage.has(ku::key_encipherment));
  BOOST_TEST(ku{ku::content_commitment}.has(ku::non_repudiation));
  BOOST_TEST(ku{ku::digital_signature | ku::key_encipherment}.to_string() ==
             "Digital Signature, Key Encipherment");
  BOOST_TEST(usage.to_string() == "Digital Signature, Certificate Sign");
  BOOST_TEST(ku{ku::non_repudiation | ku::decipher_only}.to_string() == "Non Repudiation, Decipher Only");
}

BOOST_AUTO_TEST_CASE(key_usage_with_no_bit_decodes_but_does_not_encode) {
  expect_error(pki::key_usage{}.to_der(), errc::invalid_argument);
  const auto empty = value_of(pki::key_usage::from_der(der("03 01 00")));
  BOOST_TEST(!empty.has(pki::key_usage::digital_signature));
  BOOST_TEST(empty.to_string().empty());
}

BOOST_AUTO_TEST_CASE(key_usage_refuses_bit_strings_that_are_not_der) {
  for (const std::string_view bad : {
           "03 02 06 A0",        // a used bit counted as unused
           "03 02 04 A0",        // trailing zero bits not removed
           "03 02 00 A0",        // trailing zero bits not removed
           "03 03 05 A0 00",     // a trailing zero byte
           "03 02 08 80",        // more than 7 unused bits
           "03 01 05",           // unused bits in an empty string
           "03 00",              // no unused-bits octet
           "03 04 00 01 02 03",  // more bits than keyUsage can hold here
           "04 02 05 A0",        // an OCTET STRING
           "23 04 03 02 05 A0",  // constructed (BER)
           "03 02 05 A0 00",     // trailing data
           "03 81 02 05 A0",     // long-form length
           "03 03 05 A0",        // truncated
       }) {
    BOOST_TEST_CONTEXT(bad) {
      expect_error(pki::key_usage::from_der(der(bad)), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(extended_key_usage_round_trips) {
  using eku = pki::extended_key_usage;
  check_round_trip(eku::of({eku::server_auth}), "30 0A 06 08 2B 06 01 05 05 07 03 01");
  const auto both = eku::of({eku::server_auth, eku::client_auth});
  check_round_trip(both, "301406082B0601050507030106082B06010505070302");
  BOOST_TEST(both.has(eku::server_auth));
  BOOST_TEST(both.has(oid("1.3.6.1.5.5.7.3.2")));
  BOOST_TEST(!both.has(eku::code_signing));
  BOOST_TEST(both.to_string() == "TLS Web Server Authentication, TLS Web Client Authentication");
  const auto all = eku::of({eku::code_signing, eku::email_protection, eku::time_stamping, eku::ocsp_signing,
                            eku::any_extended_key_usage});
  BOOST_TEST(all.to_string() ==
             "Code Signing, E-mail Protection, Time Stamping, OCSP Signing, Any Extended Key Usage");
  BOOST_TEST(value_of(eku::from_der(value_of(all.to_der()))).purposes[4].to_string() == "2.5.29.37.0");
  const eku custom{{oid("1.3.6.1.4.1.99999.7")}};
  check_round_trip(custom, "300B 0609 2B06010401868D1F07");
  BOOST_TEST(custom.to_string() == "1.3.6.1.4.1.99999.7");
}

BOOST_AUTO_TEST_CASE(extended_key_usage_refuses_empty_and_malformed) {
  expect_error(pki::extended_key_usage{}.to_der(), errc::invalid_argument);
  expect_error(pki::extended_key_usage{{pki::object_identifier{}}}.to_der(), errc::invalid_argument);
  expect_error(pki::extended_key_usage::from_der(der("30 00")), errc::parse_failed);
  expect_error(pki::extended_key_usage::from_der(der("30 03 020101")), errc::parse_failed);
  expect_error(pki::extended_key_usage::from_der(der("30 03 060181")),
               errc::parse_failed);  // unterminated arc
  expect_error(pki::extended_key_usage::from_der(der("30 0A 06082B06010505070301 00")), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(basic_constraints_omits_the_default_and_keeps_path_len) {
  check_round_trip(pki::basic_constraints{true, 0}, "30 06 01 01 FF 02 01 00");
  check_round_trip(pki::basic_constraints{false, std::nullopt}, "30 00");
  check_round_trip(pki::basic_constraints{true, std::nullopt}, "30 03 01 01 FF");
  check_round_trip(pki::basic_constraints{true, 128}, "30 07 01 01 FF 02 02 00 80");
  check_round_trip(pki::basic_constraints{true, UINT32_MAX}, "30 0A 01 01 FF 02 05 00 FF FF FF FF");
  BOOST_TEST((pki::basic_constraints{true, 0}.to_string() == "CA:TRUE, pathlen:0"));
  BOOST_TEST((pki::basic_constraints{true, std::nullopt}.to_string() == "CA:TRUE"));
  BOOST_TEST((pki::basic_constraints{false, std::nullopt}.to_string() == "CA:FALSE"));
  expect_error(pki::basic_constraints{false, 0}.to_der(), errc::invalid_argument);
  // RFC 5280 forbids issuing it, but a pathLen without cA is readable.
  const auto odd = value_of(pki::basic_constraints::from_der(der("30 03 02 01 00")));
  BOOST_TEST(!odd.ca);
  BOOST_TEST((odd.path_len == std::optional<std::uint32_t>(0)));
}

// A DEFAULT written out is not DER, but it is unambiguous, real CAs emit it and every
// common verifier reads it: so does pki (docs/conformance.md, Leniencies).
BOOST_AUTO_TEST_CASE(basic_constraints_reads_ca_false_written_out_as_absent) {
  const auto plain = value_of(pki::basic_constraints::from_der(der("30 03 01 01 00")));
  BOOST_TEST(!plain.ca);
  BOOST_TEST(!plain.path_len.has_value());
  const auto with_len = value_of(pki::basic_constraints::from_der(der("30 06 01 01 00 02 01 00")));
  BOOST_TEST(!with_len.ca);
  BOOST_TEST((with_len.path_len == std::optional<std::uint32_t>(0)));
  BOOST_TEST(hex_of(plain.to_der()) == "3000");  // written back as DER
}

BOOST_AUTO_TEST_CASE(basic_constraints_refuses_der_violations) {
  for (const std::string_view bad : {
           "30 03 01 01 01",                       // BOOLEAN neither 00 nor FF
           "30 03 02 01 FF",                       // negative pathLen
           "30 07 01 01 FF 02 02 00 01",           // non-minimal INTEGER
           "30 0A 01 01 FF 02 05 01 00 00 00 00",  // pathLen above 2^32-1
           "30 06 02 01 00 01 01 FF",              // fields out of order
           "30 09 01 01 FF 02 01 00 02 01 00",     // a third field
           "30 00 00",                             // trailing data
           "31 00",                                // a SET
       }) {
    BOOST_TEST_CONTEXT(bad) {
      expect_error(pki::basic_constraints::from_der(der(bad)), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(subject_key_identifier_is_the_sha1_of_the_public_key_bits) {
  const auto spki = der("3059301306072A8648CE3D020106082A8648CE3D030107034200 04" + std::string(128, '1'));
  const auto key_bits = pki::byte_view(spki).subspan(spki.size() - 65);
  const auto expected = value_of(pki::hash(pki::hash_algorithm::sha1, key_bits));
  const auto ski = value_of(pki::subject_key_identifier::from_public_key_der(spki));
  BOOST_TEST(pki::to_hex(ski.key_id) == expected.hex());
  const auto aki = value_of(pki::authority_key_identifier::from_public_key_der(spki));
  BOOST_TEST((aki.key_id == std::optional<pki::byte_buffer>(ski.key_id)));
  check_round_trip(pki::subject_key_identifier{der("0102AB")}, "04 03 01 02 AB");
  BOOST_TEST(pki::subject_key_identifier{der("0102AB")}.to_string() == "01:02:AB");
  expect_error(pki::subject_key_identifier::from_public_key_der(der("3000")), errc::parse_failed);
  expect_error(pki::subject_key_identifier::from_public_key_der(der("3005 3000 030100 00")),
               errc::parse_failed);
  expect_error(pki::subject_key_identifier::from_public_key_der(der("3007 3000 030100 0500")),
               errc::parse_failed);
  expect_error(pki::authority_key_identifier::from_public_key_der(der("0400")), errc::parse_failed);
  expect_error(pki::subject_key_identifier::from_der(der("03 02 00 01")), errc::parse_failed);
  expect_error(pki::subject_key_identifier::from_der(der("04 01 01 00")), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(authority_key_identifier_round_trips) {
  check_round_trip(pki::authority_key_identifier{der("010203"), {}, std::nullopt}, "30 05 80 03 010203");
  const pki::authority_key_identifier full{der("0102"), {dn("CN=t")}, der("00FF")};
  check_round_trip(full, "30 1A 80 02 0102 A1 10 A4 0E 300C310A300806035504030C0174 82 02 00FF");
  BOOST_TEST(full.to_string() == "keyid:01:02\nDirName:CN=t\nserial:00:FF");
  check_round_trip(pki::authority_key_identifier{std::nullopt, {}, std::nullopt}, "30 00");
  expect_error(pki::authority_key_identifier{std::nullopt, {dn("CN=t")}, std::nullopt}.to_der(),
               errc::invalid_argument);
  expect_error(pki::authority_key_identifier{std::nullopt, {}, der("01")}.to_der(), errc::invalid_argument);
  expect_error(pki::authority_key_identifier{std::nullopt, {dn("CN=t")}, der("0001")}.to_der(),
               errc::invalid_argument);
  expect_error(pki::authority_key_identifier::from_der(der("30 03 82 01")), errc::parse_failed);
  expect_error(pki::authority_key_identifier::from_der(der("30 04 82 02 0001")), errc::parse_failed);
  expect_error(pki::authority_key_identifier::from_der(der("30 02 A1 00")), errc::parse_failed);
  expect_error(pki::authority_key_identifier::from_der(der("30 06 82 01 01 80 01 01")), errc::parse_failed);
  expect_error(pki::authority_key_identifier::from_der(der("30 03 04 01 01")), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(name_constraints_round_trip_with_ip_networks) {
  const pki::name_constraints constraints{
      {{pki::dns_name{".example"}}, {net("10.0.0.0/8")}},
      {{pki::email_address{"bad.example"}}},
  };
  // OpenSSL's encoding of permitted;DNS:.example, permitted;IP:10.0.0.0/255.0.0.0,
  // excluded;email:bad.example.
  check_round_trip(
      constraints,
      "302BA018300A82082E6578616D706C65300A87080A000000FF000000A10F300D810B6261642E6578616D706C65");
  BOOST_TEST(constraints.to_string() ==
             "Permitted:\n  DNS:.example\n  IP Address:10.0.0.0/8\nExcluded:\n  email:bad.example");
  check_round_trip(pki::name_constraints{{}, {{net("2001:db8::/32")}}},
                   "3026 A124 3022 8720 20010DB8000000000000000000000000FFFFFFFF000000000000000000000000");
  check_round_trip(pki::name_constraints{{{dn("O=Acme")}}, {}},
                   "3017 A015 3013 A411 300F310D300B060355040A0C0441636D65");
}

BOOST_AUTO_TEST_CASE(name_constraints_refuse_what_rfc5280_forbids_on_encoding) {
  expect_error(pki::name_constraints{}.to_der(), errc::invalid_argument);
  expect_error(pki::name_constraints{{{ip("10.0.0.1")}}, {}}.to_der(), errc::invalid_argument);
  expect_error(pki::name_constraints{{{pki::dns_name{"a"}, 1, std::nullopt}}, {}}.to_der(),
               errc::invalid_argument);
  expect_error(pki::name_constraints{{}, {{pki::dns_name{"a"}, 0, 5}}}.to_der(), errc::invalid_argument);
  expect_error(pki::name_constraints{{{pki::dns_name{"\xFF"}}}, {}}.to_der(), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(name_constraints_decoding) {
  // minimum 0 written out is its DEFAULT: read as absent, written back as DER.
  const auto explicit_zero = value_of(pki::name_constraints::from_der(der("300A A008 3006 820161 800100")));
  BOOST_TEST(explicit_zero.permitted[0].minimum == 0U);
  BOOST_TEST(hex_of(explicit_zero.to_der()) == hex_of("3007 A005 3003 820161"));
  // A minimum and maximum that RFC 5280 forbids are still read.
  const auto kept = value_of(pki::name_constraints::from_der(der("300D A00B 3009 820161 800101 810102")));
  BOOST_TEST(kept.permitted.size() == 1U);
  BOOST_TEST(kept.permitted[0].minimum == 1U);
  BOOST_TEST((kept.permitted[0].maximum == std::optional<std::uint64_t>(2)));
  BOOST_TEST(kept.to_string() == "Permitted:\n  DNS:a (minimum 1) (maximum 2)");
  BOOST_TEST(value_of(pki::name_constraints::from_der(der("30 00"))).permitted.empty());
  for (const std::string_view bad : {
           "3002 A000",                             // an empty subtree list
           "3008 A006 3004 8702 0A00",              // an iPAddress of 2 bytes
           "300C A00A 3008 8706 0A00000000FF",      // 6 bytes
           "300A A008 3006 87040A000000",           // an address, not address and mask
           "300E A00C 300A 87080A000000FF00FF00",   // a non-contiguous mask
           "3008 A106 3003 820161 00",              // a stray byte in the subtree list
           "3009 A107 3005 820161 0500",            // trailing data in a subtree
           "3006 A004 3002 3000",                   // a base that is not a GeneralName
           "300A A003 3001 00 A103 3001 00",        // truncated bases
           "3002 A100",                             // an empty excluded list
           "3007 A205 3003 820161",                 // an unknown field
           "300E A105 3003820161 A005 3003820162",  // fields out of order
           "3008 A006 3004 8002 0001",              // a subtree without a base
           "3009 A007 3005 820161 8000",            // an empty minimum
           "300A A008 3006 820161 8101FF",          // a negative maximum
       }) {
    BOOST_TEST_CONTEXT(bad) {
      expect_error(pki::name_constraints::from_der(der(bad)), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(crl_distribution_points_round_trip) {
  const pki::crl_distribution_points simple{{{{pki::uri_name{"http://crl.example/ca.crl"}}, {}, {}, {}}}};
  check_round_trip(simple, "3021301FA01DA01B8619687474703A2F2F63726C2E6578616D706C652F63612E63726C");
  BOOST_TEST(simple.to_string() == "Full Name:\n  URI:http://crl.example/ca.crl");
  BOOST_TEST((simple.uris() == std::vector<std::string>{"http://crl.example/ca.crl"}));

  pki::distribution_point with_all;
  with_all.full_name = {pki::uri_name{"http://a/"}};
  with_all.reasons = pki::reason_flag::key_compromise | pki::reason_flag::ca_compromise;
  with_all.crl_issuer = {dn("CN=t")};
  pki::distribution_point relative;
  relative.relative_name = der("300806035504030C0170");  // CN=p
  relative.reasons = pki::reason_flag::aa_compromise;
  const pki::crl_distribution_points both{{with_all, relative}};
  const auto encoded = value_of(both.to_der());
  BOOST_TEST((value_of(pki::crl_distribution_points::from_der(encoded)) == both));
  BOOST_TEST(hex_of(pki::result<pki::byte_buffer>(encoded)) ==
             hex_of("303C"
                    "3025 A00D A00B 8609687474703A2F2F612F 8102 0560 A210 A40E 300C310A300806035504030C0174"
                    "3013 A00C A10A 300806035504030C0170 8103 07 0080"));
  BOOST_TEST(
      both.to_string() ==
      "Full Name:\n  URI:http://a/\nReasons: Key Compromise, CA Compromise\nCRL Issuer:\n  DirName:CN=t\n\n"
      "Relative Name:\n  CN=p\nReasons: AA Compromise");
  BOOST_TEST((both.uris() == std::vector<std::string>{"http://a/"}));

  pki::distribution_point issuer_only;
  issuer_only.crl_issuer = {pki::dns_name{"crl.example"}};
  check_round_trip(pki::crl_distribution_points{{issuer_only}}, "3011 300F A20D 820B63726C2E6578616D706C65");
}

BOOST_AUTO_TEST_CASE(crl_distribution_points_refuse_bad_points) {
  expect_error(pki::crl_distribution_points{}.to_der(), errc::invalid_argument);
  expect_error(pki::crl_distribution_points{{pki::distribution_point{}}}.to_der(), errc::invalid_argument);
  pki::distribution_point reasons_only;
  reasons_only.reasons = pki::reason_flag::superseded;
  expect_error(pki::crl_distribution_points{{reasons_only}}.to_der(), errc::invalid_argument);
  pki::distribution_point two_names;
  two_names.full_name = {pki::uri_name{"http://a/"}};
  two_names.relative_name = der("300806035504030C0170");
  expect_error(pki::crl_distribution_points{{two_names}}.to_der(), errc::invalid_argument);
  pki::distribution_point bad_relative;
  bad_relative.relative_name = der("0C0170");
  expect_error(pki::crl_distribution_points{{bad_relative}}.to_der(), errc::invalid_argument);
  for (const std::string_view bad : {
           "3000",                            // no points
           "3004 3002 A000",                  // an empty DistributionPointName
           "3006 3004 A002 A000",             // an empty fullName
           "3006 3004 A002 A100",             // an empty relative name
           "3009 3007 A005 A2030101FF",       // an unknown DistributionPointName
           "300B 3009 A007 A003860161 0500",  // trailing data in a DistributionPointName
           "3007 3005 8103 05 A0 00",         // reasons with a trailing zero byte
           "3006 3004 8102 06A0",             // reasons with bits set in the unused part
           "3004 3002 A200",                  // an empty cRLIssuer
           "3009 3007 A203820161 0500",       // a fourth field in a point
           "3008 3006 A203820161 00",         // a stray byte in a point
       }) {
    BOOST_TEST_CONTEXT(bad) {
      expect_error(pki::crl_distribution_points::from_der(der(bad)), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(certificate_policies_round_trip) {
  const pki::certificate_policies dv{{{oid("2.23.140.1.2.1"), {}}}};
  check_round_trip(dv, "300A3008060667810C010201");
  BOOST_TEST(dv.to_string() == "Policy: 2.23.140.1.2.1");
  BOOST_TEST(dv.has(oid("2.23.140.1.2.1")));
  BOOST_TEST(!dv.has(oid("2.23.140.1.2.2")));

  const auto cps = value_of(pki::policy_qualifier::make_cps("https://cps.example/"));
  BOOST_TEST((cps.cps_uri() == std::optional<std::string>("https://cps.example/")));
  const pki::policy_qualifier notice{oid("1.3.6.1.5.5.7.2.2"), der("300E 1A0C48656C6C6F206E6F74696365")};
  BOOST_TEST(!notice.cps_uri().has_value());
  const pki::certificate_policies qualified{
      {{oid("1.3.6.1.4.1.99999.1"), {cps, notice}},
       {pki::object_identifier::from_trusted(pki::certificate_policies::any_policy), {}}}};
  check_round_trip(qualified,
                   "3055"
                   "304B 06092B06010401868D1F01 303E"
                   "302006082B06010505070201161468747470733A2F2F6370732E6578616D706C652F"
                   "301A06082B06010505070202 300E 1A0C48656C6C6F206E6F74696365"
                   "3006 0604551D2000");
}

BOOST_AUTO_TEST_CASE(certificate_policies_refuse_bad_policies) {
  // The valid shape the bad ones below are variations of.
  const auto valid = value_of(
      pki::certificate_policies::from_der(der("3017 3015 06022A03 300F 300D 06082B06010505070201 160161")));
  BOOST_TEST((valid.policies.at(0).qualifiers.at(0).cps_uri() == std::optional<std::string>("a")));
  expect_error(pki::policy_qualifier::make_cps("https://\xC3\xA9/"), errc::invalid_argument);
  expect_error(pki::certificate_policies{}.to_der(), errc::invalid_argument);
  expect_error(pki::certificate_policies{{{oid("1.2.3"), {}}, {oid("1.2.3"), {}}}}.to_der(),
               errc::invalid_argument);
  expect_error(pki::certificate_policies{{{pki::object_identifier{}, {}}}}.to_der(), errc::invalid_argument);
  expect_error(pki::certificate_policies{{{oid("1.2.3"), {{oid("1.2.4"), {}}}}}}.to_der(),
               errc::invalid_argument);
  expect_error(pki::certificate_policies{{{oid("1.2.3"), {{{}, der("0500")}}}}}.to_der(),
               errc::invalid_argument);
  for (const std::string_view bad : {
           "3000",                                                           // no policies
           "3002 3000",                                                      // no policy OID
           "3008 3006 06022A03 3000",                                        // an empty qualifier list
           "3012 3010 06022A03 300A 3008 06022A04 0500 0500",                // a third field in a qualifier
           "3014 3012 06022A03 300C 300A 06082B06010505070201",              // a qualifier without a value
           "3017 3015 06022A03 300F 300D 06082B06010505070201 0C0161",       // CPS as UTF8String
           "3017 3015 06022A03 300F 300D 06082B06010505070201 160180",       // CPS not IA5
           "3017 3015 06022A03 300F 300D 06082B06010505070202 160161",       // user notice not a SEQUENCE
           "3008 3006 06022A03 0500",                                        // qualifiers not a SEQUENCE
           "3019 3017 06022A03 300F 300D 06082B06010505070201 160161 0500",  // trailing data in
                                                                             // PolicyInformation
       }) {
    BOOST_TEST_CONTEXT(bad) {
      expect_error(pki::certificate_policies::from_der(der(bad)), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(authority_information_access_round_trips) {
  using aia = pki::authority_information_access;
  const aia access{
      {{pki::object_identifier::from_trusted(aia::ocsp), pki::uri_name{"http://ocsp.example/"}},
       {pki::object_identifier::from_trusted(aia::ca_issuers), pki::uri_name{"http://ca.example/ca.der"}}}};
  check_round_trip(
      access,
      "3048302006082B060105050730018614687474703A2F2F6F6373702E6578616D706C652F302406082B06010505073002"
      "8618687474703A2F2F63612E6578616D706C652F63612E646572");
  BOOST_TEST((access.uris(aia::ocsp) == std::vector<std::string>{"http://ocsp.example/"}));
  BOOST_TEST((access.uris(aia::ca_issuers) == std::vector<std::string>{"http://ca.example/ca.der"}));
  BOOST_TEST(access.to_string() ==
             "OCSP - URI:http://ocsp.example/\nCA Issuers - URI:http://ca.example/ca.der");
  expect_error(aia{}.to_der(), errc::invalid_argument);
  expect_error(aia{{{pki::object_identifier{}, pki::uri_name{"x"}}}}.to_der(), errc::invalid_argument);
  expect_error(aia{{{oid("1.2.3"), net("10.0.0.0/8")}}}.to_der(), errc::invalid_argument);
  expect_error(aia::from_der(der("3000")), errc::parse_failed);
  expect_error(aia::from_der(der("3006 3004 06022A03")), errc::parse_failed);
  expect_error(aia::from_der(der("3009 3007 06022A03 860161 00")), errc::parse_failed);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Extension lists ------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(extension_lists)

BOOST_AUTO_TEST_CASE(encodes_critical_true_and_omits_critical_false) {
  pki::extension_list list;
  expect_ok(list.add(pki::basic_constraints{true, 0}));
  expect_ok(list.add(pki::extended_key_usage::of({pki::extended_key_usage::server_auth})));
  BOOST_TEST(list.size() == 2U);
  BOOST_TEST(
      hex_of(list.to_der()) ==
      hex_of(
          "3029 3012 0603551D13 0101FF 0408 30060101FF020100 3013 0603551D25 040C 300A06082B06010505070301"));
  const auto decoded = value_of(pki::extension_list::from_der(value_of(list.to_der())));
  BOOST_TEST((decoded == list));
  BOOST_TEST(decoded.items()[0].critical);
  BOOST_TEST(!decoded.items()[1].critical);
}

BOOST_AUTO_TEST_CASE(finds_and_decodes_typed_extensions) {
  pki::extension_list list;
  expect_ok(list.add(pki::key_usage{pki::key_usage::digital_signature}, false));
  expect_ok(list.add(pki::extension{oid("1.2.3.4"), true, der("0500")}));
  BOOST_TEST(list.find(pki::key_usage::oid()) != nullptr);
  BOOST_TEST(!list.find(pki::key_usage::oid_content)->critical);
  BOOST_TEST(list.find(oid("1.2.3.4"))->critical);
  BOOST_TEST(list.find(pki::subject_alt_name::oid()) == nullptr);
  const auto usage = value_of(list.get<pki::key_usage>());
  BOOST_TEST(usage.has_value());
  BOOST_TEST(usage->has(pki::key_usage::digital_signature));
  BOOST_TEST(!value_of(list.get<pki::subject_alt_name>()).has_value());
  std::size_t count = 0;
  for (const auto& ext : list) count += ext.value.empty() ? 0 : 1;
  BOOST_TEST(count == 2U);
  BOOST_TEST(!list.empty());
}

BOOST_AUTO_TEST_CASE(get_reports_a_malformed_value) {
  pki::extension_list list;
  expect_ok(list.add(pki::extension{pki::basic_constraints::oid(), true, der("30030101 01")}));  // BOOLEAN 01
  expect_error(list.get<pki::basic_constraints>(), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(add_refuses_duplicates_and_unencodable_values) {
  pki::extension_list list;
  expect_ok(list.add(pki::subject_alt_name{{pki::dns_name{"a"}}}));
  expect_error(list.add(pki::subject_alt_name{{pki::dns_name{"b"}}}), errc::invalid_argument);
  expect_error(list.add(pki::extension{pki::subject_alt_name::oid(), false, der("3003820162")}),
               errc::invalid_argument);
  expect_error(list.add(pki::extension{}), errc::invalid_argument);
  expect_error(list.add(pki::key_usage{}), errc::invalid_argument);
  BOOST_TEST(list.size() == 1U);
  expect_error(pki::extension_list{}.to_der(), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(converts_between_typed_and_generic) {
  const auto generic = value_of(pki::to_extension(pki::basic_constraints{true, std::nullopt}));
  BOOST_TEST(generic.oid.to_string() == "2.5.29.19");
  BOOST_TEST(generic.critical);
  BOOST_TEST(pki::to_hex(generic.value) == "30030101ff");
  BOOST_TEST(!value_of(pki::to_extension(pki::basic_constraints{false, std::nullopt}, false)).critical);
  BOOST_TEST(value_of(pki::from_extension<pki::basic_constraints>(generic)).ca);
  expect_error(pki::from_extension<pki::key_usage>(generic), errc::invalid_argument);
  expect_error(pki::to_extension(pki::extended_key_usage{}), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(reads_critical_false_written_out_as_not_critical) {
  const auto list = value_of(pki::extension_list::from_der(der("300E 300C 0603551D13 010100 04023000")));
  BOOST_REQUIRE(list.size() == 1U);
  BOOST_TEST(!list.begin()->critical);
  BOOST_TEST(hex_of(list.to_der()) == "300B30090603551D1304023000");  // DER on the way out
}

BOOST_AUTO_TEST_CASE(refuses_der_violations_in_extensions) {
  for (const std::string_view bad : {
           "3000",                                                    // SIZE (1..MAX)
           "300E 300C 0603551D13 010101 04023000",                    // BOOLEAN not 00/FF
           "3009 3007 0603551D13 0500",                               // extnValue not an OCTET STRING
           "3007 3005 0603551D13",                                    // no extnValue
           "3010 300E 0603551D13 0101FF 04023000 0500",               // a fourth field
           "300E 300C 0101FF 0603551D13 04023000",                    // fields out of order
           "3016 3009 0603551D13 04023000 3009 0603551D13 04023000",  // a duplicate OID
           "300B 3009 0603551D13 04023000 00",                        // trailing data in the list
           "3008 3006 0600 04023000",                                 // an empty OID
           "300B 3009 0603808001 04023000",                           // a non-minimal OID arc
       }) {
    BOOST_TEST_CONTEXT(bad) {
      expect_error(pki::extension_list::from_der(der(bad)), errc::parse_failed);
      // The views a parsed certificate keeps refuse the same, for the same reason.
      const auto views = pki::extension_views::from_der(der(bad));
      BOOST_REQUIRE(!views);
      BOOST_TEST(views.error().message() == pki::extension_list::from_der(der(bad)).error().message());
    }
  }
}

BOOST_AUTO_TEST_CASE(views_read_what_the_owning_list_reads_without_copying) {
  pki::extension_list list;
  expect_ok(list.add(pki::basic_constraints{true, 0}));
  expect_ok(list.add(pki::key_usage{pki::key_usage::key_cert_sign}, false));
  expect_ok(list.add(pki::extension{oid("1.2.3.4"), true, der("0500")}));
  const auto encoded = value_of(list.to_der());
  const auto views = value_of(pki::extension_views::from_der(encoded));
  BOOST_REQUIRE(views.size() == 3U);
  const pki::byte_view whole = encoded;
  for (std::size_t i = 0; i < views.size(); ++i) {
    const auto& view = views.items()[i];
    BOOST_TEST((view.owned() == list.items()[i]));
    // A view points into the DER it was read from.
    BOOST_TEST(view.value.data() >= whole.data());
    BOOST_TEST(view.value.data() + view.value.size() <= whole.data() + whole.size());
  }
  BOOST_TEST((pki::extension_list::from_views(views) == list));
  BOOST_TEST(views.find(pki::basic_constraints::oid_content)->critical);
  BOOST_TEST(!views.find(pki::key_usage::oid_content)->critical);
  BOOST_TEST(views.find(pki::subject_alt_name::oid_content) == nullptr);
  BOOST_TEST(value_of(views.get<pki::basic_constraints>())->ca);
  BOOST_TEST(!value_of(views.get<pki::subject_alt_name>()).has_value());
  BOOST_TEST(pki::extension_views{}.empty());
}

BOOST_AUTO_TEST_CASE(views_report_a_malformed_value_when_decoded) {
  pki::extension_list list;
  expect_ok(list.add(pki::extension{pki::basic_constraints::oid(), true, der("30030101 01")}));  // BOOLEAN 01
  const auto encoded = value_of(list.to_der());
  const auto views = value_of(pki::extension_views::from_der(encoded));
  expect_error(views.get<pki::basic_constraints>(), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(prints_any_extension) {
  BOOST_TEST(pki::extension_name(pki::key_usage::oid()) == "X509v3 Key Usage");
  BOOST_TEST(pki::extension_name(pki::authority_information_access::oid()) == "Authority Information Access");
  BOOST_TEST(pki::extension_name(oid("1.2.3.4")) == "1.2.3.4");
  BOOST_TEST(
      (pki::to_string(value_of(pki::to_extension(pki::basic_constraints{true, 1}))) == "CA:TRUE, pathlen:1"));
  BOOST_TEST(pki::to_string(value_of(pki::to_extension(pki::key_usage{pki::key_usage::crl_sign}))) ==
             "CRL Sign");
  BOOST_TEST((pki::to_string(pki::extension{oid("1.2.3.4"), false, der("0500")}) == "05:00"));
  const auto malformed = pki::to_string(pki::extension{pki::key_usage::oid(), true, der("0302 06A0")});
  BOOST_TEST(malformed.starts_with("<malformed: "));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- The OpenSSL CLI as an oracle ---------------------------------------------------------

namespace {

/// The parts of a DER certificate the tests need, found with the strict DER reader.
struct certificate_parts {
  pki::byte_buffer spki;
  pki::byte_buffer extensions;  ///< the Extensions SEQUENCE inside [3] EXPLICIT
};

certificate_parts split_certificate(pki::byte_view certificate_der) {
  using pki::detail::context_constructed;
  using pki::detail::context_tag;
  using pki::detail::der_sequence;
  pki::detail::der_reader top(certificate_der, "certificate");
  auto certificate = value_of(top.enter(der_sequence));
  BOOST_REQUIRE(top.at_end());
  auto tbs = value_of(certificate.enter(der_sequence));
  const auto version = value_of(tbs.optional(context_constructed(0)));
  BOOST_REQUIRE(version.present());
  value_of(tbs.integer_bytes());       // serialNumber
  value_of(tbs.expect(der_sequence));  // signature
  value_of(tbs.expect(der_sequence));  // issuer
  value_of(tbs.expect(der_sequence));  // validity
  value_of(tbs.expect(der_sequence));  // subject
  const auto spki = value_of(tbs.expect(der_sequence));
  value_of(tbs.optional(context_tag(1)));  // issuerUniqueID
  value_of(tbs.optional(context_tag(2)));  // subjectUniqueID
  auto explicit_extensions = value_of(tbs.enter(context_constructed(3)));
  const auto extensions = value_of(explicit_extensions.expect(der_sequence));
  BOOST_REQUIRE(explicit_extensions.at_end());
  BOOST_REQUIRE(tbs.at_end());
  return {pki::byte_buffer(spki.whole.begin(), spki.whole.end()),
          pki::byte_buffer(extensions.whole.begin(), extensions.whole.end())};
}

/// Runs `openssl req -x509` with `config` and `extra` arguments; the certificate's DER.
pki::byte_buffer openssl_certificate(const pki_test::temp_dir& dir, std::string_view config,
                                     const std::vector<std::string>& extra) {
  pki_test::write_file(dir.file("openssl.cnf"), config);
  std::vector<std::string> args{"req",
                                "-x509",
                                "-config",
                                dir.file("openssl.cnf"),
                                "-newkey",
                                "ec",
                                "-pkeyopt",
                                "ec_paramgen_curve:P-256",
                                "-nodes",
                                "-keyout",
                                dir.file("key.pem"),
                                "-subj",
                                "/CN=t",
                                "-days",
                                "1",
                                "-outform",
                                "DER",
                                "-out",
                                dir.file("cert.der")};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto run = pki_test::run_openssl(args);
  BOOST_REQUIRE_MESSAGE(run.ok(), run.transcript());
  return pki_test::read_file(dir.file("cert.der"));
}

/// What `openssl x509 -text` prints under each extension heading, by heading (without
/// ": critical"), the common indentation removed, lines joined with '\n'.
std::map<std::string, std::string> openssl_extension_text(const pki_test::temp_dir& dir) {
  const auto run =
      pki_test::run_openssl({"x509", "-inform", "DER", "-in", dir.file("cert.der"), "-noout", "-text"});
  BOOST_REQUIRE_MESSAGE(run.ok(), run.transcript());
  std::map<std::string, std::string> blocks;
  std::istringstream lines(run.out);
  std::string line;
  std::string heading;
  std::size_t heading_indent = 0;
  bool inside = false;
  while (std::getline(lines, line)) {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    const std::size_t indent = line.find_first_not_of(' ');
    if (line.find("X509v3 extensions:") != std::string::npos) {
      inside = true;
      heading_indent = indent + 4;
      continue;
    }
    if (!inside || indent == std::string::npos) continue;
    if (indent < heading_indent) break;
    if (indent == heading_indent) {
      heading = line.substr(indent, line.find(':', indent) - indent);
      continue;
    }
    auto& block = blocks[heading];
    if (!block.empty()) block += '\n';
    block += line.substr(heading_indent + 4);
  }
  return blocks;
}

constexpr std::string_view minimal_config =
    "[req]\ndistinguished_name = dn\nx509_extensions = v3\n[dn]\n"
    "[v3]\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid:always\n";

/// Checks that the list and each extension re-encode to OpenSSL's bytes.
void check_reencoding(const pki::extension_list& list, const pki::byte_buffer& openssl_der) {
  BOOST_TEST(hex_of(list.to_der()) == hex_of(pki::result<pki::byte_buffer>(openssl_der)));
}

template <class T>
T typed(const pki::extension_list& list, bool critical) {
  const auto* ext = list.find(T::oid_content);
  BOOST_REQUIRE_MESSAGE(ext != nullptr, "missing " << pki::extension_name(T::oid()));
  BOOST_TEST(ext->critical == critical, pki::extension_name(T::oid()) << " criticality");
  auto value = value_of(list.get<T>());
  BOOST_REQUIRE(value.has_value());
  // The typed value re-encodes to exactly OpenSSL's extnValue.
  BOOST_TEST(hex_of(value->to_der()) == hex_of(pki::result<pki::byte_buffer>(ext->value)),
             pki::extension_name(T::oid()) << " re-encoding");
  return std::move(*value);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openssl_oracle)

BOOST_AUTO_TEST_CASE(decodes_and_reencodes_an_openssl_ca_certificate) {
  pki_test::temp_dir dir;
  const auto certificate = openssl_certificate(
      dir, minimal_config,
      {"-addext", "subjectAltName=DNS:a.example,IP:192.0.2.1,IP:2001:db8::1,URI:https://x/,email:a@b.c",
       "-addext",
       "nameConstraints=critical,permitted;DNS:.example,permitted;IP:10.0.0.0/"
       "255.0.0.0,excluded;email:bad.example",
       "-addext", "extendedKeyUsage=serverAuth,clientAuth", "-addext",
       "keyUsage=critical,digitalSignature,keyCertSign", "-addext",
       "basicConstraints=critical,CA:TRUE,pathlen:1", "-addext",
       "crlDistributionPoints=URI:http://crl.example/ca.crl", "-addext",
       "certificatePolicies=2.23.140.1.2.1"});
  const auto parts = split_certificate(certificate);
  const auto list = value_of(pki::extension_list::from_der(parts.extensions));
  BOOST_TEST(list.size() == 9U);
  check_reencoding(list, parts.extensions);

  const auto ski = typed<pki::subject_key_identifier>(list, false);
  BOOST_TEST((ski == value_of(pki::subject_key_identifier::from_public_key_der(parts.spki))));
  const auto aki = typed<pki::authority_key_identifier>(list, false);
  BOOST_TEST((aki.key_id == std::optional<pki::byte_buffer>(ski.key_id)));
  BOOST_TEST(aki.issuer.empty());
  BOOST_TEST(!aki.serial.has_value());

  const auto san = typed<pki::subject_alt_name>(list, false);
  const std::vector<general_name> expected_names{pki::dns_name{"a.example"}, ip("192.0.2.1"),
                                                 ip("2001:db8::1"), pki::uri_name{"https://x/"},
                                                 pki::email_address{"a@b.c"}};
  BOOST_TEST((san.names == expected_names));

  const auto constraints = typed<pki::name_constraints>(list, true);
  BOOST_TEST(constraints.permitted.size() == 2U);
  BOOST_TEST((constraints.permitted[0].base == general_name{pki::dns_name{".example"}}));
  BOOST_TEST((constraints.permitted[1].base == general_name{net("10.0.0.0/8")}));
  BOOST_TEST(constraints.excluded.size() == 1U);
  BOOST_TEST((constraints.excluded[0].base == general_name{pki::email_address{"bad.example"}}));

  const auto eku = typed<pki::extended_key_usage>(list, false);
  BOOST_TEST(eku.purposes.size() == 2U);
  BOOST_TEST(eku.has(pki::extended_key_usage::server_auth));
  BOOST_TEST(eku.has(pki::extended_key_usage::client_auth));

  const auto usage = typed<pki::key_usage>(list, true);
  BOOST_TEST((usage.flags == (pki::key_usage::digital_signature | pki::key_usage::key_cert_sign)));

  const auto constraints_bc = typed<pki::basic_constraints>(list, true);
  BOOST_TEST(constraints_bc.ca);
  BOOST_TEST((constraints_bc.path_len == std::optional<std::uint32_t>(1)));

  const auto crldp = typed<pki::crl_distribution_points>(list, false);
  BOOST_TEST((crldp.uris() == std::vector<std::string>{"http://crl.example/ca.crl"}));
  BOOST_TEST(crldp.points.size() == 1U);
  BOOST_TEST(!crldp.points[0].reasons.has_value());
  BOOST_TEST(crldp.points[0].crl_issuer.empty());

  const auto policies = typed<pki::certificate_policies>(list, false);
  BOOST_TEST(policies.policies.size() == 1U);
  BOOST_TEST(policies.policies[0].policy.to_string() == "2.23.140.1.2.1");
  BOOST_TEST(policies.policies[0].qualifiers.empty());

  // The text is OpenSSL's, where OpenSSL's own is canonical (not for IPv6 or bare key IDs).
  const auto text = openssl_extension_text(dir);
  BOOST_TEST(text.at("X509v3 Subject Key Identifier") == ski.to_string());
  BOOST_TEST(text.at("X509v3 Key Usage") == usage.to_string());
  BOOST_TEST(text.at("X509v3 Extended Key Usage") == eku.to_string());
  BOOST_TEST(text.at("X509v3 Basic Constraints") == constraints_bc.to_string());
  BOOST_TEST(text.at("X509v3 CRL Distribution Points") == crldp.to_string());
  BOOST_TEST(text.at("X509v3 Certificate Policies") == policies.to_string());
  BOOST_TEST(pki::to_string(*list.find(pki::key_usage::oid())) == text.at("X509v3 Key Usage"));
}

BOOST_AUTO_TEST_CASE(decodes_and_reencodes_every_kind_openssl_writes) {
  pki_test::temp_dir dir;
  const std::string config = std::string(
      "[req]\ndistinguished_name = dn\nx509_extensions = v3\n[dn]\n"
      "[v3]\n"
      "subjectKeyIdentifier = hash\n"
      "authorityKeyIdentifier = keyid:always,issuer:always\n"
      "subjectAltName = @alt\n"
      "issuerAltName = DNS:issuer.example, URI:http://issuer.example/\n"
      "authorityInfoAccess = OCSP;URI:http://ocsp.example/, caIssuers;URI:http://ca.example/ca.der\n"
      "crlDistributionPoints = crldp1, crldp2\n"
      "certificatePolicies = 2.23.140.1.2.1, @pol1\n"
      "nameConstraints = critical, permitted;IP:2001:db8::/ffff:ffff::, permitted;URI:.example.com, "
      "permitted;dirName:nc_dn, excluded;IP:192.168.0.0/255.255.0.0\n"
      "[alt]\nDNS.1 = a.example\notherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:user@example.com\nRID.1 = "
      "1.2.3.4\n"
      "dirName.1 = alt_dn\nIP.1 = ::ffff:192.0.2.1\n"
      "[alt_dn]\nO = Acme\nCN = Alt Name\n"
      "[nc_dn]\nO = Acme\n"
      "[crldp1]\nfullname = URI:http://crl.example/a.crl, URI:ldap://crl.example/a\n"
      "reasons = keyCompromise, CACompromise, superseded\nCRLissuer = dirName:issuer_dn\n"
      "[crldp2]\nrelativename = rel_dn\n"
      "[rel_dn]\nCN = partition 2\n"
      "[issuer_dn]\nCN = CRL Issuer\n"
      "[pol1]\npolicyIdentifier = 1.3.6.1.4.1.99999.1\nCPS.1 = \"https://cps.example/\"\nuserNotice.1 = "
      "@notice\n"
      "[notice]\nexplicitText = \"Hello notice\"\norganization = \"Acme\"\nnoticeNumbers = 1, 2\n");
  const auto certificate = openssl_certificate(dir, config, {});
  const auto parts = split_certificate(certificate);
  const auto list = value_of(pki::extension_list::from_der(parts.extensions));
  BOOST_TEST(list.size() == 8U);
  check_reencoding(list, parts.extensions);

  const auto ski = typed<pki::subject_key_identifier>(list, false);
  BOOST_TEST((ski == value_of(pki::subject_key_identifier::from_public_key_der(parts.spki))));
  const auto aki = typed<pki::authority_key_identifier>(list, false);
  BOOST_TEST((aki.key_id == std::optional<pki::byte_buffer>(ski.key_id)));
  BOOST_TEST((aki.issuer == std::vector<general_name>{dn("CN=t")}));
  BOOST_TEST(aki.serial.has_value());

  const auto san = typed<pki::subject_alt_name>(list, false);
  const std::vector<general_name> expected_names{
      pki::dns_name{"a.example"},
      pki::other_name{oid("1.3.6.1.4.1.311.20.2.3"), der("0C10 75736572406578616D706C652E636F6D")},
      pki::registered_id{oid("1.2.3.4")}, dn("CN=Alt Name,O=Acme"), ip("::ffff:192.0.2.1")};
  BOOST_TEST((san.names == expected_names));
  BOOST_TEST(san.to_string() ==
             "DNS:a.example, othername:1.3.6.1.4.1.311.20.2.3:0c1075736572406578616d706c652e636f6d, "
             "Registered ID:1.2.3.4, DirName:CN=Alt Name,O=Acme, IP Address:::ffff:192.0.2.1");

  const auto ian = typed<pki::issuer_alt_name>(list, false);
  BOOST_TEST((ian.names == std::vector<general_name>{pki::dns_name{"issuer.example"},
                                                     pki::uri_name{"http://issuer.example/"}}));

  using aia = pki::authority_information_access;
  const auto access = typed<aia>(list, false);
  BOOST_TEST((access.uris(aia::ocsp) == std::vector<std::string>{"http://ocsp.example/"}));
  BOOST_TEST((access.uris(aia::ca_issuers) == std::vector<std::string>{"http://ca.example/ca.der"}));

  const auto crldp = typed<pki::crl_distribution_points>(list, false);
  BOOST_TEST(crldp.points.size() == 2U);
  BOOST_TEST((crldp.uris() == std::vector<std::string>{"http://crl.example/a.crl", "ldap://crl.example/a"}));
  BOOST_TEST((crldp.points[0].reasons == std::optional<pki::reason_flag>(pki::reason_flag::key_compromise |
                                                                         pki::reason_flag::ca_compromise |
                                                                         pki::reason_flag::superseded)));
  BOOST_TEST((crldp.points[0].crl_issuer == std::vector<general_name>{dn("CN=CRL Issuer")}));
  BOOST_TEST(crldp.points[1].full_name.empty());
  BOOST_TEST(pki::to_hex(crldp.points[1].relative_name.value_or(pki::byte_buffer{})) ==
             "301206035504030c0b706172746974696f6e2032");
  BOOST_TEST(crldp.to_string() ==
             "Full Name:\n  URI:http://crl.example/a.crl\n  URI:ldap://crl.example/a\n"
             "Reasons: Key Compromise, CA Compromise, Superseded\nCRL Issuer:\n  DirName:CN=CRL Issuer\n\n"
             "Relative Name:\n  CN=partition 2");

  const auto policies = typed<pki::certificate_policies>(list, false);
  BOOST_TEST(policies.policies.size() == 2U);
  BOOST_TEST(policies.has(oid("1.3.6.1.4.1.99999.1")));
  const auto& qualifiers = policies.policies[1].qualifiers;
  BOOST_TEST(qualifiers.size() == 2U);
  BOOST_TEST((qualifiers[0].cps_uri() == std::optional<std::string>("https://cps.example/")));
  BOOST_TEST((qualifiers[1].id == pki::policy_qualifier::user_notice));

  const auto constraints = typed<pki::name_constraints>(list, true);
  BOOST_TEST(constraints.permitted.size() == 3U);
  BOOST_TEST((constraints.permitted[0].base == general_name{net("2001:db8::/32")}));
  BOOST_TEST((constraints.permitted[1].base == general_name{pki::uri_name{".example.com"}}));
  BOOST_TEST((constraints.permitted[2].base == general_name{dn("O=Acme")}));
  BOOST_TEST((constraints.excluded.at(0).base == general_name{net("192.168.0.0/16")}));

  const auto text = openssl_extension_text(dir);
  BOOST_TEST(text.at("X509v3 Subject Key Identifier") == ski.to_string());
  BOOST_TEST(text.at("X509v3 Issuer Alternative Name") == ian.to_string());
  BOOST_TEST(text.at("Authority Information Access") == access.to_string());
  BOOST_TEST(text.at("X509v3 Certificate Policies") == policies.to_string());
  BOOST_TEST(text.at("X509v3 Authority Key Identifier").starts_with("keyid:" + ski.to_string() + '\n'));
}

BOOST_AUTO_TEST_SUITE_END()
