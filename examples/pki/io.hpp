#pragma once
// Outputs and passwords: outputs written to F.tmp and renamed over F so a reader never
// sees half a file, private keys created mode 0600, and passwords read from a file or an
// environment variable — never from the command line, where other users can see them.
// Inputs are read by examples/common/io.hpp.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pki/core/bytes.hpp>

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "../common/io.hpp"
#include "options.hpp"

namespace pki_tool {

/// File modes of what the tool writes (the umask still applies).
inline constexpr mode_t public_file_mode = 0644;
inline constexpr mode_t private_file_mode = 0600;

/// Writes `content` to `path` by way of `path`.tmp, created with `mode`, synced and renamed
/// over `path`; input_error (and no .tmp left behind) when any step fails.
[[nodiscard]] inline outcome<> write_file(std::string_view path, std::string_view content, mode_t mode) {
  const std::string target(path);
  // example_cli::quoted, qualified: for a std::string, argument-dependent lookup would
  // otherwise pick std::quoted wherever <iomanip> came first (<filesystem> includes it).
  const std::string temporary = target + ".tmp";
  // A .tmp left by an interrupted run would make O_EXCL fail; it is ours to replace.
  ::unlink(temporary.c_str());
  unique_fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) {
    return input_error("cannot create " + example_cli::quoted(temporary) + ": " + system_reason());
  }
  auto abandon = [&temporary](std::string what) -> outcome<> {
    std::string message = std::move(what) + ": " + system_reason();
    ::unlink(temporary.c_str());
    return input_error(std::move(message));
  };
  std::string_view rest = content;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd.fd(), rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return abandon("cannot write " + example_cli::quoted(temporary));
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd.fd()) != 0) return abandon("cannot write " + example_cli::quoted(temporary));
  if (!fd.close()) return abandon("cannot write " + example_cli::quoted(temporary));
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    return abandon("cannot rename " + example_cli::quoted(temporary) + " to " + quoted(path));
  }
  return {};
}

/// The password from --password-file (its first line) or --password-env; nullopt when
/// neither is given; usage_error when both are, input_error when the source is
/// unreadable, unset or empty.
[[nodiscard]] inline outcome<std::optional<pki::secret_string>> read_password(const arguments& args) {
  const bool from_file = args.has(password_file_option.name);
  const bool from_env = args.has(password_env_option.name);
  if (from_file && from_env) return usage_error("give --password-file or --password-env, not both");
  if (!from_file && !from_env) return std::optional<pki::secret_string>{};
  pki::secret_string password;
  if (from_file) {
    const auto path = args.value(password_file_option.name);
    auto content = read_file<pki::secret_string>(path);
    if (!content) return std::unexpected(content.error());
    password = content->substr(0, content->find_first_of("\r\n"));
    if (password.empty()) return input_error("the first line of password file " + quoted(path) + " is empty");
  } else {
    const std::string name(args.value(password_env_option.name));
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return input_error("environment variable " + name + " is not set");
    password = value;
    if (password.empty()) return input_error("environment variable " + name + " is empty");
  }
  return std::optional<pki::secret_string>(std::move(password));
}

}  // namespace pki_tool
