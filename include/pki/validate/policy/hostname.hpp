#pragma once
// policy::hostname — RFC 6125 / RFC 9525: the leaf must name the peer the caller expects
// (validation_options::peer). A host name matches a dNSName of the subjectAltName, ignoring
// case; a wildcard stands for one whole leftmost label only ("*.example.com" matches
// "a.example.com", not "example.com" nor "a.b.example.com"; "f*.example.com" matches
// nothing). An IP address — given as ip_address, or as a dns_name that is an address
// literal — matches an iPAddress entry byte for byte, never a dNSName. The subject's
// common name is never used. With no peer given there is nothing to check.

#include <algorithm>
#include <string_view>
#include <variant>
#include <vector>

#include <type_traits>
#include "../../x509/detail/dns.hpp"

#include "../../x509/general_name.hpp"
#include "policy.hpp"

namespace pki::policy {

struct hostname : rule {
  [[nodiscard]] result<void> check(const path_context& ctx, std::size_t depth) const {
    if (depth != 0 || std::holds_alternative<std::monostate>(ctx.options->peer)) return {};
    const auto& san = ctx.path[0].subject_alt_name();
    if (!san) return fail_at(0, errc::nonconforming, "a malformed subject alternative name");
    if (!*san)
      return fail_at(0, errc::name_mismatch, "no subject alternative name (the common name is not used)");
    const auto& names = (*san)->names;
    if (const auto* ip = std::get_if<ip_address>(&ctx.options->peer)) return match_address(names, *ip);
    const std::string_view peer = std::get<dns_name>(ctx.options->peer).value;
    if (auto literal = ip_address::parse(peer))
      return match_address(names, *literal);  // "10.0.0.1" is an address
    auto host = dns_name::host(peer);         // "example.com." is "example.com"
    if (!host) return fail_at(0, errc::invalid_argument, "the expected host name is not a valid DNS name");
    const bool found = std::ranges::any_of(names, [&](const general_name& n) {
      const auto* d = std::get_if<dns_name>(&n);
      return d != nullptr && detail::dns::matches(d->value, host->value);
    });
    if (!found) return fail_at(0, errc::name_mismatch, "the host name is not among the certificate's");
    return {};
  }

 private:
  [[nodiscard]] static result<void> match_address(const std::vector<general_name>& names,
                                                  const ip_address& ip) {
    const bool found = std::ranges::any_of(names, [&](const general_name& n) {
      const auto* a = std::get_if<ip_address>(&n);
      return a != nullptr && std::ranges::equal(a->bytes(), ip.bytes());
    });
    if (!found) return fail_at(0, errc::name_mismatch, "the IP address is not among the certificate's");
    return {};
  }
};

/// True when a policy (a rule, or policies<...> at any depth) has the hostname rule: a
/// TLS client under it must say which peer it expects (tls::session::client).
template <class Policy>
struct checks_host_name : std::false_type {};
template <>
struct checks_host_name<hostname> : std::true_type {};
template <class... Rules>
struct checks_host_name<policies<Rules...>> : std::bool_constant<(checks_host_name<Rules>::value || ...)> {};

}  // namespace pki::policy
