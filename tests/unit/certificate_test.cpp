// Certificates and CSRs: building, signing, parsing back every field, and the errc of
// each refusal.

#include <boost/test/unit_test.hpp>

#include <pki/x509/certificate.hpp>
#include <pki/x509/certificate_builder.hpp>
#include <pki/x509/csr.hpp>
#include <pki/x509/csr_builder.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <type_traits>

#include "support/der.hpp"
#include "support/expect.hpp"

using namespace std::chrono_literals;
using pki::errc;
using pki_test::dn;
using pki_test::expect_error;
using pki_test::expect_ok;
using pki_test::value_of;

namespace {

const pki::private_key<pki::ecdsa_p256>& ec_key() {
  static const auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  return key;
}
const pki::private_key<pki::rsa<2048>>& rsa_key() {
  static const auto key = value_of(pki::private_key<pki::rsa<2048>>::generate());
  return key;
}

constexpr std::chrono::sys_seconds jan_2026 = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1);

pki::self_signed_options server_options() {
  pki::self_signed_options opts;
  opts.not_before = jan_2026;
  opts.days = std::chrono::days(90);
  opts.subject_alt_names = {value_of(pki::dns_name::create("device-42.example")),
                            value_of(pki::ip_address::parse("192.0.2.7"))};
  return opts;
}

