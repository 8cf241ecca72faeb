#pragma once
// Test support for running any program, as openssl_cli.hpp runs `openssl`: an argument
// vector and never a shell, standard input from /dev/null, both outputs captured — and
// environment variables added for the child (e.g. a password the program reads from one).

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

extern char** environ;

namespace pki_test {

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
      throw std::system_error(errno, std::generic_category(), "waiting for a program's output");
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

/// Runs `program` (a path, not looked up on PATH) with `args` (not including the program
/// name) in this process's environment plus `environment` ("NAME=value" entries, which
/// replace variables of the same name), and returns its exit status and output.
[[nodiscard]] inline process_result run_program(const std::string& program,
                                                const std::vector<std::string>& args,
                                                const std::vector<std::string>& environment = {}) {
  std::vector<std::string> argv_storage;
  argv_storage.reserve(args.size() + 1);
  argv_storage.push_back(program);
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  auto overridden = [&environment](std::string_view entry) {
    const std::string_view name = entry.substr(0, entry.find('='));
    for (const auto& added : environment) {
      if (std::string_view(added).substr(0, added.find('=')) == name) return true;
    }
    return false;
  };
  std::vector<std::string> env_storage;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!overridden(*entry)) env_storage.emplace_back(*entry);
  }
  env_storage.insert(env_storage.end(), environment.begin(), environment.end());
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  detail::pipe_pair out_pipe;
  detail::pipe_pair err_pipe;
  detail::spawn_actions actions;
  ::posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(actions.get(), out_pipe.write_end(), STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(actions.get(), err_pipe.write_end(), STDERR_FILENO);

  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, argv[0], actions.get(), nullptr, argv.data(), envp.data());
  if (spawned != 0) throw std::system_error(spawned, std::generic_category(), "starting " + program);
  out_pipe.close_write();
  err_pipe.close_write();

  process_result result;
  detail::drain(out_pipe, err_pipe, result);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waiting for " + program);
  }
  result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace pki_test
