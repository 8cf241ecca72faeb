// Wycheproof vectors (C2SP/wycheproof, testvectors_v1) for the encryption primitives: ECDH
// on P-256 and P-384 with the peer key as SubjectPublicKeyInfo ("asn") and as a raw point
// ("ecpoint"), RSA-OAEP decryption, AES-GCM and HKDF. Every `valid` case must give the
// expected output and every `invalid` one must fail; `acceptable` cases are counted apart.
// RSA-OAEP groups whose MGF1 hash differs from the label hash are out of reach of mbedTLS
// 3.6 (one hash for both): they are counted as skipped, never as passed, and no other skip
// is allowed.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <pki/pki.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "support/expect.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path vectors_dir = fs::path(PKI_CONFORMANCE_DIR) / "wycheproof" / "testvectors_v1";

struct tally {
  std::size_t tests = 0, valid = 0, valid_passed = 0, invalid = 0, invalid_rejected = 0, acceptable = 0,
              acceptable_accepted = 0, skipped = 0;
  [[nodiscard]] std::size_t wrong() const { return (valid - valid_passed) + (invalid - invalid_rejected); }
  tally& operator+=(const tally& o) {
    tests += o.tests, valid += o.valid, valid_passed += o.valid_passed, invalid += o.invalid;
    invalid_rejected += o.invalid_rejected, acceptable += o.acceptable,
        acceptable_accepted += o.acceptable_accepted;
    skipped += o.skipped;
    return *this;
  }
};

std::ostream& operator<<(std::ostream& out, const tally& t) {
  return out << t.tests << " tests, valid " << t.valid_passed << '/' << t.valid << " passed, invalid "
             << t.invalid_rejected << '/' << t.invalid << " rejected, acceptable " << t.acceptable
             << " (accepted " << t.acceptable_accepted << "), skipped " << t.skipped;
}

tally& grand_total() {
  static tally total;
  return total;
}

struct print_grand_total {
  void setup() {}
  void teardown() {
    std::cout << "wycheproof encryption total: " << grand_total() << ", wrong verdicts "
              << grand_total().wrong() << std::endl;
  }
};
BOOST_TEST_GLOBAL_FIXTURE(print_grand_total);

pki::byte_buffer hex(const json& j, const char* field) {
  auto bytes = pki::from_hex(j.at(field).get<std::string>());
  BOOST_TEST_REQUIRE(bytes.has_value(), field << " is not hex");
  return *bytes;
}

std::optional<pki::hash_algorithm> hash_named(std::string_view name) {
  if (name == "SHA-1") return pki::hash_algorithm::sha1;
  if (name == "SHA-224") return pki::hash_algorithm::sha224;
  if (name == "SHA-256") return pki::hash_algorithm::sha256;
  if (name == "SHA-384") return pki::hash_algorithm::sha384;
  if (name == "SHA-512") return pki::hash_algorithm::sha512;
  return std::nullopt;
}

/// What a case gave: the output, or the error.
using outcome = pki::result<pki::byte_buffer>;

template <class Buffer>
outcome as_outcome(pki::result<Buffer>&& r) {
  if (!r) return std::unexpected(r.error());
  return pki::byte_buffer(r->begin(), r->end());
}

/// A group's runner: per test case, the outcome, or nullopt with `skip` set to skip it.
using group_runner = std::function<std::optional<outcome>(const json& test, std::string& skip)>;
/// Prepares a group: its runner, or an empty one with the reason the group is skipped.
using group_preparer = std::function<group_runner(const json& group, std::string& skip)>;
/// The output a valid case must give.
using expected_output = std::function<pki::byte_buffer(const json& test)>;

