// pki-path-harness MANIFEST.json: runs a path-validation manifest (the format of
// ../shared/conformance/nist-x509/README.md) through pki::validator and writes the verdicts
// on standard output in the x509-limbo harness format, {"results":[{"id","actual_result",
// "context"}]}. Exit status 0 unless the harness itself broke (an unreadable manifest).
//
// Every case is judged by RFC 5280 section 6 path validation and nothing else: the
// strict_rfc5280 policy below, with revocation required (policy::crl_required) when the
// case says so and the case's certificate-policy inputs (RFC 5280 6.1.1 (c), (e)-(g)).
// Files are read as a relying party reads what it is sent: a leaf that does not parse
// fails its case; an intermediate, anchor or CRL that does not parse is unusable, left out
// (the path builder may still find another path). A case's policy_input_variants run as
// cases of their own, "<id>#<n>" (n from 1), with the variant's keys over the case's.
// Keys the harness does not know are ignored.

#include <nlohmann/json.hpp>
#include <pki/pki.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "harness.hpp"

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
namespace policy = pki::policy;
using pki_harness::validate;
using pki_harness::verdict;

/// RFC 5280 section 6 path validation (names, validity, basic constraints, key usage of
/// issuers, pathLenConstraint, certificate policies, unknown critical extensions:
/// rfc5280_path), name constraints, CRLs used when given; none of section 4's profile rules
/// on conforming CAs (rfc5280_profile): the relying party's algorithm, not the CA's duties.
using strict_rfc5280 = policy::rfc5280_strict_path;
/// The same with every certificate below the anchor covered by a usable CRL.
using strict_rfc5280_revocation =
    pki::policies<policy::rfc5280_path, policy::name_constraints, policy::crl_required>;

/// A case's inputs: the manifest's defaults, then the case, then (for a variant) the variant.
json merged(const json& defaults, const json& tc, const json* variant) {
  json out = defaults.is_object() ? defaults : json::object();
  for (const auto& [key, value] : tc.items()) out[key] = value;
  if (variant != nullptr) {
    for (const auto& [key, value] : variant->items()) out[key] = value;
  }
  return out;
}

std::string read_file(const fs::path& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The certificates of one file: PEM (one or more blocks) or a single DER certificate.
std::vector<pki::certificate<>> read_certificates(const fs::path& path, std::string& problem) {
  bool ok = false;
  const std::string text = read_file(path, ok);
  if (!ok) {
    problem = "cannot read " + path.string();
    return {};
  }
  std::vector<pki::certificate<>> out;
  if (text.find("-----BEGIN ") == std::string::npos) {
    auto cert = pki::certificate<>::from_der(pki::as_bytes(text));
    if (cert) {
      out.push_back(std::move(*cert));
    } else {
      problem = path.filename().string() + ": " + cert.error().message();
    }
    return out;
  }
  for (auto& cert : pki::certificate<>::parse_each(text)) {
    if (cert) {
      out.push_back(std::move(*cert));
    } else {
      problem = path.filename().string() + ": " + cert.error().message();
    }
  }
  if (out.empty() && problem.empty()) problem = path.filename().string() + ": no certificate";
  return out;
}

/// The CRL of one file, PEM or DER; nullopt (with the reason) when it does not parse.
std::optional<pki::crl> read_crl(const fs::path& path, std::string& problem) {
  bool ok = false;
  const std::string text = read_file(path, ok);
  if (!ok) {
    problem = "cannot read " + path.string();
    return std::nullopt;
  }
  auto list = text.find("-----BEGIN ") == std::string::npos ? pki::crl::from_der(pki::as_bytes(text))
                                                            : pki::crl::from_pem(text);
  if (!list) {
    problem = path.filename().string() + ": " + list.error().message();
    return std::nullopt;
  }
  return std::move(*list);
}

/// The manifest's file names: one string or a list of them.
std::vector<std::string> names(const json& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_array()) {
    for (const auto& item : value) out.push_back(item.get<std::string>());
  }
  return out;
}

