// pki::crl is a plain class: a CRL is not typed by its issuer's key (crl<ecdsa_p256> once
// accepted a CRL signed with P-384), so crl<...> does not compile.
#include <pki/x509/crl.hpp>

pki::result<std::size_t> count_entries(pki::byte_view der) {
#ifdef PKI_MUST_NOT_COMPILE
  auto list = pki::crl<pki::ecdsa_p256>::from_der(der);
#else
  auto list = pki::crl::from_der(der);
#endif
  if (!list) return std::unexpected(list.error());
  return list->revoked().size();
}
