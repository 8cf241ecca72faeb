#pragma once
// The shared test hierarchy: certificates that say exactly what a cert_spec says, issued
// in-process with the library's certificate_builder (no files), and the assertions on
// validation results. Every time is fixed (`when` and the periods around it), so nothing
// depends on the clock. Suites that vary one field of one certificate start from
// ca_spec / root_spec / leaf_spec and change it.

#include <boost/test/unit_test.hpp>

#include <pki/issue/authority.hpp>
#include <pki/x509/certificate.hpp>
#include <pki/keys/key.hpp>
#include <pki/validate/trust_store.hpp>
#include <pki/validate/validator.hpp>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/expect.hpp"

namespace pki_test {

using seconds = std::chrono::sys_seconds;

inline seconds at(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d};
}

// Every scenario validates at this instant.
inline const seconds when = at(2026, 6, 1);
inline const pki::validity root_period{at(2020, 1, 1), at(2040, 1, 1)};
inline const pki::validity ca_period{at(2022, 1, 1), at(2031, 1, 1)};
inline const pki::validity leaf_period{at(2026, 1, 1), at(2027, 1, 1)};
// Ended before `when` (on 2026-01-01), and starting after it.
inline const pki::validity ended{at(2024, 1, 1), at(2026, 1, 1)};
inline const pki::validity not_started{at(2026, 9, 1), at(2027, 9, 1)};

inline pki::private_key<> new_key(const pki::key_algorithm& algorithm = pki::ecdsa_p256::id) {
  return value_of(pki::private_key<>::generate(algorithm));
}

inline pki::ip_address ip(std::string_view text) {
  return value_of(pki::ip_address::parse(text));
}

inline pki::ip_network network(std::string_view text) {
  return value_of(pki::ip_network::parse(text));
}

/// What a test certificate says; issue() writes exactly this.
struct cert_spec {
  std::string subject{};
  pki::validity period = leaf_period;
  std::optional<pki::basic_constraints> constraints{};  ///< none: no basicConstraints extension
  std::optional<pki::key_usage> usage{};
  std::optional<pki::extended_key_usage> purposes{};
  std::vector<pki::general_name> sans{};
  std::optional<pki::name_constraints> name_limits{};
  bool ski = true;
  bool aki = true;
  std::optional<pki::hash_algorithm> hash{};
  std::vector<pki::extension> extra{};
};

inline cert_spec ca_spec(std::string subject, std::optional<std::uint32_t> path_len = std::nullopt) {
  return {.subject = std::move(subject),
          .period = ca_period,
          .constraints = pki::basic_constraints{.ca = true, .path_len = path_len},
          .usage = pki::key_usage{pki::key_usage_flag::key_cert_sign | pki::key_usage_flag::crl_sign |
                                  pki::key_usage_flag::digital_signature}};
}

inline cert_spec root_spec(std::string subject = "CN=Test Root CA,O=Acme,C=DE") {
  auto spec = ca_spec(std::move(subject));
  spec.period = root_period;
  return spec;
}

inline cert_spec leaf_spec(std::vector<pki::general_name> sans = {pki::dns_name{"www.example.com"}},
                           std::string subject = "CN=www.example.com,O=Acme,C=DE") {
  return {.subject = std::move(subject),
          .period = leaf_period,
          .constraints = pki::basic_constraints{},
          .usage = pki::key_usage{pki::key_usage_flag::digital_signature},
          .purposes = pki::extended_key_usage::of({pki::extended_key_usage::server_auth}),
          .sans = std::move(sans)};
}

/// A certificate for `subject_key` as `spec` says, issued by `issuer_name` and signed by `issuer_key`.
template <pki::algorithm_tag S, pki::algorithm_tag I>
pki::certificate<> issue(const pki::private_key<S>& subject_key, const pki::distinguished_name& issuer_name,
                         const pki::private_key<I>& issuer_key, const cert_spec& spec) {
  const auto subject_public = value_of(subject_key.public_key());
  const auto issuer_public = value_of(issuer_key.public_key());
  pki::certificate_builder builder;
  builder.subject(dn(spec.subject)).issuer(issuer_name).validity(spec.period).public_key(subject_public);
  if (spec.hash) builder.signature_hash(*spec.hash);
  if (spec.constraints) builder.add(*spec.constraints);
  if (spec.usage) builder.add(*spec.usage);
  if (spec.purposes) builder.add(*spec.purposes);
  if (!spec.sans.empty()) builder.add(pki::subject_alt_name{spec.sans});
  if (spec.name_limits) builder.add(*spec.name_limits);
  if (spec.ski) {
    builder.add(
        value_of(pki::subject_key_identifier::from_public_key_der(value_of(subject_public.to_der()))));
  }
  if (spec.aki) {
    builder.add(
        value_of(pki::authority_key_identifier::from_public_key_der(value_of(issuer_public.to_der()))));
  }
  for (const auto& ext : spec.extra) builder.add_extension(ext);
  return value_of(builder.sign(issuer_key));
}

/// A certificate and its subject's key: what issues the next certificate down.
struct node {
  pki::certificate<> cert;
  pki::private_key<> key;
};

inline node make_root(const cert_spec& spec = root_spec(), pki::private_key<> key = new_key()) {
  auto cert = issue(key, dn(spec.subject), key, spec);
  return {std::move(cert), std::move(key)};
}

inline node make_child(const node& issuer, const cert_spec& spec, pki::private_key<> key = new_key()) {
  auto cert = issue(key, issuer.cert.subject(), issuer.key, spec);
  return {std::move(cert), std::move(key)};
}

/// root -> intermediate -> leaf.
struct three_level {
  node root;
  node inter;
  node leaf;
};

inline three_level make_three_level(const cert_spec& root = root_spec(),
                                    const cert_spec& inter = ca_spec("CN=Test Issuing CA,O=Acme,C=DE"),
                                    const cert_spec& leaf = leaf_spec()) {
  auto r = make_root(root);
  auto i = make_child(r, inter);
  auto l = make_child(i, leaf);
  return {std::move(r), std::move(i), std::move(l)};
}

/// One hierarchy shared by the tests that only vary the leaf (or what is below the root).
inline const three_level& shared() {
  static const three_level h = make_three_level();
  return h;
}

inline pki::trust_store anchors_of(std::initializer_list<pki::certificate<>> certs) {
  pki::trust_store store;
  for (const auto& cert : certs) store.add(cert);
  return store;
}

inline const pki::validation_options at_when{.time = when};

inline pki::validation_options for_peer(pki::peer_name peer) {
  return {.peer = std::move(peer), .time = when};
}

/// The result failed with exactly `code` at exactly `depth`.
template <class T>
void expect_failure(const pki::result<T>& r, pki::errc code, int depth) {
  expect_error(r, code);
  BOOST_TEST(r.error().depth() == depth,
             "expected depth " << depth << ", got " << r.error().depth() << ": " << r.error().message());
}

/// The result is a path of exactly `expected`, leaf first.
template <std::size_t N>
void expect_path(const pki::result<pki::chain<N>>& r, const std::vector<pki::certificate<>>& expected) {
  BOOST_REQUIRE_MESSAGE(r.has_value(), pki_test::error_text(r));
  BOOST_TEST_REQUIRE(r->size() == expected.size());
  for (std::size_t d = 0; d < expected.size(); ++d) {
    BOOST_TEST(((*r)[d] == expected[d]), "depth " << d << ": expected " << expected[d].subject().to_string()
                                                  << ", got " << (*r)[d].subject().to_string());
  }
}

}  // namespace pki_test
