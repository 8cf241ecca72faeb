// public_key<>::narrow<To>() checks at run time; a public_key<ecdsa_p256> could never be
// rsa<2048>, so asking does not compile.
#include <pki/keys/key.hpp>

bool is_rsa2048(const pki::public_key<pki::ecdsa_p256>& typed, const pki::public_key<>& any) {
#ifdef PKI_MUST_NOT_COMPILE
  (void)any;
  return typed.narrow<pki::rsa<2048>>().has_value();
#else
  (void)typed;
  return any.narrow<pki::rsa<2048>>().has_value();
#endif
}
