// clang-format off
// expect: pki::ecdsa_p384 needs an mbedTLS with MBEDTLS_ECDSA_C \(or PSA ECDSA\) and MBEDTLS_ECP_DP_SECP384R1_ENABLED
// clang-format on
// A P-384 key where mbedTLS has P-256 only: the header compiles, the key type does not.
#include <pki/pki.hpp>
#ifdef CONTROL
using tag = pki::ecdsa_p256;
#else
using tag = pki::ecdsa_p384;
#endif
int main() {
  return pki::private_key<tag>::generate().has_value() ? 0 : 1;
}
