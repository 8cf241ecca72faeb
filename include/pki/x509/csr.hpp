#pragma once
// Certificate signing requests (PKCS#10, RFC 2986): csr<Alg> is a parsed, signature-checked
// request (proof of possession: the requester holds the private key), an immutable value
// cheap to copy. csr_builder (csr_builder.hpp) writes and signs one.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../keys/key.hpp"
#include "detail/signed_data.hpp"
#include "extensions.hpp"
#include "name.hpp"
#include "signature_algorithm.hpp"
#include "signed_document.hpp"

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
  static constexpr std::string_view pem_label = "CERTIFICATE REQUEST";
  static constexpr std::string_view legacy_pem_label = "NEW CERTIFICATE REQUEST";  // Netscape, old Windows
  static constexpr const char* pem_context = "parsing a PEM CSR";
  /// One DER CSR whose signature verifies with the key it carries: parse_failed when
  /// malformed, bad_signature when the requester's signature does not verify.
  [[nodiscard]] static result<std::shared_ptr<csr_data>> parse(byte_view der);

  byte_buffer der;
  signed_parts parts;
  distinguished_name subject;
  std::optional<public_key<>> key;
  extension_list extensions;
  std::vector<csr_attribute> attributes;
};

/// One Attribute SEQUENCE into `c`: the extension request into its extensions, any other
/// attribute kept as it is. Read in a reader of its own, whose errors say "CSR attribute".
[[nodiscard]] inline result<void> read_csr_attribute(const der_value& attribute, csr_data& c) {
  der_reader r(attribute.content, "CSR attribute");
  const byte_view type = r.read_oid();
  const auto set = r.expect(der_set);
  r.require(set && r.at_end(), "a CSR attribute is malformed");
  auto values = r.nested_in(set.value_or(der_value{}));
  if (oid_is(type, csr_oid::extension_request)) {
    const auto list = values.expect(der_sequence);
    values.require(list && values.at_end(), "the CSR extension request is malformed");
    values.require(c.extensions.empty(), "a CSR has two extension requests");
    if (!values.failed()) c.extensions = values.keep(extension_list::from_der(list->whole));
    return r.finish();
  }
  csr_attribute kept{r.keep(object_identifier::from_der_content(type)), {}};
  while (!values.at_end()) {
    const auto value = values.read_any();
    kept.values.emplace_back(value.whole.begin(), value.whole.end());
  }
  c.attributes.push_back(std::move(kept));
  return r.finish();
}

[[nodiscard]] inline result<void> read_csr_info(csr_data& c) {
  der_reader outer(c.parts.tbs, "CSR");
  auto info = outer.read_nested();
  if (info.read_small_unsigned() != 0) info.reject(errc::unsupported, "CSR version other than v1");
  const auto subject = info.read(der_sequence);
  c.subject = info.keep(distinguished_name::from_der(subject.whole));
  const auto spki = info.read(der_sequence);
  // The key is mbedTLS's to parse, and only once the fields before it have been read.
  if (info.failed()) return info.finish();
  auto key = public_key<>::from_der(spki.whole);
  if (!key) return std::unexpected(key.error());
  c.key = std::move(*key);
  // attributes [0] IMPLICIT SET OF Attribute: required, possibly empty.
  const auto tagged = info.expect(context_constructed(0));
  info.require(tagged.has_value(), "a CSR lacks its attributes field");
  auto attributes = info.nested_in(tagged.value_or(der_value{}));
  while (!attributes.at_end()) {
    const auto attribute = attributes.read(der_sequence);
    if (!attribute.present()) break;  // failed: no attribute to read
    if (auto read = read_csr_attribute(attribute, c); !read) attributes.reject(read.error());
  }
  return info.finish("trailing data in a CSR");
}

inline result<std::shared_ptr<csr_data>> csr_data::parse(byte_view der) {
  auto data = parse_signed<csr_data>(der, "CSR", "CSR input is empty", read_csr_info);
  if (!data) return std::unexpected(data.error());
  // mbedTLS does not check this; a CA must (proof of possession).
  if (auto ok = verify_signed((*data)->parts, *(*data)->key); !ok) return std::unexpected(ok.error());
  return data;
}

}  // namespace detail

/// A parsed CSR whose signature verified; Alg is the requester's key algorithm (exact
/// curve, RSA size), or any_algorithm. Parsing (from_der(): parse_failed when malformed,
/// bad_signature when the requester's signature does not verify, algorithm_mismatch when
/// its key is not Alg), the DER, PEM, signature and equality come from signed_document.
template <algorithm_tag Alg = any_algorithm>
class csr : public keyed_document<csr<Alg>, detail::csr_data, Alg> {
  using base = keyed_document<csr<Alg>, detail::csr_data, Alg>;

 public:
  /// Widens a typed CSR.
  template <fixed_algorithm Other>
  requires std::same_as<Alg, any_algorithm> csr(const csr<Other>& other)
      : base(other.data_, other.key_) {}

  [[nodiscard]] const distinguished_name& subject() const noexcept { return data_->subject; }
  /// The extensions the requester asks for (extensionRequest attribute).
  [[nodiscard]] const extension_list& extensions() const noexcept { return data_->extensions; }
  template <class Extension>
  [[nodiscard]] result<std::optional<Extension>> extension() const {
    return data_->extensions.template get<Extension>();
  }
  /// Attributes other than the extension request (e.g. challengePassword).
  [[nodiscard]] const std::vector<csr_attribute>& attributes() const noexcept { return data_->attributes; }

 private:
  template <algorithm_tag>
  friend class csr;
  friend base;
  friend class signed_document<csr, detail::csr_data>;  // from_der() adopts
  using base::adopt;
  using base::base;
  using base::data_;
  using base::key_;
};

}  // namespace pki
