// RFC 9180's test vectors (the CFRG's test-vectors.json, in ../shared/conformance/hpke) run
// through pki::hpke with the suite chosen at run time from each vector's identifiers. For
// every vector whose KEM, KDF and AEAD the build supports: DeriveKeyPair(ikmR) (and ikmS)
// gives pkRm (pkSm); the sender, whose ephemeral key is DeriveKeyPair(ikmE) through the
// test-only deterministic hook, gives `enc`; every encryption gives the vector's ciphertext
// and opens back to its plaintext, in sequence; every export gives the vector's value on
// both sides. A vector the build cannot run is counted as skipped, and only the suites
// known to be outside the library (X448) or compiled out may be skipped.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <pki/pki.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "support/expect.hpp"
#include "support/process.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using pki_test::value_of;

const fs::path hpke_dir = fs::path(PKI_CONFORMANCE_DIR) / "hpke";

pki::byte_buffer hex(const json& v, const char* field) {
  return value_of(pki::from_hex(v.at(field).get<std::string>()));
}

std::string suite_name(std::uint16_t kem, std::uint16_t kdf, std::uint16_t aead) {
  char text[64];
  std::snprintf(text, sizeof text, "kem 0x%04x kdf 0x%04x aead 0x%04x", kem, kdf, aead);
  return text;
}

/// Whether the build is expected to lack a suite: X448 is not a library KEM; X25519 and
/// ChaCha20-Poly1305 only where mbedTLS has them.
bool expected_unsupported(std::uint16_t kem, std::uint16_t aead) {
  if (kem == 0x0021) return true;
  if (kem == 0x0020 && !PKI_HAS_X25519) return true;
  if (aead == 0x0003 && !PKI_HAS_CHACHAPOLY) return true;
  if ((aead == 0x0001 || aead == 0x0002) && !PKI_HAS_AES_GCM) return true;
  return false;
}

struct counts {
  std::size_t passed = 0;
  std::size_t skipped = 0;
  std::size_t encryptions = 0;
  std::size_t exports = 0;
};

/// Runs one vector; true when every check in it held.
bool run_vector(const json& v, const pki::hpke::suite_id& suite, std::size_t& encryptions,
                std::size_t& exports) {
  const auto where =
      suite_name(suite.kem, suite.kdf, suite.aead) + " mode " + std::to_string(v.at("mode").get<int>());
  const int mode = v.at("mode").get<int>();
  bool ok = true;
  auto check = [&](bool condition, const std::string& what) {
    BOOST_TEST(condition, where << ": " << what);
    ok = ok && condition;
  };

  auto recipient = pki::hpke::derive_key_pair(suite.kem, hex(v, "ikmR"));
  BOOST_TEST_REQUIRE(recipient.has_value(),
                     where << ": DeriveKeyPair(ikmR): " << pki_test::error_text(recipient));
  auto recipient_public = value_of(recipient->public_key());
  check(value_of(pki::raw_public_key(recipient_public)) == hex(v, "pkRm"), "DeriveKeyPair(ikmR) gives pkRm");

  std::optional<pki::private_key<>> sender;
  std::optional<pki::public_key<>> sender_public;
  if (mode == 2 || mode == 3) {
    sender.emplace(value_of(pki::hpke::derive_key_pair(suite.kem, hex(v, "ikmS"))));
    sender_public.emplace(value_of(sender->public_key()));
    check(value_of(pki::raw_public_key(*sender_public)) == hex(v, "pkSm"), "DeriveKeyPair(ikmS) gives pkSm");
  }
  pki::byte_buffer psk;
  pki::byte_buffer psk_id;
  std::optional<pki::hpke::psk_input> psk_input;
  if (mode == 1 || mode == 3) {
    psk = hex(v, "psk");
    psk_id = hex(v, "psk_id");
    psk_input = pki::hpke::psk_input{psk, psk_id};
  }
  const pki::byte_buffer info = hex(v, "info");

  const pki::hpke::sender_options<> sender_opts{
      .info = info, .psk = psk_input, .sender_key = sender ? &*sender : nullptr};
  auto setup =
      pki::detail::hpke::setup_sender_deterministic(suite, recipient_public, sender_opts, hex(v, "ikmE"));
  BOOST_TEST_REQUIRE(setup.has_value(), where << ": SetupS: " << pki_test::error_text(setup));
  check(setup->enc == hex(v, "enc"), "the sender's enc is the vector's");
  check(setup->context.mode() == static_cast<pki::hpke::mode>(mode), "the sender's mode is the vector's");

  const pki::hpke::recipient_options<> recipient_opts{
      .info = info, .psk = psk_input, .sender_public_key = sender_public ? &*sender_public : nullptr};
  auto context = pki::hpke::setup_recipient(suite, *recipient, hex(v, "enc"), recipient_opts);
  BOOST_TEST_REQUIRE(context.has_value(), where << ": SetupR: " << pki_test::error_text(context));

  std::size_t sequence = 0;
  for (const json& e : v.at("encryptions")) {
    const auto aad = hex(e, "aad");
    const auto pt = hex(e, "pt");
    const auto ct = hex(e, "ct");
    auto sealed = setup->context.seal(aad, pt);
    check(sealed.has_value() && *sealed == ct,
          "encryption " + std::to_string(sequence) + " gives the vector's ct");
    auto opened = context->open(aad, ct);
    check(opened.has_value() && pki::byte_buffer(opened->begin(), opened->end()) == pt,
          "encryption " + std::to_string(sequence) + " opens to the vector's pt");
    ++sequence;
    ++encryptions;
  }
  check(context->sequence() == sequence, "the recipient's sequence counts every message");
  for (const json& x : v.at("exports")) {
    const auto exporter_context = hex(x, "exporter_context");
    const auto length = x.at("L").get<std::size_t>();
    const auto expected = hex(x, "exported_value");
    auto from_sender = setup->context.export_secret(exporter_context, length);
    auto from_recipient = context->export_secret(exporter_context, length);
    check(from_sender && pki::byte_buffer(from_sender->begin(), from_sender->end()) == expected,
          "the sender's export gives the vector's value");
    check(from_recipient && pki::byte_buffer(from_recipient->begin(), from_recipient->end()) == expected,
          "the recipient's export gives the vector's value");
    ++exports;
  }
  return ok;
}

