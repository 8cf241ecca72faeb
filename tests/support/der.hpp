#pragma once
// A few DER building blocks for tests that craft what the library must refuse: a value
// from its tag and contents, a SEQUENCE from its elements, and a SEQUENCE taken apart,
// so that one field of a real certificate can be replaced by a hostile one.

#include <boost/test/unit_test.hpp>

#include <pki/core/bytes.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pki_test::der {

using bytes = std::vector<std::uint8_t>;

/// Bytes from hex written with optional spaces: "30 06 01 01 FF".
inline bytes hex(std::string_view spaced) {
  std::string compact;
  for (const char c : spaced)
    if (c != ' ') compact += c;
  auto decoded = pki::from_hex(compact);
  BOOST_TEST_REQUIRE(decoded.has_value(), "not hex: " << spaced);
  return std::move(*decoded);
}

/// Tag, DER length, contents.
inline bytes tlv(std::uint8_t tag, pki::byte_view content) {
  bytes out{tag};
  const std::size_t n = content.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else {
    bytes length;
    for (std::size_t rest = n; rest != 0; rest >>= 8)
      length.insert(length.begin(), static_cast<std::uint8_t>(rest));
    out.push_back(static_cast<std::uint8_t>(0x80 | length.size()));
    out.insert(out.end(), length.begin(), length.end());
  }
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

/// A constructed value (SEQUENCE by default) of the given encoded elements.
inline bytes constructed(std::initializer_list<pki::byte_view> elements, std::uint8_t tag = 0x30) {
  bytes content;
  for (const auto e : elements) content.insert(content.end(), e.begin(), e.end());
  return tlv(tag, content);
}

inline bytes constructed(const std::vector<bytes>& elements, std::uint8_t tag = 0x30) {
  bytes content;
  for (const auto& e : elements) content.insert(content.end(), e.begin(), e.end());
  return tlv(tag, content);
}

/// A non-negative INTEGER from its big-endian magnitude.
inline bytes integer(pki::byte_view magnitude) {
  bytes content(magnitude.begin(), magnitude.end());
  while (content.size() > 1 && content[0] == 0 && (content[1] & 0x80) == 0) content.erase(content.begin());
  if (content.empty() || (content[0] & 0x80) != 0) content.insert(content.begin(), 0);
  return tlv(0x02, content);
}

/// The elements of a constructed value, each whole (tag, length, contents).
inline std::vector<bytes> elements(pki::byte_view value) {
  BOOST_TEST_REQUIRE(value.size() >= 2U);
  std::size_t pos = 1;
  auto length_at = [&](std::size_t& at) {
    std::size_t n = value[at++];
    if (n & 0x80) {
      const std::size_t octets = n & 0x7F;
      n = 0;
      for (std::size_t i = 0; i < octets; ++i) n = (n << 8) | value[at++];
    }
    return n;
  };
  const std::size_t total = length_at(pos);
  BOOST_TEST_REQUIRE(pos + total == value.size());
  std::vector<bytes> out;
  while (pos < value.size()) {
    const std::size_t start = pos++;
    const std::size_t n = length_at(pos);
    pos += n;
    BOOST_TEST_REQUIRE(pos <= value.size());
    out.emplace_back(value.begin() + static_cast<std::ptrdiff_t>(start),
                     value.begin() + static_cast<std::ptrdiff_t>(pos));
  }
  return out;
}

/// An RSA SubjectPublicKeyInfo with this modulus and exponent (big-endian magnitudes).
inline bytes rsa_spki(pki::byte_view modulus, pki::byte_view exponent) {
  static constexpr std::uint8_t rsa_encryption[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7,
                                                    0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};
  const bytes algorithm = tlv(0x30, rsa_encryption);
  const bytes key = constructed({integer(modulus), integer(exponent)});
  bytes bits{0x00};
  bits.insert(bits.end(), key.begin(), key.end());
  return constructed({algorithm, tlv(0x03, bits)});
}

/// `certificate` (DER) with its tbsCertificate's field `index` (0 = version) replaced by
/// `field`, the signature left as it was: parsers read it, no verifier accepts it.
inline bytes with_tbs_field(pki::byte_view certificate, std::size_t index, pki::byte_view field) {
  auto outer = elements(certificate);
  auto tbs = elements(outer.at(0));
  tbs.at(index).assign(field.begin(), field.end());
  outer[0] = constructed(tbs);
  return constructed(outer);
}

/// The position of subjectPublicKeyInfo in a v3 tbsCertificate (after version, serial,
/// signature, issuer, validity, subject).
inline constexpr std::size_t tbs_spki_field = 6;

}  // namespace pki_test::der
