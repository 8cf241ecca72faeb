// Wycheproof signature verification vectors (C2SP/wycheproof, testvectors_v1) run through
// public_key<>::verify: ECDSA on P-256 and P-384 (DER and IEEE P1363), RSA PKCS#1 v1.5 and
// RSA-PSS. Every `valid` case must verify and every `invalid` case must be rejected as
// bad_signature; `acceptable` cases are counted apart. A group whose key or parameters the
// library cannot take is counted as skipped, never as passed.

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
#include <ostream>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const fs::path vectors_dir = fs::path(PKI_CONFORMANCE_DIR) / "wycheproof" / "testvectors_v1";

enum class scheme : std::uint8_t { ecdsa, rsa_pkcs1_v15, rsa_pss };

/// Counts for one file, or summed over several. Skipped tests are in no other count.
struct tally {
  std::size_t tests = 0;
  std::size_t valid = 0;
  std::size_t valid_passed = 0;
  std::size_t invalid = 0;
  std::size_t invalid_rejected = 0;
  std::size_t acceptable = 0;
  std::size_t acceptable_accepted = 0;
  std::size_t skipped = 0;

  [[nodiscard]] std::size_t run() const { return valid + invalid + acceptable; }
  [[nodiscard]] std::size_t wrong_verdicts() const {
    return (valid - valid_passed) + (invalid - invalid_rejected);
  }

