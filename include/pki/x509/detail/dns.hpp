#pragma once
// DNS names as PKI compares them: ASCII case-insensitive, labels of letters, digits and
// hyphens (RFC 1034 "preferred name syntax", RFC 5280 4.2.1.6), and the RFC 6125
// wildcard that stands for exactly one whole leftmost label.

#include <cstddef>
#include <string_view>

namespace pki::detail::dns {

[[nodiscard]] constexpr char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

[[nodiscard]] constexpr bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/// True when `name` ends with `suffix`, ignoring case.
[[nodiscard]] constexpr bool iends_with(std::string_view name, std::string_view suffix) noexcept {
  return name.size() >= suffix.size() && iequal(name.substr(name.size() - suffix.size()), suffix);
}

[[nodiscard]] constexpr bool is_ldh_label(std::string_view label) noexcept {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (const char c : label) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

/// A host name in preferred name syntax: "example.com", "a-1.example.com" (no trailing dot,
/// at most 253 characters).
[[nodiscard]] constexpr bool is_host_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
    if (!is_ldh_label(label)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

/// A dNSName name-constraint base (RFC 5280 4.2.1.10): "" (every name), a host name (it and
/// the names under it) or "." and a host name (the names under it). No wildcard, no empty
/// label, no trailing dot: a base that is none of these means nothing a CA could have meant.
[[nodiscard]] constexpr bool is_subtree_base(std::string_view base) noexcept {
  if (base.empty()) return true;
  return is_host_name(base.front() == '.' ? base.substr(1) : base);
}

/// A dNSName a certificate may present: a host name, or "*." followed by a host name of at
/// least two labels (so never "*" or "*.com").
[[nodiscard]] constexpr bool is_presented_name(std::string_view name) noexcept {
  if (name.starts_with("*.")) {
    const std::string_view rest = name.substr(2);
    return is_host_name(rest) && rest.find('.') != std::string_view::npos;
  }
  return is_host_name(name);
}

/// RFC 6125 6.4: does the presented identifier `pattern` (from a certificate) match the
/// reference identifier `host`? A wildcard matches exactly one non-empty leftmost label.
[[nodiscard]] constexpr bool matches(std::string_view pattern, std::string_view host) noexcept {
  if (!is_presented_name(pattern) || !is_host_name(host)) return false;
  if (!pattern.starts_with("*.")) return iequal(pattern, host);
  const std::size_t dot = host.find('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  return iequal(pattern.substr(1), host.substr(dot));
}

/// RFC 5280 4.2.1.10 dNSName subtree: "example.com" holds itself and every name under
/// it; ".example.com" only the names under it; "" every name. `name` may be a wildcard
/// pattern, whose '*' label is then just one more label below the constraint.
[[nodiscard]] constexpr bool in_subtree(std::string_view name, std::string_view base) noexcept {
  if (base.empty()) return true;
  if (base.front() == '.') return name.size() > base.size() && iends_with(name, base);
  if (iequal(name, base)) return true;
  return name.size() > base.size() && iends_with(name, base) && name[name.size() - base.size() - 1] == '.';
}

/// Could some host that the wildcard `pattern` ("*.example.com") matches lie in the subtree
/// `base`? This is how an excluded subtree must treat a wildcard (CVE-2025-61727): excluding
/// "bar.example.com" also excludes "*.example.com", which would match it.
[[nodiscard]] constexpr bool wildcard_reaches_subtree(std::string_view pattern,
                                                      std::string_view base) noexcept {
  if (!pattern.starts_with("*.")) return false;
  const std::string_view parent = pattern.substr(2);  // "example.com"
  if (in_subtree(pattern, base)) return true;         // the whole pattern lies inside
  // base is "<one label>.<parent>" (or ".<parent>"'s subdomains, which hold one-label names).
  std::string_view b = base;
  if (!b.empty() && b.front() == '.') return iequal(b.substr(1), parent);
  const std::size_t dot = b.find('.');
  return dot != std::string_view::npos && dot != 0 && iequal(b.substr(dot + 1), parent);
}

}  // namespace pki::detail::dns
