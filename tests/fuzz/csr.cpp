// Fuzz target: csr<>::parse (PEM or DER) and from_der, which also checks the requester's
// signature; then every accessor and typed extension. A CSR that parses from DER is exactly
// its input, and its PEM reads back to the same bytes.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "read_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = pki_fuzz::bytes_of(data, size);
  auto request = pki::csr<>::parse(input);
  if (!request) {
    pki_fuzz::consume(request.error().message());
    return 0;
  }
  if (!pki::pem::looks_like_pem(input)) PKI_FUZZ_CHECK(std::ranges::equal(request->der(), input));
  auto from_der = pki::csr<>::from_der(request->der());
  PKI_FUZZ_CHECK(from_der.has_value() && *from_der == *request);

  const auto& subject = request->subject();
  auto subject_der = subject.to_der();
  PKI_FUZZ_CHECK(subject_der.has_value());
  pki_fuzz::read_name(subject, *subject_der);
  pki_fuzz::read_public_key(request->public_key());
  pki_fuzz::consume(request->signature_algorithm().name());
  pki_fuzz::read_extensions(request->extensions());
  pki_fuzz::consume(request->extension<pki::subject_alt_name>());
  pki_fuzz::consume(request->extension<pki::basic_constraints>());
  for (const auto& attribute : request->attributes()) {
    pki_fuzz::read_oid(attribute.type);
    for (const auto& value : attribute.values) PKI_FUZZ_CHECK(!value.empty());
  }

  auto pem = request->to_pem();
  PKI_FUZZ_CHECK(pem.has_value());
  auto from_pem = pki::csr<>::from_pem(*pem);
  PKI_FUZZ_CHECK(from_pem.has_value() && *from_pem == *request);
  return 0;
}
