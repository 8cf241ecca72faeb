#pragma once
// Test support for running the `pki` command-line tool (examples/pki) on files in a
// scratch directory: the tool's tests and its OpenSSL comparisons share it. The including
// test defines PKI_TOOL_EXECUTABLE (tests/CMakeLists.txt does).

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "expect.hpp"
#include "openssl_cli.hpp"
#include "process.hpp"

#ifndef PKI_TOOL_EXECUTABLE
#error "PKI_TOOL_EXECUTABLE must name the built pki tool (tests/CMakeLists.txt defines it)"
#endif

namespace pki_test {

using strings = std::vector<std::string>;

/// The lines of a text, without their line breaks (no empty last line).
inline strings lines_of(std::string_view text) {
  strings lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

/// "2026-01-01T00:00:00Z" (pki verify --at), or "20260101000000Z" (openssl ca -startdate)
/// when `compact`.
inline std::string iso_time(std::chrono::sys_seconds t, bool compact = false) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss<std::chrono::seconds> clock{t - day};
  char text[40];
  std::snprintf(text, sizeof text, compact ? "%04d%02u%02u%02d%02d%02dZ" : "%04d-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()));
  return text;
}

/// A scratch directory and the tool run on files in it.
class tool_workspace {
 public:
  /// The absolute path of `name` in the directory.
  [[nodiscard]] std::string file(std::string_view name) const { return dir_.file(name); }

  [[nodiscard]] process_result pki(const strings& args, const strings& environment = {}) const {
    return run_program(PKI_TOOL_EXECUTABLE, args, environment);
  }
  /// Runs the tool, requires exit status 0 and nothing on stderr, and returns stdout.
  std::string pki_ok(const strings& args, const strings& environment = {}) const {
    const auto r = pki(args, environment);
    BOOST_REQUIRE_MESSAGE(r.ok() && r.err.empty(), command_line(args) << " failed: " << r.transcript());
    return r.out;
  }

  /// A new key file `name` ("root.key" in the directory) of `algorithm`.
  std::string key(std::string_view name, std::string_view algorithm = "ec-p256") const {
    const auto path = file(name);
    pki_ok({"key", "generate", "--algorithm", std::string(algorithm), "--out", path});
    return path;
  }
  /// A CSR file `name` for `key_path`, with extra options (SANs).
  std::string csr(std::string_view name, const std::string& key_path, std::string_view subject,
                  const strings& extra = {}) const {
    const auto path = file(name);
    strings args{"csr", "create", "--key", key_path, "--subject", std::string(subject), "--out", path};
    args.insert(args.end(), extra.begin(), extra.end());
    pki_ok(args);
    return path;
  }
  /// A root CA certificate `name`.pem for a new P-384 key `name`.key, valid ten years.
  std::string root(std::string_view name, std::string_view subject) const {
    const auto path = file(std::string(name) + ".pem");
    pki_ok({"ca", "init", "--key", key(std::string(name) + ".key", "ec-p384"), "--subject",
            std::string(subject), "--days", "3650", "--out", path});
    return path;
  }
  /// A certificate file `name` issued by the CA for the CSR under a profile.
  std::string issue(std::string_view name, const std::string& ca_cert, const std::string& ca_key,
                    const std::string& csr_path, std::string_view profile, std::string_view days,
                    const strings& extra = {}) const {
    const auto path = file(name);
    pki_ok(issue_args(path, ca_cert, ca_key, csr_path, profile, days, extra));
    return path;
  }
  static strings issue_args(const std::string& out, const std::string& ca_cert, const std::string& ca_key,
                            const std::string& csr_path, std::string_view profile, std::string_view days,
                            const strings& extra = {}) {
    strings args{"ca",     "issue",     "--ca-cert",          ca_cert,  "--ca-key",        ca_key,  "--csr",
                 csr_path, "--profile", std::string(profile), "--days", std::string(days), "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  void write(std::string_view name, std::string_view content) const { write_file(file(name), content); }
  [[nodiscard]] std::string read(const std::string& path) const { return read_text_file(path); }
  [[nodiscard]] bool exists(const std::string& path) const { return std::filesystem::exists(path); }

  static std::string command_line(const strings& args) {
    std::string line = "pki";
    for (const auto& arg : args) line += " " + arg;
    return line;
  }

 private:
  temp_dir dir_;
};

}  // namespace pki_test
