// Fuzz target: certificate<>::from_der, then every accessor and typed extension
// (read_all.hpp); a certificate that parses is exactly its input, and its PEM reads back
// to the same bytes.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "read_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = pki_fuzz::bytes_of(data, size);
  auto cert = pki::certificate<>::from_der(input);
  if (!cert) {
    pki_fuzz::consume(cert.error().message());
    return 0;
  }
  PKI_FUZZ_CHECK(std::ranges::equal(cert->der(), input));
  pki_fuzz::read_certificate(*cert);

  auto pem = cert->to_pem();
  PKI_FUZZ_CHECK(pem.has_value());
  auto from_pem = pki::certificate<>::from_pem(*pem);
  PKI_FUZZ_CHECK(from_pem.has_value() && *from_pem == *cert);
  auto from_either = pki::certificate<>::parse(pki::as_bytes(*pem));
  PKI_FUZZ_CHECK(from_either.has_value() && *from_either == *cert);

  // Typed views agree with the key's algorithm: the narrowing that fits succeeds.
  const auto& algorithm = cert->public_key().algorithm();
  auto p256 = cert->narrow<pki::ecdsa_p256>();
  PKI_FUZZ_CHECK(p256.has_value() ==
                 (algorithm.type == pki::key_type::ec && algorithm.ec_curve == pki::curve::p256));
  if (p256) pki_fuzz::read_certificate(*p256);
  auto rsa = cert->narrow<pki::rsa<2048>>();
  PKI_FUZZ_CHECK(rsa.has_value() == (algorithm.type == pki::key_type::rsa && algorithm.bits == 2048));
  return 0;
}
