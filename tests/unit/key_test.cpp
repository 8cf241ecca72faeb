// Private and public keys: generation, import and export in every format,
// narrowing, pair checks, fingerprints, and each failure's errc.

#include <boost/test/unit_test.hpp>

#include <pki/keys/key.hpp>

#include <mbedtls/asn1.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>

#include <string>
#include <type_traits>

#include "support/expect.hpp"

using pki::errc;
using pki::private_key_format;
using pki::public_key_format;
using pki_test::expect_error;
using pki_test::expect_ok;
using pki_test::value_of;

namespace {

// Made with `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`; its SPKI
// fingerprint is `openssl pkey -pubout -outform DER | sha256sum`.
constexpr std::string_view openssl_p256_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzj4erTn/pQDrOh51\n"
    "UY0Xqx/aDyfNJ6JzCvf20oUKGxKhRANCAARCiJ6cpJIYoBX9g+E8ABnypVtkZnau\n"
    "0QWezbnQpb9RJA6MDQSn0cg4h5f86rp0Q/HSukP0Tdmdxg2GMU4zVT8T\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view openssl_p256_public_pem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQoienKSSGKAV/YPhPAAZ8qVbZGZ2\n"
    "rtEFns250KW/USQOjA0Ep9HIOIeX/Oq6dEPx0rpD9E3ZncYNhjFOM1U/Ew==\n"
    "-----END PUBLIC KEY-----\n";
constexpr std::string_view openssl_p256_fingerprint =
    "53b57b33a7d7e81517f13d030d2a051a3ce60b4fbd2f6e49518861bc6aac1b62";

// Keys mbedTLS reads but the library does not support, and one it cannot read.
constexpr std::string_view secp256k1_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGEAgEAMBAGByqGSM49AgEGBSuBBAAKBG0wawIBAQQgddyUmLwlKRVpWgoEEVOW\n"
    "c0yL5VDqif1XzXjY4DXZFkmhRANCAAQyJBonG64lnMyzmkFnDI3cLALiaL568dv5\n"
    "5O+zmpQCk7KcuFGj/cTSlKZaoOV832msdvhdSd+mqQllMDd2ctl6\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view ed25519_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIMj/Oji0UueEVmTBnaWzQ7IoiZll/2A1cpgHPuanGRpl\n"
    "-----END PRIVATE KEY-----\n";

/// One RSA-2048 key for the whole module: generation takes a while.
const pki::private_key<pki::rsa<2048>>& rsa_key() {
  static const auto key = value_of(pki::private_key<pki::rsa<2048>>::generate());
  return key;
}

const pki::private_key<pki::ecdsa_p256>& ec_key() {
  static const auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  return key;
}

template <class Key>
pki::byte_buffer spki_of(const Key& key) {
  auto pub = value_of(key.public_key());
  return value_of(pub.to_der());
}

/// A buffer's first `n` bytes.
template <class Buffer>
pki::byte_buffer truncated(const Buffer& der, std::size_t n) {
  return pki::byte_buffer(der.begin(), der.begin() + static_cast<std::ptrdiff_t>(n));
}

constexpr pki::encryption_options fast_kdf{.pbkdf2_iterations = 2000};

}  // namespace

// The value semantics the design promises, checked by the compiler.
static_assert(!std::is_copy_constructible_v<pki::private_key<>>);
static_assert(!std::is_copy_assignable_v<pki::private_key<pki::ecdsa_p256>>);
static_assert(std::is_nothrow_move_constructible_v<pki::private_key<pki::rsa<2048>>>);
static_assert(std::is_copy_constructible_v<pki::public_key<pki::ecdsa_p256>>);
static_assert(std::is_constructible_v<pki::private_key<>, pki::private_key<pki::ecdsa_p384>&&>);
static_assert(!std::is_constructible_v<pki::private_key<pki::ecdsa_p256>, pki::private_key<>&&>);

BOOST_AUTO_TEST_SUITE(generate)

BOOST_AUTO_TEST_CASE(each_curve) {
  auto p256 = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  auto p384 = value_of(pki::private_key<pki::ecdsa_p384>::generate());
  auto p521 = value_of(pki::private_key<pki::ecdsa_p521>::generate());
  BOOST_TEST(p256.algorithm().name() == "EC P-256");
  BOOST_TEST(p384.algorithm().name() == "EC P-384");
  BOOST_TEST(p521.algorithm().name() == "EC P-521");
  BOOST_TEST(p256.bits() == 256U);
  BOOST_TEST(p384.bits() == 384U);
  BOOST_TEST(p521.bits() == 521U);
}

