// expect: pki::rsa<Bits> needs an mbedTLS with MBEDTLS_RSA_C
// A certificate typed for an RSA subject key where mbedTLS has no RSA.
#include <pki/pki.hpp>
#ifdef CONTROL
using tag = pki::ecdsa_p256;
#else
using tag = pki::rsa<2048>;
#endif
int main(int, char** argv) {
  return pki::certificate<tag>::parse(pki::as_bytes(argv[0])).has_value() ? 0 : 1;
}
