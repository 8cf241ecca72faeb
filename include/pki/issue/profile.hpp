#pragma once
// Issuance profiles: what a certificate authority puts in a certificate it issues
// (basic constraints, key usage, extended key usage, which subject alternative names
// it copies from the request) and the longest validity it grants. A profile refuses
// a request that asks for more (CA:TRUE under tls_server is an error, not silently
// dropped). A user's own profile is any type that satisfies issuance_profile.

#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <variant>

#include "../core/error.hpp"
#include "../keys/algorithm.hpp"
#include "../x509/extensions.hpp"
#include "../x509/general_name.hpp"
#include "../x509/name.hpp"

namespace pki {

/// What a profile sees of a request: the subject, its key, the extensions it asks for.
struct issuance_request {
  const distinguished_name& subject;
  const key_algorithm& key;
  const extension_list& requested;
};

/// A type that decides the extensions of an issued certificate (the CA adds the key
/// identifiers) and bounds its validity.
template <class P>
concept issuance_profile = requires(const P& p, const issuance_request& request) {
  { p.extensions(request) } -> std::same_as<result<extension_list>>;
  { p.max_validity() } -> std::convertible_to<std::chrono::seconds>;
};

namespace detail::issuance {

/// Which SAN types a profile copies from a request.
struct san_policy {
  bool dns = false;
  bool ip = false;
  bool email = false;
  bool uri = false;
  bool other = false;  ///< otherName and registeredID (device identities)

  [[nodiscard]] bool allows(const general_name& name) const noexcept {
    if (std::holds_alternative<dns_name>(name)) return dns;
    if (std::holds_alternative<ip_address>(name)) return ip;
    if (std::holds_alternative<email_address>(name)) return email;
    if (std::holds_alternative<uri_name>(name)) return uri;
    if (std::holds_alternative<other_name>(name) || std::holds_alternative<registered_id>(name)) return other;
    return false;
  }
};

/// The key usages a key of this type needs for TLS-style authentication.
[[nodiscard]] constexpr key_usage_flag signing_usage(const key_algorithm& key) noexcept {
  return key.type == key_type::rsa ? key_usage_flag::digital_signature | key_usage_flag::key_encipherment
                                   : key_usage_flag::digital_signature;
}

/// The common part of every profile: checks what the request asks for against what
/// the profile grants, then writes the granted extensions.
struct grant {
  bool ca = false;
  std::optional<std::uint32_t> path_len{};
  key_usage_flag usage{};
  std::vector<std::string_view> purposes{};  ///< EKU OIDs (content octets); none: no EKU
  san_policy sans{};
  bool san_required = false;

  [[nodiscard]] result<extension_list> apply(const issuance_request& request) const {
    auto san = check_request(request);
    if (!san) return std::unexpected(san.error());
    extension_list out;
    if (auto ok = out.add(basic_constraints{.ca = ca, .path_len = ca ? path_len : std::nullopt}); !ok) {
      return std::unexpected(ok.error());
    }
    if (auto ok = out.add(key_usage{usage}); !ok) return std::unexpected(ok.error());
    if (!purposes.empty()) {
      extended_key_usage eku;
      for (auto p : purposes) eku.purposes.push_back(object_identifier::from_trusted(p));
      if (auto ok = out.add(eku); !ok) return std::unexpected(ok.error());
    }
    if (*san && !(*san)->names.empty()) {
      // RFC 5280 4.2.1.6: critical when the subject is empty.
      if (auto ok = out.add(**san, request.subject.empty()); !ok) return std::unexpected(ok.error());
    }
    return out;
  }

