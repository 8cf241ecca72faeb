#pragma once
// What the certificate, CSR and CRL builders share, as public API: setters chain, the
// first invalid input is kept and reported when the builder signs (so a chain of calls
// needs one check), and the signer's hash can be chosen. extension_builder adds the
// extensions a certificate or a CSR carries.

#include <optional>
#include <utility>

#include "../core/error.hpp"
#include "../core/hash.hpp"
#include "detail/builder.hpp"
#include "extensions.hpp"

namespace pki {

/// The base of every builder of a signed document (CRTP: Derived is the builder).
template <class Derived>
class signed_document_builder {
 public:
  /// The hash the signer signs with (default: the signing key's); the builder itself.
  Derived& signature_hash(hash_algorithm h) {
    hash_ = h;
    return static_cast<Derived&>(*this);
  }

 protected:
  /// Keeps the first error; sign() reports it.
  Derived& note(const error& e) {
    error_.keep(e);
    return static_cast<Derived&>(*this);
  }
  Derived& note(errc code, const char* context) { return note(error(code, context)); }

  std::optional<hash_algorithm> hash_;
  detail::first_error error_;
};

/// A builder of a document that carries extensions (a certificate, a CSR).
template <class Derived>
class extension_builder : public signed_document_builder<Derived> {
 public:
  /// Adds any extension (typed ones convert with to_extension()); the builder itself. A
  /// second one with the same OID is invalid_argument, reported by sign().
  Derived& add_extension(extension ext) {
    if (auto ok = extensions_.add(std::move(ext)); !ok) return this->note(ok.error());
    return static_cast<Derived&>(*this);
  }
  /// Adds a typed extension, critical as its type says unless told otherwise; the builder itself.
  template <typed_extension Extension>
  Derived& add(const Extension& ext, bool critical = Extension::default_critical) {
    auto converted = to_extension(ext, critical);
    if (!converted) return this->note(converted.error());
    return add_extension(std::move(*converted));
  }

 protected:
  extension_list extensions_;
};

}  // namespace pki
