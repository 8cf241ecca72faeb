// The verified-link cache (issue 14): a service validating 100 distinct leaves under one
// intermediate. One iteration validates all 100 under policy::web_server, each for its own
// host name: without a cache (validate_100_leaves, 200 signature checks) and with a cache
// made empty for the iteration and shared by its 100 validations
// (validate_100_leaves_link_cache: the intermediate's link is verified once, 101 checks).
// The mbedTLS column is the same in both cases, mbedtls_x509_crt_verify_with_profile per
// leaf (mbedTLS has no such cache): the pki-over-pki ratio of the two cases is the cache's
// gain.

#include <mbedtls/x509_crt.h>
#include <pki/validate/link_cache.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/validator.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench.hpp"
#include "counting.hpp"
#include "fixtures.hpp"

namespace pki_bench {
namespace {

constexpr std::size_t leaf_count = 100;

std::string host_of(const pki::certificate<>& leaf) {
  return leaf.subject().to_string().substr(3);  // "CN=device-N.example.com"
}

void pki_validate_leaves(benchmark::State& state, bool with_cache) {
  const auto& h = web();
  const auto& leaves = sibling_leaves(leaf_count);
  std::vector<std::string> hosts;
  for (const auto& leaf : leaves) hosts.push_back(host_of(leaf));
  const pki::validator<pki::policy::web_server> validator{pki::trust_store(std::vector{h.root.cert})};
  // All 100 validations; the first failure, if any.
  const auto all = [&]() -> std::optional<pki::error> {
    pki::verified_link_cache links(2 * leaf_count);
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      pki::validation_options options{.peer = pki::dns_name{hosts[i]}};
      if (with_cache) options.link_cache = &links;
      if (auto path = validator.verify(leaves[i], h.intermediates, options); !path) return path.error();
    }
    return std::nullopt;
  };
  if (auto failed = all()) return fail(state, "validating a sibling leaf", *failed);
  report(state, count([&] { (void)all(); }));
  for (auto _ : state) {
    if (auto failed = all()) return fail(state, "validating a sibling leaf", *failed);
  }
}

using x509_crt = raw<mbedtls_x509_crt, mbedtls_x509_crt_init, mbedtls_x509_crt_free>;

void mbedtls_validate_leaves(benchmark::State& state) {
  const auto& h = web();
  const auto& leaves = sibling_leaves(leaf_count);
  std::vector<std::unique_ptr<x509_crt>> chains;
  std::vector<std::string> hosts;
  for (const auto& leaf : leaves) {
    auto chain = std::make_unique<x509_crt>();
    for (const auto* cert : {&leaf, &h.intermediates.front()}) {
      if (int ret = mbedtls_x509_crt_parse_der(chain->get(), cert->der().data(), cert->der().size()); ret != 0)
        return fail_mbedtls(state, "parsing a chain", ret);
    }
    chains.push_back(std::move(chain));
    hosts.push_back(host_of(leaf));
  }
  x509_crt trusted;
  if (int ret = mbedtls_x509_crt_parse_der(trusted.get(), h.root.cert.der().data(), h.root.cert.der().size());
      ret != 0)
    return fail_mbedtls(state, "parsing the root", ret);
  const auto all = [&]() -> int {
    for (std::size_t i = 0; i < chains.size(); ++i) {
      std::uint32_t flags = 0;
      const int ret = mbedtls_x509_crt_verify_with_profile(chains[i]->get(), trusted.get(), nullptr,
                                                           &mbedtls_x509_crt_profile_default, hosts[i].c_str(),
                                                           &flags, nullptr, nullptr);
      if (ret != 0) return ret;
    }
    return 0;
  };
  if (int ret = all(); ret != 0) return fail_mbedtls(state, "validating a sibling leaf", ret);
  report(state, count([&] { (void)all(); }));
  for (auto _ : state) {
    if (int ret = all(); ret != 0) return fail_mbedtls(state, "validating a sibling leaf", ret);
  }
}

const bool registered = [] {
  add_case("validate_100_leaves", "pki", [](benchmark::State& s) { pki_validate_leaves(s, false); });
  add_case("validate_100_leaves", "mbedtls", [](benchmark::State& s) { mbedtls_validate_leaves(s); });
  add_case("validate_100_leaves_link_cache", "pki", [](benchmark::State& s) { pki_validate_leaves(s, true); });
  add_case("validate_100_leaves_link_cache", "mbedtls", [](benchmark::State& s) { mbedtls_validate_leaves(s); });
  return true;
}();

}  // namespace
}  // namespace pki_bench
