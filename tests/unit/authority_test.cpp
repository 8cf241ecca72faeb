// The certificate authority: a root and an intermediate in two calls, issuance under
// each profile, each refusal with its own errc, and OpenSSL verifying what it issues.

#include <boost/test/unit_test.hpp>

#include <pki/issue/authority.hpp>

#include <chrono>
#include <concepts>
#include <string>

#include "support/expect.hpp"
#include "support/openssl_cli.hpp"

using namespace std::chrono_literals;
using pki::errc;
using pki_test::expect_error;
using pki_test::dn;
using pki_test::value_of;

namespace {

const std::chrono::sys_seconds start =
    std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) - 1h;
const pki::validity ten_years{start, start + std::chrono::days(3650)};
const pki::validity five_years{start, start + std::chrono::days(1825)};
const pki::validity ninety_days{start, start + std::chrono::days(90)};

struct hierarchy {
  pki::certificate_authority<pki::ecdsa_p384> root;
  pki::certificate_authority<pki::ecdsa_p256> intermediate;
};

const hierarchy& ec_hierarchy() {
  static const hierarchy h = [] {
    auto root = value_of(pki::certificate_authority<pki::ecdsa_p384>::create_root(
        value_of(pki::private_key<pki::ecdsa_p384>::generate()), dn("CN=Acme Root CA,O=Acme,C=DE"),
        ten_years));
    auto inter = value_of(root.create_intermediate(value_of(pki::private_key<pki::ecdsa_p256>::generate()),
                                                   dn("CN=Acme Issuing CA,O=Acme,C=DE"), five_years));
    return hierarchy{std::move(root), std::move(inter)};
  }();
  return h;
}

const pki::private_key<pki::ecdsa_p256>& leaf_key() {
  static const auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  return key;
}

pki::csr<> server_request(std::string_view host = "device-42.example") {
  return value_of(pki::csr_builder().subject("CN=device-42").dns(host).sign(leaf_key()));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hierarchy_in_two_calls)

BOOST_AUTO_TEST_CASE(root_and_intermediate) {
  const auto& h = ec_hierarchy();
  const auto& root = h.root.certificate();
  const auto& inter = h.intermediate.certificate();
  BOOST_TEST(root.is_self_signed());
  BOOST_TEST(root.is_ca());
  BOOST_TEST(inter.is_ca());
  BOOST_TEST((value_of(inter.basic_constraints())->path_len == std::optional<std::uint32_t>(0)));
  BOOST_TEST((inter.issuer() == root.subject()));
  pki_test::expect_ok(inter.verify_signature(root.public_key()));
  // AKI of the intermediate is the root's SKI.
  BOOST_TEST((value_of(inter.authority_key_identifier())->key_id ==
              value_of(root.subject_key_identifier())->key_id));
}

BOOST_AUTO_TEST_CASE(issued_serials_are_random_and_positive) {
  const auto& ca = ec_hierarchy().intermediate;
  auto a = value_of(ca.issue(server_request(), pki::profile::tls_server{}, ninety_days));
  auto b = value_of(ca.issue(server_request(), pki::profile::tls_server{}, ninety_days));
  BOOST_TEST(a.serial_hex() != b.serial_hex());
  BOOST_TEST((a.serial()[0] & 0x80) == 0);
  BOOST_TEST(a.serial().size() <= 20U);
}

BOOST_AUTO_TEST_CASE(tls_server_profile) {
  auto leaf =
      value_of(ec_hierarchy().intermediate.issue(server_request(), pki::profile::tls_server{}, ninety_days));
  BOOST_TEST(!leaf.is_ca());
  BOOST_TEST(value_of(leaf.extended_key_usage())->has(pki::extended_key_usage::server_auth));
  BOOST_TEST(value_of(leaf.key_usage())->to_string() == "Digital Signature");
  BOOST_TEST(value_of(leaf.subject_alt_name())->to_string() == "DNS:device-42.example");
}

