// Fuzz target: the typed extensions' from_der. The first byte selects the type (in
// read_all.hpp's order: SAN, issuer alt name, key usage, EKU, basic constraints, SKI, AKI,
// name constraints, CRL distribution points, certificate policies, AIA) or, after them, a
// whole Extensions SEQUENCE for extension_list::from_der; the rest is the value.

#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "read_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t selector = data[0] % (pki_fuzz::typed_extension_count + 1);
  const auto value = pki_fuzz::bytes_of(data + 1, size - 1);
  if (selector < pki_fuzz::typed_extension_count) {
    pki_fuzz::read_typed_by_index(selector, value);
    return 0;
  }
  auto list = pki::extension_list::from_der(value);
  if (!list) {
    pki_fuzz::consume(list.error().message());
    return 0;
  }
  pki_fuzz::read_extensions(*list);
  return 0;
}
