// distinguished_name: RFC 4514 text <-> DER, byte-exact DER round trips, RFC 5280 7.1
// comparison, hostile-input limits, and the OpenSSL CLI as an oracle for both encodings.

#include <boost/test/unit_test.hpp>

#include <pki/core/detail/der_reader.hpp>
#include <pki/core/detail/der_writer.hpp>
#include <pki/x509/name.hpp>

#include "support/expect.hpp"
#include "support/openssl_cli.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using pki::distinguished_name;
using pki::errc;
using pki_test::expect_error;
using pki_test::expect_ok;
using pki_test::value_of;
namespace attribute = pki::attribute;
namespace string_tag = pki::string_tag;

namespace {

using bytes = pki::byte_buffer;

distinguished_name parsed(std::string_view text) {
  auto r = distinguished_name::parse(text);
  BOOST_REQUIRE_MESSAGE(r.has_value(), "parsing \"" << text << "\": " << pki_test::error_text(r));
  return std::move(*r);
}
bytes der_of(const distinguished_name& name) {
  return value_of(name.to_der());
}
distinguished_name read(const bytes& der) {
  return value_of(distinguished_name::from_der(der));
}

std::string hex(pki::byte_view b) {
  return pki::to_hex(b);
}
bytes unhex(std::string_view text) {
  return value_of(pki::from_hex(text));
}
bytes text_bytes(std::string_view text) {
  return bytes(text.begin(), text.end());
}

// Hand-made DER, for inputs the library would not write itself.
bytes tlv(std::uint8_t tag, const bytes& content) {
  bytes out{tag};
  if (content.size() < 0x80) {
    out.push_back(static_cast<std::uint8_t>(content.size()));
  } else if (content.size() < 0x100) {
    out.insert(out.end(), {0x81, static_cast<std::uint8_t>(content.size())});
  } else {
    out.insert(out.end(), {0x82, static_cast<std::uint8_t>(content.size() >> 8),
                           static_cast<std::uint8_t>(content.size())});
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}
bytes cat(const std::vector<bytes>& parts) {
  bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}
bytes oid_tlv(const pki::attribute_type& type) {
  return tlv(0x06, bytes(type.oid_content.begin(), type.oid_content.end()));
}
bytes atv(const pki::attribute_type& type, std::uint8_t tag, const bytes& content) {
  return tlv(0x30, cat({oid_tlv(type), tlv(tag, content)}));
}
bytes rdn(const std::vector<bytes>& atvs) {
  return tlv(0x31, cat(atvs));
}
bytes name_der(const std::vector<bytes>& rdns) {
  return tlv(0x30, cat(rdns));
}

/// text -> DER -> name -> text.
std::string through_der(std::string_view text) {
  return read(der_of(parsed(text))).to_string();
}

}  // namespace

// ---- RFC 4514 text ----------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(rfc4514_text)

BOOST_AUTO_TEST_CASE(text_lists_rdns_most_specific_first) {
  const auto name = parsed("CN=device-42,O=Acme\\, Inc.,C=DE");
  BOOST_REQUIRE_EQUAL(name.size(), 3U);
  BOOST_TEST((name.rdns()[0][0].type == attribute::country_name));
  BOOST_TEST((name.rdns()[1][0].type == attribute::organization_name));
  BOOST_TEST((name.rdns()[2][0].type == attribute::common_name));
  BOOST_TEST(name.rdns()[1][0].value == "Acme, Inc.");
  BOOST_TEST(hex(der_of(name)) ==
             "3036"
             "310b3009060355040613024445"                  // C=DE, PrintableString
             "31133011060355040a0c0a41636d652c20496e632e"  // O=Acme, Inc., UTF8String
             "3112301006035504030c096465766963652d3432");  // CN=device-42, UTF8String
  BOOST_TEST(through_der("CN=device-42,O=Acme\\, Inc.,C=DE") == "CN=device-42,O=Acme\\, Inc.,C=DE");
}

BOOST_AUTO_TEST_CASE(escapes_round_trip_through_der) {
  struct sample {
    std::string_view text;     // what parse() reads
    std::string_view value;    // the value it means
    std::string_view printed;  // what to_string() writes back
  };
  const sample samples[] = {
      {"CN=a\\,b", "a,b", "CN=a\\,b"},
      {"CN=a\\+b", "a+b", "CN=a\\+b"},
      {"CN=a\\\"b", "a\"b", "CN=a\\\"b"},
      {"CN=a\\\\b", "a\\b", "CN=a\\\\b"},
      {"CN=a\\;b", "a;b", "CN=a\\;b"},
      {"CN=a\\<b\\>", "a<b>", "CN=a\\<b\\>"},
      {"CN=a\\=b", "a=b", "CN=a=b"},  // '=' may be escaped, need not be
      {"CN=a=b", "a=b", "CN=a=b"},
      {"CN=\\#x", "#x", "CN=\\#x"},  // '#' is escaped at the start only
      {"CN=a\\#b", "a#b", "CN=a#b"},
      {"CN=a#b", "a#b", "CN=a#b"},
      {"CN=\\ lead", " lead", "CN=\\ lead"},
      {"CN=trail\\ ", "trail ", "CN=trail\\ "},
      {"CN=\\ both\\ ", " both ", "CN=\\ both\\ "},
      {"CN=\\ ", " ", "CN=\\ "},
      {"CN=\\ \\ ", "  ", "CN=\\ \\ "},
      {"CN=in side", "in side", "CN=in side"},
      {"CN=\\20x", " x", "CN=\\ x"},  // hex pair for a space
      {"CN=J\\C3\\BCrgen M\\c3\\bcller", "J\xC3\xBCrgen M\xC3\xBCller", "CN=J\xC3\xBCrgen M\xC3\xBCller"},
      {"CN=J\xC3\xBCrgen M\xC3\xBCller", "J\xC3\xBCrgen M\xC3\xBCller", "CN=J\xC3\xBCrgen M\xC3\xBCller"},
      {"CN=\\E2\\82\\AC \xF0\x9F\x98\x80", "\xE2\x82\xAC \xF0\x9F\x98\x80",
       "CN=\xE2\x82\xAC \xF0\x9F\x98\x80"},
      {"CN=bell\\07x\\7fy", "bell\x07x\x7Fy", "CN=bell\\07x\\7Fy"},  // controls as \XX
      {"CN=nl\\0A", "nl\n", "CN=nl\\0A"},
      {"CN=c1\\C2\\85", "c1\xC2\x85", "CN=c1\\C2\\85"},  // a C1 control (NEL) too
      {"CN=", "", "CN="},                                // RFC 4514 allows empty values
  };
  for (const auto& s : samples) {
    BOOST_TEST_CONTEXT("text " << s.text) {
      const auto name = parsed(s.text);
      BOOST_REQUIRE_EQUAL(name.size(), 1U);
      BOOST_TEST(name.rdns()[0][0].value == s.value);
      BOOST_TEST(name.rdns()[0][0].tag == string_tag::utf8);
      BOOST_TEST(name.to_string() == s.printed);
      BOOST_TEST(through_der(s.text) == s.printed);
      BOOST_TEST((parsed(s.printed) == name));
      BOOST_TEST(pki::byte_equal(parsed(s.printed), name));
    }
  }
}

BOOST_AUTO_TEST_CASE(hash_hex_value_keeps_the_raw_der) {
  const auto name = parsed("CN=#0403616263");
  const auto& a = name.rdns()[0][0];
  BOOST_TEST(a.tag == 0x04);  // OCTET STRING
  BOOST_TEST(!a.is_string());
  BOOST_TEST(a.value == "abc");
  BOOST_TEST(hex(value_of(a.value_der())) == "0403616263");
  BOOST_TEST(hex(der_of(name)) == "300e310c300a06035504030403616263");
  BOOST_TEST(name.to_string() == "CN=#0403616263");
  BOOST_TEST(through_der("CN=#0403616263") == "CN=#0403616263");
  BOOST_TEST(through_der("CN=#0403616263,O=x") == "CN=#0403616263,O=x");
  // A non-string value is not text: common_name() and values() leave it out.
  BOOST_TEST(!name.common_name().has_value());
  BOOST_TEST(name.values(attribute::common_name).empty());
}

BOOST_AUTO_TEST_CASE(hash_hex_string_value_is_read_as_that_string) {
  const auto name = parsed("CN=#130361624A");  // PrintableString "abJ"
  BOOST_TEST(name.rdns()[0][0].tag == string_tag::printable);
  BOOST_TEST(name.rdns()[0][0].value == "abJ");
  BOOST_TEST(name.to_string() == "CN=abJ");
  BOOST_TEST(hex(der_of(name)) == "300e310c300a0603550403130361624a");
}

BOOST_AUTO_TEST_CASE(string_values_whose_text_would_not_read_back_print_as_hex) {
  // parse() writes C as two PrintableString characters, serialNumber as PrintableString
  // and emailAddress as ASCII; certificates can hold values that are none of these. Their
  // text would be refused (or read as another value), so they print as #hex, which reads
  // back to the same name.
  struct sample {
    const pki::attribute_type& type;
    std::uint8_t tag;
    bytes content;
    std::string_view printed;
  };
  const sample samples[] = {
      {attribute::country_name, 0x12, {'1'}, "C=#120131"},           // a one-digit NumericString C
      {attribute::serial_number, 0x13, {'#'}, "serialNumber=#130123"},  // '#' is no PrintableString char
      {attribute::email_address, 0x14, {0xAE}, "emailAddress=#1401AE"},  // a Latin-1 TeletexString
      {attribute::common_name, 0x13, {'a', 'b'}, "CN=ab"},           // a PrintableString CN reads back
  };
  for (const auto& s : samples) {
    const auto name = read(name_der({rdn({atv(s.type, s.tag, s.content)})}));
    BOOST_TEST(name.to_string() == s.printed);
    const auto again = parsed(name.to_string());
    BOOST_TEST((again == name));
    BOOST_TEST(again.to_string() == s.printed);
  }
}

BOOST_AUTO_TEST_CASE(multi_valued_rdn_with_plus) {
  const auto name = parsed("O=b+CN=a,C=DE");
  BOOST_REQUIRE_EQUAL(name.size(), 2U);
  BOOST_REQUIRE_EQUAL(name.rdns()[1].size(), 2U);
  // Kept in DER SET OF order, by encoding: CN (55 04 03) before O (55 04 0A).
  BOOST_TEST((name.rdns()[1][0].type == attribute::common_name));
  BOOST_TEST(name.to_string() == "O=b+CN=a,C=DE");
  BOOST_TEST(through_der("O=b+CN=a,C=DE") == "O=b+CN=a,C=DE");
  const std::string sorted =
      "3023310b3009060355040613024445"
      "3114"
      "300806035504030c0161"
      "3008060355040a0c0162";
  BOOST_TEST(hex(der_of(name)) == sorted);
  // Written the other way round, it is the same name, the same DER, and prints the same: the
  // attributes of an RDN are printed backwards from DER order, as OpenSSL prints them.
  const auto other_way = parsed("CN=a+O=b,C=DE");
  BOOST_TEST(pki::byte_equal(other_way, name));
  BOOST_TEST(hex(der_of(other_way)) == sorted);
  BOOST_TEST(other_way.to_string() == "O=b+CN=a,C=DE");
  BOOST_TEST(pki::byte_equal(read(der_of(other_way)), other_way));
  // Three values: CN=x (30 08 ... 03) < OU=z (30 08 ... 0B) < UID=y (30 0F ...).
  BOOST_TEST(parsed("CN=x+UID=y+OU=z,O=Acme").to_string() == "UID=y+OU=z+CN=x,O=Acme");
  BOOST_TEST(through_der("CN=x+UID=y+OU=z,O=Acme") == "UID=y+OU=z+CN=x,O=Acme");
}

BOOST_AUTO_TEST_CASE(attribute_types_by_name_oid_and_oid_prefix) {
  const auto by_name = parsed("CN=x");
  for (const auto text :
       {"2.5.4.3=x", "OID.2.5.4.3=x", "oid.2.5.4.3=x", "cn=x", "commonName=x", "COMMONNAME=x"}) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(pki::byte_equal(parsed(text), by_name));
      BOOST_TEST(parsed(text).to_string() == "CN=x");
    }
  }
  BOOST_TEST(parsed("c=de").to_string() == "C=de");
  BOOST_TEST(parsed("street=x").to_string() == "STREET=x");
  BOOST_TEST(parsed("givenName=x").to_string() == "GN=x");
  BOOST_TEST(parsed("surname=x").to_string() == "SN=x");
}

