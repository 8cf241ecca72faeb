// Validating from many threads against one shared trust store, one shared validator and
// shared certificates is safe: eight threads validate the same paths over and over, good
// ones and failing ones, with the verdicts checked, while certificates are copied, parsed
// and handed from one thread to another. Built and run under ThreadSanitizer by
// check_tsan.cmake (the sanitize.tsan_validation test); a plain program that exits
// non-zero on any wrong verdict, TSan making it fail on any data race.
//
//   validate_concurrently [iterations per thread, default 100]
//   validate_concurrently --race   (a deliberate data race: proves TSan is watching)

#include <pki/issue/authority.hpp>
#include <pki/validate/link_cache.hpp>
#include <pki/validate/path_builder.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/trust_store.hpp>
#include <pki/validate/validator.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "deliberate_race.hpp"

using namespace std::chrono_literals;

namespace {

constexpr int thread_count = 8;

/// The value of a setup step that must succeed; ends the program otherwise.
template <class T>
T need(pki::result<T>&& r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "setup failed: %s: %s\n", what, r.error().message().c_str());
    std::exit(2);
  }
  return std::move(*r);
}

pki::distinguished_name dn(std::string_view text) {
  return need(pki::distinguished_name::parse(text), "a distinguished name");
}

/// Wrong verdicts, counted across threads; the first few are printed.
class verdicts {
 public:
  void wrong(int thread, int iteration, const char* check, const std::string& got) {
    const unsigned n = wrong_.fetch_add(1, std::memory_order_relaxed);
    if (n < 10) {
      const std::lock_guard lock(print_);
      std::fprintf(stderr, "thread %d, iteration %d, %s: %s\n", thread, iteration, check, got.c_str());
    }
  }
  void counted(unsigned n) { checked_.fetch_add(n, std::memory_order_relaxed); }
  [[nodiscard]] unsigned wrong_count() const { return wrong_.load(); }
  [[nodiscard]] unsigned checked_count() const { return checked_.load(); }

 private:
  std::atomic<unsigned> wrong_{0};
  std::atomic<unsigned> checked_{0};
  std::mutex print_{};
};

template <class T>
std::string describe(const pki::result<T>& r) {
  return r ? std::string("success") : r.error().message();
}

/// Certificates one thread leaves for the next, which validates and drops them: the last
/// reference to a certificate's shared data often dies on another thread than made it.
class mailbox {
 public:
  void put(int slot, pki::certificate<> cert) {
    const std::lock_guard lock(mutex_);
    slots_[static_cast<std::size_t>(slot)] = std::move(cert);
  }
  [[nodiscard]] std::optional<pki::certificate<>> take(int slot) {
    const std::lock_guard lock(mutex_);
    return std::exchange(slots_[static_cast<std::size_t>(slot)], std::nullopt);
  }

