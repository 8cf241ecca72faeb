#pragma once
// Test support for running any program, as openssl_cli.hpp runs `openssl`: an argument
// vector and never a shell, standard input from /dev/null, both outputs captured — and
// environment variables added for the child (e.g. a password the program reads from one).
// background_process runs one alongside the test (a server), with a time limit on every
// wait, and never outlives its object.

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

extern char** environ;

namespace pki_test {

/// How a program ended and what it printed.
struct process_result {
  int exit_status = -1;    ///< the exit code, or -1 when the program was killed by a signal
  std::string out;         ///< standard output, byte for byte
  std::string err;         ///< standard error
  bool timed_out = false;  ///< background_process killed it when its time was up

  [[nodiscard]] bool ok() const noexcept { return exit_status == 0; }
  /// Both streams, for a failure message.
  [[nodiscard]] std::string transcript() const {
    return "exit status " + std::to_string(exit_status) + (timed_out ? " (timed out, killed)" : "") +
           "\nstdout:\n" + out + "\nstderr:\n" + err;
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

/// The program followed by its arguments, as the null-terminated array exec takes.
class argument_vector {
 public:
  argument_vector(const std::string& program, const std::vector<std::string>& args) : storage_{program} {
    storage_.insert(storage_.end(), args.begin(), args.end());
    for (auto& arg : storage_) pointers_.push_back(arg.data());
    pointers_.push_back(nullptr);
  }
  argument_vector(const argument_vector&) = delete;  // pointers_ points into storage_
  argument_vector& operator=(const argument_vector&) = delete;
  [[nodiscard]] char* const* get() const noexcept { return pointers_.data(); }

 private:
  std::vector<std::string> storage_;
  std::vector<char*> pointers_{};
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
  const detail::argument_vector argv(program, args);

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
  const int spawned = ::posix_spawn(&pid, program.c_str(), actions.get(), nullptr, argv.get(), envp.data());
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

namespace detail {

/// An unlinked temporary file for one of a background program's streams: its output, which
/// unlike a pipe never fills up and blocks the program while the test is busy elsewhere
/// and can be read back at any time; or its input, written before it starts.
class stream_file {
 public:
  stream_file() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pki-stream-XXXXXX").string();
    fd_ = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "creating a temporary file");
    ::unlink(pattern.c_str());
  }
  stream_file(const stream_file&) = delete;
  stream_file& operator=(const stream_file&) = delete;
  ~stream_file() { ::close(fd_); }

  [[nodiscard]] int fd() const noexcept { return fd_; }
  /// Writes `text` and goes back to the start, where the program will read it from.
  void write_input(std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = ::write(fd_, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw std::system_error(errno, std::generic_category(), "writing a program's input");
      text.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::lseek(fd_, 0, SEEK_SET) != 0) throw std::system_error(errno, std::generic_category(), "rewinding");
  }
  /// Everything written so far (pread: the program's file offset is left alone).
  [[nodiscard]] std::string contents() const {
    std::string text;
    std::array<char, 4096> chunk{};
    for (;;) {
      const ssize_t n = ::pread(fd_, chunk.data(), chunk.size(), static_cast<off_t>(text.size()));
      if (n > 0) {
        text.append(chunk.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        return text;
      }
    }
  }

 private:
  int fd_ = -1;
};

/// The first complete line of `text` (one that has its line break) holding `part`, without
/// the line break: a line still being written might be cut short (a port number, say).
[[nodiscard]] inline std::optional<std::string> complete_line_containing(std::string_view text,
                                                                         std::string_view part) {
  std::size_t begin = 0;
  for (std::size_t end = text.find('\n'); end != std::string_view::npos; end = text.find('\n', begin)) {
    const std::string_view line = text.substr(begin, end - begin);
    if (line.find(part) != std::string_view::npos) return std::string(line);
    begin = end + 1;
  }
  return std::nullopt;
}

}  // namespace detail

/// A program running alongside the test (a server, or a client the test must not wait on
/// forever): standard input from a given text, standard output and error captured to files.
/// Every wait has a time limit; the destructor kills the program (SIGKILL) and reaps it if
/// it is still running, so that a failing test leaves nothing behind.
class background_process {
 public:
  /// Starts `program` (a path, not looked up on PATH) with `args` and `input` on its
  /// standard input (then its end); throws when it cannot.
  background_process(const std::string& program, const std::vector<std::string>& args,
                     std::string_view input = {}) {
    const detail::argument_vector argv(program, args);
    in_.write_input(input);
    detail::spawn_actions actions;
    ::posix_spawn_file_actions_adddup2(actions.get(), in_.fd(), STDIN_FILENO);
    ::posix_spawn_file_actions_adddup2(actions.get(), out_.fd(), STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(actions.get(), err_.fd(), STDERR_FILENO);
    const int spawned = ::posix_spawn(&pid_, program.c_str(), actions.get(), nullptr, argv.get(), environ);
    if (spawned != 0) throw std::system_error(spawned, std::generic_category(), "starting " + program);
  }
  background_process(const background_process&) = delete;
  background_process& operator=(const background_process&) = delete;
  ~background_process() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      reap(true);
    }
  }

  /// Standard output so far.
  [[nodiscard]] std::string out() const { return out_.contents(); }
  /// Standard error so far.
  [[nodiscard]] std::string err() const { return err_.contents(); }

  /// The first complete line of standard output or error holding `part`, once the
  /// program has printed it; nullopt when the program ends or `timeout` passes first.
  [[nodiscard]] std::optional<std::string> wait_for_line(std::string_view part,
                                                         std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      // Checked before the exit, so that what a program printed just before ending counts.
      const bool ended = !running();
      for (const auto& text : {out(), err()}) {
        if (auto line = detail::complete_line_containing(text, part)) return line;
      }
      if (ended || std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      nap();
    }
  }

  /// Waits up to `timeout` for the program to end by itself, and kills it when it does not
  /// (timed_out is then set); its exit status and output.
  [[nodiscard]] process_result wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool timed_out = false;
    while (running()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        timed_out = true;
        ::kill(pid_, SIGKILL);
        reap(true);
        break;
      }
      nap();
    }
    process_result result;
    result.exit_status = WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
    result.out = out();
    result.err = err();
    result.timed_out = timed_out;
    return result;
  }

  /// Sends `signal` (SIGTERM: a server's orderly stop), then waits as wait() does.
  [[nodiscard]] process_result stop(std::chrono::milliseconds timeout, int signal = SIGTERM) {
    if (running()) ::kill(pid_, signal);
    return wait(timeout);
  }

  /// The program's process ID, for reading /proc/PID while it runs.
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

  /// True until the program has ended (and been reaped).
  [[nodiscard]] bool running() noexcept { return !reaped_ && !reap(false); }

 private:
  // Reaps the program, blocking or not: true once it has ended. Never throws (the
  // destructor calls it): if the program cannot be waited for, it counts as ended, killed.
  bool reap(bool block) noexcept {
    if (reaped_) return true;
    for (;;) {
      const pid_t r = ::waitpid(pid_, &status_, block ? 0 : WNOHANG);
      if (r == pid_) return reaped_ = true;
      if (r == 0) return false;
      if (errno != EINTR) {
        status_ = -1;  // not WIFEXITED: an exit status of -1
        return reaped_ = true;
      }
    }
  }
  static void nap() noexcept { ::usleep(20'000); }

  detail::stream_file in_{};
  detail::stream_file out_{};
  detail::stream_file err_{};
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

}  // namespace pki_test
