#pragma once
// Byte views and buffers, buffers that wipe secrets, hex, and PEM armour.

#include <mbedtls/base64.h>
#include <mbedtls/platform_util.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config.hpp"
#include "error.hpp"

namespace pki {

/// A read-only view of bytes (DER, messages, digests).
using byte_view = std::span<const std::uint8_t>;
/// An owned byte buffer for public data.
using byte_buffer = std::vector<std::uint8_t>;

/// An allocator that zeroizes memory before returning it, for buffers that hold secrets.
template <class T>
struct wiping_allocator {
  using value_type = T;
  wiping_allocator() noexcept = default;
  template <class U>
  wiping_allocator(const wiping_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept {
    mbedtls_platform_zeroize(p, n * sizeof(T));
    ::operator delete(p);
  }
  friend bool operator==(const wiping_allocator&, const wiping_allocator&) noexcept { return true; }
};

/// Bytes that are wiped when freed: private keys in DER, derived keys.
using secret_buffer = std::vector<std::uint8_t, wiping_allocator<std::uint8_t>>;
/// Text that is wiped when freed: private keys in PEM, passwords read from files. A
/// std::string keeps short text inside the object itself, where no allocator sees it to wipe
/// it; a secret_string never does: its text always lives in allocated storage, wiped when
/// released, and what the object holds is wiped when it is destroyed.
class secret_string : public std::basic_string<char, std::char_traits<char>, wiping_allocator<char>> {
  using base = std::basic_string<char, std::char_traits<char>, wiping_allocator<char>>;

 public:
  /// Above every standard library's in-place capacity (15 chars in libstdc++, 22 in libc++).
  static constexpr std::size_t min_capacity = 32;

  secret_string() { base::reserve(min_capacity); }
  secret_string(std::string_view text) : secret_string() {
    base::assign(text);
  }                                                                           // NOLINT: implicit, as string's
  secret_string(const char* text) : secret_string(std::string_view(text)) {}  // NOLINT
  secret_string(std::size_t count, char c) : secret_string() { base::assign(count, c); }
  secret_string(const secret_string& other) : secret_string(std::string_view(other)) {}
  secret_string(secret_string&& other) noexcept : base(std::move(other)) { keep_allocated(); }
  secret_string& operator=(const secret_string& other) {
    if (this != &other) base::assign(std::string_view(other));
    return *this;
  }
  secret_string& operator=(secret_string&& other) noexcept {
    base::operator=(std::move(other));
    keep_allocated();
    return *this;
  }
  secret_string& operator=(std::string_view text) {
    base::assign(text);
    return *this;
  }
  secret_string& operator=(const char* text) { return *this = std::string_view(text); }

  /// A part of the text, itself a secret_string (std::string's would be an unwiped copy).
  [[nodiscard]] secret_string substr(size_type pos = 0, size_type count = npos) const {
    return secret_string(std::string_view(*this).substr(pos, count));
  }
  ~secret_string() { mbedtls_platform_zeroize(data(), capacity()); }

  /// Not offered: it could move the text back inside the object.
  void shrink_to_fit() = delete;

 private:
  // A moved-from string is empty and may be back to in-place storage (with nothing in it):
  // give it allocated storage again before it holds anything. Only an empty string can
  // reach this, so the reserve() has nothing to leave behind. Allocation failure leaves it
  // in place, which its destructor still wipes.
  void keep_allocated() noexcept {
    if (capacity() >= min_capacity) return;
#if defined(__cpp_exceptions)
    try {
      base::reserve(min_capacity);
    } catch (...) {  // NOLINT(bugprone-empty-catch)
    }
#else
    base::reserve(min_capacity);
#endif
  }
};

/// The bytes of a string, e.g. a message to sign.
[[nodiscard]] inline byte_view as_bytes(std::string_view text) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// Lower-case hex; with a separator, "ab:cd:ef".
[[nodiscard]] inline std::string to_hex(byte_view bytes, std::string_view separator = {}) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * (2 + separator.size()));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i != 0) out += separator;
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 0xF];
  }
  return out;
}

/// Bytes from hex (either case, no separators); parse_failed on odd length or a non-hex digit.
[[nodiscard]] inline result<byte_buffer> from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return fail(errc::parse_failed, "hex text has an odd number of digits");
  byte_buffer out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return fail(errc::parse_failed, "hex text has a non-hex digit");
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