  /// Refuses what the request asks for beyond this grant; returns its decoded SAN.
  [[nodiscard]] result<std::optional<subject_alt_name>> check_request(const issuance_request& request) const {
    auto bc = request.requested.get<basic_constraints>();
    if (!bc) return std::unexpected(bc.error());
    if (*bc && (*bc)->ca && !ca) return fail(errc::profile_violation, "the request asks for CA:TRUE");
    auto ku = request.requested.get<key_usage>();
    if (!ku) return std::unexpected(ku.error());
    if (*ku && (static_cast<std::uint16_t>((*ku)->flags) & ~static_cast<std::uint16_t>(usage)) != 0) {
      return fail(errc::profile_violation, "the request asks for key usages the profile does not grant");
    }
    auto eku = request.requested.get<extended_key_usage>();
    if (!eku) return std::unexpected(eku.error());
    if (*eku) {
      for (const auto& asked : (*eku)->purposes) {
        bool granted = false;
        for (auto p : purposes) granted = granted || asked == p;
        if (!granted)
          return fail(errc::profile_violation, "the request asks for an extended key usage not granted");
      }
    }
    auto san = request.requested.get<subject_alt_name>();
    if (!san) return std::unexpected(san.error());
    if (*san) {
      for (const auto& name : (*san)->names) {
        if (!sans.allows(name))
          return fail(errc::profile_violation, "the request has a SAN type the profile forbids");
      }
    }
    if (san_required && (!*san || (*san)->names.empty())) {
      return fail(errc::profile_violation, "the profile needs a subject alternative name");
    }
    return std::move(*san);
  }
};

/// What every CA profile grants: cA with an optional path length, certificate and CRL signing.
[[nodiscard]] inline grant ca_grant(std::optional<std::uint32_t> path_len) {
  return grant{
      .ca = true,
      .path_len = path_len,
      .usage = key_usage_flag::key_cert_sign | key_usage_flag::crl_sign | key_usage_flag::digital_signature};
}

}  // namespace detail::issuance

namespace profile {

using namespace std::chrono_literals;

/// A self-signed trust anchor.
struct root_ca {
  std::optional<std::uint32_t> path_len{};
  std::chrono::seconds validity_limit = std::chrono::days(25 * 365);

  [[nodiscard]] std::chrono::seconds max_validity() const noexcept { return validity_limit; }
  [[nodiscard]] result<extension_list> extensions(const issuance_request& request) const {
    return detail::issuance::ca_grant(path_len).apply(request);
  }
};

/// A CA under another; path_len 0 lets it issue only end-entity certificates.
struct intermediate_ca {
  std::optional<std::uint32_t> path_len = 0;
  std::chrono::seconds validity_limit = std::chrono::days(10 * 365);

  [[nodiscard]] std::chrono::seconds max_validity() const noexcept { return validity_limit; }
  [[nodiscard]] result<extension_list> extensions(const issuance_request& request) const {
    return detail::issuance::ca_grant(path_len).apply(request);
  }
};

/// A TLS server (CA/Browser Forum style): serverAuth, DNS and IP names, at most 398 days.
struct tls_server {
  std::chrono::seconds validity_limit = std::chrono::days(398);

  [[nodiscard]] std::chrono::seconds max_validity() const noexcept { return validity_limit; }
  [[nodiscard]] result<extension_list> extensions(const issuance_request& request) const {
    return detail::issuance::grant{.usage = detail::issuance::signing_usage(request.key),
                         .purposes = {extended_key_usage::server_auth},
                         .sans = {.dns = true, .ip = true},
                         .san_required = true}
        .apply(request);
  }
};

/// A TLS client: clientAuth; DNS, email and URI names; at most 398 days.
struct tls_client {
  std::chrono::seconds validity_limit = std::chrono::days(398);

  [[nodiscard]] std::chrono::seconds max_validity() const noexcept { return validity_limit; }
  [[nodiscard]] result<extension_list> extensions(const issuance_request& request) const {
    return detail::issuance::grant{.usage = detail::issuance::signing_usage(request.key),
                         .purposes = {extended_key_usage::client_auth},
                         .sans = {.dns = true, .email = true, .uri = true}}
        .apply(request);
  }
};

/// An IEEE 802.1AR-style device identity (DevID): the subject carries the device's
/// serialNumber; clientAuth for mutual TLS; URI, DNS and otherName (hardwareModuleName)
/// SANs; long-lived (at most 30 years), as devices outlive TLS server certificates.
struct device_identity {
  std::chrono::seconds validity_limit = std::chrono::days(30 * 365);

  [[nodiscard]] std::chrono::seconds max_validity() const noexcept { return validity_limit; }
  [[nodiscard]] result<extension_list> extensions(const issuance_request& request) const {
    if (request.subject.values(attribute::serial_number.oid()).empty()) {
      return fail(errc::profile_violation, "a device identity's subject needs a serialNumber");
    }
    return detail::issuance::grant{.usage = detail::issuance::signing_usage(request.key),
                         .purposes = {extended_key_usage::client_auth},
                         .sans = {.dns = true, .uri = true, .other = true}}
        .apply(request);
  }
};

static_assert(issuance_profile<root_ca> && issuance_profile<intermediate_ca> &&
              issuance_profile<tls_server> && issuance_profile<tls_client> &&
              issuance_profile<device_identity>);

}  // namespace profile
}  // namespace pki
