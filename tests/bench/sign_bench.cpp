// Signing and verifying a message: private_key::sign / public_key::verify against
// mbedtls_md + mbedtls_pk_sign / mbedtls_pk_verify on the same key, and OpenSSL's
// EVP_DigestSign / EVP_DigestVerify. ECDSA P-256 (SHA-256, DER signatures) and RSA-2048
// (PKCS#1 v1.5, SHA-256), the hash of the message included in every column.

// mbedtls/psa_util.h (3.6) lacks the extern "C" guard of the other headers.
extern "C" {
#include <mbedtls/psa_util.h>
}
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <pki/keys/key.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "bench.hpp"
#include "counting.hpp"
#include "fixtures.hpp"

namespace pki_bench {
namespace {

// A message of the size of a TLS 1.3 CertificateVerify input.
const std::vector<std::uint8_t>& message() {
  static const std::vector<std::uint8_t> m = [] {
    std::vector<std::uint8_t> bytes(130);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 3);
    return bytes;
  }();
  return m;
}

using pk_context = raw<mbedtls_pk_context, mbedtls_pk_init, mbedtls_pk_free>;

// --- pki -------------------------------------------------------------------------------

template <class Alg>
void pki_sign(benchmark::State& state, const pki::private_key<Alg>& key) {
  const auto& m = message();
  (void)key.sign(m);  // warms lazy initialisation up before the counted call
  report(state, count([&] { (void)key.sign(m); }));
  for (auto _ : state) {
    auto sig = key.sign(m);
    if (!sig) return fail(state, "signing", sig.error());
    benchmark::DoNotOptimize(sig);
  }
}

template <class Alg>
void pki_verify(benchmark::State& state, const pki::private_key<Alg>& key) {
  const auto& m = message();
  auto pub = key.public_key();
  if (!pub) return fail(state, "the public key", pub.error());
  auto sig = key.sign(m);
  if (!sig) return fail(state, "signing", sig.error());
  (void)pub->verify(m, *sig);
  report(state, count([&] { (void)pub->verify(m, *sig); }));
  for (auto _ : state) {
    auto ok = pub->verify(m, *sig);
    if (!ok) return fail(state, "verifying", ok.error());
  }
}

// --- mbedTLS ---------------------------------------------------------------------------

/// The key parsed by mbedTLS from its PKCS#8 encoding.
template <class Alg>
bool load(benchmark::State& state, pk_context& pk, const pki::private_key<Alg>& key) {
  const auto der = pkcs8_of(key);
  const int ret = mbedtls_pk_parse_key(pk.get(), der.data(), der.size(), nullptr, 0, mbedtls_psa_get_random,
                                       MBEDTLS_PSA_RANDOM_STATE);
  if (ret != 0) fail_mbedtls(state, "parsing the key", ret);
  return ret == 0;
}

/// SHA-256 of the message, then the signature: what a caller of mbedTLS writes.
int mbedtls_sign_message(pk_context& pk, std::array<unsigned char, MBEDTLS_PK_SIGNATURE_MAX_SIZE>& sig,
                         std::size_t& length) {
  const auto& m = message();
  std::array<unsigned char, 32> digest{};
  int ret = mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), m.data(), m.size(), digest.data());
  if (ret != 0) return ret;
  return mbedtls_pk_sign(pk.get(), MBEDTLS_MD_SHA256, digest.data(), digest.size(), sig.data(), sig.size(),
                         &length, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
}

int mbedtls_verify_message(pk_context& pk, const unsigned char* sig, std::size_t length) {
  const auto& m = message();
  std::array<unsigned char, 32> digest{};
  int ret = mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), m.data(), m.size(), digest.data());
  if (ret != 0) return ret;
  return mbedtls_pk_verify(pk.get(), MBEDTLS_MD_SHA256, digest.data(), digest.size(), sig, length);
}

template <class Alg>
void mbedtls_sign(benchmark::State& state, const pki::private_key<Alg>& key) {
  pk_context pk;
  if (!load(state, pk, key)) return;
  std::array<unsigned char, MBEDTLS_PK_SIGNATURE_MAX_SIZE> sig{};
  std::size_t length = 0;
  (void)mbedtls_sign_message(pk, sig, length);
  report(state, count([&] { (void)mbedtls_sign_message(pk, sig, length); }));
  for (auto _ : state) {
    if (int ret = mbedtls_sign_message(pk, sig, length); ret != 0) return fail_mbedtls(state, "signing", ret);
    benchmark::DoNotOptimize(sig);
  }
}

