#pragma once
// The library's version and the mbedTLS it is written against.

#include <mbedtls/build_info.h>

#define PKI_VERSION_MAJOR 0
#define PKI_VERSION_MINOR 1
#define PKI_VERSION_PATCH 0

static_assert(MBEDTLS_VERSION_NUMBER >= 0x03060000,
              "pki needs mbedTLS 3.6 LTS or newer: Debian 13 'libmbedtls-dev', "
              "Conan 'mbedtls/3.6.x' or vcpkg 'mbedtls'");

namespace pki {

/// The library version as "major.minor.patch".
inline constexpr const char* version_string = "0.1.0";

/// The mbedTLS version the headers were compiled against, as "3.6.x".
inline constexpr const char* mbedtls_version_string = MBEDTLS_VERSION_STRING;

}  // namespace pki
