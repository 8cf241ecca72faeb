#pragma once
// The readable layout of the `show` commands: "label: value" fields in one aligned
// column, times in ISO 8601 UTC, fingerprints as colon-separated hex, and each
// extension as its OpenSSL heading, its criticality and its value's text.

#include <pki/x509/extensions.hpp>
#include <pki/core/hash.hpp>
#include <pki/keys/key.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include "options.hpp"

namespace pki_tool {

/// The column where field values start.
inline constexpr std::size_t value_column = 24;

/// "2025-06-01T12:00:00Z".
[[nodiscard]] inline std::string utc_time(std::chrono::sys_seconds t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss<std::chrono::seconds> clock{t - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

/// "AB:CD:...", as `openssl x509 -fingerprint` prints a digest.
[[nodiscard]] inline std::string fingerprint_text(const pki::digest& d) {
  std::string text = d.hex(":");
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

/// Appends "<indent>label:<padding>value\n".
inline void append_field(std::string& out, std::string_view label, std::string_view value,
                         std::size_t indent = 2) {
  std::string line(indent, ' ');
  line.append(label).append(":");
  line.resize(std::max(line.size() + 1, value_column), ' ');
  out.append(line).append(value).append("\n");
}

/// Appends `text` (lines joined by '\n') with each line indented.
inline void append_indented(std::string& out, std::string_view text, std::size_t indent) {
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    if (!line.empty()) out.append(indent, ' ').append(line);
    out += '\n';
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

/// The key's algorithm and the SHA-256 of its SubjectPublicKeyInfo.
[[nodiscard]] inline outcome<> append_public_key(std::string& out, const pki::public_key<>& key) {
  auto fingerprint = key.fingerprint();
  if (!fingerprint) return library_error("hashing the public key", fingerprint.error());
  append_field(out, "Public key",
               std::string(key.algorithm().name()) + " (" + std::to_string(key.bits()) + " bits)");
  append_field(out, "SPKI SHA-256", fingerprint_text(*fingerprint), 4);
  return {};
}

/// "Extensions:" then, per extension, "X509v3 Key Usage: critical" and its value's lines.
inline void append_extensions(std::string& out, const pki::extension_list& extensions,
                              std::string_view heading = "Extensions") {
  if (extensions.empty()) {
    append_field(out, heading, "none");
    return;
  }
  out.append("  ").append(heading).append(":\n");
  for (const auto& ext : extensions) {
    out.append("    ").append(pki::extension_name(ext.oid)).append(ext.critical ? ": critical\n" : ":\n");
    append_indented(out, pki::to_string(ext), 6);
  }
}

}  // namespace pki_tool
