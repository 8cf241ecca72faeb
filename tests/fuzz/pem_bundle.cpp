// Fuzz target: PEM bundles. certificate<>::parse_each, parse_bundle and a trust_store
// loaded from the same text must agree: the bundle parses exactly when every CERTIFICATE
// block does and there is one, in the same order, and the store holds each distinct one.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz.hpp"
#include "read_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = pki_fuzz::text_of(data, size);
  const auto each = pki::certificate<>::parse_each(text);
  bool all_parse = !each.empty();
  for (const auto& cert : each) {
    if (!cert) {
      all_parse = false;
      pki_fuzz::consume(cert.error().message());
      continue;
    }
    pki_fuzz::consume(cert->subject().to_string());
  }

  auto bundle = pki::certificate<>::parse_bundle(text);
  PKI_FUZZ_CHECK(bundle.has_value() == all_parse);
  if (bundle) {
    PKI_FUZZ_CHECK(bundle->size() == each.size());
    for (std::size_t i = 0; i < each.size(); ++i) PKI_FUZZ_CHECK((*bundle)[i] == *each[i]);
  }

  pki::trust_store store;
  auto added = store.add_pem(text);
  PKI_FUZZ_CHECK(added.has_value() == all_parse);
  if (added) {
    PKI_FUZZ_CHECK(*added == store.size());
    for (const auto& cert : *bundle) PKI_FUZZ_CHECK(store.contains(cert));
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < bundle->size(); ++i) {
      bool seen = false;
      for (std::size_t j = 0; j < i; ++j) seen = seen || (*bundle)[j] == (*bundle)[i];
      if (!seen) ++distinct;
    }
    PKI_FUZZ_CHECK(distinct == store.size());
    // Adding the same text again adds nothing new.
    auto again = store.add_pem(text);
    PKI_FUZZ_CHECK(again.has_value() && *again == 0);
  } else {
    PKI_FUZZ_CHECK(store.empty());
  }
  return 0;
}
