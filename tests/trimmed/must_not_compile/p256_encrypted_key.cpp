// clang-format off
// expect: encrypted PKCS#8 needs an mbedTLS with MBEDTLS_PKCS5_C, MBEDTLS_CIPHER_C, MBEDTLS_AES_C, MBEDTLS_CIPHER_MODE_CBC and MBEDTLS_CIPHER_PADDING_PKCS7
// clang-format on
// A password-encrypted key where mbedTLS has no PKCS#5 or AES-CBC: the member exists,
// calling it does not compile.
#include <pki/pki.hpp>
int main() {
  auto key = pki::private_key<pki::ecdsa_p256>::generate();
#ifdef CONTROL
  return key && key->to_pem() ? 0 : 1;
#else
  return key && key->to_encrypted_pem("secret") ? 0 : 1;
#endif
}
