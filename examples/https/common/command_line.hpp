#pragma once
// What is particular to the command lines of https-server and https-client: exit status 1
// for a failed connection, --version, and the PEM files they name (a certificate chain,
// its private key, trust anchors) read into library objects. Options, --help and reading
// files are the example programs' shared machinery (examples/common), used here.

#include <pki/core/bytes.hpp>
#include <pki/x509/certificate.hpp>
#include <pki/keys/key.hpp>
#include <pki/tls/config.hpp>
#include <pki/validate/trust_store.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../../common/cli.hpp"
#include "../../common/io.hpp"

namespace https::command_line {

using namespace example_cli;

/// A TLS, validation or HTTP failure: the HTTPS programs' negative verdict.
inline constexpr int exit_failure = exit_negative;

/// What each exit status of the HTTPS programs means, for --help.
inline constexpr std::string_view exit_statuses =
    "0 success, 1 TLS, validation or HTTP failure, 2 bad usage or unreadable input";

/// --version: "tls1.2" or "tls1.3" pins the protocol version; absent, both are allowed.
[[nodiscard]] inline outcome<void> apply_version(std::string_view text, auto& builder) {
  if (text.empty()) return {};
  if (text != "tls1.2" && text != "tls1.3") {
    return usage_error("--version is tls1.2 or tls1.3, not '" + std::string(text) + "'");
  }
  const auto version =
      text == "tls1.2" ? pki::tls::protocol_version::tls1_2 : pki::tls::protocol_version::tls1_3;
  builder.versions(version, version);
  return {};
}

/// Every certificate of a PEM file, in order: a chain, leaf first.
[[nodiscard]] inline outcome<std::vector<pki::certificate<>>> load_chain(std::string_view path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  auto certs = pki::certificate<>::parse_bundle(*text);
  if (!certs) return library_error(quoted(path), certs.error());
  return std::move(*certs);
}

/// The (unencrypted) private key of a PEM or DER file.
[[nodiscard]] inline outcome<pki::private_key<>> load_key(std::string_view path) {
  auto text = read_file<pki::secret_string>(path);
  if (!text) return std::unexpected(text.error());
  auto key = pki::private_key<>::parse(pki::as_bytes(*text));
  if (!key) return library_error(quoted(path), key.error());
  return std::move(*key);
}

/// The certificates of a PEM bundle as trust anchors.
[[nodiscard]] inline outcome<pki::trust_store> load_anchors(std::string_view path) {
  auto certs = load_chain(path);
  if (!certs) return std::unexpected(certs.error());
  return pki::trust_store(*certs);
}

/// Prints "<program>: <message>" on standard error, then the usage line when the failure
/// asks for it, and gives the exit status.
inline int report(const command_spec& spec, const failure& f) {
  std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(spec.program.size()), spec.program.data(),
               f.message.c_str());
  if (f.show_usage) std::fprintf(stderr, "%s\n", usage_line(spec).c_str());
  return f.status;
}

}  // namespace https::command_line
