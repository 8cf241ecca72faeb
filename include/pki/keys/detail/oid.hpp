#pragma once
// The library's own OID table (DER content octets), independent of mbedTLS's oid.h.

#include <string_view>

namespace pki::detail::oid {

using namespace std::string_view_literals;

inline constexpr std::string_view rsa_encryption =
    "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x01"sv;                                         // 1.2.840.113549.1.1.1
inline constexpr std::string_view ec_public_key = "\x2A\x86\x48\xCE\x3D\x02\x01"sv;   // 1.2.840.10045.2.1
inline constexpr std::string_view ec_dh = "\x2B\x81\x04\x01\x0C"sv;                   // 1.3.132.1.12
inline constexpr std::string_view secp256r1 = "\x2A\x86\x48\xCE\x3D\x03\x01\x07"sv;   // 1.2.840.10045.3.1.7
inline constexpr std::string_view secp384r1 = "\x2B\x81\x04\x00\x22"sv;               // 1.3.132.0.34
inline constexpr std::string_view secp521r1 = "\x2B\x81\x04\x00\x23"sv;               // 1.3.132.0.35
inline constexpr std::string_view pbes2 = "\x2A\x86\x48\x86\xF7\x0D\x01\x05\x0D"sv;   // 1.2.840.113549.1.5.13
inline constexpr std::string_view pbkdf2 = "\x2A\x86\x48\x86\xF7\x0D\x01\x05\x0C"sv;  // 1.2.840.113549.1.5.12
inline constexpr std::string_view hmac_sha256 = "\x2A\x86\x48\x86\xF7\x0D\x02\x09"sv;  // 1.2.840.113549.2.9
inline constexpr std::string_view aes256_cbc =
    "\x60\x86\x48\x01\x65\x03\x04\x01\x2A"sv;  // 2.16.840.1.101.3.4.1.42

}  // namespace pki::detail::oid
