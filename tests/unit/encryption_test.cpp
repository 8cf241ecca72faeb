// The primitives under HPKE and the sealed files, each on its own: HKDF (RFC 5869's first
// case), AEAD keys (RFC 8439's ChaCha20-Poly1305 vector, tampering, wiping), ECDH and raw
// key encodings, X25519 keys in RFC 8410 form, and RSA-OAEP with its checks. The
// Wycheproof and OpenSSL tests run them on many more inputs.

#include <boost/test/unit_test.hpp>

#include <pki/keys/aead.hpp>
#include <pki/keys/ecdh.hpp>
#include <pki/keys/hkdf.hpp>
#include <pki/keys/oaep.hpp>

#include <algorithm>
#include <string>

#include "support/expect.hpp"

using pki::errc;
using pki_test::expect_error;
using pki_test::value_of;

namespace {
pki::byte_buffer hex(std::string_view text) {
  return value_of(pki::from_hex(text));
}
template <class Buffer>
std::string hex_of(const Buffer& b) {
  return pki::to_hex(pki::byte_view(b.data(), b.size()));
}
}  // namespace

BOOST_AUTO_TEST_CASE(hkdf_gives_rfc5869_test_case_1_and_bounds_its_length) {
  const auto okm =
      value_of(pki::hkdf(pki::hash_algorithm::sha256, hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
                         hex("000102030405060708090a0b0c"), hex("f0f1f2f3f4f5f6f7f8f9"), 42));
  BOOST_TEST(hex_of(okm) ==
             "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  const auto prk = value_of(pki::hkdf_extract(pki::hash_algorithm::sha256, {}, pki::as_bytes("ikm")));
  expect_error(pki::hkdf_expand(pki::hash_algorithm::sha256, prk, {}, 255 * 32 + 1), errc::invalid_argument);
  expect_error(pki::hkdf_expand(pki::hash_algorithm::sha256, prk, {}, 0), errc::invalid_argument);
  expect_error(pki::hkdf_extract(pki::hash_algorithm::sha1, {}, prk), errc::unsupported);
}

BOOST_AUTO_TEST_CASE(chacha20_poly1305_gives_rfc8439_vector_and_refuses_changes) {
  const auto key = value_of(
      pki::aead_key::create(pki::aead_cipher::chacha20_poly1305,
                            hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")));
  const auto nonce = hex("070000004041424344454647");
  const auto aad = hex("50515253c0c1c2c3c4c5c6c7");
  const std::string text =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen "
      "would be "
      "it.";
  const auto sealed = value_of(key.seal(nonce, aad, pki::as_bytes(text)));
  BOOST_TEST(hex_of(pki::byte_view(sealed).last(16)) == "1ae10b594f09e26a7e902ecbd0600691");
  BOOST_TEST(hex_of(pki::byte_view(sealed).first(16)) == "d31a8d34648e60db7b86afbc53ef7ec2");
  const auto opened = value_of(key.open(nonce, aad, sealed));
  BOOST_TEST(std::string(opened.begin(), opened.end()) == text);
  auto changed = sealed;
  changed[5] ^= 1;
  pki::byte_buffer out(changed.size(), 0x55);
  expect_error(key.open_into(nonce, aad, changed, out), errc::decryption_failed);
  BOOST_TEST(std::all_of(out.begin(), out.end() - 16, [](std::uint8_t b) { return b == 0; }));
  expect_error(key.open(nonce, pki::as_bytes("other"), sealed), errc::decryption_failed);
  expect_error(key.open(nonce, aad, pki::byte_view(sealed).first(15)), errc::decryption_failed);
  expect_error(key.seal(pki::byte_view(nonce).first(8), aad, pki::as_bytes(text)), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(aead_keys_check_their_parameters) {
  expect_error(pki::aead_key::create(pki::aead_cipher::aes_gcm, pki::byte_buffer(20)),
               errc::invalid_argument);
  expect_error(pki::aead_key::create(pki::aead_cipher::aes_gcm, pki::byte_buffer(16), 10),
               errc::invalid_argument);
  expect_error(pki::aead_key::create(pki::aead_cipher::chacha20_poly1305, pki::byte_buffer(16)),
               errc::invalid_argument);
  const auto key = value_of(pki::aead_key::create(pki::aead_cipher::aes_gcm, pki::byte_buffer(32, 7), 12));
  const auto sealed = value_of(key.seal(pki::byte_buffer(12), {}, pki::as_bytes("x")));
  BOOST_TEST(sealed.size() == 13u);
  pki::byte_buffer small(12);
  expect_error(key.seal_into(pki::byte_buffer(12), {}, pki::as_bytes("x"), small), errc::buffer_too_small);
}

BOOST_AUTO_TEST_CASE(ecdh_agrees_both_ways_on_every_curve) {
  auto agree = [](auto tag) {
    using Tag = decltype(tag);
    const auto a = value_of(pki::private_key<Tag>::generate());
    const auto b = value_of(pki::private_key<Tag>::generate());
    const auto ab = value_of(pki::ecdh(a, value_of(b.public_key())));
    const auto ba = value_of(pki::ecdh(b, value_of(a.public_key())));
    BOOST_TEST((ab == ba));
    BOOST_TEST(ab.size() == (Tag::id.bits + 7) / 8);
    const auto raw = value_of(pki::raw_public_key(value_of(b.public_key())));
    BOOST_TEST((value_of(pki::ecdh(a, raw)) == ab));
    BOOST_TEST((value_of(pki::public_key_from_raw<Tag>(raw)) == value_of(b.public_key())));
    const auto k1 = value_of(pki::ecdh_hkdf(a, value_of(b.public_key()), pki::hash_algorithm::sha256, {},
                                            pki::as_bytes("info"), 32));
    const auto k2 = value_of(pki::ecdh_hkdf(b, value_of(a.public_key()), pki::hash_algorithm::sha256, {},
                                            pki::as_bytes("info"), 32));
    BOOST_TEST((k1 == k2));
  };
  agree(pki::ecdsa_p256{});
  agree(pki::ecdsa_p384{});
  agree(pki::ecdsa_p521{});
  agree(pki::x25519{});
}

BOOST_AUTO_TEST_CASE(ecdh_refuses_points_off_the_curve_and_mixed_keys) {
  const auto a = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  auto raw = value_of(pki::raw_public_key(value_of(a.public_key())));
  raw[40] ^= 1;
  expect_error(pki::ecdh(a, raw), errc::invalid_argument);
  expect_error(pki::ecdh(a, pki::byte_view(raw).first(33)), errc::invalid_argument);
  expect_error(pki::public_key_from_raw<pki::ecdsa_p256>(raw), errc::invalid_argument);
  // Keys of two curves meet only as any_algorithm keys, and are refused at run time.
  const pki::private_key<> any_a = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const pki::public_key<> p384 =
      value_of(value_of(pki::private_key<pki::ecdsa_p384>::generate()).public_key());
  expect_error(pki::ecdh(any_a, p384), errc::algorithm_mismatch);
  const pki::private_key<> rsa = value_of(pki::private_key<pki::rsa<2048>>::generate());
  expect_error(pki::ecdh(rsa, value_of(rsa.public_key())), errc::algorithm_mismatch);
  // X25519: a point of small order (here 0) gives the all-zero secret, refused.
  const auto x = value_of(pki::private_key<pki::x25519>::generate());
  expect_error(pki::ecdh(x, pki::byte_buffer(32, 0)), errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(x25519_keys_use_rfc8410_encodings_and_sign_nothing) {
  // An X25519 key; its public key as `openssl pkey -pubout` writes it.
  const auto key = value_of(pki::private_key<pki::x25519>::from_pem(
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VuBCIEIHCEQF0OPjx25H5j3xvYFsY9oBslsSAMun2dHwpnSQF0\n"
      "-----END PRIVATE KEY-----\n"));
  BOOST_TEST(value_of(value_of(key.public_key()).to_pem()) ==
             "-----BEGIN PUBLIC KEY-----\n"
             "MCowBQYDK2VuAyEAnoW5slBFujs7BCtGc0A1HU2I/vbYeXCr2Tqmw3IEf3I=\n"
             "-----END PUBLIC KEY-----\n");
  BOOST_TEST(key.algorithm().name() == "X25519");
  const auto der = value_of(key.to_der());
  BOOST_TEST(hex_of(pki::byte_view(der).first(16)) == "302e020100300506032b656e04220420");
  BOOST_TEST((value_of(key.to_der(pki::private_key_format::traditional)) == der));
  const auto pub = value_of(key.public_key());
  BOOST_TEST(hex_of(value_of(pub.to_der())).starts_with("302a300506032b656e032100"));
  // A key known only at run time refuses to sign or verify.
  const pki::private_key<> any = value_of(pki::private_key<pki::x25519>::generate());
  expect_error(any.sign(pki::as_bytes("m")), errc::algorithm_mismatch);
  const pki::public_key<> any_pub = value_of(any.public_key());
  expect_error(any_pub.verify(pki::as_bytes("m"), pki::byte_buffer(64, 1)), errc::algorithm_mismatch);
  expect_error(pki::private_key<pki::ecdsa_p256>::from_der(der), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(rsa_oaep_round_trips_and_checks_its_inputs) {
  const auto key = value_of(pki::private_key<pki::rsa<2048>>::generate());
  const auto pub = value_of(key.public_key());
  const pki::oaep_options opts{.hash = pki::hash_algorithm::sha384, .label = pki::as_bytes("label")};
  const auto ct = value_of(pki::rsa_oaep_encrypt(pub, pki::as_bytes("secret"), opts));
  BOOST_TEST(ct.size() == 256u);
  const auto pt = value_of(pki::rsa_oaep_decrypt(key, ct, opts));
  BOOST_TEST(std::string(pt.begin(), pt.end()) == "secret");
  BOOST_TEST(pki::oaep_max_plaintext(256, pki::hash_algorithm::sha256) == 190u);
  expect_error(pki::rsa_oaep_encrypt(pub, pki::byte_buffer(191)), errc::invalid_argument);
  BOOST_TEST(value_of(pki::rsa_oaep_encrypt(pub, pki::byte_buffer(190))).size() == 256u);
  // Every way a ciphertext can fail is one errc: no padding oracle.
  auto changed = ct;
  changed[100] ^= 1;
  expect_error(pki::rsa_oaep_decrypt(key, changed, opts), errc::decryption_failed);
  expect_error(pki::rsa_oaep_decrypt(key, ct, {.hash = pki::hash_algorithm::sha256, .label = opts.label}),
               errc::decryption_failed);
  expect_error(pki::rsa_oaep_decrypt(key, ct, {.hash = opts.hash}), errc::decryption_failed);
  expect_error(pki::rsa_oaep_decrypt(key, pki::byte_view(ct).first(255), opts), errc::decryption_failed);
  const pki::private_key<> ec = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  expect_error(pki::rsa_oaep_decrypt(ec, ct), errc::algorithm_mismatch);
}
