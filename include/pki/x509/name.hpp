#pragma once
// distinguished_name: an X.501 Name (the subject or issuer of a certificate, CSR or CRL),
// read from and written to DER and RFC 4514 text, and compared as RFC 5280 section 7.1 says.
//
// A name is a sequence of RDNs, most general first in DER (C, O, ..., CN); each RDN is a set
// of one or more attributes (type OID + value). RFC 4514 text lists them the other way round:
// "CN=device-42,O=Acme\, Inc.,C=DE" is the DER sequence C, O, CN.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../core/bytes.hpp"
#include "../core/detail/der_reader.hpp"
#include "../core/detail/der_writer.hpp"
#include "../core/detail/out_of_memory.hpp"
#include "../core/error.hpp"
#include "detail/attribute_der.hpp"
#include "detail/der_fields.hpp"
#include "detail/name_matching.hpp"
#include "detail/rfc4514.hpp"
#include "name_attribute.hpp"
#include "object_identifier.hpp"
#include "string_tag.hpp"

namespace pki {

/// An X.501 Name: a sequence of RDNs, most general first (DER order). A value, cheap enough
/// to copy. Read it with parse() or from_der(), or build it with add().
class distinguished_name {
 public:
  /// Longest RFC 4514 text parse() accepts (hostile input).
  static constexpr std::size_t max_text_size = 64 * 1024;
  /// Most RDNs parse(), from_der() and add() accept.
  static constexpr std::size_t max_rdns = 256;
  /// Most attributes in one RDN parse() and from_der() accept (RDN comparison sorts them).
  static constexpr std::size_t max_attributes_per_rdn = 64;

  /// The empty name (no RDNs).
  distinguished_name() = default;

  /// The name written as RFC 4514 text, e.g. "CN=device-42,O=Acme\, Inc.,C=DE" (the text
  /// starts with the most specific RDN). Attribute types: the short names of pki::attribute
  /// (and their long names, any case), dotted OIDs, "OID." + dotted OID. Values: RFC 4514
  /// escapes (a backslash before one of `,+\;<>=#`, a double quote or a space, and `\XX`
  /// hex pairs, which must form UTF-8), or "#" + the hex of one DER value, kept as it
  /// is. Spaces after a ',' are skipped; an empty text is the empty name. New values are encoded as
  /// attribute_from_text() says, and the attributes of a multi-valued RDN are kept in DER order (so
  /// "CN=a+O=b" prints back as "O=b+CN=a", as OpenSSL prints it). parse_failed on any syntax error, an
  /// unknown type name, a value its type does not allow (C not two letters...), a NUL in a value, more than
  /// 64 KiB of text or 256 RDNs.
  [[nodiscard]] static result<distinguished_name> parse(std::string_view rfc4514) {
    return detail::out_of_memory_guard("parsing a distinguished name", [&]() -> result<distinguished_name> {
      if (rfc4514.size() > max_text_size)
        return fail(errc::parse_failed, "RFC 4514: a name longer than 64 KiB");
      distinguished_name name;
      std::size_t pos = 0;
      while (pos < rfc4514.size()) {
        if (name.rdns_.size() == max_rdns)
          return fail(errc::parse_failed, "RFC 4514: a name with more than 256 RDNs");
        relative_distinguished_name rdn;
        for (;;) {
          if (rdn.size() == max_attributes_per_rdn) {
            return fail(errc::parse_failed, "RFC 4514: an RDN with more than 64 attributes");
          }
          auto type = detail::name::parse_type(rfc4514, pos);
          if (!type) return std::unexpected(type.error());
          if (pos >= rfc4514.size() || rfc4514[pos] != '=') {
            return fail(errc::parse_failed, "RFC 4514: expected '=' after an attribute type");
          }
          ++pos;
          auto attr = detail::name::parse_value(rfc4514, pos, std::move(*type));
          if (!attr) return std::unexpected(attr.error());
          rdn.push_back(std::move(*attr));
          if (pos == rfc4514.size() || rfc4514[pos] != '+') break;
          ++pos;
        }
        // Kept in DER SET OF order, so what is stored is what to_der() writes (and byte_equal()
        // compares); to_string() prints the attributes of an RDN backwards, as OpenSSL does.
        if (auto sorted = detail::name::sort_as_der(rdn); !sorted) return std::unexpected(sorted.error());
        name.rdns_.push_back(std::move(rdn));
        if (pos == rfc4514.size()) break;
        ++pos;  // a value ends only at ',', '+' or the end: this is a ','
        while (pos < rfc4514.size() && rfc4514[pos] == ' ') ++pos;
        if (pos == rfc4514.size()) return fail(errc::parse_failed, "RFC 4514: a name ends with ','");
      }
      std::reverse(name.rdns_.begin(), name.rdns_.end());
      return name;
    });
  }

