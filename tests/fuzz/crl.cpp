// Fuzz target: crl::from_der, then every accessor. A CRL that parses is exactly its
// input; every entry it lists is found by is_revoked() under its serial; its PEM reads back
// to the same bytes; its signature is checked against the fixed issuing CA's key (a plain
// refusal for any other signer).

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "read_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = pki_fuzz::bytes_of(data, size);
  auto list = pki::crl::from_der(input);
  if (!list) {
    pki_fuzz::consume(list.error().message());
    return 0;
  }
  PKI_FUZZ_CHECK(std::ranges::equal(list->der(), input));
  PKI_FUZZ_CHECK(list->version() == 1 || list->version() == 2);
  pki_fuzz::consume(list->signature_algorithm().name());
  pki_fuzz::read_name(list->issuer(), list->issuer_der());
  pki_fuzz::consume(list->this_update());
  pki_fuzz::consume(list->next_update());
  pki_fuzz::consume(list->crl_number_value());
  if (const auto& number = list->crl_number()) PKI_FUZZ_CHECK(!number->empty());
  if (const auto& aki = list->authority_key_identifier()) pki_fuzz::read_parts(*aki);
  pki_fuzz::read_extensions(list->extensions());
  for (const auto& entry : list->revoked()) {
    pki_fuzz::read_extensions(entry.extensions);
    if (entry.reason) pki_fuzz::consume(pki::name(*entry.reason));
    auto found = list->is_revoked(entry.serial);
    PKI_FUZZ_CHECK(found.has_value());
    PKI_FUZZ_CHECK(std::ranges::equal(found->serial, entry.serial));
  }
  // A serial no entry can have (INTEGER contents are never empty) is not listed.
  PKI_FUZZ_CHECK(!list->is_revoked({}).has_value());

  const auto& ca = pki_fuzz::fixed_hierarchy().issuing.certificate();
  if (list->issuer() == ca.subject()) pki_fuzz::consume(list->verify_signature(ca.public_key()));

  auto pem = list->to_pem();
  PKI_FUZZ_CHECK(pem.has_value());
  auto from_pem = pki::crl::from_pem(*pem);
  PKI_FUZZ_CHECK(from_pem.has_value() && *from_pem == *list);
  return 0;
}
