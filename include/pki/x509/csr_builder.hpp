#pragma once
// csr_builder writes and signs a certificate signing request (PKCS#10, RFC 2986) for
// the key that signs it; the result is a csr<Alg> typed by that key.

#include <string_view>
#include <utility>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../keys/key.hpp"
#include "csr.hpp"
#include "detail/signed_data.hpp"
#include "extension_builder.hpp"
#include "extensions.hpp"
#include "general_name.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"

namespace pki {

/// Builds and signs a CSR. Setters chain; the first invalid input is kept and
/// reported by sign(), so a chain of calls needs one check.
class csr_builder : public extension_builder<csr_builder> {
 public:
  /// The requester's name.
  csr_builder& subject(distinguished_name name) {
    subject_ = std::move(name);
    return *this;
  }
  /// Parses the subject from RFC 4514 text.
  csr_builder& subject(std::string_view rfc4514) {
    auto name = distinguished_name::parse(rfc4514);
    if (!name) return note(name.error());
    return subject(std::move(*name));
  }
  /// Asks for these subject alternative names (merged into one extension).
  csr_builder& subject_alt_names(std::vector<general_name> names) {
    for (auto& n : names) sans_.push_back(std::move(n));
    return *this;
  }
  /// Asks for a DNS name (sign() reports it when it is not one, as for the others).
  csr_builder& dns(std::string_view name) { return requested_name(dns_name::create(name)); }
  /// Asks for an IPv4 or IPv6 address (written as text).
  csr_builder& ip(std::string_view address) { return requested_name(ip_address::parse(address)); }
  /// Asks for a URI.
  csr_builder& uri(std::string_view text) { return requested_name(uri_name::create(text)); }
  /// Asks for an email address (rfc822Name).
  csr_builder& email(std::string_view text) { return requested_name(email_address::create(text)); }
  /// The signed CSR; the first error any setter met, or a signing failure.
  template <algorithm_tag K>
  [[nodiscard]] result<csr<K>> sign(const private_key<K>& key) const {
    return detail::out_of_memory_guard("signing a CSR", [&]() -> result<csr<K>> {
      if (error_) return std::unexpected(*error_);
      auto pub = key.public_key();
      if (!pub) return std::unexpected(pub.error());
      auto spki = pub->to_der();
      if (!spki) return std::unexpected(spki.error());
      auto subject_der = subject_.to_der();
      if (!subject_der) return std::unexpected(subject_der.error());
      extension_list requested = extensions_;
      if (!sans_.empty()) {
        auto san = to_extension(subject_alt_name{sans_}, subject_.empty());
        if (!san) return std::unexpected(san.error());
        if (auto ok = requested.add(std::move(*san)); !ok) return std::unexpected(ok.error());
      }

      detail::der_writer w;
      const std::size_t attributes = w.mark();
      if (!requested.empty()) {
        auto exts = requested.to_der();
        if (!exts) return std::unexpected(exts.error());
        const std::size_t attribute = w.mark();
        const std::size_t values = w.mark();
        w.raw(*exts);
        w.set(values);
        w.oid(detail::csr_oid::extension_request);
        w.sequence(attribute);
      }
      w.wrap(attributes, detail::context_constructed(0));
      w.raw(*spki);
      w.raw(*subject_der);
      w.integer(0);
      w.sequence(0);
      auto info = w.finish<byte_buffer>();
      if (!info) return std::unexpected(info.error());
      auto der = detail::sign_tbs(*info, key, signature_algorithm::for_key(key.algorithm(), hash_));
      if (!der) return std::unexpected(der.error());
      return csr<K>::from_der(*der);
    });
  }

 private:
  template <class Name>
  csr_builder& requested_name(result<Name> name) {
    if (!name) return note(name.error());
    sans_.emplace_back(std::move(*name));
    return *this;
  }

  distinguished_name subject_;
  std::vector<general_name> sans_;
};

}  // namespace pki
