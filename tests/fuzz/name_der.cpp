// Fuzz target: distinguished_name::from_der. A name that parses encodes again (to the
// input itself when no RDN is multi-valued) and reads back equal (read_name); its RFC 4514
// text parses back to an equal name unless a value holds a NUL, which parse() refuses, or
// the text is beyond parse()'s limits. The text is the same again when no RDN is
// multi-valued; otherwise the reparsed name's own text is a fixed point: parse() keeps an
// RDN in the DER order of the values it encodes, and a value read from DER may encode
// differently from text (a TeletexString OU comes back a UTF8String), so its place changes.

#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "read_all.hpp"

namespace {

bool has_nul_value(const pki::distinguished_name& name) {
  for (const auto& rdn : name.rdns()) {
    for (const auto& attribute : rdn) {
      if (attribute.is_string() && attribute.value.find('\0') != std::string::npos) return true;
    }
  }
  return false;
}

bool has_multi_valued_rdn(const pki::distinguished_name& name) {
  for (const auto& rdn : name.rdns()) {
    if (rdn.size() > 1) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = pki_fuzz::bytes_of(data, size);
  auto name = pki::distinguished_name::from_der(input);
  if (!name) {
    pki_fuzz::consume(name.error().message());
    return 0;
  }
  pki_fuzz::read_name(*name, input);
  PKI_FUZZ_CHECK(pki::byte_equal(*name, *name) && *name == *name);
  for (const auto& rdn : name->rdns()) {
    for (const auto& attribute : rdn) {
      auto value = attribute.value_der();
      PKI_FUZZ_CHECK(value.has_value());
      pki_fuzz::consume(name->values(attribute.type));
    }
  }

  const std::string text = name->to_string();
  if (has_nul_value(*name) || text.size() > pki::distinguished_name::max_text_size) return 0;
  auto reparsed = pki::distinguished_name::parse(text);
  PKI_FUZZ_CHECK(reparsed.has_value());
  PKI_FUZZ_CHECK(*reparsed == *name);
  const std::string again = reparsed->to_string();
  if (!has_multi_valued_rdn(*name)) {
    PKI_FUZZ_CHECK(again == text);
    return 0;
  }
  auto twice = pki::distinguished_name::parse(again);
  PKI_FUZZ_CHECK(twice.has_value());
  PKI_FUZZ_CHECK(*twice == *name && pki::byte_equal(*twice, *reparsed));
  PKI_FUZZ_CHECK(twice->to_string() == again);
  return 0;
}
