// pki seal | open: files of any size encrypted to a certificate's or public key's holder in
// the sealed-file format (docs/seal-format.md), streamed in constant memory from standard
// input or a file to standard output or a file.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pki/keys/key.hpp>
#include <pki/keys/sealed_file.hpp>
#include <pki/x509/certificate.hpp>

#include <cerrno>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "../common/io.hpp"
#include "../common/unique_fd.hpp"
#include "commands.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "options.hpp"

namespace pki_tool::seal_commands {
namespace {

constexpr option in_option{
    .name = "--in", .value_name = "FILE", .help = "the input file (default: standard input)"};

constexpr option seal_options[] = {
    {.name = "--to",
     .value_name = "CERT_OR_PUBKEY",
     .help = "the recipient's certificate or public key (PEM or DER)",
     .required = true},
    in_option,
    {.name = "--out", .value_name = "FILE", .help = "the sealed file to write (default: standard output)"},
};
constexpr command_spec seal_spec{
    .path = "seal",
    .summary = "encrypt data of any size to a certificate or public key",
    .description =
        "Encrypts the input to the holder of the certificate's or public key's private key, in\n"
        "pki's sealed-file format: HPKE (RFC 9180) for EC and X25519 keys, RSA-OAEP for RSA keys,\n"
        "then AES-GCM or ChaCha20-Poly1305 in authenticated 64 KiB chunks, streamed in constant\n"
        "memory. A certificate must allow the use: keyAgreement for an EC or X25519 key,\n"
        "keyEncipherment for an RSA key (when it has a keyUsage extension). The output is\n"
        "written to FILE.tmp and renamed to FILE when complete.",
    .options = seal_options,
    .exit_statuses = "0 sealed, 2 bad usage, an unreadable input or a recipient that cannot receive"};

constexpr option open_options[] = {
    {.name = "--key", .value_name = "KEY", .help = "the recipient's private key", .required = true},
    password_file_option,
    password_env_option,
    in_option,
    {.name = "--out",
     .value_name = "FILE",
     .help = "the plaintext file to write, mode 0600 (default: standard output)"},
};
constexpr command_spec open_spec{
    .path = "open",
    .summary = "decrypt a file that pki seal made",
    .description =
        "Decrypts a sealed file with the recipient's private key, checking every chunk.\n"
        "A file that was changed, cut short, extended, reordered or sealed to another key is\n"
        "refused. With --out nothing is left behind then: the plaintext goes to FILE.tmp and\n"
        "is renamed to FILE only once the whole file has authenticated. On standard output the\n"
        "chunks before a bad one (each authentic, never the last) may already have been written.",
    .options = open_options,
    .exit_statuses =
        "0 opened, 1 the file does not open with this key (changed, cut short or sealed to\n"
        "another key), 2 bad usage, an unreadable input or not a sealed file"};

/// Reads a file descriptor for the sealed-file streams.
struct fd_source {
  int fd;
  std::string_view name;
  bool* failed;
  pki::result<std::size_t> operator()(std::span<std::uint8_t> out) const {
    for (;;) {
      const ssize_t n = ::read(fd, out.data(), out.size());
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;
      *failed = true;
      return pki::fail(pki::errc::io_failed, "reading the input");
    }
  }
};

/// Writes to a file descriptor for the sealed-file streams.
struct fd_sink {
  int fd;
  bool* failed;
  pki::result<void> operator()(pki::byte_view bytes) const {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        *failed = true;
        return pki::fail(pki::errc::io_failed, "writing the output");
      }
      bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return {};
  }
};

/// An output stream: standard output, or FILE.tmp renamed over FILE on commit() and removed
/// otherwise (also when the command fails part way).
class output_file {
 public:
  [[nodiscard]] static outcome<output_file> open(std::string_view path, mode_t mode) {
    output_file out;
    if (path.empty()) {
      out.fd_ = STDOUT_FILENO;
      return out;
    }
    out.target_ = std::string(path);
    out.temporary_ = out.target_ + ".tmp";
    ::unlink(out.temporary_.c_str());
    out.owned_ =
        unique_fd(::open(out.temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
    if (!out.owned_.valid())
      return input_error("cannot create " + quoted(out.temporary_) + ": " + system_reason());
    out.fd_ = out.owned_.fd();
    return out;
  }
  output_file(output_file&&) noexcept = default;
  output_file& operator=(output_file&&) = delete;
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;
  ~output_file() {
    if (!temporary_.empty() && !committed_) {
      (void)owned_.close();
      ::unlink(temporary_.c_str());
    }
  }

  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] std::string name() const { return temporary_.empty() ? "standard output" : quoted(target_); }

  /// Makes the output final: synced and renamed over the target.
  [[nodiscard]] outcome<> commit() {
    if (temporary_.empty()) return {};
    if (::fsync(fd_) != 0 || !owned_.close())
      return input_error("cannot write " + quoted(temporary_) + ": " + system_reason());
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
      return input_error("cannot rename " + quoted(temporary_) + " to " + quoted(target_) + ": " +
                         system_reason());
    }
    committed_ = true;
    return {};
  }

