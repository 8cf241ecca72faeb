// `pki seal` and `pki open` run as programs: round trips through files and through
// standard input and output at 0 B, 1 B and around a 64 KiB chunk, for every key type and
// for certificates; 100 MiB in flat memory (the peak RSS of each run, from wait4); every
// tampering refused (exit 1, the errc's sentence, and no --out file, not even FILE.tmp); and
// certificates whose key usage forbids the use refused with a message that says so.

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <pki/pki.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "support/expect.hpp"
#include "support/openssl_cli.hpp"
#include "support/pki_tool.hpp"
#include "support/process.hpp"

namespace {

using pki_test::contains;
using pki_test::strings;
namespace fs = std::filesystem;

constexpr std::size_t chunk = 64 * 1024;

std::string pattern(std::size_t size, unsigned seed = 1) {
  std::string data(size, '\0');
  std::uint32_t x = seed * 2654435761U + 1;
  for (auto& c : data) {
    x = x * 1664525U + 1013904223U;
    c = static_cast<char>(x >> 24);
  }
  return data;
}

/// A workspace with a key of each type and its public key file.
struct seal_fixture {
  pki_test::tool_workspace ws;

  std::string key(const std::string& name, const std::string& algorithm) const {
    const auto path = ws.key(name + ".key", algorithm);
    const auto shown = ws.pki_ok({"key", "show", path});
    ws.write(name + ".pub", shown.substr(shown.find("-----BEGIN PUBLIC KEY-----")));
    return path;
  }
  std::string pub(const std::string& name) const { return ws.file(name + ".pub"); }

  /// Seals `data` to `to` and opens it with `key`, by files; requires the same bytes back.
  void round_trip(const std::string& to, const std::string& key, const std::string& data) const {
    ws.write("plain", data);
    ws.pki_ok({"seal", "--to", to, "--in", ws.file("plain"), "--out", ws.file("sealed")});
    BOOST_TEST(!ws.exists(ws.file("sealed.tmp")));
    ws.pki_ok({"open", "--key", key, "--in", ws.file("sealed"), "--out", ws.file("opened")});
    BOOST_TEST((ws.read(ws.file("opened")) == data), "size " << data.size());
    BOOST_TEST(((fs::status(ws.file("opened")).permissions() & fs::perms::group_all) == fs::perms::none));
  }
};

/// A program's exit status, and the peak resident set size of its process (VmHWM in
/// /proc/PID/status, read until it ends: getrusage's ru_maxrss of a spawned child would also
/// count the test process, whose memory the child shares until it executes the tool).
struct measured_run {
  int exit_status = -1;
  long max_rss_kib = 0;
  double seconds = 0;
};

/// True when two files hold the same bytes (read a block at a time: they may be large).
bool same_content(const std::string& a, const std::string& b) {
  std::ifstream x(a, std::ios::binary);
  std::ifstream y(b, std::ios::binary);
  std::vector<char> bx(1 << 20);
  std::vector<char> by(1 << 20);
  while (x && y) {
    x.read(bx.data(), static_cast<std::streamsize>(bx.size()));
    y.read(by.data(), static_cast<std::streamsize>(by.size()));
    if (x.gcount() != y.gcount() || !std::equal(bx.begin(), bx.begin() + x.gcount(), by.begin()))
      return false;
  }
  return x.eof() && y.eof();
}

long vm_hwm_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  }
  return 0;
}

measured_run run_measured(const strings& args) {
  const auto start = std::chrono::steady_clock::now();
  pki_test::background_process child(PKI_TOOL_EXECUTABLE, args);
  measured_run run;
  while (child.running()) {
    // VmHWM only grows; the last value read before the end is the peak the run reached.
    if (const long hwm = vm_hwm_kib(child.pid()); hwm > 0) run.max_rss_kib = hwm;
    ::usleep(2000);
  }
  const auto ended = child.wait(std::chrono::seconds(1));
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_status = ended.exit_status;
  BOOST_TEST(run.max_rss_kib > 0, "no VmHWM read from the running tool");
  return run;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(seals_and_opens_every_key_type_at_sizes_around_a_chunk, seal_fixture) {
  const auto p256 = key("p256", "ec-p256");
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, chunk - 1, chunk, chunk + 1}) {
    round_trip(pub("p256"), p256, pattern(size));
  }
  for (const char* algorithm : {"ec-p384", "ec-p521", "x25519", "rsa-2048"}) {
    const auto k = key(algorithm, algorithm);
    round_trip(pub(algorithm), k, pattern(3 * chunk + 7));
  }
}