template <class Alg>
void mbedtls_verify(benchmark::State& state, const pki::private_key<Alg>& key) {
  pk_context pk;
  if (!load(state, pk, key)) return;
  std::array<unsigned char, MBEDTLS_PK_SIGNATURE_MAX_SIZE> sig{};
  std::size_t length = 0;
  if (int ret = mbedtls_sign_message(pk, sig, length); ret != 0) return fail_mbedtls(state, "signing", ret);
  (void)mbedtls_verify_message(pk, sig.data(), length);
  report(state, count([&] { (void)mbedtls_verify_message(pk, sig.data(), length); }));
  for (auto _ : state) {
    if (int ret = mbedtls_verify_message(pk, sig.data(), length); ret != 0) {
      return fail_mbedtls(state, "verifying", ret);
    }
  }
}

// --- OpenSSL ---------------------------------------------------------------------------

using evp_key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using md_context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

template <class Alg>
evp_key openssl_key(const pki::private_key<Alg>& key) {
  const auto der = pkcs8_of(key);
  const unsigned char* p = der.data();
  return {d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())), &EVP_PKEY_free};
}

bool openssl_sign_message(EVP_PKEY* key, std::vector<unsigned char>& sig) {
  const auto& m = message();
  md_context ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t length = sig.size();
  const bool ok = ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestSign(ctx.get(), sig.data(), &length, m.data(), m.size()) == 1;
  sig.resize(ok ? length : 0);
  return ok;
}

bool openssl_verify_message(EVP_PKEY* key, const std::vector<unsigned char>& sig) {
  const auto& m = message();
  md_context ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), m.data(), m.size()) == 1;
}

template <class Alg>
void openssl_sign(benchmark::State& state, const pki::private_key<Alg>& key) {
  auto k = openssl_key(key);
  if (!k) return fail_openssl(state, "parsing the key");
  std::vector<unsigned char> sig(512);
  (void)openssl_sign_message(k.get(), sig);
  report(state, count([&] {
           sig.resize(512);
           (void)openssl_sign_message(k.get(), sig);
         }),
         false);
  for (auto _ : state) {
    sig.resize(512);
    if (!openssl_sign_message(k.get(), sig)) return fail_openssl(state, "signing");
  }
}

template <class Alg>
void openssl_verify(benchmark::State& state, const pki::private_key<Alg>& key) {
  auto k = openssl_key(key);
  if (!k) return fail_openssl(state, "parsing the key");
  std::vector<unsigned char> sig(512);
  if (!openssl_sign_message(k.get(), sig)) return fail_openssl(state, "signing");
  (void)openssl_verify_message(k.get(), sig);
  report(state, count([&] { (void)openssl_verify_message(k.get(), sig); }), false);
  for (auto _ : state) {
    if (!openssl_verify_message(k.get(), sig)) return fail_openssl(state, "verifying");
  }
}

template <class Alg>
void register_algorithm(const std::string& tag, const pki::private_key<Alg>& (*key)()) {
  add_case("sign_" + tag, "pki", [key](benchmark::State& s) { pki_sign(s, key()); });
  add_case("sign_" + tag, "mbedtls", [key](benchmark::State& s) { mbedtls_sign(s, key()); });
  add_case("sign_" + tag, "openssl", [key](benchmark::State& s) { openssl_sign(s, key()); });
  add_case("verify_" + tag, "pki", [key](benchmark::State& s) { pki_verify(s, key()); });
  add_case("verify_" + tag, "mbedtls", [key](benchmark::State& s) { mbedtls_verify(s, key()); });
  add_case("verify_" + tag, "openssl", [key](benchmark::State& s) { openssl_verify(s, key()); });
}

const bool registered = [] {
  register_algorithm("ecdsa_p256", &ec_signing_key);
  register_algorithm("rsa2048", &rsa_signing_key);
  return true;
}();

}  // namespace
}  // namespace pki_bench
