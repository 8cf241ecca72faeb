// Built with -fno-exceptions -fno-rtti, as firmware builds are: the whole library must
// compile, and its key operations run. Boost.Test needs exceptions, so this is a plain
// program that reports each check and exits non-zero when one fails.

#include <pki/pki.hpp>

#include <cstdio>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) ++failures;
}

template <class T>
bool fails_with(const pki::result<T>& r, pki::errc code) {
  return !r && r.error().code() == code;
}

template <class Key>
void exercise(const Key& key, const char* name) {
  std::printf("-- %s\n", name);
  const auto message = pki::as_bytes("no exceptions here");
  auto pub = key.public_key();
  check(pub.has_value(), "public key");
  if (!pub) return;
  auto sig = key.sign(message);
  check(sig && pub->verify(message, *sig).has_value(), "sign and verify");
  check(sig && fails_with(pub->verify(pki::as_bytes("tampered"), *sig), pki::errc::bad_signature),
        "tampered message is bad_signature");

  auto pem = key.to_pem();
  check(pem && pki::private_key<>::from_pem({pem->data(), pem->size()}).has_value(), "PKCS#8 PEM round trip");
  auto traditional = key.to_der(pki::private_key_format::traditional);
  check(traditional && pki::private_key<>::from_der(*traditional).has_value(), "traditional DER round trip");
#if PKI_HAS_ENCRYPTED_PKCS8
  auto encrypted = key.to_encrypted_der("pw", {.pbkdf2_iterations = 2000});
  check(encrypted && pki::private_key<>::from_der(*encrypted, "pw").has_value(), "encrypted PKCS#8");
  check(encrypted && fails_with(pki::private_key<>::from_der(*encrypted, "nope"), pki::errc::bad_password),
        "wrong password is bad_password");
#endif
  auto spki = pub->to_pem();
  check(spki && pki::public_key<>::from_pem(*spki).has_value(), "SPKI PEM round trip");
  check(pub->fingerprint().has_value(), "fingerprint");
  check(key.matches(*pub).has_value(), "pair check");
}

}  // namespace

int main() {
  auto ec = pki::private_key<pki::ecdsa_p256>::generate();
  check(ec.has_value(), "generate P-256");
  if (ec) exercise(*ec, "EC P-256");

  auto rsa = pki::private_key<pki::rsa<2048>>::generate();
  check(rsa.has_value(), "generate RSA-2048");
  if (rsa) exercise(*rsa, "RSA-2048");

  if (ec) {
    pki::private_key<> any = std::move(*ec);
    check(fails_with(std::move(any).narrow<pki::rsa<2048>>(), pki::errc::algorithm_mismatch),
          "narrowing to another algorithm is algorithm_mismatch");
  }
  check(fails_with(pki::private_key<>::from_pem("garbage"), pki::errc::parse_failed),
        "garbage is parse_failed");

  std::printf("%d failure(s)\n", failures);
  return failures == 0 ? 0 : 1;
}