BOOST_FIXTURE_TEST_CASE(streams_standard_input_to_standard_output, seal_fixture) {
  const auto k = key("p256", "ec-p256");
  const std::string data = pattern(2 * chunk + 5);
  pki_test::background_process sealing(PKI_TOOL_EXECUTABLE, {"seal", "--to", pub("p256")}, data);
  const auto sealed = sealing.wait(std::chrono::seconds(30));
  BOOST_REQUIRE_MESSAGE(sealed.ok(), sealed.transcript());
  BOOST_TEST(sealed.out.size() == 53 + 65 + 16 + 3 * 21 + data.size());
  pki_test::background_process opening(PKI_TOOL_EXECUTABLE, {"open", "--key", k}, sealed.out);
  const auto opened = opening.wait(std::chrono::seconds(30));
  BOOST_REQUIRE_MESSAGE(opened.ok(), opened.err);
  BOOST_TEST((opened.out == data));
}

#if defined(__SANITIZE_ADDRESS__)
#define PKI_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PKI_TEST_ASAN 1
#endif
#endif

BOOST_FIXTURE_TEST_CASE(streams_100_mib_in_flat_memory, seal_fixture) {
  const auto k = key("p256", "ec-p256");
#ifdef PKI_TEST_ASAN
  // AddressSanitizer quarantines freed memory (256 MiB by default) instead of reusing it, so
  // the peak RSS of an instrumented tool grows with all it ever allocated: let the children
  // reuse freed chunks, so that what is measured is what the tool holds. Its allocator and
  // shadow memory cost some 45 MiB before any data, hence the looser absolute bound.
  // The other cases keep the quarantine (it is what finds a use after free).
  struct asan_options_restored {
    std::string saved = std::getenv("ASAN_OPTIONS") != nullptr ? std::getenv("ASAN_OPTIONS") : "";
    ~asan_options_restored() { ::setenv("ASAN_OPTIONS", saved.c_str(), 1); }
  } restore;
  ::setenv("ASAN_OPTIONS", (restore.saved + ":quarantine_size_mb=0").c_str(), 1);
  // ASan's allocator and shadow also map a little more as the run goes on (2 MiB seen for 90
  // MiB more data): flat still means far below the data's growth.
  constexpr long absolute_kib = 96 * 1024;
  constexpr long growth_kib = 4 * 1024;
#else
  constexpr long absolute_kib = 32 * 1024;
  constexpr long growth_kib = 1024;
#endif
  auto measure = [&](std::size_t size, const std::string& tag) {
    {
      std::ofstream out(ws.file("big"), std::ios::binary);
      const std::string block = pattern(1024 * 1024, 7);
      for (std::size_t done = 0; done < size; done += block.size())
        out.write(block.data(), static_cast<std::streamsize>(std::min(block.size(), size - done)));
    }
    const auto sealing =
        run_measured({"seal", "--to", pub("p256"), "--in", ws.file("big"), "--out", ws.file("big.sealed")});
    BOOST_REQUIRE(sealing.exit_status == 0);
    const auto opening =
        run_measured({"open", "--key", k, "--in", ws.file("big.sealed"), "--out", ws.file("big.opened")});
    BOOST_REQUIRE(opening.exit_status == 0);
    BOOST_TEST(fs::file_size(ws.file("big.opened")) == size);
    BOOST_TEST(same_content(ws.file("big"), ws.file("big.opened")), tag << " opened to other bytes");
    std::cout << "pki seal " << tag << ": peak RSS " << sealing.max_rss_kib << " KiB, " << sealing.seconds
              << " s; pki open: peak RSS " << opening.max_rss_kib << " KiB, " << opening.seconds << " s"
              << std::endl;
    fs::remove(ws.file("big"));
    fs::remove(ws.file("big.sealed"));
    fs::remove(ws.file("big.opened"));
    return std::pair{sealing.max_rss_kib, opening.max_rss_kib};
  };
  const auto small = measure(10 * 1024 * 1024, "10 MiB");
  const auto large = measure(100 * 1024 * 1024, "100 MiB");
  // Flat: ten times the data, at most 1 MiB more memory (4 under ASan; two 64 KiB chunks and a frame are
  // all the data the tool holds), and far below the data's size.
  BOOST_TEST(large.first <= small.first + growth_kib,
             "seal's peak RSS grew from " << small.first << " to " << large.first);
  BOOST_TEST(large.second <= small.second + growth_kib,
             "open's peak RSS grew from " << small.second << " to " << large.second);
  BOOST_TEST(large.first < absolute_kib);
  BOOST_TEST(large.second < absolute_kib);
}

