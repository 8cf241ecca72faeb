#pragma once
// policy::name_constraints — RFC 5280 4.2.1.10 and 6.1.3 (b)-(c): a CA's permitted and
// excluded subtrees bind every certificate below it (self-issued intermediates excepted).
// Names checked: the subject (directoryName, and its emailAddress attributes as rfc822
// names) and every subjectAltName entry — DNS names, IPv4/IPv6 addresses, e-mail
// addresses, URIs (by host) and directory names. A name of a type the CA constrains must
// lie in one of its permitted subtrees of that type and in none of its excluded ones. A
// constraint form the validator cannot evaluate (otherName, registeredID) rejects any name
// of that form, and so does a name that is malformed for its form (an rfc822Name with two
// '@'): it is never taken as matching, nor as not matching. A malformed constraint (a
// dNSName base that is no host name or ".domain", an rfc822Name base that is no mailbox,
// host or domain) refuses the CA itself. IPv4 addresses and IPv4-mapped IPv6 addresses are
// checked in both spellings.
// The work of each comparison is counted against validation_budget::name_comparisons, and
// constraints are applied only to complete paths (see check()).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "../../x509/certificate.hpp"
#include "../../x509/detail/dns.hpp"
#include "../../x509/extensions.hpp"
#include "../../x509/general_name.hpp"
#include "../../x509/name.hpp"
#include "policy.hpp"

namespace pki::detail::subtrees {

namespace dns = pki::detail::dns;

/// RFC 5280 4.2.1.10 rfc822Name constraints: "user@host" one mailbox, "host" every
/// mailbox at that host, ".example.com" every mailbox at a host under example.com.
[[nodiscard]] inline bool email_in_subtree(std::string_view address, std::string_view base) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view host = address.substr(at + 1);
  if (base.find('@') != std::string_view::npos) {
    const std::size_t base_at = base.rfind('@');
    return address.substr(0, at) == base.substr(0, base_at) && dns::iequal(host, base.substr(base_at + 1));
  }
  if (!base.empty() && base.front() == '.') return host.size() > base.size() && dns::iends_with(host, base);
  return dns::iequal(host, base);
}

/// An rfc822Name constraint is "local@host", "host" or ".domain"; anything else (two '@',
/// an empty part) is malformed and fails closed.
[[nodiscard]] inline bool is_email_constraint(std::string_view base) {
  const std::size_t at = base.find('@');
  if (at == std::string_view::npos) return !base.empty();
  return at != 0 && at + 1 < base.size() && base.find('@', at + 1) == std::string_view::npos;
}

/// A mailbox as an rfc822Name SAN holds it: "local@host", one '@', neither part empty. A
/// quoted local part with an '@' in it is refused with the rest: it cannot be compared
/// without a full RFC 5322 parser, and a name that cannot be compared fails closed.
[[nodiscard]] inline bool is_mailbox(std::string_view address) {
  const std::size_t at = address.find('@');
  return at != std::string_view::npos && at != 0 && at + 1 < address.size() &&
         address.find('@', at + 1) == std::string_view::npos;
}

/// Why a subtree's base is malformed, or nullptr: a dNSName that is no host name or domain,
/// an rfc822Name that is no mailbox, host or domain. A CA that writes one has constrained
/// nothing anyone can read, so its certificate is refused rather than guessed at.
[[nodiscard]] inline const char* malformed_base(const general_name& base) {
  if (const auto* dns_base = std::get_if<dns_name>(&base)) {
    if (!dns::is_subtree_base(dns_base->value))
      return "a dNSName constraint that is neither a host name nor a domain (\".example.com\")";
  }
  if (const auto* email_base = std::get_if<email_address>(&base)) {
    if (!is_email_constraint(email_base->value))
      return "an rfc822Name constraint that is neither a mailbox, a host nor a domain";
  }
  return nullptr;
}

/// The host of a URI ("https://user@Host.example:8443/p" -> "Host.example"); empty when
/// the URI has no authority.
[[nodiscard]] inline std::string_view uri_host(std::string_view uri) {
  const std::size_t scheme = uri.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = uri.substr(scheme + 3);
  rest = rest.substr(0, std::min(rest.find('/'), std::min(rest.find('?'), rest.find('#'))));
  if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return {};  // IP literal: no host name to constrain
  if (const std::size_t colon = rest.find(':'); colon != std::string_view::npos) rest = rest.substr(0, colon);
  return rest;
}

