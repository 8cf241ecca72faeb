#pragma once
// Files and passwords: inputs read whole (with a size limit, so a device or a huge file
// cannot stall the tool), outputs written to F.tmp and renamed over F so a reader never
// sees half a file, private keys created mode 0600, and passwords read from a file or an
// environment variable — never from the command line, where other users can see them.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pki/bytes.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "cli.hpp"

namespace pki_tool {

/// The largest input the tool reads: far more than any PEM key, certificate, CSR or CRL.
inline constexpr std::size_t max_input_size = 4 * 1024 * 1024;

/// File modes of what the tool writes (the umask still applies).
inline constexpr mode_t public_file_mode = 0644;
inline constexpr mode_t private_file_mode = 0600;

namespace detail {

[[nodiscard]] inline std::string quoted(std::string_view path) {
  return "'" + std::string(path) + "'";
}

[[nodiscard]] inline std::string system_reason() {
  return std::strerror(errno);
}

/// Closes a descriptor when it goes out of scope.
class file_descriptor {
 public:
  explicit file_descriptor(int fd) noexcept : fd_(fd) {}
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  ~file_descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  /// Closes now, reporting whether the close succeeded (it can report a failed write).
  [[nodiscard]] bool close() noexcept {
    const int fd = std::exchange(fd_, -1);
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

}  // namespace detail

/// The whole content of `path`; input_error when it cannot be read or is too large.
/// String is std::string, or pki::secret_string for private keys and passwords.
template <class String = std::string>
[[nodiscard]] outcome<String> read_file(std::string_view path) {
  const std::string name(path);
  detail::file_descriptor fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return input_error("cannot read " + detail::quoted(path) + ": " + detail::system_reason());
  String content;
  char chunk[8192];
  while (true) {
    const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return input_error("cannot read " + detail::quoted(path) + ": " + detail::system_reason());
    }
    content.append(chunk, static_cast<std::size_t>(n));
    if (content.size() > max_input_size) {
      return input_error(detail::quoted(path) + " is larger than 4 MiB; it is not a PEM file");
    }
  }
  if (content.empty()) return input_error(detail::quoted(path) + " is empty");
  return content;
}

/// Writes `content` to `path` by way of `path`.tmp, created with `mode`, synced and renamed
/// over `path`; input_error (and no .tmp left behind) when any step fails.
[[nodiscard]] inline outcome<> write_file(std::string_view path, std::string_view content, mode_t mode) {
  const std::string target(path);
  const std::string temporary = target + ".tmp";
  // A .tmp left by an interrupted run would make O_EXCL fail; it is ours to replace.
  ::unlink(temporary.c_str());
  detail::file_descriptor fd(
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) {
    return input_error("cannot create " + detail::quoted(temporary) + ": " + detail::system_reason());
  }
  auto abandon = [&temporary](std::string what) -> outcome<> {
    std::string message = std::move(what) + ": " + detail::system_reason();
    ::unlink(temporary.c_str());
    return input_error(std::move(message));
  };
  std::string_view rest = content;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd.get(), rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return abandon("cannot write " + detail::quoted(temporary));
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd.get()) != 0) return abandon("cannot write " + detail::quoted(temporary));
  if (!fd.close()) return abandon("cannot write " + detail::quoted(temporary));
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    return abandon("cannot rename " + detail::quoted(temporary) + " to " + detail::quoted(path));
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
    if (password.empty())
      return input_error("the first line of password file " + detail::quoted(path) + " is empty");
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
