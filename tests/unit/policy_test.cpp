// policy::certificate_policies (RFC 5280 6.1 policy processing with RFC 9618's graph): each
// scenario builds root -> CAs -> leaf in-process with the policy extensions it needs and
// asserts the exact errc and the depth to blame (0 = the leaf), or the exact policy sets.

#include <boost/test/unit_test.hpp>

#include <pki/issue/authority.hpp>
#include <pki/issue/profile.hpp>
#include <pki/validate/policy/certificate_policies.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/validator.hpp>
#include <pki/x509/extensions.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/der.hpp"
#include "support/expect.hpp"
#include "support/hierarchy.hpp"

using pki::errc;
using pki_test::value_of;
namespace policy = pki::policy;
using namespace pki_test;

namespace {

using policy_validator = pki::validator<policy::rfc5280>;  // rfc5280_path holds the policy rule

pki::object_identifier oid(std::string_view dotted) {
  return value_of(pki::object_identifier::parse(dotted));
}

const std::string p1 = "1.3.6.1.4.1.55555.1.1";
const std::string p2 = "1.3.6.1.4.1.55555.1.2";
const std::string p3 = "1.3.6.1.4.1.55555.1.3";
const std::string q1 = "1.3.6.1.4.1.55555.2.1";
const std::string r1 = "1.3.6.1.4.1.55555.3.1";
const std::string any = "2.5.29.32.0";

pki::extension policies(std::initializer_list<std::string_view> oids, bool critical = false) {
  pki::certificate_policies cp;
  for (const auto o : oids) cp.policies.push_back({oid(o), {}});
  return value_of(pki::to_extension(cp, critical));
}

pki::extension mappings(std::initializer_list<std::pair<std::string_view, std::string_view>> pairs) {
  pki::policy_mappings pm;
  for (const auto& [from, to] : pairs) pm.mappings.push_back({oid(from), oid(to)});
  return value_of(pki::to_extension(pm));
}

pki::extension constraints(std::optional<std::uint32_t> require, std::optional<std::uint32_t> inhibit) {
  return value_of(pki::to_extension(pki::policy_constraints{require, inhibit}));
}

pki::extension inhibit_any(std::uint32_t skip) {
  return value_of(pki::to_extension(pki::inhibit_any_policy{skip}));
}

/// One CA of a test path: its extensions, and whether it is self-issued (named as its issuer).
struct ca_level {
  std::vector<pki::extension> extra{};
  bool self_issued = false;
};

/// root -> cas... -> leaf; certs[0] the leaf, certs.back() the root.
struct built_path {
  std::vector<node> nodes;  ///< root first
  pki::certificate<> leaf;

  [[nodiscard]] std::vector<pki::certificate<>> intermediates() const {
    std::vector<pki::certificate<>> out;
    for (std::size_t i = 1; i < nodes.size(); ++i) out.push_back(nodes[i].cert);
    return out;
  }
};

built_path build(const std::vector<ca_level>& cas, std::vector<pki::extension> leaf_extra,
                 std::vector<pki::extension> root_extra = {}) {
  std::vector<node> nodes;
  auto root = root_spec();
  root.extra = std::move(root_extra);
  nodes.push_back(make_root(root));
  for (std::size_t i = 0; i < cas.size(); ++i) {
    const std::string subject = cas[i].self_issued ? nodes.back().cert.subject().to_string()
                                                   : "CN=Policy CA " + std::to_string(i + 1) + ",O=Acme,C=DE";
    auto spec = ca_spec(subject);
    spec.extra = cas[i].extra;
    nodes.push_back(make_child(nodes.back(), spec));
  }
  auto leaf = leaf_spec();
  leaf.extra = std::move(leaf_extra);
  auto leaf_cert = make_child(nodes.back(), leaf).cert;
  return {std::move(nodes), std::move(leaf_cert)};
}

struct policy_inputs {
  std::vector<pki::object_identifier> user{};
  bool explicit_policy = false;
  bool inhibit_mapping = false;
  bool inhibit_any = false;
  unsigned budget = pki::validation_budget{}.policy_nodes;
};

pki::validation_options options_of(const policy_inputs& in) {
  pki::validation_options options{.time = when};
  options.user_initial_policy_set = in.user;
  options.initial_explicit_policy = in.explicit_policy;
  options.initial_policy_mapping_inhibit = in.inhibit_mapping;
  options.initial_any_policy_inhibit = in.inhibit_any;
  options.budget.policy_nodes = in.budget;
  return options;
}

pki::result<pki::chain<>> verify(const built_path& path, const policy_inputs& in) {
  const policy_validator v{anchors_of({path.nodes.front().cert})};
  return v.verify(path.leaf, path.intermediates(), options_of(in));
}

/// The policy sets of the validated path (which must validate).
policy::policy_sets sets_of(const built_path& path, const policy_inputs& in) {
  const auto chain = verify(path, in);
  BOOST_REQUIRE_MESSAGE(chain.has_value(), error_text(chain));
  return value_of(policy::certificate_policies::evaluate(*chain, options_of(in)));
}

std::vector<std::string> dotted(const std::vector<pki::object_identifier>& oids) {
  std::vector<std::string> out;
  for (const auto& o : oids) out.push_back(o.to_string());
  return out;
}

void expect_set(const std::vector<pki::object_identifier>& got, std::vector<std::string> expected) {
  std::ranges::sort(expected);
  auto text = dotted(got);
  std::ranges::sort(text);
  BOOST_TEST(text == expected, boost::test_tools::per_element());
}

/// A user's issuance profile: `Base`'s extensions and the policy extensions `extra`, the way
/// a CA writes certificatePolicies, policyMappings and the rest (the library's profiles
/// write none; the profile concept is the hook).
template <class Base>
struct with_policy_extensions {
  Base base{};
  std::vector<pki::extension> extra{};

