#pragma once
// The certificates a TLS peer sent, exactly as it sent them. mbedTLS 3.6 parses the
// peer's Certificate message itself and silently drops every entry whose signature
// algorithm it does not know (ssl_parse_certificate_chain in ssl_tls.c and
// mbedtls_ssl_tls13_parse_certificate in ssl_tls13_generic.c: "maybe a prior certificate
// was already trusted"). The list it hands the verify callback can therefore be shorter
// than what was sent, start with what the peer sent second, or be one empty entry when
// nothing parsed. It offers no call that returns the message as received, but while
// the verify callback runs the Certificate message is still its current input message.
// This reads the entries from there, so that the validator judges every certificate
// the peer sent and nothing else.

#include <mbedtls/oid.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "../../core/bytes.hpp"
#include "../../core/error.hpp"
#include "wire_version.hpp"

namespace pki::detail {

/// Reads big-endian lengths off a TLS message; a length past the end fails.
class tls_message_reader {
 public:
  explicit tls_message_reader(byte_view data) noexcept : rest_(data) {}

  [[nodiscard]] bool at_end() const noexcept { return rest_.empty(); }

  /// A `width`-byte length and the bytes it counts.
  [[nodiscard]] std::optional<byte_view> vector(std::size_t width) noexcept {
    if (rest_.size() < width) return std::nullopt;
    std::size_t length = 0;
    for (std::size_t i = 0; i < width; ++i) length = (length << 8) | rest_[i];
    if (rest_.size() - width < length) return std::nullopt;
    const byte_view out = rest_.subspan(width, length);
    rest_ = rest_.subspan(width + length);
    return out;
  }

 private:
  byte_view rest_;
};

/// The certificate entries (DER, in the order sent) of a TLS 1.2 or TLS 1.3 Certificate
/// handshake message, header included; nullopt when `message` is not one.
[[nodiscard]] inline std::optional<std::vector<byte_view>> certificate_entries(byte_view message,
                                                                               bool tls1_3) {
  if (message.size() < 4 || message[0] != MBEDTLS_SSL_HS_CERTIFICATE) return std::nullopt;
  tls_message_reader whole(message.subspan(1));
  auto body = whole.vector(3);
  if (!body || !whole.at_end()) return std::nullopt;
  tls_message_reader r(*body);
  if (tls1_3 && !r.vector(1)) return std::nullopt;  // certificate_request_context
  auto list = r.vector(3);
  if (!list || !r.at_end()) return std::nullopt;
  std::vector<byte_view> entries;
  tls_message_reader items(*list);
  while (!items.at_end()) {
    auto der = items.vector(3);
    if (!der) return std::nullopt;
    if (tls1_3 && !items.vector(2)) return std::nullopt;  // the entry's extensions
    entries.push_back(*der);
  }
  return entries;
}

/// What the peer sent, read from the Certificate message mbedTLS is processing (see the
/// top of this file). When that message is not where mbedTLS 3.6 keeps it, the list
/// mbedTLS parsed, which is complete only if it dropped nothing: an empty head entry
/// (nothing parsed) then yields no certificate at all.
[[nodiscard]] inline std::vector<byte_view> peer_certificates(const mbedtls_ssl_context& ssl,
                                                              const mbedtls_x509_crt* parsed) {
  const unsigned char* message = ssl.MBEDTLS_PRIVATE(in_msg);
  const std::size_t length = ssl.MBEDTLS_PRIVATE(in_hslen);
  if (message != nullptr && length != 0) {
    const bool tls1_3 = detail::wire_version(ssl) == MBEDTLS_SSL_VERSION_TLS1_3;
    if (auto entries = certificate_entries(byte_view(message, length), tls1_3)) return std::move(*entries);
  }
  std::vector<byte_view> entries;
  for (const mbedtls_x509_crt* c = parsed; c != nullptr && c->raw.p != nullptr; c = c->next) {
    entries.emplace_back(c->raw.p, c->raw.len);
  }
  return entries;
}

}  // namespace pki::detail
