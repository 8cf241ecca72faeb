#pragma once
// Test support for interoperability with the OpenSSL command-line tool: a scratch
// directory that removes itself, byte-exact file reading and writing, and a way to
// run `openssl` (PKI_OPENSSL_EXECUTABLE) with an argument vector, never a shell
// (process.hpp does the running).

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "process.hpp"

#ifndef PKI_OPENSSL_EXECUTABLE
#error "PKI_OPENSSL_EXECUTABLE must name the openssl program (tests/CMakeLists.txt defines it)"
#endif

namespace pki_test {

/// A fresh, private directory under the system's temporary directory, removed with
/// everything in it when the object is destroyed.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pki-openssl-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "creating a temporary directory");
    }
    path_ = pattern;
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// The path of `name` inside the directory (the file need not exist).
  [[nodiscard]] std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// The whole content of a file, as bytes; throws when it cannot be read.
[[nodiscard]] inline std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw std::runtime_error("cannot read " + path.string());
  return bytes;
}

/// The whole content of a file, as text (PEM).
[[nodiscard]] inline std::string read_text_file(const std::filesystem::path& path) {
  const auto bytes = read_file(path);
  return {bytes.begin(), bytes.end()};
}

/// Writes bytes (any contiguous range of bytes or chars) to a file, replacing it.
template <class Bytes>
void write_file(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot create " + path.string());
  out.write(reinterpret_cast<const char*>(std::data(bytes)), static_cast<std::streamsize>(std::size(bytes)));
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

/// Runs the openssl program with `args` (not including the program name), standard input
/// from /dev/null, and returns its exit status and output; no shell is involved.
[[nodiscard]] inline process_result run_openssl(const std::vector<std::string>& args) {
  return run_program(PKI_OPENSSL_EXECUTABLE, args);
}

}  // namespace pki_test
