#pragma once
// policy::subscriber_common_name — CA/Browser Forum Baseline Requirements 7.1.4.3: the
// leaf's subject common name, deprecated but still read by old clients, is either absent or
// one entry that repeats one of the leaf's subjectAltName values verbatim: a dNSName byte for
// byte (not in another case, nor as the U-label of an A-label), an iPAddress in its
// canonical text (dotted decimal without leading zeros; RFC 5952 IPv6). pki never reads the
// common name as an identity (policy::hostname, RFC 9525); this rule refuses a leaf that
// could mislead a client that does. In web_server; not in web_pki, so that a validator can
// keep the rest of the CA/B profile without it (BetterTLS's generated leaves are all "CN=EE").

#include <algorithm>
#include <variant>

#include "../../x509/general_name.hpp"
#include "../../x509/name.hpp"
#include "policy.hpp"

namespace pki::policy {

struct subscriber_common_name : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (depth != 0 || ctx.is_anchor(0)) return {};  // a trust anchor as the leaf is the caller's choice
    const certificate<>& leaf = ctx.path[0];
    const name_attribute* cn = nullptr;
    for (const auto& rdn : leaf.subject().rdns()) {
      for (const auto& attr : rdn) {
        if (attr.type != attribute::common_name) continue;
        if (cn != nullptr)
          return fail_at(0, errc::nonconforming, "a subscriber subject with more than one common name");
        cn = &attr;
      }
    }
    if (cn == nullptr) return {};
    if (!cn->is_string())
      return fail_at(0, errc::nonconforming, "a subscriber common name that is not a string");
    const auto& san = leaf.subject_alt_name();
    if (!san) return fail_at(0, errc::nonconforming, "a malformed subject alternative name");
    const bool repeated = *san && std::ranges::any_of((*san)->names, [&](const general_name& name) {
      if (const auto* dns = std::get_if<dns_name>(&name)) return dns->value == cn->value;
      if (const auto* ip = std::get_if<ip_address>(&name)) return ip->to_string() == cn->value;
      return false;
    });
    if (!repeated) {
      return fail_at(0, errc::nonconforming,
                     "the subscriber's common name is not one of its subjectAltName entries (BR 7.1.4.3)");
    }
    return {};
  }
};

}  // namespace pki::policy