/// RFC 5280: a URI constraint is a host ("host.example.com": that host only) or a domain
/// (".example.com": hosts under it).
[[nodiscard]] inline bool uri_host_in_subtree(std::string_view host, std::string_view base) {
  if (!base.empty() && base.front() == '.') return host.size() > base.size() && dns::iends_with(host, base);
  return dns::iequal(host, base);
}

/// A directoryName subtree: the name's first RDNs are the base's. `work` counts the RDNs
/// compared.
[[nodiscard]] inline bool dn_in_subtree(const distinguished_name& name, const distinguished_name& base,
                                        std::uint64_t& work) {
  if (base.size() > name.size()) return false;
  for (std::size_t i = 0; i < base.size(); ++i) {
    ++work;
    if (!pki::detail::name::rdn_matches(name.rdns()[i], base.rdns()[i])) return false;
  }
  return true;
}

enum class verdict : std::uint8_t { outside, inside, cannot_tell };

/// The forms an IP address takes for comparison: itself, and for an IPv4 address or an
/// IPv4-mapped IPv6 one (::ffff:a.b.c.d) the other family's spelling, so that neither
/// escapes the constraints written for the other (an IPv4-mapped address reaches the
/// IPv4 host it names).
[[nodiscard]] inline std::pair<ip_address, std::optional<ip_address>> ip_forms(const ip_address& a) {
  if (a.is_v4()) return {a, a.as_v6()};
  return {a, a.unmapped_v4()};
}

/// Whether some form of `address` lies in `network` (of the network's family).
[[nodiscard]] inline bool ip_in_subtree(const ip_address& address, const ip_network& network) {
  const auto [self, other] = ip_forms(address);
  return network.contains(self) || (other && network.contains(*other));
}

/// Where `name` stands relative to the subtree `base` of the same form; `excluding` makes a
/// wildcard DNS name count as inside when any name it matches would be. `work` grows by the
/// comparison's cost: one, plus the RDNs compared for directory names and one per 64 bytes
/// of text for the others.
[[nodiscard]] inline verdict relation(const general_name& name, const general_name& base, bool excluding,
                                      std::uint64_t& work) {
  ++work;
  if (const auto* n = std::get_if<dns_name>(&name)) {
    const auto& b = std::get<dns_name>(base).value;
    work += n->value.size() / 64;
    if (dns::in_subtree(n->value, b)) return verdict::inside;
    return excluding && dns::wildcard_reaches_subtree(n->value, b) ? verdict::inside : verdict::outside;
  }
  if (const auto* n = std::get_if<ip_address>(&name)) {
    return ip_in_subtree(*n, std::get<ip_network>(base)) ? verdict::inside : verdict::outside;
  }
  if (const auto* n = std::get_if<email_address>(&name)) {
    const auto& b = std::get<email_address>(base).value;
    work += n->value.size() / 64;
    if (!is_email_constraint(b) || !is_mailbox(n->value)) return verdict::cannot_tell;
    return email_in_subtree(n->value, b) ? verdict::inside : verdict::outside;
  }
  if (const auto* n = std::get_if<uri_name>(&name)) {
    work += n->value.size() / 64;
    const std::string_view host = uri_host(n->value);
    if (host.empty()) return verdict::cannot_tell;
    return uri_host_in_subtree(host, std::get<uri_name>(base).value) ? verdict::inside : verdict::outside;
  }
  if (const auto* n = std::get_if<distinguished_name>(&name)) {
    return dn_in_subtree(*n, std::get<distinguished_name>(base), work) ? verdict::inside : verdict::outside;
  }
  return verdict::cannot_tell;  // otherName, registeredID: no comparison rule here
}

/// Whether `base` constrains names of `name`'s form: an ip_network constrains ip_address
/// names (every address: an IPv6 address is outside a list of IPv4 networks unless it maps
/// into one), any other base the names of its own form.
[[nodiscard]] inline bool constrains_form(const general_name& name, const general_name& base) {
  if (std::holds_alternative<ip_address>(name)) return std::holds_alternative<ip_network>(base);
  return name.index() == base.index();
}

