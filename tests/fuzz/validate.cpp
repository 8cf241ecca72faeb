// Fuzz target: validation over a fuzzed bag. The first byte holds options (the peer name,
// the time, a tight budget, the policy); the rest is a sequence of DER values (tag, length,
// contents): those that parse as certificates are the leaf (the first) and the
// intermediates, those that parse as CRLs are the CRLs. The anchors are the fixed root.
// What must hold: validator<web_server> and pki::verify (the same rules) give the same
// verdict; search() finds a path exactly when verify() does; an accepted path starts at the
// leaf, ends at an anchor, and each certificate in it is signed by the next.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz.hpp"
#include "read_all.hpp"

namespace {

pki::peer_name peer_for(std::uint8_t options) {
  switch (options & 3) {
    case 1: return pki::dns_name{std::string(pki_fuzz::server_host)};
    case 2: return pki_fuzz::need(pki::ip_address::parse("192.0.2.1"), "an address");
    case 3: return pki::dns_name{"other.test"};
    default: return {};
  }
}

void check_path(const pki::chain<>& path, const pki::certificate<>& leaf, const pki::trust_store& anchors) {
  PKI_FUZZ_CHECK(!path.empty());
  PKI_FUZZ_CHECK(path.leaf() == leaf);
  PKI_FUZZ_CHECK(anchors.contains(path.anchor()));
  for (std::size_t depth = 0; depth + 1 < path.size(); ++depth) {
    PKI_FUZZ_CHECK(path[depth].issuer() == path[depth + 1].subject());
    PKI_FUZZ_CHECK(path[depth].verify_signature(path[depth + 1].public_key()).has_value());
  }
}

template <class Verdict>
void check_same_verdict(const Verdict& a, const Verdict& b) {
  PKI_FUZZ_CHECK(a.has_value() == b.has_value());
  if (a) {
    PKI_FUZZ_CHECK(a->size() == b->size());
    for (std::size_t d = 0; d < a->size(); ++d) PKI_FUZZ_CHECK((*a)[d] == (*b)[d]);
  } else {
    PKI_FUZZ_CHECK(a.error().code() == b.error().code() && a.error().depth() == b.error().depth());
  }
}

template <class Validator>
auto validate(const Validator& validator, const pki::certificate<>& leaf,
              std::span<const pki::certificate<>> intermediates, const pki::validation_options& options) {
  auto verdict = validator.verify(leaf, intermediates, options);
  const auto search = validator.search(leaf, intermediates, options);
  PKI_FUZZ_CHECK(static_cast<bool>(search) == verdict.has_value());
  pki_fuzz::consume(search.explain());
  if (verdict) {
    check_path(*verdict, leaf, validator.anchors());
  } else {
    pki_fuzz::consume(verdict.error().message());
    PKI_FUZZ_CHECK(verdict.error().code() != pki::errc{});
  }
  return verdict;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t options = data[0];
  std::vector<pki::certificate<>> certificates;
  std::vector<pki::crl> crls;
  for (const auto value : pki_fuzz::der_values(pki_fuzz::bytes_of(data + 1, size - 1))) {
    if (auto cert = pki::certificate<>::from_der(value)) {
      certificates.push_back(std::move(*cert));
    } else if (auto list = pki::crl::from_der(value)) {
      crls.push_back(std::move(*list));
    }
  }
  if (certificates.empty()) return 0;
  const auto& leaf = certificates.front();
  const std::span<const pki::certificate<>> intermediates(certificates.begin() + 1, certificates.end());

  pki::validation_options settings{
      .peer = peer_for(options),
      .time = pki_fuzz::fixed_now + std::chrono::days((options & 4) != 0 ? 400 : 0),
      .crls = crls,
      .budget = {}};
  if ((options & 8) != 0)
    settings.budget = {
        .signature_checks = 3, .issuer_candidates = 8, .max_intermediates = 2, .name_comparisons = 1000};

  const auto& anchors = pki_fuzz::fixed_hierarchy().anchors;
  if ((options & 16) == 0) {
    static const pki::validator<pki::policy::web_server> web{anchors};
    auto verdict = validate(web, leaf, intermediates, settings);
    check_same_verdict(verdict, pki::verify(leaf, intermediates, anchors, settings));
  } else {
    static const pki::validator<pki::policy::iot_mtls_server> devices{anchors};
    validate(devices, leaf, intermediates, settings);
  }
  return 0;
}
