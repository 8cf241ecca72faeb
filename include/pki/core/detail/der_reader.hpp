#pragma once
// A strict DER reader: walks the values of one constructed value front to back.
// mbedTLS's ASN.1 reader accepts some BER (long-form lengths where short would do);
// this one refuses anything that is not DER, so what the library parses and what it
// would write back are the same bytes.
//
// Two ways to read. The result-returning members (any, expect, enter, ...) suit code that
// branches on a failure. The read_* members suit a decoder that reads a whole structure:
// they keep the first failure instead of returning it (Go's cryptobyte works this way), the
// reader and every reader entered from it then read as empty, and finish() reports that
// first failure once, so a decoder checks at its end instead of after every field.

#include <mbedtls/asn1.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "../bytes.hpp"
#include "../error.hpp"

namespace pki::detail {

/// One DER value: its tag, its contents, and all its bytes (tag and length included).
struct der_value {
  std::uint8_t tag = 0;
  byte_view content;
  byte_view whole;

  /// False for the "absent" value der_reader::optional() gives (tag 0 is never a DER tag).
  [[nodiscard]] bool present() const noexcept { return tag != 0; }
  [[nodiscard]] bool constructed() const noexcept { return (tag & MBEDTLS_ASN1_CONSTRUCTED) != 0; }
  /// The contents as text (no validation of the character set).
  [[nodiscard]] std::string_view text() const noexcept {
    return {reinterpret_cast<const char*>(content.data()), content.size()};
  }
};

/// Context-specific tags, [n] primitive and [n] constructed.
[[nodiscard]] constexpr std::uint8_t context_tag(unsigned n) noexcept {
  return static_cast<std::uint8_t>(MBEDTLS_ASN1_CONTEXT_SPECIFIC | n);
}
[[nodiscard]] constexpr std::uint8_t context_constructed(unsigned n) noexcept {
  return static_cast<std::uint8_t>(MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | n);
}
inline constexpr std::uint8_t der_sequence = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
inline constexpr std::uint8_t der_set = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SET;

class der_reader {
 public:
  explicit der_reader(byte_view data, const char* what = "reading DER") noexcept : rest_(data), what_(what) {}
  // A copy of a reader that owns its failure slot owns a copy of it; a reader entered by
  // read_nested() shares its parent's, which outlives it.
  der_reader(const der_reader& other) noexcept
      : rest_(other.rest_), what_(other.what_), own_(other.own_),
        first_(other.first_ == &other.own_ ? &own_ : other.first_) {}
  der_reader& operator=(const der_reader& other) noexcept {
    if (this == &other) return *this;
    rest_ = other.rest_;
    what_ = other.what_;
    own_ = other.own_;
    first_ = other.first_ == &other.own_ ? &own_ : other.first_;
    return *this;
  }
  ~der_reader() = default;

  /// True when no value is left, or when a read_* member has failed.
  [[nodiscard]] bool at_end() const noexcept { return rest_.empty() || failed(); }
  [[nodiscard]] byte_view rest() const noexcept { return rest_; }

  /// The next value's tag without consuming it; nullopt at the end (or once failed).
  [[nodiscard]] std::optional<std::uint8_t> peek_tag() const noexcept {
    if (at_end()) return std::nullopt;
    return rest_[0];
  }

  /// The next value, whatever its tag.
  [[nodiscard]] result<der_value> any() noexcept {
    if (rest_.size() < 2) return malformed();
    der_value v;
    v.tag = rest_[0];
    if ((v.tag & 0x1F) == 0x1F) return fail(errc::parse_failed, "DER: multi-byte tags are not supported");
    std::size_t pos = 1;
    std::size_t length = rest_[pos++];
    if (length & 0x80) {
      const std::size_t octets = length & 0x7F;
      if (octets == 0 || octets > sizeof(std::size_t) || rest_.size() - pos < octets) return malformed();
      if (rest_[pos] == 0) return malformed();  // not the shortest form
      length = 0;
      for (std::size_t i = 0; i < octets; ++i) length = (length << 8) | rest_[pos++];
      if (length < 0x80) return malformed();  // short form would do
    }
    if (rest_.size() - pos < length) return malformed();
    v.content = rest_.subspan(pos, length);
    v.whole = rest_.first(pos + length);
    rest_ = rest_.subspan(pos + length);
    return v;
  }

  /// The next value, which must have this tag.
  [[nodiscard]] result<der_value> expect(std::uint8_t tag) noexcept {
    if (rest_.empty() || rest_[0] != tag) return malformed();
    return any();
  }

  /// The next value if it has this tag; otherwise an absent value (present() false) and
  /// nothing consumed. (Not result<std::optional<der_value>>: libc++ 16 miscompiles that
  /// nesting at -O0, LLVM issue 70494.)
  [[nodiscard]] result<der_value> optional(std::uint8_t tag) noexcept {
    if (rest_.empty() || rest_[0] != tag) return der_value{};
    return any();
  }