tally run_file(const std::string& file, const group_preparer& prepare, const expected_output& expected,
               std::size_t floor) {
  tally counts;
  std::map<std::string, std::size_t> skipped_by_reason;
  std::ifstream in(vectors_dir / file);
  BOOST_TEST_REQUIRE(in.good(), "missing Wycheproof file " << (vectors_dir / file).string());
  const json doc = json::parse(in);
  for (const json& group : doc.at("testGroups")) {
    std::string group_skip;
    const group_runner run = prepare(group, group_skip);
    for (const json& test : group.at("tests")) {
      ++counts.tests;
      const auto id = test.at("tcId").get<int>();
      const auto verdict = test.at("result").get<std::string>();
      std::string skip = group_skip;
      std::optional<outcome> got;
      if (skip.empty()) got = run(test, skip);
      if (!skip.empty()) {
        ++counts.skipped;
        ++skipped_by_reason[skip];
        continue;
      }
      const bool accepted = got->has_value();
      if (verdict == "valid") {
        ++counts.valid;
        const bool right = accepted && **got == expected(test);
        if (right) ++counts.valid_passed;
        BOOST_TEST(right, file << " tcId " << id << " (" << test.at("comment").get<std::string>()
                               << "): valid case "
                               << (accepted ? "gave another output" : "failed: " + got->error().message()));
      } else if (verdict == "invalid") {
        ++counts.invalid;
        if (!accepted) ++counts.invalid_rejected;
        BOOST_TEST(!accepted, file << " tcId " << id << " (" << test.at("comment").get<std::string>()
                                   << ", flags " << test.at("flags").dump() << "): invalid case accepted");
      } else {
        ++counts.acceptable;
        if (accepted) ++counts.acceptable_accepted;
      }
    }
  }
  BOOST_TEST(counts.tests == doc.at("numberOfTests").get<std::size_t>());
  BOOST_TEST(counts.valid + counts.invalid >= floor, file << ": too few cases ran");
  std::cout << "wycheproof " << file << ": " << counts << '\n';
  for (const auto& [reason, n] : skipped_by_reason) std::cout << "  skipped " << n << ": " << reason << '\n';
  std::cout << std::flush;
  grand_total() += counts;
  return counts;
}

/// Wycheproof's private scalars are big-endian, sometimes with a leading zero byte.
pki::byte_buffer scalar_of(pki::byte_buffer raw, std::size_t size) {
  while (raw.size() > size && raw.front() == 0) raw.erase(raw.begin());
  if (raw.size() < size) raw.insert(raw.begin(), size - raw.size(), 0);
  return raw;
}

template <class Tag>
void run_ecdh(const std::string& file, bool spki, std::size_t floor) {
  const std::size_t scalar_size = (Tag::id.bits + 7) / 8;
  run_file(
      file,
      [&](const json&, std::string&) -> group_runner {
        return [&](const json& test, std::string&) -> std::optional<outcome> {
          auto mine = pki::private_key_from_raw<Tag>(scalar_of(hex(test, "private"), scalar_size));
          BOOST_TEST_REQUIRE(mine.has_value(), "private key: " << pki_test::error_text(mine));
          if (!spki) return as_outcome(pki::ecdh(*mine, hex(test, "public")));
          auto peer = pki::public_key<>::from_der(hex(test, "public"));
          if (!peer) return std::unexpected(peer.error());
          auto typed = peer->narrow<Tag>();
          if (!typed) return std::unexpected(typed.error());
          return as_outcome(pki::ecdh(*mine, *typed));
        };
      },
      [](const json& test) { return hex(test, "shared"); }, floor);
}

}  // namespace

BOOST_AUTO_TEST_CASE(ecdh_p256_p384_give_wycheproof_verdicts_in_both_encodings) {
  run_ecdh<pki::ecdsa_p256>("ecdh_secp256r1_test.json", true, 350);
  run_ecdh<pki::ecdsa_p256>("ecdh_secp256r1_ecpoint_test.json", false, 350);
  run_ecdh<pki::ecdsa_p384>("ecdh_secp384r1_test.json", true, 350);
  run_ecdh<pki::ecdsa_p384>("ecdh_secp384r1_ecpoint_test.json", false, 150);
}

