#pragma once
// Functions of a feature that mbedTLS may compile out are templates (with a defaulted,
// unused parameter), so that a static_assert naming the missing option fires where one
// is called, not where the header is included.

namespace pki::detail {

/// Always true, but only known once a template is instantiated.
template <class>
inline constexpr bool when_used = true;

}  // namespace pki::detail
