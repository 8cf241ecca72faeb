#pragma once
// Input files of the example programs, read whole with a size limit, so a device or a
// huge file cannot stall a program, and straight into the string that holds them, so a
// private key leaves no copy behind in a buffer that is not wiped.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "cli.hpp"
#include "unique_fd.hpp"

namespace example_cli {

/// The largest input read: far more than any PEM key, certificate chain, CSR or CRL.
inline constexpr std::size_t max_input_size = 4 * 1024 * 1024;

/// "'path'", as messages name files.
[[nodiscard]] inline std::string quoted(std::string_view path) {
  return "'" + std::string(path) + "'";
}

/// The text of a system error code (errno unless given).
[[nodiscard]] inline std::string system_reason(int code = errno) {
  return std::strerror(code);
}

/// The whole content of `path`; input_error when it cannot be read, is empty or is larger
/// than max_input_size. String is std::string, or pki::secret_string for private keys and
/// passwords, whose memory is wiped when released.
template <class String = std::string>
[[nodiscard]] outcome<String> read_file(std::string_view path) {
  constexpr std::size_t chunk = 8192;
  const std::string name(path);
  unique_fd fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return input_error("cannot read " + quoted(path) + ": " + system_reason());
  String content;
  while (true) {
    const std::size_t used = content.size();
    content.resize(used + chunk);
    const ssize_t n = ::read(fd.fd(), content.data() + used, chunk);
    const int code = errno;
    content.resize(used + (n > 0 ? static_cast<std::size_t>(n) : 0));
    if (n == 0) break;
    if (n < 0) {
      if (code == EINTR) continue;
      return input_error("cannot read " + quoted(path) + ": " + system_reason(code));
    }
    if (content.size() > max_input_size) {
      return input_error(quoted(path) + " is larger than 4 MiB; it is not a PEM file");
    }
  }
  if (content.empty()) return input_error(quoted(path) + " is empty");
  return content;
}

}  // namespace example_cli
