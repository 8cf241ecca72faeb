// Hostile input stays cheap: each case builds what an attacker would send, asserts the
// exact refusal, and measures the CPU it cost (printed as "cpu: ..."; the target is 50 ms,
// asserted with a wide margin, see support/cpu_time.hpp).

#include <boost/test/unit_test.hpp>

#include <pki/x509/certificate.hpp>
#include <pki/x509/certificate_builder.hpp>
#include <pki/x509/csr.hpp>
#include <pki/x509/csr_builder.hpp>
#include <pki/keys/key.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/validator.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "support/cpu_time.hpp"
#include "support/der.hpp"
#include "support/expect.hpp"
#include "support/hierarchy.hpp"
#include "support/openssl_cli.hpp"

using namespace pki_test;
using pki::errc;
namespace der = pki_test::der;
namespace policy = pki::policy;

namespace {

/// A big-endian number of `bits` bits: the top bit set, the low byte `low`.
der::bytes number(std::size_t bits, std::uint8_t low) {
  der::bytes n((bits + 7) / 8, 0);
  n[0] = static_cast<std::uint8_t>(1U << ((bits - 1) % 8));
  n.back() |= low;
  return n;
}

/// An RSA key whose exponent is as long as its 8192-bit modulus: accepted by mbedTLS, and
/// one verification with it costs about half a second here.
der::bytes huge_exponent_spki() {
  auto modulus = number(8192, 0x01);
  modulus[1] = 0x5A;  // not a power of two plus one
  auto exponent = modulus;
  exponent.back() = 0xFF;  // odd, below the modulus
  exponent[0] = 0x7F;
  return der::rsa_spki(modulus, exponent);
}

/// A CA certificate for the name `h`'s leaves are issued by, with `spki` as its key.
der::bytes issuing_ca_with_key(const three_level& h, const der::bytes& spki) {
  return der::with_tbs_field(h.inter.cert.der(), der::tbs_spki_field, spki);
}

void expect_bounded(double ms) {
  BOOST_TEST(ms < hostile_input_limit_ms, ms << " ms of CPU");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(keys)

BOOST_AUTO_TEST_CASE(rsa_exponent_as_long_as_the_modulus_is_refused_at_parse_time) {
  const auto spki = huge_exponent_spki();
  pki::result<pki::public_key<>> key = pki::fail(errc::invalid_argument, "not run");
  expect_bounded(cpu_ms("parsing an RSA key with an 8192-bit exponent",
                        [&] { key = pki::public_key<>::from_der(spki); }));
  expect_error(key, errc::key_out_of_bounds);
  BOOST_TEST(contains(key.error().message(), "exponent"), key.error().message());
}

BOOST_AUTO_TEST_CASE(rsa_exponent_bounds_are_three_to_two_to_the_32) {
  const auto modulus = number(2048, 0x01);
  const auto parse_with = [&](der::bytes exponent) {
    return pki::public_key<>::from_der(der::rsa_spki(modulus, exponent));
  };
  expect_error(parse_with({0x01, 0x00, 0x00, 0x00, 0x01}), errc::key_out_of_bounds);  // 2^32 + 1
  BOOST_TEST(parse_with({0xFF, 0xFF, 0xFF, 0xFF}).has_value());                       // 2^32 - 1
  BOOST_TEST(parse_with({0x01, 0x00, 0x01}).has_value());                             // 65537
  BOOST_TEST(parse_with({0x03}).has_value());
  // Below 3 or even: mbedTLS's own key check refuses these first.
  for (const der::bytes& small : {der::bytes{0x01}, der::bytes{0x02}, der::bytes{0x01, 0x00, 0x00}}) {
    BOOST_TEST(!parse_with(small).has_value());
  }
}

BOOST_AUTO_TEST_CASE(certificate_with_a_huge_exponent_key_does_not_parse) {
  const auto hostile = issuing_ca_with_key(shared(), huge_exponent_spki());
  pki::result<pki::certificate<>> cert = pki::fail(errc::invalid_argument, "not run");
  expect_bounded(cpu_ms("parsing a certificate with a huge-exponent key",
                        [&] { cert = pki::certificate<>::from_der(hostile); }));
  expect_error(cert, errc::key_out_of_bounds);
}

// RFC 5480 2.1.1: id-ecPublicKey's parameters MUST be present and name the curve. A key
// without them (parse_failed), with implicitCurve NULL or with a specifiedCurve
// (unsupported) is refused with that reason: as a public key (DER and PEM), inside a
// certificate, and as a PKCS#8 private key (DER and PEM). The absent case walks mbedTLS into
// NULL + 0 pointer arithmetic, which the library no longer reaches this way; see
// tests/sanitizers/ubsan.supp for the paths it cannot pre-empt.
BOOST_AUTO_TEST_CASE(ec_key_without_named_curve_is_refused) {
  const auto& h = shared();
  const auto spki = value_of(value_of(h.leaf.key.public_key()).to_der());
  const auto parts = der::elements(spki);             // algorithm, subjectPublicKey
  const auto algorithm = der::elements(parts.at(0));  // id-ecPublicKey, namedCurve
  BOOST_TEST_REQUIRE(algorithm.at(1).at(0) == 0x06);  // the fixture's key is EC
  const auto pkcs8 = value_of(h.leaf.key.to_der());
  const auto private_parts = der::elements(pkcs8);  // version, algorithm, privateKey
  struct form {
    der::bytes params;
    errc expected;
  };
  const std::vector<form> forms = {
      {{}, errc::parse_failed},           // absent
      {{0x05, 0x00}, errc::unsupported},  // implicitCurve
      {{0x30, 0x00}, errc::unsupported},  // an (empty) specifiedCurve
  };
  const auto expect_refused = [](const auto& r, errc expected) {
    expect_error(r, expected);
    if (!r) BOOST_TEST(contains(r.error().message(), "RFC 5480"), r.error().message());
  };
  for (const auto& [params, expected] : forms) {
    BOOST_TEST_CONTEXT("parameters " << params.size() << " bytes") {
      std::vector<der::bytes> alg{algorithm.at(0)};
      if (!params.empty()) alg.push_back(params);
      const auto hostile = der::constructed({der::constructed(alg), parts.at(1)});
      expect_refused(pki::public_key<>::from_der(hostile), expected);
      expect_refused(pki::public_key<>::from_pem(value_of(pki::pem::encode("PUBLIC KEY", hostile))), expected);
      expect_refused(pki::certificate<>::from_der(issuing_ca_with_key(h, hostile)), expected);
      const auto hostile_private =
          der::constructed({private_parts.at(0), der::constructed(alg), private_parts.at(2)});
      expect_refused(pki::private_key<>::from_der(hostile_private), expected);
      expect_refused(pki::private_key<>::from_pem(value_of(pki::pem::encode("PRIVATE KEY", hostile_private))),
                     expected);
    }
  }
}

// Six such "intermediates" in a 16 KB bag used to cost ten seconds of signature checks.
// They never become certificates now; the bag's other certificates still validate.
BOOST_AUTO_TEST_CASE(bag_of_huge_exponent_issuers_costs_nothing_to_validate) {
  const auto& h = shared();
  std::string bundle;
  for (int i = 0; i < 6; ++i) {
    bundle += value_of(pki::pem::encode("CERTIFICATE", issuing_ca_with_key(h, huge_exponent_spki())));
  }
  bundle += value_of(h.inter.cert.to_pem());
  const pki::validator<policy::web_server> v{anchors_of({h.root.cert})};
  std::vector<pki::certificate<>> usable;
  std::size_t refused = 0;
  pki::result<pki::chain<>> path = pki::fail(errc::invalid_argument, "not run");
  expect_bounded(cpu_ms("a 6-issuer huge-exponent bag, parsed and validated", [&] {
    for (auto& cert : pki::certificate<>::parse_each(bundle)) {
      if (cert) {
        usable.push_back(std::move(*cert));
      } else {
        BOOST_TEST((cert.error().code() == errc::key_out_of_bounds), cert.error().message());
        ++refused;
      }
    }
    path = v.verify(h.leaf.cert, usable, for_peer(pki::dns_name{"www.example.com"}));
  }));
  BOOST_TEST(refused == 6U);
  expect_path(path, {h.leaf.cert, h.inter.cert, h.root.cert});
}

// A CSR's self-signature used to be checked with its key before anything looked at it.
BOOST_AUTO_TEST_CASE(csr_with_a_huge_exponent_key_is_refused_before_its_signature_is_checked) {
  auto key = new_key();
  const auto request = value_of(pki::csr_builder().subject("CN=device-1").sign(key));
  const auto hostile = der::with_tbs_field(request.der(), 2, huge_exponent_spki());  // version, subject, key
  pki::result<pki::csr<>> parsed = pki::fail(errc::invalid_argument, "not run");
  expect_bounded(
      cpu_ms("parsing a CSR with a huge-exponent key", [&] { parsed = pki::csr<>::from_der(hostile); }));
  expect_error(parsed, errc::key_out_of_bounds);
}

// Keys the policy refuses are judged before a signature is verified with them: the leaf
// below names an RSA-1024 CA as its issuer but was signed by another key, and the search
// reports the weak key, not the signature that a verification would have found wrong.
BOOST_AUTO_TEST_CASE(issuer_key_the_policy_refuses_is_never_used_to_verify) {
  const temp_dir dir;
  const auto path = dir.file("rsa1024.pem");
  const auto made =
      run_openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", path});
  BOOST_REQUIRE_MESSAGE(made.ok(), made.transcript());
  auto weak_key = value_of(pki::private_key<>::from_pem(read_text_file(path)));
  const auto root = make_root();
  const auto weak = make_child(root, ca_spec("CN=Weak CA"), std::move(weak_key));
  const auto impostor = make_child(root, ca_spec("CN=Weak CA"));  // same name, another key
  const auto leaf = make_child(impostor, leaf_spec());
  const pki::validator<policy::rfc5280, policy::modern_algorithms> v{anchors_of({root.cert})};
  const auto found = v.search(leaf.cert, std::vector{weak.cert}, at_when);
  BOOST_TEST(!found);
  BOOST_TEST((found.failure.code() == errc::weak_algorithm), found.failure.message());
  BOOST_TEST(found.failure.depth() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(name_constraints)

/// Directory names of `rdns` RDNs that share all but their last: comparing two of them
/// walks every RDN before it finds they differ. (RFC 4514 text lists the last RDN first.)
std::string deep_name(std::size_t rdns, const std::string& last) {
  std::string text = "OU=" + last;
  for (std::size_t r = 2; r < rdns; ++r) text += ",OU=unit " + std::to_string(r);
  return text + ",CN=Hostile";
}

/// Name constraints excluding `subtrees` such names.
pki::name_constraints heavy_constraints(std::size_t subtrees, std::size_t rdns) {
  pki::name_constraints nc;
  for (std::size_t i = 0; i < subtrees; ++i)
    nc.excluded.emplace_back(dn(deep_name(rdns, "excluded " + std::to_string(i))));
  return nc;
}

/// A subjectAltName of a host name and `names` such names, none inside the subtrees.
std::vector<pki::general_name> heavy_names(std::size_t names, std::size_t rdns) {
  std::vector<pki::general_name> out{pki::dns_name{"www.example.com"}};
  for (std::size_t i = 0; i < names; ++i) out.emplace_back(dn(deep_name(rdns, "leaf " + std::to_string(i))));
  return out;
}

constexpr std::size_t subtrees = 18;
constexpr std::size_t names = 18;
constexpr std::size_t rdns = 20;

// A CA that chains to no anchor never gets its constraints evaluated: the work of the
// ~4 s-per-2.9 MB case is not done at all.
BOOST_AUTO_TEST_CASE(constraints_of_a_ca_that_chains_nowhere_are_not_evaluated) {
  const auto stranger = make_root(root_spec("CN=Self-made Root"));
  auto spec = ca_spec("CN=Self-made CA");
  spec.name_limits = heavy_constraints(subtrees, rdns);
  const auto ca = make_child(stranger, spec);
  const auto leaf = make_child(ca, leaf_spec(heavy_names(names, rdns)));
  const pki::validator<policy::web_server> v{anchors_of({shared().root.cert})};
  pki::result<pki::chain<>> path = pki::fail(errc::invalid_argument, "not run");
  expect_bounded(cpu_ms("name constraints of a CA chaining nowhere", [&] {
    path =
        v.verify(leaf.cert, std::vector{ca.cert, stranger.cert}, for_peer(pki::dns_name{"www.example.com"}));
  }));
  expect_error(path, errc::untrusted);
}

// Under a real anchor the same certificates spend the comparison budget by the RDNs they
// compare, and stop when it is gone.
BOOST_AUTO_TEST_CASE(directory_name_comparisons_are_charged_by_the_rdns_compared) {
  auto spec = ca_spec("CN=Heavy CA");
  spec.name_limits = heavy_constraints(subtrees, rdns);
  const auto& root = shared().root;
  const auto ca = make_child(root, spec);
  const auto leaf = make_child(ca, leaf_spec(heavy_names(names, rdns)));
  // The whole hostile input, both certificates, is under 16 KB.
  BOOST_TEST(leaf.cert.der().size() + ca.cert.der().size() < 16U * 1024U);
  const pki::validator<policy::rfc5280, policy::name_constraints> v{anchors_of({root.cert})};
  pki::result<pki::chain<>> exhausted = pki::fail(errc::invalid_argument, "not run");
  expect_bounded(cpu_ms("18 x 18 directory names of 20 RDNs under a 5,000-step budget", [&] {
    exhausted =
        v.verify(leaf.cert, std::vector{ca.cert}, {.time = when, .budget = {.name_comparisons = 5'000}});
  }));
  expect_failure(exhausted, errc::budget_exhausted, 1);
  BOOST_TEST((exhausted.error().budget() == pki::budget_kind::name_comparisons));
  // 324 pairs would fit 5,000 if each counted once; the 20 RDNs each walks do not.
  const auto generous =
      v.verify(leaf.cert, std::vector{ca.cert}, {.time = when, .budget = {.name_comparisons = 200'000}});
  expect_path(generous, {leaf.cert, ca.cert, root.cert});
  pki::result<pki::chain<>> by_default = pki::fail(errc::invalid_argument, "not run");
  expect_bounded(cpu_ms("the same under the default budget",
                        [&] { by_default = v.verify(leaf.cert, std::vector{ca.cert}, at_when); }));
  BOOST_TEST(by_default.has_value(), error_text(by_default));
}

BOOST_AUTO_TEST_SUITE_END()
