#pragma once
// The builders' memory of the first invalid input (x509/extension_builder.hpp): setters
// chain without a check each, and sign() reports the first error they met.

#include <optional>

#include "../../core/error.hpp"

namespace pki::detail {

class first_error {
 public:
  /// Keeps `e` unless an error is kept already.
  void keep(const error& e) {
    if (!error_) error_ = e;
  }
  /// True when a setter met an invalid input.
  explicit operator bool() const noexcept { return error_.has_value(); }
  /// The first error; only when there is one.
  [[nodiscard]] const error& operator*() const noexcept { return *error_; }

 private:
  std::optional<error> error_;
};

}  // namespace pki::detail
