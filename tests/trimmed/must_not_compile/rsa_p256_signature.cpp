// clang-format off
// expect: pki::ecdsa_p256 needs an mbedTLS with MBEDTLS_ECDSA_C \(or PSA ECDSA\) and MBEDTLS_ECP_DP_SECP256R1_ENABLED
// clang-format on
// An ECDSA signature where mbedTLS has no elliptic curve at all.
#include <pki/pki.hpp>
#ifdef CONTROL
using tag = pki::rsa<2048>;
#else
using tag = pki::ecdsa_p256;
#endif
int main(int, char** argv) {
  return pki::signature<tag>::from_bytes(pki::as_bytes(argv[0])).has_value() ? 0 : 1;
}