  tally& operator+=(const tally& other) {
    tests += other.tests;
    valid += other.valid;
    valid_passed += other.valid_passed;
    invalid += other.invalid;
    invalid_rejected += other.invalid_rejected;
    acceptable += other.acceptable;
    acceptable_accepted += other.acceptable_accepted;
    skipped += other.skipped;
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

// The total line is printed once every test case has run, whichever of them were selected.
struct print_grand_total {
  void setup() {}
  void teardown() {
    std::cout << "wycheproof total: " << grand_total() << ", wrong verdicts "
              << grand_total().wrong_verdicts() << std::endl;
  }
};
BOOST_TEST_GLOBAL_FIXTURE(print_grand_total);

/// The library's hash for a Wycheproof name ("SHA-256"); none for hashes it does not offer.
std::optional<pki::hash_algorithm> hash_named(std::string_view name) {
  if (name == "SHA-1") return pki::hash_algorithm::sha1;
  if (name == "SHA-224") return pki::hash_algorithm::sha224;
  if (name == "SHA-256") return pki::hash_algorithm::sha256;
  if (name == "SHA-384") return pki::hash_algorithm::sha384;
  if (name == "SHA-512") return pki::hash_algorithm::sha512;
  return std::nullopt;
}

/// Why a hash named in a group cannot be used (empty when it can).
std::string hash_unusable(std::string_view name, std::optional<pki::hash_algorithm> alg) {
  if (!alg) return "hash " + std::string(name) + " is not one the library offers";
  // A hash compiled out of mbedTLS would make every verification fail, and so every
  // invalid case look rejected: such a group is skipped instead.
  if (auto probe = pki::hash(*alg, {}); !probe)
    return "hash " + std::string(name) + ": " + probe.error().message();
  return {};
}

std::optional<pki::curve> curve_named(std::string_view name) {
  if (name == "secp256r1") return pki::curve::p256;
  if (name == "secp384r1") return pki::curve::p384;
  if (name == "secp521r1") return pki::curve::p521;
  return std::nullopt;
}

pki::result<pki::public_key<>> key_from_hex(const json& group, const char* field) {
  auto der = pki::from_hex(group.at(field).get<std::string>());
  if (!der) return std::unexpected(der.error());
  return pki::public_key<>::from_der(*der);
}

/// A test group made ready to run: its key and options, or why it cannot run.
struct prepared_group {
  std::optional<pki::public_key<>> key;
  pki::signature_options options;
  std::string skip_reason;  ///< non-empty when the group is skipped
  std::string key_note;     ///< set when the key came from another field than publicKeyDer
};

prepared_group prepare(const json& group, scheme kind) {
  prepared_group prepared;
  const auto hash_name = group.at("sha").get<std::string>();
  const auto hash = hash_named(hash_name);
  if (prepared.skip_reason = hash_unusable(hash_name, hash); !prepared.skip_reason.empty()) return prepared;
  prepared.options.hash = hash;

  if (kind == scheme::ecdsa) {
    const auto type = group.at("type").get<std::string>();
    if (type == "EcdsaVerify") {
      prepared.options.encoding = pki::ecdsa_encoding::der;
    } else if (type == "EcdsaP1363Verify") {
      prepared.options.encoding = pki::ecdsa_encoding::raw;
    } else {
      prepared.skip_reason = "group type " + type + " is not ECDSA verification";
      return prepared;
    }
  } else if (kind == scheme::rsa_pkcs1_v15) {
    prepared.options.padding = pki::rsa_padding::pkcs1_v15;
  } else {
    prepared.options.padding = pki::rsa_padding::pss;
    const auto mgf = group.at("mgf").get<std::string>();
    if (mgf != "MGF1") {
      prepared.skip_reason = "mask generation function " + mgf + " is not MGF1";
      return prepared;
    }
    const auto mgf_hash_name = group.at("mgfSha").get<std::string>();
    const auto mgf_hash = hash_named(mgf_hash_name);
    if (prepared.skip_reason = hash_unusable(mgf_hash_name, mgf_hash); !prepared.skip_reason.empty()) {
      prepared.skip_reason = "MGF1 " + prepared.skip_reason;
      return prepared;
    }
    prepared.options.mgf1_hash = mgf_hash;
    prepared.options.pss_salt_length = group.at("sLen").get<std::size_t>();
  }

  auto key = key_from_hex(group, "publicKeyDer");
  // mbedTLS reads no id-RSASSA-PSS SubjectPublicKeyInfo; the same key as RSAPublicKey is
  // verified with the group's parameters, which are those the SPKI names.
  if (!key && kind == scheme::rsa_pss && group.contains("publicKeyAsn")) {
    prepared.key_note =
        "publicKeyDer did not load (" + key.error().message() + "), keyed from publicKeyAsn (RSAPublicKey)";
    key = key_from_hex(group, "publicKeyAsn");
  }
  if (!key) {
    prepared.skip_reason = "public key does not load: " + key.error().message();
    return prepared;
  }
  prepared.key = std::move(*key);
  return prepared;
}

/// Why the loaded key is not the one the group describes (empty when it is).
std::string key_mismatch(const pki::public_key<>& key, const json& group, scheme kind) {
  const pki::key_algorithm& alg = key.algorithm();
  if (kind == scheme::ecdsa) {
    const auto curve_name = group.at("publicKey").at("curve").get<std::string>();
    if (alg.type != pki::key_type::ec || curve_named(curve_name) != alg.ec_curve)
      return "key loaded as " + std::string(alg.name()) + ", the group says " + curve_name;
    return {};
  }
  const auto bits = group.at("keySize").get<std::size_t>();
  if (alg.type != pki::key_type::rsa || alg.bits != bits)
    return "key loaded as " + std::string(alg.name()) + " of " + std::to_string(alg.bits) +
           " bits, the group says RSA of " + std::to_string(bits);
  return {};
}

/// One file's counts, and the reasons and notes printed under its count line.
struct file_report {
  std::string file;
  scheme kind;
  tally counts{};
  std::map<std::string, std::size_t> skipped_by_reason{};  ///< tests skipped, per reason
  std::map<std::string, std::size_t> key_notes{};          ///< groups, per note

  /// Counts `n` tests as skipped. Every test in these files is one the library must run
  /// (RSA-PSS with a separate MGF1 hash included), so a skip is also a failure; it is still
  /// counted, so the printed totals say what was not run.
  void skip(std::size_t n, const std::string& reason, const std::string& where) {
    counts.skipped += n;
    skipped_by_reason[reason] += n;
    BOOST_TEST(false, file << ' ' << where << " (" << n << " tests) skipped: " << reason);
  }
};

/// Runs one test case of a prepared group and counts its verdict.
void run_case(const json& test, const prepared_group& group, file_report& report) {
  tally& counts = report.counts;
  const std::string& file = report.file;
  const auto id = test.at("tcId").get<int>();
  const auto expected = test.at("result").get<std::string>();
  const auto comment = test.at("comment").get<std::string>();
  const auto message = pki::from_hex(test.at("msg").get<std::string>());
  const auto sig = pki::from_hex(test.at("sig").get<std::string>());
  if (!message || !sig) {
    BOOST_TEST(false, file << " tcId " << id << ": msg or sig is not hex");
    return;
  }
  const pki::result<void> r = group.key->verify(*message, *sig, group.options);
  // The library declining to judge is neither a pass nor a rejection.
  if (!r && r.error().code() == pki::errc::unsupported) {
    report.skip(1, r.error().message(), "tcId " + std::to_string(id));
    return;
  }

  if (expected == "valid") {
    ++counts.valid;
    if (r) {
      ++counts.valid_passed;
    } else {
      BOOST_TEST(false, file << " tcId " << id << " (" << comment
                             << "): valid signature rejected: " << r.error().message());
    }
  } else if (expected == "invalid") {
    ++counts.invalid;
    if (!r) {
      ++counts.invalid_rejected;
      // Rejected for another reason than the signature (out of memory, a bad argument)
      // would hide whether the library checks what the case is about.
      BOOST_TEST((r.error().code() == pki::errc::bad_signature),
                 file << " tcId " << id << " (" << comment
                      << "): invalid signature rejected, but not as bad_signature: " << r.error().message());
    } else {
      BOOST_TEST(false, file << " tcId " << id << " (" << comment << ", flags " << test.at("flags").dump()
                             << "): invalid signature accepted");
    }
  } else if (expected == "acceptable") {
    ++counts.acceptable;
    if (r) ++counts.acceptable_accepted;
  } else {
    BOOST_TEST(false, file << " tcId " << id << ": unknown result \"" << expected << '"');
  }
}

/// Runs every test of one file, prints its count line and returns the counts.
tally run_file(const std::string& file, scheme kind) {
  file_report report{.file = file, .kind = kind};
  tally& counts = report.counts;
  const fs::path path = vectors_dir / file;
  std::ifstream in(path);
  if (!in) {
    BOOST_TEST(false, "missing Wycheproof file " << path.string() << " (the conformance data is read from "
                                                 << PKI_CONFORMANCE_DIR << ')');
    return counts;
  }
  try {
    const json doc = json::parse(in);
    std::size_t group_index = 0;
    for (const json& group : doc.at("testGroups")) {
      const json& tests = group.at("tests");
      const std::string where = "group " + std::to_string(group_index++);
      counts.tests += tests.size();
      prepared_group prepared = prepare(group, kind);
      if (prepared.skip_reason.empty()) {
        if (std::string mismatch = key_mismatch(*prepared.key, group, kind); !mismatch.empty()) {
          BOOST_TEST(false, file << ' ' << where << ": " << mismatch);
          prepared.skip_reason = mismatch;
        }
      }
      if (!prepared.skip_reason.empty()) {
        report.skip(tests.size(), prepared.skip_reason, where);
        continue;
      }
      if (!prepared.key_note.empty()) ++report.key_notes[prepared.key_note];
      for (const json& test : tests) run_case(test, prepared, report);
    }
    const auto declared = doc.at("numberOfTests").get<std::size_t>();
    BOOST_TEST(counts.tests == declared,
               file << ": counted " << counts.tests << " tests, the file says " << declared);
  } catch (const json::exception& e) {
    BOOST_TEST(false, file << ": not a Wycheproof test file this test understands: " << e.what());
  }
  BOOST_TEST(counts.tests > 0u, file << " has no tests");

  std::cout << "wycheproof " << file << ": " << counts << '\n';
  for (const auto& [reason, n] : report.skipped_by_reason)
    std::cout << "  skipped " << n << ": " << reason << '\n';
  for (const auto& [note, n] : report.key_notes) std::cout << "  " << n << " group(s): " << note << '\n';
  std::cout << std::flush;
  return counts;
}

/// Runs the files a family must have plus any other file in the directory that matches
/// `pattern`, so that none is left out silently; fails when fewer than `floor` tests ran.
void run_family(scheme kind, const std::vector<std::string>& required, const std::regex& pattern,
                std::size_t floor) {
  std::set<std::string> files(required.begin(), required.end());
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(vectors_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, pattern)) files.insert(name);
  }
  BOOST_TEST(!ec, "cannot list " << vectors_dir.string() << ": " << ec.message());

