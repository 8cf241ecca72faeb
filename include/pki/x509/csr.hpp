#pragma once
// Certificate signing requests (PKCS#10, RFC 2986): csr_builder writes and signs one;
// csr<Alg> is a parsed, signature-checked request (proof of possession: the
// requester holds the private key), an immutable value cheap to copy.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../keys/key.hpp"
#include "detail/builder.hpp"
#include "detail/signed_data.hpp"
#include "extensions.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"

namespace pki {

/// A CSR attribute other than the extension request, kept as its DER values.
struct csr_attribute {
  object_identifier type;
  std::vector<byte_buffer> values;  ///< each value's whole DER
};

namespace detail {

namespace csr_oid {
using namespace std::string_view_literals;
inline constexpr std::string_view extension_request =
    "\x2A\x86\x48\x86\xF7\x0D\x01\x09\x0E"sv;  // 1.2.840.113549.1.9.14
}  // namespace csr_oid

struct csr_data {
  byte_buffer der;
  signed_parts parts;
  distinguished_name subject;
  std::optional<public_key<>> key;
  extension_list extensions;
  std::vector<csr_attribute> attributes;
};

[[nodiscard]] inline result<void> read_csr_attribute(der_value attribute, csr_data& c) {
  der_reader r(attribute.content, "CSR attribute");
  auto type = r.oid();
  if (!type) return std::unexpected(type.error());
  auto values = r.enter(der_set);
  if (!values || !r.at_end()) return fail(errc::parse_failed, "a CSR attribute is malformed");
  if (oid_is(*type, csr_oid::extension_request)) {
    auto list = values->expect(der_sequence);
    if (!list || !values->at_end()) return fail(errc::parse_failed, "the CSR extension request is malformed");
    if (!c.extensions.empty()) return fail(errc::parse_failed, "a CSR has two extension requests");
    auto parsed = extension_list::from_der(list->whole);
    if (!parsed) return std::unexpected(parsed.error());
    c.extensions = std::move(*parsed);
    return {};
  }
  auto oid = object_identifier::from_der_content(*type);
  if (!oid) return std::unexpected(oid.error());
  csr_attribute kept{std::move(*oid), {}};
  while (!values->at_end()) {
    auto v = values->any();
    if (!v) return std::unexpected(v.error());
    kept.values.emplace_back(v->whole.begin(), v->whole.end());
  }
  c.attributes.push_back(std::move(kept));
  return {};
}

[[nodiscard]] inline result<void> read_csr_info(csr_data& c) {
  der_reader outer(c.parts.tbs, "CSR");
  auto info = outer.enter();
  if (!info) return std::unexpected(info.error());
  auto version = info->small_unsigned();
  if (!version) return std::unexpected(version.error());
  if (*version != 0) return fail(errc::unsupported, "CSR version other than v1");
  auto subject = info->expect(der_sequence);
  if (!subject) return std::unexpected(subject.error());
  auto name = distinguished_name::from_der(subject->whole);
  if (!name) return std::unexpected(name.error());
  c.subject = std::move(*name);
  auto spki = info->expect(der_sequence);
  if (!spki) return std::unexpected(spki.error());
  auto key = public_key<>::from_der(spki->whole);
  if (!key) return std::unexpected(key.error());
  c.key = std::move(*key);
  // attributes [0] IMPLICIT SET OF Attribute: required, possibly empty.
  auto attributes = info->enter(context_constructed(0));
  if (!attributes) return fail(errc::parse_failed, "a CSR lacks its attributes field");
  while (!attributes->at_end()) {
    auto attribute = attributes->expect(der_sequence);
    if (!attribute) return std::unexpected(attribute.error());
    if (auto ok = read_csr_attribute(*attribute, c); !ok) return ok;
  }
  if (!info->at_end()) return fail(errc::parse_failed, "trailing data in a CSR");
  return {};
}

}  // namespace detail

template <algorithm_tag Alg = any_algorithm>
class csr {
 public:
  /// Parses a DER CSR and checks its signature with the key it carries: parse_failed
  /// when malformed, bad_signature when the requester's signature does not verify.
  [[nodiscard]] static result<csr> from_der(byte_view der) {
    auto data =
        detail::parse_signed<detail::csr_data>(der, "CSR", "CSR input is empty", detail::read_csr_info);
    if (!data) return std::unexpected(data.error());
    // mbedTLS does not check this; a CA must (proof of possession).
    if (auto ok = detail::verify_signed((*data)->parts, *(*data)->key); !ok)
      return std::unexpected(ok.error());
    return adopt(std::move(*data));
  }
  /// Parses the first "CERTIFICATE REQUEST" (or "NEW CERTIFICATE REQUEST") PEM block.
  [[nodiscard]] static result<csr> from_pem(std::string_view pem) {
    return detail::out_of_memory_guard("parsing a PEM CSR", [&]() -> result<csr> {
      auto der = pem::decode(pem, "CERTIFICATE REQUEST");
      if (!der && pem.find("-----BEGIN NEW CERTIFICATE REQUEST-----") != std::string_view::npos) {
        der = pem::decode(pem, "NEW CERTIFICATE REQUEST");
      }
      if (!der) return std::unexpected(der.error());
      return from_der(*der);
    });
  }
  /// PEM or DER.
  [[nodiscard]] static result<csr> parse(byte_view pem_or_der) {
    return detail::parse_pem_or_der<csr>(pem_or_der);
  }

