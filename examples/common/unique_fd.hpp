#pragma once
// The one owner of a POSIX file descriptor in the example programs: a file, a socket or a
// pipe end, closed when its owner dies.

#include <unistd.h>

#include <utility>

namespace example_cli {

/// Owns a file descriptor (or none: -1). Move-only.
class unique_fd {
 public:
  unique_fd() noexcept = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& other) noexcept {
    if (this != &other) {
      (void)close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() { (void)close(); }

  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }

  /// Closes now (nothing to do when there is none): false when close() reports an error,
  /// which for a file can be a write that failed. No retry on EINTR: Linux releases the
  /// descriptor even then, and another thread may already own the number again.
  bool close() noexcept {
    if (fd_ < 0) return true;
    return ::close(std::exchange(fd_, -1)) == 0;
  }

 private:
  int fd_ = -1;
};

}  // namespace example_cli