BOOST_AUTO_TEST_CASE(rsa_oaep_decrypt_gives_wycheproof_verdicts) {
  std::size_t run = 0;
  for (const auto& entry : fs::directory_iterator(vectors_dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("rsa_oaep_")) continue;
    const tally t = run_file(
        name,
        [](const json& group, std::string& skip) -> group_runner {
          const auto sha = group.at("sha").get<std::string>();
          const auto mgf_sha = group.at("mgfSha").get<std::string>();
          if (sha != mgf_sha) {
            skip = "MGF1 hash differs from the label hash (mbedTLS 3.6 uses one hash for both)";
            return {};
          }
          const auto hash = hash_named(sha);
          BOOST_TEST_REQUIRE(hash.has_value(), "unknown hash " << sha);
          auto key = pki::private_key<>::from_der(hex(group, "privateKeyPkcs8"));
          BOOST_TEST_REQUIRE(key.has_value(), "private key: " << pki_test::error_text(key));
          auto shared = std::make_shared<pki::private_key<>>(std::move(*key));
          return [shared, hash](const json& test, std::string& case_skip) -> std::optional<outcome> {
            const auto label = hex(test, "label");
            auto r = pki::rsa_oaep_decrypt(*shared, hex(test, "ct"), {.hash = *hash, .label = label});
            if (!r && r.error().code() == pki::errc::unsupported) {
              case_skip = r.error().message();
              return std::nullopt;
            }
            // No oracle: every failure to decrypt is one reason.
            if (!r) BOOST_TEST((r.error().code() == pki::errc::decryption_failed), r.error().message());
            return as_outcome(std::move(r));
          };
        },
        [](const json& test) { return hex(test, "msg"); }, 0);
    // Only the groups with a separate MGF1 hash may be skipped.
    BOOST_TEST((t.skipped == 0u || name == "rsa_oaep_misc_test.json"), name << " skipped cases");
    run += t.valid + t.invalid;
  }
  BOOST_TEST(run >= 290u);
}

BOOST_AUTO_TEST_CASE(aes_gcm_gives_wycheproof_verdicts) {
  run_file(
      "aes_gcm_test.json",
      [](const json& group, std::string&) -> group_runner {
        const auto tag_size = group.at("tagSize").get<std::size_t>() / 8;
        return [tag_size](const json& test, std::string&) -> std::optional<outcome> {
          auto key = pki::aead_key::create(pki::aead_cipher::aes_gcm, hex(test, "key"), tag_size);
          if (!key) return std::unexpected(key.error());
          auto sealed = hex(test, "ct");
          const auto tag = hex(test, "tag");
          sealed.insert(sealed.end(), tag.begin(), tag.end());
          const auto iv = hex(test, "iv");
          const auto aad = hex(test, "aad");
          auto opened = key->open(iv, aad, sealed);
          if (opened && test.at("result") == "valid") {
            // A valid case must also encrypt to the vector's ciphertext and tag.
            auto again = key->seal(iv, aad, hex(test, "msg"));
            BOOST_TEST((again.has_value() && *again == sealed),
                       "tcId " << test.at("tcId") << ": encryption differs");
          }
          return as_outcome(std::move(opened));
        };
      },
      [](const json& test) { return hex(test, "msg"); }, 300);
}

BOOST_AUTO_TEST_CASE(hkdf_gives_wycheproof_verdicts) {
  for (const auto& [file, hash] : {std::pair{"hkdf_sha256_test.json", pki::hash_algorithm::sha256},
                                   std::pair{"hkdf_sha384_test.json", pki::hash_algorithm::sha384},
                                   std::pair{"hkdf_sha512_test.json", pki::hash_algorithm::sha512}}) {
    run_file(
        file,
        [hash](const json&, std::string&) -> group_runner {
          return [hash](const json& test, std::string&) -> std::optional<outcome> {
            const auto size = test.at("size").get<std::size_t>();
            return as_outcome(pki::hkdf(hash, hex(test, "ikm"), hex(test, "salt"), hex(test, "info"), size));
          };
        },
        [](const json& test) { return hex(test, "okm"); }, 80);
  }
}
