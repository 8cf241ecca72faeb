// HPKE (RFC 9180) through the typed API: every mode and suite round-trips, keys of another
// curve do not compile, run-time suites are checked, every tampering is decryption_failed
// with nothing returned, the sequence ends in sequence_exhausted, and exports agree.
// RFC 9180's own vectors are in tests/conformance/hpke_rfc9180_test.cpp.

#include <boost/test/unit_test.hpp>

#include <pki/keys/hpke.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "support/expect.hpp"

using pki::errc;
using pki_test::expect_error;
using pki_test::value_of;
namespace hpke = pki::hpke;

namespace {

using p256_suite = hpke::suite<hpke::dhkem_p256_hkdf_sha256, hpke::hkdf_sha256, hpke::aes_128_gcm>;
using p384_suite = hpke::suite<hpke::dhkem_p384_hkdf_sha384, hpke::hkdf_sha384, hpke::aes_256_gcm>;
using p521_suite = hpke::suite<hpke::dhkem_p521_hkdf_sha512, hpke::hkdf_sha512, hpke::aes_256_gcm>;
using x25519_suite = hpke::suite<hpke::dhkem_x25519_hkdf_sha256, hpke::hkdf_sha256, hpke::chacha20_poly1305>;
using export_suite = hpke::suite<hpke::dhkem_p256_hkdf_sha256, hpke::hkdf_sha512, hpke::export_only>;

template <class Suite, class Key>
concept can_setup_sender = requires(const Key& key) {
  hpke::setup_sender<Suite>(key);
};
template <class Suite, class Key>
concept can_open = requires(const Key& key) {
  hpke::open<Suite>(key, pki::byte_view{}, pki::byte_view{}, pki::byte_view{});
};
template <class Key>
concept can_sign = requires(const Key& key) {
  key.sign(pki::byte_view{});
};
template <class Key>
concept can_verify = requires(const Key& key, const pki::byte_buffer& sig) {
  key.verify(pki::byte_view{}, sig);
};

// A key of another curve than the suite's KEM does not compile.
static_assert(can_setup_sender<p256_suite, pki::public_key<pki::ecdsa_p256>>);
static_assert(!can_setup_sender<p256_suite, pki::public_key<pki::ecdsa_p384>>);
static_assert(!can_setup_sender<p384_suite, pki::public_key<pki::ecdsa_p256>>);
static_assert(!can_setup_sender<p256_suite, pki::public_key<pki::rsa<2048>>>);
static_assert(!can_setup_sender<x25519_suite, pki::public_key<pki::ecdsa_p256>>);
static_assert(can_open<p384_suite, pki::private_key<pki::ecdsa_p384>>);
static_assert(!can_open<p384_suite, pki::private_key<pki::ecdsa_p521>>);
// X25519 keys sign nothing: the calls do not compile.
static_assert(!can_sign<pki::private_key<pki::x25519>>);
static_assert(!can_verify<pki::public_key<pki::x25519>>);
static_assert(can_sign<pki::private_key<pki::ecdsa_p256>>);

template <class Tag>
const pki::private_key<Tag>& key_of() {
  static const auto key = value_of(pki::private_key<Tag>::generate());
  return key;
}
template <class Tag>
pki::public_key<Tag> public_of() {
  return value_of(key_of<Tag>().public_key());
}

const pki::byte_view aad = pki::as_bytes("associated data");
const pki::byte_view message = pki::as_bytes("a message for the recipient alone");
const pki::byte_view info = pki::as_bytes("application info");

template <class Suite>
void round_trips_single_shot() {
  using tag = typename Suite::key_tag;
  auto sealed = value_of(hpke::seal<Suite>(public_of<tag>(), aad, message, {.info = info}));
  auto opened =
      value_of(hpke::open<Suite>(key_of<tag>(), sealed.enc, aad, sealed.ciphertext, {.info = info}));
  BOOST_TEST(std::string(opened.begin(), opened.end()) == std::string(message.begin(), message.end()));
  BOOST_TEST(sealed.ciphertext.size() == message.size() + 16);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_kem_round_trips_a_single_shot_message) {
  round_trips_single_shot<p256_suite>();
  round_trips_single_shot<p384_suite>();
  round_trips_single_shot<p521_suite>();
  round_trips_single_shot<x25519_suite>();
  round_trips_single_shot<
      hpke::suite<hpke::dhkem_p384_hkdf_sha384, hpke::hkdf_sha256, hpke::chacha20_poly1305>>();
}

BOOST_AUTO_TEST_CASE(each_mode_round_trips_and_needs_its_inputs) {
  using tag = pki::ecdsa_p256;
  const auto psk_key = pki::as_bytes("0123456789abcdef0123456789abcdef");
  const auto psk_id = pki::as_bytes("psk id");
  const auto sender = value_of(pki::private_key<tag>::generate());
  const auto sender_pub = value_of(sender.public_key());
  const hpke::psk_input psk{psk_key, psk_id};

  struct mode_case {
    hpke::mode mode;
    hpke::sender_options<tag> s;
    hpke::recipient_options<tag> r;
  };
  const mode_case cases[] = {
      {hpke::mode::base, {.info = info}, {.info = info}},
      {hpke::mode::psk, {.info = info, .psk = psk}, {.info = info, .psk = psk}},
      {hpke::mode::auth,
       {.info = info, .sender_key = &sender},
       {.info = info, .sender_public_key = &sender_pub}},
      {hpke::mode::auth_psk,
       {.info = info, .psk = psk, .sender_key = &sender},
       {.info = info, .psk = psk, .sender_public_key = &sender_pub}},
  };
  for (const auto& c : cases) {
    auto setup = value_of(hpke::setup_sender<p256_suite>(public_of<tag>(), c.s));
    BOOST_TEST((setup.context.mode() == c.mode));
    auto ct = value_of(setup.context.seal(aad, message));
    auto recipient = value_of(hpke::setup_recipient<p256_suite>(key_of<tag>(), setup.enc, c.r));
    BOOST_TEST((recipient.mode() == c.mode));
    auto pt = value_of(recipient.open(aad, ct));
    BOOST_TEST(std::string(pt.begin(), pt.end()) == std::string(message.begin(), message.end()));
  }

  // The recipient without the sender's PSK, or with another sender's key, opens nothing.
  auto with_psk = value_of(hpke::seal<p256_suite>(public_of<tag>(), aad, message, {.psk = psk}));
  expect_error(hpke::open<p256_suite>(key_of<tag>(), with_psk.enc, aad, with_psk.ciphertext),
               errc::decryption_failed);
  auto authed = value_of(hpke::seal<p256_suite>(public_of<tag>(), aad, message, {.sender_key = &sender}));
  const auto impostor = value_of(value_of(pki::private_key<tag>::generate()).public_key());
  expect_error(hpke::open<p256_suite>(key_of<tag>(), authed.enc, aad, authed.ciphertext,
                                      {.sender_public_key = &impostor}),
               errc::decryption_failed);
  // A PSK needs both its key and its identifier.
  expect_error(hpke::seal<p256_suite>(public_of<tag>(), aad, message, {.psk = hpke::psk_input{psk_key, {}}}),
               errc::invalid_argument);
  expect_error(hpke::seal<p256_suite>(public_of<tag>(), aad, message, {.psk = hpke::psk_input{{}, psk_id}}),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_CASE(every_tampering_is_decryption_failed_and_returns_no_plaintext) {
  using tag = pki::ecdsa_p256;
  auto sealed = value_of(hpke::seal<p256_suite>(public_of<tag>(), aad, message, {.info = info}));
  auto open = [&](pki::byte_view enc, pki::byte_view a, pki::byte_view ct, pki::byte_view i) {
    return hpke::open<p256_suite>(key_of<tag>(), enc, a, ct, {.info = i});
  };
  for (std::size_t i = 0; i < sealed.ciphertext.size(); i += 7) {
    auto ct = sealed.ciphertext;
    ct[i] ^= 0x01;
    expect_error(open(sealed.enc, aad, ct, info), errc::decryption_failed);
  }
  auto enc = sealed.enc;
  enc[10] ^= 0x40;  // another x coordinate: off the curve, or another point
  expect_error(open(enc, aad, sealed.ciphertext, info), errc::decryption_failed);
  expect_error(open(pki::byte_view(sealed.enc).first(64), aad, sealed.ciphertext, info),
               errc::decryption_failed);
  expect_error(open(sealed.enc, pki::as_bytes("other aad"), sealed.ciphertext, info),
               errc::decryption_failed);
  expect_error(open(sealed.enc, aad, sealed.ciphertext, pki::as_bytes("other info")),
               errc::decryption_failed);
  expect_error(open(sealed.enc, aad, pki::byte_view(sealed.ciphertext).first(15), info),
               errc::decryption_failed);
  // Another recipient's key.
  const auto other = value_of(pki::private_key<tag>::generate());
  expect_error(hpke::open<p256_suite>(other, sealed.enc, aad, sealed.ciphertext, {.info = info}),
               errc::decryption_failed);
  // open_into leaves nothing of a failed plaintext in the caller's buffer.
  auto recipient = value_of(hpke::setup_recipient<p256_suite>(key_of<tag>(), sealed.enc, {.info = info}));
  auto ct = sealed.ciphertext;
  ct.back() ^= 0x80;
  pki::byte_buffer out(ct.size(), 0xAA);
  expect_error(recipient.open_into(aad, ct, out), errc::decryption_failed);
  BOOST_TEST(std::all_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(ct.size() - 16),
                         [](std::uint8_t b) { return b == 0; }));
  BOOST_TEST(recipient.sequence() == 0u);  // a failed open does not advance the sequence
  auto opened = value_of(recipient.open(aad, sealed.ciphertext));
  BOOST_TEST(opened.size() == message.size());
}

BOOST_AUTO_TEST_CASE(contexts_seal_messages_in_sequence_and_refuse_them_out_of_order) {
  using tag = pki::x25519;
  auto setup = value_of(hpke::setup_sender<x25519_suite>(public_of<tag>(), {.info = info}));
  auto first = value_of(setup.context.seal(aad, pki::as_bytes("first")));
  auto second = value_of(setup.context.seal(aad, pki::as_bytes("second")));
  BOOST_TEST(setup.context.sequence() == 2u);
  auto recipient = value_of(hpke::setup_recipient<x25519_suite>(key_of<tag>(), setup.enc, {.info = info}));
  expect_error(recipient.open(aad, second), errc::decryption_failed);  // reordered
  auto one = value_of(recipient.open(aad, first));
  BOOST_TEST(std::string(one.begin(), one.end()) == "first");
  expect_error(recipient.open(aad, first), errc::decryption_failed);  // replayed
  auto two = value_of(recipient.open(aad, second));
  BOOST_TEST(std::string(two.begin(), two.end()) == "second");
}

BOOST_AUTO_TEST_CASE(an_exhausted_sequence_is_an_error_not_a_wrap) {
  using tag = pki::ecdsa_p256;
  auto setup = value_of(hpke::setup_sender<p256_suite>(public_of<tag>()));
  auto recipient = value_of(hpke::setup_recipient<p256_suite>(key_of<tag>(), setup.enc));
  constexpr std::uint64_t last = std::numeric_limits<std::uint64_t>::max() - 1;
  pki::detail::hpke::context_access::set_sequence(setup.context, last);
  pki::detail::hpke::context_access::set_sequence(recipient, last);
  auto ct = value_of(setup.context.seal(aad, message));
  auto pt = value_of(recipient.open(aad, ct));
  BOOST_TEST(pt.size() == message.size());
  expect_error(setup.context.seal(aad, message), errc::sequence_exhausted);
  expect_error(recipient.open(aad, ct), errc::sequence_exhausted);
  BOOST_TEST(setup.context.sequence() == last + 1);
}

BOOST_AUTO_TEST_CASE(exports_agree_and_export_only_contexts_seal_nothing) {
  using tag = pki::ecdsa_p256;
  auto setup = value_of(hpke::setup_sender<export_suite>(public_of<tag>(), {.info = info}));
  auto recipient = value_of(hpke::setup_recipient<export_suite>(key_of<tag>(), setup.enc, {.info = info}));
  auto a = value_of(setup.context.export_secret(pki::as_bytes("context"), 64));
  auto b = value_of(recipient.export_secret(pki::as_bytes("context"), 64));
  BOOST_TEST((a == b));
  auto c = value_of(recipient.export_secret(pki::as_bytes("another context"), 64));
  BOOST_TEST((a != c));
  expect_error(setup.context.export_secret({}, 0), errc::invalid_argument);
  expect_error(setup.context.export_secret({}, 255 * 64 + 1), errc::invalid_argument);
  expect_error(setup.context.seal(aad, message), errc::unsupported);
  expect_error(recipient.open(aad, pki::byte_buffer(32)), errc::unsupported);
}

BOOST_AUTO_TEST_CASE(run_time_suites_are_checked) {
  expect_error(hpke::suite_id::from_wire(0x0021, 0x0001, 0x0001), errc::unsupported);  // X448
  expect_error(hpke::suite_id::from_wire(0x0010, 0x0004, 0x0001), errc::unsupported);
  expect_error(hpke::suite_id::from_wire(0x0010, 0x0001, 0x0004), errc::unsupported);
  const auto id = value_of(hpke::suite_id::from_wire(0x0011, 0x0002, 0x0002));
  BOOST_TEST((id == p384_suite::id));

  const pki::public_key<> p384 = public_of<pki::ecdsa_p384>();
  const pki::public_key<> p256 = public_of<pki::ecdsa_p256>();
  expect_error(hpke::seal(id, p256, aad, message), errc::algorithm_mismatch);
  auto sealed = value_of(hpke::seal(id, p384, aad, message));
  auto any_key = value_of(pki::private_key<>::parse(value_of(key_of<pki::ecdsa_p384>().to_der())));
  auto opened = value_of(hpke::open(id, any_key, sealed.enc, aad, sealed.ciphertext));
  BOOST_TEST(opened.size() == message.size());
  // The typed and the run-time API speak the same wire format.
  auto typed =
      value_of(hpke::open<p384_suite>(key_of<pki::ecdsa_p384>(), sealed.enc, aad, sealed.ciphertext));
  BOOST_TEST(typed.size() == message.size());
  const pki::public_key<> rsa = value_of(value_of(pki::private_key<pki::rsa<2048>>::generate()).public_key());
  expect_error(hpke::seal(p256_suite::id, rsa, aad, message), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(derive_key_pair_is_deterministic) {
  const pki::byte_buffer ikm(32, 0x42);
  auto a = value_of(hpke::derive_key_pair<hpke::dhkem_p256_hkdf_sha256>(ikm));
  auto b = value_of(hpke::derive_key_pair<hpke::dhkem_p256_hkdf_sha256>(ikm));
  BOOST_TEST((value_of(a.public_key()) == value_of(b.public_key())));
  expect_error(hpke::derive_key_pair<hpke::dhkem_p256_hkdf_sha256>(pki::byte_view(ikm).first(31)),
               errc::invalid_argument);
  expect_error(hpke::derive_key_pair(0x0021, ikm), errc::unsupported);
}