/// The names a certificate holds that constraints apply to.
[[nodiscard]] inline result<std::vector<general_name>> constrained_names(const certificate<>& cert,
                                                                         std::size_t depth) {
  std::vector<general_name> names;
  if (!cert.subject().empty()) {
    names.emplace_back(cert.subject());
    for (auto& email :
         cert.subject().values(object_identifier::from_trusted(attribute::email_address.oid_content))) {
      names.emplace_back(email_address{std::move(email)});
    }
  }
  const auto& san = cert.subject_alt_name();
  if (!san) return fail_at(depth, errc::nonconforming, "a malformed subject alternative name");
  if (*san) {
    for (const auto& name : (*san)->names) names.push_back(name);
  }
  return names;
}

}  // namespace pki::detail::subtrees

namespace pki::policy {

struct name_constraints : rule {
  /// A CA's constraints must be well formed when it joins a path; they are applied to the
  /// names below it only in check_path, once the path reaches an anchor, so that a CA that
  /// chains to nothing costs no comparisons.
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (depth == 0) return {};
    const auto& nc = ctx.path[depth].name_constraints();
    if (!nc) return fail_at(depth, errc::nonconforming, "malformed name constraints");
    if (!*nc) return {};
    if ((*nc)->permitted.empty() && (*nc)->excluded.empty()) {
      return fail_at(depth, errc::nonconforming,
                     "name constraints with neither permitted nor excluded subtrees");
    }
    for (const auto* subtrees : {&(*nc)->permitted, &(*nc)->excluded}) {
      for (const auto& subtree : *subtrees) {
        if (const char* problem = detail::subtrees::malformed_base(subtree.base)) {
          return fail_at(depth, errc::nonconforming, problem);
        }
      }
    }
    return {};
  }

  [[nodiscard]] result<void> check_path(const path_context& ctx) const {
    for (std::size_t depth = 1; depth < ctx.path.size(); ++depth) {
      const auto& nc = ctx.path[depth].name_constraints();
      if (!nc) return fail_at(depth, errc::nonconforming, "malformed name constraints");
      if (!*nc) continue;
      for (std::size_t below = 0; below < depth; ++below) {
        // RFC 5280 6.1.3 (b): self-issued intermediates are exempt; the leaf never is.
        if (below > 0 && ctx.path[below].is_self_issued()) continue;
        auto names = detail::subtrees::constrained_names(ctx.path[below], below);
        if (!names) return std::unexpected(names.error());
        for (const auto& name : *names) {
          if (auto ok = check_name(ctx, name, **nc, below, depth); !ok) return ok;
        }
      }
    }
    return {};
  }

 private:
  /// `name` of the certificate at `depth` against the constraints of the CA at `ca_depth`.
  [[nodiscard]] static result<void> check_name(const path_context& ctx, const general_name& name,
                                               const pki::name_constraints& nc, std::size_t depth,
                                               std::size_t ca_depth) {
    std::uint64_t work = 0;
    const auto spend = [&]() -> result<void> {
      if (auto ok = ctx.spend_name_comparisons(std::exchange(work, 0)); !ok)
        return std::unexpected(ok.error().at_depth(static_cast<int>(ca_depth)));
      return {};
    };
    for (const auto& subtree : nc.excluded) {
      if (!detail::subtrees::constrains_form(name, subtree.base)) continue;
      const auto found = detail::subtrees::relation(name, subtree.base, true, work);
      if (auto ok = spend(); !ok) return ok;
      switch (found) {
        case detail::subtrees::verdict::inside:
          return fail_at(depth, errc::name_constraint_violation, "a name lies in an excluded subtree");
        case detail::subtrees::verdict::cannot_tell:
          return fail_at(depth, errc::name_constraint_violation,
                         "a name cannot be checked against an excluded subtree");
        case detail::subtrees::verdict::outside: break;
      }
    }
    bool constrained = false;
    for (const auto& subtree : nc.permitted) {
      if (!detail::subtrees::constrains_form(name, subtree.base)) continue;
      constrained = true;
      const auto found = detail::subtrees::relation(name, subtree.base, false, work);
      if (auto ok = spend(); !ok) return ok;
      switch (found) {
        case detail::subtrees::verdict::inside: return {};
        case detail::subtrees::verdict::cannot_tell:
          return fail_at(depth, errc::name_constraint_violation,
                         "a name cannot be checked against a permitted subtree");
        case detail::subtrees::verdict::outside: break;
      }
    }
    if (constrained)
      return fail_at(depth, errc::name_constraint_violation, "a name lies outside every permitted subtree");
    return {};
  }
};

}  // namespace pki::policy
