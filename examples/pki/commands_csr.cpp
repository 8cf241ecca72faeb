// pki csr create | show: the `openssl req -new` and `openssl req -text` flows.

#include <pki/x509/csr.hpp>
#include <pki/x509/csr_builder.hpp>
#include <pki/core/hash.hpp>

#include <cstdio>
#include <string>

#include "commands.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "options.hpp"
#include "text.hpp"

namespace pki_tool::csr_commands {
namespace {

constexpr option create_options[] = {
    {.name = "--key", .value_name = "KEY", .help = "the requester's private key (PEM)", .required = true},
    {.name = "--subject",
     .value_name = "DN",
     .help = "the subject, RFC 4514 text: \"CN=host,O=Acme\"",
     .required = true},
    dns_option,
    ip_option,
    {.name = "--uri",
     .value_name = "URI",
     .help = "a URI subject alternative name",
     .count = arity::repeated},
    {.name = "--email",
     .value_name = "ADDR",
     .help = "an email subject alternative name",
     .count = arity::repeated},
    {.name = "--out", .value_name = "CSR", .help = "the CSR file to write (PEM)", .required = true},
    password_file_option,
    password_env_option,
};
constexpr command_spec create_spec{
    .path = "csr create",
    .summary = "create a certificate signing request",
    .description =
        "Writes a PKCS#10 request for the key's public key, signed with the key, asking for\n"
        "the subject alternative names given.",
    .options = create_options};

/// `pki csr create`: a request signed with --key; fails on an invalid name or unreadable key.
[[nodiscard]] outcome<> create(const arguments& args) {
  auto subject = parse_subject(args);
  if (!subject) return std::unexpected(subject.error());
  auto names = parse_alt_names(args);
  if (!names) return std::unexpected(names.error());
  auto key = load_private_key(args.value("--key"), args);
  if (!key) return std::unexpected(key.error());
  auto request =
      pki::csr_builder().subject(std::move(*subject)).subject_alt_names(std::move(*names)).sign(*key);
  if (!request) return library_error("signing the request", request.error());
  auto pem = request->to_pem();
  if (!pem) return library_error("encoding the request", pem.error());
  return write_file(args.value("--out"), *pem, public_file_mode);
}

constexpr command_spec show_spec{
    .path = "csr show",
    .summary = "print a certificate signing request",
    .description =
        "Checks a request's signature and prints its subject, key, signature algorithm,\n"
        "requested extensions and other attributes.",
    .options = {},
    .operand = "CSR"};

/// `pki csr show CSR`: the request's fields; input_error when it is malformed or its signature fails.
[[nodiscard]] outcome<> show(const arguments& args) {
  auto request = load_csr(args.operand());
  if (!request) return std::unexpected(request.error());
  auto fingerprint = pki::sha256(request->der());
  if (!fingerprint) return library_error("hashing the request", fingerprint.error());
  std::string out = "Certificate request\n";
  append_field(out, "Subject", request->subject().to_string());
  if (auto ok = append_public_key(out, request->public_key()); !ok) return ok;
  append_field(out, "Signature algorithm", request->signature_algorithm().name() + " (signature verified)");
  append_extensions(out, request->extensions(), "Requested extensions");
  for (const auto& attribute : request->attributes()) {
    append_field(out, "Attribute",
                 attribute.type.to_string() + " (" + std::to_string(attribute.values.size()) +
                     (attribute.values.size() == 1 ? " value)" : " values)"));
  }
  append_field(out, "SHA-256 fingerprint", fingerprint_text(*fingerprint));
  std::fputs(out.c_str(), stdout);
  return {};
}

}  // namespace

std::span<const command> commands() {
  static constexpr command table[] = {
      {&create_spec, create},
      {&show_spec, show},
  };
  return table;
}

}  // namespace pki_tool::csr_commands
