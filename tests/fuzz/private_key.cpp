// Fuzz target: private_key<>::parse (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1; PEM or DER).
// The first byte chooses: bit 0, parse with the fixed password (make_corpus.py encrypts its
// keys with it) or with none; bit 1, also round-trip the key through encrypted PKCS#8; bit 2,
// also sign and verify. A key that parses is a pair (its public half matches it), and writes
// DER and PEM that parse to the same key, as its clone is. Scalar multiplications are what
// cost here: the pair is checked once, copies are compared by their public keys.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz.hpp"
#include "read_all.hpp"

namespace {

constexpr std::string_view password = "fuzz-password";

void expect_same_key(const pki::byte_buffer& spki, const pki::result<pki::private_key<>>& copy) {
  PKI_FUZZ_CHECK(copy.has_value());
  auto pub = copy->public_key();
  PKI_FUZZ_CHECK(pub.has_value());
  auto der = pub->to_der();
  PKI_FUZZ_CHECK(der.has_value() && *der == spki);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t options = data[0];
  const auto input = pki_fuzz::bytes_of(data + 1, size - 1);
  auto key = pki::private_key<>::parse(input, (options & 1) != 0 ? password : std::string_view{});
  if (!key) {
    pki_fuzz::consume(key.error().message());
    return 0;
  }
  pki_fuzz::consume(key->algorithm().name());
  auto pub = key->public_key();
  PKI_FUZZ_CHECK(pub.has_value());
  pki_fuzz::read_public_key(*pub);
  PKI_FUZZ_CHECK(key->matches(*pub).has_value());
  const auto spki_der = pub->to_der();
  PKI_FUZZ_CHECK(spki_der.has_value());
  const auto& spki = *spki_der;

  for (const auto format : {pki::private_key_format::pkcs8, pki::private_key_format::traditional}) {
    auto der = key->to_der(format);
    PKI_FUZZ_CHECK(der.has_value());
    expect_same_key(spki, pki::private_key<>::from_der(*der));
    auto pem = key->to_pem(format);
    PKI_FUZZ_CHECK(pem.has_value());
    expect_same_key(spki, pki::private_key<>::from_pem(std::string_view(pem->data(), pem->size())));
  }
  expect_same_key(spki, key->clone());

  if ((options & 2) != 0) {
    auto sealed = key->to_encrypted_der(password, {.pbkdf2_iterations = 1000});
    PKI_FUZZ_CHECK(sealed.has_value());
    expect_same_key(spki, pki::private_key<>::from_der(*sealed, password));
    auto locked = pki::private_key<>::from_der(*sealed);
    PKI_FUZZ_CHECK(!locked.has_value() && locked.error() == pki::errc::password_required);
  }
  if ((options & 4) != 0) {
    const auto message = pki::as_bytes("fuzz message");
    auto signature = key->sign(message);
    PKI_FUZZ_CHECK(signature.has_value());
    PKI_FUZZ_CHECK(pub->verify(message, *signature).has_value());
  }
  return 0;
}
