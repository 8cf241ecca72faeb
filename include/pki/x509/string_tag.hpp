#pragma once
// The ASN.1 string types a name's attribute values may have, by universal tag.

#include <cstdint>

namespace pki {

/// Universal tags of the ASN.1 string types a name's values may have (name_attribute::tag).
namespace string_tag {
inline constexpr std::uint8_t utf8 = 0x0C;       ///< UTF8String
inline constexpr std::uint8_t numeric = 0x12;    ///< NumericString (read as ASCII)
inline constexpr std::uint8_t printable = 0x13;  ///< PrintableString: A-Z a-z 0-9 space '()+,-./:=?
inline constexpr std::uint8_t teletex = 0x14;    ///< TeletexString (T61String), read as Latin-1
inline constexpr std::uint8_t ia5 = 0x16;        ///< IA5String (ASCII)
inline constexpr std::uint8_t visible = 0x1A;    ///< VisibleString (read as ASCII)
inline constexpr std::uint8_t universal = 0x1C;  ///< UniversalString (UCS-4, big-endian)
inline constexpr std::uint8_t bmp = 0x1E;        ///< BMPString (UTF-16, big-endian)

/// True for the tags above: values the library reads as text.
[[nodiscard]] constexpr bool is_string(std::uint8_t tag) noexcept {
  return tag == utf8 || tag == numeric || tag == printable || tag == teletex || tag == ia5 ||
         tag == visible || tag == universal || tag == bmp;
}
}  // namespace string_tag

}  // namespace pki