void run_file(const json& vectors, const std::string& label, std::size_t min_passed) {
  std::map<std::tuple<std::uint16_t, std::uint16_t, std::uint16_t>, counts> per_suite;
  counts total;
  for (const json& v : vectors) {
    const auto kem = v.at("kem_id").get<std::uint16_t>();
    const auto kdf = v.at("kdf_id").get<std::uint16_t>();
    const auto aead = v.at("aead_id").get<std::uint16_t>();
    counts& c = per_suite[{kem, kdf, aead}];
    auto suite = pki::hpke::suite_id::from_wire(kem, kdf, aead);
    if (!suite) {
      BOOST_TEST((suite.error().code() == pki::errc::unsupported), suite.error().message());
      BOOST_TEST(expected_unsupported(kem, aead), suite_name(kem, kdf, aead)
                                                      << " should be supported: " << suite.error().message());
      ++c.skipped;
      ++total.skipped;
      continue;
    }
    std::size_t encryptions = 0;
    std::size_t exports = 0;
    if (run_vector(v, *suite, encryptions, exports)) {
      ++c.passed;
      ++total.passed;
    }
    c.encryptions += encryptions;
    c.exports += exports;
    total.encryptions += encryptions;
    total.exports += exports;
  }
  for (const auto& [ids, c] : per_suite) {
    const auto& [kem, kdf, aead] = ids;
    std::cout << "hpke " << label << ' ' << suite_name(kem, kdf, aead) << ": " << c.passed << " passed, "
              << c.skipped << " skipped-unsupported (" << c.encryptions << " encryptions, " << c.exports
              << " exports)\n";
  }
  std::cout << "hpke " << label << " total: " << total.passed << " passed, " << total.skipped
            << " skipped-unsupported, " << vectors.size() - total.passed - total.skipped << " failed ("
            << total.encryptions << " encryptions, " << total.exports << " exports)" << std::endl;
  BOOST_TEST(total.passed >= min_passed, label << ": only " << total.passed << " vectors passed");
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_supported_rfc9180_vector_passes) {
  const fs::path packed = hpke_dir / "rfc9180-test-vectors.json.gz";
  BOOST_TEST_REQUIRE(fs::exists(packed), "missing " << packed.string());
  const auto unpacked = pki_test::run_program(PKI_GZIP_EXECUTABLE, {"-dc", packed.string()});
  BOOST_TEST_REQUIRE(unpacked.ok(), unpacked.err);
  const json vectors = json::parse(unpacked.out);
  BOOST_TEST_REQUIRE(vectors.size() == 128u);
  // P-256, P-521 and X25519 with both KDFs, four AEADs and four modes: 96 vectors (the X448
  // ones are skipped); without Curve25519 or ChaCha20-Poly1305 fewer.
  const std::size_t expected =
      96 - (PKI_HAS_X25519 ? 0 : 32) - (PKI_HAS_CHACHAPOLY ? 0 : (PKI_HAS_X25519 ? 24 : 16));
  run_file(vectors, "rfc9180-test-vectors", expected);
}

BOOST_AUTO_TEST_CASE(p256_sha256_aes128gcm_vectors_pass) {
  std::ifstream in(hpke_dir / "rfc9180-p256-sha256-aes128gcm.json");
  BOOST_TEST_REQUIRE(in.good());
  run_file(json::parse(in), "rfc9180-p256-sha256-aes128gcm", 4);
}
