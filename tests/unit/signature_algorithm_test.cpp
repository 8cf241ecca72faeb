// signature_algorithm: the scheme an X.509 AlgorithmIdentifier names. Its names and
// verification options, the scheme a key signs with by default, every OID and parameters
// combination read and written back (ECDSA and PKCS#1 v1.5 with each hash, RSASSA-PSS with
// its parameters and their RFC 4055 defaults), unknown schemes unsupported and malformed
// identifiers parse_failed, and OpenSSL's certificates read with the scheme they name.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/der.hpp"
#include "support/expect.hpp"
#include "support/openssl_cli.hpp"

using pki::errc;
using pki::hash_algorithm;
using pki::key_type;
using pki::rsa_padding;
using pki_test::expect_error;
using pki_test::value_of;
using namespace pki_test::der;  // bytes, hex, tlv, constructed

namespace {

bytes oid(std::string_view content_hex) {
  return tlv(0x06, hex(content_hex));
}

const bytes null_value = hex("0500");

// Content octets of the OIDs (RFC 5758, RFC 8017, RFC 4055, NIST).
constexpr std::string_view ecdsa_sha256 = "2A8648CE3D040302";
constexpr std::string_view rsa_sha256 = "2A864886F70D01010B";
constexpr std::string_view rsassa_pss = "2A864886F70D01010A";
constexpr std::string_view mgf1 = "2A864886F70D010108";
// The hashes inside RSASSA-PSS parameters.
constexpr std::string_view sha256 = "608648016503040201";
constexpr std::string_view sha384 = "608648016503040202";

/// The scheme `der` (one AlgorithmIdentifier) names, read as certificates read it.
pki::result<pki::signature_algorithm> read(pki::byte_view der) {
  pki::detail::der_reader reader(der);
  auto alg = pki::detail::read_signature_algorithm(reader);
  if (alg && !reader.at_end()) return pki::fail(errc::parse_failed, "test: the reader left bytes behind");
  return alg;
}

bytes write(const pki::signature_algorithm& s) {
  pki::detail::der_writer w;
  pki::detail::write_signature_algorithm(w, s);
  return value_of(w.finish<bytes>());
}

bytes hash_id(std::string_view hash_oid) {
  return constructed({oid(hash_oid), null_value});
}

bytes mgf1_with(std::string_view hash_oid) {
  return constructed({oid(mgf1), hash_id(hash_oid)});
}

/// An RSASSA-PSS AlgorithmIdentifier whose parameters are the given fields.
bytes pss_with(const std::vector<bytes>& fields) {
  return constructed({oid(rsassa_pss), constructed(fields)});
}

bytes pss_hash(std::string_view hash_oid) {
  return tlv(0xA0, hash_id(hash_oid));
}
bytes pss_mask(const bytes& mask) {
  return tlv(0xA1, mask);
}
bytes pss_salt(std::uint8_t salt) {
  return tlv(0xA2, tlv(0x02, bytes{salt}));
}
bytes pss_trailer(std::uint8_t trailer) {
  return tlv(0xA3, tlv(0x02, bytes{trailer}));
}

pki::signature_algorithm ec(hash_algorithm h) {
  return pki::signature_algorithm::for_key(pki::ecdsa_p256::id, h);
}
pki::signature_algorithm rsa(hash_algorithm h) {
  return pki::signature_algorithm::for_key(pki::rsa<2048>::id, h);
}
pki::signature_algorithm pss(hash_algorithm h, hash_algorithm mask, std::size_t salt) {
  pki::signature_algorithm s = rsa(h);
  s.padding = rsa_padding::pss;
  s.mgf1_hash = mask;
  s.pss_salt_length = salt;
  return s;
}

constexpr hash_algorithm every_hash[] = {hash_algorithm::sha1, hash_algorithm::sha224, hash_algorithm::sha256,
                                         hash_algorithm::sha384, hash_algorithm::sha512};

}  // namespace

BOOST_AUTO_TEST_SUITE(schemes)

BOOST_AUTO_TEST_CASE(names_follow_the_oid_registry) {
  BOOST_TEST(ec(hash_algorithm::sha1).name() == "ecdsa-with-SHA1");
  BOOST_TEST(ec(hash_algorithm::sha224).name() == "ecdsa-with-SHA224");
  BOOST_TEST(ec(hash_algorithm::sha256).name() == "ecdsa-with-SHA256");
  BOOST_TEST(ec(hash_algorithm::sha384).name() == "ecdsa-with-SHA384");
  BOOST_TEST(ec(hash_algorithm::sha512).name() == "ecdsa-with-SHA512");
  BOOST_TEST(rsa(hash_algorithm::sha1).name() == "sha1WithRSAEncryption");
  BOOST_TEST(rsa(hash_algorithm::sha256).name() == "sha256WithRSAEncryption");
  BOOST_TEST(rsa(hash_algorithm::sha512).name() == "sha512WithRSAEncryption");
  BOOST_TEST(pss(hash_algorithm::sha256, hash_algorithm::sha256, 32).name() == "rsassaPss (SHA-256, salt 32)");
  BOOST_TEST(pss(hash_algorithm::sha1, hash_algorithm::sha1, 20).name() == "rsassaPss (SHA-1, salt 20)");
}

