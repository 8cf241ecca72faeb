// pki cert self-signed | show: the `openssl req -x509` and `openssl x509 -text` flows.

#include <pki/x509/certificate.hpp>
#include <pki/x509/certificate_builder.hpp>

#include <cstdio>
#include <string>

#include "commands.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "options.hpp"
#include "text.hpp"

namespace pki_tool::cert_commands {
namespace {

constexpr option self_signed_options[] = {
    {.name = "--key",
     .value_name = "KEY",
     .help = "the private key that signs and is certified",
     .required = true},
    {.name = "--subject", .value_name = "DN", .help = "subject and issuer, RFC 4514 text", .required = true},
    dns_option,
    ip_option,
    {.name = "--days", .value_name = "N", .help = "validity in days from now", .required = true},
    {.name = "--out", .value_name = "CERT", .help = "the certificate file to write (PEM)", .required = true},
    password_file_option,
    password_env_option,
};
constexpr command_spec self_signed_spec{
    .path = "cert self-signed",
    .summary = "create a self-signed end-entity certificate",
    .description =
        "Writes a certificate for the key, signed by itself, valid from now for N days, with\n"
        "basicConstraints CA:FALSE, keyUsage, key identifiers and the names given.\n"
        "For a certificate authority use `pki ca init`.",
    .options = self_signed_options};

/// `pki cert self-signed`: an end-entity certificate signed by its own key.
[[nodiscard]] outcome<> self_signed(const arguments& args) {
  auto subject = parse_subject(args);
  if (!subject) return std::unexpected(subject.error());
  auto names = parse_alt_names(args);
  if (!names) return std::unexpected(names.error());
  auto days = parse_days(args);
  if (!days) return std::unexpected(days.error());
  auto key = load_private_key(args.value("--key"), args);
  if (!key) return std::unexpected(key.error());
  const pki::self_signed_options options{.not_before = validity_from_now(*days).not_before,
                                         .days = *days,
                                         .subject_alt_names = std::move(*names)};
  auto cert = pki::make_self_signed(*key, *subject, options);
  if (!cert) return library_error("signing the certificate", cert.error());
  auto pem = cert->to_pem();
  if (!pem) return library_error("encoding the certificate", pem.error());
  return write_file(args.value("--out"), *pem, public_file_mode);
}

constexpr command_spec show_spec{
    .path = "cert show",
    .summary = "print a certificate",
    .description =
        "Prints a certificate's subject, issuer, serial, validity (UTC), key and its SPKI\n"
        "SHA-256, signature algorithm, every extension with its criticality, and the\n"
        "certificate's SHA-256 fingerprint.",
    .options = {},
    .operand = "CERT"};

/// The `show` text of a certificate.
[[nodiscard]] outcome<std::string> describe(const pki::certificate<>& cert) {
  auto fingerprint = cert.fingerprint();
  if (!fingerprint) return library_error("hashing the certificate", fingerprint.error());
  std::string out = "Certificate\n";
  append_field(out, "Subject", cert.subject().to_string());
  append_field(out, "Issuer", cert.issuer().to_string());
  append_field(out, "Serial", cert.serial_hex());
  append_field(out, "Version", std::to_string(cert.version()));
  append_field(out, "Not before", utc_time(cert.not_before()));
  append_field(out, "Not after", utc_time(cert.not_after()));
  if (auto ok = append_public_key(out, cert.public_key()); !ok) return std::unexpected(ok.error());
  append_field(out, "Signature algorithm", cert.signature_algorithm().name());
  append_extensions(out, cert.extensions());
  append_field(out, "SHA-256 fingerprint", fingerprint_text(*fingerprint));
  return out;
}

/// `pki cert show CERT`: every field of a certificate; input_error when it cannot be parsed.
[[nodiscard]] outcome<> show(const arguments& args) {
  auto cert = load_certificate(args.operand());
  if (!cert) return std::unexpected(cert.error());
  auto text = describe(*cert);
  if (!text) return std::unexpected(text.error());
  std::fputs(text->c_str(), stdout);
  return {};
}

}  // namespace

std::span<const command> commands() {
  static constexpr command table[] = {
      {&self_signed_spec, self_signed},
      {&show_spec, show},
  };
  return table;
}

}  // namespace pki_tool::cert_commands