  [[nodiscard]] std::chrono::seconds max_validity() const noexcept { return base.max_validity(); }
  [[nodiscard]] pki::result<pki::extension_list> extensions(const pki::issuance_request& request) const {
    auto out = base.extensions(request);
    if (!out) return out;
    for (const auto& ext : extra) {
      if (auto ok = out->add(ext); !ok) return std::unexpected(ok.error());
    }
    return out;
  }
};
static_assert(pki::issuance_profile<with_policy_extensions<pki::profile::intermediate_ca>>);

}  // namespace

BOOST_AUTO_TEST_SUITE(policy_extensions)

BOOST_AUTO_TEST_CASE(policy_mappings_round_trip_and_refuse_any_policy) {
  const pki::policy_mappings pm{{{oid(p1), oid(q1)}, {oid(p2), oid(q1)}}};
  const auto der = value_of(pm.to_der());
  BOOST_TEST((value_of(pki::policy_mappings::from_der(der)) == pm));
  BOOST_TEST(pm.to_string() == p1 + ":" + q1 + "\n" + p2 + ":" + q1);
  BOOST_TEST(pki::policy_mappings::oid().to_string() == "2.5.29.33");
  expect_error(pki::policy_mappings{}.to_der(), errc::invalid_argument);
  expect_error(pki::policy_mappings{{{oid(p1), oid(any)}}}.to_der(), errc::invalid_argument);
  expect_error(pki::policy_mappings{{{oid(any), oid(p1)}}}.to_der(), errc::invalid_argument);
  expect_error(
      pki::policy_mappings::from_der(pki_test::der::constructed(std::vector<pki_test::der::bytes>{})),
      errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(policy_constraints_round_trip_and_refuse_empty_or_huge) {
  for (const auto& pc : {pki::policy_constraints{0, std::nullopt}, pki::policy_constraints{std::nullopt, 7},
                         pki::policy_constraints{3, 300}}) {
    BOOST_TEST((value_of(pki::policy_constraints::from_der(value_of(pc.to_der()))) == pc));
  }
  const auto expected = pki_test::der::constructed(std::vector{
      pki_test::der::tlv(0x80, pki::byte_buffer{0}), pki_test::der::tlv(0x81, pki::byte_buffer{1})});
  const auto encoded = value_of(pki::policy_constraints{0, 1}.to_der());
  BOOST_TEST(encoded == expected, boost::test_tools::per_element());
  BOOST_TEST(
      (pki::policy_constraints{0, 1}.to_string() == "Require Explicit Policy:0, Inhibit Policy Mapping:1"));
  expect_error(pki::policy_constraints{}.to_der(), errc::invalid_argument);
  expect_error(pki::policy_constraints::from_der(pki::byte_buffer{0x30, 0x00}), errc::parse_failed);
  // 2^32: more than any SkipCerts a path can use.
  expect_error(pki::policy_constraints::from_der(pki::byte_buffer{0x30, 0x07, 0x80, 0x05, 1, 0, 0, 0, 0}),
               errc::parse_failed);
  expect_error(pki::policy_constraints::from_der(pki::byte_buffer{0x30, 0x03, 0x80, 0x01, 0xFF}),
               errc::parse_failed);  // negative
}

BOOST_AUTO_TEST_CASE(inhibit_any_policy_round_trips) {
  const auto der = value_of(pki::inhibit_any_policy{200}.to_der());
  BOOST_TEST(value_of(pki::inhibit_any_policy::from_der(der)).skip_certs == 200U);
  BOOST_TEST(pki::inhibit_any_policy::oid().to_string() == "2.5.29.54");
  expect_error(pki::inhibit_any_policy::from_der(pki::byte_buffer{0x02, 0x01, 0x80}), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(certificate_accessors_decode_the_extensions) {
  const auto path = build({{{mappings({{p1, q1}}), constraints(1, 2), inhibit_any(0)}}}, {});
  const auto& ca = path.nodes[1].cert;
  BOOST_TEST(value_of(ca.policy_mappings())->mappings.size() == 1U);
  BOOST_TEST((value_of(ca.policy_constraints())->inhibit_policy_mapping == 2U));
  BOOST_TEST(value_of(ca.inhibit_any_policy())->skip_certs == 0U);
  BOOST_TEST(!value_of(path.leaf.policy_mappings()).has_value());
}

BOOST_AUTO_TEST_CASE(an_authority_issues_them_under_a_user_profile) {
  using ca_type = pki::certificate_authority<pki::ecdsa_p256>;
  const auto root = value_of(ca_type::create_root(value_of(pki::private_key<pki::ecdsa_p256>::generate()),
                                                  dn("CN=Issuing Root,O=Acme,C=DE"), root_period));
  auto sub_key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const auto sub_request =
      value_of(pki::csr_builder().subject("CN=Mapping Sub CA,O=Acme,C=DE").sign(sub_key));
  const with_policy_extensions<pki::profile::intermediate_ca> mapping_ca{
      {}, {policies({p1}), mappings({{p1, q1}}), constraints(std::nullopt, 0), inhibit_any(0)}};
  const auto sub_cert = value_of(root.issue(sub_request, mapping_ca, ca_period));
  BOOST_TEST(value_of(sub_cert.policy_mappings())->mappings.size() == 1U);
  BOOST_TEST(value_of(sub_cert.extensions().get<pki::policy_mappings>()).has_value());
  BOOST_TEST(sub_cert.extensions().find(pki::policy_constraints::oid())->critical);
  const auto sub = value_of(ca_type::create(sub_cert, std::move(sub_key)));
  const auto leaf_key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const auto leaf_request =
      value_of(pki::csr_builder().subject("CN=policy leaf").dns("policy.example.test").sign(leaf_key));
  const with_policy_extensions<pki::profile::tls_server> server{{}, {policies({q1})}};
  const auto leaf = value_of(sub.issue(leaf_request, server, leaf_period));
  const policy_validator v{anchors_of({root.certificate()})};
  const std::vector inter{sub_cert};
  const auto chain = v.verify(leaf, inter, options_of({.user = {oid(p1)}, .explicit_policy = true}));
  BOOST_REQUIRE_MESSAGE(chain.has_value(), error_text(chain));
  const auto sets = value_of(policy::certificate_policies::evaluate(*chain, options_of({.user = {oid(p1)}})));
  expect_set(sets.user_constrained, {p1});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(certificate_policies_rule)

BOOST_AUTO_TEST_CASE(explicit_policy_required_and_met) {
  const auto path = build({{{policies({p1})}}}, {policies({p1})});
  const policy_inputs in{.user = {oid(p1)}, .explicit_policy = true};
  const auto sets = sets_of(path, in);
  expect_set(sets.authorities_constrained, {p1});
  expect_set(sets.user_constrained, {p1});
  BOOST_TEST(sets.explicit_policy);
}

BOOST_AUTO_TEST_CASE(explicit_policy_not_met_fails_where_the_graph_became_empty) {
  // The leaf has no certificatePolicies: the graph empties at the leaf.
  expect_failure(verify(build({{{policies({p1})}}}, {}), {.explicit_policy = true}),
                 errc::policy_not_satisfied, 0);
  // The CA has none: it empties at the CA.
  expect_failure(verify(build({{}}, {policies({p1})}), {.explicit_policy = true}), errc::policy_not_satisfied,
                 1);
  // Valid for p1 only, the caller accepts p2 only.
  expect_failure(
      verify(build({{{policies({p1})}}}, {policies({p1})}), {.user = {oid(p2)}, .explicit_policy = true}),
      errc::policy_not_satisfied, 0);
  // Without an explicit policy required, the same path validates for no policy.
  const auto sets = sets_of(build({{}}, {policies({p1})}), {});
  BOOST_TEST(sets.user_constrained.empty());
  BOOST_TEST(!sets.explicit_policy);
}

BOOST_AUTO_TEST_CASE(extensions_are_processed_whether_critical_or_not) {
  const auto path = build({{{policies({p1}, true)}}}, {policies({p2}, true)});
  expect_failure(verify(path, {.explicit_policy = true}), errc::policy_not_satisfied, 0);
  BOOST_TEST(sets_of(build({{{policies({p1}, true)}}}, {policies({p1}, true)}), {.explicit_policy = true})
                 .user_constrained.size() == 1U);
}

BOOST_AUTO_TEST_CASE(the_anchors_own_policies_are_not_processed) {
  const auto path = build({{{policies({p1})}}}, {policies({p1})}, {policies({p3})});
  expect_set(sets_of(path, {.user = {oid(p1)}, .explicit_policy = true}).user_constrained, {p1});
}

BOOST_AUTO_TEST_CASE(a_policy_mapping_is_honoured_and_reported_in_the_issuers_domain) {
  const auto path = build({{{policies({p1}), mappings({{p1, q1}})}}}, {policies({q1})});
  const auto sets = sets_of(path, {.user = {oid(p1)}, .explicit_policy = true});
  expect_set(sets.authorities_constrained, {p1});
  expect_set(sets.user_constrained, {p1});
  // q1 is the subject's name for p1: a caller asking for q1 is not served.
  expect_failure(verify(path, {.user = {oid(q1)}, .explicit_policy = true}), errc::policy_not_satisfied, 0);
}

BOOST_AUTO_TEST_CASE(initial_policy_mapping_inhibit_deletes_the_mapped_policy) {
  const auto path = build({{{policies({p1}), mappings({{p1, q1}})}}}, {policies({q1})});
  expect_failure(verify(path, {.explicit_policy = true, .inhibit_mapping = true}), errc::policy_not_satisfied,
                 1);
  // Not required to be explicit: valid for no policy.
  BOOST_TEST(sets_of(path, {.inhibit_mapping = true}).user_constrained.empty());
}

BOOST_AUTO_TEST_CASE(inhibit_policy_mapping_skip_certs_zero_and_one) {
  // SkipCerts 0 in CA 1: CA 2's mapping is not honoured.
  const auto zero =
      build({{{policies({p1}), constraints(std::nullopt, 0)}}, {{policies({p1}), mappings({{p1, q1}})}}},
            {policies({q1})});
  expect_failure(verify(zero, {.explicit_policy = true}), errc::policy_not_satisfied, 1);
  // SkipCerts 1: CA 2's mapping is honoured, CA 3's is not.
  const auto one =
      build({{{policies({p1}), constraints(std::nullopt, 1)}}, {{policies({p1}), mappings({{p1, q1}})}}},
            {policies({q1})});
  expect_set(sets_of(one, {.explicit_policy = true}).user_constrained, {p1});
  const auto one_deeper = build({{{policies({p1}), constraints(std::nullopt, 1)}},
                                 {{policies({p1}), mappings({{p1, q1}})}},
                                 {{policies({q1}), mappings({{q1, r1}})}}},
                                {policies({r1})});
  expect_failure(verify(one_deeper, {.explicit_policy = true}), errc::policy_not_satisfied, 1);
  // The CA's own mapping is honoured: the constraint starts below it.
  const auto own =
      build({{{policies({p1}), constraints(std::nullopt, 0), mappings({{p1, q1}})}}}, {policies({q1})});
  expect_set(sets_of(own, {.explicit_policy = true}).user_constrained, {p1});
}

BOOST_AUTO_TEST_CASE(require_explicit_policy_counts_the_certificates_below) {
  // CA 1 requires an explicit policy after 2 more certificates (CA 2 and the leaf); the leaf has none.
  const auto two = build({{{policies({p1}), constraints(2, std::nullopt)}}, {{policies({p1})}}}, {});
  expect_failure(verify(two, {}), errc::policy_not_satisfied, 0);
  // After 3: the path is one too short for the requirement to apply.
  const auto three = build({{{policies({p1}), constraints(3, std::nullopt)}}, {{policies({p1})}}}, {});
  BOOST_TEST(sets_of(three, {}).user_constrained.empty());
  // SkipCerts 0: CA 2 itself must carry an acceptable policy.
  const auto zero = build({{{policies({p1}), constraints(0, std::nullopt)}}, {}}, {policies({p1})});
  expect_failure(verify(zero, {}), errc::policy_not_satisfied, 1);
  // The leaf's own requireExplicitPolicy 0 (6.1.5 (b)).
  const auto leaf_zero = build({{{policies({p1})}}}, {constraints(0, std::nullopt)});
  expect_failure(verify(leaf_zero, {}), errc::policy_not_satisfied, 0);
  const auto leaf_zero_met = build({{{policies({p1})}}}, {policies({p1}), constraints(0, std::nullopt)});
  expect_set(sets_of(leaf_zero_met, {}).user_constrained, {p1});
}

BOOST_AUTO_TEST_CASE(a_self_issued_intermediate_does_not_count) {
  // As require_explicit_policy_counts_the_certificates_below's first case, but CA 2 is
  // self-issued (a key rollover of CA 1): the requirement does not reach the leaf.
  const auto rollover = build(
      {{{policies({p1}), constraints(2, std::nullopt)}}, {.extra = {policies({p1})}, .self_issued = true}},
      {});
  BOOST_REQUIRE(rollover.nodes[2].cert.is_self_issued());
  BOOST_TEST(sets_of(rollover, {}).user_constrained.empty());
}

BOOST_AUTO_TEST_CASE(inhibit_any_policy_counter) {
  // CA 1 inhibits anyPolicy for the certificates below it: CA 2's anyPolicy matches nothing.
  const auto zero = build({{{policies({p1}), inhibit_any(0)}}, {{policies({any})}}}, {policies({p1})});
  expect_failure(verify(zero, {.explicit_policy = true}), errc::policy_not_satisfied, 1);
  // SkipCerts 1: CA 2's anyPolicy still counts.
  const auto one = build({{{policies({p1}), inhibit_any(1)}}, {{policies({any})}}}, {policies({p1})});
  expect_set(sets_of(one, {.explicit_policy = true}).user_constrained, {p1});
  // initial-any-policy-inhibit: CA 1's anyPolicy matches nothing.
  const auto first = build({{{policies({any})}}}, {policies({p1})});
  expect_failure(verify(first, {.explicit_policy = true, .inhibit_any = true}), errc::policy_not_satisfied,
                 1);
  expect_set(sets_of(first, {.explicit_policy = true}).user_constrained, {p1});
  // A self-issued intermediate's anyPolicy counts even when inhibited (6.1.3 (d)(2)).
  const auto rollover =
      build({{{policies({p1}), inhibit_any(0)}}, {.extra = {policies({any})}, .self_issued = true}},
            {policies({p1})});
  expect_set(sets_of(rollover, {.explicit_policy = true}).user_constrained, {p1});
}

BOOST_AUTO_TEST_CASE(user_initial_policy_set_intersects) {
  const auto listed = build({{{policies({p1, p2})}}}, {policies({p1, p2})});
  const auto sets = sets_of(listed, {.user = {oid(p2), oid(p3)}});
  expect_set(sets.authorities_constrained, {p1, p2});
  expect_set(sets.user_constrained, {p2});
  // anyPolicy throughout: the authorities allow anything, the caller gets its own set.
  const auto open = build({{{policies({any})}}}, {policies({any})});
  const auto any_sets = sets_of(open, {.user = {oid(p2), oid(p3)}, .explicit_policy = true});
  expect_set(any_sets.authorities_constrained, {any});
  expect_set(any_sets.user_constrained, {p2, p3});
  // An empty user set is {anyPolicy}: the authorities' set unchanged.
  expect_set(sets_of(listed, {}).user_constrained, {p1, p2});
  // And so is a set that holds anyPolicy (RFC 5280 6.1.1 (c): any-policy).
  expect_set(sets_of(listed, {.user = {oid(any), oid(p3)}}).user_constrained, {p1, p2});
}

BOOST_AUTO_TEST_CASE(mapping_to_or_from_any_policy_is_refused) {
  namespace der = pki_test::der;
  const auto oid_der = [](std::string_view dotted_oid) {
    const auto o = oid(dotted_oid);
    const auto content = pki::detail::oid_content_view(o);
    return der::tlv(0x06,
                    pki::byte_view(reinterpret_cast<const std::uint8_t*>(content.data()), content.size()));
  };
  for (const auto& [from, to] : {std::pair{p1, any}, std::pair{any, p1}}) {
    const auto value = der::constructed({der::constructed({oid_der(from), oid_der(to)})});
    const pki::extension raw{pki::policy_mappings::oid(), true, pki::byte_buffer(value.begin(), value.end())};
    const auto path = build({{{policies({p1}), raw}}}, {policies({p1})});
    expect_failure(verify(path, {}), errc::nonconforming, 1);
  }
}

BOOST_AUTO_TEST_CASE(a_policy_listed_twice_refuses_the_certificate) {
  namespace der = pki_test::der;
  const auto o = oid(p1);
  const auto content = pki::detail::oid_content_view(o);
  const auto oid_der =
      der::tlv(0x06, pki::byte_view(reinterpret_cast<const std::uint8_t*>(content.data()), content.size()));
  const auto value = der::constructed({der::constructed({oid_der}), der::constructed({oid_der})});
  // The parser keeps what only RFC 5280 forbids; the rule refuses it.
  BOOST_TEST(value_of(pki::certificate_policies::from_der(value)).policies.size() == 2U);
  const pki::extension raw{pki::certificate_policies::oid(), false,
                           pki::byte_buffer(value.begin(), value.end())};
  expect_failure(verify(build({{{policies({p1})}}}, {raw}), {}), errc::nonconforming, 0);
}

BOOST_AUTO_TEST_CASE(a_malformed_policy_extension_refuses_the_certificate) {
  const pki::extension empty_constraints{pki::policy_constraints::oid(), true, pki::byte_buffer{0x30, 0x00}};
  expect_failure(verify(build({{{policies({p1}), empty_constraints}}}, {policies({p1})}), {}),
                 errc::nonconforming, 1);
}

BOOST_AUTO_TEST_CASE(a_hostile_mapping_chain_exhausts_the_policy_budget) {
  // Three CAs of 30 policies each, every one mapped to all 30 of the next CA's: a policy
  // tree would hold 30^3 paths; the graph grows by about 900 links a CA and runs out at the
  // third CA's mappings (validation_budget::policy_nodes, 4096).
  constexpr int width = 30;
  const auto name = [](int level, int k) {
    return "1.3.6.1.4.1.55555." + std::to_string(10 + level) + '.' + std::to_string(k);
  };
  std::vector<ca_level> cas;
  for (int level = 0; level < 3; ++level) {
    pki::certificate_policies cp;
    pki::policy_mappings pm;
    for (int k = 0; k < width; ++k) {
      cp.policies.push_back({oid(name(level, k)), {}});
      for (int j = 0; j < width; ++j) pm.mappings.push_back({oid(name(level, k)), oid(name(level + 1, j))});
    }
    cas.push_back({{value_of(pki::to_extension(cp)), value_of(pki::to_extension(pm))}});
  }
  const auto path = build(cas, {policies({name(3, 0)})});
  expect_failure(verify(path, {}), errc::budget_exhausted, 1);
  BOOST_TEST((verify(path, {}).error().budget() == pki::budget_kind::policy_nodes));
  // A larger budget: the same path validates, for every policy of CA 1.
  const auto sets = sets_of(path, {.explicit_policy = true, .budget = 100'000});
  BOOST_TEST(sets.user_constrained.size() == static_cast<std::size_t>(width));
}

BOOST_AUTO_TEST_CASE(every_preset_processes_policies) {
  const auto path = build({{{policies({p1})}}}, {policies({p2})});
  const auto opts = options_of({.explicit_policy = true});
  const std::vector inter = path.intermediates();
  const auto anchors = anchors_of({path.nodes.front().cert});
  expect_failure(pki::validator<policy::rfc5280_server>{anchors}.verify(path.leaf, inter, opts),
                 errc::policy_not_satisfied, 0);
  expect_failure(pki::validator<policy::iot_mtls_client>{anchors}.verify(path.leaf, inter, opts),
                 errc::policy_not_satisfied, 0);
  expect_failure(pki::validator<policy::web_server>{anchors}.verify(path.leaf, inter, opts),
                 errc::policy_not_satisfied, 0);
}

BOOST_AUTO_TEST_CASE(evaluate_refuses_an_empty_path) {
  expect_error(policy::certificate_policies::evaluate(std::span<const pki::certificate<>>{}, {}),
               errc::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
