#pragma once
// signed_document: what certificates, CSRs and CRLs share as signed X.509 documents
// (Botan's X509_Object): the whole DER and its PEM, the to-be-signed bytes, the signature
// and its algorithm, a signature check against an issuer's key, equality by encoding, and
// parsing from PEM, from PEM or DER, and from a PEM text of many blocks. Written once here;
// each document derives from it and adds what it reads from its to-be-signed part.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "../keys/key.hpp"
#include "detail/signed_data.hpp"
#include "signature_algorithm.hpp"

namespace pki {

/// The shared parsed state of a signed document: the DER, its SIGNED{} parts, and the
/// traits that name it in PEM and in errors.
template <class Data>
concept signed_document_data = requires(const Data& d) {
  { d.der } -> std::convertible_to<byte_view>;
  { d.parts } -> std::convertible_to<detail::signed_parts>;
  { Data::pem_label } -> std::convertible_to<std::string_view>;
  { Data::legacy_pem_label } -> std::convertible_to<std::string_view>;  // "" when there is none
  { Data::pem_context } -> std::convertible_to<const char*>;
  { Data::parse(byte_view{}) } -> std::same_as<result<std::shared_ptr<Data>>>;
};

/// The base of certificate<Alg>, csr<Alg> and crl (CRTP). Data::parse() reads the DER and
/// Document::adopt() (which befriends this base) types the result; copies share one
/// immutable Data.
template <class Document, signed_document_data Data>
class signed_document {
 public:
  /// Parses one DER document: parse_failed when malformed, unsupported for an unknown
  /// algorithm, and each document's own refusals (its class comment lists them).
  [[nodiscard]] static result<Document> from_der(byte_view der) {
    auto data = Data::parse(der);
    if (!data) return std::unexpected(data.error());
    return Document::adopt(std::move(*data));
  }
  /// Parses the first PEM block with the document's label (or its legacy label: "NEW
  /// CERTIFICATE REQUEST"); parse_failed when there is none, else as from_der().
  [[nodiscard]] static result<Document> from_pem(std::string_view pem) {
    return detail::out_of_memory_guard(Data::pem_context, [&]() -> result<Document> {
      auto der = pem::decode(pem, Data::pem_label);
      if (!der && has_legacy_block(pem)) der = pem::decode(pem, Data::legacy_pem_label);
      if (!der) return std::unexpected(der.error());
      return from_der(*der);
    });
  }
  /// Parses PEM or DER, as from_pem() or from_der().
  [[nodiscard]] static result<Document> parse(byte_view pem_or_der) {
    return detail::parse_pem_or_der<Document>(pem_or_der);
  }
  /// Every block with the document's label in a PEM text, in order, each parsed or with the
  /// reason it is not, for callers that keep what parses (a system bundle). Other blocks are
  /// skipped; a block without its END line ends the list with that error.
  [[nodiscard]] static std::vector<result<Document>> parse_each(std::string_view pem) {
    std::vector<result<Document>> out;
    std::size_t from = 0;
    while (pem.find("-----BEGIN ", from) != std::string_view::npos) {
      auto block = pem::find_block(pem, from);
      if (!block) {
        out.emplace_back(std::unexpected(block.error()));
        break;
      }
      from = block->end;
      if (!is_document_label(block->label)) continue;
      auto der = pem::decode_body(block->body);
      if (!der) {
        out.emplace_back(std::unexpected(der.error()));
      } else {
        out.push_back(from_der(*der));
      }
    }
    return out;
  }

  /// The whole document in DER, exactly as parsed.
  [[nodiscard]] byte_view der() const noexcept { return data_->der; }
  /// The document as one PEM block; fails only when base64 encoding does.
  [[nodiscard]] result<std::string> to_pem() const { return pem::encode(Data::pem_label, data_->der); }
  /// The DER of the to-be-signed part (tbsCertificate, certificationRequestInfo, tbsCertList),
  /// the bytes the signature covers.
  [[nodiscard]] byte_view tbs_der() const noexcept { return data_->parts.tbs; }
  /// The signature's bytes.
  [[nodiscard]] byte_view signature() const noexcept { return data_->parts.signature; }
  /// The scheme the signer signed with.
  [[nodiscard]] const pki::signature_algorithm& signature_algorithm() const noexcept {
    return data_->parts.algorithm;
  }
  /// Checks that `issuer_key` signed this document: bad_signature if not; algorithm_mismatch
  /// when the signature algorithm is for another key type.
  template <algorithm_tag K>
  [[nodiscard]] result<void> verify_signature(const public_key<K>& issuer_key) const {
    return detail::verify_signed(data_->parts, public_key<>(issuer_key));
  }

  /// Same DER encoding (`certificate<A>` and `certificate<B>` compare too).
  template <class Other>
  friend bool operator==(const signed_document& a, const signed_document<Other, Data>& b) noexcept {
    return std::ranges::equal(a.der(), b.der());
  }

 protected:
  explicit signed_document(std::shared_ptr<const Data> data) noexcept : data_(std::move(data)) {}

  std::shared_ptr<const Data> data_;

 private:
  [[nodiscard]] static bool is_document_label(std::string_view label) noexcept {
    return label == Data::pem_label || (!Data::legacy_pem_label.empty() && label == Data::legacy_pem_label);
  }
  /// True when some "-----BEGIN <legacy label>-----" line is in the text.
  [[nodiscard]] static bool has_legacy_block(std::string_view pem) noexcept {
    constexpr std::string_view begin = "-----BEGIN ";
    constexpr std::string_view label = Data::legacy_pem_label;
    if (label.empty()) return false;
    for (auto at = pem.find(begin); at != std::string_view::npos; at = pem.find(begin, at + 1)) {
      const auto rest = pem.substr(at + begin.size());
      if (rest.starts_with(label) && rest.substr(label.size()).starts_with("-----")) return true;
    }
    return false;
  }
};

/// A signed document that carries its subject's key (certificate<Alg>, csr<Alg>), typed by
/// Alg: the key's algorithm to the curve and the RSA size class, or any_algorithm. Data has
/// `std::optional<public_key<>> key`, set once parsed; Document befriends this base.
template <class Document, signed_document_data Data, algorithm_tag Alg>
class keyed_document : public signed_document<Document, Data> {
 public:
  /// The subject's public key, typed as the document is.
  [[nodiscard]] const pki::public_key<Alg>& public_key() const noexcept { return key_; }

 protected:
  keyed_document(std::shared_ptr<const Data> data, pki::public_key<Alg> key) noexcept
      : signed_document<Document, Data>(std::move(data)), key_(std::move(key)) {}

  /// The document over parsed state whose key is checked against Alg: algorithm_mismatch
  /// when it is of another algorithm.
  [[nodiscard]] static result<Document> adopt(std::shared_ptr<const Data> data) {
    auto key = detail::as_typed<Alg>(*data->key);
    if (!key) return std::unexpected(key.error());
    return Document(std::move(data), std::move(*key));
  }

  pki::public_key<Alg> key_;
};

}  // namespace pki