BOOST_AUTO_TEST_CASE(unknown_oid_values_print_as_hex) {
  // A type without a name is written as "#" and the DER of its value (RFC 4514 2.4).
  const auto name = parsed("1.2.3.4=foo");
  BOOST_TEST(name.rdns()[0][0].tag == string_tag::utf8);
  BOOST_TEST(hex(der_of(name)) == "300e310c300a06032a03040c03666f6f");
  BOOST_TEST(name.to_string() == "1.2.3.4=#0C03666F6F");
  BOOST_TEST(through_der("1.2.3.4=#0C03666F6F") == "1.2.3.4=#0C03666F6F");
  BOOST_TEST(pki::byte_equal(parsed("1.2.3.4=#0C03666F6F"), name));
}

BOOST_AUTO_TEST_CASE(every_known_type_has_its_name_oid_and_encoding) {
  struct expected {
    const pki::attribute_type& type;
    std::string_view text_name;
    std::string_view dotted;
    std::uint8_t tag;
  };
  const expected table[] = {
      {attribute::common_name, "CN", "2.5.4.3", string_tag::utf8},
      {attribute::surname, "SN", "2.5.4.4", string_tag::utf8},
      {attribute::serial_number, "serialNumber", "2.5.4.5", string_tag::printable},
      {attribute::country_name, "C", "2.5.4.6", string_tag::printable},
      {attribute::locality_name, "L", "2.5.4.7", string_tag::utf8},
      {attribute::state_or_province_name, "ST", "2.5.4.8", string_tag::utf8},
      {attribute::street_address, "STREET", "2.5.4.9", string_tag::utf8},
      {attribute::organization_name, "O", "2.5.4.10", string_tag::utf8},
      {attribute::organizational_unit_name, "OU", "2.5.4.11", string_tag::utf8},
      {attribute::title, "title", "2.5.4.12", string_tag::utf8},
      {attribute::given_name, "GN", "2.5.4.42", string_tag::utf8},
      {attribute::initials, "initials", "2.5.4.43", string_tag::utf8},
      {attribute::generation_qualifier, "generationQualifier", "2.5.4.44", string_tag::utf8},
      {attribute::dn_qualifier, "dnQualifier", "2.5.4.46", string_tag::printable},
      {attribute::pseudonym, "pseudonym", "2.5.4.65", string_tag::utf8},
      {attribute::email_address, "emailAddress", "1.2.840.113549.1.9.1", string_tag::ia5},
      {attribute::domain_component, "DC", "0.9.2342.19200300.100.1.25", string_tag::ia5},
      {attribute::user_id, "UID", "0.9.2342.19200300.100.1.1", string_tag::utf8},
  };
  BOOST_TEST(std::size(table) == attribute::known.size());
  for (const auto& e : table) {
    BOOST_TEST_CONTEXT(e.text_name) {
      BOOST_TEST(e.type.short_name == e.text_name);
      BOOST_TEST(e.type.oid().to_string() == e.dotted);
      BOOST_TEST((attribute::find(e.type.oid()) == e.type));
      BOOST_TEST((attribute::find(e.text_name) == e.type));
      const std::string text = std::string(e.text_name) + "=DE";
      const auto name = parsed(text);
      BOOST_TEST((name.rdns()[0][0].type == e.type));
      BOOST_TEST(name.rdns()[0][0].tag == e.tag);
      BOOST_TEST(name.to_string() == text);
      BOOST_TEST(through_der(text) == text);
      BOOST_TEST((parsed(std::string(e.dotted) + "=DE") == name));
    }
  }
  BOOST_TEST(!attribute::find("E").has_value());
  BOOST_TEST(!attribute::find(value_of(pki::object_identifier::parse("1.2.3.4"))).has_value());
}

