// Quickstart: generate a key, sign and verify a message, print the public key.
//
//   cmake --workflow --preset demo

#include <pki/pki.hpp>

#include <cstdio>

int main() {
  // A new P-256 key pair; every call returns pki::result<T>, never throws.
  auto key = pki::private_key<pki::ecdsa_p256>::generate();
  if (!key) {
    std::fprintf(stderr, "generate: %s\n", key.error().message().c_str());
    return 1;
  }

  const auto message = pki::as_bytes("firmware image v1.4.2");
  auto sig = key->sign(message);  // ECDSA with SHA-256, DER-encoded
  if (!sig) {
    std::fprintf(stderr, "sign: %s\n", sig.error().message().c_str());
    return 1;
  }

  auto pub = key->public_key();
  if (!pub) {
    std::fprintf(stderr, "public key: %s\n", pub.error().message().c_str());
    return 1;
  }
  if (auto ok = pub->verify(message, *sig); !ok) {
    std::fprintf(stderr, "verify: %s\n", ok.error().message().c_str());
    return 1;
  }
  // A tampered message must not verify, and says why.
  auto tampered = pub->verify(pki::as_bytes("firmware image v1.4.3"), *sig);
  if (tampered || tampered.error().code() != pki::errc::bad_signature) {
    std::fprintf(stderr, "a tampered message verified\n");
    return 1;
  }

  auto pem = pub->to_pem();
  auto fingerprint = pub->fingerprint();
  if (!pem || !fingerprint) {
    std::fprintf(stderr, "export failed\n");
    return 1;
  }
  std::printf("pki %s on mbedTLS %s\n", pki::version_string, pki::mbedtls_version_string);
  std::printf("key:         %.*s\n", static_cast<int>(key->algorithm().name().size()),
              key->algorithm().name().data());
  std::printf("signature:   %zu bytes, verified; tampered message: %s\n", sig->size(),
              tampered.error().message().c_str());
  std::printf("fingerprint: SHA256:%s\n%s", fingerprint->hex(":").c_str(), pem->c_str());
  return 0;
}
