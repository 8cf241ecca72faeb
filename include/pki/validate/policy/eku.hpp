#pragma once
// policy::eku<Purpose> — the leaf must be allowed Purpose by its extended key usage (no
// extension allows every purpose), and every issuer above it that carries an extended key
// usage must allow it too: an issuing CA restricted to client certificates cannot vouch
// for a server. anyExtendedKeyUsage allows every purpose (RFC 5280 4.2.1.12).
// The leaf's key usage, when it has one, must be consistent with the purpose too (4.2.1.12:
// both extensions are processed, and the certificate used only for a purpose both allow):
// a TLS server's key signs (digitalSignature), or is encrypted to (keyEncipherment, RSA keys)
// or agrees keys (keyAgreement, EC keys); a TLS client's signs, or agrees keys (EC). A leaf
// whose key may only sign CRLs, or an EC key only "enciphering", is no TLS server, whatever
// its EKU says.
// policy::server_auth and policy::client_auth are the TLS purposes.

#include <cstdint>
#include <string_view>

#include "../../x509/extensions.hpp"
#include "policy.hpp"

namespace pki::detail::purpose {

/// The key usage bits of which a leaf for `purpose` needs at least one, with the error's
/// context; no bits for a purpose whose consistent key usages the validator does not know.
struct purpose_key_usage {
  std::uint16_t any_of = 0;
  const char* refused = "";
};

/// What a TLS key of `type` can do for `purpose`: a server's RSA key signs or is encrypted to
/// (RSA key transport, TLS 1.2); a server's EC key signs or agrees keys (static ECDH), never
/// enciphers, since an EC key cannot (RFC 5480 3, RFC 8446 4.4.2.2); a client's key signs,
/// or for EC agrees keys. keyAgreement is not an RSA usage (RFC 3279 2.3.1).
[[nodiscard]] constexpr purpose_key_usage key_usage_for(std::string_view purpose, key_type type) noexcept {
  using enum key_usage_flag;
  const auto bits = [](key_usage_flag f) { return static_cast<std::uint16_t>(f); };
  const bool rsa = type == key_type::rsa;
  if (purpose == extended_key_usage::server_auth) {
    if (rsa) {
      return {bits(digital_signature | key_encipherment),
              "the leaf's key usage allows neither digitalSignature nor keyEncipherment, which a TLS "
              "server's RSA key needs"};
    }
    return {bits(digital_signature | key_agreement),
            "the leaf's key usage allows neither digitalSignature nor keyAgreement, which a TLS server's "
            "EC key needs (an EC key cannot encipher)"};
  }
  if (purpose == extended_key_usage::client_auth) {
    if (rsa) {
      return {bits(digital_signature),
              "the leaf's key usage lacks digitalSignature, which a TLS client's RSA key needs"};
    }
    return {
        bits(digital_signature | key_agreement),
        "the leaf's key usage allows neither digitalSignature nor keyAgreement, which a TLS client needs"};
  }
  return {};
}

}  // namespace pki::detail::purpose

namespace pki::policy {

template <const std::string_view& Purpose>
struct eku : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (depth == 0) {
      if (auto ok = check_key_usage(ctx.path[0]); !ok) return ok;
    }
    const auto& usage = ctx.path[depth].extended_key_usage();
    if (!usage) return fail_at(depth, errc::nonconforming, "a malformed extended key usage extension");
    if (!*usage) return {};
    if ((*usage)->has(Purpose) || (*usage)->has(extended_key_usage::any_extended_key_usage)) return {};
    return fail_at(depth, errc::usage_not_allowed,
                   depth == 0 ? "extended key usage does not include the required purpose"
                              : "an issuer's extended key usage does not include the required purpose");
  }

 private:
  [[nodiscard]] static result<void> check_key_usage(const certificate<>& leaf) {
    const detail::purpose::purpose_key_usage needed =
        detail::purpose::key_usage_for(Purpose, leaf.public_key().algorithm().type);
    if (needed.any_of == 0) return {};
    const auto& usage = leaf.key_usage();
    if (!usage) return fail_at(0, errc::nonconforming, "a malformed key usage extension");
    if (!*usage) return {};  // no keyUsage: every usage
    if ((static_cast<std::uint16_t>((*usage)->flags) & needed.any_of) != 0) return {};
    return fail_at(0, errc::usage_not_allowed, needed.refused);
  }
};

/// TLS server certificates (id-kp-serverAuth).
using server_auth = eku<extended_key_usage::server_auth>;
/// TLS client certificates (id-kp-clientAuth).
using client_auth = eku<extended_key_usage::client_auth>;

}  // namespace pki::policy
