#pragma once
// The DER fields the x509 value types are made of: OIDs as literals and views, IA5 text,
// named BIT STRINGs, small INTEGERs and SkipCerts, a value that must be the only one, and
// the SEQUENCE SIZE (1..MAX) OF that most extensions are.

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <type_traits>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/error.hpp"
#include "../object_identifier.hpp"

namespace pki::detail {

/// OID content octets from a string literal (which ends in a NUL that is not part of it).
template <std::size_t N>
[[nodiscard]] consteval std::string_view oid_octets(const char (&octets)[N]) noexcept {
  return {octets, N - 1};
}

/// True when every character is IA5 (7-bit ASCII), the character set of dNSName,
/// rfc822Name and uniformResourceIdentifier.
[[nodiscard]] constexpr bool is_ia5(std::string_view text) noexcept {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) > 0x7F) return false;
  }
  return true;
}

/// A text name (`Name{value}`) of `text`; invalid_argument, saying `refusal`, when it is not IA5.
template <class Name>
[[nodiscard]] result<Name> ia5_name(std::string_view text, const char* refusal) {
  if (!is_ia5(text)) return fail(errc::invalid_argument, refusal);
  return Name{std::string(text)};
}

/// OID content octets as the string_view the DER writer and the OID tables use.
[[nodiscard]] inline std::string_view oid_content_view(const object_identifier& oid) noexcept {
  const byte_view der = oid.der_content();
  return {reinterpret_cast<const char*>(der.data()), der.size()};
}

/// True when `der` is exactly one DER value.
[[nodiscard]] inline bool is_single_der_value(byte_view der) noexcept {
  der_reader reader(der);
  return reader.any().has_value() && reader.at_end();
}

/// The single value with `tag` that `der` consists of; parse_failed on another tag or trailing data.
[[nodiscard]] inline result<der_value> read_only_value(byte_view der, std::uint8_t tag, const char* context) {
  der_reader reader(der, context);
  auto value = reader.expect(tag);
  if (!value) return std::unexpected(value.error());
  if (!reader.at_end()) return fail(errc::parse_failed, context);
  return *value;
}

/// The contents of a named BIT STRING (X.690 11.2.2): bit n of `bits` is ASN.1 bit n;
/// trailing zero bits are dropped and the unused-bits count says how many.
[[nodiscard]] inline byte_buffer named_bits_content(std::uint16_t bits) {
  if (bits == 0) return {0};
  unsigned highest = 15;
  while ((bits & (1U << highest)) == 0) --highest;
  byte_buffer content(2 + highest / 8, 0);
  content[0] = static_cast<std::uint8_t>(7 - highest % 8);
  for (unsigned bit = 0; bit <= highest; ++bit) {
    if ((bits & (1U << bit)) != 0) content[1 + bit / 8] |= static_cast<std::uint8_t>(0x80U >> (bit % 8));
  }
  return content;
}

/// Named bits from BIT STRING contents; parse_failed unless they are DER (unused bits zero,
/// trailing zero bits removed) and fit in 16 bits.
[[nodiscard]] inline result<std::uint16_t> read_named_bits(byte_view content, const char* context) {
  if (content.empty() || content[0] > 7) return fail(errc::parse_failed, context);
  const unsigned unused = content[0];
  if (content.size() == 1) {
    if (unused != 0) return fail(errc::parse_failed, context);
    return std::uint16_t{0};
  }
  if (content.size() > 3) return fail(errc::parse_failed, "a named BIT STRING has more than 16 bits");
  const unsigned last = content.back();
  if ((last & ((1U << unused) - 1)) != 0 || (last & (1U << unused)) == 0) {
    return fail(errc::parse_failed, "a named BIT STRING is not DER (unused or trailing zero bits)");
  }
  std::uint16_t bits = 0;
  for (std::size_t i = 1; i < content.size(); ++i) {
    for (unsigned bit = 0; bit < 8; ++bit) {
      if ((content[i] & (0x80U >> bit)) != 0) bits |= static_cast<std::uint16_t>(1U << ((i - 1) * 8 + bit));
    }
  }
  return bits;
}

/// True when `content` is a minimal two's-complement INTEGER encoding.
[[nodiscard]] inline bool is_der_integer(byte_view content) noexcept {
  if (content.empty()) return false;
  if (content.size() == 1) return true;
  return !((content[0] == 0x00 && (content[1] & 0x80) == 0) ||
           (content[0] == 0xFF && (content[1] & 0x80) != 0));
}

/// A non-negative INTEGER under an implicit tag; parse_failed when not minimal, negative or too large.
[[nodiscard]] inline result<std::uint64_t> read_implicit_unsigned(const der_value& value) {
  if (!is_der_integer(value.content) || (value.content[0] & 0x80) != 0) {
    return fail(errc::parse_failed, "malformed non-negative INTEGER");
  }
  byte_view magnitude = value.content;
  if (magnitude[0] == 0) magnitude = magnitude.subspan(1);
  if (magnitude.size() > 8) return fail(errc::parse_failed, "INTEGER too large");
  std::uint64_t number = 0;
  for (const auto b : magnitude) number = (number << 8) | b;
  return number;
}

