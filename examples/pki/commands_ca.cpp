// pki ca init | issue: a root CA, and certificates issued from CSRs under a profile
// (the `openssl ca` flow without its database).

#include <pki/issue/authority.hpp>
#include <pki/issue/profile.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "options.hpp"

namespace pki_tool::ca_commands {
namespace {

constexpr option init_options[] = {
    {.name = "--key", .value_name = "KEY", .help = "the root CA's private key", .required = true},
    {.name = "--subject", .value_name = "DN", .help = "the root CA's name, RFC 4514 text", .required = true},
    {.name = "--days",
     .value_name = "N",
     .help = "validity in days from now (at most 25 years)",
     .required = true},
    {.name = "--out",
     .value_name = "CERT",
     .help = "the CA certificate file to write (PEM)",
     .required = true},
    password_file_option,
    password_env_option,
};
constexpr command_spec init_spec{
    .path = "ca init",
    .summary = "create a self-signed root CA certificate",
    .description =
        "Writes a self-signed root CA certificate for the key: basicConstraints CA:TRUE,\n"
        "keyUsage keyCertSign, cRLSign and digitalSignature, key identifiers; valid from\n"
        "now for N days.",
    .options = init_options};

/// Writes a certificate as PEM to --out.
[[nodiscard]] outcome<> write_certificate(const arguments& args, const pki::certificate<>& cert) {
  auto pem = cert.to_pem();
  if (!pem) return library_error("encoding the certificate", pem.error());
  return write_file(args.value("--out"), *pem, public_file_mode);
}

/// `pki ca init`: a root CA certificate; the library's refusal (validity_too_long...) as input_error.
[[nodiscard]] outcome<> init(const arguments& args) {
  auto subject = parse_subject(args);
  if (!subject) return std::unexpected(subject.error());
  auto days = parse_days(args);
  if (!days) return std::unexpected(days.error());
  auto key = load_private_key(args.value("--key"), args);
  if (!key) return std::unexpected(key.error());
  auto root = pki::certificate_authority<>::create_root(std::move(*key), *subject, validity_from_now(*days));
  if (!root) return library_error("creating the root CA", root.error());
  return write_certificate(args, root->certificate());
}

constexpr option issue_options[] = {
    {.name = "--ca-cert", .value_name = "CERT", .help = "the issuing CA's certificate", .required = true},
    {.name = "--ca-key", .value_name = "KEY", .help = "the issuing CA's private key", .required = true},
    {.name = "--csr", .value_name = "CSR", .help = "the request to issue for", .required = true},
    {.name = "--profile",
     .value_name = "PROFILE",
     .help = "intermediate-ca, tls-server, tls-client or device-identity",
     .required = true},
    {.name = "--path-len",
     .value_name = "N",
     .help = "intermediate-ca only: CAs allowed below it (default 0)"},
    {.name = "--days",
     .value_name = "N",
     .help = "validity in days from now, inside the CA's",
     .required = true},
    {.name = "--out", .value_name = "CERT", .help = "the certificate file to write (PEM)", .required = true},
    password_file_option,
    password_env_option,
};
constexpr command_spec issue_spec{
    .path = "ca issue",
    .summary = "issue a certificate from a CSR under a profile",
    .description =
        "Checks the request's signature and issues a certificate for it, valid from now for\n"
        "N days, with the profile's extensions and the request's allowed names. The CA\n"
        "refuses (exit 2) a request the profile forbids, a validity longer than the profile\n"
        "allows (tls-server, tls-client: 398 days) or one that ends after the CA's own.",
    .options = issue_options};

/// The issuance profile a --profile value names, given to `issue` to run with it.
template <class Issue>
[[nodiscard]] outcome<> with_profile(const arguments& args, Issue&& run) {
  const auto name = args.value("--profile");
  std::optional<std::uint32_t> path_len;
  if (args.has("--path-len")) {
    if (name != "intermediate-ca") return usage_error("--path-len applies only to --profile intermediate-ca");
    auto number = parse_number("--path-len", args.value("--path-len"), 0, 64);
    if (!number) return std::unexpected(number.error());
    path_len = *number;
  }
  if (name == "intermediate-ca") {
    pki::profile::intermediate_ca profile;
    if (path_len) profile.path_len = *path_len;
    return run(profile);
  }
  if (name == "tls-server") return run(pki::profile::tls_server{});
  if (name == "tls-client") return run(pki::profile::tls_client{});
  if (name == "device-identity") return run(pki::profile::device_identity{});
  return usage_error("unknown --profile '" + std::string(name) +
                     "' (one of intermediate-ca, tls-server, tls-client, device-identity)");
}

/// `pki ca issue`: a certificate for a CSR, valid from now; the CA's refusal as input_error.
[[nodiscard]] outcome<> issue(const arguments& args) {
  auto days = parse_days(args);
  if (!days) return std::unexpected(days.error());
  // Check the profile and --path-len before reading files: a usage error comes first.
  if (auto ok = with_profile(args, [](const auto&) -> outcome<> { return {}; }); !ok) return ok;
  auto authority = load_authority(args);
  if (!authority) return std::unexpected(authority.error());
  auto request = load_csr(args.value("--csr"));
  if (!request) return std::unexpected(request.error());
  const auto period = validity_from_now(*days);
  return with_profile(args, [&](const auto& profile) -> outcome<> {
    auto cert = authority->issue(*request, profile, period);
    if (!cert)
      return library_error("issuing under --profile " + std::string(args.value("--profile")), cert.error());
    return write_certificate(args, *cert);
  });
}

}  // namespace

std::span<const command> commands() {
  static constexpr command table[] = {
      {&init_spec, init},
      {&issue_spec, issue},
  };
  return table;
}

}  // namespace pki_tool::ca_commands