verdict run_case(const fs::path& base, const json& tc) {
  std::string notes;
  const auto note = [&](const std::string& problem) {
    if (!problem.empty()) notes += (notes.empty() ? "" : "; ") + problem + " (left out)";
  };

  pki::validation_options options;
  if (tc.contains("validation_time") && tc["validation_time"].is_string()) {
    auto t = pki_harness::parse_time(tc["validation_time"].get<std::string>());
    if (!t) return {"FAILURE", "unparsable validation time"};
    options.time = *t;
  }
  std::vector<pki::object_identifier> initial_policies;
  for (const auto& text : names(tc.value("user_initial_policy_set", json::array()))) {
    auto oid = pki::object_identifier::parse(text);
    if (!oid) return {"FAILURE", "unparsable policy OID " + text};
    initial_policies.push_back(std::move(*oid));
  }
  options.user_initial_policy_set = initial_policies;
  options.initial_explicit_policy = tc.value("initial_explicit_policy", false);
  options.initial_policy_mapping_inhibit = tc.value("initial_policy_mapping_inhibit", false);
  options.initial_any_policy_inhibit = tc.value("initial_any_policy_inhibit", false);

  std::vector<pki::crl> crls;
  for (const auto& name : names(tc.value("crls", json::array()))) {
    std::string problem;
    if (auto list = read_crl(base / name, problem)) crls.push_back(std::move(*list));
    note(problem);
  }
  options.crls = crls;

  std::vector<pki::certificate<>> roots;
  for (const auto& name : names(tc.value("anchors", json::array()))) {
    std::string problem;
    auto certs = read_certificates(base / name, problem);
    std::move(certs.begin(), certs.end(), std::back_inserter(roots));
    note(problem);
  }
  std::vector<pki::certificate<>> intermediates;
  for (const auto& name : names(tc.value("intermediates", json::array()))) {
    std::string problem;
    auto certs = read_certificates(base / name, problem);
    std::move(certs.begin(), certs.end(), std::back_inserter(intermediates));
    note(problem);
  }
  std::string problem;
  auto leaves = read_certificates(base / tc.value("leaf", std::string()), problem);
  if (leaves.size() != 1) {
    return {"FAILURE", "leaf: " + (problem.empty() ? std::string("more than one certificate") : problem)};
  }

  const pki::trust_store anchors(roots);
  verdict out = tc.value("revocation_required", false)
                    ? validate<strict_rfc5280_revocation>(leaves.front(), anchors, intermediates, options)
                    : validate<strict_rfc5280>(leaves.front(), anchors, intermediates, options);
  if (!notes.empty()) out.context += (out.context.empty() ? "" : " | ") + notes;
  return out;
}

json result_of(const std::string& id, const verdict& v) {
  return {{"id", id},
          {"actual_result", v.actual},
          {"context", v.context.empty() ? json(nullptr) : json(v.context)}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: pki-path-harness MANIFEST.json\n";
    return 2;
  }
  const fs::path manifest_path = argv[1];
  json manifest;
  try {
    std::ifstream file(manifest_path);
    if (!file) {
      std::cerr << "pki-path-harness: cannot open " << manifest_path << '\n';
      return 2;
    }
    manifest = json::parse(file);
  } catch (const std::exception& e) {
    std::cerr << "pki-path-harness: the manifest is not JSON: " << e.what() << '\n';
    return 2;
  }
  const fs::path base = manifest_path.parent_path();
  const json defaults = manifest.value("defaults", json::object());
  json results = json::array();
  try {
    for (const auto& tc : manifest.at("cases")) {
      const std::string id = tc.at("id").get<std::string>();
      results.push_back(result_of(id, run_case(base, merged(defaults, tc, nullptr))));
      std::size_t n = 0;
      for (const auto& variant : tc.value("policy_input_variants", json::array())) {
        const json inputs = merged(defaults, tc, &variant);
        results.push_back(result_of(id + "#" + std::to_string(++n), run_case(base, inputs)));
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "pki-path-harness: a malformed manifest: " << e.what() << '\n';
    return 2;
  }
  std::cout << json{{"version", 1}, {"harness", "pki"}, {"results", results}}.dump(1) << '\n';
  return 0;
}