  /// A reader over the contents of the next value, which must have this (constructed) tag.
  [[nodiscard]] result<der_reader> enter(std::uint8_t tag = der_sequence) noexcept {
    auto v = expect(tag);
    if (!v) return std::unexpected(v.error());
    return der_reader(v->content, what_);
  }

  /// An OBJECT IDENTIFIER's content octets.
  [[nodiscard]] result<byte_view> oid() noexcept {
    auto v = expect(MBEDTLS_ASN1_OID);
    if (!v) return std::unexpected(v.error());
    if (v->content.empty() || (v->content.back() & 0x80) != 0) return malformed();
    return v->content;
  }

  /// A BOOLEAN (DER: 0x00 or 0xFF only).
  [[nodiscard]] result<bool> boolean() noexcept {
    auto v = expect(MBEDTLS_ASN1_BOOLEAN);
    if (!v) return std::unexpected(v.error());
    if (v->content.size() != 1 || (v->content[0] != 0x00 && v->content[0] != 0xFF)) return malformed();
    return v->content[0] == 0xFF;
  }

  /// An INTEGER's content octets (two's complement), checked to be minimal.
  [[nodiscard]] result<byte_view> integer_bytes() noexcept {
    auto v = expect(MBEDTLS_ASN1_INTEGER);
    if (!v) return std::unexpected(v.error());
    const byte_view c = v->content;
    if (c.empty()) return malformed();
    if (c.size() > 1 && ((c[0] == 0x00 && (c[1] & 0x80) == 0) || (c[0] == 0xFF && (c[1] & 0x80) != 0))) {
      return malformed();
    }
    return c;
  }

  /// A small non-negative INTEGER.
  [[nodiscard]] result<std::uint64_t> small_unsigned() noexcept {
    auto c = integer_bytes();
    if (!c) return std::unexpected(c.error());
    if ((*c)[0] & 0x80) return fail(errc::parse_failed, "DER: negative integer where a count was expected");
    byte_view magnitude = *c;
    if (magnitude[0] == 0) magnitude = magnitude.subspan(1);
    if (magnitude.size() > 8) return fail(errc::parse_failed, "DER: integer too large");
    std::uint64_t value = 0;
    for (auto b : magnitude) value = (value << 8) | b;
    return value;
  }

  /// A BIT STRING's bytes and the number of unused bits in the last one.
  struct bits {
    byte_view bytes;
    unsigned unused = 0;
  };
  [[nodiscard]] result<bits> bit_string() noexcept {
    auto v = expect(MBEDTLS_ASN1_BIT_STRING);
    if (!v) return std::unexpected(v.error());
    if (v->content.empty() || v->content[0] > 7) return malformed();
    const unsigned unused = v->content[0];
    if (v->content.size() == 1 && unused != 0) return malformed();
    return bits{v->content.subspan(1), unused};
  }

  // ---- Reading a whole structure and checking once ----

  /// True once a read_* member (or reject) has failed, here or in a reader entered from here.
  [[nodiscard]] bool failed() const noexcept { return first_->has_value(); }
  /// Keeps `why` as the failure unless one is kept already, and stops reading.
  void reject(const error& why) noexcept {
    if (!failed()) *first_ = why;
    rest_ = {};
  }
  void reject(errc code, const char* context) noexcept { reject(error(code, context)); }
  /// Keeps a decoder's own check: rejects with parse_failed, saying `context`, unless `holds`.
  void require(bool holds, const char* context) noexcept {
    if (!holds) reject(errc::parse_failed, context);
  }
  /// The value of `r`, or `fallback` once `r` (or an earlier read) has failed.
  template <class T>
  [[nodiscard]] T keep(result<T>&& r, T fallback = T{}) noexcept(std::is_nothrow_move_constructible_v<T>) {
    if (failed()) return fallback;
    if (!r) {
      reject(r.error());
      return fallback;
    }
    return std::move(*r);
  }

  /// The next value, which must have this tag; absent on failure.
  [[nodiscard]] der_value read(std::uint8_t tag) noexcept { return keep(expect(tag)); }
  /// Passes over the next value, which must have this tag.
  void skip(std::uint8_t tag) noexcept { (void)read(tag); }
  /// The next value, whatever its tag; absent on failure.
  [[nodiscard]] der_value read_any() noexcept { return keep(any()); }
  /// The next value if it has this tag, else absent and nothing consumed.
  [[nodiscard]] der_value read_optional(std::uint8_t tag) noexcept { return keep(optional(tag)); }
  /// A reader over the contents of the next value (this constructed tag), sharing this
  /// reader's failure; an empty one on failure.
  [[nodiscard]] der_reader read_nested(std::uint8_t tag = der_sequence) noexcept {
    der_reader nested(read(tag).content, what_);
    nested.first_ = first_;
    return nested;
  }
  /// A reader over the contents of `value` (read from here), sharing this reader's failure;
  /// its own malformed values say `what` when given.
  [[nodiscard]] der_reader nested_in(const der_value& value, const char* what = nullptr) noexcept {
    der_reader nested(value.content, what != nullptr ? what : what_);
    nested.first_ = first_;
    return nested;
  }
  /// An OBJECT IDENTIFIER's content octets; empty on failure.
  [[nodiscard]] byte_view read_oid() noexcept { return keep(oid()); }
  /// A BOOLEAN; false on failure.
  [[nodiscard]] bool read_boolean() noexcept { return keep(boolean()); }
  /// A small non-negative INTEGER; 0 on failure.
  [[nodiscard]] std::uint64_t read_small_unsigned() noexcept { return keep(small_unsigned()); }
  /// A BIT STRING; empty on failure.
  [[nodiscard]] bits read_bit_string() noexcept { return keep(bit_string()); }