  /// The name in DER: Name ::= SEQUENCE OF SET OF AttributeTypeAndValue, strict DER and
  /// nothing after it. Values keep their tags (string types are decoded to UTF-8, others
  /// kept as raw octets), and the attributes of a multi-valued RDN keep their order even
  /// when it is not the DER order. parse_failed when malformed, on a string value that is
  /// not text (bad UTF-8, odd-length BMPString...), an empty RDN, or more than 256 RDNs.
  [[nodiscard]] static result<distinguished_name> from_der(byte_view der) {
    distinguished_name name;
    if (auto read = read_der(der, &name); !read) return std::unexpected(read.error());
    return name;
  }
  /// Checks `der` as from_der() does, refusing what it refuses, without building the name
  /// (a parser that builds it only when it is read).
  [[nodiscard]] static result<void> check_der(byte_view der) { return read_der(der, nullptr); }

  /// The name in DER, each value with its tag; the attributes of a multi-valued RDN are
  /// sorted by their encodings as DER requires of a SET OF (so a name read from DER comes
  /// back byte for byte unless its multi-valued RDNs were out of order). The error of a
  /// failed add(), or invalid_argument when an attribute's text does not fit its tag.
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (add_error_) return std::unexpected(*add_error_);
    detail::der_writer w(256);
    const std::size_t whole = w.mark();
    std::vector<byte_buffer> encodings;
    for (auto rdn = rdns_.rbegin(); rdn != rdns_.rend(); ++rdn) {
      encodings.clear();
      for (const auto& attr : *rdn) {
        auto der = detail::name::attribute_der(attr);
        if (!der) return std::unexpected(der.error());
        encodings.push_back(std::move(*der));
      }
      // X.690 SET OF order (see sort_as_der); names read from DER may not have had it.
      std::sort(encodings.begin(), encodings.end());
      const std::size_t set = w.mark();
      for (auto e = encodings.rbegin(); e != encodings.rend(); ++e) w.raw(*e);
      w.set(set);
    }
    w.sequence(whole);
    return w.finish<byte_buffer>();
  }

  /// RFC 4514 text, most specific RDN first: short names for known types, dotted OIDs for
  /// others; string values of known types as escaped UTF-8, other values as "#" and the hex
  /// of their DER (RFC 4514 2.4), as are string values whose text parse() would refuse or
  /// read differently (a NUL, a one-letter C). parse() reads it back into an equal name.
  [[nodiscard]] std::string to_string() const {
    std::string out;
    for (auto rdn = rdns_.rbegin(); rdn != rdns_.rend(); ++rdn) {
      if (rdn != rdns_.rbegin()) out += ',';
      for (auto attr = rdn->rbegin(); attr != rdn->rend(); ++attr) {
        if (attr != rdn->rbegin()) out += '+';
        detail::name::append_attribute(out, *attr);
      }
    }
    return out;
  }

  /// The RDNs, most general first (DER order).
  [[nodiscard]] const std::vector<relative_distinguished_name>& rdns() const noexcept { return rdns_; }
  /// True for the empty name.
  [[nodiscard]] bool empty() const noexcept { return rdns_.empty(); }
  /// The number of RDNs.
  [[nodiscard]] std::size_t size() const noexcept { return rdns_.size(); }

  /// The most specific (last in DER order) common name with a string value; nullopt when none.
  [[nodiscard]] std::optional<std::string> common_name() const {
    for (auto rdn = rdns_.rbegin(); rdn != rdns_.rend(); ++rdn) {
      for (auto attr = rdn->rbegin(); attr != rdn->rend(); ++attr) {
        if (attr->type == attribute::common_name && attr->is_string()) return attr->value;
      }
    }
    return std::nullopt;
  }

  /// The text of every string-valued attribute of this type, in DER order (most general
  /// first). Values that are not strings (`#hex`) are left out: they are not text.
  [[nodiscard]] std::vector<std::string> values(const object_identifier& type) const {
    std::vector<std::string> found;
    for (const auto& rdn : rdns_) {
      for (const auto& attr : rdn) {
        if (attr.type == type && attr.is_string()) found.push_back(attr.value);
      }
    }
    return found;
  }

