// x509-limbo conformance: runs pki-limbo-harness on ../shared's limbo-dev.json.gz and holds
// its verdicts to the expected results, allowing only the divergences that
// limbo-exceptions.json lists with a reason. Fails on a new divergence, on an exception
// that no longer diverges, on a wrong accept of a high or critical case, on more than 10
// skips, below a 99.5% pass rate (skips count as not passed) or when the run takes 10 s or
// more. Prints the counts as "limbo: ..." lines.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "support/openssl_cli.hpp"
#include "support/process.hpp"

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const fs::path limbo_file = fs::path(PKI_CONFORMANCE_DIR) / "x509-limbo" / "limbo-dev.json.gz";
const fs::path exceptions_file = fs::path(PKI_LIMBO_EXCEPTIONS);

json load_json(const fs::path& path) {
  std::ifstream in(path);
  BOOST_TEST_REQUIRE(static_cast<bool>(in), "cannot open " << path);
  return json::parse(in);
}

struct counts {
  std::size_t passed = 0;
  std::size_t wrongly_accepted = 0;
  std::size_t wrongly_rejected = 0;
  std::size_t skipped = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(x509_limbo)

BOOST_AUTO_TEST_CASE(limbo_dev_matches_expected_results_or_a_listed_exception) {
  BOOST_TEST_REQUIRE(fs::exists(limbo_file),
                     limbo_file << " is missing: ../shared must sit beside the project");
  pki_test::temp_dir dir;
  const auto unpacked = pki_test::run_program(PKI_GZIP_EXECUTABLE, {"-dc", limbo_file.string()});
  BOOST_TEST_REQUIRE(unpacked.ok(), unpacked.err);
  const std::string input = dir.file("limbo-dev.json");
  pki_test::write_file(input, unpacked.out);

  const auto start = std::chrono::steady_clock::now();
  const auto run = pki_test::run_program(PKI_LIMBO_HARNESS, {input});
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BOOST_TEST_REQUIRE(run.ok(), run.transcript());

  const json limbo = json::parse(unpacked.out);
  const json results = json::parse(run.out);
  const json exceptions = load_json(exceptions_file);

  std::map<std::string, json> cases;
  for (const auto& tc : limbo["testcases"]) cases[tc["id"].get<std::string>()] = tc;
  std::map<std::string, std::string> allowed;  // id -> the verdict the exception expects
  for (const auto& e : exceptions["exceptions"]) {
    BOOST_TEST(!e["reason"].get<std::string>().empty(), "exception " << e["id"] << " has no reason");
    allowed[e["id"].get<std::string>()] = e["actual"].get<std::string>();
  }

  BOOST_TEST_REQUIRE(results["results"].size() == cases.size(),
                     "the harness answered a different number of cases");
  counts n;
  std::set<std::string> diverged;
  for (const auto& r : results["results"]) {
    const std::string id = r["id"].get<std::string>();
    const std::string actual = r["actual_result"].get<std::string>();
    const auto found = cases.find(id);
    BOOST_TEST_REQUIRE((found != cases.end()), "the harness answered an unknown case " << id);
    const json& tc = found->second;
    const std::string expected = tc["expected_result"].get<std::string>();
    const std::string context = r["context"].is_null() ? "" : r["context"].get<std::string>();
    if (actual == expected) {
      ++n.passed;
      continue;
    }
    diverged.insert(id);
    if (actual == "SKIPPED") {
      ++n.skipped;
    } else if (actual == "SUCCESS") {
      ++n.wrongly_accepted;
      const std::string importance = tc["importance"].get<std::string>();
      BOOST_TEST((importance != "high" && importance != "critical"),
                 "wrong accept of a " << importance << " case: " << id);
    } else {
      ++n.wrongly_rejected;
    }
    const auto exception = allowed.find(id);
    BOOST_TEST(
        (exception != allowed.end() && exception->second == actual),
        "new divergence: " << id << " expected " << expected << ", got " << actual << " (" << context << ")");
  }
  for (const auto& [id, actual] : allowed) {
    BOOST_TEST(diverged.contains(id), "stale exception: " << id << " now gets the expected result");
  }

  const double rate = 100.0 * static_cast<double>(n.passed) / static_cast<double>(cases.size());
  std::cout << "limbo: " << cases.size() << " cases, " << n.passed << " passed, " << n.wrongly_accepted
            << " wrongly accepted, " << n.wrongly_rejected << " wrongly rejected, " << n.skipped
            << " skipped\n"
            << "limbo: pass rate " << rate << "% (skips count as not passed), " << allowed.size()
            << " listed exceptions, harness run " << seconds << " s\n";
  BOOST_TEST(rate >= 99.5);
  BOOST_TEST(n.skipped <= 10U);
  BOOST_TEST(seconds < PKI_LIMBO_SECONDS,
             "the harness took " << seconds << " s (limit " << PKI_LIMBO_SECONDS << " s)");
}

BOOST_AUTO_TEST_SUITE_END()
