// pki-limbo-harness: runs x509-limbo test cases through pki::validator and writes the
// verdicts, as the harness protocol of ../shared/conformance/README.md says: the limbo
// JSON on standard input (or in the file named by the one argument), results JSON on
// standard output. Exit status 0 unless the harness itself broke.
//
// SERVER cases are validated under policy::web_server (serverAuth unless the case asks for
// other purposes), CLIENT cases under a client preset (clientAuth, the peer name checked
// when given). Limbo's families name the profile they test: a case of an "rfc5280::" family
// is judged by RFC 5280 alone (policy::rfc5280_server / rfc5280_client), without the
// CA/Browser Forum's rules, which RFC 5280 does not make; the "webpki::" families by all of
// web_server; the others (BetterTLS, pathological chains, CVEs, CRLs) by web_server without
// its common-name rule, BR 7.1.4.3, which their generators do not follow (every BetterTLS
// leaf is "CN=EE") and which is not what they test. A case is SKIPPED only when it asks for what is out of
// scope: an rfc822 peer name or a restricted set of signature algorithms.

#include <nlohmann/json.hpp>
#include <pki/pki.hpp>

#include "harness.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using json = nlohmann::json;
namespace policy = pki::policy;
using pki_harness::validate;
using pki_harness::verdict;

/// The limbo web profile for clients: everything web_server has but the server purpose.
using web_client =
    pki::policies<policy::rfc5280, policy::name_constraints, policy::client_auth, policy::hostname,
                  policy::web_pki, policy::modern_algorithms, policy::crl_check>;

/// web_server without policy::subscriber_common_name.
using web_server_cn_unread =
    pki::policies<policy::rfc5280, policy::name_constraints, policy::server_auth, policy::hostname,
                  policy::web_pki, policy::modern_algorithms, policy::max_depth<8>, policy::crl_check>;

verdict skipped(std::string why) {
  return {"SKIPPED", std::move(why)};
}
verdict failure(std::string why) {
  return {"FAILURE", std::move(why)};
}

std::vector<pki::certificate<>> parse_certificates(const json& list, std::size_t& unparsable) {
  std::vector<pki::certificate<>> out;
  for (const auto& pem : list) {
    auto cert = pki::certificate<>::from_pem(pem.get<std::string>());
    if (cert) {
      out.push_back(std::move(*cert));
    } else {
      ++unparsable;
    }
  }
  return out;
}

verdict run_case(const json& tc) {
  if (!tc["signature_algorithms"].empty()) return skipped("restricted signature algorithms are out of scope");
  const bool client = tc["validation_kind"] == "CLIENT";

  pki::validation_options options;
  if (const auto& peer = tc["expected_peer_name"]; !peer.is_null()) {
    const auto kind = peer["kind"].get<std::string>();
    const auto value = peer["value"].get<std::string>();
    if (kind == "DNS") {
      options.peer = pki::dns_name{value};
    } else if (kind == "IP") {
      auto ip = pki::ip_address::parse(value);
      if (!ip) return failure("unparsable expected IP address");
      options.peer = *ip;
    } else {
      return skipped("peer names of kind " + kind + " are out of scope");
    }
  }
  if (!tc["validation_time"].is_null()) {
    auto t = pki_harness::parse_time(tc["validation_time"].get<std::string>());
    if (!t) return failure("unparsable validation time");
    options.time = *t;
  }
  if (!tc["max_chain_depth"].is_null())
    options.budget.max_intermediates = tc["max_chain_depth"].get<unsigned>();

  std::vector<pki::crl> crls;
  for (const auto& pem : tc["crls"]) {
    if (auto list = pki::crl::from_pem(pem.get<std::string>())) crls.push_back(std::move(*list));
  }
  options.crls = crls;

  auto leaf = pki::certificate<>::from_pem(tc["peer_certificate"].get<std::string>());
  if (!leaf) return failure("leaf: " + leaf.error().message());
  std::size_t unparsable = 0;
  const auto roots = parse_certificates(tc["trusted_certs"], unparsable);
  const auto intermediates = parse_certificates(tc["untrusted_intermediates"], unparsable);
  const pki::trust_store anchors(roots);

  std::vector<std::string> ekus;
  for (const auto& e : tc["extended_key_usage"]) ekus.push_back(e.get<std::string>());
  if (ekus.empty()) ekus.push_back(client ? "clientAuth" : "serverAuth");
  if (ekus.size() != 1) return skipped("several required extended key usages");
  const std::string id = tc["id"].get<std::string>();
  const bool rfc_profile = id.starts_with("rfc5280::");
  if (ekus[0] == "serverAuth") {
    if (rfc_profile) return validate<policy::rfc5280_server>(*leaf, anchors, intermediates, options);
    if (id.starts_with("webpki::"))
      return validate<policy::web_server>(*leaf, anchors, intermediates, options);
    return validate<web_server_cn_unread>(*leaf, anchors, intermediates, options);
  }
  if (ekus[0] == "clientAuth") {
    return rfc_profile ? validate<policy::rfc5280_client>(*leaf, anchors, intermediates, options)
                       : validate<web_client>(*leaf, anchors, intermediates, options);
  }
  return skipped("required extended key usage " + ekus[0] + " is out of scope");
}

}  // namespace

int main(int argc, char** argv) {
  json input;
  try {
    if (argc > 1) {
      std::ifstream file(argv[1]);
      if (!file) {
        std::cerr << "pki-limbo-harness: cannot open " << argv[1] << '\n';
        return 2;
      }
      input = json::parse(file);
    } else {
      input = json::parse(std::cin);
    }
  } catch (const std::exception& e) {
    std::cerr << "pki-limbo-harness: the input is not JSON: " << e.what() << '\n';
    return 2;
  }
  const auto& cases = input["testcases"];
  std::vector<verdict> verdicts(cases.size());
  // The cases are independent: spread them over the cores.
  std::atomic<std::size_t> next{0};
  const unsigned workers = std::max(1U, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      for (std::size_t i; (i = next++) < cases.size();) verdicts[i] = run_case(cases[i]);
    });
  }
  for (auto& t : pool) t.join();

  json results = json::array();
  for (std::size_t i = 0; i < cases.size(); ++i) {
    results.push_back({{"id", cases[i]["id"]},
                       {"actual_result", verdicts[i].actual},
                       {"context", verdicts[i].context.empty() ? json(nullptr) : json(verdicts[i].context)}});
  }
  std::cout << json{{"version", 1}, {"harness", "pki"}, {"results", results}}.dump(1) << '\n';
  return 0;
}