 private:
  output_file() = default;
  unique_fd owned_{};
  int fd_ = -1;
  std::string target_{};
  std::string temporary_{};
  bool committed_ = false;
};

/// The input stream: standard input or --in's file.
[[nodiscard]] outcome<unique_fd> open_input(std::string_view path) {
  if (path.empty()) return unique_fd(::dup(STDIN_FILENO));
  const std::string name(path);
  unique_fd fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return input_error("cannot read " + quoted(path) + ": " + system_reason());
  return fd;
}

/// The usage a certificate's key must have to be sealed to, and its name.
struct needed_usage {
  pki::key_usage_flag flag;
  std::string_view name;
};

/// The recipient of --to: a certificate (whose keyUsage must allow the use) or a public key.
[[nodiscard]] outcome<pki::public_key<>> load_recipient(std::string_view path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  const auto bytes = pki::as_bytes(*text);
  const bool pem = pki::pem::looks_like_pem(bytes);
  const bool is_certificate = pem ? text->find("-----BEGIN CERTIFICATE-----") != std::string::npos
                                  : pki::certificate<>::from_der(bytes).has_value();
  if (!is_certificate) {
    auto key = pki::public_key<>::parse(bytes);
    if (!key) return library_error(quoted(path) + " (neither a certificate nor a public key)", key.error());
    return std::move(*key);
  }
  auto cert = pki::certificate<>::parse(bytes);
  if (!cert) return library_error(quoted(path), cert.error());
  const pki::public_key<>& key = cert->public_key();
  auto usage = cert->key_usage();
  if (!usage) return library_error(quoted(path) + ": its keyUsage", usage.error());
  const needed_usage needed = key.algorithm().type == pki::key_type::rsa
                                  ? needed_usage{pki::key_usage_flag::key_encipherment, "keyEncipherment"}
                                  : needed_usage{pki::key_usage_flag::key_agreement, "keyAgreement"};
  if (*usage && !(*usage)->has(needed.flag)) {
    return input_error("the certificate " + quoted(path) + " does not allow " + std::string(needed.name) +
                       " (its key usage: " + (*usage)->to_string() + "): its " +
                       std::string(key.algorithm().name()) + " key may not be encrypted to");
  }
  return key;
}

/// `pki seal`: the input sealed to --to's key, to --out or standard output.
[[nodiscard]] outcome<> seal(const arguments& args) {
  auto recipient = load_recipient(args.value("--to"));
  if (!recipient) return std::unexpected(recipient.error());
  auto input = open_input(args.value("--in"));
  if (!input) return std::unexpected(input.error());
  auto output = output_file::open(args.value("--out"), public_file_mode);
  if (!output) return std::unexpected(output.error());
  bool read_failed = false;
  bool write_failed = false;
  const std::string in_name = args.has("--in") ? quoted(args.value("--in")) : "standard input";
  auto sealed = pki::sealed_file::seal(*recipient, fd_source{input->fd(), in_name, &read_failed},
                                       fd_sink{output->fd(), &write_failed});
  if (!sealed) {
    if (read_failed) return input_error("cannot read " + in_name + ": " + system_reason());
    if (write_failed) return input_error("cannot write " + output->name() + ": " + system_reason());
    return library_error("sealing to " + quoted(args.value("--to")), sealed.error());
  }
  return output->commit();
}

/// The exit status of a sealed file that does not open: 1 when it is not for this key or not
/// authentic, 2 when it is not a sealed file at all or an unknown version or suite.
[[nodiscard]] constexpr int open_failure_status(pki::errc code) noexcept {
  switch (code) {
    case pki::errc::decryption_failed:
    case pki::errc::key_mismatch:
    case pki::errc::algorithm_mismatch: return exit_negative;
    default: return exit_usage;
  }
}

/// `pki open`: the sealed input opened with --key, to --out (mode 0600) or standard output.
[[nodiscard]] outcome<> open(const arguments& args) {
  auto key = load_private_key(args.value("--key"), args);
  if (!key) return std::unexpected(key.error());
  auto input = open_input(args.value("--in"));
  if (!input) return std::unexpected(input.error());
  auto output = output_file::open(args.value("--out"), private_file_mode);
  if (!output) return std::unexpected(output.error());
  bool read_failed = false;
  bool write_failed = false;
  const std::string in_name = args.has("--in") ? quoted(args.value("--in")) : "standard input";
  auto opened = pki::sealed_file::open(*key, fd_source{input->fd(), in_name, &read_failed},
                                       fd_sink{output->fd(), &write_failed});
  if (!opened) {
    if (read_failed) return input_error("cannot read " + in_name + ": " + system_reason());
    if (write_failed) return input_error("cannot write " + output->name() + ": " + system_reason());
    return library_error(in_name, opened.error(), open_failure_status(opened.error().code()));
  }
  return output->commit();
}

}  // namespace

std::span<const command> commands() {
  static constexpr command table[] = {
      {&seal_spec, seal},
      {&open_spec, open},
  };
  return table;
}

}  // namespace pki_tool::seal_commands
