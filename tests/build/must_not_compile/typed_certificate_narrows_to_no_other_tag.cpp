// narrow<To>() is for certificate<>: a certificate<ecdsa_p256> could never narrow to
// ecdsa_p384, so asking does not compile.
#include <pki/x509/certificate.hpp>

bool is_p384(const pki::certificate<pki::ecdsa_p256>& typed, const pki::certificate<>& any) {
#ifdef PKI_MUST_NOT_COMPILE
  (void)any;
  return typed.narrow<pki::ecdsa_p384>().has_value();
#else
  (void)typed;
  return any.narrow<pki::ecdsa_p384>().has_value();
#endif
}
