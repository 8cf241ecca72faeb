#pragma once
// Maps mbedTLS's TLS status codes (MBEDTLS_ERR_SSL_*) to errc. The transport and
// certificate verdicts are reported by the session itself; these are the rest.

#include <mbedtls/ssl.h>

#include "../../core/detail/mbedtls_error.hpp"
#include "../../core/error.hpp"

namespace pki::detail {

[[nodiscard]] constexpr errc errc_from_tls(int code) noexcept {
  switch (code) {
    case MBEDTLS_ERR_SSL_WANT_READ:
    case MBEDTLS_ERR_SSL_WANT_WRITE:
    case MBEDTLS_ERR_SSL_ASYNC_IN_PROGRESS:
    case MBEDTLS_ERR_SSL_CRYPTO_IN_PROGRESS: return errc::would_block;
    case MBEDTLS_ERR_SSL_CONN_EOF: return errc::connection_closed;
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE: return errc::peer_alert;
    case MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE: return errc::certificate_required;
    case MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION:
    case MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE:
    case MBEDTLS_ERR_SSL_NO_APPLICATION_PROTOCOL:
    case MBEDTLS_ERR_SSL_UNRECOGNIZED_NAME:
    case MBEDTLS_ERR_SSL_PK_TYPE_MISMATCH:
    case MBEDTLS_ERR_SSL_SESSION_TICKET_EXPIRED: return errc::handshake_failed;
    case MBEDTLS_ERR_SSL_INVALID_MAC:
    case MBEDTLS_ERR_SSL_INVALID_RECORD:
    case MBEDTLS_ERR_SSL_DECODE_ERROR:
    case MBEDTLS_ERR_SSL_UNEXPECTED_MESSAGE:
    case MBEDTLS_ERR_SSL_UNEXPECTED_RECORD:
    case MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER:
    case MBEDTLS_ERR_SSL_UNSUPPORTED_EXTENSION:
    case MBEDTLS_ERR_SSL_COUNTER_WRAPPING: return errc::protocol_error;
    case MBEDTLS_ERR_SSL_ALLOC_FAILED: return errc::out_of_memory;
    case MBEDTLS_ERR_SSL_BAD_INPUT_DATA:
    case MBEDTLS_ERR_SSL_BAD_CONFIG:
    case MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED:
    case MBEDTLS_ERR_SSL_PRIVATE_KEY_REQUIRED:
    case MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME: return errc::invalid_argument;
    case MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE: return errc::unsupported;
    case MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL: return errc::buffer_too_small;
    default: return errc_from_mbedtls(code);
  }
}

[[nodiscard]] constexpr std::unexpected<error> tls_failure(int code, const char* context) noexcept {
  return std::unexpected<error>(error(errc_from_tls(code), context, code));
}

}  // namespace pki::detail
