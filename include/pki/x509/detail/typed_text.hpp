#pragma once
// An extension's text through the typed extension its OID names, for to_string(extension).

#include <optional>
#include <string>
#include <utility>

#include "../extensions/extension.hpp"
#include "extension_text.hpp"

namespace pki::detail {

template <typed_extension T>
[[nodiscard]] std::optional<std::string> typed_text(const extension& ext) {
  if (!(ext.oid == T::oid_content)) return std::nullopt;
  auto typed = T::from_der(ext.value);
  if (!typed) return "<malformed: " + typed.error().message() + '>';
  return typed->to_string();
}

template <typed_extension... Ts>
[[nodiscard]] std::string known_extension_text(const extension& ext) {
  std::optional<std::string> text{};
  static_cast<void>(((text = typed_text<Ts>(ext)).has_value() || ...));
  return text ? std::move(*text) : colon_hex(ext.value);
}

}  // namespace pki::detail
