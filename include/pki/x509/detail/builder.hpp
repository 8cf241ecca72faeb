#pragma once
// What the certificate, CSR and CRL builders share: setters chain, the first invalid
// input is kept and reported when the builder signs, and the signer's hash can be
// chosen. extension_builder adds the extensions a certificate or a CSR carries.

#include <optional>
#include <utility>

#include "../../core/error.hpp"
#include "../../core/hash.hpp"
#include "../extensions.hpp"

namespace pki::detail {

template <class Derived>
class builder_base {
 public:
  /// The hash the signer signs with (default: the signing key's).
  Derived& signature_hash(hash_algorithm h) {
    hash_ = h;
    return self();
  }

 protected:
  /// Keeps the first error; sign() reports it.
  Derived& note(const error& e) {
    if (!error_) error_ = e;
    return self();
  }
  Derived& note(errc code, const char* context) { return note(error(code, context)); }

  std::optional<hash_algorithm> hash_;
  std::optional<error> error_;

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
};

template <class Derived>
class extension_builder : public builder_base<Derived> {
 public:
  /// Adds any extension (typed ones convert with to_extension()); a second one with the
  /// same OID is invalid_argument.
  Derived& add_extension(extension ext) {
    if (auto ok = extensions_.add(std::move(ext)); !ok) return this->note(ok.error());
    return static_cast<Derived&>(*this);
  }
  /// Adds a typed extension, critical as its type says unless told otherwise.
  template <typed_extension Extension>
  Derived& add(const Extension& ext, bool critical = Extension::default_critical) {
    auto converted = to_extension(ext, critical);
    if (!converted) return this->note(converted.error());
    return add_extension(std::move(*converted));
  }

 protected:
  extension_list extensions_;
};

}  // namespace pki::detail