BOOST_AUTO_TEST_CASE(spaces_after_commas_are_skipped) {
  const auto name = parsed("CN=x, O=y,   C=DE");
  BOOST_TEST(name.to_string() == "CN=x,O=y,C=DE");
  BOOST_TEST(pki::byte_equal(name, parsed("CN=x,O=y,C=DE")));
}

BOOST_AUTO_TEST_CASE(empty_text_is_the_empty_name) {
  const auto name = parsed("");
  BOOST_TEST(name.empty());
  BOOST_TEST(name.size() == 0U);
  BOOST_TEST(hex(der_of(name)) == "3000");
  BOOST_TEST(name.to_string().empty());
  BOOST_TEST(read(unhex("3000")).empty());
  BOOST_TEST((name == distinguished_name{}));
}

BOOST_AUTO_TEST_SUITE_END()

// ---- RFC 4514 errors --------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(rfc4514_errors)

BOOST_AUTO_TEST_CASE(rejects_malformed_text_with_parse_failed) {
  const std::string_view bad[] = {
      "XX=a",     // unknown attribute type
      "E=a@b.c",  // not a name the library knows (emailAddress is)
      "CN=a\\",   // unterminated escape
      "CN=\\q",   // not a special character
      "CN=\\4",   // half a hex pair at the end
      "CN=\\4g",  // half a hex pair
      "CN=\\C3",  // hex pairs that are not UTF-8
      "CN=\\FF",
      "CN=\\C0\\80",      // overlong
      "CN=\\ED\\A0\\80",  // a surrogate
      "CN=\xC3",          // raw bytes that are not UTF-8
      "CN=a\\00b",        // NUL
      "C=DEU",            // C is two characters
      "C=D",
      "C=",
      "C=\\C3\\84x",  // ... of PrintableString
      "C=D_",
      "serialNumber=a_b",  // PrintableString only
      "serialNumber=a@b",
      "dnQualifier=\xC3\xA9",
      "emailAddress=j\xC3\xBC@example.com",  // IA5String only
      "DC=m\xC3\xBC",
      "CN=a\"b",  // must be escaped
      "CN=a;b",
      "CN=a<b",
      "CN=a>b",
      "CN= a",  // leading space unescaped
      "CN=a ",  // trailing space unescaped
      "CN=a ,O=b",
      "CN",  // no '='
      "CN =a",
      "CN=a,",  // empty RDN
      ",CN=a",
      "CN=a,,O=b",
      "CN=a+",
      "+CN=a",
      "CN=a, ",
      " CN=a",  // spaces only after ','
      "CN=a,O=b+ OU=c",
      "CN=#",   // #hex: no digits
      "CN=#0",  // odd digits
      "CN=#zz",
      "CN=#04 03",
      "CN=#040361",        // truncated DER
      "CN=#0403616263ff",  // bytes after the DER value
      "CN=#04810161",      // long-form length where short would do
      "CN=#0C02C328",      // UTF8String that is not UTF-8
      "CN=#2C03616263",    // constructed (BER) string
      "2.5.4.=x",          // malformed OIDs
      "2.5..4=x",
      "01.2=x",
      "3.1=x",
      "OID.=x",
      "OID.x=y",
      "OIDs.2.5.4.3=x",
      "1=x",
  };
  for (const auto text : bad) {
    BOOST_TEST_CONTEXT("text " << text) {
      expect_error(distinguished_name::parse(text), errc::parse_failed);
    }
  }
  // A string_view can carry a raw NUL.
  expect_error(distinguished_name::parse(std::string_view("CN=a\0b", 6)), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(error_contexts_say_what_is_wrong) {
  auto context = [](std::string_view text) -> std::string {
    auto r = distinguished_name::parse(text);
    return r ? std::string("ok") : std::string(r.error().context());
  };
  BOOST_TEST(context("XX=a") == "RFC 4514: unknown attribute type");
  BOOST_TEST(context("CN=a\\") == "RFC 4514: unterminated escape");
  BOOST_TEST(context("C=DEU") == "distinguished name: C must be two letters (a PrintableString of size 2)");
  BOOST_TEST(context("CN= a") == "RFC 4514: a leading space must be escaped");
  BOOST_TEST(context("CN=a ") == "RFC 4514: a trailing space must be escaped");
  BOOST_TEST(context("CN=\\C3") == "distinguished name: a value is not valid UTF-8");
}

BOOST_AUTO_TEST_CASE(refuses_more_than_64_kib_of_text) {
  std::string text = "CN=" + std::string(distinguished_name::max_text_size - 3, 'a');
  BOOST_TEST(distinguished_name::parse(text).has_value());
  text += 'a';
  expect_error(distinguished_name::parse(text), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(refuses_more_than_256_rdns) {
  std::string text = "CN=a";
  for (std::size_t i = 1; i < distinguished_name::max_rdns; ++i) text += ",CN=a";
  BOOST_TEST(parsed(text).size() == 256U);
  const auto der = der_of(parsed(text));
  BOOST_TEST(read(der).size() == 256U);
  text += ",CN=a";
  expect_error(distinguished_name::parse(text), errc::parse_failed);
  // The same in DER.
  std::vector<bytes> rdns(257, rdn({atv(attribute::common_name, string_tag::utf8, text_bytes("a"))}));
  expect_error(distinguished_name::from_der(name_der(rdns)), errc::parse_failed);
  expect_error(distinguished_name::check_der(name_der(rdns)), errc::parse_failed);
  rdns.pop_back();
  expect_ok(distinguished_name::check_der(name_der(rdns)));
}

BOOST_AUTO_TEST_CASE(refuses_more_than_64_attributes_in_one_rdn) {
  std::string text = "CN=a";
  for (std::size_t i = 1; i < distinguished_name::max_attributes_per_rdn; ++i) text += "+CN=a";
  BOOST_TEST(parsed(text).rdns()[0].size() == 64U);
  expect_error(distinguished_name::parse(text + "+CN=a"), errc::parse_failed);
  // The same in DER, built and only checked.
  std::vector<bytes> atvs(distinguished_name::max_attributes_per_rdn,
                          atv(attribute::common_name, string_tag::utf8, text_bytes("a")));
  BOOST_TEST(read(name_der({rdn(atvs)})).rdns()[0].size() == 64U);
  expect_ok(distinguished_name::check_der(name_der({rdn(atvs)})));
  atvs.push_back(atvs.back());
  expect_error(distinguished_name::from_der(name_der({rdn(atvs)})), errc::parse_failed);
  expect_error(distinguished_name::check_der(name_der({rdn(atvs)})), errc::parse_failed);
}

BOOST_AUTO_TEST_SUITE_END()

// ---- DER --------------------------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(der)

BOOST_AUTO_TEST_CASE(keeps_every_string_type_byte_for_byte) {
  const bytes der = name_der({
      rdn({atv(attribute::country_name, string_tag::printable, text_bytes("DE"))}),
      rdn({atv(attribute::organization_name, string_tag::teletex, {'C', 'a', 'f', 0xE9})}),  // Latin-1
      rdn({atv(attribute::organizational_unit_name, string_tag::bmp,  // "é😀": a UTF-16 pair
               {0x00, 0xE9, 0xD8, 0x3D, 0xDE, 0x00})}),
      rdn({atv(attribute::locality_name, string_tag::universal, {0, 0, 0, 'M', 0, 0, 0, 0xFC})}),
      rdn({atv(attribute::email_address, string_tag::ia5, text_bytes("a@b.c"))}),
      rdn({atv(attribute::serial_number, string_tag::numeric, text_bytes("0042"))}),
      rdn({atv(attribute::title, string_tag::visible, text_bytes("Dr"))}),
      rdn({atv(attribute::common_name, string_tag::printable, text_bytes("dev*ice@42"))}),  // sloppy but real
      rdn({atv(attribute::pseudonym, 0x02, {0x05})}),  // an INTEGER: not a string
  });
  const auto name = read(der);
  BOOST_TEST(hex(der_of(name)) == hex(der));
  BOOST_TEST(name.rdns()[1][0].tag == string_tag::teletex);
  BOOST_TEST(name.rdns()[1][0].value == "Caf\xC3\xA9");
  BOOST_TEST(name.rdns()[2][0].value == "\xC3\xA9\xF0\x9F\x98\x80");
  BOOST_TEST(name.rdns()[3][0].value == "M\xC3\xBC");
  BOOST_TEST(name.to_string() ==
             "pseudonym=#020105,CN=dev*ice@42,title=Dr,serialNumber=0042,emailAddress=a@b.c,L=M\xC3\xBC,"
             "OU=\xC3\xA9\xF0\x9F\x98\x80,O=Caf\xC3\xA9,C=DE");
  for (const auto& r : name.rdns()) {
    BOOST_TEST(hex(value_of(r[0].value_der())) != "");
  }
  BOOST_TEST(hex(value_of(name.rdns()[2][0].value_der())) == "1e0600e9d83dde00");
}

BOOST_AUTO_TEST_CASE(keeps_unsorted_multi_valued_rdn_order_but_writes_it_sorted) {
  const bytes o_then_cn = name_der({rdn({atv(attribute::organization_name, string_tag::utf8, text_bytes("b")),
                                         atv(attribute::common_name, string_tag::utf8, text_bytes("a"))})});
  const bytes cn_then_o =
      name_der({rdn({atv(attribute::common_name, string_tag::utf8, text_bytes("a")),
                     atv(attribute::organization_name, string_tag::utf8, text_bytes("b"))})});
  const auto unsorted = read(o_then_cn);
  const auto sorted = read(cn_then_o);
  BOOST_TEST((unsorted.rdns()[0][0].type == attribute::organization_name));  // order as read
  BOOST_TEST(unsorted.to_string() == "CN=a+O=b");
  BOOST_TEST(sorted.to_string() == "O=b+CN=a");
  BOOST_TEST(hex(der_of(unsorted)) == hex(cn_then_o));  // DER SET OF order on output
  BOOST_TEST(hex(der_of(sorted)) == hex(cn_then_o));
  BOOST_TEST((unsorted == sorted));
  BOOST_TEST(!pki::byte_equal(unsorted, sorted));
}

// A value read from DER prints as text that parse() encodes with another tag (TeletexString
// -> UTF8String), so in a multi-valued RDN its place in DER order, and in the text, can move:
// the names are equal and the reparsed name's text is a fixed point.
BOOST_AUTO_TEST_CASE(multi_valued_rdn_text_is_a_fixed_point_after_one_reparse) {
  const bytes ou_then_cn = name_der({rdn({atv(attribute::organizational_unit_name, string_tag::teletex, {'a', 0xE9}),
                                          atv(attribute::common_name, string_tag::utf8, text_bytes("bbb"))})});
  const auto name = read(ou_then_cn);
  BOOST_TEST(hex(der_of(name)) == hex(ou_then_cn));  // in DER order as read
  BOOST_TEST(name.to_string() == "CN=bbb+OU=a\u00e9");
  const auto again = parsed(name.to_string());
  BOOST_TEST((again == name));
  BOOST_TEST(again.to_string() == "OU=a\u00e9+CN=bbb");  // as UTF8String, the OU sorts after CN
  BOOST_TEST(parsed(again.to_string()).to_string() == again.to_string());
  BOOST_TEST(pki::byte_equal(parsed(again.to_string()), again));
}

BOOST_AUTO_TEST_CASE(unknown_types_and_non_string_values_print_as_hex) {
  const auto unknown = pki::object_identifier::parse("1.3.6.1.4.1.99999.1");
  const bytes der = tlv(0x30, cat({tlv(0x31, tlv(0x30, cat({tlv(0x06, bytes(unknown->der_content().begin(),
                                                                            unknown->der_content().end())),
                                                            tlv(string_tag::utf8, text_bytes("x"))})))}));
  const auto name = read(der);
  BOOST_TEST(name.to_string() == "1.3.6.1.4.1.99999.1=#0C0178");
  BOOST_TEST(pki::byte_equal(parsed(name.to_string()), name));
  BOOST_TEST(hex(der_of(name)) == hex(der));
}

BOOST_AUTO_TEST_CASE(rejects_malformed_der_with_parse_failed) {
  const bytes cn = atv(attribute::common_name, string_tag::utf8, text_bytes("a"));
  const std::vector<bytes> bad = {
      {},
      unhex("3100"),    // a SET, not a SEQUENCE
      unhex("300031"),  // bytes after the Name
      cat({name_der({rdn({cn})}), {0x00}}),
      name_der({tlv(0x31, {})}),                                             // an empty RDN
      name_der({tlv(0x30, cn)}),                                             // an RDN that is a SEQUENCE
      name_der({rdn({tlv(0x30, cat({oid_tlv(attribute::common_name)}))})}),  // no value
      name_der({rdn({tlv(0x30, cat({oid_tlv(attribute::common_name), tlv(0x0C, {}), tlv(0x0C, {})}))})}),
      name_der({rdn({tlv(0x30, cat({tlv(0x06, {0x80, 0x01}), tlv(0x0C, {})}))})}),  // non-minimal OID
      name_der({rdn({tlv(0x30, cat({tlv(0x06, {}), tlv(0x0C, {})}))})}),            // empty OID
      name_der({rdn({atv(attribute::common_name, string_tag::utf8, {0xC3, 0x28})})}),
      name_der({rdn({atv(attribute::common_name, string_tag::utf8, {0xED, 0xA0, 0x80})})}),
      name_der({rdn({atv(attribute::common_name, string_tag::printable, {'a', 0xE9})})}),
      name_der({rdn({atv(attribute::common_name, string_tag::ia5, {0x80})})}),
      name_der({rdn({atv(attribute::common_name, string_tag::bmp, {0x00, 0x41, 0x00})})}),  // odd length
      name_der({rdn({atv(attribute::common_name, string_tag::bmp, {0xD8, 0x3D})})}),        // lone high
      name_der({rdn({atv(attribute::common_name, string_tag::bmp, {0xDE, 0x00, 0x00, 0x41})})}),  // lone low
      name_der({rdn({atv(attribute::common_name, string_tag::bmp, {0xD8, 0x3D, 0x00, 0x41})})}),
      name_der({rdn({atv(attribute::common_name, string_tag::universal, {0, 0, 0x41})})}),
      name_der({rdn({atv(attribute::common_name, string_tag::universal, {0, 0x11, 0, 0})})}),
      name_der({rdn({atv(attribute::common_name, 0x2C, tlv(0x0C, text_bytes("a")))})}),  // BER string
      unhex("3081053103300100"),  // long-form length where short would do
      unhex("30053103300100"),    // truncated
  };
  for (const auto& der : bad) {
    BOOST_TEST_CONTEXT("DER " << hex(der)) {
      expect_error(distinguished_name::from_der(der), errc::parse_failed);
      // check_der() (a certificate's parse, which builds its names later) refuses the same,
      // for the same reason.
      const auto checked = distinguished_name::check_der(der);
      BOOST_REQUIRE(!checked);
      BOOST_TEST(checked.error().message() == distinguished_name::from_der(der).error().message());
    }
  }
}

BOOST_AUTO_TEST_CASE(to_der_refuses_text_that_does_not_fit_its_tag) {
  auto name = parsed("CN=x");
  auto edited = name.rdns()[0][0];
  edited.tag = string_tag::printable;
  edited.value = "\xC3\xA9";
  expect_error(edited.value_der(), errc::invalid_argument);
  edited.tag = string_tag::teletex;
  edited.value = "\xE2\x82\xAC";  // U+20AC is not Latin-1
  expect_error(edited.value_der(), errc::invalid_argument);
  edited.tag = string_tag::utf8;
  edited.value = "\xFF";
  expect_error(edited.value_der(), errc::invalid_argument);
  edited.tag = string_tag::bmp;
  edited.value = "\xF0\x9F\x98\x80";
  BOOST_TEST(hex(value_of(edited.value_der())) == "1e04d83dde00");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- RFC 5280 comparison ----------------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(rfc5280_comparison)

BOOST_AUTO_TEST_CASE(folds_ascii_case_and_whitespace) {
  const auto a = parsed("CN=\\ \\ Device   42\\ ,O=ACME Inc.,C=DE");
  const auto b = parsed("CN=device 42,O=acme inc.,C=de");
  BOOST_TEST((a == b));
  BOOST_TEST(!pki::byte_equal(a, b));
  BOOST_TEST((parsed("CN=a\\09b") == parsed("CN=a b")));  // tab is whitespace
  BOOST_TEST((parsed("CN=a\\0D\\0A b") == parsed("CN=A B")));
  BOOST_TEST((parsed("CN=ab") != parsed("CN=a b")));
  BOOST_TEST((parsed("CN=a") != parsed("CN=b")));
}

BOOST_AUTO_TEST_CASE(does_not_fold_non_ascii_case) {
  // Full LDAP StringPrep (RFC 4518) would; the library folds ASCII only.
  BOOST_TEST((parsed("CN=\xC3\x84") != parsed("CN=\xC3\xA4")));
}

BOOST_AUTO_TEST_CASE(multi_valued_rdns_match_in_any_order) {
  BOOST_TEST((parsed("CN=a+O=b,C=DE") == parsed("O=B+CN=a,C=DE")));
  BOOST_TEST((parsed("CN=a+O=b") != parsed("CN=a+O=c")));
  BOOST_TEST((parsed("CN=a+CN=a") != parsed("CN=a+O=a")));
  BOOST_TEST((parsed("CN=a+CN=b") == parsed("CN=b+CN=a")));
}

BOOST_AUTO_TEST_CASE(rdn_structure_and_order_matter) {
  BOOST_TEST((parsed("CN=a,O=b") != parsed("CN=a+O=b")));
  BOOST_TEST((parsed("CN=a,O=b") != parsed("O=b,CN=a")));
  BOOST_TEST((parsed("CN=a,O=b") != parsed("CN=a")));
  BOOST_TEST((parsed("CN=a") != parsed("O=a")));
  BOOST_TEST((parsed("CN=a") != distinguished_name{}));
}

BOOST_AUTO_TEST_CASE(printable_string_matches_utf8_string_of_the_same_text) {
  const auto printable =
      read(name_der({rdn({atv(attribute::common_name, string_tag::printable, text_bytes("Device 42"))})}));
  const auto bmp =
      read(name_der({rdn({atv(attribute::common_name, string_tag::bmp,
                              {0, 'd', 0, 'e', 0, 'v', 0, 'i', 0, 'c', 0, 'e', 0, ' ', 0, '4', 0, '2'})})}));
  const auto utf8 = parsed("CN=device 42");
  BOOST_TEST((printable == utf8));
  BOOST_TEST((bmp == utf8));
  BOOST_TEST(!pki::byte_equal(printable, utf8));
  BOOST_TEST(pki::byte_equal(utf8, parsed("CN=device 42")));
}

// detail::name_match_hash lets a certificate turn away candidate issuers of other names
// without comparing attributes: it must agree with operator== on every matching pair.
BOOST_AUTO_TEST_CASE(the_match_hash_agrees_with_matching) {
  const auto hash = [](const distinguished_name& n) { return pki::detail::name_match_hash(n); };
  const std::vector<std::pair<std::string, std::string>> matching = {
      {"CN=\\ \\ Device   42\\ ,O=ACME Inc.,C=DE", "CN=device 42,O=acme inc.,C=de"},
      {"CN=a\\09b", "CN=a b"},
      {"CN=a+O=b,C=DE", "O=B+CN=a,C=DE"},
      {"CN=a+CN=b", "CN=b+CN=a"},
      {"CN=#0C03616263", "CN=ABC"},
  };
  for (const auto& [a, b] : matching) {
    BOOST_TEST_REQUIRE((parsed(a) == parsed(b)), a << " and " << b);
    BOOST_TEST(hash(parsed(a)) == hash(parsed(b)), a << " and " << b);
  }
  const auto printable =
      read(name_der({rdn({atv(attribute::common_name, string_tag::printable, text_bytes("Device 42"))})}));
  BOOST_TEST(hash(printable) == hash(parsed("CN=device 42")));
  const std::vector<std::pair<std::string, std::string>> different = {
      {"CN=ab", "CN=a b"},        {"CN=a,O=b", "CN=a+O=b"}, {"CN=a,O=b", "O=b,CN=a"},
      {"CN=a", "O=a"},            {"CN=a+CN=a", "CN=a+O=a"}, {"CN=#0403616263", "CN=abc"},
      {"CN=#0403616263", "CN=#0403414243"},
  };
  for (const auto& [a, b] : different) {
    BOOST_TEST_REQUIRE((parsed(a) != parsed(b)), a << " and " << b);
    BOOST_TEST(hash(parsed(a)) != hash(parsed(b)), a << " and " << b);
  }
  BOOST_TEST(hash(distinguished_name{}) != 0U);
}

BOOST_AUTO_TEST_CASE(non_string_values_compare_byte_for_byte) {
  BOOST_TEST((parsed("CN=#0403616263") == parsed("CN=#0403616263")));
  BOOST_TEST((parsed("CN=#0403616263") != parsed("CN=#0403414243")));  // no case folding
  BOOST_TEST((parsed("CN=#0403616263") != parsed("CN=abc")));
  BOOST_TEST((parsed("CN=#0403616263") != parsed("CN=#0C03616263")));
  BOOST_TEST((parsed("CN=#0C03616263") == parsed("CN=ABC")));  // a UTF8String given in hex is text
}

BOOST_AUTO_TEST_SUITE_END()

// ---- Accessors and the builder ----------------------------------------------------------------

BOOST_AUTO_TEST_SUITE(accessors_and_builder)

BOOST_AUTO_TEST_CASE(common_name_is_the_most_specific) {
  const auto name = parsed("CN=leaf,OU=x,CN=outer,O=Acme");
  BOOST_TEST(name.common_name().value_or("none") == "leaf");
  BOOST_TEST((name.values(attribute::common_name) == std::vector<std::string>{"outer", "leaf"}));
  BOOST_TEST((name.values(attribute::organization_name) == std::vector<std::string>{"Acme"}));
  BOOST_TEST(name.values(attribute::country_name).empty());
  BOOST_TEST(!parsed("O=Acme").common_name().has_value());
  BOOST_TEST(parsed("CN=#0C03616263").common_name().value_or("none") == "abc");
}

BOOST_AUTO_TEST_CASE(add_builds_a_name_most_general_first) {
  const auto built = distinguished_name{}
                         .add(attribute::country_name, "DE")
                         .add(attribute::organization_name, "Acme, Inc.")
                         .add(attribute::common_name, "J\xC3\xBCrgen");
  pki_test::expect_ok(built.status());
  BOOST_TEST(built.to_string() == "CN=J\xC3\xBCrgen,O=Acme\\, Inc.,C=DE");
  BOOST_TEST(pki::byte_equal(built, parsed("CN=J\xC3\xBCrgen,O=Acme\\, Inc.,C=DE")));
  distinguished_name in_place;
  in_place.add(attribute::domain_component, "com").add(attribute::domain_component, "example");
  BOOST_TEST(in_place.to_string() == "DC=example,DC=com");
  BOOST_TEST(in_place.rdns()[0][0].tag == string_tag::ia5);
  const auto other = value_of(pki::object_identifier::parse("1.2.3.4"));
  BOOST_TEST(distinguished_name{}.add(other, "x").to_string() == "1.2.3.4=#0C0178");
}

BOOST_AUTO_TEST_CASE(add_keeps_the_first_error) {
  auto name = distinguished_name{}
                  .add(attribute::country_name, "Germany")
                  .add(attribute::common_name, "x")
                  .add(attribute::email_address, "\xC3\xA9");
  expect_error(name.status(), errc::invalid_argument);
  expect_error(name.to_der(), errc::invalid_argument);
  BOOST_TEST(std::string(name.status().error().context()) ==
             "distinguished name: C must be two letters (a PrintableString of size 2)");
  BOOST_TEST(name.empty());  // nothing after the error was added
  expect_error(distinguished_name{}.add(attribute::common_name, std::string_view("a\0b", 3)).to_der(),
               errc::invalid_argument);
  expect_error(distinguished_name{}.add(attribute::common_name, "\xFF").status(), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(add_refuses_more_than_256_rdns) {
  distinguished_name name;
  for (std::size_t i = 0; i < distinguished_name::max_rdns; ++i) name.add(attribute::domain_component, "x");
  pki_test::expect_ok(name.status());
  BOOST_TEST(name.size() == 256U);
  name.add(attribute::common_name, "one too many");
  expect_error(name.status(), errc::invalid_argument);
  BOOST_TEST(name.size() == 256U);
}

BOOST_AUTO_TEST_CASE(attribute_constants_compare_with_oids) {
  const auto cn = value_of(pki::object_identifier::parse("2.5.4.3"));
  BOOST_TEST((cn == attribute::common_name));
  BOOST_TEST((attribute::common_name == cn));
  BOOST_TEST((cn != attribute::organization_name));
  BOOST_TEST((attribute::common_name.oid() == cn));
  const pki::object_identifier converted = attribute::email_address;
  BOOST_TEST(converted.to_string() == "1.2.840.113549.1.9.1");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- OpenSSL as the oracle --------------------------------------------------------------------

namespace {

/// The subject Name's DER inside a DER CertificationRequest:
/// SEQUENCE { SEQUENCE { version INTEGER, subject Name, ... }, ... }.
bytes csr_subject(const bytes& csr) {
  pki::detail::der_reader reader(csr);
  auto request = value_of(reader.enter());
  auto info = value_of(request.enter());
  (void)value_of(info.integer_bytes());
  const auto subject = value_of(info.any());
  return bytes(subject.whole.begin(), subject.whole.end());
}

/// The CSR with its subject replaced (and every length around it fixed).
bytes with_subject(const bytes& csr, const bytes& subject) {
  pki::detail::der_reader reader(csr);
  auto request = value_of(reader.enter());
  auto info = value_of(request.enter());
  const auto version = value_of(info.any());
  (void)value_of(info.any());  // the old subject
  pki::detail::der_writer w;
  const std::size_t whole = w.mark();
  w.raw(request.rest());  // signature algorithm and signature
  const std::size_t info_start = w.mark();
  w.raw(info.rest());  // public key and attributes
  w.raw(subject);
  w.raw(version.whole);
  w.sequence(info_start);
  w.sequence(whole);
  return value_of(w.finish<bytes>());
}

std::string strip_subject_line(std::string line) {
  if (line.starts_with("subject=")) line.erase(0, 8);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openssl_oracle)

BOOST_AUTO_TEST_CASE(der_and_rfc2253_text_match_openssl_req) {
  struct sample {
    std::string subj;          // OpenSSL's -subj syntax
    std::string text;          // the same name in RFC 4514 text, as the library writes it
    std::string openssl_text;  // what `-nameopt RFC2253,-esc_msb` prints, when it differs
  };
  const std::vector<sample> samples = {
      {"/C=DE/O=Acme, Inc./CN=device 42", "CN=device 42,O=Acme\\, Inc.,C=DE", ""},
      {"/C=DE/L=M\xC3\xBCnchen/CN=J\xC3\xBCrgen M\xC3\xBCller",
       "CN=J\xC3\xBCrgen M\xC3\xBCller,L=M\xC3\xBCnchen,C=DE", ""},
      {"/O=a\\+b\"c;d<e>f\\\\g=h/CN=#x", "CN=\\#x,O=a\\+b\\\"c\\;d\\<e\\>f\\\\g=h", ""},
      {"/CN= padded ", "CN=\\ padded\\ ", ""},
      {"/CN=x=y#z", "CN=x=y#z", ""},
      {"/CN=bell\x07x\x7Fy", "CN=bell\\07x\\7Fy", ""},
      {"/C=DE/O=Acme/CN=a+OU=b", "OU=b+CN=a,O=Acme,C=DE", ""},
      {"/DC=com/DC=example/C=DE/ST=Bayern/L=N\xC3\xBCrnberg/street=Hauptstr. 1/O=Acme/OU=R&D/title=Dr/"
       "GN=J\xC3\xBCrgen/SN=M\xC3\xBCller/initials=JM/pseudonym=jm/generationQualifier=III/dnQualifier=q1/"
       "serialNumber=1234/UID=jm/emailAddress=jm@example.com/CN=jm",
       "CN=jm,emailAddress=jm@example.com,UID=jm,serialNumber=1234,dnQualifier=q1,generationQualifier=III,"
       "pseudonym=jm,initials=JM,SN=M\xC3\xBCller,GN=J\xC3\xBCrgen,title=Dr,OU=R&D,O=Acme,STREET=Hauptstr. 1,"
       "L=N\xC3\xBCrnberg,ST=Bayern,C=DE,DC=example,DC=com",
       // OpenSSL prints 2.5.4.9 by its OpenSSL short name "street"; RFC 4514's table says "STREET"
       // (names are case-insensitive, so each reads the other's text).
       "CN=jm,emailAddress=jm@example.com,UID=jm,serialNumber=1234,dnQualifier=q1,generationQualifier=III,"
       "pseudonym=jm,initials=JM,SN=M\xC3\xBCller,GN=J\xC3\xBCrgen,title=Dr,OU=R&D,O=Acme,street=Hauptstr. 1,"
       "L=N\xC3\xBCrnberg,ST=Bayern,C=DE,DC=example,DC=com"},
  };

  pki_test::temp_dir dir;
  const std::string key = dir.file("key.pem");
  const std::string csr = dir.file("csr.der");
  const auto keygen = pki_test::run_openssl(
      {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key});
  BOOST_REQUIRE_MESSAGE(keygen.ok(), keygen.transcript());

  for (const auto& s : samples) {
    BOOST_TEST_CONTEXT("subject " << s.subj) {
      // -utf8: the -subj bytes are UTF-8. OpenSSL then writes C and serialNumber/dnQualifier as
      // PrintableString, emailAddress and DC as IA5String, the rest as UTF8String (its default
      // string_mask utf8only), which is exactly the library's choice.
      const auto req = pki_test::run_openssl(
          {"req", "-new", "-key", key, "-subj", s.subj, "-utf8", "-outform", "DER", "-out", csr});
      BOOST_REQUIRE_MESSAGE(req.ok(), req.transcript());
      const bytes openssl_der = csr_subject(pki_test::read_file(csr));
      const auto printed = pki_test::run_openssl(
          {"req", "-in", csr, "-inform", "DER", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb"});
      BOOST_REQUIRE_MESSAGE(printed.ok(), printed.transcript());
      const std::string openssl_text = strip_subject_line(printed.out);
      const std::string& expected_openssl_text = s.openssl_text.empty() ? s.text : s.openssl_text;
      BOOST_TEST(openssl_text == expected_openssl_text);

      // The library reads OpenSSL's DER and prints what OpenSSL prints.
      const auto from_openssl = read(openssl_der);
      BOOST_TEST(from_openssl.to_string() == s.text);
      BOOST_TEST(hex(der_of(from_openssl)) == hex(openssl_der));
      // The library writes, from the text, the DER OpenSSL wrote; also from OpenSSL's text.
      BOOST_TEST(hex(der_of(parsed(s.text))) == hex(openssl_der));
      BOOST_TEST(hex(der_of(parsed(openssl_text))) == hex(openssl_der));
      BOOST_TEST(pki::byte_equal(parsed(s.text), from_openssl));
      BOOST_TEST((parsed(s.text) == from_openssl));
    }
  }
}

BOOST_AUTO_TEST_CASE(openssl_prints_the_library_der_as_the_library_does) {
  // OpenSSL has no RFC 4514 input, so the library's DER goes in as the subject of a CSR that
  // OpenSSL made (the signature no longer matches; `req -subject` does not check it), and
  // OpenSSL prints it. Covers the string types OpenSSL never writes itself. OpenSSL reads a
  // value only as one of its DirectoryString-like types, BIT STRING or SEQUENCE: a name with an
  // OCTET STRING, INTEGER or VisibleString value does not load at all, so none is used here.
  const std::vector<bytes> names = {
      der_of(parsed("CN=J\xC3\xBCrgen+UID=jm,O=Acme\\, Inc.,C=DE")),
      der_of(parsed("CN=\\ \\#lead\\,trail\\ ,OU=a\\+b\\\"c\\;d\\<e\\>f\\\\g=h#i")),
      der_of(parsed("CN=#03020780,O=ctl\\01\\1F\\7F,OU=#3003020105")),
      name_der({
          rdn({atv(attribute::organization_name, string_tag::teletex, {'C', 'a', 'f', 0xE9})}),
          rdn({atv(attribute::organizational_unit_name, string_tag::bmp, {0x00, 0xE9, 0x20, 0xAC})}),
          rdn({atv(attribute::locality_name, string_tag::universal, {0, 0, 0, 'M', 0, 0, 0, 0xFC})}),
          rdn({atv(attribute::serial_number, string_tag::numeric, text_bytes("0042"))}),
          rdn({atv(attribute::common_name, string_tag::printable, text_bytes("dev*ice@42"))}),
      }),
  };
  pki_test::temp_dir dir;
  const std::string key = dir.file("key.pem");
  const std::string csr = dir.file("csr.der");
  const std::string spliced = dir.file("spliced.der");
  const auto keygen = pki_test::run_openssl(
      {"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key});
  BOOST_REQUIRE_MESSAGE(keygen.ok(), keygen.transcript());
  const auto req = pki_test::run_openssl(
      {"req", "-new", "-key", key, "-subj", "/CN=placeholder", "-outform", "DER", "-out", csr});
  BOOST_REQUIRE_MESSAGE(req.ok(), req.transcript());
  const bytes original = pki_test::read_file(csr);

  for (const auto& der : names) {
    const auto name = read(der);
    BOOST_TEST_CONTEXT("name " << name.to_string()) {
      pki_test::write_file(spliced, with_subject(original, der));
      const auto printed = pki_test::run_openssl(
          {"req", "-in", spliced, "-inform", "DER", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb"});
      BOOST_REQUIRE_MESSAGE(printed.ok(), printed.transcript());
      BOOST_TEST(strip_subject_line(printed.out) == name.to_string());
      BOOST_TEST(hex(csr_subject(pki_test::read_file(spliced))) == hex(der));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