BOOST_FIXTURE_TEST_CASE(open_refuses_every_tampering_and_leaves_no_output, seal_fixture) {
  const auto k = key("p256", "ec-p256");
  const std::string data = pattern(3 * chunk + 100);
  ws.write("plain", data);
  ws.pki_ok({"seal", "--to", pub("p256"), "--in", ws.file("plain"), "--out", ws.file("sealed")});
  const std::string file = ws.read(ws.file("sealed"));
  const std::size_t header = 53 + 65 + 16;
  const std::size_t frame = 5 + chunk + 16;
  auto refused = [&](const std::string& changed, int status, std::string_view sentence,
                     const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
      ws.write("changed", changed);
      const auto r = ws.pki({"open", "--key", k, "--in", ws.file("changed"), "--out", ws.file("opened")});
      BOOST_TEST(r.exit_status == status, r.transcript());
      BOOST_TEST(contains(r.err, sentence), r.err);
      BOOST_TEST(r.out.empty());
      BOOST_TEST(!ws.exists(ws.file("opened")));
      BOOST_TEST(!ws.exists(ws.file("opened.tmp")));
    }
  };
  auto flipped = [&](std::size_t at) {
    auto copy = file;
    copy[at] = static_cast<char>(copy[at] ^ 0x01);
    return copy;
  };
  refused(flipped(2), 2, "malformed input", "magic");
  refused(flipped(8), 2, "not supported", "version");
  refused(flipped(10), 1, "wrong key algorithm", "KEM id");
  refused(flipped(20), 1, "keys do not match", "fingerprint");
  refused(flipped(60), 1, "decryption failed", "encapsulated key");
  refused(flipped(header - 1), 1, "decryption failed", "header tag");
  refused(flipped(header), 1, "decryption failed", "a chunk's flag");
  refused(flipped(header + 3), 1, "decryption failed", "a chunk's length");
  refused(flipped(header + frame + 1000), 1, "decryption failed", "a chunk's ciphertext");
  refused(flipped(file.size() - 1), 1, "decryption failed", "the final chunk's tag");
  refused(file.substr(0, header + 2 * frame), 1, "decryption failed", "cut at a chunk boundary");
  refused(file.substr(0, file.size() - 1), 1, "decryption failed", "the last byte cut");
  refused(file + "x", 1, "decryption failed", "a byte appended");
  refused(file.substr(0, header + frame) + file.substr(header + 2 * frame), 1, "decryption failed",
          "a chunk dropped");
  refused(file.substr(0, header + frame) + file.substr(header, frame) + file.substr(header + frame), 1,
          "decryption failed", "a chunk duplicated");
  refused(file.substr(0, header) + file.substr(header + frame, frame) + file.substr(header, frame) +
              file.substr(header + 2 * frame),
          1, "decryption failed", "two chunks swapped");
  auto other_suite = file;
  other_suite[14] = 0x02;  // AES-256-GCM: a suite that fits the key, not the one sealed with
  refused(other_suite, 1, "decryption failed", "another suite named");
  refused(std::string("not a sealed file at all"), 2, "malformed input", "not a sealed file");

  const auto other = key("other", "ec-p256");
  const auto r = ws.pki({"open", "--key", other, "--in", ws.file("sealed"), "--out", ws.file("opened")});
  BOOST_TEST(r.exit_status == 1);
  BOOST_TEST(contains(r.err, "keys do not match"), r.err);
  BOOST_TEST(!ws.exists(ws.file("opened")));
  const auto p384 = key("p384", "ec-p384");
  const auto wrong_type =
      ws.pki({"open", "--key", p384, "--in", ws.file("sealed"), "--out", ws.file("opened")});
  BOOST_TEST(wrong_type.exit_status == 1);
  BOOST_TEST(contains(wrong_type.err, "wrong key algorithm"), wrong_type.err);

  // To standard output, a tampered last chunk leaves out the last chunk (and only it).
  ws.write("changed", flipped(file.size() - 1));
  const auto to_stdout = ws.pki({"open", "--key", k, "--in", ws.file("changed")});
  BOOST_TEST(to_stdout.exit_status == 1);
  BOOST_TEST(to_stdout.out == data.substr(0, 3 * chunk));
}

