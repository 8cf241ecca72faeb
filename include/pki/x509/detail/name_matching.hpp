#pragma once
// RFC 5280 7.1 name matching: string values compared after folding case and whitespace,
// other values byte for byte, the attributes of an RDN as a set.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "../../core/bytes.hpp"
#include "../name_attribute.hpp"

namespace pki::detail::name {

// ---- RFC 5280 comparison --------------------------------------------------------------------

[[nodiscard]] constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/// A string value prepared for comparison: whitespace trimmed, runs of it collapsed to one
/// space, ASCII letters in lower case. This is a subset of the LDAP StringPrep of RFC 4518
/// that RFC 5280 7.1 refers to: no Unicode case folding or normalization, no mapping of
/// characters to nothing. Names that differ only in non-ASCII case compare unequal.
[[nodiscard]] inline std::string fold_for_comparison(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool space_pending = false;
  for (const char c : value) {
    if (is_space(c)) {
      space_pending = !out.empty();
      continue;
    }
    if (space_pending) out += ' ';
    space_pending = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

/// Reads a string value as fold_for_comparison() would write it, one character at a time,
/// so that two values compare without building either folded string.
class folded_reader {
 public:
  explicit folded_reader(std::string_view value) noexcept : rest_(value) { skip_space(); }

  /// The next folded character, or -1 at the end.
  [[nodiscard]] int next() noexcept {
    if (space_pending_) {
      space_pending_ = false;
      return ' ';
    }
    if (rest_.empty()) return -1;
    const char c = rest_.front();
    rest_.remove_prefix(1);
    if (skip_space() && !rest_.empty()) space_pending_ = true;
    return static_cast<unsigned char>((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }

 private:
  bool skip_space() noexcept {
    bool skipped = false;
    while (!rest_.empty() && is_space(rest_.front())) {
      rest_.remove_prefix(1);
      skipped = true;
    }
    return skipped;
  }

  std::string_view rest_;
  bool space_pending_ = false;
};

/// fold_for_comparison(a) == fold_for_comparison(b), without allocating.
[[nodiscard]] inline bool folded_equal(std::string_view a, std::string_view b) noexcept {
  folded_reader x(a);
  folded_reader y(b);
  for (;;) {
    const int cx = x.next();
    if (cx != y.next()) return false;
    if (cx < 0) return true;
  }
}

/// RFC 5280 7.1 attribute matching: the same type, and string values equal after folding
/// (whatever their string types), other values the same tag and octets.
[[nodiscard]] inline bool attribute_matches(const name_attribute& a, const name_attribute& b) noexcept {
  if (!std::ranges::equal(a.type.der_content(), b.type.der_content())) return false;
  if (a.is_string() != b.is_string()) return false;
  if (a.is_string()) return folded_equal(a.value, b.value);
  return a.tag == b.tag && a.value == b.value;
}

/// What decides whether two attributes match: the type's OID octets, -1 for text or else the
/// tag, and the folded text or the raw octets.
using comparison_key = std::tuple<std::string, int, std::string>;

[[nodiscard]] inline comparison_key key_of(const name_attribute& a) {
  const byte_view oid = a.type.der_content();
  std::string type(reinterpret_cast<const char*>(oid.data()), oid.size());
  if (a.is_string()) return {std::move(type), -1, fold_for_comparison(a.value)};
  return {std::move(type), a.tag, a.value};
}

/// A hash that agrees with attribute_matches(): two attributes that match hash alike (FNV-1a
/// over the type, then the folded text or the tag and octets), so unequal hashes mean no match.
[[nodiscard]] inline std::uint64_t match_hash(const name_attribute& a) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](unsigned byte) {
    h ^= byte & 0xFFU;
    h *= 0x100000001b3ULL;
  };
  for (const std::uint8_t octet : a.type.der_content()) mix(octet);
  if (a.is_string()) {
    mix(0x100);  // kept apart from the type's octets
    folded_reader r(a.value);
    for (int c = r.next(); c >= 0; c = r.next()) mix(static_cast<unsigned>(c));
  } else {
    mix(0x200 | a.tag);
    for (const char c : a.value) mix(static_cast<unsigned char>(c));
  }
  return h;
}

/// A hash that agrees with rdn_matches(): the attributes' hashes summed, as a set's order
/// does not count.
[[nodiscard]] inline std::uint64_t match_hash(const relative_distinguished_name& rdn) noexcept {
  std::uint64_t sum = 0;
  for (const auto& attribute : rdn) sum += match_hash(attribute);
  return sum;
}

[[nodiscard]] inline bool rdn_matches(const relative_distinguished_name& a,
                                      const relative_distinguished_name& b) {
  if (a.size() != b.size()) return false;
  if (a.size() == 1) return attribute_matches(a[0], b[0]);
  // A set: equal when the sorted keys are (matching is an equivalence, so no search is needed).
  std::vector<comparison_key> ka, kb;
  ka.reserve(a.size());
  kb.reserve(b.size());
  for (const auto& x : a) ka.push_back(key_of(x));
  for (const auto& x : b) kb.push_back(key_of(x));
  std::sort(ka.begin(), ka.end());
  std::sort(kb.begin(), kb.end());
  return ka == kb;
}

}  // namespace pki::detail::name