BOOST_AUTO_TEST_CASE(device_identity_profile) {
  auto request = value_of(pki::csr_builder()
                              .subject("serialNumber=SN-0042,CN=sensor,O=Acme")
                              .uri("urn:dev:ops:acme-sensor-0042")
                              .sign(leaf_key()));
  auto cert = value_of(ec_hierarchy().intermediate.issue(request, pki::profile::device_identity{},
                                                         {start, start + std::chrono::days(1000)}));
  BOOST_TEST(value_of(cert.extended_key_usage())->has(pki::extended_key_usage::client_auth));
  // Without a serialNumber in the subject it is no device identity.
  expect_error(
      ec_hierarchy().intermediate.issue(server_request(), pki::profile::device_identity{}, ninety_days),
      errc::profile_violation);
}

// A user's own profile: a code-signing certificate, no SANs, at most 30 days.
struct code_signing_profile {
  [[nodiscard]] std::chrono::seconds max_validity() const noexcept { return std::chrono::days(30); }
  [[nodiscard]] pki::result<pki::extension_list> extensions(const pki::issuance_request& request) const {
    if (auto san = request.requested.find(pki::subject_alt_name::oid()); san != nullptr) {
      return pki::fail(errc::profile_violation, "code signing certificates carry no SAN");
    }
    pki::extension_list out;
    if (auto ok = out.add(pki::basic_constraints{}); !ok) return std::unexpected(ok.error());
    if (auto ok = out.add(pki::key_usage{pki::key_usage_flag::digital_signature}); !ok) {
      return std::unexpected(ok.error());
    }
    if (auto ok = out.add(pki::extended_key_usage::of({pki::extended_key_usage::code_signing})); !ok) {
      return std::unexpected(ok.error());
    }
    return out;
  }
};
static_assert(pki::issuance_profile<code_signing_profile>);

BOOST_AUTO_TEST_CASE(a_user_profile) {
  const auto& ca = ec_hierarchy().intermediate;
  auto request = value_of(pki::csr_builder().subject("CN=Acme Release Signing").sign(leaf_key()));
  auto cert = value_of(ca.issue(request, code_signing_profile{}, {start, start + std::chrono::days(30)}));
  BOOST_TEST(value_of(cert.extended_key_usage())->has(pki::extended_key_usage::code_signing));
  expect_error(ca.issue(request, code_signing_profile{}, {start, start + std::chrono::days(31)}),
               errc::validity_too_long);
  expect_error(ca.issue(server_request(), code_signing_profile{}, {start, start + std::chrono::days(30)}),
               errc::profile_violation);
}

