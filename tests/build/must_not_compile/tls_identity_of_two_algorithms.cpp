// A TLS identity from a typed leaf: the leaf and its key are of one algorithm. A P-256
// leaf with a P-384 key does not compile.
#include <pki/tls/config.hpp>

void configure(pki::tls::server_config<>& config, const pki::certificate<pki::ecdsa_p256>& leaf,
               const pki::private_key<pki::ecdsa_p256>& p256, const pki::private_key<pki::ecdsa_p384>& p384) {
#ifdef PKI_MUST_NOT_COMPILE
  (void)p256;
  config.identity(leaf, p384);
#else
  (void)p384;
  config.identity(leaf, p256);
#endif
}
