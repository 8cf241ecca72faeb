// clang-format off
// expect: pki::ecdsa_p521 needs an mbedTLS with MBEDTLS_ECDSA_C \(or PSA ECDSA\) and MBEDTLS_ECP_DP_SECP521R1_ENABLED
// clang-format on
// A CSR typed for a P-521 subject key where mbedTLS has no elliptic curve.
#include <pki/pki.hpp>
#ifdef CONTROL
using tag = pki::rsa<3072>;
#else
using tag = pki::ecdsa_p521;
#endif
int main(int, char** argv) {
  return pki::csr<tag>::parse(pki::as_bytes(argv[0])).has_value() ? 0 : 1;
}
