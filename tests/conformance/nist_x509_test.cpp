// Path-validation manifests (the format of ../shared/conformance/nist-x509/README.md) run
// through pki-path-harness: the NIST 2001 suite, every case and every policy-input variant
// held to its expected result (no exceptions), and the harness's own reading of a manifest
// (defaults, unknown keys, unparsable files, revocation_required) on hierarchies made here.
// Prints the counts as "nist: ..." lines.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <pki/pki.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "support/hierarchy.hpp"
#include "support/openssl_cli.hpp"
#include "support/process.hpp"

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path nist_manifest = fs::path(PKI_CONFORMANCE_DIR) / "nist-x509" / "nist.json";

json load_json(const fs::path& path) {
  std::ifstream in(path);
  BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot open " << path);
  return json::parse(in);
}

/// The harness's verdicts on `manifest`, by id.
std::map<std::string, json> run_harness(const fs::path& manifest) {
  const auto run = pki_test::run_program(PKI_PATH_HARNESS, {manifest.string()});
  BOOST_TEST_REQUIRE(run.ok(), run.transcript());
  const json answer = json::parse(run.out);
  std::map<std::string, json> out;
  for (const auto& r : answer["results"]) out[r["id"].get<std::string>()] = r;
  return out;
}

/// What each case and variant of `manifest` expects, by the id the harness gives it.
std::map<std::string, std::string> expectations(const json& manifest) {
  std::map<std::string, std::string> out;
  for (const auto& tc : manifest["cases"]) {
    const std::string id = tc["id"].get<std::string>();
    out[id] = tc["expected"].get<std::string>();
    std::size_t n = 0;
    for (const auto& variant : tc.value("policy_input_variants", json::array())) {
      out[id + "#" + std::to_string(++n)] = variant["expected"].get<std::string>();
    }
  }
  return out;
}

std::string context_of(const json& r) {
  return r["context"].is_null() ? std::string() : r["context"].get<std::string>();
}

// A small manifest in a scratch directory, over the shared test hierarchy.
struct scratch_manifest {
  pki_test::temp_dir dir;
  json manifest{{"cases", json::array()}};

  std::string pem_file(const std::string& name, const pki::certificate<>& cert) {
    pki_test::write_file(dir.file(name), pki_test::value_of(cert.to_pem()));
    return name;
  }
  std::string text_file(const std::string& name, const std::string& text) {
    pki_test::write_file(dir.file(name), text);
    return name;
  }
  std::map<std::string, json> run() {
    const std::string path = dir.file("manifest.json");
    pki_test::write_file(path, manifest.dump());
    return run_harness(path);
  }
};

const char* const when_text = "2026-06-01T00:00:00Z";  // pki_test::when

}  // namespace

BOOST_AUTO_TEST_SUITE(nist_x509)

BOOST_AUTO_TEST_CASE(every_nist_2001_case_and_policy_variant_gets_its_expected_result) {
  BOOST_TEST_REQUIRE(fs::exists(nist_manifest),
                     nist_manifest << " is missing: ../shared must sit beside the project");
  const json manifest = load_json(nist_manifest);
  const auto expected = expectations(manifest);
  const auto results = run_harness(nist_manifest);
  BOOST_TEST_REQUIRE(results.size() == expected.size(), "the harness answered a different number of cases");

  std::size_t passed = 0, wrongly_accepted = 0, wrongly_rejected = 0, variants = 0;
  for (const auto& [id, want] : expected) {
    if (id.find('#') != std::string::npos) ++variants;
    const auto found = results.find(id);
    BOOST_TEST_REQUIRE((found != results.end()), "no verdict for " << id);
    const std::string actual = found->second["actual_result"].get<std::string>();
    if (actual == want) {
      ++passed;
      continue;
    }
    (actual == "SUCCESS" ? wrongly_accepted : wrongly_rejected)++;
    BOOST_TEST(actual == want,
               id << ": expected " << want << ", got " << actual << " (" << context_of(found->second) << ")");
  }
  std::cout << "nist: " << expected.size() - variants << " cases and " << variants << " policy variants, "
            << passed << " passed, " << wrongly_accepted << " wrongly accepted, " << wrongly_rejected
            << " wrongly rejected\n";
  BOOST_TEST(expected.size() - variants == 76U);
  BOOST_TEST(variants == 60U);
}

