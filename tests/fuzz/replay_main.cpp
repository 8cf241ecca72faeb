// main() for a fuzz target built without libFuzzer: runs its LLVMFuzzerTestOneInput on every
// file named on the command line and on every file of every directory named (dotfiles
// skipped, in name order), each once, the way libFuzzer replays a crash file. It fails when
// an input breaks (the target traps, a sanitizer reports), when one runs longer than
// libFuzzer's -timeout (10 s, or $PKI_FUZZ_REPLAY_TIMEOUT), when a path does not exist, and
// when there was nothing to replay: a replay of no input proves nothing.

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

const char* current_input = "";

// As libFuzzer reports a timeout: the input's name, exit status 70. Only async-signal-safe calls.
void on_timeout(int) {
  constexpr const char prefix[] = "replay: timeout: the input ran too long: ";
  (void)!::write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
  (void)!::write(STDERR_FILENO, current_input, std::strlen(current_input));
  (void)!::write(STDERR_FILENO, "\n", 1);
  ::_exit(70);
}

bool collect(const std::filesystem::path& path, std::vector<std::filesystem::path>& files) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    files.push_back(path);
    return true;
  }
  if (!std::filesystem::is_directory(path, ec)) {
    std::fprintf(stderr, "replay: %s is neither a file nor a directory\n", path.c_str());
    return false;
  }
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::directory_iterator(path, ec)) {
    if (entry.path().filename().string().starts_with('.')) continue;
    if (entry.is_regular_file(ec)) found.push_back(entry.path());
  }
  if (ec) {
    std::fprintf(stderr, "replay: cannot read %s: %s\n", path.c_str(), ec.message().c_str());
    return false;
  }
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    if (!collect(argv[i], files)) return 2;
  }
  if (files.empty()) {
    std::fprintf(stderr, "replay: no input to replay\n");
    return 1;
  }
  const char* limit = std::getenv("PKI_FUZZ_REPLAY_TIMEOUT");
  const unsigned timeout = limit != nullptr ? static_cast<unsigned>(std::strtoul(limit, nullptr, 10)) : 10;
  std::signal(SIGALRM, on_timeout);
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in.is_open()) {
      std::fprintf(stderr, "replay: cannot open %s\n", file.c_str());
      return 2;
    }
    // Exactly the input's size on the heap, so that a read past its end is caught as under libFuzzer.
    const std::vector<std::uint8_t> input((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    // Named before it runs, so that a crash says which input it was.
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", file.c_str(), input.size());
    std::fflush(stderr);
    current_input = file.c_str();
    ::alarm(timeout);
    LLVMFuzzerTestOneInput(input.empty() ? nullptr : input.data(), input.size());
    ::alarm(0);
  }
  std::fprintf(stderr, "replay: %zu inputs, no finding\n", files.size());
  return 0;
}
