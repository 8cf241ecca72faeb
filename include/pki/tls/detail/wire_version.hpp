#pragma once
// The protocol version an mbedTLS context holds, read without undefined behaviour.

#include <mbedtls/ssl.h>

#include <cstring>
#include <type_traits>

namespace pki::detail {

/// The TLS version in `ssl` as a number (0x0303 is TLS 1.2, 0x0304 TLS 1.3). Before the
/// handshake ends mbedTLS may keep there the version bytes a peer wrote, which can lie
/// outside mbedtls_ssl_protocol_version: loading such a value as the enum (what the
/// inline mbedtls_ssl_get_version_number does) is undefined in C++, so its bytes are
/// copied instead.
[[nodiscard]] inline int wire_version(const mbedtls_ssl_context& ssl) noexcept {
  const auto& field = ssl.MBEDTLS_PRIVATE(tls_version);
  std::underlying_type_t<std::remove_cvref_t<decltype(field)>> value{};
  static_assert(sizeof value == sizeof field);
  std::memcpy(&value, &field, sizeof value);
  return static_cast<int>(value);
}

}  // namespace pki::detail
