// Validating the typical leaf's chain: validator<policy::web_server>::verify against
// mbedtls_x509_crt_verify_with_profile (a profile accepting what web_server accepts: SHA-2,
// RSA of 2048 bits or more, the NIST curves) followed by mbedTLS's serverAuth check, and
// OpenSSL's X509_verify_cert with the host name and the SSL server purpose. Every column
// gets the certificates already parsed, the host name to check and the current time.
//
// The "stubbed" cases switch the signature math off (counting.hpp) in pki and mbedTLS
// alike, leaving what each library does around it: the growth cases vary the chain length
// (2, 3, 5, 8 certificates), the decoy intermediates (10, 100 CA certificates with the
// issuing CA's name and other keys, sent after the real one: mbedTLS takes the first
// candidate that names the right issuer, so a decoy before it would fail mbedTLS) and the
// anchors (1, or the Debian roots, 144 on Debian 12, before the test root; the "anchors"
// counter says how many each library loaded).

#include <mbedtls/oid.h>
#include <mbedtls/x509_crt.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/validator.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench.hpp"
#include "counting.hpp"
#include "fixtures.hpp"

namespace pki_bench {
namespace {

struct scenario {
  std::size_t length = 3;
  std::size_t decoys = 0;
  bool system_anchors = false;  ///< the Debian roots besides the test root
  bool stubbed = false;

  [[nodiscard]] std::string name() const {
    std::string n = "validate_chain" + std::to_string(length);
    if (decoys != 0) n += "_decoys" + std::to_string(decoys);
    if (system_anchors) n += "_debian_anchors";
    if (stubbed) n += "_stubbed";
    return n;
  }
  /// The leaf's chain as sent: the real intermediates, then the decoys.
  [[nodiscard]] std::vector<pki::certificate<>> sent() const {
    auto out = chain_of(length).intermediates;
    const auto& extra = pki_bench::decoys(decoys);
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  }
  /// The anchors, the test root last.
  [[nodiscard]] std::vector<pki::certificate<>> anchors() const {
    std::vector<pki::certificate<>> out;
    if (system_anchors) out = debian_roots();
    out.push_back(chain_of(length).root.cert);
    return out;
  }
};

/// Fails the case unless the signature wrappers are in effect: a stubbed check of a
/// signature over other data passes, and every check was counted.
bool stub_in_effect(benchmark::State& state, const tally& t) {
  if (t.signature_checks == 0) {
    fail(state, "no signature check was counted: pki-bench was linked without its --wrap options");
    return false;
  }
  const auto& h = web();
  const stubbed_signatures stub;
  // The leaf's signature checked with the root's key: only a stub accepts it.
  if (!h.leaf.cert.verify_signature(h.root.cert.public_key())) {
    fail(state, "the stubbed signature check still did the math");
    return false;
  }
  return true;
}

// --- pki -------------------------------------------------------------------------------

void pki_validate(benchmark::State& state, const scenario& sc) {
  const auto& leaf = chain_of(sc.length).leaf.cert;
  const auto sent = sc.sent();
  const auto anchor_list = sc.anchors();
  const pki::validator<pki::policy::web_server> validator{pki::trust_store(anchor_list)};
  state.counters["anchors"] = static_cast<double>(validator.anchors().size());
  const pki::validation_options options{.peer = pki::dns_name{std::string(host)}};
  std::optional<stubbed_signatures> stub;
  if (sc.stubbed) stub.emplace();
  if (auto path = validator.verify(leaf, sent, options); !path) {
    return fail(state, "validating", path.error());
  } else if (path->size() != sc.length) {
    return fail(state, "validating: a path of " + std::to_string(path->size()) + " certificates");
  }
  const auto t = count([&] { (void)validator.verify(leaf, sent, options); });
  if (sc.stubbed) {
    stub.reset();
    if (!stub_in_effect(state, t)) return;
    stub.emplace();
  }
  report(state, t);
  for (auto _ : state) {
    auto path = validator.verify(leaf, sent, options);
    if (!path) return fail(state, "validating", path.error());
    benchmark::DoNotOptimize(path);
  }
}

// --- mbedTLS ---------------------------------------------------------------------------

using x509_crt = raw<mbedtls_x509_crt, mbedtls_x509_crt_init, mbedtls_x509_crt_free>;

/// What policy::web_server's algorithm rules accept (policy::modern_algorithms).
const mbedtls_x509_crt_profile web_profile = {
    .allowed_mds = MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
                   MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
    .allowed_pks = MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA) |
                   MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY),
    .allowed_curves = MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) |
                      MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1) |
                      MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP521R1),
    .rsa_min_bitlen = 2048,
};

/// mbedTLS's verification of the chain for `host`, then its serverAuth check of the leaf.
int mbedtls_verify_chain(x509_crt& chain, x509_crt& trusted) {
  std::uint32_t flags = 0;
  const std::string name(host);
  int ret = mbedtls_x509_crt_verify_with_profile(chain.get(), trusted.get(), nullptr, &web_profile,
                                                 name.c_str(), &flags, nullptr, nullptr);
  if (ret != 0) return ret;
  return mbedtls_x509_crt_check_extended_key_usage(chain.get(), MBEDTLS_OID_SERVER_AUTH,
                                                   MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH));
}

