#pragma once
// A DER writer over mbedTLS's ASN.1 writer. DER is written back to front (a
// length is known only after its contents), so callers write the last field
// first and close a constructed value with `wrap(mark, tag)`.

#include <mbedtls/asn1write.h>

#include <cstddef>
#include <string_view>

#include "../bytes.hpp"
#include "../error.hpp"
#include "mbedtls_error.hpp"

namespace pki::detail {

class der_writer {
 public:
  explicit der_writer(std::size_t capacity) : buf_(capacity), p_(buf_.data() + buf_.size()) {}

  /// Bytes written so far; pass it back to wrap() to close what follows it.
  [[nodiscard]] std::size_t mark() const noexcept {
    return static_cast<std::size_t>(buf_.data() + buf_.size() - p_);
  }

  void raw(byte_view bytes) {
    step(mbedtls_asn1_write_raw_buffer(&p_, buf_.data(), bytes.data(), bytes.size()));
  }
  void octet_string(byte_view bytes) {
    step(mbedtls_asn1_write_octet_string(&p_, buf_.data(), bytes.data(), bytes.size()));
  }
  void integer(int value) { step(mbedtls_asn1_write_int(&p_, buf_.data(), value)); }
  void null() { step(mbedtls_asn1_write_null(&p_, buf_.data())); }
  void oid(std::string_view oid) { step(mbedtls_asn1_write_oid(&p_, buf_.data(), oid.data(), oid.size())); }

  /// Closes everything written since `since` into one value with this tag.
  void wrap(std::size_t since, unsigned char tag) {
    const std::size_t length = mark() - since;
    step(mbedtls_asn1_write_len(&p_, buf_.data(), length));
    step(mbedtls_asn1_write_tag(&p_, buf_.data(), tag));
  }
  void sequence(std::size_t since) { wrap(since, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE); }

  /// The DER written, or the first error met.
  [[nodiscard]] result<secret_buffer> finish() const {
    if (error_ != 0) return mbedtls_failure(error_, "writing DER");
    const unsigned char* begin = p_;
    return secret_buffer(begin, buf_.data() + buf_.size());
  }

 private:
  void step(int ret) noexcept {
    if (ret < 0 && error_ == 0) error_ = ret;
  }
  secret_buffer buf_;
  unsigned char* p_;
  int error_ = 0;
};

}  // namespace pki::detail