 private:
  std::mutex mutex_{};
  std::array<std::optional<pki::certificate<>>, thread_count> slots_{};
};

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "--race") return tsan_check::deliberate_race();
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 100;
  if (iterations <= 0) {
    std::fprintf(stderr, "usage: validate_concurrently [iterations per thread]\n");
    return 2;
  }

  // Root -> EC intermediate -> EC P-256 leaf, and root -> RSA intermediate -> RSA-2048
  // leaf, so that threads verify ECDSA and RSA signatures with shared issuer keys.
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  using ec_ca = pki::certificate_authority<pki::ecdsa_p256>;
  const auto root =
      need(ec_ca::create_root(need(pki::private_key<pki::ecdsa_p256>::generate(), "a root key"),
                              dn("CN=TSan Root,O=Acme"), {now - 1h, now + std::chrono::days(3650)}),
           "the root");
  const pki::validity five_years{now - 1h, now + std::chrono::days(1825)};
  const auto ec_issuer =
      need(root.create_intermediate(need(pki::private_key<pki::ecdsa_p256>::generate(), "an EC key"),
                                    dn("CN=TSan EC Issuing,O=Acme"), five_years),
           "the EC intermediate");
  const auto rsa_issuer =
      need(root.create_intermediate(need(pki::private_key<pki::rsa<2048>>::generate(), "an RSA key"),
                                    dn("CN=TSan RSA Issuing,O=Acme"), five_years),
           "the RSA intermediate");
  const pki::validity ninety_days{now - 1h, now + std::chrono::days(90)};
  const auto ec_key = need(pki::private_key<pki::ecdsa_p256>::generate(), "the EC leaf key");
  const auto rsa_key = need(pki::private_key<pki::rsa<2048>>::generate(), "the RSA leaf key");
  const pki::certificate<> ec_leaf =
      need(ec_issuer.issue(
               need(pki::csr_builder().subject("CN=ec.tsan.example").dns("ec.tsan.example").sign(ec_key),
                    "the EC request"),
               pki::profile::tls_server{}, ninety_days),
           "the EC leaf");
  const pki::certificate<> rsa_leaf = need(rsa_issuer.issue(need(pki::csr_builder()
                                                                     .subject("CN=rsa.tsan.example")
                                                                     .dns("rsa.tsan.example")
                                                                     .ip("192.0.2.7")
                                                                     .sign(rsa_key),
                                                                 "the RSA request"),
                                                            pki::profile::tls_server{}, ninety_days),
                                           "the RSA leaf");

  // Shared by every thread, never written after this point.
  const std::vector<pki::certificate<>> roots = {root.certificate()};
  const pki::trust_store store{roots};
  // Unrelated certificates among the intermediates, as a peer may send.
  const std::vector<pki::certificate<>> intermediates = {rsa_issuer.certificate(), ec_leaf,
                                                         ec_issuer.certificate(), rsa_leaf};
  const pki::validator<pki::policy::iot_mtls_client> validator{store};
  const pki::policy::iot_mtls_client policy{};
  const pki::validation_options ec_ok{.peer = pki::dns_name{"ec.tsan.example"}};
  const pki::validation_options rsa_ok{.peer = need(pki::ip_address::parse("192.0.2.7"), "an address")};
  const pki::validation_options wrong_host{.peer = pki::dns_name{"wrong.tsan.example"}};
  const pki::validation_options expired{.peer = pki::dns_name{"rsa.tsan.example"},
                                        .time = rsa_leaf.not_after() + std::chrono::days(1)};
  const pki::validation_options too_early{.time = ec_leaf.not_before() - std::chrono::days(1)};

  // A verified-link cache shared by every thread, small enough that links are evicted
  // while other threads look them up; a decoy issuer (the EC issuer's name, another key)
  // never gets its link in, so the leaf is refused under it every time.
  pki::verified_link_cache shared_links(3);
  const auto decoy =
      need(root.create_intermediate(need(pki::private_key<pki::ecdsa_p256>::generate(), "a decoy key"),
                                    dn("CN=TSan EC Issuing,O=Acme"), five_years),
           "the decoy intermediate");
  const std::vector<pki::certificate<>> decoys = {decoy.certificate()};
  const auto through_cache = [&](pki::validation_options options) {
    options.link_cache = &shared_links;
    return options;
  };
  const auto ec_cached = through_cache(ec_ok);
  const auto rsa_cached = through_cache(rsa_ok);

  verdicts tally;
  mailbox handoff;
  std::latch start(thread_count);
  // Parsed here and not read before the threads start: they all make its names, its owning
  // extension list and its decoded extensions at once (computed on first use).
  const auto untouched = need(pki::certificate<>::from_der(ec_leaf.der()), "an untouched copy");

  const auto expect_path = [&](int t, int i, const char* check, const auto& path,
                               const pki::certificate<>& leaf, const pki::certificate<>& issuer) {
    if (!path) return tally.wrong(t, i, check, describe(path));
    if (path->size() != 3 || !(path->leaf() == leaf) || !((*path)[1] == issuer) ||
        !(path->anchor() == root.certificate())) {
      return tally.wrong(t, i, check, "an unexpected path");
    }
  };
  const auto expect_failure = [&](int t, int i, const char* check, const auto& r, pki::errc code, int depth) {
    if (r || r.error().code() != code || r.error().depth() != depth) tally.wrong(t, i, check, describe(r));
  };

  const auto work = [&](int t) {
    start.arrive_and_wait();
    if (!(untouched.subject() == ec_leaf.subject()) || !(untouched.issuer() == ec_leaf.issuer()) ||
        untouched.extensions().size() != untouched.extension_views().size() ||
        !untouched.subject_alt_name() || !untouched.issuer_name_matches(ec_issuer.certificate())) {
      tally.wrong(t, -1, "first use of an untouched certificate", "a different answer");
    }
    for (int i = 0; i < iterations; ++i) {
      unsigned checks = 0;
      // Good paths through the shared validator, in a growing and a fixed chain.
      expect_path(t, i, "EC leaf", validator.verify(ec_leaf, intermediates, ec_ok), ec_leaf,
                  ec_issuer.certificate());
      expect_path(t, i, "RSA leaf", validator.verify<4>(rsa_leaf, intermediates, rsa_ok), rsa_leaf,
                  rsa_issuer.certificate());
      // Failing ones.
      expect_failure(t, i, "wrong host", validator.verify(ec_leaf, intermediates, wrong_host),
                     pki::errc::name_mismatch, 0);
      expect_failure(t, i, "expired", validator.verify(rsa_leaf, intermediates, expired), pki::errc::expired,
                     0);
      expect_failure(t, i, "not yet valid", validator.verify(ec_leaf, intermediates, too_early),
                     pki::errc::not_yet_valid, 0);
      expect_failure(t, i, "no intermediates", validator.verify(ec_leaf, {}, ec_ok), pki::errc::untrusted, 0);
      checks += 6;

      // Through the shared link cache: the good paths, and the decoy refused.
      expect_path(t, i, "EC leaf, cached links", validator.verify(ec_leaf, intermediates, ec_cached), ec_leaf,
                  ec_issuer.certificate());
      expect_path(t, i, "RSA leaf, cached links", validator.verify(rsa_leaf, intermediates, rsa_cached),
                  rsa_leaf, rsa_issuer.certificate());
      expect_failure(t, i, "decoy issuer, cached links", validator.verify(ec_leaf, decoys, ec_cached),
                     pki::errc::bad_signature, 0);
      checks += 3;

      // The shared store straight into a path builder, and the story of a failure.
      if (!pki::path_builder(store, intermediates).build(rsa_leaf, policy, rsa_ok)) {
        tally.wrong(t, i, "path builder on the shared store", "no path");
      }
      if (!store.contains(root.certificate()) || store.contains(ec_leaf)) {
        tally.wrong(t, i, "contains", "wrong answer");
      }
      if (i % 16 == 0) {
        const auto search = validator.search(rsa_leaf, intermediates, expired);
        if (search || search.explain().find("expired") == std::string::npos) {
          tally.wrong(t, i, "explained expiry", search.explain());
        }
      }
      checks += 3;

      // Copies of the shared objects, made while other threads read and copy them.
      const pki::certificate<> leaf_copy = (i % 2 == 0) ? ec_leaf : rsa_leaf;
      const std::vector<pki::certificate<>> intermediates_copy = intermediates;
      const auto& expected_issuer =
          (i % 2 == 0) ? pki::certificate<>(ec_issuer.certificate()) : pki::certificate<>(rsa_issuer.certificate());
      const auto& host = (i % 2 == 0) ? ec_ok : rsa_ok;
      if (i % 8 == 0) {
        // A validator of this thread's own over a copy of the shared store.
        const pki::validator<pki::policy::iot_mtls_client> own{store};
        expect_path(t, i, "own validator", own.verify(leaf_copy, intermediates_copy, host), leaf_copy,
                    expected_issuer);
        ++checks;
      }
      // Leave a freshly parsed certificate for a neighbour and validate what the other
      // neighbour left: a certificate's shared data is often released by another thread
      // than the one that parsed it.
      handoff.put(t, need(pki::certificate<>::from_der(leaf_copy.der()), "a parsed copy"));
      if (auto received = handoff.take((t + 1) % thread_count)) {
        const bool ec = *received == ec_leaf;
        expect_path(t, i, "handed-over leaf", validator.verify(*received, intermediates, ec ? ec_ok : rsa_ok),
                    *received,
                    ec ? pki::certificate<>(ec_issuer.certificate()) : pki::certificate<>(rsa_issuer.certificate()));
        if (received->subject().to_string().empty()) tally.wrong(t, i, "subject", "empty");
        ++checks;
      }
      tally.counted(checks);
    }
  };

  const auto began = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  threads.reserve(thread_count);
  for (int t = 0; t < thread_count; ++t) threads.emplace_back(work, t);
  for (auto& thread : threads) thread.join();
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);

  if (shared_links.size() > shared_links.capacity() || shared_links.hits() == 0) {
    tally.wrong(-1, -1, "the shared link cache", "over its capacity, or never hit");
  }
  std::printf("%d threads x %d iterations: %u checks, %u wrong verdicts, %lld ms; link cache %llu hits, %llu misses\n",
              thread_count, iterations, tally.checked_count(), tally.wrong_count(), static_cast<long long>(took.count()),
              static_cast<unsigned long long>(shared_links.hits()), static_cast<unsigned long long>(shared_links.misses()));
  return tally.wrong_count() == 0 ? 0 : 1;
}
