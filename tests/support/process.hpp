#pragma once
// Test support for running any program, as openssl_cli.hpp runs `openssl`: an argument
// vector and never a shell, standard input from /dev/null, both outputs captured — and
// environment variables added for the child (e.g. a password the program reads from one).

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "openssl_cli.hpp"

namespace pki_test {

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
