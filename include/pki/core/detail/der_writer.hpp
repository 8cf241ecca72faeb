#pragma once
// A DER writer over mbedTLS's ASN.1 writer. DER is written back to front (a
// length is known only after its contents), so callers write the last field
// first and close a constructed value with `wrap(mark, tag)`.

#include <mbedtls/asn1write.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "../bytes.hpp"
#include "../error.hpp"
#include "mbedtls_error.hpp"

namespace pki::detail {

class der_writer {
 public:
  explicit der_writer(std::size_t capacity = 256) : buf_(capacity == 0 ? 1 : capacity) {
    p_ = buf_.data() + buf_.size();
  }

  /// Bytes written so far; pass it back to wrap() to close what follows it.
  [[nodiscard]] std::size_t mark() const noexcept {
    return static_cast<std::size_t>(buf_.data() + buf_.size() - p_);
  }

  void raw(byte_view bytes) {
    run([&](unsigned char** p, unsigned char* start) {
      return mbedtls_asn1_write_raw_buffer(p, start, bytes.data(), bytes.size());
    });
  }
  void octet_string(byte_view bytes) {
    run([&](unsigned char** p, unsigned char* start) {
      return mbedtls_asn1_write_octet_string(p, start, bytes.data(), bytes.size());
    });
  }
  void integer(int value) {
    run([&](unsigned char** p, unsigned char* start) { return mbedtls_asn1_write_int(p, start, value); });
  }
  /// A non-negative INTEGER from big-endian magnitude bytes (leading zeros dropped,
  /// a zero octet added where the top bit is set).
  void unsigned_integer(byte_view magnitude) {
    while (magnitude.size() > 1 && magnitude[0] == 0) magnitude = magnitude.subspan(1);
    const std::size_t start = mark();
    raw(magnitude.empty() ? byte_view(zero_octet) : magnitude);
    if (!magnitude.empty() && (magnitude[0] & 0x80) != 0) raw(zero_octet);
    wrap(start, MBEDTLS_ASN1_INTEGER);
  }
  void boolean(bool value) {
    run([&](unsigned char** p, unsigned char* start) {
      return mbedtls_asn1_write_bool(p, start, value ? 1 : 0);
    });
  }
  void null() {
    run([&](unsigned char** p, unsigned char* start) { return mbedtls_asn1_write_null(p, start); });
  }
  void oid(std::string_view oid) {
    run([&](unsigned char** p, unsigned char* start) {
      return mbedtls_asn1_write_oid(p, start, oid.data(), oid.size());
    });
  }
  /// A BIT STRING of whole bytes with `unused_bits` unused in the last one.
  void bit_string(byte_view bytes, unsigned unused_bits = 0) {
    const std::size_t start = mark();
    raw(bytes);
    const std::uint8_t unused[] = {static_cast<std::uint8_t>(unused_bits)};
    raw(unused);
    wrap(start, MBEDTLS_ASN1_BIT_STRING);
  }
  /// A primitive value with any tag (strings, times, implicitly tagged values).
  void primitive(unsigned char tag, byte_view content) {
    const std::size_t start = mark();
    raw(content);
    wrap(start, tag);
  }

  /// Closes everything written since `since` into one value with this tag.
  void wrap(std::size_t since, unsigned char tag) {
    const std::size_t length = mark() - since;
    run([&](unsigned char** p, unsigned char* start) { return mbedtls_asn1_write_len(p, start, length); });
    run([&](unsigned char** p, unsigned char* start) { return mbedtls_asn1_write_tag(p, start, tag); });
  }
  void sequence(std::size_t since) { wrap(since, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE); }
  void set(std::size_t since) { wrap(since, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SET); }

  /// The DER written, or the first error met.
  template <class Buffer = secret_buffer>
  [[nodiscard]] result<Buffer> finish() const {
    if (error_ != 0) return mbedtls_failure(error_, "writing DER");
    const unsigned char* begin = p_;
    return Buffer(begin, buf_.data() + buf_.size());
  }

 private:
  static constexpr std::uint8_t zero_octet[] = {0};

  /// Runs one mbedTLS write, growing the buffer (content kept at its end) when it is full.
  /// mbedTLS's composite writers may have written part of a value before running out of
  /// room, so a retry starts again from where the value began.
  template <class Write>
  void run(Write write) {
    if (error_ != 0) return;
    const std::size_t before = mark();
    for (;;) {
      const int ret = write(&p_, buf_.data());
      if (ret != MBEDTLS_ERR_ASN1_BUF_TOO_SMALL) {
        if (ret < 0) error_ = ret;
        return;
      }
      p_ = buf_.data() + buf_.size() - before;  // drop a partly written value, then retry
      grow();
    }
  }
  void grow() {
    const std::size_t used = mark();
    secret_buffer bigger(buf_.size() * 2);
    std::copy(buf_.end() - static_cast<std::ptrdiff_t>(used), buf_.end(),
              bigger.end() - static_cast<std::ptrdiff_t>(used));
    buf_.swap(bigger);
    p_ = buf_.data() + buf_.size() - used;
  }

  secret_buffer buf_;
  unsigned char* p_ = nullptr;
  int error_ = 0;
};

}  // namespace pki::detail