BOOST_AUTO_TEST_CASE(an_unparsable_intermediate_is_left_out_and_a_valid_path_still_found) {
  const auto& h = pki_test::shared();
  scratch_manifest m;
  m.manifest["defaults"] = {{"validation_time", when_text}};
  m.manifest["cases"].push_back(
      {{"id", "good-beside-broken"},
       {"leaf", m.pem_file("leaf.pem", h.leaf.cert)},
       {"intermediates",
        {m.text_file("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
         m.pem_file("int.pem", h.inter.cert)}},
       {"anchors", {m.pem_file("root.pem", h.root.cert)}},
       {"unknown_key", {{"ignored", true}}}});
  const auto results = m.run();
  const auto& r = results.at("good-beside-broken");
  BOOST_TEST(r["actual_result"].get<std::string>() == "SUCCESS", context_of(r));
  BOOST_TEST(context_of(r).find("broken.pem") != std::string::npos,
             "the left-out file is named: " << context_of(r));
}

BOOST_AUTO_TEST_CASE(an_unparsable_leaf_fails_its_case) {
  const auto& h = pki_test::shared();
  scratch_manifest m;
  m.manifest["cases"].push_back({{"id", "broken-leaf"},
                                 {"validation_time", when_text},
                                 {"leaf", m.text_file("leaf.pem", "not a certificate")},
                                 {"intermediates", {m.pem_file("int.pem", h.inter.cert)}},
                                 {"anchors", {m.pem_file("root.pem", h.root.cert)}}});
  const auto results = m.run();
  BOOST_TEST(results.at("broken-leaf")["actual_result"].get<std::string>() == "FAILURE");
  BOOST_TEST(context_of(results.at("broken-leaf")).starts_with("leaf: "));
}

BOOST_AUTO_TEST_CASE(der_files_validation_time_and_revocation_required_are_read) {
  const auto& h = pki_test::shared();
  scratch_manifest m;
  const auto der_file = [&](const std::string& name, const pki::certificate<>& cert) {
    pki_test::write_file(m.dir.file(name), cert.der());
    return name;
  };
  const json files = {{"leaf", der_file("leaf.der", h.leaf.cert)},
                      {"intermediates", {der_file("int.der", h.inter.cert)}},
                      {"anchors", {der_file("root.der", h.root.cert)}}};
  const auto add = [&](const std::string& id, json extra) {
    json tc = files;
    tc["id"] = id;
    for (const auto& [key, value] : extra.items()) tc[key] = value;
    m.manifest["cases"].push_back(tc);
  };
  m.manifest["defaults"] = {{"validation_time", when_text}, {"revocation_required", false}};
  add("valid", json::object());
  add("after-the-leaf-expired", {{"validation_time", "2027-06-01T00:00:00Z"}});
  add("revocation-required-without-crls", {{"revocation_required", true}});
  const auto results = m.run();
  BOOST_TEST(results.at("valid")["actual_result"].get<std::string>() == "SUCCESS",
             context_of(results.at("valid")));
  BOOST_TEST(results.at("after-the-leaf-expired")["actual_result"].get<std::string>() == "FAILURE");
  BOOST_TEST(context_of(results.at("after-the-leaf-expired")).find("notAfter") != std::string::npos,
             context_of(results.at("after-the-leaf-expired")));
  BOOST_TEST(results.at("revocation-required-without-crls")["actual_result"].get<std::string>() == "FAILURE");
}

BOOST_AUTO_TEST_CASE(a_manifest_that_is_not_json_breaks_the_harness_with_exit_status_2) {
  scratch_manifest m;
  const auto run =
      pki_test::run_program(PKI_PATH_HARNESS, {m.dir.file(m.text_file("manifest.json", "{ not json"))});
  BOOST_TEST(run.exit_status == 2, run.transcript());
  BOOST_TEST(run.err.find("not JSON") != std::string::npos, run.err);
}

BOOST_AUTO_TEST_SUITE_END()
