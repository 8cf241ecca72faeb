// Parsing the typical TLS leaf from DER: certificate<>::from_der against
// mbedtls_x509_crt_parse_der (both copy the DER) and OpenSSL's d2i_X509. Besides the time:
// the allocations of one parse, and the memory one parsed certificate holds (the heap it
// keeps, measured as malloc_usable_size of the blocks still allocated after the parse,
// plus the object itself: a certificate<> handle, an mbedtls_x509_crt struct).

#include <mbedtls/x509_crt.h>
#include <openssl/x509.h>
#include <pki/x509/certificate.hpp>

#include <cstddef>
#include <optional>

#include "bench.hpp"
#include "counting.hpp"
#include "fixtures.hpp"

namespace pki_bench {
namespace {

void report_held(benchmark::State& state, const tally& t, std::size_t object_size, bool signatures = true) {
  report(state, t, signatures);
  state.counters["bytes_held"] = static_cast<double>(t.bytes_net) + static_cast<double>(object_size);
  state.counters["der_bytes"] = static_cast<double>(web().leaf.cert.der().size());
}

void pki_parse(benchmark::State& state) {
  const auto der = web().leaf.cert.der();
  (void)pki::certificate<>::from_der(der);  // warms lazy initialisation up before the counted parse
  {
    std::optional<pki::certificate<>> kept;
    const auto t = count([&] {
      auto cert = pki::certificate<>::from_der(der);
      if (cert) kept.emplace(std::move(*cert));
    });
    if (!kept) return fail(state, "parsing the leaf", pki::certificate<>::from_der(der).error());
    report_held(state, t, sizeof(pki::certificate<>));
  }
  for (auto _ : state) {
    auto cert = pki::certificate<>::from_der(der);
    if (!cert) return fail(state, "parsing the leaf", cert.error());
    benchmark::DoNotOptimize(cert);
  }
}

using x509_crt = raw<mbedtls_x509_crt, mbedtls_x509_crt_init, mbedtls_x509_crt_free>;

void mbedtls_parse(benchmark::State& state) {
  const auto der = web().leaf.cert.der();
  {
    x509_crt warm;
    (void)mbedtls_x509_crt_parse_der(warm.get(), der.data(), der.size());
  }
  {
    x509_crt kept;
    int ret = 0;
    const auto t = count([&] { ret = mbedtls_x509_crt_parse_der(kept.get(), der.data(), der.size()); });
    if (ret != 0) return fail_mbedtls(state, "parsing the leaf", ret);
    report_held(state, t, sizeof(mbedtls_x509_crt));
  }
  for (auto _ : state) {
    x509_crt crt;
    if (int ret = mbedtls_x509_crt_parse_der(crt.get(), der.data(), der.size()); ret != 0) {
      return fail_mbedtls(state, "parsing the leaf", ret);
    }
    benchmark::DoNotOptimize(crt.get());
  }
}

void openssl_parse(benchmark::State& state) {
  const auto der = web().leaf.cert.der();
  const auto parse = [&] {
    const unsigned char* p = der.data();
    return d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  };
  X509_free(parse());
  {
    X509* kept = nullptr;
    const auto t = count([&] { kept = parse(); });
    if (kept == nullptr) return fail_openssl(state, "parsing the leaf");
    report_held(state, t, 0, false);  // d2i_X509 allocates the X509 itself: counted in the heap
    X509_free(kept);
  }
  for (auto _ : state) {
    X509* cert = parse();
    if (cert == nullptr) return fail_openssl(state, "parsing the leaf");
    X509_free(cert);
  }
}

const bool registered = [] {
  add_case("parse_leaf", "pki", pki_parse);
  add_case("parse_leaf", "mbedtls", mbedtls_parse);
  add_case("parse_leaf", "openssl", openssl_parse);
  return true;
}();

}  // namespace
}  // namespace pki_bench
