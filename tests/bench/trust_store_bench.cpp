// Loading the system's roots: pki::trust_store::from_file on Debian's PEM bundle against
// mbedtls_x509_crt_parse_file and OpenSSL's X509_STORE_load_file, each reading the file
// and parsing every certificate in it. A parse case: the "anchors" counter says how many
// certificates each kept.

#include <mbedtls/x509_crt.h>
#include <openssl/x509_vfy.h>
#include <pki/validate/trust_store.hpp>

#include <memory>
#include <string>

#include "bench.hpp"
#include "counting.hpp"
#include "fixtures.hpp"

namespace pki_bench {
namespace {

const std::string bundle(debian_bundle);

void pki_load(benchmark::State& state) {
  (void)pki::trust_store::from_file(bundle);  // warms lazy initialisation up before the counted load
  {
    std::size_t anchors = 0;
    const auto t = count([&] {
      auto store = pki::trust_store::from_file(bundle);
      if (store) anchors = store->size();
    });
    if (anchors == 0) {
      auto store = pki::trust_store::from_file(bundle);
      return fail(state, "loading " + bundle,
                  store ? pki::error(pki::errc::parse_failed, "empty") : store.error());
    }
    report(state, t);
    state.counters["anchors"] = static_cast<double>(anchors);
  }
  for (auto _ : state) {
    auto store = pki::trust_store::from_file(bundle);
    if (!store) return fail(state, "loading " + bundle, store.error());
    benchmark::DoNotOptimize(store);
  }
}

using x509_crt = raw<mbedtls_x509_crt, mbedtls_x509_crt_init, mbedtls_x509_crt_free>;

/// mbedtls_x509_crt_parse_file answers how many certificates it could not parse.
int mbedtls_load_into(x509_crt& list) {
  return mbedtls_x509_crt_parse_file(list.get(), bundle.c_str());
}

void mbedtls_load(benchmark::State& state) {
  {
    x509_crt warm;
    (void)mbedtls_load_into(warm);
  }
  {
    x509_crt list;
    int ret = 0;
    const auto t = count([&] { ret = mbedtls_load_into(list); });
    if (ret < 0) return fail_mbedtls(state, "loading " + bundle, ret);
    std::size_t anchors = 0;
    for (const mbedtls_x509_crt* c = list.get(); c != nullptr && c->raw.p != nullptr; c = c->next) ++anchors;
    report(state, t);
    state.counters["anchors"] = static_cast<double>(anchors);
  }
  for (auto _ : state) {
    x509_crt list;
    if (int ret = mbedtls_load_into(list); ret < 0) return fail_mbedtls(state, "loading " + bundle, ret);
  }
}

void openssl_load(benchmark::State& state) {
  const auto load = [] {
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
    if (store && X509_STORE_load_file(store.get(), bundle.c_str()) != 1) store.reset();
    return store;
  };
  (void)load();
  {
    std::size_t anchors = 0;
    const auto t = count([&] {
      auto store = load();
      if (store) anchors = static_cast<std::size_t>(sk_X509_OBJECT_num(X509_STORE_get0_objects(store.get())));
    });
    if (anchors == 0) return fail_openssl(state, "loading " + bundle);
    report(state, t, false);
    state.counters["anchors"] = static_cast<double>(anchors);
  }
  for (auto _ : state) {
    if (!load()) return fail_openssl(state, "loading " + bundle);
  }
}

const bool registered = [] {
  add_case("parse_debian_roots", "pki", pki_load);
  add_case("parse_debian_roots", "mbedtls", mbedtls_load);
  add_case("parse_debian_roots", "openssl", openssl_load);
  return true;
}();

}  // namespace
}  // namespace pki_bench
