#pragma once
// The whole library: #include <pki/pki.hpp>.

#include "algorithm.hpp"            // IWYU pragma: export
#include "authority.hpp"            // IWYU pragma: export
#include "bytes.hpp"                // IWYU pragma: export
#include "certificate.hpp"          // IWYU pragma: export
#include "chain.hpp"                // IWYU pragma: export
#include "config.hpp"               // IWYU pragma: export
#include "crl.hpp"                  // IWYU pragma: export
#include "csr.hpp"                  // IWYU pragma: export
#include "error.hpp"                // IWYU pragma: export
#include "extensions.hpp"           // IWYU pragma: export
#include "general_name.hpp"         // IWYU pragma: export
#include "hash.hpp"                 // IWYU pragma: export
#include "key.hpp"                  // IWYU pragma: export
#include "name.hpp"                 // IWYU pragma: export
#include "object_identifier.hpp"    // IWYU pragma: export
#include "path_builder.hpp"         // IWYU pragma: export
#include "policy/presets.hpp"       // IWYU pragma: export
#include "profile.hpp"              // IWYU pragma: export
#include "random.hpp"               // IWYU pragma: export
#include "signature.hpp"            // IWYU pragma: export
#include "signature_algorithm.hpp"  // IWYU pragma: export
#include "trust_store.hpp"          // IWYU pragma: export
#include "validator.hpp"            // IWYU pragma: export
#include "version.hpp"              // IWYU pragma: export

#if PKI_HAS_TLS
#include "tls.hpp"  // IWYU pragma: export
#endif