BOOST_AUTO_TEST_CASE(for_key_takes_the_keys_default_hash_unless_told) {
  const auto p384 = pki::signature_algorithm::for_key(pki::ecdsa_p384::id);
  BOOST_TEST((p384.type == key_type::ec));
  BOOST_TEST((p384.hash == hash_algorithm::sha384));
  const auto p521 = pki::signature_algorithm::for_key(pki::ecdsa_p521::id);
  BOOST_TEST((p521.hash == hash_algorithm::sha512));
  const auto r = pki::signature_algorithm::for_key(pki::rsa<3072>::id);
  BOOST_TEST((r.type == key_type::rsa));
  BOOST_TEST((r.padding == rsa_padding::pkcs1_v15));
  BOOST_TEST((r.hash == hash_algorithm::sha256));
  const auto told = pki::signature_algorithm::for_key(pki::ecdsa_p256::id, hash_algorithm::sha512);
  BOOST_TEST((told.hash == hash_algorithm::sha512));
  // The PSS fields are ready should the caller switch padding: salt as long as the digest.
  BOOST_TEST((told.mgf1_hash == hash_algorithm::sha512));
  BOOST_TEST(told.pss_salt_length == 64U);
}

BOOST_AUTO_TEST_CASE(options_carry_pss_parameters_only_for_pss) {
  const auto pkcs1 = rsa(hash_algorithm::sha384).options();
  BOOST_TEST((pkcs1.hash == hash_algorithm::sha384));
  BOOST_TEST((pkcs1.padding == rsa_padding::pkcs1_v15));
  const auto with_pss = pss(hash_algorithm::sha384, hash_algorithm::sha256, 17).options();
  BOOST_TEST((with_pss.padding == rsa_padding::pss));
  BOOST_TEST((with_pss.hash == hash_algorithm::sha384));
  BOOST_TEST((with_pss.mgf1_hash == hash_algorithm::sha256));
  BOOST_TEST((with_pss.pss_salt_length == 17U));
}

