#pragma once
// `extension`: any X.509 v3 extension as OID, criticality and DER; `extension_list`: the
// ordered Extensions of a certificate, CSR or CRL; and the bridge to the typed extensions of
// the other headers of this folder (to_extension, from_extension, extension_list::get).
// Decoding is strict DER and encoding refuses what RFC 5280 forbids a CA to issue; the
// rules, and the one leniency (a DEFAULT written out), are at the top of x509/extensions.hpp.

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "../../core/bytes.hpp"
#include "../../core/detail/der_reader.hpp"
#include "../../core/detail/der_writer.hpp"
#include "../../core/error.hpp"
#include "../detail/der_fields.hpp"
#include "../object_identifier.hpp"

namespace pki {

/// One extension as a certificate holds it: its OID, whether it is critical, and the DER
/// inside extnValue's OCTET STRING.
struct extension {
  object_identifier oid{};
  bool critical = false;
  byte_buffer value{};
  friend bool operator==(const extension&, const extension&) = default;
};

/// An extension type of the headers of x509/extensions/: OID, default criticality, DER both ways.
template <class T>
concept typed_extension = requires(const T& value, byte_view der) {
  { T::oid_content } -> std::convertible_to<std::string_view>;
  { T::default_critical } -> std::convertible_to<bool>;
  { value.to_der() } -> std::same_as<result<byte_buffer>>;
  { T::from_der(der) } -> std::same_as<result<T>>;
};

/// A typed extension as a generic one; fails as its to_der() does.
template <typed_extension T>
[[nodiscard]] result<extension> to_extension(const T& typed, bool critical = T::default_critical) {
  auto value = typed.to_der();
  if (!value) return std::unexpected(value.error());
  return extension{T::oid(), critical, std::move(*value)};
}

/// A generic extension as a typed one; invalid_argument when its OID is not T's, parse_failed
/// when its value is malformed.
template <typed_extension T>
[[nodiscard]] result<T> from_extension(const extension& generic) {
  if (!(generic.oid == T::oid_content))
    return fail(errc::invalid_argument, "the extension is of another type");
  return T::from_der(generic.value);
}

/// One extension as a parsed document holds it: views into the document's DER, valid as
/// long as the document (any copy of it) lives.
struct extension_view {
  std::string_view oid;  ///< content octets, as the typed extensions' oid_content
  bool critical = false;
  byte_view value;  ///< the DER inside extnValue's OCTET STRING

  /// An owning copy.
  [[nodiscard]] extension owned() const {
    return {object_identifier::from_trusted(oid), critical, byte_buffer(value.begin(), value.end())};
  }
};

namespace detail {

/// The extension of `items` (extensions or views) with this OID content, or nullptr.
template <class Item>
[[nodiscard]] const Item* find_extension(std::span<const Item> items, std::string_view oid_content) noexcept {
  for (const auto& item : items) {
    if (item.oid == oid_content) return &item;
  }
  return nullptr;
}

/// `found` (an extension or a view) decoded as T: nullopt when it is null; parse_failed when
/// its value is malformed.
template <typed_extension T, class Item>
[[nodiscard]] result<std::optional<T>> decode_found(const Item* found) {
  if (found == nullptr) return std::optional<T>{};
  auto typed = T::from_der(found->value);
  if (!typed) return std::unexpected(typed.error());
  return std::optional<T>(std::move(*typed));
}

}  // namespace detail

/// The ordered extensions of a parsed certificate as views into its DER: reading them
/// allocates nothing but the one array of views. extension_list is the owning form.
class extension_views {
 public:
  extension_views() = default;

  /// Views into `der`, the DER of Extensions, which must outlive them; parse_failed when
  /// malformed, empty, or when an OID appears twice. critical FALSE written out is read as
  /// not critical.
  [[nodiscard]] static result<extension_views> from_der(byte_view der) {
    extension_views list;
    // Sized once for every list a real certificate has; a longer one grows as vectors do
    // (a hostile DER cannot make the reservation large).
    list.items_.reserve(std::min<std::size_t>(detail::count_sequence_items(der), 32));
    const auto read_item = [&list](detail::der_reader& reader) {
      auto item = reader.read_nested(detail::der_sequence);
      extension_view ext{detail::next_oid_view(item), false, {}};
      // critical FALSE written out is the DEFAULT: read, as every peer does
      if (item.peek_tag() == MBEDTLS_ASN1_BOOLEAN) ext.critical = item.read_boolean();
      ext.value = item.read(MBEDTLS_ASN1_OCTET_STRING).content;
      item.require(item.at_end(), "trailing data in an Extension");
      item.require(list.find(ext.oid) == nullptr, "an extension appears twice");
      list.items_.push_back(ext);
    };
    auto read = detail::read_sequence_of(der, "parsing Extensions", "Extensions is empty", read_item);
    if (!read) return std::unexpected(read.error());
    return list;
  }