/// A copy of `der` with one byte of the signature (at the end) flipped.
pki::byte_buffer tampered(pki::byte_view der) {
  pki::byte_buffer copy(der.begin(), der.end());
  copy[copy.size() - 3] ^= 0x01;
  return copy;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(self_signed)

BOOST_AUTO_TEST_CASE(every_field_reads_back) {
  auto cert =
      value_of(pki::make_self_signed(ec_key(), dn("CN=device-42,O=Acme\\, Inc.,C=DE"), server_options()));
  BOOST_TEST(cert.version() == 3);
  BOOST_TEST(cert.subject().to_string() == "CN=device-42,O=Acme\\, Inc.,C=DE");
  BOOST_TEST((cert.issuer() == cert.subject()));
  BOOST_TEST((cert.not_before() == jan_2026));
  BOOST_TEST((cert.not_after() == jan_2026 + std::chrono::days(90)));
  BOOST_TEST(cert.serial().size() == 16U);
  BOOST_TEST((cert.serial()[0] & 0x80) == 0);
  BOOST_TEST(cert.signature_algorithm().name() == "ecdsa-with-SHA256");
  BOOST_TEST((cert.public_key() == value_of(ec_key().public_key())));
  BOOST_TEST(cert.is_self_signed());
  BOOST_TEST(!cert.is_ca());

  auto san = value_of(cert.subject_alt_name());
  BOOST_REQUIRE(san.has_value());
  BOOST_TEST(san->to_string() == "DNS:device-42.example, IP Address:192.0.2.7");
  auto usage = value_of(cert.key_usage());
  BOOST_REQUIRE(usage.has_value());
  BOOST_TEST(usage->to_string() == "Digital Signature");
  auto ski = value_of(cert.subject_key_identifier());
  auto aki = value_of(cert.authority_key_identifier());
  BOOST_REQUIRE((ski.has_value() && aki.has_value()));
  BOOST_TEST((aki->key_id == ski->key_id));
  auto bc = value_of(cert.basic_constraints());
  BOOST_REQUIRE(bc.has_value());
  BOOST_TEST(!bc->ca);
  BOOST_TEST(cert.extensions().find(pki::basic_constraints::oid())->critical);
}

// The extensions validation reads are decoded once and kept with the shared data: every
// copy of a certificate, and every call, reads the same decoded value; a malformed one
// keeps its error.
BOOST_AUTO_TEST_CASE(extensions_validation_reads_are_decoded_once) {
  const auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=device-42"), server_options()));
  const auto copy = cert;
  const auto& san = cert.subject_alt_name();
  BOOST_TEST(&san == &copy.subject_alt_name());
  BOOST_TEST(&cert.key_usage() == &cert.extension<pki::key_usage>());
  BOOST_REQUIRE(san.has_value() && san->has_value());
  BOOST_TEST((*san)->to_string() == "DNS:device-42.example, IP Address:192.0.2.7");
  // A certificate parsed again from the same bytes has a cache of its own.
  const auto reparsed = value_of(pki::certificate<>::from_der(cert.der()));
  BOOST_TEST(&reparsed.subject_alt_name() != &san);
  BOOST_TEST(((*reparsed.subject_alt_name())->names == (*san)->names));
  static_assert(std::is_reference_v<decltype(cert.subject_alt_name())>);
}

BOOST_AUTO_TEST_CASE(rsa_ca) {
  pki::self_signed_options opts;
  opts.ca = true;
  opts.hash = pki::hash_algorithm::sha384;
  auto cert = value_of(pki::make_self_signed(rsa_key(), dn("CN=Acme Root"), opts));
  BOOST_TEST(cert.is_ca());
  BOOST_TEST(cert.signature_algorithm().name() == "sha384WithRSAEncryption");
  BOOST_TEST(value_of(cert.key_usage())->to_string() == "Digital Signature, Certificate Sign, CRL Sign");
}

BOOST_AUTO_TEST_CASE(pem_der_round_trip_and_equality) {
  auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  auto pem = value_of(cert.to_pem());
  BOOST_TEST(pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
  auto again = value_of(pki::certificate<pki::ecdsa_p256>::from_pem(pem));
  BOOST_TEST((again == cert));
  BOOST_TEST((value_of(pki::certificate<>::from_der(cert.der())) == cert));
  BOOST_TEST(value_of(cert.fingerprint()).hex() == value_of(pki::sha256(cert.der())).hex());
  const auto copy = cert;  // shares the parsed state
  BOOST_TEST(copy.der().data() == cert.der().data());
}

BOOST_AUTO_TEST_CASE(bundle_keeps_order_and_skips_other_blocks) {
  auto a = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  auto b = value_of(pki::make_self_signed(rsa_key(), dn("CN=b"), server_options()));
  const std::string bundle = value_of(a.to_pem()) +
                             std::string(value_of(ec_key().public_key()).to_pem().value()) +
                             value_of(b.to_pem());
  auto certs = value_of(pki::certificate<>::parse_bundle(bundle));
  BOOST_REQUIRE(certs.size() == 2U);
  BOOST_TEST((certs[0] == a));
  BOOST_TEST((certs[1] == b));
  expect_error(pki::certificate<>::parse_bundle("no certificates here"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(parse_each_reports_every_block_on_its_own) {
  auto a = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  auto b = value_of(pki::make_self_signed(rsa_key(), dn("CN=b"), server_options()));
  const std::string broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  const std::string text = value_of(a.to_pem()) + broken +
                           std::string(value_of(ec_key().public_key()).to_pem().value()) +
                           value_of(b.to_pem());
  const auto each = pki::certificate<>::parse_each(text);
  BOOST_REQUIRE(each.size() == 3U);  // the public key block is not a certificate
  BOOST_TEST((value_of(pki::result<pki::certificate<>>(each[0])) == a));
  expect_error(each[1], errc::parse_failed);
  BOOST_TEST((value_of(pki::result<pki::certificate<>>(each[2])) == b));
  // parse_bundle refuses the whole text for the one broken block.
  expect_error(pki::certificate<>::parse_bundle(text), errc::parse_failed);
  // A block without its END line ends the list with that error.
  const auto cut =
      pki::certificate<>::parse_each(value_of(a.to_pem()) + "-----BEGIN CERTIFICATE-----\nAAAA\n");
  BOOST_REQUIRE(cut.size() == 2U);
  BOOST_TEST(cut[0].has_value());
  expect_error(cut[1], errc::parse_failed);
  BOOST_TEST(pki::certificate<>::parse_each("no certificates here").empty());
}

BOOST_AUTO_TEST_CASE(times_after_2049_are_generalized_time) {
  pki::self_signed_options opts;
  opts.not_before = std::chrono::sys_days(std::chrono::year(2049) / 12 / 31) + 23h + 59min + 59s;
  opts.days = std::chrono::days(1);
  auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=y2050"), opts));
  BOOST_TEST((cert.not_before() == *opts.not_before));
  BOOST_TEST((cert.not_after() == *opts.not_before + std::chrono::days(1)));
  const std::string der(reinterpret_cast<const char*>(cert.der().data()), cert.der().size());
  BOOST_TEST(der.find("\x17\x0D"
                      "491231235959Z") != std::string::npos);  // UTCTime
  BOOST_TEST(der.find("\x18\x0F"
                      "20500101235959Z") != std::string::npos);  // GeneralizedTime
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(parsing)

BOOST_AUTO_TEST_CASE(signature_checks) {
  auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  expect_ok(cert.verify_signature(value_of(ec_key().public_key())));
  auto other = value_of(value_of(pki::private_key<pki::ecdsa_p256>::generate()).public_key());
  expect_error(cert.verify_signature(other), errc::bad_signature);
  expect_error(cert.verify_signature(value_of(rsa_key().public_key())), errc::algorithm_mismatch);
  // A flipped signature byte still parses; the signature no longer verifies.
  auto broken = value_of(pki::certificate<>::from_der(tampered(cert.der())));
  BOOST_TEST(!broken.is_self_signed());
}

BOOST_AUTO_TEST_CASE(self_issued_compares_names_as_rfc5280_does) {
  const auto pub = value_of(ec_key().public_key());
  const auto issued = [&](std::string_view issuer, std::string_view subject) {
    pki::certificate_builder builder;
    builder.issuer(dn(issuer))
        .subject(dn(subject))
        .validity({jan_2026, jan_2026 + std::chrono::days(1)})
        .public_key(pub);
    return value_of(builder.sign(ec_key()));
  };
  BOOST_TEST(issued("CN=Acme CA,O=Acme", "CN=Acme CA,O=Acme").is_self_issued());
  // Other bytes, the same name under RFC 5280 (case and inner spaces folded).
  BOOST_TEST(issued("CN=Acme  CA,O=Acme", "CN=acme ca,O=ACME").is_self_issued());
  BOOST_TEST(!issued("CN=Acme Root,O=Acme", "CN=Acme CA,O=Acme").is_self_issued());
  // issuer_name_matches() between two certificates: the same rules, whatever the encoding.
  const auto child = issued("CN=Acme  CA,O=Acme", "CN=device");
  BOOST_TEST(child.issuer_name_matches(issued("CN=Acme Root", "CN=acme ca,O=ACME")));
  BOOST_TEST(child.issuer_name_matches(issued("CN=Acme Root", "CN=Acme  CA,O=Acme")));
  BOOST_TEST(!child.issuer_name_matches(issued("CN=Acme Root", "CN=Acme CA")));
  BOOST_TEST(!child.issuer_name_matches(issued("CN=Acme Root", "CN=Acme CB,O=Acme")));
  BOOST_TEST(!child.issuer_name_matches(child));
  // Self-issued by name, but signed by a key other than its own: not self-signed.
  const auto rsa_pub = value_of(rsa_key().public_key());
  pki::certificate_builder other_key;
  other_key.issuer(dn("CN=Acme CA"))
      .subject(dn("CN=Acme CA"))
      .validity({jan_2026, jan_2026 + std::chrono::days(1)})
      .public_key(rsa_pub);
  const auto rollover = value_of(other_key.sign(ec_key()));
  BOOST_TEST(rollover.is_self_issued());
  BOOST_TEST(!rollover.is_self_signed());
}

BOOST_AUTO_TEST_CASE(malformed_input) {
  auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  expect_error(pki::certificate<>::from_der({}), errc::parse_failed);
  const auto der = cert.der();
  for (std::size_t n : {std::size_t{1}, std::size_t{4}, der.size() / 2, der.size() - 1}) {
    BOOST_TEST_CONTEXT("first " << n << " bytes") {
      expect_error(pki::certificate<>::from_der(der.first(n)), errc::parse_failed);
    }
  }
  pki::byte_buffer trailing(der.begin(), der.end());
  trailing.push_back(0);
  expect_error(pki::certificate<>::from_der(trailing), errc::parse_failed);
  expect_error(pki::certificate<>::from_pem("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n"),
               errc::parse_failed);
  expect_error(pki::certificate<>::from_pem("no PEM"), errc::parse_failed);
}

// RFC 5280 4.1.2.2 and 4.1.2.5 with X.690 DER: the serial is a minimal INTEGER, and a time is
// YYMMDDHHMMSSZ (UTCTime) naming a real date. One TBS field respelled at a time.
BOOST_AUTO_TEST_CASE(a_serial_that_is_not_minimal_or_a_time_that_is_no_date_does_not_parse) {
  auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  const auto respelled = [&](std::size_t field, const pki::byte_buffer& value) {
    return pki::certificate<>::from_der(pki_test::der::with_tbs_field(cert.der(), field, value));
  };
  // tbsCertificate: [0] version, serialNumber, signature, issuer, validity, ...
  expect_error(respelled(1, {0x02, 0x02, 0x00, 0x01}), errc::parse_failed);  // 1 with a needless 0x00
  expect_error(respelled(1, {0x02, 0x02, 0xFF, 0x80}), errc::parse_failed);  // -128 with a needless 0xFF
  BOOST_TEST(respelled(1, {0x02, 0x02, 0x00, 0x80}).has_value());            // 128: the 0x00 is needed
  const auto validity = [](std::string_view not_before) {
    pki::byte_buffer v{0x30, 0x1E, 0x17, 0x0D};
    v.insert(v.end(), not_before.begin(), not_before.end());
    const std::string_view not_after = "301231235959Z";
    v.insert(v.end(), {0x17, 0x0D});
    v.insert(v.end(), not_after.begin(), not_after.end());
    return v;
  };
  BOOST_TEST(respelled(4, validity("260101000000Z")).has_value());
  for (const std::string_view bad :
       {"261301000000Z", "260230000000Z", "260101240000Z", "2601010000Z00", "26010100000+Z"}) {
    BOOST_TEST_CONTEXT(bad) {
      expect_error(respelled(4, validity(bad)), errc::parse_failed);
    }
  }
}

// RFC 5280 4.1.2.1, 4.1.2.8, 4.1.2.9: the version is DEFAULT v1, so DER leaves v1 out;
// extensions appear only in v3, unique identifiers only in v2 or v3. The tbsCertificate is
// rebuilt from a v3 certificate's fields (the signature no longer matches: parsing alone).
BOOST_AUTO_TEST_CASE(versions_extensions_and_unique_identifiers_follow_the_version) {
  auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  auto outer = pki_test::der::elements(cert.der());
  const auto v3_fields = pki_test::der::elements(outer[0]);  // version, ..., spki, [3] extensions
  const auto with_fields = [&](std::vector<pki_test::der::bytes> fields) {
    outer[0] = pki_test::der::constructed(fields);
    return pki::certificate<>::from_der(pki_test::der::constructed(outer));
  };
  auto v1_fields = v3_fields;
  v1_fields.erase(v1_fields.begin());
  v1_fields.pop_back();
  BOOST_TEST(value_of(with_fields(v1_fields)).version() == 1);  // the version left out
  auto explicit_v1 = v1_fields;
  explicit_v1.insert(explicit_v1.begin(), {0xA0, 0x03, 0x02, 0x01, 0x00});
  expect_error(with_fields(explicit_v1), errc::parse_failed);
  auto v2_with_extensions = v3_fields;
  v2_with_extensions[0] = {0xA0, 0x03, 0x02, 0x01, 0x01};
  expect_error(with_fields(v2_with_extensions), errc::parse_failed);
  auto v1_unique_id = v1_fields;
  v1_unique_id.push_back({0x81, 0x02, 0x00, 0xAA});  // [1] issuerUniqueID, after the key
  expect_error(with_fields(v1_unique_id), errc::parse_failed);
  auto v2_unique_id = v1_unique_id;
  v2_unique_id.insert(v2_unique_id.begin(), {0xA0, 0x03, 0x02, 0x01, 0x01});
  BOOST_TEST(value_of(with_fields(v2_unique_id)).version() == 2);
}

// RFC 5280 4.1.1.2: signatureAlgorithm "MUST contain the same algorithm identifier as the
// signature field in the sequence tbsCertificate". The same in meaning is not enough: an RSA
// AlgorithmIdentifier with its NULL parameters left out outside (accepted alone) would give
// one signed certificate a second encoding and fingerprint.
BOOST_AUTO_TEST_CASE(outer_signature_algorithm_must_equal_the_inner_one_byte_for_byte) {
  auto cert = value_of(pki::make_self_signed(rsa_key(), dn("CN=a"), server_options()));
  auto outer = pki_test::der::elements(cert.der());
  const auto parts = pki_test::der::elements(outer[1]);
  BOOST_TEST_REQUIRE(parts.size() == 2U);  // OID, NULL
  outer[1] = pki_test::der::constructed({parts[0]});
  const auto respelled = pki_test::der::constructed(outer);
  const auto parsed = pki::certificate<>::from_der(respelled);
  expect_error(parsed, errc::parse_failed);
  BOOST_TEST(pki_test::contains(parsed.error().message(), "signature algorithm fields"),
             parsed.error().message());
  // Spelled without NULL in both places, it is one encoding again (and parses).
  auto tbs = pki_test::der::elements(outer[0]);
  tbs[2] = outer[1];
  outer[0] = pki_test::der::constructed(tbs);
  BOOST_TEST(pki::certificate<>::from_der(pki_test::der::constructed(outer)).has_value());
}

// RFC 5758 3.2: ecdsa-with-SHA* AlgorithmIdentifiers have no parameters field at all.
// RFC 4055 5 (and RFC 3279 2.2.1): the PKCS#1 v1.5 ones have NULL parameters, and readers
// accept them absent too. Anything else in the parameters is refused, in a certificate as
// in the identifier alone.
BOOST_AUTO_TEST_CASE(ecdsa_and_rsa_algorithm_parameters_are_absent_or_null) {
  namespace der = pki_test::der;
  const der::bytes ecdsa_sha256 = {0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02};
  const der::bytes rsa_sha256 = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B};
  const der::bytes null = {0x05, 0x00};
  const der::bytes null_with_content = {0x05, 0x01, 0x00};
  const der::bytes zero = {0x02, 0x01, 0x00};
  const auto read = [](const der::bytes& identifier) {
    pki::detail::der_reader r(identifier);
    return pki::detail::read_signature_algorithm(r);
  };
  BOOST_TEST(value_of(read(der::constructed({ecdsa_sha256}))).name() == "ecdsa-with-SHA256");
  for (const auto& params : {null, zero}) {
    const auto got = read(der::constructed({ecdsa_sha256, params}));
    expect_error(got, errc::parse_failed);
    BOOST_TEST(pki_test::contains(got.error().message(), "ECDSA AlgorithmIdentifier has parameters"));
  }
  BOOST_TEST(read(der::constructed({rsa_sha256, null})).has_value());
  BOOST_TEST(read(der::constructed({rsa_sha256})).has_value());
  for (const auto& params : {zero, null_with_content, der::bytes{0x05, 0x00, 0x05, 0x00}}) {
    const auto got = read(der::constructed({rsa_sha256, params}));
    expect_error(got, errc::parse_failed);
    BOOST_TEST(pki_test::contains(got.error().message(), "RSA AlgorithmIdentifier parameters are not NULL"));
  }
  // In a certificate: an EC-signed one with NULL parameters in both places (so that only
  // the parameters rule can refuse it).
  auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  auto outer = der::elements(cert.der());
  BOOST_TEST_REQUIRE(outer[1] == der::constructed({ecdsa_sha256}));
  outer[1] = der::constructed({ecdsa_sha256, null});
  auto tbs = der::elements(outer[0]);
  tbs[2] = outer[1];
  outer[0] = der::constructed(tbs);
  const auto parsed = pki::certificate<>::from_der(der::constructed(outer));
  expect_error(parsed, errc::parse_failed);
  BOOST_TEST(pki_test::contains(parsed.error().message(), "ECDSA AlgorithmIdentifier has parameters"),
             parsed.error().message());
}

// RSASSA-PSS-params (RFC 4055 3.1): every field is one value in its explicit tag, and
// nothing follows the parameters; each place where trailing bytes used to be ignored.
BOOST_AUTO_TEST_CASE(pss_parameters_parse_exactly) {
  namespace der = pki_test::der;
  const der::bytes pss_oid = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A};
  const der::bytes mgf1_oid = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x08};
  const der::bytes sha256 = der::constructed(
      {der::bytes{0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01}, der::bytes{0x05, 0x00}});
  const der::bytes extra = {0x05, 0x00};  // a stray NULL
  const auto params = [&](bool in_hash, bool in_mgf, bool in_mgf_tag, bool in_salt, bool after_params) {
    der::bytes hash = in_hash ? der::constructed({sha256, extra}, 0xA0) : der::constructed({sha256}, 0xA0);
    der::bytes mgf =
        in_mgf ? der::constructed({mgf1_oid, sha256, extra}) : der::constructed({mgf1_oid, sha256});
    der::bytes mgf_tag = in_mgf_tag ? der::constructed({mgf, extra}, 0xA1) : der::constructed({mgf}, 0xA1);
    const der::bytes salt_value = {0x02, 0x01, 0x20};
    der::bytes salt =
        in_salt ? der::constructed({salt_value, extra}, 0xA2) : der::constructed({salt_value}, 0xA2);
    der::bytes p = der::constructed({hash, mgf_tag, salt});
    return after_params ? der::constructed({pss_oid, p, extra}) : der::constructed({pss_oid, p});
  };
  const auto read = [](const der::bytes& identifier) {
    pki::detail::der_reader r(identifier);
    return pki::detail::read_signature_algorithm(r);
  };
  const auto exact = read(params(false, false, false, false, false));
  BOOST_TEST_REQUIRE(exact.has_value(), pki_test::error_text(exact));
  BOOST_TEST(exact->name() == "rsassaPss (SHA-256, salt 32)");
  for (int where = 0; where < 5; ++where) {
    BOOST_TEST_CONTEXT("trailing data in place " << where) {
      expect_error(read(params(where == 0, where == 1, where == 2, where == 3, where == 4)),
                   errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(typed_certificates_check_the_key) {
  auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=a"), server_options()));
  expect_error(pki::certificate<pki::rsa<2048>>::from_der(cert.der()), errc::algorithm_mismatch);
  pki::certificate<> any = cert;
  BOOST_TEST(any.narrow<pki::ecdsa_p256>().has_value());
  expect_error(any.narrow<pki::ecdsa_p384>(), errc::algorithm_mismatch);
}

// certificate<Alg> and csr<Alg> mean the subject key's algorithm to the curve and the RSA
// size class, not only EC or RSA.
BOOST_AUTO_TEST_CASE(a_typed_certificate_names_the_exact_curve_and_rsa_size) {
  const auto p384_key = value_of(pki::private_key<pki::ecdsa_p384>::generate());
  const auto p384 = value_of(pki::make_self_signed(p384_key, dn("CN=p384"), server_options()));
  expect_error(pki::certificate<pki::ecdsa_p256>::from_der(p384.der()), errc::algorithm_mismatch);
  expect_error(pki::certificate<pki::ecdsa_p256>::parse(p384.der()), errc::algorithm_mismatch);
  const pki::certificate<> any_p384 = p384;
  expect_error(any_p384.narrow<pki::ecdsa_p256>(), errc::algorithm_mismatch);
  BOOST_TEST((value_of(any_p384.narrow<pki::ecdsa_p384>()) == p384));

  const auto rsa3072_key = value_of(pki::private_key<pki::rsa<3072>>::generate());
  const auto rsa3072 = value_of(pki::make_self_signed(rsa3072_key, dn("CN=rsa3072"), server_options()));
  expect_error(pki::certificate<pki::rsa<2048>>::from_der(rsa3072.der()), errc::algorithm_mismatch);
  expect_error(pki::certificate<pki::rsa<4096>>::from_der(rsa3072.der()), errc::algorithm_mismatch);
  const pki::certificate<> any_rsa = rsa3072;
  expect_error(any_rsa.narrow<pki::rsa<2048>>(), errc::algorithm_mismatch);
  BOOST_TEST(any_rsa.narrow<pki::rsa<3072>>().has_value());

  const auto request = value_of(pki::csr_builder().subject("CN=p384").sign(p384_key));
  expect_error(pki::csr<pki::ecdsa_p256>::from_der(request.der()), errc::algorithm_mismatch);
  BOOST_TEST(pki::csr<pki::ecdsa_p384>::from_der(request.der()).has_value());
}

// The shell every signed document shares: the TBS and the signature are the parts of the
// DER, and verify_signature() and parse_each() work alike for a certificate and a CSR.
BOOST_AUTO_TEST_CASE(certificates_and_csrs_share_one_signed_document_shell) {
  const auto cert = value_of(pki::make_self_signed(ec_key(), dn("CN=shell"), server_options()));
  const auto request = value_of(pki::csr_builder().subject("CN=shell").sign(ec_key()));
  const auto issuer = value_of(ec_key().public_key());
  const auto other = value_of(rsa_key().public_key());
  const auto check = [&](const auto& document, std::string_view label) {
    BOOST_TEST_CONTEXT(label) {
      const auto der = document.der();
      BOOST_TEST(der.size() > document.tbs_der().size() + document.signature().size());
      const std::size_t header = (der[1] & 0x80) != 0 ? 2 + (der[1] & 0x7F) : 2;
      BOOST_TEST(std::ranges::equal(der.subspan(header, document.tbs_der().size()), document.tbs_der()));
      BOOST_TEST(std::ranges::equal(der.last(document.signature().size()), document.signature()));
      BOOST_TEST((document.signature_algorithm().type == pki::key_type::ec));
      expect_ok(document.verify_signature(issuer));
      expect_error(document.verify_signature(other), errc::algorithm_mismatch);
      const auto pem = value_of(document.to_pem());
      BOOST_TEST(pem.find(std::string("-----BEGIN ") + std::string(label) + "-----") == 0);
      using document_type = std::remove_cvref_t<decltype(document)>;
      const auto each = document_type::parse_each(pem + pem);
      BOOST_REQUIRE(each.size() == 2);
      BOOST_REQUIRE(each[1].has_value());
      BOOST_TEST((*each[1] == document));
    }
  };
  check(cert, "CERTIFICATE");
  check(request, "CERTIFICATE REQUEST");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(builder)

BOOST_AUTO_TEST_CASE(refuses_bad_serials_and_periods) {
  auto pub = value_of(ec_key().public_key());
  const pki::byte_buffer zero = {0x00};
  const pki::byte_buffer too_long(20, 0xFF);  // 21 octets once a sign octet is added
  expect_error(
      pki::certificate_builder().serial(zero).public_key(pub).validity({jan_2026, jan_2026}).sign(ec_key()),
      errc::invalid_argument);
  expect_error(pki::certificate_builder()
                   .serial(too_long)
                   .public_key(pub)
                   .validity({jan_2026, jan_2026})
                   .sign(ec_key()),
               errc::invalid_argument);
  expect_error(pki::certificate_builder().public_key(pub).validity({jan_2026, jan_2026 - 1s}).sign(ec_key()),
               errc::invalid_argument);
  expect_error(pki::certificate_builder().validity({jan_2026, jan_2026}).sign(ec_key()),
               errc::invalid_argument);
  expect_error(pki::certificate_builder().public_key(pub).sign(ec_key()), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_twenty_octet_serial_is_kept) {
  pki::byte_buffer serial(20, 0x7F);
  auto cert = value_of(pki::certificate_builder()
                           .serial(serial)
                           .subject(dn("CN=s"))
                           .issuer(dn("CN=s"))
                           .public_key(value_of(ec_key().public_key()))
                           .validity({jan_2026, jan_2026 + 24h})
                           .sign(ec_key()));
  BOOST_TEST((pki::byte_buffer(cert.serial().begin(), cert.serial().end()) == serial));
}

BOOST_AUTO_TEST_CASE(refuses_duplicate_extensions) {
  expect_error(pki::certificate_builder()
                   .add(pki::basic_constraints{})
                   .add(pki::basic_constraints{.ca = true, .path_len = std::nullopt})
                   .public_key(value_of(ec_key().public_key()))
                   .validity({jan_2026, jan_2026})
                   .sign(ec_key()),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(csrs)

BOOST_AUTO_TEST_CASE(every_field_reads_back) {
  auto request = value_of(pki::csr_builder()
                              .subject("CN=device-42,O=Acme")
                              .dns("device-42.example")
                              .ip("2001:db8::7")
                              .uri("urn:dev:42")
                              .email("ops@acme.example")
                              .add(pki::extended_key_usage::of({pki::extended_key_usage::client_auth}))
                              .sign(rsa_key()));
  BOOST_TEST(request.subject().to_string() == "CN=device-42,O=Acme");
  BOOST_TEST((request.public_key() == value_of(rsa_key().public_key())));
  BOOST_TEST(request.signature_algorithm().name() == "sha256WithRSAEncryption");
  auto san = value_of(request.extension<pki::subject_alt_name>());
  BOOST_REQUIRE(san.has_value());
  BOOST_TEST(san->names.size() == 4U);
  auto eku = value_of(request.extension<pki::extended_key_usage>());
  BOOST_REQUIRE(eku.has_value());
  BOOST_TEST(eku->has(pki::extended_key_usage::client_auth));

  auto pem = value_of(request.to_pem());
  BOOST_TEST(pem.starts_with("-----BEGIN CERTIFICATE REQUEST-----\n"));
  BOOST_TEST((value_of(pki::csr<pki::rsa<2048>>::from_pem(pem)) == request));
}

// Old Netscape and Windows tools label a CSR "NEW CERTIFICATE REQUEST"; both labels parse.
BOOST_AUTO_TEST_CASE(the_legacy_pem_label_parses) {
  const auto request = value_of(pki::csr_builder().subject("CN=legacy").sign(ec_key()));
  auto pem = value_of(request.to_pem());
  for (const std::string_view edge : {"-----BEGIN ", "-----END "}) {
    const auto at = pem.find(std::string(edge) + "CERTIFICATE REQUEST");
    BOOST_REQUIRE(at != std::string::npos);
    pem.insert(at + edge.size(), "NEW ");
  }
  BOOST_TEST((value_of(pki::csr<>::from_pem(pem)) == request));
  BOOST_TEST(pki::csr<>::parse_each(pem).size() == 1);
  expect_error(pki::csr<>::from_pem(value_of(value_of(pki::make_self_signed(ec_key(), dn("CN=x"))).to_pem())),
               errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(a_forged_request_is_bad_signature) {
  auto request = value_of(pki::csr_builder().subject("CN=x").sign(ec_key()));
  expect_error(pki::csr<>::from_der(tampered(request.der())), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(invalid_inputs_surface_at_sign) {
  expect_error(pki::csr_builder().subject("CN=x,,").sign(ec_key()), errc::parse_failed);
  expect_error(pki::csr_builder().subject("CN=x").ip("1.2.3").sign(ec_key()), errc::parse_failed);
  expect_error(pki::csr<>::from_der({}), errc::parse_failed);
  expect_error(pki::csr<>::from_pem("nothing"), errc::parse_failed);
}

BOOST_AUTO_TEST_SUITE_END()
