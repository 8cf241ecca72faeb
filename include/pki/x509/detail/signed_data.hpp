#pragma once
// The SIGNED{} shape shared by certificates, CSRs and CRLs (RFC 5280 4.1.1.1):
// SEQUENCE { to-be-signed, AlgorithmIdentifier, BIT STRING signature }.
// Reading splits it; writing signs the to-be-signed bytes with a private key.

#include <algorithm>
#include <memory>
#include <string_view>
#include <utility>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/detail/out_of_memory.hpp"
#include "../../core/error.hpp"
#include "../../keys/key.hpp"
#include "../extensions.hpp"
#include "../name.hpp"
#include "../signature_algorithm.hpp"
#include "der_fields.hpp"

namespace pki::detail {

struct signed_parts {
  byte_view tbs;  ///< the whole to-be-signed value, tag and length included
  signature_algorithm algorithm;
  byte_view signature;
};

/// The outer signature AlgorithmIdentifier as encoded: the value right after the TBS, found
/// again rather than kept (read_signed() checked the shape).
[[nodiscard]] inline byte_view outer_algorithm_der(const signed_parts& parts) noexcept {
  const std::uint8_t* after_tbs = parts.tbs.data() + parts.tbs.size();
  const std::uint8_t* end = parts.signature.data() + parts.signature.size();
  der_reader rest(byte_view(after_tbs, static_cast<std::size_t>(end - after_tbs)));
  const auto algorithm = rest.any();
  return algorithm ? algorithm->whole : byte_view{};
}

/// The signature AlgorithmIdentifier inside a to-be-signed part, which must be the outer one
/// byte for byte; `differ` is the context when it is not. RFC 5280 4.1.1.2 and 5.1.1.2: equal
/// in meaning is not enough (PSS parameters or NULLs spelled two ways would give one signed
/// object two encodings). `tbs` keeps a failure.
[[nodiscard]] inline signature_algorithm read_inner_algorithm(der_reader& tbs, const signed_parts& parts,
                                                              const char* differ) {
  byte_view alg_der;
  auto alg = next_signature_algorithm(tbs, alg_der);
  tbs.require(std::ranges::equal(outer_algorithm_der(parts), alg_der), differ);
  return alg;
}

/// A Name field (issuer, subject): `der` views it as encoded, `name` gets it decoded; `r`
/// keeps a failure.
inline void read_name_field(der_reader& r, byte_view& der, distinguished_name& name) {
  der = r.read(der_sequence).whole;
  name = r.keep(distinguished_name::from_der(der));
}
/// The same, checking the Name without building it (the caller builds it when it is read).
inline void read_name_field(der_reader& r, byte_view& der) {
  der = r.read(der_sequence).whole;
  if (r.failed()) return;
  if (auto checked = distinguished_name::check_der(der); !checked) r.reject(checked.error());
}

/// Splits a signed structure; `what` names it in errors ("certificate", "CSR", "CRL").
[[nodiscard]] inline result<signed_parts> read_signed(byte_view der, const char* what) {
  der_reader outer(der, what);
  auto body = outer.read_nested();
  outer.require(outer.at_end(), "trailing data after a signed structure");
  const auto tbs = body.read(der_sequence);
  byte_view alg_der;
  auto alg = next_signature_algorithm(body, alg_der);
  const auto sig = body.read_bit_string();
  body.require(sig.unused == 0, "a signature BIT STRING has unused bits");
  body.require(body.at_end(), "trailing data inside a signed structure");
  return outer.finish_with(signed_parts{tbs.whole, alg, sig.bytes});
}

/// Parses a signed structure into shared state: copies the DER into a new Data (which
/// has `der` and `parts`), splits it, then lets `read_tbs(Data&)` read the to-be-signed
/// part. `empty` is the context when there is no input at all.
template <class Data, class ReadTbs>
[[nodiscard]] result<std::shared_ptr<Data>> parse_signed(byte_view der, const char* what, const char* empty,
                                                         ReadTbs read_tbs) {
  return pki::detail::out_of_memory_guard("parsing a certificate, CSR or CRL",
                                          [&]() -> result<std::shared_ptr<Data>> {
                                            if (der.empty()) return fail(errc::parse_failed, empty);
                                            auto data = std::make_shared<Data>();
                                            data->der.assign(der.begin(), der.end());
                                            auto parts = read_signed(data->der, what);
                                            if (!parts) return std::unexpected(parts.error());
                                            data->parts = *parts;
                                            if (auto ok = read_tbs(*data); !ok)
                                              return std::unexpected(ok.error());
                                            return data;
                                          });
}

/// The optional Extensions inside an EXPLICIT [tag] (certificates [3], CRLs [0]) into
/// `out`, left empty when absent. parse_failed with `not_in_version` when present in a
/// version that has none, with `malformed` when not exactly one SEQUENCE of extensions;
/// `tbs` keeps the failure.
template <class List>  // extension_list or extension_views
void read_explicit_extensions(der_reader& tbs, unsigned tag, bool version_has_them,
                              const char* not_in_version, const char* malformed, List& out) {
  const auto tagged = tbs.read_optional(context_constructed(tag));
  if (!tagged.present()) return;
  tbs.require(version_has_them, not_in_version);
  const auto list = tbs.keep(read_only_value(tagged.content, der_sequence, malformed));
  if (!list.present()) return;  // failed: no list to decode
  out = tbs.keep(List::from_der(list.whole));
}

/// PEM or DER into a signed document type T (certificate, CSR, CRL): T::from_pem() when
/// the input has a PEM header, T::from_der() otherwise.
template <class T>
[[nodiscard]] result<T> parse_pem_or_der(byte_view input) {
  if (pem::looks_like_pem(input))
    return T::from_pem({reinterpret_cast<const char*>(input.data()), input.size()});
  return T::from_der(input);
}

/// Checks that `key` made `parts.signature` over `parts.tbs`: bad_signature if not;
/// algorithm_mismatch when the algorithm is for another key type.
[[nodiscard]] inline result<void> verify_signed(const signed_parts& parts, const public_key<>& key) {
  if (parts.algorithm.type != key.algorithm().type) {
    return fail(errc::algorithm_mismatch, "the signature algorithm is for another key type");
  }
  return key.verify(parts.tbs, parts.signature, parts.algorithm.options());
}

/// SEQUENCE { tbs, algorithm, BIT STRING signature-of-tbs }.
template <algorithm_tag Alg>
[[nodiscard]] result<byte_buffer> sign_tbs(byte_view tbs, const private_key<Alg>& key,
                                           const signature_algorithm& algorithm) {
  if (algorithm.type != key.algorithm().type) {
    return fail(errc::algorithm_mismatch, "the signature algorithm is for another key type");
  }
  auto sig = key.sign(tbs, algorithm.options());
  if (!sig) return std::unexpected(sig.error());
  der_writer w(tbs.size() + sig->size() + 64);
  w.bit_string(sig->bytes());
  write_signature_algorithm(w, algorithm);
  w.raw(tbs);
  w.sequence(0);
  return w.finish<byte_buffer>();
}

}  // namespace pki::detail