  tally family;
  for (const std::string& file : files) family += run_file(file, kind);
  grand_total() += family;
  BOOST_TEST(family.run() >= floor,
             "only " << family.run() << " tests ran (at least " << floor << " expected): " << family);
}

}  // namespace

BOOST_AUTO_TEST_CASE(ecdsa_p256_p384_verify_gives_wycheproof_verdicts) {
  run_family(scheme::ecdsa,
             {
                 "ecdsa_secp256r1_sha256_test.json",
                 "ecdsa_secp256r1_sha256_p1363_test.json",
                 "ecdsa_secp256r1_sha512_test.json",
                 "ecdsa_secp256r1_sha512_p1363_test.json",
                 "ecdsa_secp384r1_sha256_test.json",
                 "ecdsa_secp384r1_sha384_test.json",
                 "ecdsa_secp384r1_sha384_p1363_test.json",
                 "ecdsa_secp384r1_sha512_test.json",
                 "ecdsa_secp384r1_sha512_p1363_test.json",
             },
             std::regex(R"(ecdsa_secp(256|384)r1_sha(256|384|512)(_.*)?_test\.json)"), 3500);
}

BOOST_AUTO_TEST_CASE(rsa_pkcs1_v15_verify_gives_wycheproof_verdicts) {
  std::vector<std::string> required;
  for (const char* bits : {"2048", "3072", "4096"}) {
    for (const char* sha : {"256", "384", "512"}) {
      required.push_back(std::string("rsa_signature_") + bits + "_sha" + sha + "_test.json");
    }
  }
  run_family(scheme::rsa_pkcs1_v15, required, std::regex(R"(rsa_signature_.*_test\.json)"), 2200);
}

BOOST_AUTO_TEST_CASE(rsa_pss_verify_gives_wycheproof_verdicts) {
  run_family(scheme::rsa_pss,
             {
                 "rsa_pss_2048_sha256_mgf1_0_test.json",
                 "rsa_pss_2048_sha256_mgf1_32_test.json",
                 "rsa_pss_2048_sha256_mgf1_32_params_test.json",
                 "rsa_pss_2048_sha384_mgf1_48_test.json",
                 "rsa_pss_3072_sha256_mgf1_32_test.json",
                 "rsa_pss_4096_sha256_mgf1_32_test.json",
                 "rsa_pss_4096_sha384_mgf1_48_test.json",
                 "rsa_pss_4096_sha512_mgf1_64_test.json",
                 "rsa_pss_misc_test.json",
                 "rsa_pss_misc_params_test.json",
             },
             std::regex(R"(rsa_pss_.*_test\.json)"), 800);
}
