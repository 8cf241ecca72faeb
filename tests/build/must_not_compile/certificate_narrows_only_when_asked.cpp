// certificate<> becomes certificate<Alg> only through narrow(), which checks: no implicit
// conversion from an untyped certificate.
#include <pki/x509/certificate.hpp>

pki::result<pki::certificate<pki::ecdsa_p256>> typed(const pki::certificate<>& any) {
#ifdef PKI_MUST_NOT_COMPILE
  pki::certificate<pki::ecdsa_p256> cert = any;
  return cert;
#else
  return any.narrow<pki::ecdsa_p256>();
#endif
}