  /// The first failure; else, when `trailing` is given, parse_failed saying it if values are left.
  [[nodiscard]] result<void> finish(const char* trailing = nullptr) const noexcept {
    if (failed()) return std::unexpected(**first_);
    if (trailing != nullptr && !rest_.empty()) return fail(errc::parse_failed, trailing);
    return {};
  }
  /// `value` when finish(trailing) succeeds; its failure otherwise.
  template <class T>
  [[nodiscard]] result<T> finish_with(T value, const char* trailing = nullptr) const {
    if (auto done = finish(trailing); !done) return std::unexpected(done.error());
    return value;
  }

 private:
  [[nodiscard]] std::unexpected<error> malformed() const noexcept { return fail(errc::parse_failed, what_); }

  byte_view rest_;
  const char* what_;
  std::optional<error> own_;  // the first failure of a reader that is no nested one
  std::optional<error>* first_ = &own_;
};

/// How many values the contents of the one SEQUENCE `der` is hold (0 when it is not one): to
/// size a vector once, before reading the values for real.
[[nodiscard]] inline std::size_t count_sequence_items(byte_view der) noexcept {
  der_reader outer(der);
  auto sequence = outer.enter();
  if (!sequence) return 0;
  std::size_t n = 0;
  while (!sequence->at_end() && sequence->any()) ++n;
  return n;
}

/// True when `oid` is well-formed OID content octets: at least one arc, each in minimal
/// base-128 (no leading 0x80), none above 64 bits, the last one ended. Checked without
/// formatting text, since parsing checks every OID it meets and formats few of them.
[[nodiscard]] inline bool oid_is_valid(byte_view oid) noexcept {
  if (oid.empty() || (oid.back() & 0x80) != 0) return false;
  std::uint64_t value = 0;
  for (const std::uint8_t octet : oid) {
    if (value > (UINT64_MAX >> 7)) return false;
    value = (value << 7) | (octet & 0x7F);
    if ((octet & 0x80) != 0) {
      if (value == 0) return false;  // a leading 0x80 is not minimal
      continue;
    }
    value = 0;
  }
  return true;
}

/// Dotted-decimal text of OID content octets ("2.5.4.3"); empty when they are malformed
/// (oid_is_valid).
[[nodiscard]] inline std::string oid_to_text(byte_view oid) {
  if (!oid_is_valid(oid)) return {};
  std::string text;
  std::uint64_t value = 0;
  bool first = true;
  for (std::size_t i = 0; i < oid.size(); ++i) {
    value = (value << 7) | (oid[i] & 0x7F);
    if (oid[i] & 0x80) continue;
    if (first) {
      const std::uint64_t arc0 = value < 40 ? 0 : (value < 80 ? 1 : 2);
      text += std::to_string(arc0) + '.' + std::to_string(value - 40 * arc0);
      first = false;
    } else {
      text += '.' + std::to_string(value);
    }
    value = 0;
  }
  return text;
}

/// OID content octets from dotted-decimal text; parse_failed when it is not an OID.
[[nodiscard]] inline result<byte_buffer> oid_from_text(std::string_view text) {
  std::vector<std::uint64_t> arcs;
  std::uint64_t value = 0;
  bool digits = false;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      if (!digits) return fail(errc::parse_failed, "an OID is dotted decimal numbers");
      arcs.push_back(value);
      value = 0;
      digits = false;
      continue;
    }
    const char c = text[i];
    if (c < '0' || c > '9') return fail(errc::parse_failed, "an OID is dotted decimal numbers");
    if (digits && value == 0) return fail(errc::parse_failed, "an OID arc has a leading zero");
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return fail(errc::parse_failed, "an OID arc is too large");
    value = value * 10 + digit;
    digits = true;
  }
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) || arcs[1] > UINT64_MAX - 80) {
    return fail(errc::parse_failed, "an OID has two or more arcs, the first 0, 1 or 2");
  }
  byte_buffer out;
  auto append = [&](std::uint64_t v) {
    std::uint8_t tmp[10];
    std::size_t n = 0;
    do {
      tmp[n++] = static_cast<std::uint8_t>(v & 0x7F);
      v >>= 7;
    } while (v != 0);
    while (n > 0) {
      --n;
      out.push_back(static_cast<std::uint8_t>(tmp[n] | (n > 0 ? 0x80 : 0x00)));
    }
  };
  append(arcs[0] * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) append(arcs[i]);
  return out;
}

}  // namespace pki::detail
