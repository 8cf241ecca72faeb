// Issuance profiles on their own, without a CA: for each profile, exactly the extensions
// it writes (basic constraints, key usage by key type, extended key usage, the subject
// alternative names it copies, critical when the subject is empty), its longest validity,
// and each request it refuses with profile_violation (or parse_failed for a malformed
// extension in the request). The authority suite checks that a CA applies them.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/expect.hpp"

using pki::errc;
using pki::key_usage_flag;
using pki_test::dn;
using pki_test::expect_error;
using pki_test::value_of;
namespace profile = pki::profile;

namespace {

/// What a request asks for: its subject, its key's algorithm and the extensions listed.
struct asked {
  pki::distinguished_name subject = dn("CN=subject,O=Acme");
  pki::key_algorithm key = pki::ecdsa_p256::id;
  pki::extension_list requested{};

  template <class Extension>
  asked& with(const Extension& ext) {
    BOOST_REQUIRE(requested.add(ext).has_value());
    return *this;
  }
  asked& with_sans(std::vector<pki::general_name> names) { return with(pki::subject_alt_name{std::move(names)}); }

  template <pki::issuance_profile P>
  [[nodiscard]] pki::result<pki::extension_list> under(const P& p) const {
    return p.extensions(pki::issuance_request{subject, key, requested});
  }
};

pki::ip_address ip(std::string_view text) {
  return value_of(pki::ip_address::parse(text));
}

pki::object_identifier oid(std::string_view dotted) {
  return value_of(pki::object_identifier::parse(dotted));
}

template <class Extension>
Extension get(const pki::extension_list& list) {
  auto found = value_of(list.get<Extension>());
  BOOST_REQUIRE_MESSAGE(found.has_value(), "the extension is missing");
  return *found;
}

template <class Extension>
bool critical(const pki::extension_list& list) {
  const auto* ext = list.find(Extension::oid_content);
  BOOST_REQUIRE(ext != nullptr);
  return ext->critical;
}

constexpr auto ca_usage = key_usage_flag::key_cert_sign | key_usage_flag::crl_sign | key_usage_flag::digital_signature;

// A profile of one's own is any type with these two members.
struct code_signing {
  [[nodiscard]] std::chrono::seconds max_validity() const noexcept { return std::chrono::days(3 * 365); }
  [[nodiscard]] pki::result<pki::extension_list> extensions(const pki::issuance_request&) const {
    pki::extension_list out;
    if (auto ok = out.add(pki::extended_key_usage::of({pki::extended_key_usage::code_signing})); !ok)
      return std::unexpected(ok.error());
    return out;
  }
};
struct without_validity {
  [[nodiscard]] pki::result<pki::extension_list> extensions(const pki::issuance_request&) const { return {}; }
};
static_assert(pki::issuance_profile<code_signing>);
static_assert(!pki::issuance_profile<without_validity>);
static_assert(!pki::issuance_profile<int>);

}  // namespace

BOOST_AUTO_TEST_SUITE(ca_profiles)

BOOST_AUTO_TEST_CASE(root_ca_writes_ca_true_without_a_path_length_and_ca_key_usage) {
  const auto out = value_of(asked{}.under(profile::root_ca{}));
  BOOST_TEST(out.size() == 2U);
  const auto bc = get<pki::basic_constraints>(out);
  BOOST_TEST(bc.ca);
  BOOST_TEST(!bc.path_len.has_value());
  BOOST_TEST((get<pki::key_usage>(out).flags == ca_usage));
  BOOST_TEST(critical<pki::basic_constraints>(out));
  BOOST_TEST(critical<pki::key_usage>(out));
  BOOST_TEST(!value_of(out.get<pki::extended_key_usage>()).has_value());
}

BOOST_AUTO_TEST_CASE(root_ca_writes_the_path_length_it_is_given) {
  const auto out = value_of(asked{}.under(profile::root_ca{.path_len = 2}));
  BOOST_TEST((get<pki::basic_constraints>(out).path_len == std::optional<std::uint32_t>(2)));
}

