// certificate_authority<Alg>: the CA's certificate and key are of one algorithm. A P-384
// certificate with a P-256 CA key does not compile.
#include <pki/issue/authority.hpp>

#include <utility>

pki::result<pki::certificate_authority<pki::ecdsa_p256>> make_ca(const pki::certificate<pki::ecdsa_p256>& p256,
                                                                 const pki::certificate<pki::ecdsa_p384>& p384,
                                                                 pki::private_key<pki::ecdsa_p256> key) {
#ifdef PKI_MUST_NOT_COMPILE
  (void)p256;
  return pki::certificate_authority<pki::ecdsa_p256>::create(p384, std::move(key));
#else
  (void)p384;
  return pki::certificate_authority<pki::ecdsa_p256>::create(p256, std::move(key));
#endif
}
