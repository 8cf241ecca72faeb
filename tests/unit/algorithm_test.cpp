// Algorithm tags: each tag's compile-time traits (its key_algorithm, its signature bound,
// the concepts it satisfies), key_algorithm's names and default hashes, any_algorithm, and
// what narrowing between tags means: a typed key is exactly the tag's algorithm (curve and
// RSA size), widening to any_algorithm always compiles, narrowing is checked at run time.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <type_traits>

#include "support/expect.hpp"

using pki::errc;
using pki_test::expect_error;
using pki_test::value_of;

namespace {

// Each tag's identity, as constants the compiler checks.
static_assert(pki::ecdsa_p256::id == pki::key_algorithm{pki::key_type::ec, 256, pki::curve::p256});
static_assert(pki::ecdsa_p384::id == pki::key_algorithm{pki::key_type::ec, 384, pki::curve::p384});
static_assert(pki::ecdsa_p521::id == pki::key_algorithm{pki::key_type::ec, 521, pki::curve::p521});
static_assert(pki::rsa<2048>::id == pki::key_algorithm{pki::key_type::rsa, 2048, pki::curve::none});
static_assert(pki::rsa<3072>::id == pki::key_algorithm{pki::key_type::rsa, 3072, pki::curve::none});
static_assert(pki::rsa<4096>::id == pki::key_algorithm{pki::key_type::rsa, 4096, pki::curve::none});
static_assert(pki::x25519::id == pki::key_algorithm{pki::key_type::x25519, 255, pki::curve::x25519});

// Signature bounds: DER ECDSA (two integers, their headers) and the RSA modulus size.
static_assert(pki::ecdsa_p256::max_signature_size == 72);
static_assert(pki::ecdsa_p384::max_signature_size == 104);
static_assert(pki::ecdsa_p521::max_signature_size == 139);
static_assert(pki::rsa<2048>::max_signature_size == 256);
static_assert(pki::rsa<4096>::max_signature_size == 512);
static_assert(pki::x25519::max_signature_size == 0);
static_assert(pki::any_algorithm::max_signature_size >= pki::rsa<4096>::max_signature_size);

// The concepts: every tag is one, all but any_algorithm fix the algorithm, all but x25519 sign.
static_assert(pki::algorithm_tag<pki::ecdsa_p256> && pki::algorithm_tag<pki::rsa<2048>> &&
              pki::algorithm_tag<pki::x25519> && pki::algorithm_tag<pki::any_algorithm>);
static_assert(pki::fixed_algorithm<pki::ecdsa_p384> && pki::fixed_algorithm<pki::rsa<3072>> &&
              pki::fixed_algorithm<pki::x25519>);
static_assert(!pki::fixed_algorithm<pki::any_algorithm>);
static_assert(pki::signing_algorithm<pki::ecdsa_p521> && pki::signing_algorithm<pki::rsa<4096>> &&
              pki::signing_algorithm<pki::any_algorithm>);
static_assert(!pki::signing_algorithm<pki::x25519>);
static_assert(!pki::algorithm_tag<int> && !pki::algorithm_tag<pki::key_algorithm>);

// Widening to any_algorithm is implicit; narrowing and changing tags are not conversions.
static_assert(std::is_convertible_v<pki::public_key<pki::ecdsa_p256>, pki::public_key<>>);
static_assert(std::is_convertible_v<pki::public_key<pki::rsa<2048>>, pki::public_key<>>);
static_assert(!std::is_constructible_v<pki::public_key<pki::ecdsa_p256>, pki::public_key<>>);
static_assert(!std::is_constructible_v<pki::public_key<pki::ecdsa_p384>, pki::public_key<pki::ecdsa_p256>>);
static_assert(!std::is_constructible_v<pki::public_key<pki::rsa<3072>>, pki::public_key<pki::rsa<2048>>>);
static_assert(std::is_convertible_v<pki::private_key<pki::ecdsa_p256>&&, pki::private_key<>>);
static_assert(!std::is_constructible_v<pki::private_key<pki::ecdsa_p256>, pki::private_key<>&&>);
static_assert(!std::is_constructible_v<pki::private_key<pki::rsa<4096>>, pki::private_key<pki::rsa<2048>>&&>);

// A signature fits wherever the bound is at least its own: P-256's fits P-384's and RSA's.
static_assert(std::is_convertible_v<pki::signature<pki::ecdsa_p256>, pki::signature<pki::ecdsa_p384>>);
static_assert(std::is_convertible_v<pki::signature<pki::ecdsa_p256>, pki::signature<pki::rsa<2048>>>);
static_assert(!std::is_convertible_v<pki::signature<pki::rsa<2048>>, pki::signature<pki::ecdsa_p256>>);

template <class Key>
concept can_sign = requires(const Key& k, pki::byte_view message) { k.sign(message); };
static_assert(can_sign<pki::private_key<pki::ecdsa_p256>> && can_sign<pki::private_key<>>);
static_assert(!can_sign<pki::private_key<pki::x25519>>);

template <class Key>
concept generates_without_arguments = requires { Key::generate(); };
static_assert(generates_without_arguments<pki::private_key<pki::ecdsa_p256>>);
static_assert(!generates_without_arguments<pki::private_key<>>);

const pki::private_key<pki::rsa<2048>>& rsa_2048() {
  static const auto key = value_of(pki::private_key<pki::rsa<2048>>::generate());
  return key;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(key_algorithm_at_run_time)

BOOST_AUTO_TEST_CASE(names_say_type_and_size_or_curve) {
  BOOST_TEST(pki::ecdsa_p256::id.name() == "EC P-256");
  BOOST_TEST(pki::ecdsa_p384::id.name() == "EC P-384");
  BOOST_TEST(pki::ecdsa_p521::id.name() == "EC P-521");
  BOOST_TEST(pki::rsa<2048>::id.name() == "RSA-2048");
  BOOST_TEST(pki::rsa<3072>::id.name() == "RSA-3072");
  BOOST_TEST(pki::rsa<4096>::id.name() == "RSA-4096");
  BOOST_TEST(pki::x25519::id.name() == "X25519");
  BOOST_TEST((pki::key_algorithm{pki::key_type::rsa, 2560, pki::curve::none}.name() == "RSA"));
  BOOST_TEST((pki::key_algorithm{pki::key_type::ec, 0, pki::curve::none}.name() == "EC (unsupported curve)"));
}

BOOST_AUTO_TEST_CASE(default_hash_matches_the_strength) {
  BOOST_TEST((pki::ecdsa_p256::id.default_hash() == pki::hash_algorithm::sha256));
  BOOST_TEST((pki::ecdsa_p384::id.default_hash() == pki::hash_algorithm::sha384));
  BOOST_TEST((pki::ecdsa_p521::id.default_hash() == pki::hash_algorithm::sha512));
  BOOST_TEST((pki::rsa<2048>::id.default_hash() == pki::hash_algorithm::sha256));
  BOOST_TEST((pki::rsa<4096>::id.default_hash() == pki::hash_algorithm::sha256));
}

BOOST_AUTO_TEST_CASE(equality_compares_type_size_and_curve) {
  BOOST_TEST(!(pki::ecdsa_p256::id == pki::ecdsa_p384::id));
  BOOST_TEST(!(pki::rsa<2048>::id == pki::rsa<3072>::id));
  BOOST_TEST((pki::key_algorithm{pki::key_type::ec, 256, pki::curve::p256} == pki::ecdsa_p256::id));
  // The same size with another curve is another algorithm.
  BOOST_TEST(!(pki::key_algorithm{pki::key_type::ec, 256, pki::curve::none} == pki::ecdsa_p256::id));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(keys_carry_their_tag)

BOOST_AUTO_TEST_CASE(a_generated_key_reports_its_tags_algorithm) {
  BOOST_TEST((value_of(pki::private_key<pki::ecdsa_p256>::generate()).algorithm() == pki::ecdsa_p256::id));
  BOOST_TEST((value_of(pki::private_key<pki::ecdsa_p384>::generate()).algorithm() == pki::ecdsa_p384::id));
  BOOST_TEST((value_of(pki::private_key<pki::ecdsa_p521>::generate()).algorithm() == pki::ecdsa_p521::id));
  BOOST_TEST((rsa_2048().algorithm() == pki::rsa<2048>::id));
  BOOST_TEST((value_of(pki::private_key<pki::x25519>::generate()).algorithm() == pki::x25519::id));
}

BOOST_AUTO_TEST_CASE(widening_keeps_the_algorithm) {
  const pki::public_key<> any = value_of(rsa_2048().public_key());
  BOOST_TEST((any.algorithm() == pki::rsa<2048>::id));
  BOOST_TEST(any.bits() == 2048U);
}

BOOST_AUTO_TEST_CASE(narrowing_checks_the_exact_rsa_size) {
  const pki::public_key<> any = value_of(rsa_2048().public_key());
  BOOST_TEST((value_of(any.narrow<pki::rsa<2048>>()) == any));
  expect_error(any.narrow<pki::rsa<3072>>(), errc::algorithm_mismatch);
  expect_error(any.narrow<pki::rsa<4096>>(), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(narrowing_checks_the_exact_curve_each_way) {
  const pki::public_key<> p521 = value_of(value_of(pki::private_key<pki::ecdsa_p521>::generate()).public_key());
  expect_error(p521.narrow<pki::ecdsa_p256>(), errc::algorithm_mismatch);
  expect_error(p521.narrow<pki::ecdsa_p384>(), errc::algorithm_mismatch);
  expect_error(p521.narrow<pki::rsa<2048>>(), errc::algorithm_mismatch);
  BOOST_TEST((value_of(p521.narrow<pki::ecdsa_p521>()).algorithm() == pki::ecdsa_p521::id));
}

BOOST_AUTO_TEST_CASE(an_x25519_key_is_no_signing_curve) {
  const pki::public_key<> agreement = value_of(value_of(pki::private_key<pki::x25519>::generate()).public_key());
  expect_error(agreement.narrow<pki::ecdsa_p256>(), errc::algorithm_mismatch);
  BOOST_TEST((value_of(agreement.narrow<pki::x25519>()).algorithm() == pki::x25519::id));
}

BOOST_AUTO_TEST_CASE(an_rsa_key_of_no_tags_size_lives_only_as_any_algorithm) {
  // RSA-2560 is a valid key; no tag names its size, so no narrowing succeeds.
  auto key = value_of(pki::private_key<>::generate({pki::key_type::rsa, 2560, pki::curve::none}));
  BOOST_TEST((key.algorithm() == pki::key_algorithm{pki::key_type::rsa, 2560, pki::curve::none}));
  BOOST_TEST(key.algorithm().name() == "RSA");
  const auto pub = value_of(key.public_key());
  expect_error(pub.narrow<pki::rsa<2048>>(), errc::algorithm_mismatch);
  expect_error(pub.narrow<pki::rsa<3072>>(), errc::algorithm_mismatch);
  expect_error(std::move(key).narrow<pki::rsa<2048>>(), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(typed_parsing_is_narrowing) {
  const auto der = value_of(value_of(rsa_2048().public_key()).to_der());
  BOOST_TEST((value_of(pki::public_key<pki::rsa<2048>>::from_der(der)).algorithm() == pki::rsa<2048>::id));
  expect_error(pki::public_key<pki::rsa<3072>>::from_der(der), errc::algorithm_mismatch);
  expect_error(pki::public_key<pki::ecdsa_p256>::from_der(der), errc::algorithm_mismatch);
  const auto private_der = value_of(rsa_2048().to_der());
  expect_error(pki::private_key<pki::rsa<4096>>::parse(private_der), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(run_time_generation_refuses_what_no_tag_could_name) {
  expect_error(pki::private_key<>::generate({pki::key_type::rsa, 1024, pki::curve::none}), errc::invalid_argument);
  expect_error(pki::private_key<>::generate({pki::key_type::rsa, 2049, pki::curve::none}), errc::invalid_argument);
  expect_error(pki::private_key<>::generate({pki::key_type::ec, 256, pki::curve::none}), errc::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
