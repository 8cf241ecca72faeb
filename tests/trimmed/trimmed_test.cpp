// pki over a trimmed mbedTLS (tests/trimmed/CMakeLists.txt): the whole library is
// included, the PKI_HAS_* switches say what the configuration has, and the key, CSR,
// issuance and validation flows run with the one algorithm family left. What is compiled
// out is refused at run time with errc::unsupported where it is chosen at run time (a
// key_algorithm value, a hash), and at compile time where it is a type
// (must_not_compile/).

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>  // all of it: no header may fail because a feature is off

#include <chrono>
#include <string>
#include <vector>

#include "support/expect.hpp"

namespace {

using pki::errc;
using pki_test::dn;
using pki_test::expect_error;
using pki_test::expect_ok;
using pki_test::value_of;
using namespace std::chrono;

#if defined(PKI_TRIMMED_p256)
static_assert(PKI_HAS_P256 && PKI_HAS_ECDSA && PKI_HAS_ECDH && PKI_HAS_PEM);
static_assert(!PKI_HAS_P384 && !PKI_HAS_P521 && !PKI_HAS_RSA && !PKI_HAS_RSA_PSS && !PKI_HAS_RSA_OAEP);
using tag = pki::ecdsa_p256;
const pki::key_algorithm compiled_out = pki::ecdsa_p384::id;
#elif defined(PKI_TRIMMED_minimal)
static_assert(PKI_HAS_P256 && PKI_HAS_ECDSA);
static_assert(!PKI_HAS_PEM && !PKI_HAS_ECDH && !PKI_HAS_HPKE && !PKI_HAS_ERROR_STRINGS && !PKI_HAS_RSA);
using tag = pki::ecdsa_p256;
const pki::key_algorithm compiled_out = pki::rsa<2048>::id;
#elif defined(PKI_TRIMMED_rsa)
static_assert(PKI_HAS_RSA && PKI_HAS_RSA_PSS && PKI_HAS_RSA_OAEP);
static_assert(!PKI_HAS_ECDSA && !PKI_HAS_P256 && !PKI_HAS_ECDH && !PKI_HAS_HPKE);
using tag = pki::rsa<2048>;
const pki::key_algorithm compiled_out = pki::ecdsa_p256::id;
#else
#error "build with PKI_TRIMMED_p256, PKI_TRIMMED_minimal or PKI_TRIMMED_rsa (tests/trimmed/CMakeLists.txt)"
#endif
// Common to both: SHA-256 only, no TLS, no threads, no cipher for encrypted keys.
static_assert(!PKI_HAS_TLS && !PKI_HAS_THREADING && !PKI_HAS_ENCRYPTED_PKCS8 && !PKI_HAS_AES_GCM);

sys_seconds at(int y, unsigned m, unsigned d) {
  return sys_days{year{y} / m / d};
}
const sys_seconds when = at(2026, 3, 1);

const pki::private_key<tag>& shared_key() {
  static const auto key = value_of(pki::private_key<tag>::generate());
  return key;
}

// root -> issuing CA -> a server certificate for device.example, all of the one algorithm.
struct hierarchy {
  pki::certificate_authority<tag> root;
  pki::certificate_authority<tag> issuing;
  pki::certificate<> leaf;
};

const hierarchy& shared() {
  static const hierarchy h = [] {
    auto root = value_of(pki::certificate_authority<tag>::create_root(
        value_of(pki::private_key<tag>::generate()), dn("CN=Trimmed Root,O=PKI Tests"),
        {at(2025, 1, 1), at(2035, 1, 1)}));
    auto issuing = value_of(root.create_intermediate(value_of(pki::private_key<tag>::generate()),
                                                     dn("CN=Trimmed Issuing CA,O=PKI Tests"),
                                                     {at(2025, 1, 1), at(2030, 1, 1)}));
    auto request =
        value_of(pki::csr_builder().subject("CN=device.example").dns("device.example").sign(shared_key()));
    auto leaf =
        value_of(issuing.issue(request, pki::profile::tls_server{}, {at(2026, 1, 1), at(2026, 7, 1)}));
    return hierarchy{std::move(root), std::move(issuing), std::move(leaf)};
  }();
  return h;
}

pki::result<pki::chain<>> validate(const pki::certificate<>& root, std::string_view host, sys_seconds time) {
  pki::trust_store anchors;
  anchors.add(root);
  const pki::validator<pki::policy::rfc5280, pki::policy::hostname> v{anchors};
  const std::vector<pki::certificate<>> bag{pki::certificate<>(shared().issuing.certificate())};
  return v.verify(shared().leaf, bag, {.peer = pki::dns_name{std::string(host)}, .time = time});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trimmed_keys)

BOOST_AUTO_TEST_CASE(signs_and_verifies) {
  const auto& key = shared_key();
  const auto pub = value_of(key.public_key());
  const auto sig = value_of(key.sign(pki::as_bytes("firmware 1.2.3")));
  expect_ok(pub.verify(pki::as_bytes("firmware 1.2.3"), sig));
  expect_error(pub.verify(pki::as_bytes("firmware 1.2.4"), sig), errc::bad_signature);
}

#if PKI_HAS_PEM
BOOST_AUTO_TEST_CASE(round_trips_pkcs8_and_spki) {
  const auto& key = shared_key();
  const auto again = value_of(pki::private_key<tag>::parse(pki::as_bytes(value_of(key.to_pem()))));
  expect_ok(again.matches(value_of(key.public_key())));
  const auto pub = value_of(key.public_key());
  const auto parsed = value_of(pki::public_key<tag>::parse(pki::as_bytes(value_of(pub.to_pem()))));
  BOOST_TEST((parsed == pub));
}
#else
// Without base64 and PEM: DER only, and PEM in or out is unsupported (not a link error).
BOOST_AUTO_TEST_CASE(round_trips_pkcs8_and_spki_as_der) {
  const auto& key = shared_key();
  const auto again = value_of(pki::private_key<tag>::parse(value_of(key.to_der())));
  expect_ok(again.matches(value_of(key.public_key())));
  const auto pub = value_of(key.public_key());
  BOOST_TEST((value_of(pki::public_key<tag>::parse(value_of(pub.to_der()))) == pub));
  expect_error(key.to_pem(), errc::unsupported);
  expect_error(pub.to_pem(), errc::unsupported);
  expect_error(
      pki::pem::decode("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "CERTIFICATE"),
      errc::unsupported);
}
#endif

BOOST_AUTO_TEST_CASE(refuses_what_is_compiled_out_at_run_time) {
  expect_error(pki::private_key<>::generate(compiled_out), errc::unsupported);
  expect_error(shared_key().sign(pki::as_bytes("m"), {.hash = pki::hash_algorithm::sha384}),
               errc::unsupported);
  expect_error(pki::hash(pki::hash_algorithm::sha512, pki::as_bytes("m")), errc::unsupported);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(trimmed_csr_and_ca)

BOOST_AUTO_TEST_CASE(a_csr_round_trips_and_its_signature_verifies) {
  const auto request = value_of(
      pki::csr_builder().subject("CN=device-0042,O=PKI Tests").dns("device-0042.example").sign(shared_key()));
  const auto parsed = value_of(pki::csr<tag>::parse(request.der()));
  BOOST_TEST(parsed.subject().to_string() == "CN=device-0042,O=PKI Tests");
  BOOST_TEST((parsed.public_key() == value_of(shared_key().public_key())));
  auto forged = pki::byte_buffer(request.der().begin(), request.der().end());
  forged[forged.size() - 3] ^= 0x01;  // inside the signature
  BOOST_TEST(!pki::csr<tag>::parse(forged).has_value());
}

BOOST_AUTO_TEST_CASE(the_ca_issues_what_the_validator_accepts) {
  const auto& h = shared();
  const auto path = value_of(validate(h.root.certificate(), "device.example", when));
  BOOST_TEST(path.size() == 3u);
}

BOOST_AUTO_TEST_CASE(the_validator_refuses_with_the_exact_reason) {
  const auto& h = shared();
  expect_error(validate(h.root.certificate(), "other.example", when), errc::name_mismatch);
  expect_error(validate(h.root.certificate(), "device.example", at(2026, 8, 1)), errc::expired);
  const auto stranger = value_of(pki::certificate_authority<tag>::create_root(
      value_of(pki::private_key<tag>::generate()), dn("CN=Stranger Root,O=PKI Tests"),
      {at(2025, 1, 1), at(2035, 1, 1)}));
  expect_error(validate(stranger.certificate(), "device.example", when), errc::untrusted);
}

BOOST_AUTO_TEST_SUITE_END()
