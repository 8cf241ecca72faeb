// pki key generate | show: the `openssl genpkey` and `openssl pkey -text` flows.

#include <pki/core/bytes.hpp>
#include <pki/core/config.hpp>
#include <pki/keys/key.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "options.hpp"
#include "text.hpp"

namespace pki_tool::key_commands {
namespace {

constexpr option generate_options[] = {
    {.name = "--algorithm",
     .value_name = "ALG",
     .help = "ec-p256, ec-p384, ec-p521, rsa-2048, rsa-3072, rsa-4096 or x25519 (for pki seal only)",
     .required = true},
    {.name = "--out",
     .value_name = "KEY",
     .help = "the key file to write (PEM PKCS#8, mode 0600)",
     .required = true},
    password_file_option,
    password_env_option,
};
constexpr command_spec generate_spec{
    .path = "key generate",
    .summary = "generate a private key",
    .description =
        "Generates a key pair and writes its private key as PKCS#8 PEM, created mode 0600.\n"
        "With a password option the key is encrypted (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC).",
    .options = generate_options};

/// The key as PEM: encrypted PKCS#8 with a password, plain PKCS#8 without.
[[nodiscard]] outcome<pki::secret_string> key_pem(const pki::private_key<>& key,
                                                         const std::optional<pki::secret_string>& password) {
  if (!password) {
    auto pem = key.to_pem();
    if (!pem) return library_error("encoding the key", pem.error());
    return std::move(*pem);
  }
#if PKI_HAS_ENCRYPTED_PKCS8
  auto pem = key.to_encrypted_pem(*password);
  if (!pem) return library_error("encrypting the key", pem.error());
  return std::move(*pem);
#else
  return input_error("this build's mbedTLS cannot encrypt keys (it lacks PKCS#5)");
#endif
}

/// `pki key generate`: a new key, written mode 0600, encrypted when a password is given.
[[nodiscard]] outcome<> generate(const arguments& args) {
  auto algorithm = parse_algorithm(args.value("--algorithm"));
  if (!algorithm) return std::unexpected(algorithm.error());
  auto password = read_password(args);
  if (!password) return std::unexpected(password.error());
  auto key = pki::private_key<>::generate(*algorithm);
  if (!key) return library_error("generating the key", key.error());
  auto pem = key_pem(*key, *password);
  if (!pem) return std::unexpected(pem.error());
  return write_file(args.value("--out"), *pem, private_file_mode);
}

constexpr option show_options[] = {password_file_option, password_env_option};
constexpr command_spec show_spec{
    .path = "key show",
    .summary = "print a private or public key's algorithm and fingerprint",
    .description =
        "Prints a key's algorithm, size, encoding and SPKI SHA-256 fingerprint, and its public\n"
        "key as PEM. Never prints private material. An encrypted key needs a password option.",
    .options = show_options,
    .operand = "KEY"};

/// How a key file is encoded, and whether it holds a public key only.
struct key_encoding {
  std::string_view name;
  bool is_public = false;
};

/// The encoding of a key file's text, from its first PEM label ("DER" without one).
[[nodiscard]] key_encoding encoding_of(std::string_view text) {
  auto block = pki::pem::find_block(text);
  if (!block) return {"DER"};
  if (block->label == "PRIVATE KEY") return {"PKCS#8"};
  if (block->label == "ENCRYPTED PRIVATE KEY") return {"PKCS#8, encrypted"};
  if (block->label == "RSA PRIVATE KEY") return {"PKCS#1 (RSA PRIVATE KEY)"};
  if (block->label == "EC PRIVATE KEY") return {"SEC1 (EC PRIVATE KEY)"};
  if (block->label == "PUBLIC KEY") return {"SubjectPublicKeyInfo", true};
  if (block->label == "RSA PUBLIC KEY") return {"PKCS#1 (RSA PUBLIC KEY)", true};
  return {block->label};
}

/// The key's summary fields and its public key in PEM.
[[nodiscard]] outcome<> print_key(std::string_view heading, std::string_view encoding,
                                         const pki::public_key<>& pub) {
  auto pem = pub.to_pem();
  if (!pem) return library_error("encoding the public key", pem.error());
  std::string out(heading);
  out += '\n';
  append_field(out, "Encoding", encoding);
  if (auto ok = append_public_key(out, pub); !ok) return ok;
  out += *pem;
  std::fputs(out.c_str(), stdout);
  return {};
}

/// `pki key show KEY`: a private or public key's summary; input_error when it cannot be read.
[[nodiscard]] outcome<> show(const arguments& args) {
  const auto path = args.operand();
  auto text = read_file<pki::secret_string>(path);
  if (!text) return std::unexpected(text.error());
  const std::string_view view(*text);
  const auto encoding = encoding_of(view);
  if (encoding.is_public) {
    auto pub = pki::public_key<>::parse(pki::as_bytes(view));
    if (!pub) return library_error(quoted(path), pub.error());
    return print_key("Public key", encoding.name, *pub);
  }
  auto key = decode_private_key(path, view, args);
  if (!key) return std::unexpected(key.error());
  auto pub = key->public_key();
  if (!pub) return library_error("deriving the public key", pub.error());
  return print_key("Private key", encoding.name, *pub);
}

}  // namespace

std::span<const command> commands() {
  static constexpr command table[] = {
      {&generate_spec, generate},
      {&show_spec, show},
  };
  return table;
}

}  // namespace pki_tool::key_commands