BOOST_AUTO_TEST_CASE(aki_is_the_issuers_own_ski) {
  // An issuer whose SKI is not the SHA-1 method's value: the AKI must copy it.
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const pki::byte_buffer custom_id = {0x01, 0x02, 0x03, 0x04};
  auto cert = value_of(pki::certificate_builder()
                           .subject(dn("CN=custom SKI CA"))
                           .issuer(dn("CN=custom SKI CA"))
                           .validity(ten_years)
                           .public_key(value_of(key.public_key()))
                           .add(pki::basic_constraints{.ca = true, .path_len = std::nullopt})
                           .add(pki::subject_key_identifier{custom_id})
                           .sign(key));
  auto ca = value_of(pki::certificate_authority<pki::ecdsa_p256>::create(cert, std::move(key)));
  auto leaf = value_of(ca.issue(server_request(), pki::profile::tls_server{}, ninety_days));
  BOOST_TEST(
      (value_of(leaf.authority_key_identifier())->key_id == std::optional<pki::byte_buffer>(custom_id)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(refusals)

BOOST_AUTO_TEST_CASE(csr_with_a_bad_signature) {
  const auto request = server_request();
  pki::byte_buffer forged(request.der().begin(), request.der().end());
  forged[forged.size() - 3] ^= 0x01;
  expect_error(ec_hierarchy().intermediate.issue(forged, pki::profile::tls_server{}, ninety_days),
               errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(ca_true_under_tls_server) {
  auto request = value_of(pki::csr_builder()
                              .subject("CN=sneaky")
                              .dns("sneaky.example")
                              .add(pki::basic_constraints{.ca = true, .path_len = std::nullopt})
                              .sign(leaf_key()));
  expect_error(ec_hierarchy().intermediate.issue(request, pki::profile::tls_server{}, ninety_days),
               errc::profile_violation);
}

BOOST_AUTO_TEST_CASE(san_type_the_profile_forbids) {
  auto request =
      value_of(pki::csr_builder().subject("CN=x").dns("x.example").email("x@example.com").sign(leaf_key()));
  expect_error(ec_hierarchy().intermediate.issue(request, pki::profile::tls_server{}, ninety_days),
               errc::profile_violation);
}

BOOST_AUTO_TEST_CASE(validity_longer_than_the_profile) {
  expect_error(ec_hierarchy().intermediate.issue(server_request(), pki::profile::tls_server{},
                                                 {start, start + std::chrono::days(399)}),
               errc::validity_too_long);
}

BOOST_AUTO_TEST_CASE(validity_outside_the_issuer) {
  const auto& ca = ec_hierarchy().intermediate;
  expect_error(ca.issue(server_request(), pki::profile::tls_server{}, {start - 48h, start + 24h}),
               errc::outside_issuer_validity);
  const auto end = ca.certificate().not_after();
  expect_error(ca.issue(server_request(), pki::profile::tls_server{}, {end - 24h, end + 24h}),
               errc::outside_issuer_validity);
}

BOOST_AUTO_TEST_CASE(issuer_that_is_not_a_ca) {
  auto leaf =
      value_of(ec_hierarchy().intermediate.issue(server_request(), pki::profile::tls_server{}, ninety_days));
  expect_error(pki::certificate_authority<pki::ecdsa_p256>::create(leaf, value_of(leaf_key().clone())),
               errc::issuer_not_ca);
}

BOOST_AUTO_TEST_CASE(issuer_without_key_cert_sign) {
  // A CA certificate whose keyUsage lacks keyCertSign.
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  auto cert = value_of(pki::certificate_builder()
                           .subject(dn("CN=odd CA"))
                           .issuer(dn("CN=odd CA"))
                           .validity(ten_years)
                           .public_key(value_of(key.public_key()))
                           .add(pki::basic_constraints{.ca = true, .path_len = std::nullopt})
                           .add(pki::key_usage{pki::key_usage_flag::digital_signature})
                           .sign(key));
  expect_error(pki::certificate_authority<pki::ecdsa_p256>::create(cert, std::move(key)),
               errc::issuer_not_ca);
}

BOOST_AUTO_TEST_CASE(issuer_key_that_does_not_match) {
  const auto& inter = ec_hierarchy().intermediate.certificate();
  expect_error(pki::certificate_authority<pki::ecdsa_p256>::create(
                   inter, value_of(pki::private_key<pki::ecdsa_p256>::generate())),
               errc::key_mismatch);
}

// certificate_authority<Alg> types both halves: its certificate is a certificate<Alg>
// (a CA of mismatched halves does not compile: build.must_not_compile). An untyped
// certificate is checked at run time, against the key first.
BOOST_AUTO_TEST_CASE(the_ca_certificate_is_typed_by_the_ca_key) {
  const auto& inter = ec_hierarchy().intermediate;
  static_assert(std::same_as<decltype(inter.certificate()), const pki::certificate<pki::ecdsa_p256>&>);
  static_assert(std::same_as<decltype(ec_hierarchy().root.certificate()), const pki::certificate<pki::ecdsa_p384>&>);
  const pki::certificate<> untyped = inter.certificate();
  auto ca = value_of(pki::certificate_authority<pki::ecdsa_p256>::create(untyped, value_of(inter.key().clone())));
  BOOST_TEST((ca.certificate() == untyped));
  const pki::certificate<> p384_root = ec_hierarchy().root.certificate();
  expect_error(pki::certificate_authority<pki::ecdsa_p256>::create(p384_root, value_of(inter.key().clone())),
               errc::key_mismatch);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(openssl_oracle)

// Root -> intermediate -> leaf made by the library, for RSA and EC, passes
// `openssl verify` with the sslserver purpose and the host name.
template <class RootKey, class LeafKey>
void check_chain_with_openssl(const char* label) {
  BOOST_TEST_CONTEXT(label) {
    auto root = value_of(pki::certificate_authority<RootKey>::create_root(
        value_of(pki::private_key<RootKey>::generate()), dn("CN=Oracle Root"), ten_years));
    auto inter = value_of(root.create_intermediate(value_of(pki::private_key<LeafKey>::generate()),
                                                   dn("CN=Oracle Issuing"), five_years));
    auto key = value_of(pki::private_key<LeafKey>::generate());
    auto request =
        value_of(pki::csr_builder().subject("CN=www.oracle.example").dns("www.oracle.example").sign(key));
    auto leaf = value_of(inter.issue(request, pki::profile::tls_server{}, ninety_days));

    pki_test::temp_dir dir;
    pki_test::write_file(dir.file("root.pem"), value_of(root.certificate().to_pem()));
    pki_test::write_file(dir.file("inter.pem"), value_of(inter.certificate().to_pem()));
    pki_test::write_file(dir.file("leaf.pem"), value_of(leaf.to_pem()));
    pki_test::write_file(dir.file("req.pem"), value_of(request.to_pem()));
    auto verify = pki_test::run_openssl({"verify", "-CAfile", dir.file("root.pem"), "-untrusted",
                                         dir.file("inter.pem"), "-purpose", "sslserver", "-verify_hostname",
                                         "www.oracle.example", dir.file("leaf.pem")});
    BOOST_TEST(verify.exit_status == 0, verify.out << verify.err);
    auto wrong_host =
        pki_test::run_openssl({"verify", "-CAfile", dir.file("root.pem"), "-untrusted", dir.file("inter.pem"),
                               "-verify_hostname", "other.example", dir.file("leaf.pem")});
    BOOST_TEST(wrong_host.exit_status != 0);
    auto req = pki_test::run_openssl({"req", "-in", dir.file("req.pem"), "-verify", "-noout"});
    BOOST_TEST(req.exit_status == 0, req.out << req.err);
    auto text = pki_test::run_openssl({"x509", "-in", dir.file("inter.pem"), "-noout", "-text"});
    BOOST_TEST(text.out.find("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0") !=
                   std::string::npos,
               text.out);
    BOOST_TEST(
        text.out.find(
            "X509v3 Key Usage: critical\n                Digital Signature, Certificate Sign, CRL Sign") !=
            std::string::npos,
        text.out);
  }
}

BOOST_AUTO_TEST_CASE(ec_chain_verifies) {
  check_chain_with_openssl<pki::ecdsa_p384, pki::ecdsa_p256>("EC");
}
BOOST_AUTO_TEST_CASE(rsa_chain_verifies) {
  check_chain_with_openssl<pki::rsa<2048>, pki::rsa<2048>>("RSA");
}

BOOST_AUTO_TEST_CASE(openssl_csr_is_issued) {
  pki_test::temp_dir dir;
  auto made =
      pki_test::run_openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                             "-keyout", dir.file("k.pem"), "-subj", "/CN=from-openssl", "-addext",
                             "subjectAltName=DNS:from-openssl.example", "-out", dir.file("r.pem")});
  BOOST_REQUIRE_MESSAGE(made.exit_status == 0, made.err);
  auto leaf = value_of(ec_hierarchy().intermediate.issue(
      pki::as_bytes(pki_test::read_text_file(dir.file("r.pem"))), pki::profile::tls_server{}, ninety_days));
  BOOST_TEST(leaf.subject().to_string() == "CN=from-openssl");
  BOOST_TEST(value_of(leaf.subject_alt_name())->to_string() == "DNS:from-openssl.example");
}

BOOST_AUTO_TEST_SUITE_END()
