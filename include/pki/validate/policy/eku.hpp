#pragma once
// policy::eku<Purpose> — the leaf must be allowed Purpose by its extended key usage (no
// extension allows every purpose), and every issuer above it that carries an extended key
// usage must allow it too: an issuing CA restricted to client certificates cannot vouch
// for a server. anyExtendedKeyUsage allows every purpose (RFC 5280 4.2.1.12).
// policy::server_auth and policy::client_auth are the TLS purposes.

#include <string_view>

#include "../../x509/extensions.hpp"
#include "policy.hpp"

namespace pki::policy {

template <const std::string_view& Purpose>
struct eku : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    auto usage = ctx.path[depth].extended_key_usage();
    if (!usage) return fail_at(depth, errc::nonconforming, "a malformed extended key usage extension");
    if (!*usage) return {};
    if ((*usage)->has(Purpose) || (*usage)->has(extended_key_usage::any_extended_key_usage)) return {};
    return fail_at(depth, errc::usage_not_allowed,
                   depth == 0 ? "extended key usage does not include the required purpose"
                              : "an issuer's extended key usage does not include the required purpose");
  }
};

/// TLS server certificates (id-kp-serverAuth).
using server_auth = eku<extended_key_usage::server_auth>;
/// TLS client certificates (id-kp-clientAuth).
using client_auth = eku<extended_key_usage::client_auth>;

}  // namespace pki::policy