BOOST_AUTO_TEST_CASE(intermediate_ca_issues_only_end_entities_unless_told) {
  const auto out = value_of(asked{}.under(profile::intermediate_ca{}));
  BOOST_TEST((get<pki::basic_constraints>(out).path_len == std::optional<std::uint32_t>(0)));
  BOOST_TEST((get<pki::key_usage>(out).flags == ca_usage));
  const auto unbounded = value_of(asked{}.under(profile::intermediate_ca{.path_len = std::nullopt}));
  BOOST_TEST(!get<pki::basic_constraints>(unbounded).path_len.has_value());
}

BOOST_AUTO_TEST_CASE(ca_profiles_accept_a_request_for_ca_true_and_ca_usages) {
  asked request;
  request.with(pki::basic_constraints{.ca = true, .path_len = 5})
      .with(pki::key_usage{key_usage_flag::key_cert_sign | key_usage_flag::crl_sign});
  const auto out = value_of(request.under(profile::intermediate_ca{}));
  // The profile's path length wins over the one asked for.
  BOOST_TEST((get<pki::basic_constraints>(out).path_len == std::optional<std::uint32_t>(0)));
}

BOOST_AUTO_TEST_CASE(ca_profiles_refuse_usages_beyond_certificate_and_crl_signing) {
  asked request;
  request.with(pki::key_usage{key_usage_flag::key_cert_sign | key_usage_flag::key_encipherment});
  expect_error(request.under(profile::root_ca{}), errc::profile_violation);
  expect_error(request.under(profile::intermediate_ca{}), errc::profile_violation);
}

BOOST_AUTO_TEST_CASE(ca_profiles_grant_no_extended_key_usage_and_no_names) {
  asked eku;
  eku.with(pki::extended_key_usage::of({pki::extended_key_usage::server_auth}));
  expect_error(eku.under(profile::intermediate_ca{}), errc::profile_violation);
  asked san;
  san.with_sans({pki::dns_name{"ca.example"}});
  expect_error(san.under(profile::root_ca{}), errc::profile_violation);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tls_server)

BOOST_AUTO_TEST_CASE(writes_server_auth_the_keys_usage_and_the_names_asked_for) {
  asked request;
  request.with_sans({pki::dns_name{"www.example"}, ip("192.0.2.1")});
  const auto out = value_of(request.under(profile::tls_server{}));
  BOOST_TEST(out.size() == 4U);
  const auto bc = get<pki::basic_constraints>(out);
  BOOST_TEST(!bc.ca);
  BOOST_TEST((get<pki::key_usage>(out).flags == key_usage_flag::digital_signature));
  const auto eku = get<pki::extended_key_usage>(out);
  BOOST_TEST(eku.purposes.size() == 1U);
  BOOST_TEST(eku.has(pki::extended_key_usage::server_auth));
  BOOST_TEST(pki::to_string(get<pki::subject_alt_name>(out).names) == "DNS:www.example, IP Address:192.0.2.1");
  BOOST_TEST(!critical<pki::subject_alt_name>(out));
}

BOOST_AUTO_TEST_CASE(an_rsa_key_also_gets_key_encipherment) {
  asked request;
  request.key = pki::rsa<2048>::id;
  request.with_sans({pki::dns_name{"www.example"}});
  const auto out = value_of(request.under(profile::tls_server{}));
  BOOST_TEST(
      (get<pki::key_usage>(out).flags == (key_usage_flag::digital_signature | key_usage_flag::key_encipherment)));
}

BOOST_AUTO_TEST_CASE(the_names_are_critical_when_the_subject_is_empty) {
  asked request;
  request.subject = pki::distinguished_name{};
  request.with_sans({pki::dns_name{"www.example"}});
  BOOST_TEST(critical<pki::subject_alt_name>(value_of(request.under(profile::tls_server{}))));
}

BOOST_AUTO_TEST_CASE(refuses_a_request_without_names) {
  expect_error(asked{}.under(profile::tls_server{}), errc::profile_violation);
}

