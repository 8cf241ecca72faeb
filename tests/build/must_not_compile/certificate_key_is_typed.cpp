// certificate<Alg>::public_key() is a public_key<Alg>: a P-256 certificate's key is not a
// public_key<ecdsa_p384>.
#include <pki/x509/certificate.hpp>

std::size_t key_bits(const pki::certificate<pki::ecdsa_p256>& cert) {
#ifdef PKI_MUST_NOT_COMPILE
  const pki::public_key<pki::ecdsa_p384>& key = cert.public_key();
#else
  const pki::public_key<pki::ecdsa_p256>& key = cert.public_key();
#endif
  return key.bits();
}
