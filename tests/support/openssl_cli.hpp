#pragma once
// Test support for interoperability with the OpenSSL command-line tool: a scratch
// directory that removes itself, byte-exact file reading and writing, and a way to
// run `openssl` (PKI_OPENSSL_EXECUTABLE) with an argument vector, never a shell.

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
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

#ifndef PKI_OPENSSL_EXECUTABLE
#error "PKI_OPENSSL_EXECUTABLE must name the openssl program (tests/CMakeLists.txt defines it)"
#endif

extern char** environ;

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

/// How a program ended and what it printed.
struct process_result {
  int exit_status = -1;  ///< the exit code, or -1 when the program was killed by a signal
  std::string out;       ///< standard output, byte for byte
  std::string err;       ///< standard error

  [[nodiscard]] bool ok() const noexcept { return exit_status == 0; }
  /// Both streams, for a failure message.
  [[nodiscard]] std::string transcript() const {
    return "exit status " + std::to_string(exit_status) + "\nstdout:\n" + out + "\nstderr:\n" + err;
  }
};

namespace detail {

/// A pipe whose ends close themselves and are not inherited by spawned programs.
class pipe_pair {
 public:
  pipe_pair() {
    if (::pipe2(fds_.data(), O_CLOEXEC) != 0) {
      throw std::system_error(errno, std::generic_category(), "creating a pipe");
    }
  }
  pipe_pair(const pipe_pair&) = delete;
  pipe_pair& operator=(const pipe_pair&) = delete;
  ~pipe_pair() {
    close_read();
    close_write();
  }
  [[nodiscard]] int read_end() const noexcept { return fds_[0]; }
  [[nodiscard]] int write_end() const noexcept { return fds_[1]; }
  void close_read() noexcept { close_fd(fds_[0]); }
  void close_write() noexcept { close_fd(fds_[1]); }

 private:
  static void close_fd(int& fd) noexcept {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  std::array<int, 2> fds_{-1, -1};
};

class spawn_actions {
 public:
  spawn_actions() { ::posix_spawn_file_actions_init(&actions_); }
  spawn_actions(const spawn_actions&) = delete;
  spawn_actions& operator=(const spawn_actions&) = delete;
  ~spawn_actions() { ::posix_spawn_file_actions_destroy(&actions_); }
  [[nodiscard]] posix_spawn_file_actions_t* get() noexcept { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

/// Reads both pipes until the program closes them, so neither can fill up and block it.
inline void drain(pipe_pair& out_pipe, pipe_pair& err_pipe, process_result& result) {
  std::array<pollfd, 2> fds{pollfd{out_pipe.read_end(), POLLIN, 0}, pollfd{err_pipe.read_end(), POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_streams = 2;
  std::array<char, 4096> chunk{};
  while (open_streams > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "waiting for openssl's output");
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, chunk.data(), chunk.size());
      if (n > 0) {
        sinks[i]->append(chunk.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // end of stream (or an error: treat it as one)
        --open_streams;
      }
    }
  }
}

}  // namespace detail

/// Runs the openssl program with `args` (not including the program name), standard input
/// from /dev/null, and returns its exit status and output. The arguments are passed as
/// they are, one argv entry each; no shell is involved.
[[nodiscard]] inline process_result run_openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv_storage;
  argv_storage.reserve(args.size() + 1);
  argv_storage.emplace_back(PKI_OPENSSL_EXECUTABLE);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_storage.size() + 1);
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  detail::pipe_pair out_pipe;
  detail::pipe_pair err_pipe;
  detail::spawn_actions actions;
  ::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(actions.get(), out_pipe.write_end(), STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(actions.get(), err_pipe.write_end(), STDERR_FILENO);

  pid_t pid = 0;
  // posix_spawnp also finds a bare "openssl" on PATH when CMake did not locate it.
  const int spawned = ::posix_spawnp(&pid, argv[0], actions.get(), nullptr, argv.data(), environ);
  if (spawned != 0) {
    throw std::system_error(spawned, std::generic_category(), "starting " PKI_OPENSSL_EXECUTABLE);
  }
  out_pipe.close_write();
  err_pipe.close_write();

  process_result result;
  detail::drain(out_pipe, err_pipe, result);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waiting for openssl");
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace pki_test
