#pragma once
// The whole library: #include <pki/pki.hpp>. Grouped by stage, in the order of the data
// path; a header of one stage includes only headers of its own and earlier stages.

// core: errors, the mbedTLS configuration, bytes and PEM, the clock, randomness, hashing.
#include "core/bytes.hpp"    // IWYU pragma: export
#include "core/clock.hpp"    // IWYU pragma: export
#include "core/config.hpp"   // IWYU pragma: export
#include "core/error.hpp"    // IWYU pragma: export
#include "core/hash.hpp"     // IWYU pragma: export
#include "core/random.hpp"   // IWYU pragma: export
#include "core/version.hpp"  // IWYU pragma: export

// keys: algorithm tags, key pairs, signatures; encryption to a public key.
#include "keys/aead.hpp"         // IWYU pragma: export
#include "keys/algorithm.hpp"    // IWYU pragma: export
#include "keys/ecdh.hpp"         // IWYU pragma: export
#include "keys/hkdf.hpp"         // IWYU pragma: export
#include "keys/hpke.hpp"         // IWYU pragma: export
#include "keys/key.hpp"          // IWYU pragma: export
#include "keys/oaep.hpp"         // IWYU pragma: export
#include "keys/sealed_file.hpp"  // IWYU pragma: export
#include "keys/signature.hpp"    // IWYU pragma: export

// x509: names, extensions, and the signed documents (one shell): certificates, CSRs,
// CRLs, and the builders that write and sign them.
#include "x509/certificate.hpp"          // IWYU pragma: export
#include "x509/certificate_builder.hpp"  // IWYU pragma: export
#include "x509/crl.hpp"                  // IWYU pragma: export
#include "x509/crl_builder.hpp"          // IWYU pragma: export
#include "x509/csr.hpp"                  // IWYU pragma: export
#include "x509/csr_builder.hpp"          // IWYU pragma: export
#include "x509/extension_builder.hpp"    // IWYU pragma: export
#include "x509/extensions.hpp"           // IWYU pragma: export
#include "x509/general_name.hpp"         // IWYU pragma: export
#include "x509/name.hpp"                 // IWYU pragma: export
#include "x509/object_identifier.hpp"    // IWYU pragma: export
#include "x509/signature_algorithm.hpp"  // IWYU pragma: export
#include "x509/signed_document.hpp"      // IWYU pragma: export

// issue: issuance profiles and the certificate authority.
#include "issue/authority.hpp"  // IWYU pragma: export
#include "issue/profile.hpp"    // IWYU pragma: export

// validate: trust anchors, path building, the validator and its policy classes.
#include "validate/chain.hpp"               // IWYU pragma: export
#include "validate/link_cache.hpp"          // IWYU pragma: export
#include "validate/path_builder.hpp"        // IWYU pragma: export
#include "validate/policy/presets.hpp"      // IWYU pragma: export
#include "validate/trust_store.hpp"         // IWYU pragma: export
#include "validate/validation_options.hpp"  // IWYU pragma: export
#include "validate/validator.hpp"           // IWYU pragma: export
#include "validate/verify.hpp"              // IWYU pragma: export

// tls: (mutual) TLS on mbedTLS with peers judged by the validator.
#if PKI_HAS_TLS
#include "tls/tls.hpp"  // IWYU pragma: export
#endif
