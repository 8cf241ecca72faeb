#pragma once
// Ready-made validation policies. Each is a plain alias of policies<...>: copy one and
// add or drop a rule to make your own.

#include "allowed_curves.hpp"
#include "certificate_policies.hpp"
#include "crl_check.hpp"
#include "eku.hpp"
#include "forbid_sha1.hpp"
#include "hostname.hpp"
#include "max_depth.hpp"
#include "min_rsa_bits.hpp"
#include "name_constraints.hpp"
#include "policy.hpp"
#include "rfc5280.hpp"
#include "rfc5280_path.hpp"
#include "spki_pin.hpp"
#include "subscriber_common_name.hpp"
#include "web_pki.hpp"

namespace pki::policy {

/// The strong algorithms: RSA of 2048 bits or more, the NIST curves, no SHA-1.
using modern_algorithms =
    policies<min_rsa_bits<2048>, allowed_curves<curve::p256, curve::p384, curve::p521>, forbid_sha1>;

/// A browser-like client checking an HTTPS server on the public Web PKI: RFC 5280 (both
/// halves: rfc5280_path, certificate policies included, and rfc5280_profile), name
/// constraints, serverAuth chained through the path, the host name (when given), the
/// CA/Browser Forum rules (web_pki, and the leaf's common name one of its SANs), modern
/// algorithms, CRLs when supplied.
using web_server = policies<rfc5280, name_constraints, server_auth, hostname, web_pki, subscriber_common_name,
                            modern_algorithms, max_depth<8>, crl_check>;

/// RFC 5280 alone, for a TLS server certificate: the rules of rfc5280 (path validation and
/// the section 4 profile), name
/// constraints, serverAuth through the path, the host name (when given), CRLs when supplied;
/// none of the CA/Browser Forum's profile (web_pki) nor an algorithm floor. What x509-limbo's
/// rfc5280 families test, and what a relying party outside the Web PKI that wants the RFC and
/// nothing more picks.
using rfc5280_server = policies<rfc5280, name_constraints, server_auth, hostname, crl_check>;
/// As rfc5280_server, for a TLS client certificate (clientAuth).
using rfc5280_client = policies<rfc5280, name_constraints, client_auth, hostname, crl_check>;

/// A strict RFC 5280 section 6 relying party: path validation (rfc5280_path, with
/// validation_options' certificate-policy inputs), name
/// constraints and CRLs when supplied, and nothing that section 4 asks of CAs (no
/// rfc5280_profile: a CA without key identifiers or keyUsage, a non-critical
/// basicConstraints, a zero serial pass), no purpose, host name or algorithm rule. What the
/// NIST path validation suites test (pki-path-harness); a TLS client wants rfc5280_server or
/// web_server.
using rfc5280_strict_path = policies<rfc5280_path, name_constraints, crl_check>;

/// A server of a private PKI checking device client certificates in mutual TLS: RFC 5280,
/// name constraints, clientAuth chained through the path, modern algorithms, at most four
/// intermediates, CRLs when supplied.
using iot_mtls_server =
    policies<rfc5280, name_constraints, client_auth, modern_algorithms, max_depth<4>, crl_check>;

/// A device checking the server it connects to, in a private PKI: as iot_mtls_server but
/// for serverAuth and the server's host name.
using iot_mtls_client =
    policies<rfc5280, name_constraints, server_auth, hostname, modern_algorithms, max_depth<4>, crl_check>;

}  // namespace pki::policy
