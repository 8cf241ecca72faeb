#pragma once
// Reading a whole file into memory, with a size limit so that a device node or a huge
// file cannot stall the caller. Used by the trust store; no exceptions, no iostreams.

#include <cstdio>
#include <filesystem>

#include "../bytes.hpp"
#include "../error.hpp"

namespace pki::detail {

/// Far more than any PEM bundle a system ships (Debian's is about 220 KiB).
inline constexpr std::size_t max_file_size = 16 * 1024 * 1024;

/// The file's bytes; io_failed when it cannot be opened or read, invalid_argument when it
/// is larger than max_file_size.
[[nodiscard]] inline result<byte_buffer> read_whole_file(const std::filesystem::path& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return fail(errc::io_failed, "opening a file");
  byte_buffer data;
  std::uint8_t chunk[8192];
  bool failed = false;
  for (;;) {
    const std::size_t n = std::fread(chunk, 1, sizeof chunk, file);
    data.insert(data.end(), chunk, chunk + n);
    if (data.size() > max_file_size) break;
    if (n < sizeof chunk) {
      failed = std::ferror(file) != 0;
      break;
    }
  }
  std::fclose(file);
  if (failed) return fail(errc::io_failed, "reading a file");
  if (data.size() > max_file_size) return fail(errc::invalid_argument, "a file is larger than 16 MiB");
  return data;
}

}  // namespace pki::detail
