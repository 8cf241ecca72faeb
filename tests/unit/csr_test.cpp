// csr<Alg> and csr_builder beyond the certificate suite's round trip: the scheme each key
// signs with, PEM under either label and DER, attributes and extension requests as OpenSSL
// writes them, requests made by hand and signed (so that each malformed structure reaches
// the parser with a valid signature), every kind of tampering refused as bad_signature, and
// narrowing to the subject key's exact algorithm.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "support/der.hpp"
#include "support/expect.hpp"
#include "support/openssl_cli.hpp"

using pki::errc;
using pki_test::dn;
using pki_test::expect_error;
using pki_test::value_of;
using namespace pki_test::der;  // bytes, hex, tlv, constructed

namespace {

static_assert(std::is_same_v<decltype(std::declval<const pki::csr<pki::ecdsa_p256>&>().public_key()),
                             const pki::public_key<pki::ecdsa_p256>&>);
static_assert(std::is_convertible_v<pki::csr<pki::ecdsa_p256>, pki::csr<>>);
static_assert(!std::is_constructible_v<pki::csr<pki::ecdsa_p256>, pki::csr<>>);
static_assert(!std::is_constructible_v<pki::csr<pki::ecdsa_p384>, pki::csr<pki::ecdsa_p256>>);

const pki::private_key<pki::ecdsa_p256>& p256() {
  static const auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  return key;
}

const pki::private_key<pki::ecdsa_p384>& p384() {
  static const auto key = value_of(pki::private_key<pki::ecdsa_p384>::generate());
  return key;
}

bytes copy(pki::byte_view view) {
  return {view.begin(), view.end()};
}

const bytes ecdsa_with_sha256 = hex("300A 0608 2A8648CE3D040302");
const bytes extension_request_oid = hex("0609 2A864886F70D01090E");

/// A CertificationRequest around `info` (CertificationRequestInfo DER), signed by P-256.
bytes signed_request(const bytes& info) {
  const auto sig = value_of(p256().sign(info));
  bytes bit_string{0x00};
  bit_string.insert(bit_string.end(), sig.bytes().begin(), sig.bytes().end());
  return constructed({info, ecdsa_with_sha256, tlv(0x03, bit_string)});
}

/// CertificationRequestInfo: version, subject CN=hand-made, the P-256 key, then `rest`
/// (the [0] attributes field and whatever a test adds).
bytes request_info(const std::vector<bytes>& rest, std::uint8_t version = 0) {
  std::vector<bytes> fields{tlv(0x02, bytes{version}), copy(value_of(dn("CN=hand-made").to_der())),
                            value_of(value_of(p256().public_key()).to_der())};
  fields.insert(fields.end(), rest.begin(), rest.end());
  return constructed(fields);
}

bytes attributes(const std::vector<bytes>& attrs) {
  return constructed(attrs, 0xA0);
}

bytes extension_request(const pki::extension_list& exts) {
  return constructed({extension_request_oid, constructed({value_of(exts.to_der())}, 0x31)});
}

pki::extension_list key_usage_only() {
  pki::extension_list exts;
  BOOST_REQUIRE(exts.add(pki::key_usage{pki::key_usage_flag::digital_signature}).has_value());
  return exts;
}

/// `der` with its last occurrence of `from` replaced by `to` (same length).
bytes replaced(pki::byte_view der, pki::byte_view from, pki::byte_view to) {
  bytes out = copy(der);
  BOOST_REQUIRE(from.size() == to.size());
  const auto at = std::find_end(out.begin(), out.end(), from.begin(), from.end());
  BOOST_REQUIRE(at != out.end());
  std::copy(to.begin(), to.end(), at);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(building)

BOOST_AUTO_TEST_CASE(each_key_signs_with_its_default_hash_or_the_one_asked_for) {
  BOOST_TEST(value_of(pki::csr_builder().subject("CN=a").sign(p256())).signature_algorithm().name() ==
             "ecdsa-with-SHA256");
  BOOST_TEST(value_of(pki::csr_builder().subject("CN=a").sign(p384())).signature_algorithm().name() ==
             "ecdsa-with-SHA384");
  const auto asked =
      value_of(pki::csr_builder().subject("CN=a").signature_hash(pki::hash_algorithm::sha512).sign(p256()));
  BOOST_TEST(asked.signature_algorithm().name() == "ecdsa-with-SHA512");
}

BOOST_AUTO_TEST_CASE(a_request_without_extensions_has_no_extension_request) {
  const auto request = value_of(pki::csr_builder().subject("CN=plain").sign(p256()));
  BOOST_TEST(request.extensions().empty());
  BOOST_TEST(request.attributes().empty());
  BOOST_TEST(!value_of(request.extension<pki::subject_alt_name>()).has_value());
  // The [0] attributes field is there and empty: A0 00 right before the signature algorithm.
  const auto der = copy(request.der());
  const bytes tail{0xA0, 0x00, 0x30, 0x0A};
  BOOST_TEST((std::search(der.begin(), der.end(), tail.begin(), tail.end()) != der.end()));
}

BOOST_AUTO_TEST_CASE(san_setters_merge_into_one_extension) {
  const auto request = value_of(pki::csr_builder()
                                    .subject("CN=merged")
                                    .subject_alt_names({pki::dns_name{"a.example"}, pki::dns_name{"b.example"}})
                                    .dns("c.example")
                                    .ip("192.0.2.9")
                                    .sign(p256()));
  BOOST_TEST(request.extensions().size() == 1U);
  const auto san = value_of(request.extension<pki::subject_alt_name>());
  BOOST_REQUIRE(san.has_value());
  BOOST_TEST(pki::to_string(san->names) == "DNS:a.example, DNS:b.example, DNS:c.example, IP Address:192.0.2.9");
}

BOOST_AUTO_TEST_CASE(the_san_is_critical_when_the_subject_is_empty) {
  const auto anonymous = value_of(pki::csr_builder().dns("only.example").sign(p256()));
  BOOST_TEST(anonymous.subject().empty());
  const auto* san = anonymous.extensions().find(pki::object_identifier::from_trusted("\x55\x1D\x11"));
  BOOST_REQUIRE(san != nullptr);
  BOOST_TEST(san->critical);
  const auto named = value_of(pki::csr_builder().subject("CN=n").dns("only.example").sign(p256()));
  BOOST_TEST(!named.extensions().items()[0].critical);
}

BOOST_AUTO_TEST_CASE(a_second_extension_of_one_type_is_invalid_argument) {
  expect_error(pki::csr_builder()
                   .subject("CN=twice")
                   .add(pki::key_usage{pki::key_usage_flag::digital_signature})
                   .add(pki::key_usage{pki::key_usage_flag::key_agreement})
                   .sign(p256()),
               errc::invalid_argument);
  // A SAN added as an extension and SAN setters make two as well.
  expect_error(pki::csr_builder()
                   .subject("CN=twice")
                   .add(pki::subject_alt_name{{pki::dns_name{"a.example"}}})
                   .dns("b.example")
                   .sign(p256()),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(the_first_bad_setter_is_the_error_reported) {
  expect_error(pki::csr_builder().subject("CN=x").email("j\xC3\xB6rg@example.com").ip("1.2.3").sign(p256()),
               errc::invalid_argument);
  expect_error(pki::csr_builder().subject("CN=x").uri("https://\xC3\xA9/").sign(p256()), errc::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(parsing)

BOOST_AUTO_TEST_CASE(pem_under_either_label_and_der_read_the_same_request) {
  const auto request = value_of(pki::csr_builder().subject("CN=labels").dns("labels.example").sign(p256()));
  const auto pem = value_of(request.to_pem());
  std::string legacy = pem;
  for (const std::string_view edge : {"BEGIN", "END"}) {
    const std::string from = std::string("-----") + std::string(edge) + " CERTIFICATE REQUEST-----";
    legacy.replace(legacy.find(from), from.size(),
                   std::string("-----") + std::string(edge) + " NEW CERTIFICATE REQUEST-----");
  }
  BOOST_TEST((value_of(pki::csr<>::from_pem(legacy)) == request));
  BOOST_TEST((value_of(pki::csr<>::parse(pki::as_bytes(pem))) == request));
  BOOST_TEST((value_of(pki::csr<>::parse(request.der())) == request));
}

BOOST_AUTO_TEST_CASE(pem_finds_the_request_among_other_blocks) {
  const auto request = value_of(pki::csr_builder().subject("CN=bundle").sign(p256()));
  const std::string text = value_of(value_of(p256().public_key()).to_pem()) + value_of(request.to_pem());
  BOOST_TEST((value_of(pki::csr<>::from_pem(text)) == request));
  expect_error(pki::csr<>::from_pem(value_of(value_of(p256().public_key()).to_pem())), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(trailing_or_truncated_der_is_parse_failed) {
  const auto request = value_of(pki::csr_builder().subject("CN=edges").sign(p256()));
  auto trailing = copy(request.der());
  trailing.push_back(0x00);
  expect_error(pki::csr<>::from_der(trailing), errc::parse_failed);
  const auto der = copy(request.der());
  expect_error(pki::csr<>::from_der(pki::byte_view(der).first(der.size() - 1)), errc::parse_failed);
  // A certificate is not a request.
  const auto cert = value_of(pki::make_self_signed(p256(), dn("CN=not a request"), {.days = std::chrono::days(1)}));
  expect_error(pki::csr<>::from_der(cert.der()), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(a_hand_made_request_signed_properly_parses) {
  // The baseline for the malformed ones below: the same construction, nothing wrong with it.
  const auto request = value_of(pki::csr<>::from_der(signed_request(request_info({attributes({})}))));
  BOOST_TEST(request.subject().to_string() == "CN=hand-made");
  BOOST_TEST(request.extensions().empty());
  const auto with_usage =
      value_of(pki::csr<>::from_der(signed_request(request_info({attributes({extension_request(key_usage_only())})}))));
  const auto usage = value_of(with_usage.extension<pki::key_usage>());
  BOOST_REQUIRE(usage.has_value());
  BOOST_TEST(usage->has(pki::key_usage_flag::digital_signature));
}

BOOST_AUTO_TEST_CASE(version_other_than_v1_is_unsupported) {
  expect_error(pki::csr<>::from_der(signed_request(request_info({attributes({})}, 1))), errc::unsupported);
}

BOOST_AUTO_TEST_CASE(malformed_structures_are_parse_failed_even_when_signed) {
  // No [0] attributes field (RFC 2986 makes it required, possibly empty).
  expect_error(pki::csr<>::from_der(signed_request(request_info({}))), errc::parse_failed);
  // Something after it.
  expect_error(pki::csr<>::from_der(signed_request(request_info({attributes({}), hex("0500")}))),
               errc::parse_failed);
  // Two extension requests.
  const auto twice = extension_request(key_usage_only());
  expect_error(pki::csr<>::from_der(signed_request(request_info({attributes({twice, twice})}))), errc::parse_failed);
  // An extension request holding two values, or none.
  const auto exts = value_of(key_usage_only().to_der());
  const auto two_lists = constructed({extension_request_oid, constructed({exts, exts}, 0x31)});
  expect_error(pki::csr<>::from_der(signed_request(request_info({attributes({two_lists})}))), errc::parse_failed);
  expect_error(pki::csr<>::from_der(signed_request(
                   request_info({attributes({constructed({extension_request_oid, hex("3100")})})}))),
               errc::parse_failed);
  // An attribute whose values are not a SET, or without values.
  expect_error(pki::csr<>::from_der(signed_request(
                   request_info({attributes({constructed({hex("0609 2A864886F70D010907"), hex("1301 61")})})}))),
               errc::parse_failed);
  expect_error(pki::csr<>::from_der(
                   signed_request(request_info({attributes({constructed({hex("0609 2A864886F70D010907")})})}))),
               errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(other_attributes_are_kept_as_their_der_values) {
  const auto challenge = constructed({hex("0609 2A864886F70D010907"), constructed({hex("1306 733363726574")}, 0x31)});
  const auto two_values =
      constructed({hex("0609 2A864886F70D010902"), constructed({hex("0C0161"), hex("0C0162")}, 0x31)});
  const auto request =
      value_of(pki::csr<>::from_der(signed_request(request_info({attributes({challenge, two_values})}))));
  BOOST_REQUIRE(request.attributes().size() == 2U);
  BOOST_TEST(request.attributes()[0].type.to_string() == "1.2.840.113549.1.9.7");
  BOOST_REQUIRE(request.attributes()[0].values.size() == 1U);
  BOOST_TEST(pki::to_hex(request.attributes()[0].values[0]) == "1306733363726574");
  BOOST_TEST(request.attributes()[1].type.to_string() == "1.2.840.113549.1.9.2");
  BOOST_REQUIRE(request.attributes()[1].values.size() == 2U);
  BOOST_TEST(pki::to_hex(request.attributes()[1].values[1]) == "0c0162");
  BOOST_TEST(request.extensions().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(signature_check)

BOOST_AUTO_TEST_CASE(a_changed_subject_is_bad_signature) {
  const auto request = value_of(pki::csr_builder().subject("CN=alice").sign(p256()));
  expect_error(pki::csr<>::from_der(replaced(request.der(), pki::as_bytes("alice"), pki::as_bytes("mally"))),
               errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(a_changed_extension_request_is_bad_signature) {
  const auto request = value_of(pki::csr_builder().subject("CN=n").dns("good.example").sign(p256()));
  expect_error(pki::csr<>::from_der(replaced(request.der(), pki::as_bytes("good"), pki::as_bytes("evil"))),
               errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(another_key_in_place_of_the_signers_is_bad_signature) {
  // Proof of possession: the request carries a key that did not sign it.
  const auto request = value_of(pki::csr_builder().subject("CN=n").sign(p256()));
  const auto other = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const auto mine = value_of(value_of(p256().public_key()).to_der());
  const auto theirs = value_of(value_of(other.public_key()).to_der());
  expect_error(pki::csr<>::from_der(replaced(request.der(), mine, theirs)), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(a_signature_algorithm_changed_to_another_hash_is_bad_signature) {
  const auto request = value_of(pki::csr_builder().subject("CN=n").sign(p256()));
  expect_error(pki::csr<>::from_der(replaced(request.der(), ecdsa_with_sha256, hex("300A 0608 2A8648CE3D040303"))),
               errc::bad_signature);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(narrowing)

BOOST_AUTO_TEST_CASE(a_typed_request_is_the_exact_subject_key_algorithm) {
  const auto request = value_of(pki::csr_builder().subject("CN=p384").sign(p384()));
  BOOST_TEST((value_of(pki::csr<pki::ecdsa_p384>::from_der(request.der())).public_key() ==
              value_of(p384().public_key())));
  expect_error(pki::csr<pki::ecdsa_p256>::from_der(request.der()), errc::algorithm_mismatch);
  expect_error(pki::csr<pki::ecdsa_p521>::from_der(request.der()), errc::algorithm_mismatch);
  expect_error(pki::csr<pki::rsa<2048>>::parse(request.der()), errc::algorithm_mismatch);
  expect_error(pki::csr<pki::ecdsa_p256>::from_pem(value_of(request.to_pem())), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(sign_returns_the_signing_keys_type_and_widens_to_any) {
  const pki::csr<pki::ecdsa_p384> typed = value_of(pki::csr_builder().subject("CN=typed").sign(p384()));
  const pki::csr<> any = typed;
  BOOST_TEST((any == typed));
  BOOST_TEST((any.public_key().algorithm() == pki::ecdsa_p384::id));
  BOOST_TEST(any.subject().to_string() == "CN=typed");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(openssl_oracle)

BOOST_AUTO_TEST_CASE(reads_openssls_attributes_and_extension_request) {
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("req.cnf"), std::string_view("[req]\n"
                                                             "prompt = no\n"
                                                             "distinguished_name = dn\n"
                                                             "attributes = attrs\n"
                                                             "req_extensions = ext\n"
                                                             "[dn]\n"
                                                             "CN = oracle\n"
                                                             "[attrs]\n"
                                                             "challengePassword = s3cret-pass\n"
                                                             "[ext]\n"
                                                             "subjectAltName = DNS:oracle.example, IP:192.0.2.7\n"
                                                             "keyUsage = critical, digitalSignature\n"));
  const auto run = pki_test::run_openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384",
                                          "-nodes", "-keyout", dir.file("key.pem"), "-config", dir.file("req.cnf"),
                                          "-out", dir.file("req.pem")});
  BOOST_TEST_REQUIRE(run.ok(), run.err);
  const auto request = value_of(pki::csr<pki::ecdsa_p384>::parse(pki_test::read_file(dir.file("req.pem"))));
  BOOST_TEST(request.subject().to_string() == "CN=oracle");
  BOOST_REQUIRE(request.attributes().size() == 1U);
  BOOST_TEST(request.attributes()[0].type.to_string() == "1.2.840.113549.1.9.7");
  BOOST_REQUIRE(request.attributes()[0].values.size() == 1U);
  const auto& value = request.attributes()[0].values[0];
  BOOST_REQUIRE(value.size() == 13U);  // a string tag, the length 11, "s3cret-pass"
  BOOST_TEST(std::string(value.begin() + 2, value.end()) == "s3cret-pass");
  const auto san = value_of(request.extension<pki::subject_alt_name>());
  BOOST_REQUIRE(san.has_value());
  BOOST_TEST(pki::to_string(san->names) == "DNS:oracle.example, IP Address:192.0.2.7");
  const auto* usage = request.extensions().find(pki::object_identifier::from_trusted("\x55\x1D\x0F"));
  BOOST_REQUIRE(usage != nullptr);
  BOOST_TEST(usage->critical);
}

BOOST_AUTO_TEST_CASE(openssl_verifies_what_the_builder_signs) {
  pki_test::temp_dir dir;
  const auto request = value_of(pki::csr_builder().subject("CN=checked,O=Acme").dns("checked.example").sign(p384()));
  pki_test::write_file(dir.file("req.pem"), value_of(request.to_pem()));
  const auto run = pki_test::run_openssl({"req", "-in", dir.file("req.pem"), "-verify", "-noout", "-text"});
  BOOST_TEST_REQUIRE(run.ok(), run.err);
  BOOST_TEST(pki_test::contains(run.out + run.err, "verify OK"), run.out << run.err);
  BOOST_TEST(pki_test::contains(run.out, "DNS:checked.example"), run.out);
}

BOOST_AUTO_TEST_SUITE_END()
