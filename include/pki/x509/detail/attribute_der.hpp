#pragma once
// A name attribute's DER both ways, the encoding the library chooses for new text values,
// and the DER order of an RDN's attributes.

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/error.hpp"
#include "../name_attribute.hpp"
#include "../object_identifier.hpp"
#include "name_string.hpp"
#include "utf8.hpp"

namespace pki::detail::name {

/// An attribute from a value's DER, as read from a Name or from an RFC 4514 "#hex" value.
[[nodiscard]] inline result<name_attribute> attribute_from_der(object_identifier type, const der_value& v) {
  name_attribute a;
  a.type = std::move(type);
  a.tag = v.tag;
  if (string_tag::is_string(v.tag)) {
    auto text = decode_string(v.tag, v.content);
    if (!text) return std::unexpected(text.error());
    a.value = std::move(*text);
  } else if (v.constructed() && string_tag::is_string(static_cast<std::uint8_t>(v.tag & ~0x20u))) {
    return fail(errc::parse_failed, "DER: a constructed (BER) string in a name");
  } else {
    a.value.assign(reinterpret_cast<const char*>(v.content.data()), v.content.size());
  }
  return a;
}

/// One AttributeTypeAndValue's DER.
[[nodiscard]] inline result<byte_buffer> attribute_der(const name_attribute& a) {
  auto content = value_content(a.tag, a.value);
  if (!content) return std::unexpected(content.error());
  const byte_view oid = a.type.der_content();
  der_writer w(content->size() + oid.size() + 16);
  const std::size_t start = w.mark();
  w.primitive(a.tag, *content);
  w.oid(std::string_view(reinterpret_cast<const char*>(oid.data()), oid.size()));
  w.sequence(start);
  return w.finish<byte_buffer>();
}

// ---- New values: the encoding the library chooses -------------------------------------------

/// An attribute for text given by a caller (RFC 4514 text or add()), encoded as RFC 5280 and
/// OpenSSL do: C, serialNumber and dnQualifier as PrintableString (C exactly two characters),
/// emailAddress and DC as IA5String, everything else as UTF8String. Fails with `code`.
[[nodiscard]] inline result<name_attribute> attribute_from_text(object_identifier type, std::string value,
                                                                errc code) {
  if (!valid_utf8(value)) return fail(code, "distinguished name: a value is not valid UTF-8");
  if (value.find('\0') != std::string::npos) {
    // Never legitimate, and the classic way to make a name print as another one.
    return fail(code, "distinguished name: a value contains a NUL character");
  }
  name_attribute a;
  a.tag = string_tag::utf8;
  if (type == attribute::country_name) {
    a.tag = string_tag::printable;
    if (value.size() != 2 || !is_printable_string_char(value[0]) || !is_printable_string_char(value[1])) {
      return fail(code, "distinguished name: C must be two letters (a PrintableString of size 2)");
    }
  } else if (type == attribute::serial_number || type == attribute::dn_qualifier) {
    a.tag = string_tag::printable;
    for (const char c : value) {
      if (!is_printable_string_char(c)) {
        return fail(code,
                    "distinguished name: serialNumber and dnQualifier must be PrintableString characters");
      }
    }
  } else if (type == attribute::email_address || type == attribute::domain_component) {
    a.tag = string_tag::ia5;
    for (const char c : value) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        return fail(code, "distinguished name: emailAddress and DC must be ASCII (IA5String)");
      }
    }
  }
  a.type = std::move(type);
  a.value = std::move(value);
  return a;
}

/// Puts the attributes of an RDN in DER SET OF order: by their encodings, which are complete
/// TLVs (none a proper prefix of another), so plain lexicographic order is X.690's order.
[[nodiscard]] inline result<void> sort_as_der(relative_distinguished_name& rdn) {
  if (rdn.size() < 2) return {};
  std::vector<std::pair<byte_buffer, name_attribute>> encoded;
  encoded.reserve(rdn.size());
  for (auto& attr : rdn) {
    auto der = attribute_der(attr);
    if (!der) return std::unexpected(der.error());
    encoded.emplace_back(std::move(*der), std::move(attr));
  }
  std::stable_sort(encoded.begin(), encoded.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < rdn.size(); ++i) rdn[i] = std::move(encoded[i].second);
  return {};
}

}  // namespace pki::detail::name