  template <fixed_algorithm Other>
  requires std::same_as<Alg, any_algorithm> csr(const csr<Other>& other)
      : data_(other.data_), key_(other.key_) {}

  [[nodiscard]] const distinguished_name& subject() const noexcept { return data_->subject; }
  [[nodiscard]] const pki::public_key<Alg>& public_key() const noexcept { return key_; }
  [[nodiscard]] const pki::signature_algorithm& signature_algorithm() const noexcept {
    return data_->parts.algorithm;
  }
  /// The extensions the requester asks for (extensionRequest attribute).
  [[nodiscard]] const extension_list& extensions() const noexcept { return data_->extensions; }
  template <class Extension>
  [[nodiscard]] result<std::optional<Extension>> extension() const {
    return data_->extensions.template get<Extension>();
  }
  /// Attributes other than the extension request (e.g. challengePassword).
  [[nodiscard]] const std::vector<csr_attribute>& attributes() const noexcept { return data_->attributes; }

  [[nodiscard]] byte_view der() const noexcept { return data_->der; }
  [[nodiscard]] result<std::string> to_pem() const { return pem::encode("CERTIFICATE REQUEST", data_->der); }

  template <algorithm_tag Other>
  friend bool operator==(const csr& a, const csr<Other>& b) noexcept {
    return std::ranges::equal(a.der(), b.der());
  }

 private:
  template <algorithm_tag>
  friend class csr;

  csr(std::shared_ptr<const detail::csr_data> data, pki::public_key<Alg> key)
      : data_(std::move(data)), key_(std::move(key)) {}

  [[nodiscard]] static result<csr> adopt(std::shared_ptr<const detail::csr_data> data) {
    auto key = detail::as_typed<Alg>(*data->key);
    if (!key) return std::unexpected(key.error());
    return csr(std::move(data), std::move(*key));
  }

  std::shared_ptr<const detail::csr_data> data_;
  pki::public_key<Alg> key_;
};

/// Builds and signs a CSR. Setters chain; the first invalid input is kept and
/// reported by sign(), so a chain of calls needs one check.
class csr_builder : public detail::extension_builder<csr_builder> {
 public:
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
  csr_builder& dns(std::string_view name) {
    auto n = dns_name::create(name);
    if (!n) return note(n.error());
    sans_.emplace_back(std::move(*n));
    return *this;
  }
  csr_builder& ip(std::string_view address) {
    auto a = ip_address::parse(address);
    if (!a) return note(a.error());
    sans_.emplace_back(*a);
    return *this;
  }
  csr_builder& uri(std::string_view text) {
    auto u = uri_name::create(text);
    if (!u) return note(u.error());
    sans_.emplace_back(std::move(*u));
    return *this;
  }
  csr_builder& email(std::string_view text) {
    auto e = email_address::create(text);
    if (!e) return note(e.error());
    sans_.emplace_back(std::move(*e));
    return *this;
  }
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
  distinguished_name subject_;
  std::vector<general_name> sans_;
};

}  // namespace pki