namespace pem {

/// True when the text looks like PEM (has a BEGIN line), so DER/PEM can be told apart.
[[nodiscard]] inline bool looks_like_pem(byte_view data) noexcept {
  const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  return text.find("-----BEGIN ") != std::string_view::npos;
}

/// PEM armour: "-----BEGIN <label>-----", base64 in 64-column lines, END line.
/// String is std::string or secret_string (use the latter for private keys).
template <class String = std::string>
[[nodiscard]] result<String> encode(std::string_view label, byte_view der) {
  if constexpr (!PKI_HAS_PEM) {  // a template: without base64 nothing below is instantiated
    (void)label, (void)der;
    return fail(errc::unsupported, "PEM needs an mbedTLS with MBEDTLS_BASE64_C and MBEDTLS_PEM_WRITE_C");
  } else {
    std::size_t needed = 0;
    mbedtls_base64_encode(nullptr, 0, &needed, der.data(), der.size());
    String b64(needed, '\0');
    std::size_t written = 0;
    const int ret = mbedtls_base64_encode(reinterpret_cast<unsigned char*>(b64.data()), b64.size(), &written,
                                          der.data(), der.size());
    if (ret != 0) return fail(errc::crypto_failed, "base64-encoding PEM", ret);
    b64.resize(written);
    String out;
    out.reserve(written + written / 64 + 2 * label.size() + 40);
    out.append("-----BEGIN ").append(label).append("-----\n");
    for (std::size_t pos = 0; pos < written; pos += 64) {
      out.append(b64, pos, 64);
      out += '\n';
    }
    out.append("-----END ").append(label).append("-----\n");
    return out;
  }
}

/// One PEM block found in a text.
struct block {
  std::string_view label;  ///< e.g. "CERTIFICATE"
  std::string_view body;   ///< the base64 between the BEGIN and END lines
  std::size_t end = 0;     ///< offset just past the END line, to look for the next block
};

/// The first PEM block at or after `from`; parse_failed when there is none or it is unterminated.
[[nodiscard]] inline result<block> find_block(std::string_view text, std::size_t from = 0) {
  constexpr std::string_view begin = "-----BEGIN ";
  constexpr std::string_view dashes = "-----";
  const std::size_t start = text.find(begin, from);
  if (start == std::string_view::npos) return fail(errc::parse_failed, "no PEM BEGIN line found");
  const std::size_t label_start = start + begin.size();
  const std::size_t label_end = text.find(dashes, label_start);
  if (label_end == std::string_view::npos ||
      text.substr(label_start, label_end - label_start).find('\n') != std::string_view::npos) {
    return fail(errc::parse_failed, "PEM BEGIN line is not closed by -----");
  }
  block found;
  found.label = text.substr(label_start, label_end - label_start);
  const std::size_t body_start = label_end + dashes.size();
  std::string end_line = "-----END ";
  end_line.append(found.label).append(dashes);
  const std::size_t end_pos = text.find(end_line, body_start);
  if (end_pos == std::string_view::npos)
    return fail(errc::parse_failed, "PEM block has no matching END line");
  found.body = text.substr(body_start, end_pos - body_start);
  found.end = end_pos + end_line.size();
  return found;
}

/// The DER inside a PEM block's base64 body (whitespace ignored); parse_failed on bad base64
/// or on RFC 1421 headers (legacy encryption), which only key parsing understands.
template <class Buffer = byte_buffer>
[[nodiscard]] result<Buffer> decode_body(std::string_view body) {
  if constexpr (!PKI_HAS_PEM) {
    (void)body;
    return fail(errc::unsupported, "PEM needs an mbedTLS with MBEDTLS_BASE64_C and MBEDTLS_PEM_PARSE_C");
  } else {
    if (body.find(':') != std::string_view::npos) {
      return fail(errc::parse_failed, "PEM block has headers (legacy encrypted PEM?)");
    }
    secret_string compact;  // may be a private key in base64
    compact.reserve(body.size());
    for (char c : body) {
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') compact += c;
    }
    std::size_t needed = 0;
    int ret = mbedtls_base64_decode(nullptr, 0, &needed,
                                    reinterpret_cast<const unsigned char*>(compact.data()), compact.size());
    if (ret == MBEDTLS_ERR_BASE64_INVALID_CHARACTER) {
      return fail(errc::parse_failed, "PEM body is not valid base64", ret);
    }
    Buffer der(needed);
    ret = mbedtls_base64_decode(der.data(), der.size(), &needed,
                                reinterpret_cast<const unsigned char*>(compact.data()), compact.size());
    if (ret != 0) return fail(errc::parse_failed, "PEM body is not valid base64", ret);
    der.resize(needed);
    if (der.empty()) return fail(errc::parse_failed, "PEM block is empty");
    return der;
  }
}

/// The DER of the first PEM block labelled `label`; parse_failed when there is none.
template <class Buffer = byte_buffer>
[[nodiscard]] result<Buffer> decode(std::string_view text, std::string_view label) {
  std::size_t from = 0;
  while (true) {
    auto found = find_block(text, from);
    if (!found) return fail(errc::parse_failed, "no PEM block with the expected label");
    if (found->label == label) return decode_body<Buffer>(found->body);
    from = found->end;
  }
}

}  // namespace pem
}  // namespace pki