BOOST_AUTO_TEST_CASE(rsa_2048) {
  BOOST_TEST(rsa_key().algorithm().name() == "RSA-2048");
  BOOST_TEST(rsa_key().bits() == 2048U);
}

BOOST_AUTO_TEST_CASE(two_keys_differ) {
  auto a = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  auto b = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  BOOST_TEST((spki_of(a) != spki_of(b)));
}

BOOST_AUTO_TEST_CASE(algorithm_chosen_at_run_time) {
  auto key = value_of(pki::private_key<>::generate(pki::ecdsa_p384::id));
  BOOST_TEST((key.algorithm() == pki::ecdsa_p384::id));
}

BOOST_AUTO_TEST_CASE(refuses_weak_rsa) {
  expect_error(pki::private_key<>::generate({pki::key_type::rsa, 1024, pki::curve::none}),
               errc::invalid_argument);
  expect_error(pki::private_key<>::generate({pki::key_type::rsa, 2049, pki::curve::none}),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(refuses_ec_without_curve) {
  expect_error(pki::private_key<>::generate({pki::key_type::ec, 256, pki::curve::none}),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(ec_generation_gives_the_curve_asked_for_or_refuses) {
  // Sizes that name another curve are refused, not followed: PSA picks a curve by its size.
  expect_error(pki::private_key<>::generate({pki::key_type::ec, 256, pki::curve::p384}), errc::invalid_argument);
  expect_error(pki::private_key<>::generate({pki::key_type::ec, 384, pki::curve::p256}), errc::invalid_argument);
  // No size: the curve's.
  const auto key = value_of(pki::private_key<>::generate({pki::key_type::ec, 0, pki::curve::p384}));
  BOOST_TEST((key.algorithm() == pki::ecdsa_p384::id));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(private_export_import)

BOOST_AUTO_TEST_CASE(der_round_trips_in_both_formats) {
  for (auto format : {private_key_format::pkcs8, private_key_format::traditional}) {
    BOOST_TEST_CONTEXT("format " << static_cast<int>(format)) {
      auto rsa_der = value_of(rsa_key().to_der(format));
      auto ec_der = value_of(ec_key().to_der(format));
      auto rsa_back = value_of(pki::private_key<pki::rsa<2048>>::from_der(rsa_der));
      auto ec_back = value_of(pki::private_key<pki::ecdsa_p256>::from_der(ec_der));
      BOOST_TEST((spki_of(rsa_back) == spki_of(rsa_key())));
      BOOST_TEST((spki_of(ec_back) == spki_of(ec_key())));
      // Writing again gives the same bytes: nothing is lost on the way.
      BOOST_TEST((value_of(rsa_back.to_der(format)) == rsa_der));
      BOOST_TEST((value_of(ec_back.to_der(format)) == ec_der));
    }
  }
}

BOOST_AUTO_TEST_CASE(pem_labels_name_the_format) {
  auto pkcs8 = value_of(ec_key().to_pem());
  auto sec1 = value_of(ec_key().to_pem(private_key_format::traditional));
  auto pkcs1 = value_of(rsa_key().to_pem(private_key_format::traditional));
  BOOST_TEST(pkcs8.starts_with("-----BEGIN PRIVATE KEY-----\n"));
  BOOST_TEST(sec1.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
  BOOST_TEST(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
  for (const auto& pem : {pkcs8, sec1}) {
    auto back = value_of(pki::private_key<pki::ecdsa_p256>::from_pem({pem.data(), pem.size()}));
    BOOST_TEST((spki_of(back) == spki_of(ec_key())));
  }
  auto rsa_back = value_of(pki::private_key<pki::rsa<2048>>::from_pem({pkcs1.data(), pkcs1.size()}));
  BOOST_TEST((spki_of(rsa_back) == spki_of(rsa_key())));
}

BOOST_AUTO_TEST_CASE(pkcs8_der_is_the_private_key_info_structure) {
  // PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier { id-ecPublicKey, prime256v1 }, ... }
  auto der = value_of(ec_key().to_der());
  const pki::byte_buffer prefix_after_length = {0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2A,
                                                0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08,
                                                0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
  BOOST_REQUIRE(der.size() > 3 + prefix_after_length.size());
  BOOST_TEST(der[0] == 0x30);
  const std::size_t header = der[1] == 0x81 ? 3 : 2;
  BOOST_TEST((pki::byte_buffer(der.begin() + header, der.begin() + header + prefix_after_length.size()) ==
              prefix_after_length));
}

BOOST_AUTO_TEST_CASE(reads_an_openssl_key) {
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::from_pem(openssl_p256_pem));
  BOOST_TEST(value_of(value_of(key.public_key()).to_pem()) == openssl_p256_public_pem);
}

BOOST_AUTO_TEST_CASE(parse_accepts_pem_or_der_for_any_algorithm) {
  auto der = value_of(rsa_key().to_der());
  auto pem = value_of(rsa_key().to_pem());
  auto from_der = value_of(pki::private_key<>::parse(der));
  auto from_pem = value_of(pki::private_key<>::parse(pki::as_bytes({pem.data(), pem.size()})));
  BOOST_TEST((from_der.algorithm() == pki::rsa<2048>::id));
  BOOST_TEST((spki_of(from_pem) == spki_of(rsa_key())));
}

BOOST_AUTO_TEST_CASE(empty_input) {
  expect_error(pki::private_key<>::parse({}), errc::parse_failed);
  expect_error(pki::private_key<>::from_der({}), errc::parse_failed);
  expect_error(pki::private_key<>::from_pem(""), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(truncated_der) {
  auto der = value_of(ec_key().to_der());
  for (std::size_t n : {std::size_t{1}, std::size_t{10}, der.size() / 2, der.size() - 1}) {
    BOOST_TEST_CONTEXT("first " << n << " bytes") {
      expect_error(pki::private_key<>::from_der(truncated(der, n)), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(garbage_pem) {
  expect_error(pki::private_key<>::from_pem("-----BEGIN PRIVATE KEY-----\n!!!not base64!!!\n"
                                            "-----END PRIVATE KEY-----\n"),
               errc::parse_failed);
  expect_error(
      pki::private_key<>::from_pem("-----BEGIN PRIVATE KEY-----\nMAMCAQU=\n-----END PRIVATE KEY-----\n"),
      errc::parse_failed);
  expect_error(pki::private_key<>::from_pem("not a key at all"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(from_pem_refuses_der) {
  auto der = value_of(ec_key().to_der());
  expect_error(pki::private_key<>::from_pem({reinterpret_cast<const char*>(der.data()), der.size()}),
               errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(a_public_key_is_not_a_private_key) {
  expect_error(pki::private_key<>::from_pem(openssl_p256_public_pem), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(unsupported_algorithms) {
  // secp256k1 parses in mbedTLS but is not a curve the library offers; Ed25519 does not parse.
  expect_error(pki::private_key<>::from_pem(secp256k1_pem), errc::unsupported);
  expect_error(pki::private_key<>::from_pem(ed25519_pem), errc::unsupported);
}

BOOST_AUTO_TEST_CASE(typed_parse_of_another_algorithm) {
  auto der = value_of(rsa_key().to_der());
  expect_error(pki::private_key<pki::ecdsa_p256>::from_der(der), errc::algorithm_mismatch);
  expect_error(pki::private_key<pki::rsa<3072>>::from_der(der), errc::algorithm_mismatch);
  auto p384 = value_of(value_of(pki::private_key<pki::ecdsa_p384>::generate()).to_der());
  expect_error(pki::private_key<pki::ecdsa_p256>::from_der(p384), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(pkcs1_public_export_needs_rsa) {
  auto pub = value_of(ec_key().public_key());
  expect_error(pub.to_der(public_key_format::pkcs1), errc::unsupported);
  expect_error(pub.to_pem(public_key_format::pkcs1), errc::unsupported);
}

BOOST_AUTO_TEST_SUITE_END()

#if PKI_HAS_ENCRYPTED_PKCS8
BOOST_AUTO_TEST_SUITE(encrypted_pkcs8)

BOOST_AUTO_TEST_CASE(round_trips_pem_and_der) {
  auto pem = value_of(ec_key().to_encrypted_pem("correct horse", fast_kdf));
  BOOST_TEST(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
  auto back =
      value_of(pki::private_key<pki::ecdsa_p256>::from_pem({pem.data(), pem.size()}, "correct horse"));
  BOOST_TEST((spki_of(back) == spki_of(ec_key())));

  auto der = value_of(rsa_key().to_encrypted_der("battery staple", fast_kdf));
  auto rsa_back = value_of(pki::private_key<pki::rsa<2048>>::from_der(der, "battery staple"));
  BOOST_TEST((spki_of(rsa_back) == spki_of(rsa_key())));
}

BOOST_AUTO_TEST_CASE(each_encryption_is_fresh) {
  // A new salt and IV each time, so equal keys do not give equal ciphertexts.
  auto a = value_of(ec_key().to_encrypted_der("pw", fast_kdf));
  auto b = value_of(ec_key().to_encrypted_der("pw", fast_kdf));
  BOOST_TEST((a != b));
}

BOOST_AUTO_TEST_CASE(the_default_iteration_count_works) {
  auto der = value_of(ec_key().to_encrypted_der("pw"));
  expect_ok(value_of(pki::private_key<>::from_der(der, "pw")).matches(value_of(ec_key().public_key())));
}

BOOST_AUTO_TEST_CASE(wrong_password) {
  auto der = value_of(ec_key().to_encrypted_der("right", fast_kdf));
  expect_error(pki::private_key<>::from_der(der, "wrong"), errc::bad_password);
  auto pem = value_of(rsa_key().to_encrypted_pem("right", fast_kdf));
  expect_error(pki::private_key<>::from_pem({pem.data(), pem.size()}, "wrong"), errc::bad_password);
}

BOOST_AUTO_TEST_CASE(every_wrong_password_is_bad_password) {
  // About one wrong password in 256 decrypts to a valid CBC padding and yields noise; that
  // too must be reported as a wrong password, not as malformed input. 600 tries meet such
  // a password with probability about 0.9.
  auto der = value_of(ec_key().to_encrypted_der("right", {.pbkdf2_iterations = 1000}));
  int wrong_verdicts = 0;
  for (int i = 0; i < 600; ++i) {
    const std::string password = "wrong-" + std::to_string(i);
    auto r = pki::private_key<>::from_der(der, password);
    if (r || r.error().code() != errc::bad_password) ++wrong_verdicts;
  }
  BOOST_TEST(wrong_verdicts == 0);
}

BOOST_AUTO_TEST_CASE(an_iteration_count_beyond_the_limit_is_refused_before_any_is_run) {
  // 100,000 is the INTEGER 01 86 A0; 7F FF FF asks for 8.4 million (some 10 s of PBKDF2).
  auto der = value_of(ec_key().to_encrypted_der("pw", {.pbkdf2_iterations = 100'000}));
  const std::array<std::uint8_t, 5> count{0x02, 0x03, 0x01, 0x86, 0xA0};
  const auto at = std::search(der.begin(), der.end(), count.begin(), count.end());
  BOOST_TEST_REQUIRE((at != der.end()));
  const std::array<std::uint8_t, 3> huge{0x7F, 0xFF, 0xFF};
  std::copy(huge.begin(), huge.end(), at + 2);
  const auto started = std::chrono::steady_clock::now();
  expect_error(pki::private_key<>::from_der(der, "pw"), errc::key_out_of_bounds);
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(1)));
  // mbedTLS reads DER with trailing bytes, and PEM wherever it is: text after the DER does
  // not hide the count.
  auto with_text = der;
  const std::string_view tail = "-----BEGIN PRIVATE KEY-----\nMC4=\n-----END PRIVATE KEY-----\n";
  with_text.insert(with_text.end(), tail.begin(), tail.end());
  expect_error(pki::private_key<>::from_der(with_text, "pw"), errc::key_out_of_bounds);
  // Without a password no key is derived, so the count does not matter.
  expect_error(pki::private_key<>::from_der(der), errc::password_required);
  // The library never writes what it would not read.
  expect_error(ec_key().to_encrypted_der("pw", {.pbkdf2_iterations = PKI_MAX_PBKDF2_ITERATIONS + 1}),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(missing_password) {
  auto der = value_of(ec_key().to_encrypted_der("right", fast_kdf));
  expect_error(pki::private_key<>::from_der(der), errc::password_required);
  auto pem = value_of(ec_key().to_encrypted_pem("right", fast_kdf));
  expect_error(pki::private_key<>::from_pem({pem.data(), pem.size()}), errc::password_required);
}

BOOST_AUTO_TEST_CASE(truncated_ciphertext) {
  auto der = value_of(ec_key().to_encrypted_der("right", fast_kdf));
  expect_error(pki::private_key<>::from_der(truncated(der, der.size() - 5), "right"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(refuses_empty_password_and_weak_kdf) {
  expect_error(ec_key().to_encrypted_der(""), errc::invalid_argument);
  expect_error(ec_key().to_encrypted_pem(""), errc::invalid_argument);
  expect_error(ec_key().to_encrypted_der("pw", {.pbkdf2_iterations = 10}), errc::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
#endif

BOOST_AUTO_TEST_SUITE(public_keys)

BOOST_AUTO_TEST_CASE(spki_round_trips) {
  auto pub = value_of(rsa_key().public_key());
  auto der = value_of(pub.to_der());
  auto pem = value_of(pub.to_pem());
  BOOST_TEST(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
  BOOST_TEST((value_of(pki::public_key<pki::rsa<2048>>::from_der(der)) == pub));
  BOOST_TEST((value_of(pki::public_key<>::from_pem(pem)) == pki::public_key<>(pub)));
}

BOOST_AUTO_TEST_CASE(rsa_pkcs1_round_trips) {
  auto pub = value_of(rsa_key().public_key());
  auto pem = value_of(pub.to_pem(public_key_format::pkcs1));
  BOOST_TEST(pem.starts_with("-----BEGIN RSA PUBLIC KEY-----\n"));
  auto der = value_of(pub.to_der(public_key_format::pkcs1));
  BOOST_TEST((der != value_of(pub.to_der())));
  BOOST_TEST((value_of(pki::public_key<pki::rsa<2048>>::from_pem(pem)) == pub));
  BOOST_TEST((value_of(pki::public_key<pki::rsa<2048>>::from_der(der)) == pub));
}

BOOST_AUTO_TEST_CASE(fingerprint_is_sha256_of_the_spki) {
  auto pub = value_of(pki::public_key<pki::ecdsa_p256>::from_pem(openssl_p256_public_pem));
  BOOST_TEST(value_of(pub.fingerprint()).hex() == openssl_p256_fingerprint);
}

BOOST_AUTO_TEST_CASE(copies_share_and_compare_equal) {
  auto pub = value_of(ec_key().public_key());
  const auto copy = pub;  // NOLINT(performance-unnecessary-copy-initialization): the point of the test
  BOOST_TEST((copy == pub));
  BOOST_TEST(&copy.native() == &pub.native());
  BOOST_TEST((copy != value_of(value_of(pki::private_key<pki::ecdsa_p256>::generate()).public_key())));
}

BOOST_AUTO_TEST_CASE(narrowing) {
  pki::public_key<> any = value_of(ec_key().public_key());
  auto typed = value_of(any.narrow<pki::ecdsa_p256>());
  BOOST_TEST((typed == value_of(ec_key().public_key())));
  expect_error(any.narrow<pki::ecdsa_p384>(), errc::algorithm_mismatch);
  expect_error(any.narrow<pki::rsa<2048>>(), errc::algorithm_mismatch);
}

// A tag names one curve and one RSA size class: EC is not "any curve", RSA not "any size".
BOOST_AUTO_TEST_CASE(narrowing_compares_the_curve_and_the_rsa_size_exactly) {
  const pki::public_key<> p384 =
      value_of(value_of(pki::private_key<pki::ecdsa_p384>::generate()).public_key());
  BOOST_TEST(p384.narrow<pki::ecdsa_p384>().has_value());
  expect_error(p384.narrow<pki::ecdsa_p256>(), errc::algorithm_mismatch);
  expect_error(p384.narrow<pki::ecdsa_p521>(), errc::algorithm_mismatch);
  expect_error(pki::public_key<pki::ecdsa_p256>::from_der(value_of(p384.to_der())), errc::algorithm_mismatch);

  const pki::public_key<> rsa3072 =
      value_of(value_of(pki::private_key<pki::rsa<3072>>::generate()).public_key());
  BOOST_TEST(rsa3072.narrow<pki::rsa<3072>>().has_value());
  expect_error(rsa3072.narrow<pki::rsa<2048>>(), errc::algorithm_mismatch);
  expect_error(rsa3072.narrow<pki::rsa<4096>>(), errc::algorithm_mismatch);
  expect_error(pki::public_key<pki::rsa<2048>>::from_der(value_of(rsa3072.to_der())), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(failures) {
  expect_error(pki::public_key<>::parse({}), errc::parse_failed);
  expect_error(pki::public_key<>::from_pem(""), errc::parse_failed);
  expect_error(pki::public_key<>::from_pem("garbage"), errc::parse_failed);
  expect_error(pki::public_key<>::from_pem("-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----\n"),
               errc::parse_failed);
  auto der = value_of(value_of(ec_key().public_key()).to_der());
  expect_error(pki::public_key<>::from_der(truncated(der, der.size() - 1)), errc::parse_failed);
  expect_error(pki::public_key<pki::rsa<2048>>::from_der(der), errc::algorithm_mismatch);
  // A private key is not a public key.
  auto priv = value_of(ec_key().to_der());
  expect_error(pki::public_key<>::from_der(priv), errc::parse_failed);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ownership)

BOOST_AUTO_TEST_CASE(clone_is_an_independent_equal_key) {
  auto copy = value_of(ec_key().clone());
  BOOST_TEST(&copy.native() != &ec_key().native());
  BOOST_TEST((spki_of(copy) == spki_of(ec_key())));
  auto sig = value_of(copy.sign(pki::as_bytes("made by the clone")));
  expect_ok(value_of(ec_key().public_key()).verify(pki::as_bytes("made by the clone"), sig));
}

BOOST_AUTO_TEST_CASE(widening_and_checked_narrowing) {
  pki::private_key<> any = value_of(rsa_key().clone());
  BOOST_TEST((any.algorithm() == pki::rsa<2048>::id));
  auto mismatch = std::move(any).narrow<pki::ecdsa_p256>();
  expect_error(mismatch, errc::algorithm_mismatch);
  // A refused narrowing leaves the key intact.
  BOOST_TEST((spki_of(any) == spki_of(rsa_key())));
  auto typed = value_of(std::move(any).narrow<pki::rsa<2048>>());
  BOOST_TEST((spki_of(typed) == spki_of(rsa_key())));
}

/// The offset of the last byte of the `n`-th (from 0) INTEGER in a SEQUENCE of them.
std::size_t last_byte_of_integer(pki::byte_view der, int n) {
  auto* p = const_cast<unsigned char*>(der.data());
  const unsigned char* end = p + der.size();
  std::size_t length = 0;
  BOOST_TEST_REQUIRE(mbedtls_asn1_get_tag(&p, end, &length, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) == 0);
  for (int i = 0;; ++i) {
    BOOST_TEST_REQUIRE(mbedtls_asn1_get_tag(&p, end, &length, MBEDTLS_ASN1_INTEGER) == 0);
    if (i == n) return static_cast<std::size_t>(p - der.data()) + length - 1;
    p += length;
  }
}

BOOST_AUTO_TEST_CASE(a_key_whose_halves_disagree_is_refused) {
  // SEC1 states the public point beside the private scalar: put another key's there.
  const auto other = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  auto sec1 = value_of(ec_key().to_der(private_key_format::traditional));
  const auto other_sec1 = value_of(other.to_der(private_key_format::traditional));
  BOOST_TEST_REQUIRE(sec1.size() == other_sec1.size());
  std::copy(other_sec1.end() - 65, other_sec1.end(), sec1.end() - 65);  // the uncompressed point
  expect_error(pki::private_key<>::from_der(sec1), errc::key_mismatch);
  // PKCS#1 states N and E beside D, P and Q: change D (the fourth INTEGER) by one bit.
  auto pkcs1 = value_of(rsa_key().to_der(private_key_format::traditional));
  pkcs1[last_byte_of_integer(pkcs1, 3)] ^= 0x01;
  expect_error(pki::private_key<>::from_der(pkcs1), errc::key_mismatch);
}

BOOST_AUTO_TEST_CASE(pair_check) {
  auto pub = value_of(ec_key().public_key());
  expect_ok(ec_key().matches(pub));
  expect_ok(pki::check_pair(ec_key(), pub));
  auto other = value_of(value_of(pki::private_key<pki::ecdsa_p256>::generate()).public_key());
  expect_error(ec_key().matches(other), errc::key_mismatch);
  expect_error(pki::check_pair(rsa_key(), pub), errc::key_mismatch);
}

BOOST_AUTO_TEST_SUITE_END()
