// Memory running out, everywhere it can: each operation (parse, issue, validate, a TLS
// handshake) runs once to count its allocations, then once more for every N with the
// N-th allocation failing. Allocations are counted across the library's C++ containers
// (operator new, replaced here) and mbedTLS's calloc (linked with -Wl,--wrap=calloc,free
// against mbedTLS's static archives). Every run must end in a result: success, or an error
// that says out_of_memory (a TLS handshake: any error, see sweep_rules); nothing may crash
// or leak (the counters below see every live allocation; the asan preset's LeakSanitizer
// sees the rest), and the operation must work again afterwards. Each sweep prints how many
// failure points it tried and what they ended in.

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <algorithm>
#include <array>
#include <execinfo.h>
#include <initializer_list>
#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <iostream>
#include <map>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"
#include "support/hierarchy.hpp"
#include "support/tls_fixture.hpp"

// --- The failing allocator -------------------------------------------------------------

namespace {

struct allocation_counter {
  std::atomic<bool> armed{false};
  std::atomic<long> seen{0};     // allocations while armed
  std::atomic<long> fail_at{0};  // the allocation (1-based) that fails; 0: none
  std::atomic<long> live{0};     // allocations not freed yet (both kinds, armed or not)
  std::atomic<long> failed{0};   // allocations refused

  /// True when this allocation is the one to refuse.
  bool refuse() noexcept {
    if (!armed.load(std::memory_order_relaxed)) return false;
    const long n = seen.fetch_add(1, std::memory_order_relaxed) + 1;
    if (n != fail_at.load(std::memory_order_relaxed)) return false;
    failed.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
};

allocation_counter counter;

/// Where mbedTLS's live allocations were made, kept only while a leak is being diagnosed
/// (a run that kept allocations, run again): a fixed table whose freed slots are reused, so
/// that keeping it allocates nothing.
struct allocation_sites {
  struct site {
    void* block = nullptr;
    std::array<void*, 32> frames{};
    int depth = 0;
  };
  std::atomic<bool> recording{false};
  std::array<site, 4096> sites{};
  std::size_t used = 0;  // slots ever taken since the last reset()
  std::array<std::size_t, 4096> free_slots{};
  std::size_t free_count = 0;