  /// The extension with this OID (content octets, as the types' oid_content), or nullptr.
  [[nodiscard]] const extension_view* find(std::string_view oid_content) const noexcept {
    return detail::find_extension(items(), oid_content);
  }
  /// The extension of type T decoded, nullopt when absent; parse_failed when malformed.
  template <typed_extension T>
  [[nodiscard]] result<std::optional<T>> get() const {
    return detail::decode_found<T>(find(T::oid_content));
  }

  [[nodiscard]] std::span<const extension_view> items() const noexcept { return items_; }
  [[nodiscard]] auto begin() const noexcept { return items_.begin(); }
  [[nodiscard]] auto end() const noexcept { return items_.end(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

 private:
  std::vector<extension_view> items_;
};

/// The ordered extensions of a certificate, CSR or CRL; an OID appears at most once.
class extension_list {
 public:
  extension_list() = default;

  /// Appends `ext`; invalid_argument when its OID is empty or already present.
  [[nodiscard]] result<void> add(extension ext) {
    if (ext.oid.empty()) return fail(errc::invalid_argument, "an extension needs an OID");
    if (find(ext.oid) != nullptr) return fail(errc::invalid_argument, "the extension is already in the list");
    items_.push_back(std::move(ext));
    return {};
  }
  /// Appends a typed extension; invalid_argument when its OID is already present or its
  /// to_der() refuses it.
  template <typed_extension T>
  [[nodiscard]] result<void> add(const T& typed, bool critical = T::default_critical) {
    auto generic = to_extension(typed, critical);
    if (!generic) return std::unexpected(generic.error());
    return add(std::move(*generic));
  }

  /// The extension with this OID, or nullptr.
  [[nodiscard]] const extension* find(const object_identifier& oid) const noexcept {
    return find(detail::oid_content_view(oid));
  }
  /// The extension with this OID (content octets, as the types' oid_content), or nullptr.
  [[nodiscard]] const extension* find(std::string_view oid_content) const noexcept {
    return detail::find_extension(items(), oid_content);
  }
  /// The extension of type T decoded, nullopt when absent; parse_failed when malformed.
  template <typed_extension T>
  [[nodiscard]] result<std::optional<T>> get() const {
    return detail::decode_found<T>(find(T::oid_content));
  }

  [[nodiscard]] std::span<const extension> items() const noexcept { return items_; }
  [[nodiscard]] auto begin() const noexcept { return items_.begin(); }
  [[nodiscard]] auto end() const noexcept { return items_.end(); }
  [[nodiscard]] std::size_t size() const noexcept { return items_.size(); }
  [[nodiscard]] bool empty() const noexcept { return items_.empty(); }

  /// The DER of Extensions (SEQUENCE OF Extension, critical FALSE omitted); invalid_argument
  /// when the list is empty (a certificate without extensions leaves the field out).
  [[nodiscard]] result<byte_buffer> to_der() const {
    if (items_.empty()) return fail(errc::invalid_argument, "Extensions needs at least one extension");
    const auto write_item = [](detail::der_writer& out, const extension& item) -> result<void> {
      const std::size_t item_start = out.mark();
      out.octet_string(item.value);
      if (item.critical) out.boolean(true);
      out.oid(detail::oid_content_view(item.oid));
      out.sequence(item_start);
      return {};
    };
    return detail::sequence_of_der(items_, write_item);
  }
  /// From the DER of Extensions; parse_failed when malformed, empty, or when an OID appears
  /// twice. critical FALSE written out is read as not critical.
  [[nodiscard]] static result<extension_list> from_der(byte_view der) {
    auto views = extension_views::from_der(der);
    if (!views) return std::unexpected(views.error());
    return from_views(*views);
  }
  /// Owning copies of `views`, in order.
  [[nodiscard]] static extension_list from_views(const extension_views& views) {
    extension_list list;
    list.items_.reserve(views.size());
    for (const auto& view : views) list.items_.push_back(view.owned());
    return list;
  }

  friend bool operator==(const extension_list&, const extension_list&) = default;

 private:
  std::vector<extension> items_;
};

}  // namespace pki