/// Big-endian bytes of a number, for der_writer::unsigned_integer.
[[nodiscard]] inline std::array<std::uint8_t, 8> big_endian(std::uint64_t number) noexcept {
  std::array<std::uint8_t, 8> bytes{};
  for (std::size_t i = 0; i < 8; ++i) bytes[7 - i] = static_cast<std::uint8_t>(number >> (8 * i));
  return bytes;
}

/// The minimal INTEGER content octets of a non-negative number.
[[nodiscard]] inline byte_buffer unsigned_content(std::uint64_t number) {
  byte_buffer content;
  for (int shift = 56; shift >= 0; shift -= 8) {
    const auto octet = static_cast<std::uint8_t>(number >> shift);
    if (content.empty() && octet == 0 && shift != 0) continue;
    if (content.empty() && (octet & 0x80) != 0) content.push_back(0);
    content.push_back(octet);
  }
  return content;
}

/// A SkipCerts (INTEGER (0..MAX)) as the certificate holds it; parse_failed when it is
/// malformed, negative, or above 2^32-1: no path is that long, and a bound keeps the
/// counters of RFC 5280 6.1 in one type (basicConstraints' pathLenConstraint has the same).
[[nodiscard]] inline result<std::uint32_t> read_skip_certs(const der_value& value) {
  auto number = read_implicit_unsigned(value);
  if (!number) return std::unexpected(number.error());
  if (*number > UINT32_MAX) return fail(errc::parse_failed, "a SkipCerts above 2^32-1");
  return static_cast<std::uint32_t>(*number);
}

/// The next OBJECT IDENTIFIER of `reader`; parse_failed when it is missing or malformed.
[[nodiscard]] inline result<object_identifier> read_oid(der_reader& reader) {
  auto content = reader.oid();
  if (!content) return std::unexpected(content.error());
  return object_identifier::from_der_content(*content);
}

/// The next OBJECT IDENTIFIER of `reader`, the reader keeping a failure (der_reader::read_*).
[[nodiscard]] inline object_identifier next_oid(der_reader& reader) { return reader.keep(read_oid(reader)); }

/// The content octets of the next OBJECT IDENTIFIER of `reader`, checked as read_oid() checks
/// them, as a view into the reader's bytes; empty when the reader failed (it keeps the failure).
[[nodiscard]] inline std::string_view next_oid_view(der_reader& reader) {
  const byte_view content = reader.read_oid();
  if (reader.failed()) return {};
  if (!oid_is_valid(content)) {
    reader.reject(errc::parse_failed, "malformed OBJECT IDENTIFIER");
    return {};
  }
  return {reinterpret_cast<const char*>(content.data()), content.size()};
}

/// A reader over the contents of the one SEQUENCE that `der` is; when `der` is another value
/// or has data after it, the reader has failed already with `context` (der_reader::read_*).
[[nodiscard]] inline der_reader only_sequence_reader(byte_view der, const char* context) {
  auto sequence = read_only_value(der, der_sequence, context);
  der_reader reader(sequence ? sequence->content : byte_view{}, context);
  if (!sequence) reader.reject(sequence.error());
  return reader;
}

/// Walks the one SEQUENCE SIZE (1..MAX) OF that `der` is, calling `read_item(reader)` until
/// its contents are read; parse_failed with `context` when `der` is not one SEQUENCE, with
/// `empty` when it has no item, and as read_item fails. read_item either reads with the
/// reader's read_* members and returns nothing (the reader keeps its first failure), or
/// returns a result<void>.
template <class ReadItem>
[[nodiscard]] result<void> read_sequence_of(byte_view der, const char* context, const char* empty,
                                            ReadItem&& read_item) {
  auto reader = only_sequence_reader(der, context);
  reader.require(!reader.at_end(), empty);
  while (!reader.at_end()) {
    if constexpr (std::is_void_v<decltype(read_item(reader))>) {
      read_item(reader);
    } else if (auto read = read_item(reader); !read) {
      return read;
    }
  }
  return reader.finish();
}

/// The DER of a SEQUENCE OF `items`, each written by `write_item(out, item)` (a
/// result<void>); fails as write_item does. The writer fills back to front, so the last item
/// is written (and checked) first.
template <class Items, class WriteItem>
[[nodiscard]] result<byte_buffer> sequence_of_der(const Items& items, WriteItem&& write_item) {
  der_writer out;
  const std::size_t start = out.mark();
  for (auto it = std::rbegin(items); it != std::rend(items); ++it) {
    if (auto written = write_item(out, *it); !written) return std::unexpected(written.error());
  }
  out.sequence(start);
  return out.finish<byte_buffer>();
}

}  // namespace pki::detail
