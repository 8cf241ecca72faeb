#pragma once
// Reads every part of a parsed object, as a user printing or judging it would, and checks
// what must hold of what was read: an OID prints to text that parses back to it, a name
// read from DER encodes again and reads back to an equal name, a typed extension that
// encodes reads back to an equal value. The certificate, CSR, CRL and extension targets
// all go through here, so a bug in a reader is found from each of them.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz.hpp"

namespace pki_fuzz {

/// Keeps a value alive to the optimiser without printing it.
template <class T>
void consume(const T& value) {
  asm volatile("" : : "r"(&value) : "memory");
}

inline void read_oid(const pki::object_identifier& oid) {
  const std::string text = oid.to_string();
  auto again = pki::object_identifier::parse(text);
  PKI_FUZZ_CHECK(again.has_value());
  PKI_FUZZ_CHECK(*again == oid);
}

/// What must hold of any name read from DER: it encodes, the encoding reads back to an
/// equal name whose own encoding is the same bytes, and without multi-valued RDNs (whose
/// order to_der() may change) the encoding is `der` itself.
inline void read_name(const pki::distinguished_name& name, pki::byte_view der) {
  consume(name.to_string());
  consume(name.common_name());
  bool single_valued = true;
  for (const auto& rdn : name.rdns()) {
    single_valued = single_valued && rdn.size() == 1;
    for (const auto& attribute : rdn) read_oid(attribute.type);
  }
  auto encoded = name.to_der();
  PKI_FUZZ_CHECK(encoded.has_value());
  if (single_valued) PKI_FUZZ_CHECK(std::ranges::equal(*encoded, der));
  auto again = pki::distinguished_name::from_der(*encoded);
  PKI_FUZZ_CHECK(again.has_value());
  PKI_FUZZ_CHECK(*again == name);
  auto encoded_again = again->to_der();
  PKI_FUZZ_CHECK(encoded_again.has_value() && *encoded_again == *encoded);
}

inline void read_general_names(const std::vector<pki::general_name>& names) {
  consume(pki::to_string(std::span<const pki::general_name>(names)));
  for (const auto& name : names) {
    if (const auto* dn = std::get_if<pki::distinguished_name>(&name)) {
      auto der = dn->to_der();
      PKI_FUZZ_CHECK(der.has_value());
      read_name(*dn, *der);
    }
    if (const auto* id = std::get_if<pki::registered_id>(&name)) read_oid(id->value);
    if (const auto* other = std::get_if<pki::other_name>(&name)) read_oid(other->type_id);
  }
}

template <class T>
void read_parts(const T&) {}
inline void read_parts(const pki::subject_alt_name& san) {
  read_general_names(san.names);
}
inline void read_parts(const pki::issuer_alt_name& ian) {
  read_general_names(ian.names);
}
inline void read_parts(const pki::extended_key_usage& eku) {
  for (const auto& purpose : eku.purposes) {
    read_oid(purpose);
    consume(pki::extended_key_usage::purpose_name(purpose));
    PKI_FUZZ_CHECK(eku.has(purpose));
  }
}
inline void read_parts(const pki::authority_key_identifier& aki) {
  read_general_names(aki.issuer);
}
inline void read_parts(const pki::name_constraints& nc) {
  for (const auto* subtrees : {&nc.permitted, &nc.excluded}) {
    for (const auto& subtree : *subtrees) read_general_names({subtree.base});
  }
}
inline void read_parts(const pki::crl_distribution_points& points) {
  consume(points.uris());
  for (const auto& point : points.points) {
    read_general_names(point.full_name);
    read_general_names(point.crl_issuer);
  }
}
inline void read_parts(const pki::certificate_policies& policies) {
  for (const auto& policy : policies.policies) {
    read_oid(policy.policy);
    PKI_FUZZ_CHECK(policies.has(policy.policy));
    for (const auto& qualifier : policy.qualifiers) {
      read_oid(qualifier.id);
      consume(qualifier.cps_uri());
    }
  }
}
inline void read_parts(const pki::authority_information_access& aia) {
  for (const auto& description : aia.descriptions) {
    read_oid(description.method);
    read_general_names({description.location});
  }
  consume(aia.uris(pki::authority_information_access::ocsp));
  consume(aia.uris(pki::authority_information_access::ca_issuers));
}

/// Decodes `value` as T; when it decodes, its text, its parts, and: when it encodes (which
/// refuses what RFC 5280 forbids an issuer to write, so it may not), the encoding decodes
/// to an equal value and encodes to the same bytes again.
template <pki::typed_extension T>
void read_typed(pki::byte_view value) {
  auto decoded = T::from_der(value);
  if (!decoded) {
    consume(decoded.error().message());
    return;
  }
  consume(decoded->to_string());
  read_parts(*decoded);
  auto encoded = decoded->to_der();
  if (!encoded) return;
  auto again = T::from_der(*encoded);
  PKI_FUZZ_CHECK(again.has_value());
  PKI_FUZZ_CHECK(*again == *decoded);
  auto encoded_again = again->to_der();
  PKI_FUZZ_CHECK(encoded_again.has_value() && *encoded_again == *encoded);
}

/// Every typed extension this library knows, in the order the extension target's first
/// byte selects them.
inline void read_typed_by_index(std::size_t index, pki::byte_view value) {
  switch (index) {
    case 0: return read_typed<pki::subject_alt_name>(value);
    case 1: return read_typed<pki::issuer_alt_name>(value);
    case 2: return read_typed<pki::key_usage>(value);
    case 3: return read_typed<pki::extended_key_usage>(value);
    case 4: return read_typed<pki::basic_constraints>(value);
    case 5: return read_typed<pki::subject_key_identifier>(value);
    case 6: return read_typed<pki::authority_key_identifier>(value);
    case 7: return read_typed<pki::name_constraints>(value);
    case 8: return read_typed<pki::crl_distribution_points>(value);
    case 9: return read_typed<pki::certificate_policies>(value);
    case 10: return read_typed<pki::authority_information_access>(value);
    default: return;
  }
}
inline constexpr std::size_t typed_extension_count = 11;

/// The index read_typed_by_index() gives an extension's OID, or typed_extension_count.
inline std::size_t typed_index(const pki::object_identifier& oid) {
  const std::string_view oids[] = {pki::subject_alt_name::oid_content,
                                   pki::issuer_alt_name::oid_content,
                                   pki::key_usage::oid_content,
                                   pki::extended_key_usage::oid_content,
                                   pki::basic_constraints::oid_content,
                                   pki::subject_key_identifier::oid_content,
                                   pki::authority_key_identifier::oid_content,
                                   pki::name_constraints::oid_content,
                                   pki::crl_distribution_points::oid_content,
                                   pki::certificate_policies::oid_content,
                                   pki::authority_information_access::oid_content};
  for (std::size_t i = 0; i < std::size(oids); ++i) {
    if (oid == oids[i]) return i;
  }
  return typed_extension_count;
}

inline void read_extensions(const pki::extension_list& list) {
  for (const auto& extension : list) {
    read_oid(extension.oid);
    consume(pki::extension_name(extension.oid));
    consume(pki::to_string(extension));
    PKI_FUZZ_CHECK(list.find(extension.oid) == &extension);
    read_typed_by_index(typed_index(extension.oid), extension.value);
  }
  if (list.empty()) return;
  // An extension list read from DER writes the same list again.
  auto der = list.to_der();
  PKI_FUZZ_CHECK(der.has_value());
  auto again = pki::extension_list::from_der(*der);
  PKI_FUZZ_CHECK(again.has_value() && *again == list);
}

template <pki::algorithm_tag Alg>
void read_public_key(const pki::public_key<Alg>& key) {
  consume(key.algorithm().name());
  consume(key.bits());
  auto der = key.to_der();
  PKI_FUZZ_CHECK(der.has_value());
  auto again = pki::public_key<>::from_der(*der);
  PKI_FUZZ_CHECK(again.has_value());
  PKI_FUZZ_CHECK(again->algorithm().type == key.algorithm().type && again->bits() == key.bits());
  auto der_again = again->to_der();
  PKI_FUZZ_CHECK(der_again.has_value() && *der_again == *der);
}

template <pki::algorithm_tag Alg>
void read_certificate(const pki::certificate<Alg>& cert) {
  PKI_FUZZ_CHECK(cert.version() >= 1 && cert.version() <= 3);
  consume(cert.serial_hex());
  read_name(cert.issuer(), cert.issuer_der());
  read_name(cert.subject(), cert.subject_der());
  PKI_FUZZ_CHECK(cert.not_before() == cert.validity().not_before);
  consume(cert.validity().contains(fixed_now));
  read_public_key(cert.public_key());
  consume(cert.signature_algorithm().name());
  consume(cert.signature());
  consume(cert.tbs_der());
  read_extensions(cert.extensions());
  consume(cert.subject_alt_name());
  consume(cert.key_usage());
  consume(cert.extended_key_usage());
  consume(cert.basic_constraints());
  consume(cert.subject_key_identifier());
  consume(cert.authority_key_identifier());
  consume(cert.name_constraints());
  consume(cert.crl_distribution_points());
  consume(cert.certificate_policies());
  consume(cert.template extension<pki::authority_information_access>());
  consume(cert.template extension<pki::issuer_alt_name>());
  consume(cert.is_ca());
  if (cert.is_self_issued()) consume(cert.is_self_signed());
  consume(cert.fingerprint());
  consume(cert.fingerprint(pki::hash_algorithm::sha1));
  // A signature check costs a millisecond: only where the fixed CA may have signed.
  const auto& ca = fixed_hierarchy().issuing.certificate();
  if (cert.issuer() == ca.subject()) consume(cert.verify_signature(ca.public_key()));
}

}  // namespace pki_fuzz