  /// Appends a single-valued RDN (the new most specific one), its value encoded as parse()
  /// encodes it (C PrintableString, emailAddress IA5String, ...), and returns the name to
  /// chain: `distinguished_name{}.add(attribute::country_name, "DE").add(...)`.
  /// A value its type does not allow is not added: the first such error (invalid_argument)
  /// is kept, later add() calls do nothing, and status() and to_der() report it.
  distinguished_name& add(const object_identifier& type, std::string_view value) & {
    if (add_error_) return *this;
    if (rdns_.size() == max_rdns) {
      add_error_ = error(errc::invalid_argument, "distinguished name: more than 256 RDNs");
      return *this;
    }
    auto attr = detail::name::attribute_from_text(type, std::string(value), errc::invalid_argument);
    if (!attr) {
      add_error_ = attr.error();
      return *this;
    }
    rdns_.push_back(relative_distinguished_name{std::move(*attr)});
    return *this;
  }
  /// add() on a temporary, returning it by value.
  [[nodiscard]] distinguished_name add(const object_identifier& type, std::string_view value) && {
    add(type, value);
    return std::move(*this);
  }

  /// Success, or the first error met by add().
  [[nodiscard]] result<void> status() const {
    if (add_error_) return std::unexpected(*add_error_);
    return {};
  }

  /// RFC 5280 section 7.1 name matching: the same number of RDNs, and RDN by RDN the same
  /// attributes in any order, string values compared after fold_for_comparison() (case and
  /// whitespace insensitive; a PrintableString and a UTF8String of the same text match),
  /// other values byte for byte. A pending add() error is not compared.
  friend bool operator==(const distinguished_name& a, const distinguished_name& b) {
    if (a.rdns_.size() != b.rdns_.size()) return false;
    for (std::size_t i = 0; i < a.rdns_.size(); ++i) {
      if (!detail::name::rdn_matches(a.rdns_[i], b.rdns_[i])) return false;
    }
    return true;
  }

 private:
  /// Reads the DER Name into `out`, or only checks it when `out` is null: the attributes are
  /// decoded either way, so both refuse the same names.
  [[nodiscard]] static result<void> read_der(byte_view der, distinguished_name* out) {
    constexpr const char* malformed = "DER: malformed Name";
    detail::der_reader outer(der, malformed);
    auto sequence = outer.read_nested(detail::der_sequence);
    outer.require(outer.at_end(), "DER: bytes after a Name");
    if (out != nullptr) out->rdns_.reserve(std::min(detail::count_sequence_items(der), max_rdns));
    std::size_t rdns = 0;
    while (!sequence.at_end()) {
      sequence.require(rdns++ < max_rdns, "DER: a Name with more than 256 RDNs");
      auto set = sequence.read_nested(detail::der_set);
      set.require(!set.at_end(), "DER: an empty RDN in a Name");
      relative_distinguished_name rdn;
      std::size_t attributes = 0;
      while (!set.at_end()) {
        set.require(attributes++ < max_attributes_per_rdn, "DER: an RDN with more than 64 attributes");
        auto atv = set.read_nested(detail::der_sequence);
        auto type = detail::next_oid(atv);
        const auto value = atv.read_any();
        atv.require(atv.at_end(), malformed);
        auto attr = atv.keep(detail::name::attribute_from_der(std::move(type), value));
        if (out != nullptr) rdn.push_back(std::move(attr));
      }
      if (out != nullptr) out->rdns_.push_back(std::move(rdn));
    }
    return outer.finish();
  }

  std::vector<relative_distinguished_name> rdns_;
  std::optional<error> add_error_;
};

/// True when two names are the same DER: RDN by RDN, attribute by attribute in the order kept,
/// the same types, tags and value octets. For a name from from_der() that is the DER it was
/// read from (even a multi-valued RDN out of DER order); for one from parse() or add(), what
/// to_der() writes. Stricter than operator==, which follows RFC 5280's matching rules.
[[nodiscard]] inline bool byte_equal(const distinguished_name& a, const distinguished_name& b) noexcept {
  return a.rdns() == b.rdns();
}

namespace detail {

/// RFC 5280 name matching of two names read from DER, `a_der` and `b_der` being their
/// encodings: identical encodings match without comparing attribute by attribute.
[[nodiscard]] inline bool same_name(byte_view a_der, const distinguished_name& a, byte_view b_der,
                                    const distinguished_name& b) {
  return std::ranges::equal(a_der, b_der) || a == b;
}

/// A hash that agrees with operator== on names (RFC 5280 7.1 matching): names that match
/// hash alike, so names of unequal hashes need no comparison. Never 0 (0 can mean "not
/// computed yet" to a cache).
[[nodiscard]] inline std::uint64_t name_match_hash(const distinguished_name& n) noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (const auto& rdn : n.rdns()) h = (h ^ name::match_hash(rdn)) * 0x100000001b3ULL + 1;
  return h | 1;
}

}  // namespace detail

}  // namespace pki