void mbedtls_validate(benchmark::State& state, const scenario& sc) {
  x509_crt chain;
  x509_crt trusted;
  const auto& leaf = chain_of(sc.length).leaf.cert;
  if (int ret = mbedtls_x509_crt_parse_der(chain.get(), leaf.der().data(), leaf.der().size()); ret != 0) {
    return fail_mbedtls(state, "parsing the leaf", ret);
  }
  for (const auto& cert : sc.sent()) {
    if (int ret = mbedtls_x509_crt_parse_der(chain.get(), cert.der().data(), cert.der().size()); ret != 0) {
      return fail_mbedtls(state, "parsing an intermediate", ret);
    }
  }
  std::size_t anchors = 0;
  const auto anchor_list = sc.anchors();
  for (const auto& cert : anchor_list) {
    // A root mbedTLS cannot parse is left out (the test root, last, must parse).
    const int ret = mbedtls_x509_crt_parse_der(trusted.get(), cert.der().data(), cert.der().size());
    if (ret == 0) ++anchors;
    if (ret != 0 && &cert == &anchor_list.back()) return fail_mbedtls(state, "parsing the root", ret);
  }
  state.counters["anchors"] = static_cast<double>(anchors);
  std::optional<stubbed_signatures> stub;
  if (sc.stubbed) stub.emplace();
  if (int ret = mbedtls_verify_chain(chain, trusted); ret != 0) return fail_mbedtls(state, "validating", ret);
  const auto t = count([&] { (void)mbedtls_verify_chain(chain, trusted); });
  if (sc.stubbed) {
    stub.reset();
    if (!stub_in_effect(state, t)) return;
    stub.emplace();
  }
  report(state, t);
  for (auto _ : state) {
    if (int ret = mbedtls_verify_chain(chain, trusted); ret != 0)
      return fail_mbedtls(state, "validating", ret);
  }
}

// --- OpenSSL ---------------------------------------------------------------------------

using x509 = std::unique_ptr<X509, decltype(&X509_free)>;

x509 openssl_cert(const pki::certificate<>& cert) {
  const unsigned char* p = cert.der().data();
  return {d2i_X509(nullptr, &p, static_cast<long>(cert.der().size())), &X509_free};
}

bool openssl_verify_chain(X509_STORE* store, X509* leaf, STACK_OF(X509) * untrusted) {
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  if (ctx == nullptr) return false;
  const std::string name(host);
  bool ok = X509_STORE_CTX_init(ctx, store, leaf, untrusted) == 1 &&
            X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx), name.data(), name.size()) == 1 &&
            X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER) == 1;
  ok = ok && X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  return ok;
}

void openssl_validate(benchmark::State& state, const scenario& sc) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
      sk_X509_new_null(), [](STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); });
  auto leaf = openssl_cert(chain_of(sc.length).leaf.cert);
  if (!store || !untrusted || !leaf) return fail_openssl(state, "setting up");
  for (const auto& cert : sc.anchors()) {
    auto parsed = openssl_cert(cert);
    if (parsed) X509_STORE_add_cert(store.get(), parsed.get());  // the store takes a reference
  }
  for (const auto& cert : sc.sent()) {
    auto parsed = openssl_cert(cert);
    if (!parsed) return fail_openssl(state, "parsing an intermediate");
    sk_X509_push(untrusted.get(), parsed.release());
  }
  if (!openssl_verify_chain(store.get(), leaf.get(), untrusted.get()))
    return fail_openssl(state, "validating");
  report(state, count([&] { (void)openssl_verify_chain(store.get(), leaf.get(), untrusted.get()); }), false);
  for (auto _ : state) {
    if (!openssl_verify_chain(store.get(), leaf.get(), untrusted.get()))
      return fail_openssl(state, "validating");
  }
}

void register_scenario(const scenario& sc, bool with_openssl) {
  const auto name = sc.name();
  add_case(name, "pki", [sc](benchmark::State& s) { pki_validate(s, sc); });
  add_case(name, "mbedtls", [sc](benchmark::State& s) { mbedtls_validate(s, sc); });
  if (with_openssl) add_case(name, "openssl", [sc](benchmark::State& s) { openssl_validate(s, sc); });
}

const bool registered = [] {
  // Real signatures.
  register_scenario({.length = 3}, true);
  register_scenario({.length = 3, .decoys = 100}, true);
  // The signature math switched off (no OpenSSL column: its math cannot be switched off).
  for (std::size_t length : {2, 3, 5, 8}) register_scenario({.length = length, .stubbed = true}, false);
  for (std::size_t decoys : {10, 100})
    register_scenario({.length = 3, .decoys = decoys, .stubbed = true}, false);
  register_scenario({.length = 3, .system_anchors = true, .stubbed = true}, false);
  return true;
}();

}  // namespace
}  // namespace pki_bench
