// Signing and verification: ECDSA (DER and r||s), RSA PKCS#1 v1.5 and RSA-PSS, over
// messages and digests, and the errc of every way a signature can be wrong.

#include <boost/test/unit_test.hpp>

#include <pki/keys/key.hpp>

#include <vector>

#include "support/expect.hpp"

using pki::ecdsa_encoding;
using pki::errc;
using pki::hash_algorithm;
using pki::rsa_padding;
using pki::signature_options;
using pki_test::expect_error;
using pki_test::expect_ok;
using pki_test::value_of;

namespace {

const pki::private_key<pki::rsa<2048>>& rsa_key() {
  static const auto key = value_of(pki::private_key<pki::rsa<2048>>::generate());
  return key;
}
const pki::private_key<pki::ecdsa_p256>& p256_key() {
  static const auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  return key;
}
const pki::private_key<pki::ecdsa_p384>& p384_key() {
  static const auto key = value_of(pki::private_key<pki::ecdsa_p384>::generate());
  return key;
}

const auto message = pki::as_bytes("attested boot measurement 7f3a");
const auto tampered = pki::as_bytes("attested boot measurement 7f3b");

constexpr hash_algorithm all_hashes[] = {hash_algorithm::sha256, hash_algorithm::sha384,
                                         hash_algorithm::sha512};

/// Signs, verifies, and checks a tampered message and a flipped signature byte fail.
template <class Key>
void sign_verify_tamper(const Key& key, const signature_options& opts) {
  auto pub = value_of(key.public_key());
  auto sig = value_of(key.sign(message, opts));
  expect_ok(pub.verify(message, sig, opts));
  expect_error(pub.verify(tampered, sig, opts), errc::bad_signature);
  pki::byte_buffer flipped(sig.bytes().begin(), sig.bytes().end());
  flipped[flipped.size() / 2] ^= 0x01;
  expect_error(pub.verify(message, flipped, opts), errc::bad_signature);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ecdsa)

BOOST_AUTO_TEST_CASE(der_and_raw_with_each_hash) {
  for (auto h : all_hashes) {
    for (auto encoding : {ecdsa_encoding::der, ecdsa_encoding::raw}) {
      BOOST_TEST_CONTEXT(pki::name(h) << (encoding == ecdsa_encoding::der ? " DER" : " r||s")) {
        sign_verify_tamper(p256_key(), {.hash = h, .encoding = encoding});
        sign_verify_tamper(p384_key(), {.hash = h, .encoding = encoding});
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(default_hash_matches_the_curve) {
  // P-384 signs with SHA-384 unless told otherwise: verifying as SHA-256 must fail.
  auto sig = value_of(p384_key().sign(message));
  auto pub = value_of(p384_key().public_key());
  expect_ok(pub.verify(message, sig, {.hash = hash_algorithm::sha384}));
  expect_error(pub.verify(message, sig, {.hash = hash_algorithm::sha256}), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(raw_signature_is_two_scalars) {
  BOOST_TEST(value_of(p256_key().sign(message, {.encoding = ecdsa_encoding::raw})).size() == 64U);
  BOOST_TEST(value_of(p384_key().sign(message, {.encoding = ecdsa_encoding::raw})).size() == 96U);
  auto p521 = value_of(pki::private_key<pki::ecdsa_p521>::generate());
  BOOST_TEST(value_of(p521.sign(message, {.encoding = ecdsa_encoding::raw})).size() == 132U);
  sign_verify_tamper(p521, {});
}

BOOST_AUTO_TEST_CASE(nonce_follows_the_build) {
  // With MBEDTLS_ECDSA_DETERMINISTIC the nonce comes from RFC 6979 (no dependence on the
  // RNG at signing time); otherwise each signature draws a fresh one.
  const bool equal = value_of(p256_key().sign(message)) == value_of(p256_key().sign(message));
#if defined(MBEDTLS_ECDSA_DETERMINISTIC)
  BOOST_TEST(equal);
#else
  BOOST_TEST(!equal);
#endif
}

BOOST_AUTO_TEST_CASE(encoding_must_match) {
  auto pub = value_of(p256_key().public_key());
  auto der = value_of(p256_key().sign(message));
  auto raw = value_of(p256_key().sign(message, {.encoding = ecdsa_encoding::raw}));
  expect_error(pub.verify(message, der, {.encoding = ecdsa_encoding::raw}), errc::bad_signature);
  expect_error(pub.verify(message, raw, {.encoding = ecdsa_encoding::der}), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(non_strict_der_is_rejected) {
  auto pub = value_of(p256_key().public_key());
  auto sig = value_of(p256_key().sign(message));
  const pki::byte_view der = sig.bytes();
  BOOST_REQUIRE(der[1] < 0x80);  // a P-256 signature has a short-form length

  pki::byte_buffer trailing(der.begin(), der.end());
  trailing.push_back(0x00);
  expect_error(pub.verify(message, trailing), errc::bad_signature);

  // The same SEQUENCE with a long-form length (BER, not DER).
  pki::byte_buffer long_length = {0x30, 0x81, der[1]};
  long_length.insert(long_length.end(), der.begin() + 2, der.end());
  expect_error(pub.verify(message, long_length), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(wrong_raw_length) {
  auto pub = value_of(p256_key().public_key());
  auto raw = value_of(p256_key().sign(message, {.encoding = ecdsa_encoding::raw}));
  pki::byte_buffer longer(raw.bytes().begin(), raw.bytes().end());
  longer.push_back(0);
  expect_error(pub.verify(message, longer, {.encoding = ecdsa_encoding::raw}), errc::bad_signature);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rsa)

BOOST_AUTO_TEST_CASE(pkcs1_v15_with_each_hash) {
  for (auto h : all_hashes) {
    BOOST_TEST_CONTEXT(pki::name(h)) {
      sign_verify_tamper(rsa_key(), {.hash = h});
    }
  }
}

BOOST_AUTO_TEST_CASE(pkcs1_v15_is_deterministic) {
  auto a = value_of(rsa_key().sign(message));
  BOOST_TEST(a.size() == 256U);
  BOOST_TEST((a == value_of(rsa_key().sign(message))));
}

BOOST_AUTO_TEST_CASE(pss_with_each_hash) {
  for (auto h : all_hashes) {
    BOOST_TEST_CONTEXT(pki::name(h)) {
      sign_verify_tamper(rsa_key(), {.hash = h, .padding = rsa_padding::pss});
    }
  }
}

BOOST_AUTO_TEST_CASE(pss_is_randomised_and_not_pkcs1) {
  const signature_options pss{.padding = rsa_padding::pss};
  auto a = value_of(rsa_key().sign(message, pss));
  BOOST_TEST((a != value_of(rsa_key().sign(message, pss))));
  expect_error(value_of(rsa_key().public_key()).verify(message, a), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(pss_salt_length) {
  auto pub = value_of(rsa_key().public_key());
  auto sig = value_of(rsa_key().sign(message, {.padding = rsa_padding::pss, .pss_salt_length = 20}));
  // Any salt length verifies unless one is required.
  expect_ok(pub.verify(message, sig, {.padding = rsa_padding::pss}));
  expect_ok(pub.verify(message, sig, {.padding = rsa_padding::pss, .pss_salt_length = 20}));
  expect_error(pub.verify(message, sig, {.padding = rsa_padding::pss, .pss_salt_length = 32}),
               errc::bad_signature);
  // A salt that cannot fit in the modulus.
  expect_error(rsa_key().sign(message, {.padding = rsa_padding::pss, .pss_salt_length = 300}),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(pss_mgf1_hash) {
  const signature_options mixed{
      .hash = hash_algorithm::sha256, .padding = rsa_padding::pss, .mgf1_hash = hash_algorithm::sha512};
  expect_error(rsa_key().sign(message, mixed), errc::unsupported);
  auto sig = value_of(rsa_key().sign(message, {.padding = rsa_padding::pss}));
  // Made with MGF1-SHA-256, so checking with MGF1-SHA-512 unmasks garbage.
  expect_error(value_of(rsa_key().public_key()).verify(message, sig, mixed), errc::bad_signature);
  // Naming the message hash for MGF1 is the same as leaving it out.
  expect_ok(value_of(rsa_key().public_key())
                .verify(message, sig, {.padding = rsa_padding::pss, .mgf1_hash = hash_algorithm::sha256}));
}

BOOST_AUTO_TEST_CASE(truncated_signature) {
  auto pub = value_of(rsa_key().public_key());
  auto sig = value_of(rsa_key().sign(message));
  expect_error(pub.verify(message, sig.bytes().first(sig.size() - 1)), errc::bad_signature);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(common)

BOOST_AUTO_TEST_CASE(signature_by_another_key) {
  auto other_ec = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  auto sig = value_of(other_ec.sign(message));
  expect_error(value_of(p256_key().public_key()).verify(message, sig), errc::bad_signature);
  // An RSA signature checked with an EC key, and the other way round.
  pki::public_key<> ec_pub = value_of(p256_key().public_key());
  pki::public_key<> rsa_pub = value_of(rsa_key().public_key());
  expect_error(ec_pub.verify(message, value_of(rsa_key().sign(message)).bytes()), errc::bad_signature);
  expect_error(rsa_pub.verify(message, value_of(p256_key().sign(message)).bytes()), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(empty_signature) {
  auto pub = value_of(p256_key().public_key());
  expect_error(pub.verify(message, pki::byte_view{}), errc::bad_signature);
  expect_error(value_of(rsa_key().public_key()).verify(message, pki::byte_view{}), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(empty_message_signs) {
  sign_verify_tamper(p256_key(), {});
  auto sig = value_of(rsa_key().sign({}));
  expect_ok(value_of(rsa_key().public_key()).verify({}, sig));
}

BOOST_AUTO_TEST_CASE(digests) {
  for (auto h : all_hashes) {
    BOOST_TEST_CONTEXT(pki::name(h)) {
      auto d = value_of(pki::hash(h, message));
      auto ec_sig = value_of(p256_key().sign_digest(d));
      auto rsa_sig = value_of(rsa_key().sign_digest(d, {.padding = rsa_padding::pss}));
      // A digest signature is a message signature with that hash.
      expect_ok(value_of(p256_key().public_key()).verify(message, ec_sig, {.hash = h}));
      expect_ok(value_of(rsa_key().public_key()).verify_digest(d, rsa_sig, {.padding = rsa_padding::pss}));
      auto other = value_of(pki::hash(h, tampered));
      expect_error(value_of(p256_key().public_key()).verify_digest(other, ec_sig), errc::bad_signature);
    }
  }
}

BOOST_AUTO_TEST_CASE(digest_of_another_hash) {
  auto sig = value_of(rsa_key().sign_digest(value_of(pki::hash(hash_algorithm::sha384, message))));
  expect_error(value_of(rsa_key().public_key()).verify_digest(value_of(pki::sha256(message)), sig),
               errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(from_bytes) {
  auto sig = value_of(p256_key().sign(message));
  auto copy = value_of(pki::signature<pki::ecdsa_p256>::from_bytes(sig.bytes()));
  BOOST_TEST((copy == sig));
  BOOST_TEST(copy.hex() == sig.hex());
  BOOST_TEST(copy.hex().size() == 2 * sig.size());
  expect_ok(value_of(p256_key().public_key()).verify(message, copy));

  expect_error(pki::signature<pki::ecdsa_p256>::from_bytes({}), errc::invalid_argument);
  const std::vector<std::uint8_t> too_long(pki::signature<pki::ecdsa_p256>::capacity + 1, 0x30);
  expect_error(pki::signature<pki::ecdsa_p256>::from_bytes(too_long), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(widens_to_any_algorithm) {
  pki::signature<> any = value_of(rsa_key().sign(message));
  expect_ok(value_of(rsa_key().public_key()).verify(message, any));
  static_assert(pki::signature<pki::ecdsa_p256>::capacity <= pki::signature<>::capacity);
  static_assert(pki::signature<pki::rsa<4096>>::capacity == 512);
}

BOOST_AUTO_TEST_SUITE_END()