BOOST_AUTO_TEST_CASE(refuses_names_other_than_dns_and_ip) {
  for (const pki::general_name& name :
       std::vector<pki::general_name>{pki::email_address{"a@example.com"}, pki::uri_name{"https://example.com/"},
                                      dn("CN=dir"), pki::registered_id{oid("1.2.3.4")},
                                      pki::other_name{oid("1.2.3.4"), {0x05, 0x00}}}) {
    BOOST_TEST_CONTEXT(pki::to_string(name)) {
      asked request;
      request.with_sans({pki::dns_name{"www.example"}, name});
      expect_error(request.under(profile::tls_server{}), errc::profile_violation);
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_what_a_server_certificate_is_not_for) {
  asked ca;
  ca.with_sans({pki::dns_name{"www.example"}}).with(pki::basic_constraints{.ca = true});
  expect_error(ca.under(profile::tls_server{}), errc::profile_violation);
  asked signing;
  signing.with_sans({pki::dns_name{"www.example"}}).with(pki::key_usage{key_usage_flag::key_cert_sign});
  expect_error(signing.under(profile::tls_server{}), errc::profile_violation);
  asked client;
  client.with_sans({pki::dns_name{"www.example"}})
      .with(pki::extended_key_usage::of({pki::extended_key_usage::server_auth, pki::extended_key_usage::client_auth}));
  expect_error(client.under(profile::tls_server{}), errc::profile_violation);
  // key_encipherment is granted only to RSA keys.
  asked encipher;
  encipher.with_sans({pki::dns_name{"www.example"}}).with(pki::key_usage{key_usage_flag::key_encipherment});
  expect_error(encipher.under(profile::tls_server{}), errc::profile_violation);
  encipher.key = pki::rsa<2048>::id;
  BOOST_TEST(encipher.under(profile::tls_server{}).has_value());
}

BOOST_AUTO_TEST_CASE(accepts_what_it_would_grant_anyway) {
  asked request;
  request.with_sans({pki::dns_name{"www.example"}})
      .with(pki::basic_constraints{})
      .with(pki::key_usage{key_usage_flag::digital_signature})
      .with(pki::extended_key_usage::of({pki::extended_key_usage::server_auth}));
  BOOST_TEST(value_of(request.under(profile::tls_server{})).size() == 4U);
}

BOOST_AUTO_TEST_CASE(extensions_it_does_not_know_are_not_copied) {
  asked request;
  request.with_sans({pki::dns_name{"www.example"}});
  BOOST_REQUIRE(request.requested.add(pki::extension{oid("1.3.6.1.4.1.99999.1"), false, {0x05, 0x00}}).has_value());
  const auto out = value_of(request.under(profile::tls_server{}));
  BOOST_TEST(out.size() == 4U);
  BOOST_TEST(out.find(oid("1.3.6.1.4.1.99999.1")) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tls_client)

BOOST_AUTO_TEST_CASE(writes_client_auth_and_needs_no_names) {
  const auto out = value_of(asked{}.under(profile::tls_client{}));
  BOOST_TEST(out.size() == 3U);
  const auto eku = get<pki::extended_key_usage>(out);
  BOOST_TEST(eku.has(pki::extended_key_usage::client_auth));
  BOOST_TEST(!eku.has(pki::extended_key_usage::server_auth));
  BOOST_TEST(!value_of(out.get<pki::subject_alt_name>()).has_value());
}

BOOST_AUTO_TEST_CASE(copies_dns_email_and_uri_names) {
  asked request;
  request.with_sans({pki::dns_name{"c.example"}, pki::email_address{"ops@example.com"}, pki::uri_name{"urn:dev:1"}});
  const auto out = value_of(request.under(profile::tls_client{}));
  BOOST_TEST(get<pki::subject_alt_name>(out).names.size() == 3U);
}

BOOST_AUTO_TEST_CASE(refuses_ip_names_and_server_auth) {
  asked address;
  address.with_sans({ip("192.0.2.1")});
  expect_error(address.under(profile::tls_client{}), errc::profile_violation);
  asked server;
  server.with(pki::extended_key_usage::of({pki::extended_key_usage::server_auth}));
  expect_error(server.under(profile::tls_client{}), errc::profile_violation);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(device_identity)

BOOST_AUTO_TEST_CASE(needs_a_serial_number_in_the_subject) {
  expect_error(asked{}.under(profile::device_identity{}), errc::profile_violation);
  asked device;
  device.subject = dn("CN=sensor,serialNumber=SN-0042");
  const auto out = value_of(device.under(profile::device_identity{}));
  BOOST_TEST(get<pki::extended_key_usage>(out).has(pki::extended_key_usage::client_auth));
  BOOST_TEST((get<pki::key_usage>(out).flags == key_usage_flag::digital_signature));
}

BOOST_AUTO_TEST_CASE(copies_hardware_module_names_and_registered_ids) {
  asked device;
  device.subject = dn("serialNumber=SN-0042");
  const pki::general_name hmn = pki::other_name{oid("1.3.6.1.5.5.7.8.4"), {0x30, 0x03, 0x06, 0x01, 0x2A}};
  device.with_sans({hmn, pki::registered_id{oid("1.3.6.1.4.1.99999.7")}, pki::uri_name{"urn:dev:sn-0042"}});
  const auto names = get<pki::subject_alt_name>(value_of(device.under(profile::device_identity{}))).names;
  BOOST_REQUIRE(names.size() == 3U);
  BOOST_TEST((names[0] == hmn));
}

BOOST_AUTO_TEST_CASE(refuses_ip_and_email_names) {
  for (const pki::general_name& name : std::vector<pki::general_name>{ip("192.0.2.1"), pki::email_address{"a@b.c"}}) {
    BOOST_TEST_CONTEXT(pki::to_string(name)) {
      asked device;
      device.subject = dn("serialNumber=SN-0042");
      device.with_sans({name});
      expect_error(device.under(profile::device_identity{}), errc::profile_violation);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(every_profile)

BOOST_AUTO_TEST_CASE(longest_validities_are_the_documented_defaults_and_configurable) {
  using std::chrono::days;
  BOOST_TEST((profile::root_ca{}.max_validity() == days(25 * 365)));
  BOOST_TEST((profile::intermediate_ca{}.max_validity() == days(10 * 365)));
  BOOST_TEST((profile::tls_server{}.max_validity() == days(398)));
  BOOST_TEST((profile::tls_client{}.max_validity() == days(398)));
  BOOST_TEST((profile::device_identity{}.max_validity() == days(30 * 365)));
  BOOST_TEST((profile::tls_server{.validity_limit = days(90)}.max_validity() == days(90)));
}

BOOST_AUTO_TEST_CASE(a_malformed_extension_in_the_request_is_parse_failed) {
  for (const auto& [name, oid_content] : {std::pair{"basicConstraints", pki::basic_constraints::oid_content},
                                          std::pair{"keyUsage", pki::key_usage::oid_content},
                                          std::pair{"extKeyUsage", pki::extended_key_usage::oid_content},
                                          std::pair{"subjectAltName", pki::subject_alt_name::oid_content}}) {
    BOOST_TEST_CONTEXT(name) {
      asked request;
      request.subject = dn("CN=x,serialNumber=1");
      BOOST_REQUIRE(
          request.requested.add(pki::extension{pki::object_identifier::from_trusted(oid_content), false, {0x05, 0x00}})
              .has_value());
      expect_error(request.under(profile::tls_client{}), errc::parse_failed);
      expect_error(request.under(profile::root_ca{}), errc::parse_failed);
      expect_error(request.under(profile::device_identity{}), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_users_profile_decides_alone) {
  const auto out = value_of(asked{}.under(code_signing{}));
  BOOST_TEST(out.size() == 1U);
  BOOST_TEST(get<pki::extended_key_usage>(out).has(pki::extended_key_usage::code_signing));
}

BOOST_AUTO_TEST_SUITE_END()