BOOST_AUTO_TEST_CASE(equality_includes_the_pss_parameters) {
  BOOST_TEST((pss(hash_algorithm::sha256, hash_algorithm::sha256, 32) ==
              pss(hash_algorithm::sha256, hash_algorithm::sha256, 32)));
  BOOST_TEST((pss(hash_algorithm::sha256, hash_algorithm::sha256, 32) !=
              pss(hash_algorithm::sha256, hash_algorithm::sha256, 20)));
  BOOST_TEST((pss(hash_algorithm::sha256, hash_algorithm::sha256, 32) !=
              pss(hash_algorithm::sha256, hash_algorithm::sha384, 32)));
  BOOST_TEST((ec(hash_algorithm::sha256) != rsa(hash_algorithm::sha256)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(identifiers)

BOOST_AUTO_TEST_CASE(every_ecdsa_and_pkcs1_scheme_round_trips) {
  for (const auto h : every_hash) {
    BOOST_TEST_CONTEXT(pki::name(h)) {
      const auto ecdsa = write(ec(h));
      BOOST_TEST((value_of(read(ecdsa)) == ec(h)));
      BOOST_TEST(ecdsa.size() == (h == hash_algorithm::sha1 ? 11U : 12U));  // no parameters
      const auto pkcs1 = write(rsa(h));
      BOOST_TEST((value_of(read(pkcs1)) == rsa(h)));
      BOOST_TEST((pkcs1[pkcs1.size() - 2] == 0x05 && pkcs1.back() == 0x00));  // NULL parameters
    }
  }
}

BOOST_AUTO_TEST_CASE(known_encodings_are_read_as_their_schemes) {
  BOOST_TEST((value_of(read(hex("300A 0608 2A8648CE3D040302"))) == ec(hash_algorithm::sha256)));
  BOOST_TEST((value_of(read(hex("300A 0608 2A8648CE3D040303"))) == ec(hash_algorithm::sha384)));
  BOOST_TEST((value_of(read(hex("300D 0609 2A864886F70D01010B 0500"))) == rsa(hash_algorithm::sha256)));
  BOOST_TEST((value_of(read(hex("300D 0609 2A864886F70D010105 0500"))) == rsa(hash_algorithm::sha1)));
  BOOST_TEST(pki::to_hex(write(ec(hash_algorithm::sha256))) == "300a06082a8648ce3d040302");
}

BOOST_AUTO_TEST_CASE(pkcs1_parameters_may_be_absent_but_only_null) {
  BOOST_TEST((value_of(read(constructed({oid(rsa_sha256)}))) == rsa(hash_algorithm::sha256)));
  expect_error(read(constructed({oid(rsa_sha256), tlv(0x02, bytes{0})})), errc::parse_failed);
  expect_error(read(constructed({oid(rsa_sha256), tlv(0x05, bytes{0})})), errc::parse_failed);
  expect_error(read(constructed({oid(rsa_sha256), null_value, null_value})), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(ecdsa_parameters_must_be_absent) {
  expect_error(read(constructed({oid(ecdsa_sha256), null_value})), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(every_pss_combination_round_trips) {
  for (const auto h : every_hash) {
    for (const auto mask : every_hash) {
      for (const std::size_t salt : {0U, 20U, 32U, 64U}) {
        BOOST_TEST_CONTEXT(pki::name(h) << ", MGF1 " << pki::name(mask) << ", salt " << salt) {
          const auto s = pss(h, mask, salt);
          BOOST_TEST((value_of(read(write(s))) == s));
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(pss_writes_every_field_as_rfc4055_shows) {
  const auto expected = pss_with({pss_hash(sha256), pss_mask(mgf1_with(sha256)), pss_salt(32)});
  BOOST_TEST(pki::to_hex(write(pss(hash_algorithm::sha256, hash_algorithm::sha256, 32))) ==
             pki::to_hex(expected));
}

BOOST_AUTO_TEST_CASE(absent_pss_fields_take_the_sha1_defaults) {
  BOOST_TEST((value_of(read(pss_with({}))) == pss(hash_algorithm::sha1, hash_algorithm::sha1, 20)));
  BOOST_TEST((value_of(read(pss_with({pss_hash(sha384)}))) ==
              pss(hash_algorithm::sha384, hash_algorithm::sha1, 20)));
  BOOST_TEST((value_of(read(pss_with({pss_mask(mgf1_with(sha384))}))) ==
              pss(hash_algorithm::sha1, hash_algorithm::sha384, 20)));
  BOOST_TEST((value_of(read(pss_with({pss_salt(48)}))) == pss(hash_algorithm::sha1, hash_algorithm::sha1, 48)));
  BOOST_TEST((value_of(read(pss_with({pss_salt(32), pss_trailer(1)}))) ==
              pss(hash_algorithm::sha1, hash_algorithm::sha1, 32)));
  // A hash AlgorithmIdentifier without its NULL is seen in the wild and accepted.
  BOOST_TEST((value_of(read(pss_with({tlv(0xA0, constructed({oid(sha256)}))}))) ==
              pss(hash_algorithm::sha256, hash_algorithm::sha1, 20)));
}

BOOST_AUTO_TEST_CASE(pss_parameters_the_library_lacks_are_unsupported) {
  // A mask other than MGF1 (id-mgf2 does not exist; 1.2.840.113549.1.1.9 is pSpecified).
  expect_error(read(pss_with({pss_mask(constructed({oid("2A864886F70D010109"), hash_id(sha256)}))})),
               errc::unsupported);
  expect_error(read(pss_with({pss_trailer(2)})), errc::unsupported);
  expect_error(read(pss_with({pss_hash("2A864886F70D0205")})), errc::unsupported);  // MD5
  expect_error(read(pss_with({pss_mask(mgf1_with("2A864886F70D0205"))})), errc::unsupported);
}

BOOST_AUTO_TEST_CASE(malformed_pss_parameters_are_parse_failed) {
  expect_error(read(constructed({oid(rsassa_pss)})), errc::parse_failed);              // no parameters
  expect_error(read(constructed({oid(rsassa_pss), null_value})), errc::parse_failed);  // NULL
  // Fields out of order, repeated, or with a value after the one they hold.
  expect_error(read(pss_with({pss_salt(32), pss_hash(sha256)})), errc::parse_failed);
  expect_error(read(pss_with({pss_hash(sha256), pss_hash(sha256)})), errc::parse_failed);
  expect_error(read(pss_with({tlv(0xA0, [] {
                 auto twice = hash_id(sha256);
                 const auto again = hash_id(sha256);
                 twice.insert(twice.end(), again.begin(), again.end());
                 return twice;
               }())})),
               errc::parse_failed);
  expect_error(read(pss_with({tlv(0xA2, [] {
                 auto salt = tlv(0x02, bytes{32});
                 salt.push_back(0x05);
                 salt.push_back(0x00);
                 return salt;
               }())})),
               errc::parse_failed);
  // A hash identifier whose parameters are not NULL, and an unknown field [4].
  expect_error(read(pss_with({tlv(0xA0, constructed({oid(sha256), tlv(0x02, bytes{1})}))})), errc::parse_failed);
  expect_error(read(pss_with({tlv(0xA4, tlv(0x02, bytes{1}))})), errc::parse_failed);
  // Something after the parameters.
  expect_error(read(constructed({oid(rsassa_pss), hex("3000"), null_value})), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(unknown_schemes_are_unsupported) {
  expect_error(read(constructed({oid("2B6570")})), errc::unsupported);                         // Ed25519
  expect_error(read(constructed({oid("2A864886F70D010104"), null_value})), errc::unsupported);  // md5WithRSA
  expect_error(read(constructed({oid("2A8648CE3D0401"), null_value})), errc::parse_failed);    // params on ECDSA
  expect_error(read(constructed({oid("2A8648CE3D040305")})), errc::unsupported);  // no such ecdsa-with-SHA
  expect_error(read(constructed({oid("2A864886F70D010101"), null_value})), errc::unsupported);  // rsaEncryption
}

BOOST_AUTO_TEST_CASE(malformed_identifiers_are_parse_failed) {
  expect_error(read({}), errc::parse_failed);
  expect_error(read(hex("3000")), errc::parse_failed);                 // no OID
  expect_error(read(hex("3103 0601 2A")), errc::parse_failed);          // a SET
  expect_error(read(hex("3003 0400 00")), errc::parse_failed);          // not an OID
  expect_error(read(hex("300A 0608 2A8648CE3D0403")), errc::parse_failed);  // truncated
  expect_error(read(hex("3002 0600")), errc::parse_failed);             // empty OID
}

BOOST_AUTO_TEST_CASE(the_identifiers_der_is_returned_for_the_rfc5280_comparison) {
  const auto encoded = write(pss(hash_algorithm::sha256, hash_algorithm::sha256, 32));
  auto followed = encoded;
  followed.push_back(0x05);
  followed.push_back(0x00);
  pki::detail::der_reader reader(followed);
  pki::byte_view der;
  BOOST_TEST(pki::detail::read_signature_algorithm(reader, der).has_value());
  BOOST_TEST(pki::to_hex(der) == pki::to_hex(encoded));
  BOOST_TEST(reader.rest().size() == 2U);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(openssl_oracle)

struct made_by_openssl {
  std::string key_options;
  std::vector<std::string> sign_options;
  pki::signature_algorithm expected;
};

BOOST_AUTO_TEST_CASE(certificates_openssl_signs_name_the_scheme_they_use) {
  const std::vector<made_by_openssl> cases{
      {"ec:P-256", {"-sha512"}, ec(hash_algorithm::sha512)},
      {"ec:P-384", {"-sha224"}, ec(hash_algorithm::sha224)},
      {"rsa:2048", {"-sha384"}, rsa(hash_algorithm::sha384)},
      {"rsa:2048",
       {"-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"},
       pss(hash_algorithm::sha256, hash_algorithm::sha256, 32)},
      {"rsa:2048",
       {"-sha384", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:20", "-sigopt",
        "rsa_mgf1_md:sha256"},
       pss(hash_algorithm::sha384, hash_algorithm::sha256, 20)},
  };
  pki_test::temp_dir dir;
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.expected.name()) {
      const std::string type = c.key_options.substr(0, c.key_options.find(':'));
      std::vector<std::string> args{"req", "-x509", "-nodes", "-subj", "/CN=oracle", "-days", "1",
                                    "-keyout", dir.file("key.pem"), "-out", dir.file("cert.pem")};
      if (type == "ec") {
        args.insert(args.end(), {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:" + c.key_options.substr(3)});
      } else {
        args.insert(args.end(), {"-newkey", c.key_options});
      }
      args.insert(args.end(), c.sign_options.begin(), c.sign_options.end());
      const auto run = pki_test::run_openssl(args);
      BOOST_TEST_REQUIRE(run.ok(), run.err);
      const auto cert = value_of(pki::certificate<>::parse(pki_test::read_file(dir.file("cert.pem"))));
      const auto& s = cert.signature_algorithm();
      BOOST_TEST((s.type == c.expected.type));
      BOOST_TEST((s.hash == c.expected.hash));
      BOOST_TEST((s.padding == c.expected.padding));
      if (s.padding == rsa_padding::pss) {
        BOOST_TEST((s.mgf1_hash == c.expected.mgf1_hash));
        BOOST_TEST(s.pss_salt_length == c.expected.pss_salt_length);
      }
      BOOST_TEST(s.name() == c.expected.name());
      pki_test::expect_ok(cert.verify_signature(cert.public_key()));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