  void reset() noexcept {
    used = 0;
    free_count = 0;
  }
  void made(void* block) noexcept {
    if (!recording.exchange(false)) return;  // off while backtrace() runs
    std::size_t slot = used;
    if (free_count > 0) {
      slot = free_slots[--free_count];
    } else if (used < sites.size()) {
      ++used;
    } else {
      slot = sites.size();  // more live allocations than slots: this one goes unrecorded
    }
    if (slot < sites.size()) {
      sites[slot].block = block;
      sites[slot].depth = backtrace(sites[slot].frames.data(), static_cast<int>(sites[slot].frames.size()));
    }
    recording = true;
  }
  void freed(void* block) noexcept {
    if (!recording.load()) return;
    for (std::size_t i = 0; i < used; ++i) {
      if (sites[i].block == block) {
        sites[i].block = nullptr;
        free_slots[free_count++] = i;
        return;
      }
    }
  }
};

allocation_sites sites;
// backtrace() loads its unwinder on first use: before any run is measured.
[[maybe_unused]] const int backtrace_ready = [] {
  std::array<void*, 1> frame{};
  return backtrace(frame.data(), 1);
}();

}  // namespace

extern "C" {
void* __real_calloc(std::size_t count, std::size_t size);
void __real_free(void* p);

void* __wrap_calloc(std::size_t count, std::size_t size) {
  if (counter.refuse()) return nullptr;
  void* p = __real_calloc(count, size);
  if (p != nullptr) {
    counter.live.fetch_add(1, std::memory_order_relaxed);
    sites.made(p);
  }
  return p;
}

void __wrap_free(void* p) {
  if (p != nullptr) {
    counter.live.fetch_sub(1, std::memory_order_relaxed);
    sites.freed(p);
  }
  __real_free(p);
}
}

namespace {

void* counted_new(std::size_t size) noexcept {
  if (counter.refuse()) return nullptr;
  void* p = std::malloc(size == 0 ? 1 : size);  // NOLINT: the allocator under test
  if (p != nullptr) counter.live.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void counted_delete(void* p) noexcept {
  if (p == nullptr) return;
  counter.live.fetch_sub(1, std::memory_order_relaxed);
  __real_free(p);  // operator new took it from malloc, not from the wrapped calloc
}

}  // namespace

void* operator new(std::size_t size) {
  if (void* p = counted_new(size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
  if (void* p = counted_new(size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return counted_new(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return counted_new(size);
}
void operator delete(void* p) noexcept {
  counted_delete(p);
}
void operator delete[](void* p) noexcept {
  counted_delete(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_delete(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_delete(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  counted_delete(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  counted_delete(p);
}

// --- The sweep -----------------------------------------------------------------------

namespace {

using pki::errc;

/// What one run of an operation ended in. The message is kept in place, so that keeping
/// it allocates nothing the leak count would see.
struct outcome {
  bool ok = false;
  errc code = errc::invalid_argument;
  std::array<char, 240> text{};

  outcome() = default;
  outcome(const pki::error& e, std::string_view prefix = {}) : ok(false), code(e.code()) {
    const std::string message = std::string(prefix) + e.message();
    message.copy(text.data(), text.size() - 1);
  }
  [[nodiscard]] static outcome success() {
    outcome o;
    o.ok = true;
    return o;
  }
  [[nodiscard]] std::string_view message() const { return text.data(); }
};

template <class T>
outcome outcome_of(const pki::result<T>& r) {
  return r ? outcome::success() : outcome(r.error());
}

/// How a sweep went: failure points tried, and what the runs ended in.
struct sweep_report {
  long points = 0;
  long out_of_memory = 0;
  long succeeded = 0;  // the failed allocation was one the operation can do without
  long masked = 0;     // mbedTLS reported the failed allocation as another error
  long upstream_leaks = 0;  // runs that kept only what mbedTLS leaks (upstream_leak_sites)
  std::map<std::string, long> other{};
};

/// An error mbedTLS gives for a failed allocation in a known place, where the library
/// cannot tell it from bad input. Still a refusal, never a wrong success.
struct masked_by_mbedtls {
  errc code;
  std::string_view message_part;  // in the error's message, with mbedTLS's code
};

/// What a sweep demands of each run besides freeing what it took.
struct sweep_rules {
  /// Library operations end in out_of_memory (or a `masked` error). A TLS handshake may end
  /// in any error: mbedTLS's state machine reports a failed allocation as whatever state it
  /// was in (a handshake failure, an alert to the peer).
  bool any_error = false;
  std::initializer_list<masked_by_mbedtls> masked = {};
  long stride = 1;  // every stride-th failure point (1: every one)
};

/// Every failure point of a TLS handshake costs a handshake: some 54,000 for the four
/// sweeps, 11 minutes here. CI tries every 13th (every 131st under sanitizers);
/// PKI_FAULTS_EVERY_ALLOCATION=1 in the environment tries each.
long tls_stride() {
  if (const char* every = std::getenv("PKI_FAULTS_EVERY_ALLOCATION"); every != nullptr && every[0] == '1') return 1;
#ifdef PKI_FAULTS_SANITIZED
  return 131;
#else
  return 13;
#endif
}

/// mbedTLS 3.6.6 leaks when an allocation fails in these functions: they free a transform
/// with mbedtls_free, not mbedtls_ssl_transform_free, so the cipher contexts set up before
/// the failure stay (ssl_tls13_keys.c, the cleanup of the three compute_*_transform
/// functions around mbedtls_ssl_tls13_populate_transform).
constexpr std::array<std::string_view, 1> upstream_leak_sites{"mbedtls_ssl_tls13_populate_transform"};

struct leak_report {
  long upstream = 0;   // kept allocations made under an upstream_leak_sites function
  std::string stacks;  // the others' stacks
};

/// The allocations still live after a run that recorded their sites.
leak_report leak_sites() {
  leak_report out;
  for (std::size_t i = 0; i < sites.used; ++i) {
    const auto& site = sites.sites[i];
    if (site.block == nullptr) continue;
    char** symbols = backtrace_symbols(site.frames.data(), site.depth);
    std::string stack;
    for (int f = 0; symbols != nullptr && f < site.depth; ++f) stack += std::string("    ") + symbols[f] + "\n";
    std::free(symbols);  // NOLINT: backtrace_symbols' own malloc
    if (std::ranges::any_of(upstream_leak_sites, [&](std::string_view fn) { return stack.find(fn) != std::string::npos; })) {
      ++out.upstream;
    } else {
      out.stacks += stack + "\n";
    }
  }
  return out;
}

/// PSA's generator sets up its entropy accumulator at its first reseed, after 10,000 draws,
/// and keeps it: drawn past that here, so that no sweep sees it as a leak.
void settle_random_generator() {
  static const bool settled = [] {
    std::array<std::uint8_t, 1> byte{};
    for (int i = 0; i < 10'001; ++i) {
      if (!pki::random_bytes(byte)) return false;
    }
    return true;
  }();
  BOOST_TEST_REQUIRE(settled);
}

/// Runs `op` (returning an outcome) with no failure to count its allocations, then with
/// the N-th failing for every N (every stride-th). Each run must free what it took and end
/// in a result the rules allow; afterwards the operation works again.
template <class Op>
sweep_report sweep(const char* name, Op&& op, const sweep_rules& rules = {}) {
  const auto run = [&](long fail_at) {
    counter.seen = 0;
    counter.fail_at = fail_at;
    const long before = counter.live.load();
    counter.armed = true;
    outcome o = op();
    counter.armed = false;
    const long leaked = counter.live.load() - before;
    return std::pair<outcome, long>(std::move(o), leaked);
  };
  settle_random_generator();
  (void)run(0);  // a warm-up: first-use state (PSA, static tables) is allocated once
  const auto [clean, clean_leak] = run(0);
  BOOST_TEST_REQUIRE(clean.ok, name << " without failures: " << clean.message());
  BOOST_TEST(clean_leak == 0, name << " without failures kept " << clean_leak << " allocations");
  const long total = counter.seen.load();
  sweep_report report;
  for (long n = 1; n <= total; n += rules.stride) {
    auto [o, leaked] = run(n);
    ++report.points;
    if (leaked != 0) {
      // Run it again, recording where mbedTLS's allocations are made, until a run keeps
      // allocations again: a handshake's count varies by an allocation or two (signature
      // lengths), so the same N does not always fail the same allocation.
      for (int attempt = 0; attempt < 16; ++attempt) {
        sites.reset();
        sites.recording = true;
        const auto [again, kept] = run(n);
        sites.recording = false;
        if (kept == 0) continue;
        const auto where = leak_sites();
        if (where.upstream == kept) {
          ++report.upstream_leaks;
          leaked = 0;
        } else {
          std::cout << name << ", allocation " << n << ": " << kept << " kept, " << where.upstream
                    << " of them in mbedTLS's known leak; the others were made at\n"
                    << where.stacks;
        }
        break;
      }
    }
    BOOST_TEST(leaked == 0, name << ", allocation " << n << " of " << total << " failing: " << leaked
                                 << " allocations not freed (" << o.message() << ")");
    if (o.ok) {
      ++report.succeeded;
    } else if (o.code == errc::out_of_memory) {
      ++report.out_of_memory;
    } else if (std::ranges::any_of(rules.masked, [&](const masked_by_mbedtls& m) {
                 return o.code == m.code && o.message().find(m.message_part) != std::string_view::npos;
               })) {
      ++report.masked;
    } else {
      ++report.other[std::string(pki::describe(o.code))];
      if (!rules.any_error) BOOST_ERROR(name << ", allocation " << n << " of " << total << " failing: " << o.message());
    }
  }
  const auto [again, again_leak] = run(0);
  BOOST_TEST(again.ok, name << " after the sweep: " << again.message());
  BOOST_TEST(again_leak == 0);
  long others = 0;
  for (const auto& [code, count] : report.other) others += count;
  std::cout << "allocation failures: " << name << ": " << report.points << " of " << total
            << " failure points (every " << rules.stride << "), all survived: " << report.out_of_memory
            << " out_of_memory, " << report.succeeded << " succeeded anyway, " << report.masked
            << " reported by mbedTLS as malformed input, " << others << " other errors, "
            << report.upstream_leaks
            << " leaked in mbedTLS 3.6.6 (see upstream_leak_sites)\n";
  for (const auto& [code, count] : report.other) std::cout << "  " << count << " x " << code << "\n";
  return report;
}

struct fixture {
  const pki_test::three_level& h = pki_test::shared();
  std::string leaf_pem = pki_test::value_of(h.leaf.cert.to_pem());
  pki::byte_buffer csr_der;
  pki::byte_buffer crl_der;
  std::string key_pem;
  pki::certificate_authority<> ca;

  fixture()
      : ca(pki_test::value_of(
            pki::certificate_authority<>::create(h.inter.cert, pki_test::value_of(h.inter.key.clone())))) {
    const auto request = pki_test::value_of(
        pki::csr_builder().subject("CN=device-7").dns("device-7.example").sign(h.leaf.key));
    csr_der.assign(request.der().begin(), request.der().end());
    pki::revoked_certificate entry;
    entry.serial = {0x01, 0x02};
    entry.revocation_date = pki_test::when;
    const auto list = pki_test::value_of(
        ca.issue_crl(std::vector{entry}, {pki_test::when, pki_test::when + std::chrono::days(7)}, 1));
    crl_der.assign(list.der().begin(), list.der().end());
    key_pem.assign(pki_test::value_of(h.leaf.key.to_pem()));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(allocation_failures)

BOOST_AUTO_TEST_CASE(parsing_survives_every_failing_allocation) {
  const fixture f;
  sweep("parse a certificate (PEM)", [&] { return outcome_of(pki::certificate<>::from_pem(f.leaf_pem)); });
  sweep("parse a CSR (and check its signature)", [&] { return outcome_of(pki::csr<>::from_der(f.csr_der)); });
  sweep("parse a CRL", [&] { return outcome_of(pki::crl::from_der(f.crl_der)); });
  // pkparse.c (3.6) answers a failed allocation while reading SEC1's public point with a
  // bare MBEDTLS_ERR_PK_KEY_INVALID_FORMAT, the code of a malformed key.
  sweep(
      "parse a private key", [&] { return outcome_of(pki::private_key<>::from_pem(f.key_pem)); },
      {.masked = {{errc::parse_failed, "[mbedTLS -0x3D00: PK - Invalid key tag or value]"}}});
  sweep("parse a name", [&] {
    return outcome_of(pki::distinguished_name::parse("CN=device 7,OU=Plant \\+ Line 2,O=Acme,C=DE"));
  });
}

BOOST_AUTO_TEST_CASE(issuing_survives_every_failing_allocation) {
  const fixture f;
  const auto request = pki_test::value_of(pki::csr<>::from_der(f.csr_der));
  const pki::validity period{pki_test::leaf_period.not_before,
                             pki_test::leaf_period.not_before + std::chrono::days(30)};
  sweep("issue a TLS server certificate",
        [&] { return outcome_of(f.ca.issue(request, pki::profile::tls_server{}, period)); });
}

BOOST_AUTO_TEST_CASE(validating_survives_every_failing_allocation) {
  const fixture f;
  const pki::validator<pki::policy::web_server> v{pki_test::anchors_of({f.h.root.cert})};
  const std::vector bag{f.h.inter.cert};
  sweep("validate a three-certificate path (web_server)", [&] {
    return outcome_of(v.verify(f.h.leaf.cert, bag, pki_test::for_peer(pki::dns_name{"www.example.com"})));
  });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tls_allocation_failures)

namespace tf = pki_test::tls_fixture;

/// A mutual-TLS handshake, with allocations failing only while `failing_side` runs.
outcome handshake_with_failures_in(tf::connection& c, bool client_side) {
  tf::handshake_outcome out;
  for (;;) {
    const std::size_t before = c.pipe.traffic();
    if (tf::waiting(out.client)) {
      counter.armed = client_side;
      out.client = c.client.handshake();
      counter.armed = false;
    }
    if (tf::waiting(out.server)) {
      counter.armed = !client_side;
      out.server = c.server.handshake();
      counter.armed = false;
    }
    if (!tf::waiting(out.client) && !tf::waiting(out.server)) break;
    if (c.pipe.traffic() == before) break;
  }
  const auto& judged = client_side ? out.client : out.server;
  if (out.client && out.server) return outcome::success();
  if (!judged) return outcome(judged.error());
  // The failing side finished (its failed allocation was one it could do without); the
  // other failed only because of it: say what the other saw.
  const auto& other = client_side ? out.server : out.client;
  return outcome(other.error(), "the other side: ");
}

BOOST_DATA_TEST_CASE(handshakes_survive_every_failing_allocation,
                     boost::unit_test::data::make(tf::all_versions) *
                         boost::unit_test::data::make({true, false}),
                     version, client_side) {
  const auto& h = tf::ec_pki();
  const std::string name = std::string(version == tf::protocol_version::tls1_2 ? "TLS 1.2" : "TLS 1.3") +
                           " mutual-TLS handshake, failing in the " + (client_side ? "client" : "server");
  // The configurations and sessions are made outside the counted region; the handshake
  // is the operation. Each run has its own server configuration: a server remembers the
  // client of every ticket it issued (by design) until its configuration goes.
  sweep(
      name.c_str(),
      [&] {
    counter.armed = false;
    const auto client_cfg = tf::client_for(h, version, &h.client);
    const auto server_cfg = tf::server_for(h, version, true);
    auto c = tf::connect(client_cfg, server_cfg);
    counter.armed = true;
    auto o = handshake_with_failures_in(c, client_side);
    counter.armed = false;
    return o;
      },
      {.any_error = true, .stride = tls_stride()});
}

BOOST_AUTO_TEST_SUITE_END()