BOOST_FIXTURE_TEST_CASE(refuses_certificates_whose_key_usage_forbids_the_use, seal_fixture) {
  auto certificate = [&](const std::string& name, const std::vector<std::string>& newkey,
                         const std::string& usage) {
    std::vector<std::string> args{"req", "-x509", "-newkey"};
    args.insert(args.end(), newkey.begin(), newkey.end());
    args.insert(args.end(), {"-nodes", "-keyout", ws.file(name + ".key"), "-out", ws.file(name + ".pem"),
                             "-subj", "/CN=" + name, "-days", "30"});
    if (!usage.empty()) args.insert(args.end(), {"-addext", "keyUsage=critical," + usage});
    const auto r = pki_test::run_openssl(args);
    BOOST_REQUIRE_MESSAGE(r.ok(), r.transcript());
    return ws.file(name + ".pem");
  };
  const std::vector<std::string> ec{"ec", "-pkeyopt", "ec_paramgen_curve:P-256"};
  const std::vector<std::string> rsa{"rsa:2048"};
  const std::string data = pattern(1000);

  const auto ec_agreement = certificate("ec-agreement", ec, "digitalSignature,keyAgreement");
  round_trip(ec_agreement, ws.file("ec-agreement.key"), data);
  const auto ec_no_usage = certificate("ec-any", ec, "");
  round_trip(ec_no_usage, ws.file("ec-any.key"), data);
  const auto rsa_encipherment = certificate("rsa-encipherment", rsa, "digitalSignature,keyEncipherment");
  round_trip(rsa_encipherment, ws.file("rsa-encipherment.key"), data);

  ws.write("plain", data);
  for (const auto& [name, newkey, usage] :
       {std::tuple{"ec-signing", ec, "keyAgreement"}, std::tuple{"rsa-signing", rsa, "keyEncipherment"}}) {
    const auto cert = certificate(name, newkey, "digitalSignature");
    const auto r = ws.pki(
        {"seal", "--to", cert, "--in", ws.file("plain"), "--out", ws.file("sealed-" + std::string(name))});
    BOOST_TEST(r.exit_status == 2, r.transcript());
    BOOST_TEST(contains(r.err, std::string("does not allow ") + usage), r.err);
    BOOST_TEST(contains(r.err, "Digital Signature"), r.err);
    BOOST_TEST(!ws.exists(ws.file("sealed-" + std::string(name))));
    BOOST_TEST(!ws.exists(ws.file("sealed-" + std::string(name) + ".tmp")));
  }
}

BOOST_FIXTURE_TEST_CASE(prints_help_and_refuses_bad_usage, seal_fixture) {
  const auto help = ws.pki_ok({"seal", "--help"});
  BOOST_TEST(contains(help, "usage: pki seal --to CERT_OR_PUBKEY [--in FILE] [--out FILE]"));
  BOOST_TEST(contains(ws.pki_ok({"open", "--help"}), "usage: pki open --key KEY"));
  BOOST_TEST(contains(ws.pki_ok({"--help"}), "pki seal"));
  const auto missing = ws.pki({"seal", "--in", ws.file("nothing")});
  BOOST_TEST(missing.exit_status == 2);
  BOOST_TEST(contains(missing.err, "missing required option --to"), missing.err);
  const auto k = key("p256", "ec-p256");
  const auto unreadable = ws.pki({"seal", "--to", pub("p256"), "--in", ws.file("nothing")});
  BOOST_TEST(unreadable.exit_status == 2);
  BOOST_TEST(contains(unreadable.err, "cannot read"), unreadable.err);
  const auto not_a_key = ws.pki({"seal", "--to", k + "-missing", "--in", ws.file("nothing")});
  BOOST_TEST(not_a_key.exit_status == 2);
}
