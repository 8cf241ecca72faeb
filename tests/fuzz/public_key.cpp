// Fuzz target: public_key<>::parse (SubjectPublicKeyInfo or RSAPublicKey; PEM or DER). A
// key that parses writes SPKI (and, for RSA, PKCS#1) that parses to the same key, and
// refuses a signature made by another key as bad_signature, never a crash.

#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "read_all.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = pki_fuzz::bytes_of(data, size);
  auto key = pki::public_key<>::parse(input);
  if (!key) {
    pki_fuzz::consume(key.error().message());
    return 0;
  }
  pki_fuzz::read_public_key(*key);
  auto fingerprint = key->fingerprint();
  PKI_FUZZ_CHECK(fingerprint.has_value());
  auto pem = key->to_pem();
  PKI_FUZZ_CHECK(pem.has_value());
  auto from_pem = pki::public_key<>::from_pem(*pem);
  PKI_FUZZ_CHECK(from_pem.has_value() && *from_pem == *key);
  if (key->algorithm().type == pki::key_type::rsa) {
    auto pkcs1 = key->to_der(pki::public_key_format::pkcs1);
    PKI_FUZZ_CHECK(pkcs1.has_value());
    auto again = pki::public_key<>::from_der(*pkcs1);
    PKI_FUZZ_CHECK(again.has_value() && *again == *key);
  }
  // A P-256 signature of the fixed server key: it verifies only under that key.
  static const auto foreign = pki_fuzz::need(
      pki_fuzz::fixed_hierarchy().server.key.sign(pki::as_bytes("fuzz message")), "a signature");
  auto verdict = key->verify(pki::as_bytes("fuzz message"), foreign);
  const bool is_server_key = *key == pki_fuzz::fixed_hierarchy().server.chain.front().public_key();
  PKI_FUZZ_CHECK(verdict.has_value() == is_server_key);
  if (!verdict) pki_fuzz::consume(verdict.error().message());
  return 0;
}
