// Fuzz target: distinguished_name::parse (RFC 4514 text). A name that parses encodes, and
// its DER reads back to the same attributes byte for byte (parse() keeps each RDN in DER
// order); its own text parses back to an equal name that prints the same.

#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "read_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto name = pki::distinguished_name::parse(pki_fuzz::text_of(data, size));
  if (!name) {
    pki_fuzz::consume(name.error().message());
    return 0;
  }
  PKI_FUZZ_CHECK(name->status().has_value());
  auto der = name->to_der();
  PKI_FUZZ_CHECK(der.has_value());
  auto from_der = pki::distinguished_name::from_der(*der);
  PKI_FUZZ_CHECK(from_der.has_value());
  PKI_FUZZ_CHECK(pki::byte_equal(*from_der, *name));
  PKI_FUZZ_CHECK(*from_der == *name);
  pki_fuzz::read_name(*from_der, *der);

  const std::string text = name->to_string();
  if (text.size() > pki::distinguished_name::max_text_size) return 0;
  auto reparsed = pki::distinguished_name::parse(text);
  PKI_FUZZ_CHECK(reparsed.has_value());
  PKI_FUZZ_CHECK(*reparsed == *name);
  PKI_FUZZ_CHECK(reparsed->to_string() == text);
  return 0;
}
