#pragma once
// X.509 v3 extensions (RFC 5280 4.2) as types: each has its OID, its RFC 5280 default
// criticality, DER encoding and decoding of the extnValue contents, and OpenSSL-style
// text; `extension` is any extension as OID, criticality and DER, and `extension_list`
// the ordered Extensions of a certificate, CSR or CRL.
//
// Decoding is strict DER and refuses what the ASN.1 forbids (an empty SEQUENCE SIZE
// (1..MAX), a wrong tag, trailing data): parse_failed. One leniency: a DEFAULT value
// written out (an extension's critical FALSE, basicConstraints' cA FALSE, a subtree's
// minimum 0) is read as the DEFAULT, as Go, OpenSSL, Botan and mbedTLS read it; real CAs
// emit it and it is unambiguous. Encoding always leaves it out.
// Encoding refuses, in addition, what RFC 5280 forbids a conforming CA to issue (a
// keyUsage with no bit set, pathLenConstraint without cA, name-constraint subtrees with
// a minimum or maximum): invalid_argument. A decoded value that only RFC 5280 forbids is
// kept, so a certificate that breaks it can still be read and judged.
//
// One header per family under extensions/ (extension.hpp holds `extension` and
// `extension_list`); this one includes them all and names and prints any extension.

#include <string>

#include "detail/typed_text.hpp"
#include "extensions/alternative_names.hpp"
#include "extensions/authority_information_access.hpp"
#include "extensions/basic_constraints.hpp"
#include "extensions/certificate_policies.hpp"
#include "extensions/crl_distribution_points.hpp"
#include "extensions/extension.hpp"
#include "extensions/key_identifiers.hpp"
#include "extensions/key_usage.hpp"
#include "extensions/name_constraints.hpp"
#include "object_identifier.hpp"

namespace pki {

/// OpenSSL's heading for an extension ("X509v3 Subject Alternative Name"), or its dotted OID.
[[nodiscard]] inline std::string extension_name(const object_identifier& oid) {
  if (oid == subject_alt_name::oid_content) return "X509v3 Subject Alternative Name";
  if (oid == issuer_alt_name::oid_content) return "X509v3 Issuer Alternative Name";
  if (oid == key_usage::oid_content) return "X509v3 Key Usage";
  if (oid == extended_key_usage::oid_content) return "X509v3 Extended Key Usage";
  if (oid == basic_constraints::oid_content) return "X509v3 Basic Constraints";
  if (oid == subject_key_identifier::oid_content) return "X509v3 Subject Key Identifier";
  if (oid == authority_key_identifier::oid_content) return "X509v3 Authority Key Identifier";
  if (oid == name_constraints::oid_content) return "X509v3 Name Constraints";
  if (oid == crl_distribution_points::oid_content) return "X509v3 CRL Distribution Points";
  if (oid == certificate_policies::oid_content) return "X509v3 Certificate Policies";
  if (oid == policy_mappings::oid_content) return "X509v3 Policy Mappings";
  if (oid == policy_constraints::oid_content) return "X509v3 Policy Constraints";
  if (oid == inhibit_any_policy::oid_content) return "X509v3 Inhibit Any Policy";
  if (oid == authority_information_access::oid_content) return "Authority Information Access";
  return oid.to_string();
}

/// The value of any extension as text: the typed to_string() of the extensions this header
/// knows, "<malformed: ...>" when such a value does not decode, and hex for the others.
[[nodiscard]] inline std::string to_string(const extension& ext) {
  return detail::known_extension_text<subject_alt_name, issuer_alt_name, key_usage, extended_key_usage,
                                      basic_constraints, subject_key_identifier, authority_key_identifier,
                                      name_constraints, crl_distribution_points, certificate_policies,
                                      policy_mappings, policy_constraints, inhibit_any_policy,
                                      authority_information_access>(ext);
}

}  // namespace pki
