// certificate_authority<Alg>: a P-384 key for a P-256 CA does not compile.
#include <pki/issue/authority.hpp>

#include <utility>

pki::result<pki::certificate_authority<pki::ecdsa_p256>> make_ca(const pki::certificate<pki::ecdsa_p256>& cert,
                                                                 pki::private_key<pki::ecdsa_p256> p256,
                                                                 pki::private_key<pki::ecdsa_p384> p384) {
#ifdef PKI_MUST_NOT_COMPILE
  return pki::certificate_authority<pki::ecdsa_p256>::create(cert, std::move(p384));
#else
  (void)p384;
  return pki::certificate_authority<pki::ecdsa_p256>::create(cert, std::move(p256));
#endif
}
