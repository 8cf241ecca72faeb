// The validator, rule by rule: each scenario builds its own hierarchy in-process and
// asserts the exact errc and the depth of the certificate to blame (0 = the leaf), or the
// exact path found. Every validation runs at a fixed time, so nothing depends on the clock.

#include <boost/test/unit_test.hpp>

#include <pki/issue/authority.hpp>
#include <pki/keys/key.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/validator.hpp>
#include <pki/validate/verify.hpp>
#include <pki/x509/certificate.hpp>
#include <pki/x509/crl.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/der.hpp"
#include "support/expect.hpp"
#include "support/hierarchy.hpp"
#include "support/openssl_cli.hpp"

using pki::errc;
using pki_test::contains;
using pki_test::dn;
using pki_test::expect_error;
using pki_test::value_of;
namespace policy = pki::policy;

using namespace pki_test;  // the shared hierarchy (support/hierarchy.hpp)

namespace {

using rfc5280_validator = pki::validator<policy::rfc5280>;

}  // namespace

BOOST_AUTO_TEST_SUITE(paths)

BOOST_AUTO_TEST_CASE(accepts_a_well_formed_three_level_path) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  expect_path(v.verify(h.leaf.cert, bag, at_when), {h.leaf.cert, h.inter.cert, h.root.cert});
  const auto found = v.search(h.leaf.cert, bag, at_when);
  BOOST_TEST(static_cast<bool>(found));
  BOOST_TEST(found.attempts.empty());
}

BOOST_AUTO_TEST_CASE(accepts_validation_time_on_the_validity_bounds) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  // RFC 5280 4.1.2.5: both ends are inside the period.
  BOOST_TEST(v.verify(h.leaf.cert, bag, {.time = leaf_period.not_before}).has_value());
  BOOST_TEST(v.verify(h.leaf.cert, bag, {.time = leaf_period.not_after}).has_value());
  expect_failure(v.verify(h.leaf.cert, bag, {.time = leaf_period.not_after + std::chrono::seconds(1)}),
                 errc::expired, 0);
  expect_failure(v.verify(h.leaf.cert, bag, {.time = leaf_period.not_before - std::chrono::seconds(1)}),
                 errc::not_yet_valid, 0);
}

BOOST_AUTO_TEST_CASE(rejects_expired_and_not_yet_valid_at_each_depth) {
  for (std::size_t depth = 0; depth < 3; ++depth) {
    for (const errc code : {errc::expired, errc::not_yet_valid}) {
      BOOST_TEST_CONTEXT("certificate at depth " << depth << " " << pki::describe(code)) {
        std::array specs{leaf_spec(), ca_spec("CN=Test Issuing CA,O=Acme,C=DE"), root_spec()};
        specs[depth].period = code == errc::expired ? ended : not_started;
        const auto h = make_three_level(specs[2], specs[1], specs[0]);
        const rfc5280_validator v{anchors_of({h.root.cert})};
        const std::vector bag{h.inter.cert};
        expect_failure(v.verify(h.leaf.cert, bag, at_when), code, static_cast<int>(depth));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(leaf_that_is_a_trust_anchor_is_a_one_certificate_path) {
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const pki::certificate<> self = value_of(pki::make_self_signed(
      key, dn("CN=pinned.example.com"),
      {.not_before = at(2026, 1, 1), .subject_alt_names = {pki::dns_name{"pinned.example.com"}}}));
  const pki::validator<policy::rfc5280, policy::hostname> v{anchors_of({self})};
  expect_path(v.verify(self, {}, for_peer(pki::dns_name{"pinned.example.com"})), {self});
  expect_failure(v.verify(self, {}, for_peer(pki::dns_name{"other.example.com"})), errc::name_mismatch, 0);
  // The same certificate without the trust store's word for it.
  const pki::validator<policy::rfc5280, policy::hostname> stranger{anchors_of({shared().root.cert})};
  expect_failure(stranger.verify(self, {}, at_when), errc::untrusted, 0);
}

BOOST_AUTO_TEST_CASE(finds_the_path_through_unordered_intermediates) {
  const auto root = make_root();
  const auto i1 = make_child(root, ca_spec("CN=Policy CA 1"));
  const auto i2 = make_child(i1, ca_spec("CN=Policy CA 2"));
  const auto i3 = make_child(i2, ca_spec("CN=Issuing CA 3"));
  const auto leaf = make_child(i3, leaf_spec());
  // Noise: another hierarchy, and two certificates named like i2 with other keys, one
  // without a key identifier (so it ranks with the real one and is tried first).
  const auto other = make_three_level(root_spec("CN=Other Root"), ca_spec("CN=Other CA"));
  auto anonymous = ca_spec("CN=Policy CA 2");
  anonymous.ski = false;
  const auto decoy = make_child(root, ca_spec("CN=Policy CA 2"));
  const auto anonymous_decoy = make_child(i1, anonymous);

  const rfc5280_validator v{anchors_of({root.cert, other.root.cert})};
  const std::vector<pki::certificate<>> expected{leaf.cert, i3.cert, i2.cert, i1.cert, root.cert};
  expect_path(v.verify(leaf.cert, std::vector{i3.cert, i2.cert, i1.cert}, at_when), expected);
  expect_path(v.verify(leaf.cert, std::vector{i1.cert, i2.cert, i3.cert}, at_when), expected);

  std::vector bag{anonymous_decoy.cert, other.inter.cert, decoy.cert, i1.cert,
                  other.leaf.cert,      i2.cert,          i3.cert,    other.root.cert};
  expect_path(v.verify(leaf.cert, bag, at_when), expected);
  std::mt19937 shuffle(20260601);
  for (int round = 0; round < 8; ++round) {
    std::ranges::shuffle(bag, shuffle);
    BOOST_TEST_CONTEXT("shuffle round " << round) {
      expect_path(v.verify(leaf.cert, bag, at_when), expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(missing_intermediate_is_untrusted_at_the_last_certificate_found) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  expect_failure(v.verify(h.leaf.cert, {}, at_when), errc::untrusted, 0);
  // An anchor of another hierarchy does not help.
  const rfc5280_validator stranger{anchors_of({make_root(root_spec("CN=Stranger Root")).cert})};
  expect_failure(stranger.verify(h.leaf.cert, std::vector{h.inter.cert}, at_when), errc::untrusted, 1);
}

BOOST_AUTO_TEST_CASE(forged_signature_is_bad_signature_at_the_forged_certificate) {
  // Named as issued by the intermediate, signed by another key.
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  const auto forged = issue(new_key(), h.inter.cert.subject(), new_key(), leaf_spec());
  expect_failure(v.verify(forged, std::vector{h.inter.cert}, at_when), errc::bad_signature, 0);
}

BOOST_AUTO_TEST_CASE(issuer_names_match_by_rfc5280_rules_not_bytes) {
  // RFC 5280 7.1: names compare ignoring case and insignificant spaces.
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  for (const auto* issuer : {"CN=TEST ISSUING CA,O=ACME,C=DE", "CN=test  issuing ca,O=acme,C=DE"}) {
    BOOST_TEST_CONTEXT("issuer " << issuer) {
      const auto leaf = issue(new_key(), dn(issuer), h.inter.key, leaf_spec());
      expect_path(v.verify(leaf, std::vector{h.inter.cert}, at_when), {leaf, h.inter.cert, h.root.cert});
    }
  }
}

BOOST_AUTO_TEST_CASE(intermediate_in_the_trust_store_is_an_anchor) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.inter.cert})};
  expect_path(v.verify(h.leaf.cert, {}, at_when), {h.leaf.cert, h.inter.cert});
}

BOOST_AUTO_TEST_CASE(issuer_cycle_without_anchor_is_untrusted_and_terminates) {
  // Two CAs that sign each other; nothing leads to the anchor.
  auto key_a = new_key();
  auto key_b = new_key();
  const auto name_a = dn("CN=Cycle CA A");
  const auto name_b = dn("CN=Cycle CA B");
  const auto a = issue(key_a, name_b, key_b, ca_spec("CN=Cycle CA A"));
  const auto b = issue(key_b, name_a, key_a, ca_spec("CN=Cycle CA B"));
  const auto leaf = issue(new_key(), name_a, key_a, leaf_spec());
  const rfc5280_validator v{anchors_of({shared().root.cert})};
  const std::vector bag{a, b};
  const auto found = v.search(leaf, bag, at_when);
  BOOST_TEST(!found);
  // leaf <- A <- B, and B's issuer A is already on the path.
  BOOST_TEST((found.failure.code() == errc::untrusted), found.failure.message());
  BOOST_TEST(found.failure.depth() == 2, found.failure.message());
  BOOST_TEST(found.attempts_total < 10U);
  expect_failure(v.verify(leaf, bag, at_when), errc::untrusted, 2);
}

BOOST_AUTO_TEST_CASE(path_fits_a_fixed_capacity_chain_or_is_buffer_too_small) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  const auto three = v.verify<4>(h.leaf.cert, bag, at_when);
  expect_path(three, {h.leaf.cert, h.inter.cert, h.root.cert});
  BOOST_TEST((three->anchor() == h.root.cert));
  BOOST_TEST(three->intermediate_count() == 1U);

  const auto second = make_child(h.inter, ca_spec("CN=Second Issuing CA"));
  // h.inter has pathLen unset: it may issue another CA.
  const auto deep_leaf = make_child(second, leaf_spec());
  const std::vector deep_bag{second.cert, h.inter.cert};
  expect_path(v.verify<4>(deep_leaf.cert, deep_bag, at_when),
              {deep_leaf.cert, second.cert, h.inter.cert, h.root.cert});
  expect_error(v.verify<3>(deep_leaf.cert, deep_bag, at_when), errc::buffer_too_small);
  expect_error(v.verify<1>(h.leaf.cert, bag, at_when), errc::buffer_too_small);
  expect_path(v.verify<1>(h.root.cert, {}, at_when), {h.root.cert});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cross_signing)

// A root "Root X" with one key and three certificates: self-signed, and cross-signed by an
// old root twice (once expired, once renewed). The issuing CA below it is the same either way.
struct cross_signed {
  node old_root;
  pki::private_key<> x_key;
  pki::certificate<> x_self;
  pki::certificate<> x_expired;
  pki::certificate<> x_renewed;
  node inter;
  node leaf;
};

const cross_signed& cross() {
  static const cross_signed c = [] {
    auto old_root = make_root(root_spec("CN=Old Root,O=Legacy Trust"));
    auto x_key = new_key();
    const auto x_name = dn("CN=Root X,O=Acme");
    auto x_self = issue(x_key, x_name, x_key, root_spec("CN=Root X,O=Acme"));
    auto x_expired_spec = ca_spec("CN=Root X,O=Acme");
    x_expired_spec.period = {at(2021, 1, 1), at(2026, 3, 31)};
    auto x_expired = issue(x_key, old_root.cert.subject(), old_root.key, x_expired_spec);
    auto x_renewed_spec = ca_spec("CN=Root X,O=Acme");
    x_renewed_spec.period = {at(2025, 6, 1), at(2030, 6, 1)};
    auto x_renewed = issue(x_key, old_root.cert.subject(), old_root.key, x_renewed_spec);
    auto inter_key = new_key();
    auto inter_cert = issue(inter_key, x_name, x_key, ca_spec("CN=X Issuing CA,O=Acme"));
    node inter{std::move(inter_cert), std::move(inter_key)};
    auto leaf = make_child(inter, leaf_spec());
    return cross_signed{std::move(old_root),  std::move(x_key), std::move(x_self), std::move(x_expired),
                        std::move(x_renewed), std::move(inter), std::move(leaf)};
  }();
  return c;
}

BOOST_AUTO_TEST_CASE(expired_cross_certificate_first_in_the_bag_is_passed_over) {
  const auto& c = cross();
  const rfc5280_validator v{anchors_of({c.old_root.cert})};
  const std::vector<pki::certificate<>> expected{c.leaf.cert, c.inter.cert, c.x_renewed, c.old_root.cert};
  expect_path(v.verify(c.leaf.cert, std::vector{c.x_expired, c.x_renewed, c.inter.cert}, at_when), expected);
  expect_path(v.verify(c.leaf.cert, std::vector{c.inter.cert, c.x_renewed, c.x_expired}, at_when), expected);
}

BOOST_AUTO_TEST_CASE(expired_cross_certificate_tried_first_then_backtracked) {
  // A renewed cross-certificate whose key identifier is not the one the issuing CA's AKI
  // names (another SKI method) ranks after the expired one, which is then really tried first.
  const auto& c = cross();
  auto spec = ca_spec("CN=Root X,O=Acme");
  spec.period = {at(2025, 6, 1), at(2030, 6, 1)};
  spec.ski = false;
  spec.extra = {value_of(pki::to_extension(pki::subject_key_identifier{{0x5A, 0x5A, 0x5A, 0x5A}}, false))};
  const auto x_other_ski = issue(c.x_key, c.old_root.cert.subject(), c.old_root.key, spec);
  const rfc5280_validator v{anchors_of({c.old_root.cert})};
  const std::vector bag{c.x_expired, x_other_ski, c.inter.cert};
  const auto found = v.search(c.leaf.cert, bag, at_when);
  BOOST_REQUIRE_MESSAGE(static_cast<bool>(found), found.explain());
  BOOST_TEST_REQUIRE(found.path->size() == 4U);
  BOOST_TEST(((*found.path)[2] == x_other_ski));
  BOOST_TEST_REQUIRE(found.attempts.size() == 1U);
  BOOST_TEST((found.attempts[0].reason.code() == errc::expired));
  BOOST_TEST(found.attempts[0].reason.depth() == 2);
  BOOST_TEST((found.attempts[0].path[2] == c.x_expired));
  expect_path(v.verify(c.leaf.cert, bag, at_when), {c.leaf.cert, c.inter.cert, x_other_ski, c.old_root.cert});
}

BOOST_AUTO_TEST_CASE(only_the_expired_cross_certificate_fails_expired_at_its_depth) {
  const auto& c = cross();
  const rfc5280_validator v{anchors_of({c.old_root.cert})};
  expect_failure(v.verify(c.leaf.cert, std::vector{c.x_expired, c.inter.cert}, at_when), errc::expired, 2);
}

BOOST_AUTO_TEST_CASE(self_signed_root_in_the_store_wins_over_the_expired_cross_certificate) {
  // As when a cross-signing root expired and clients that trust the new root carry on.
  const auto& c = cross();
  const rfc5280_validator v{anchors_of({c.old_root.cert, c.x_self})};
  expect_path(v.verify(c.leaf.cert, std::vector{c.x_expired, c.inter.cert}, at_when),
              {c.leaf.cert, c.inter.cert, c.x_self});
}

BOOST_AUTO_TEST_CASE(backtracks_from_a_dead_end_issuer) {
  // Two valid certificates of Root X rank alike; the first leads to a root nobody trusts.
  const auto& c = cross();
  const auto ghost = make_root(root_spec("CN=Ghost Root"));
  const auto x_by_ghost = issue(c.x_key, ghost.cert.subject(), ghost.key, ca_spec("CN=Root X,O=Acme"));
  const rfc5280_validator v{anchors_of({c.old_root.cert})};
  const std::vector bag{x_by_ghost, c.x_renewed, c.inter.cert};
  const auto found = v.search(c.leaf.cert, bag, at_when);
  BOOST_REQUIRE(static_cast<bool>(found));
  BOOST_TEST_REQUIRE(found.path->size() == 4U);
  BOOST_TEST(((*found.path)[2] == c.x_renewed));
  BOOST_TEST_REQUIRE(found.attempts.size() == 1U);
  BOOST_TEST((found.attempts[0].reason.code() == errc::untrusted));
  BOOST_TEST((found.attempts[0].path[2] == x_by_ghost));
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// `v3` as a v1 certificate: its tbsCertificate without the version and extensions fields,
/// signed again by `signer` (the issuer's key). What old roots and intermediates look like.
pki::certificate<> as_v1(const pki::certificate<>& v3, const pki::private_key<>& signer) {
  auto fields = pki_test::der::elements(v3.tbs_der());
  fields.erase(fields.begin());
  fields.pop_back();
  pki::detail::der_writer w(1024);
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) w.raw(*it);
  w.sequence(0);
  const auto tbs = value_of(w.finish<pki::byte_buffer>());
  auto v1 = value_of(
      pki::certificate<>::from_der(value_of(pki::detail::sign_tbs(tbs, signer, v3.signature_algorithm()))));
  BOOST_TEST_REQUIRE(v1.version() == 1);
  return v1;
}

/// `cert` with its tbsCertificate's field `index` replaced by `field`, signed again by `signer`:
/// a certificate a CA could issue that the library's builder refuses to write.
pki::certificate<> with_field(const pki::certificate<>& cert, std::size_t index, pki::byte_view field,
                              const pki::private_key<>& signer) {
  auto fields = pki_test::der::elements(cert.tbs_der());
  fields.at(index).assign(field.begin(), field.end());
  const auto tbs = pki_test::der::constructed(fields);
  return value_of(
      pki::certificate<>::from_der(value_of(pki::detail::sign_tbs(tbs, signer, cert.signature_algorithm()))));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rfc5280_rules)

BOOST_AUTO_TEST_CASE(path_len_constraint_exceeded_at_the_constraining_ca) {
  // root -> policy CA (pathLen 0) -> issuing CA -> leaf: one CA too many below the policy CA.
  const auto root = make_root();
  const auto policy_ca = make_child(root, ca_spec("CN=Policy CA", 0));
  const auto issuing = make_child(policy_ca, ca_spec("CN=Issuing CA"));
  const auto leaf = make_child(issuing, leaf_spec());
  const rfc5280_validator v{anchors_of({root.cert})};
  expect_failure(v.verify(leaf.cert, std::vector{policy_ca.cert, issuing.cert}, at_when),
                 errc::path_len_exceeded, 2);
  // pathLen 0 issuing the leaf directly is fine.
  const auto direct = make_child(policy_ca, leaf_spec());
  expect_path(v.verify(direct.cert, std::vector{policy_ca.cert}, at_when),
              {direct.cert, policy_ca.cert, root.cert});
}

BOOST_AUTO_TEST_CASE(path_len_constraint_of_the_anchor_counts) {
  auto spec = root_spec();
  spec.constraints->path_len = 1;
  const auto root = make_root(spec);
  const auto i1 = make_child(root, ca_spec("CN=Policy CA"));
  const auto i2 = make_child(i1, ca_spec("CN=Issuing CA"));
  const auto leaf = make_child(i2, leaf_spec());
  const rfc5280_validator v{anchors_of({root.cert})};
  expect_failure(v.verify(leaf.cert, std::vector{i1.cert, i2.cert}, at_when), errc::path_len_exceeded, 3);
}

BOOST_AUTO_TEST_CASE(self_issued_certificates_do_not_count_against_path_len) {
  // A key rollover certificate (self-issued: same name, new key) below a pathLen 0 CA.
  const auto root = make_root();
  const auto policy_ca = make_child(root, ca_spec("CN=Policy CA", 0));
  const auto rollover = make_child(policy_ca, ca_spec("CN=Policy CA", 0));
  const auto leaf = make_child(rollover, leaf_spec());
  const rfc5280_validator v{anchors_of({root.cert})};
  expect_path(v.verify(leaf.cert, std::vector{policy_ca.cert, rollover.cert}, at_when),
              {leaf.cert, rollover.cert, policy_ca.cert, root.cert});
}

BOOST_AUTO_TEST_CASE(rejects_issuer_that_is_not_a_ca) {
  const auto& root = shared().root;
  const rfc5280_validator v{anchors_of({root.cert})};
  // No basicConstraints at all, though keyUsage allows keyCertSign.
  auto no_bc = ca_spec("CN=Not A CA");
  no_bc.constraints.reset();
  const auto issuer = make_child(root, no_bc);
  const auto leaf = make_child(issuer, leaf_spec());
  expect_failure(v.verify(leaf.cert, std::vector{issuer.cert}, at_when), errc::issuer_not_ca, 1);
  // basicConstraints cA FALSE: an end-entity key signing a certificate.
  auto end_entity = ca_spec("CN=End Entity");
  end_entity.constraints = pki::basic_constraints{};
  const auto signer = make_child(root, end_entity);
  const auto forged = make_child(signer, leaf_spec());
  expect_failure(v.verify(forged.cert, std::vector{signer.cert}, at_when), errc::issuer_not_ca, 1);
}

BOOST_AUTO_TEST_CASE(rejects_issuer_without_key_cert_sign) {
  const auto& root = shared().root;
  const rfc5280_validator v{anchors_of({root.cert})};
  auto spec = ca_spec("CN=CRL Only CA");
  spec.usage = pki::key_usage{pki::key_usage_flag::crl_sign | pki::key_usage_flag::digital_signature};
  const auto issuer = make_child(root, spec);
  const auto leaf = make_child(issuer, leaf_spec());
  expect_failure(v.verify(leaf.cert, std::vector{issuer.cert}, at_when), errc::usage_not_allowed, 1);
  // Without keyUsage every use is allowed to path validation (RFC 5280 4.2.1.3, 6.1.4 (n));
  // the profile wants keyUsage in a CA certificate.
  auto unrestricted = ca_spec("CN=Unrestricted CA");
  unrestricted.usage.reset();
  const auto open = make_child(root, unrestricted);
  const auto open_leaf = make_child(open, leaf_spec());
  const pki::validator<policy::rfc5280_path> path_only{anchors_of({root.cert})};
  expect_path(path_only.verify(open_leaf.cert, std::vector{open.cert}, at_when),
              {open_leaf.cert, open.cert, root.cert});
  expect_failure(v.verify(open_leaf.cert, std::vector{open.cert}, at_when), errc::nonconforming, 1);
}

BOOST_AUTO_TEST_CASE(rejects_unknown_critical_extension_at_its_depth) {
  const auto& root = shared().root;
  const rfc5280_validator v{anchors_of({root.cert})};
  const pki::extension unknown{.oid = value_of(pki::object_identifier::parse("1.3.6.1.4.1.55555.7")),
                               .critical = true,
                               .value = {0x05, 0x00}};
  auto leaf_with = leaf_spec();
  leaf_with.extra = {unknown};
  auto inter_with = ca_spec("CN=Extended CA");
  inter_with.extra = {unknown};

  const auto inter = make_child(root, ca_spec("CN=Plain CA"));
  expect_failure(v.verify(make_child(inter, leaf_with).cert, std::vector{inter.cert}, at_when),
                 errc::unknown_critical_extension, 0);
  const auto extended = make_child(root, inter_with);
  expect_failure(v.verify(make_child(extended, leaf_spec()).cert, std::vector{extended.cert}, at_when),
                 errc::unknown_critical_extension, 1);
  // The same extension, not critical, is ignored.
  auto benign = unknown;
  benign.critical = false;
  leaf_with.extra = {benign};
  BOOST_TEST(v.verify(make_child(inter, leaf_with).cert, std::vector{inter.cert}, at_when).has_value());
}

// RFC 5280 4.2.1.2: conforming CAs mark the SKI non-critical, at every depth.
BOOST_AUTO_TEST_CASE(rejects_a_critical_subject_key_identifier_at_its_depth) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  const auto critical_ski = [](cert_spec spec, std::uint8_t id) {
    spec.ski = false;
    spec.extra = {value_of(pki::to_extension(pki::subject_key_identifier{{id, id, id, id}}, true))};
    return spec;
  };
  expect_failure(
      v.verify(make_child(h.inter, critical_ski(leaf_spec(), 0x11)).cert, std::vector{h.inter.cert}, at_when),
      errc::nonconforming, 0);
  const auto inter = make_child(h.root, critical_ski(ca_spec("CN=Critical SKI CA"), 0x22));
  const auto refused = v.verify(make_child(inter, leaf_spec()).cert, std::vector{inter.cert}, at_when);
  expect_failure(refused, errc::nonconforming, 1);
  BOOST_TEST(contains(refused.error().message(), "a critical subject key identifier"));
}

// RFC 5280 4.2.1.9: pathLenConstraint is meaningful only with cA TRUE; a CA MUST NOT write it
// otherwise. basicConstraints { pathLenConstraint 0 } in a leaf, written by hand.
BOOST_AUTO_TEST_CASE(rejects_a_path_len_constraint_without_ca) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  auto leaf = leaf_spec();
  leaf.constraints.reset();
  leaf.extra = {
      {.oid = pki::basic_constraints::oid(), .critical = true, .value = {0x30, 0x03, 0x02, 0x01, 0x00}}};
  const auto refused = v.verify(make_child(h.inter, leaf).cert, std::vector{h.inter.cert}, at_when);
  expect_failure(refused, errc::nonconforming, 0);
  BOOST_TEST(contains(refused.error().message(), "a pathLenConstraint without cA"));
}

// RFC 5280 4.2.1.8 and 4.2.2.2: subjectDirectoryAttributes and subjectInfoAccess MUST be
// non-critical. The validator processes neither, so a critical one is refused as unknown
// (4.2: a certificate with a critical extension it does not process is rejected); a
// non-critical one is informative and passes.
BOOST_AUTO_TEST_CASE(critical_subject_directory_attributes_and_subject_info_access_are_refused) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  // SEQUENCE { SEQUENCE { commonName, SET { UTF8String "AB" } } }
  const pki::extension sda{
      .oid = value_of(pki::object_identifier::parse("2.5.29.9")),
      .critical = true,
      .value = {0x30, 0x0D, 0x30, 0x0B, 0x06, 0x03, 0x55, 0x04, 0x03, 0x31, 0x04, 0x0C, 0x02, 0x41, 0x42}};
  // SEQUENCE { SEQUENCE { id-ad-caRepository, [6] "http://a" } }
  const pki::extension sia{.oid = value_of(pki::object_identifier::parse("1.3.6.1.5.5.7.1.11")),
                           .critical = true,
                           .value = {0x30, 0x16, 0x30, 0x14, 0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07,
                                     0x30, 0x05, 0x86, 0x08, 0x68, 0x74, 0x74, 0x70, 0x3A, 0x2F, 0x2F, 0x61}};
  auto leaf = leaf_spec();
  leaf.extra = {sda};
  expect_failure(v.verify(make_child(h.inter, leaf).cert, std::vector{h.inter.cert}, at_when),
                 errc::unknown_critical_extension, 0);
  auto ca = ca_spec("CN=SIA CA");
  ca.extra = {sia};
  const auto inter = make_child(h.root, ca);
  expect_failure(v.verify(make_child(inter, leaf_spec()).cert, std::vector{inter.cert}, at_when),
                 errc::unknown_critical_extension, 1);
  auto informative_sda = sda;
  informative_sda.critical = false;
  leaf.extra = {informative_sda};
  const auto fine = v.verify(make_child(h.inter, leaf).cert, std::vector{h.inter.cert}, at_when);
  BOOST_TEST(fine.has_value(), pki_test::error_text(fine));
  auto informative_sia = sia;
  informative_sia.critical = false;
  ca.extra = {informative_sia};
  const auto inter2 = make_child(h.root, ca);
  const auto fine2 = v.verify(make_child(inter2, leaf_spec()).cert, std::vector{inter2.cert}, at_when);
  BOOST_TEST(fine2.has_value(), pki_test::error_text(fine2));
}

// RFC 5280 6.1.4 (k): an intermediate must say cA in basicConstraints; a v1 or v2 certificate
// has no extensions, and only a trust anchor may be taken on trust without them.
BOOST_AUTO_TEST_CASE(a_v1_certificate_is_no_intermediate_ca) {
  const auto& h = shared();
  const pki::validator<policy::rfc5280_path> v{anchors_of({h.root.cert})};
  auto v3 = make_child(h.root, ca_spec("CN=Version 1 CA,O=Acme,C=DE"));
  const node v1{as_v1(v3.cert, h.root.key), std::move(v3.key)};
  const auto leaf = make_child(v1, leaf_spec());
  const auto refused = v.verify(leaf.cert, std::vector{v1.cert}, at_when);
  expect_failure(refused, errc::nonconforming, 1);
  BOOST_TEST(contains(refused.error().message(), "a v1 or v2 certificate cannot be an intermediate CA"));
  // The same v1 certificate trusted directly is an anchor, taken on trust.
  const pki::validator<policy::rfc5280_path> trusting{anchors_of({v1.cert})};
  const auto anchored = trusting.verify(leaf.cert, {}, at_when);
  BOOST_TEST(anchored.has_value(), pki_test::error_text(anchored));
}

// RFC 5280 4.1.2.2: a serial is at most 20 octets (a leading 0x00 for the sign not counted).
BOOST_AUTO_TEST_CASE(a_serial_over_20_octets_is_refused) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  const auto leaf = make_child(h.inter, leaf_spec());
  // An INTEGER of `octets` content octets: `first`, then 0xA5s (a set top bit, so that a
  // leading 0x00 is the needed sign octet).
  const auto serial_of = [](std::size_t octets, std::uint8_t first) {
    pki::byte_buffer der{0x02, static_cast<std::uint8_t>(octets), first};
    der.resize(2 + octets, 0xA5);
    return der;
  };
  const auto twenty = with_field(leaf.cert, 1, serial_of(20, 0x7F), h.inter.key);
  const auto ok = v.verify(twenty, std::vector{h.inter.cert}, at_when);
  BOOST_TEST(ok.has_value(), pki_test::error_text(ok));
  // 20 octets of magnitude with the sign octet: 21 octets of INTEGER, still 20.
  BOOST_TEST(
      v.verify(with_field(leaf.cert, 1, serial_of(21, 0x00), h.inter.key), std::vector{h.inter.cert}, at_when)
          .has_value());
  const auto long_serial = v.verify(with_field(leaf.cert, 1, serial_of(21, 0x7F), h.inter.key),
                                    std::vector{h.inter.cert}, at_when);
  expect_failure(long_serial, errc::nonconforming, 0);
  BOOST_TEST(contains(long_serial.error().message(), "longer than 20 octets"));
}

// 4.2.1.3, 4.2.1.9, 4.2.1.10 with X.690: an extension that is not DER does not decode, and a
// relying party cannot process what it cannot read: the certificate is refused at its depth.
BOOST_AUTO_TEST_CASE(malformed_key_usage_basic_constraints_and_name_constraints_refuse_their_certificate) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  // keyUsage BIT STRING with 1 unused bit that is set: not DER.
  auto leaf = leaf_spec();
  leaf.usage.reset();
  leaf.extra = {{.oid = pki::key_usage::oid(), .critical = true, .value = {0x03, 0x02, 0x01, 0x81}}};
  expect_failure(v.verify(make_child(h.inter, leaf).cert, std::vector{h.inter.cert}, at_when),
                 errc::nonconforming, 0);
  // basicConstraints { cA TRUE, pathLen 1 written in two octets }: not minimal.
  auto bc_ca = ca_spec("CN=Loose BC CA");
  bc_ca.constraints.reset();
  bc_ca.extra = {{.oid = pki::basic_constraints::oid(),
                  .critical = true,
                  .value = {0x30, 0x07, 0x01, 0x01, 0xFF, 0x02, 0x02, 0x00, 0x01}}};
  const auto loose = make_child(h.root, bc_ca);
  const auto bc_refused = v.verify(make_child(loose, leaf_spec()).cert, std::vector{loose.cert}, at_when);
  expect_failure(bc_refused, errc::nonconforming, 1);
  BOOST_TEST(contains(bc_refused.error().message(), "basic constraints"));
  // nameConstraints { permittedSubtrees [0] {} }: an empty subtree list.
  auto nc_ca = ca_spec("CN=Empty NC CA");
  nc_ca.extra = {{.oid = pki::name_constraints::oid(), .critical = true, .value = {0x30, 0x02, 0xA0, 0x00}}};
  const auto empty_nc = make_child(h.root, nc_ca);
  const pki::validator<policy::rfc5280, policy::name_constraints> with_nc{anchors_of({h.root.cert})};
  expect_failure(with_nc.verify(make_child(empty_nc, leaf_spec()).cert, std::vector{empty_nc.cert}, at_when),
                 errc::nonconforming, 1);
}

BOOST_AUTO_TEST_CASE(rejects_missing_authority_key_identifier) {
  const auto& h = shared();
  const rfc5280_validator v{anchors_of({h.root.cert})};
  auto no_aki = leaf_spec();
  no_aki.aki = false;
  expect_failure(v.verify(make_child(h.inter, no_aki).cert, std::vector{h.inter.cert}, at_when),
                 errc::nonconforming, 0);
  auto ca_no_aki = ca_spec("CN=No AKI CA");
  ca_no_aki.aki = false;
  const auto inter = make_child(h.root, ca_no_aki);
  expect_failure(v.verify(make_child(inter, leaf_spec()).cert, std::vector{inter.cert}, at_when),
                 errc::nonconforming, 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(extended_key_usage)

using server_validator = pki::validator<policy::rfc5280, policy::server_auth>;

BOOST_AUTO_TEST_CASE(intermediate_restricted_to_client_auth_cannot_vouch_for_a_server) {
  auto client_only = ca_spec("CN=Client CA");
  client_only.purposes = pki::extended_key_usage::of({pki::extended_key_usage::client_auth});
  const auto h = make_three_level(root_spec(), client_only);
  const server_validator v{anchors_of({h.root.cert})};
  expect_failure(v.verify(h.leaf.cert, std::vector{h.inter.cert}, at_when), errc::usage_not_allowed, 1);
}

BOOST_AUTO_TEST_CASE(leaf_without_server_auth_is_refused_at_depth_0) {
  const auto& h = shared();
  const server_validator v{anchors_of({h.root.cert})};
  auto client_leaf = leaf_spec();
  client_leaf.purposes = pki::extended_key_usage::of({pki::extended_key_usage::client_auth});
  expect_failure(v.verify(make_child(h.inter, client_leaf).cert, std::vector{h.inter.cert}, at_when),
                 errc::usage_not_allowed, 0);
  // ... and accepted where clientAuth is what is asked.
  const pki::validator<policy::rfc5280, policy::client_auth> clients{anchors_of({h.root.cert})};
  BOOST_TEST(
      clients.verify(make_child(h.inter, client_leaf).cert, std::vector{h.inter.cert}, at_when).has_value());
}

// RFC 5280 4.2.1.12: keyUsage and EKU are processed independently and the certificate is
// used only for a purpose both allow. A TLS server's key signs, or agrees keys (EC) or is
// encrypted to (RSA); a client's signs or agrees keys (EC). The leaves here have EC keys.
BOOST_AUTO_TEST_CASE(leaf_key_usage_must_allow_the_purpose) {
  const auto& h = shared();
  const server_validator servers{anchors_of({h.root.cert})};
  const pki::validator<policy::rfc5280, policy::client_auth> clients{anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  const auto leaf_with = [&](std::optional<pki::key_usage> usage, bool with_eku) {
    auto spec = leaf_spec();
    spec.usage = usage;
    if (with_eku) {
      spec.purposes = pki::extended_key_usage::of(
          {pki::extended_key_usage::server_auth, pki::extended_key_usage::client_auth});
    } else {
      spec.purposes.reset();
    }
    return make_child(h.inter, spec).cert;
  };
  using enum pki::key_usage_flag;
  for (const bool with_eku : {true, false}) {
    BOOST_TEST_CONTEXT((with_eku ? "with" : "without") << " an extended key usage") {
      const auto crl_only = leaf_with(pki::key_usage{crl_sign}, with_eku);
      expect_failure(servers.verify(crl_only, bag, at_when), errc::usage_not_allowed, 0);
      expect_failure(clients.verify(crl_only, bag, at_when), errc::usage_not_allowed, 0);
      const auto encipher = leaf_with(pki::key_usage{key_encipherment}, with_eku);  // not for an EC key
      expect_failure(servers.verify(encipher, bag, at_when), errc::usage_not_allowed, 0);
      expect_failure(clients.verify(encipher, bag, at_when), errc::usage_not_allowed, 0);
      const auto non_repudiation_only =
          leaf_with(pki::key_usage{content_commitment | data_encipherment}, with_eku);
      expect_failure(servers.verify(non_repudiation_only, bag, at_when), errc::usage_not_allowed, 0);
      for (const auto usage : {digital_signature, key_agreement, digital_signature | crl_sign}) {
        const auto leaf = leaf_with(pki::key_usage{usage}, with_eku);
        BOOST_TEST(servers.verify(leaf, bag, at_when).has_value());
        BOOST_TEST(clients.verify(leaf, bag, at_when).has_value());
      }
      const auto unrestricted = leaf_with(std::nullopt, with_eku);  // no keyUsage: any usage
      BOOST_TEST(servers.verify(unrestricted, bag, at_when).has_value());
      BOOST_TEST(clients.verify(unrestricted, bag, at_when).has_value());
    }
  }
  // The reason names what the purpose needs.
  const auto refused = servers.verify(leaf_with(pki::key_usage{crl_sign}, true), bag, at_when);
  BOOST_REQUIRE(!refused);
  BOOST_TEST(contains(refused.error().message(), "neither digitalSignature nor keyAgreement"));
}

// An RSA key is encrypted to (TLS 1.2 RSA key transport) but agrees no keys (RFC 3279 2.3.1):
// keyEncipherment serves a TLS server, keyAgreement serves neither end, and a client's RSA key
// must sign.
BOOST_AUTO_TEST_CASE(an_rsa_leaf_key_usage_must_allow_what_an_rsa_key_does_for_the_purpose) {
  const auto& h = shared();
  const server_validator servers{anchors_of({h.root.cert})};
  const pki::validator<policy::rfc5280, policy::client_auth> clients{anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  const auto rsa_leaf = [&](pki::key_usage_flag usage) {
    auto spec = leaf_spec();
    spec.usage = pki::key_usage{usage};
    spec.purposes = pki::extended_key_usage::of(
        {pki::extended_key_usage::server_auth, pki::extended_key_usage::client_auth});
    return make_child(h.inter, spec, new_key(pki::rsa<2048>::id)).cert;
  };
  using enum pki::key_usage_flag;
  const auto encipher = rsa_leaf(key_encipherment);
  const auto served = servers.verify(encipher, bag, at_when);
  BOOST_TEST(served.has_value(), pki_test::error_text(served));
  expect_failure(clients.verify(encipher, bag, at_when), errc::usage_not_allowed, 0);
  const auto agree = rsa_leaf(key_agreement);
  expect_failure(servers.verify(agree, bag, at_when), errc::usage_not_allowed, 0);
  expect_failure(clients.verify(agree, bag, at_when), errc::usage_not_allowed, 0);
  const auto sign = rsa_leaf(digital_signature);
  BOOST_TEST(servers.verify(sign, bag, at_when).has_value());
  BOOST_TEST(clients.verify(sign, bag, at_when).has_value());
  const auto refused = servers.verify(agree, bag, at_when);
  BOOST_REQUIRE(!refused);
  BOOST_TEST(contains(refused.error().message(), "neither digitalSignature nor keyEncipherment"));
}

BOOST_AUTO_TEST_CASE(accepts_server_auth_through_the_path) {
  const auto& root = shared().root;
  const server_validator v{anchors_of({root.cert})};
  auto both = ca_spec("CN=TLS CA");
  both.purposes = pki::extended_key_usage::of(
      {pki::extended_key_usage::client_auth, pki::extended_key_usage::server_auth});
  auto any = ca_spec("CN=Any Purpose CA");
  any.purposes = pki::extended_key_usage::of({pki::extended_key_usage::any_extended_key_usage});
  auto unrestricted_leaf = leaf_spec();
  unrestricted_leaf.purposes.reset();
  for (const auto& spec : {both, any, ca_spec("CN=No EKU CA")}) {
    BOOST_TEST_CONTEXT(spec.subject) {
      const auto inter = make_child(root, spec);
      BOOST_TEST(v.verify(make_child(inter, leaf_spec()).cert, std::vector{inter.cert}, at_when).has_value());
      BOOST_TEST(
          v.verify(make_child(inter, unrestricted_leaf).cert, std::vector{inter.cert}, at_when).has_value());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(host_names)

using host_validator = pki::validator<policy::rfc5280, policy::hostname>;

pki::certificate<> leaf_for(std::vector<pki::general_name> sans) {
  return make_child(shared().inter, leaf_spec(std::move(sans))).cert;
}

void expect_host(const auto& v, const pki::certificate<>& leaf, pki::peer_name peer, bool matches) {
  const auto r = v.verify(leaf, std::vector{shared().inter.cert}, for_peer(std::move(peer)));
  if (matches) {
    BOOST_TEST(r.has_value(), pki_test::error_text(r));
  } else {
    expect_failure(r, errc::name_mismatch, 0);
  }
}

// A mismatch says what the certificate is for (as Go's HostnameError does), so that the
// reader knows which name to ask for or which certificate to issue.
BOOST_AUTO_TEST_CASE(a_mismatch_lists_the_names_the_certificate_has) {
  const host_validator v{anchors_of({shared().root.cert})};
  const std::vector bag{shared().inter.cert};
  const auto leaf =
      leaf_for({pki::dns_name{"a.example.com"}, ip("192.0.2.1"), pki::email_address{"x@example.com"}});
  const auto found = v.search(leaf, bag, for_peer(pki::dns_name{"b.example.com"}));
  BOOST_REQUIRE(!found);
  BOOST_TEST(contains(found.explain(),
                      "name mismatch (the host name is not among the certificate's); it is for "
                      "DNS:a.example.com, IP Address:192.0.2.1"),
             found.explain());
  std::vector<pki::general_name> many;
  for (int i = 0; i < 11; ++i) many.emplace_back(pki::dns_name{"h" + std::to_string(i) + ".example.com"});
  const auto crowded = v.search(leaf_for(many), bag, for_peer(pki::dns_name{"b.example.com"}));
  BOOST_TEST(contains(crowded.explain(), "DNS:h7.example.com and 3 more"), crowded.explain());
}

BOOST_AUTO_TEST_CASE(wildcard_stands_for_one_leftmost_label) {
  const host_validator v{anchors_of({shared().root.cert})};
  const auto leaf = leaf_for({pki::dns_name{"*.example.com"}});
  const std::pair<std::string_view, bool> cases[] = {
      {"a.example.com", true},    {"A.Example.COM", true},  {"a.example.com.", true}, {"example.com", false},
      {"a.b.example.com", false}, {"a.example.org", false}, {"aexample.com", false},
  };
  for (const auto& [host, matches] : cases) {
    BOOST_TEST_CONTEXT("peer " << host) {
      expect_host(v, leaf, pki::dns_name{std::string(host)}, matches);
    }
  }
  // With no peer there is nothing to check.
  BOOST_TEST(v.verify(leaf, std::vector{shared().inter.cert}, at_when).has_value());
}

BOOST_AUTO_TEST_CASE(exact_names_ignore_case_and_a_trailing_dot) {
  const host_validator v{anchors_of({shared().root.cert})};
  const auto leaf = leaf_for({pki::dns_name{"WWW.Example.com"}, pki::dns_name{"api.example.com"}});
  const std::pair<std::string_view, bool> cases[] = {
      {"www.example.com", true}, {"WWW.EXAMPLE.COM", true}, {"www.example.com.", true},
      {"api.example.com", true}, {"example.com", false},    {"wwww.example.com", false},
  };
  for (const auto& [host, matches] : cases) {
    BOOST_TEST_CONTEXT("peer " << host) {
      expect_host(v, leaf, pki::dns_name{std::string(host)}, matches);
    }
  }
}

BOOST_AUTO_TEST_CASE(malformed_reference_names_are_invalid_arguments) {
  // The caller's mistake, not the certificate's: no host name to compare.
  const host_validator v{anchors_of({shared().root.cert})};
  const auto leaf = leaf_for({pki::dns_name{"*.example.com"}, pki::dns_name{"example.com"}});
  for (const std::string_view host :
       {".example.com", "example.com..", "a..example.com", "*.example.com", ""}) {
    BOOST_TEST_CONTEXT("peer \"" << host << '"') {
      expect_failure(
          v.verify(leaf, std::vector{shared().inter.cert}, for_peer(pki::dns_name{std::string(host)})),
          errc::invalid_argument, 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(partial_and_overbroad_wildcards_match_nothing) {
  // Such names are not valid dNSNames (rfc5280 says nonconforming); the hostname rule on its
  // own must still never match them.
  const pki::validator<policy::hostname> names_only{anchors_of({shared().root.cert})};
  const host_validator v{anchors_of({shared().root.cert})};
  const std::pair<std::string_view, std::vector<std::string_view>> cases[] = {
      {"f*.example.com", {"f.example.com", "foo.example.com", "example.com"}},
      {"*.com", {"example.com", "com"}},
      {"*", {"example", "example.com", "localhost"}},
      {"*.*.example.com", {"a.b.example.com"}},
  };
  for (const auto& [pattern, hosts] : cases) {
    const auto leaf = leaf_for({pki::dns_name{std::string(pattern)}});
    for (const auto host : hosts) {
      BOOST_TEST_CONTEXT("SAN " << pattern << ", peer " << host) {
        expect_host(names_only, leaf, pki::dns_name{std::string(host)}, false);
      }
    }
    BOOST_TEST_CONTEXT("SAN " << pattern << " under rfc5280") {
      expect_failure(
          v.verify(leaf, std::vector{shared().inter.cert}, for_peer(pki::dns_name{"f.example.com"})),
          errc::nonconforming, 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(ip_peer_matches_ip_address_entries_only) {
  const host_validator v{anchors_of({shared().root.cert})};
  const auto dns_only = leaf_for({pki::dns_name{"127.0.0.1"}});
  const auto with_ip = leaf_for({pki::dns_name{"localhost"}, ip("127.0.0.1"), ip("::1")});
  expect_host(v, dns_only, ip("127.0.0.1"), false);
  expect_host(v, with_ip, ip("127.0.0.1"), true);
  expect_host(v, with_ip, ip("::1"), true);
  expect_host(v, with_ip, ip("127.0.0.2"), false);
  // An IPv4-mapped IPv6 address is another address, byte for byte.
  expect_host(v, with_ip, ip("::ffff:127.0.0.1"), false);
  // An address literal given as a name is an address: it matches iPAddress entries only.
  expect_host(v, dns_only, pki::dns_name{"127.0.0.1"}, false);
  expect_host(v, with_ip, pki::dns_name{"127.0.0.1"}, true);
  const auto ip_only = leaf_for({ip("192.0.2.7")});
  expect_host(v, ip_only, pki::dns_name{"192.0.2.7"}, true);
  expect_host(v, ip_only, pki::dns_name{"192.0.2.8"}, false);
}

BOOST_AUTO_TEST_CASE(common_name_is_never_used) {
  const host_validator v{anchors_of({shared().root.cert})};
  auto spec = leaf_spec({}, "CN=www.example.com");
  const auto leaf = make_child(shared().inter, spec).cert;
  expect_host(v, leaf, pki::dns_name{"www.example.com"}, false);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(name_constraints)

using constrained_validator = pki::validator<policy::rfc5280, policy::name_constraints>;

/// A CA under the shared root bound by `limits`.
node constrained_ca(pki::name_constraints limits) {
  auto spec = ca_spec("CN=Constrained CA,O=Acme,C=DE");
  spec.name_limits = std::move(limits);
  return make_child(shared().root, spec);
}

pki::result<pki::chain<>> verify_leaf(const node& ca, std::vector<pki::general_name> sans,
                                      std::string subject = "CN=leaf,O=Acme,C=DE") {
  const constrained_validator v{anchors_of({shared().root.cert})};
  const auto leaf = make_child(ca, leaf_spec(std::move(sans), std::move(subject)));
  return v.verify(leaf.cert, std::vector{ca.cert}, at_when);
}

BOOST_AUTO_TEST_CASE(excluded_dns_subtree) {
  const auto ca = constrained_ca({.excluded = {{pki::dns_name{"bad.example.com"}}}});
  expect_failure(verify_leaf(ca, {pki::dns_name{"bad.example.com"}}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {pki::dns_name{"x.bad.example.com"}}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {pki::dns_name{"X.BAD.example.com"}}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {pki::dns_name{"ok.example.com"}, pki::dns_name{"x.bad.example.com"}}),
                 errc::name_constraint_violation, 0);
  // Subtrees follow label boundaries.
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"notbad.example.com"}}).has_value());
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"ok.example.com"}}).has_value());
}

BOOST_AUTO_TEST_CASE(violation_is_at_the_depth_of_the_certificate_holding_the_name) {
  // root -> constrained CA -> sub-CA named in the excluded subtree -> leaf.
  const auto ca = constrained_ca({.excluded = {{pki::dns_name{"bad.example.com"}}}});
  auto sub_spec = ca_spec("CN=Sub CA,O=Acme,C=DE");
  sub_spec.sans = {pki::dns_name{"ca.bad.example.com"}};
  const auto sub = make_child(ca, sub_spec);
  const auto leaf = make_child(sub, leaf_spec({pki::dns_name{"ok.example.com"}}));
  const constrained_validator v{anchors_of({shared().root.cert})};
  expect_failure(v.verify(leaf.cert, std::vector{ca.cert, sub.cert}, at_when),
                 errc::name_constraint_violation, 1);
}

BOOST_AUTO_TEST_CASE(wildcard_reaching_into_an_excluded_subtree_fails) {
  const auto ca = constrained_ca({.excluded = {{pki::dns_name{"bar.example.com"}}}});
  expect_failure(verify_leaf(ca, {pki::dns_name{"*.example.com"}}), errc::name_constraint_violation, 0);
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"*.example.org"}}).has_value());
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"*.foo.example.com"}}).has_value());
}

BOOST_AUTO_TEST_CASE(permitted_dns_subtree) {
  const auto ca = constrained_ca({.permitted = {{pki::dns_name{"example.com"}}}});
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"www.example.com"}}).has_value());
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"example.com"}}).has_value());
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"*.example.com"}}).has_value());
  expect_failure(verify_leaf(ca, {pki::dns_name{"www.example.org"}}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {pki::dns_name{"www.notexample.com"}}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {pki::dns_name{"www.example.com"}, pki::dns_name{"evil.org"}}),
                 errc::name_constraint_violation, 0);
  // A permitted DNS subtree says nothing about IP addresses.
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"www.example.com"}, ip("203.0.113.9")}).has_value());
}

BOOST_AUTO_TEST_CASE(ip_addresses_outside_the_permitted_ranges) {
  const auto ca = constrained_ca({.permitted = {{network("192.168.0.0/16")}, {network("2001:db8::/32")}}});
  BOOST_TEST(verify_leaf(ca, {ip("192.168.10.1")}).has_value());
  BOOST_TEST(verify_leaf(ca, {ip("2001:db8:1::5")}).has_value());
  expect_failure(verify_leaf(ca, {ip("10.1.2.3")}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {ip("192.169.0.1")}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {ip("2001:db9::5")}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {ip("192.168.0.1"), ip("2001:db9::5")}), errc::name_constraint_violation, 0);

  // Only IPv4 networks permitted: every IPv6 address is outside them, but one that maps an
  // IPv4 address inside them (::ffff:a.b.c.d names that IPv4 host).
  const auto v4_only = constrained_ca({.permitted = {{network("192.168.0.0/16")}}});
  expect_failure(verify_leaf(v4_only, {ip("2001:db8::1")}), errc::name_constraint_violation, 0);
  BOOST_TEST(verify_leaf(v4_only, {ip("::ffff:192.168.0.1")}).has_value());
  expect_failure(verify_leaf(v4_only, {ip("::ffff:10.0.0.1")}), errc::name_constraint_violation, 0);

  const auto excluded = constrained_ca({.excluded = {{network("10.0.0.0/8")}, {network("fd00::/8")}}});
  expect_failure(verify_leaf(excluded, {ip("10.200.0.1")}), errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(excluded, {ip("fd12::1")}), errc::name_constraint_violation, 0);
  BOOST_TEST(verify_leaf(excluded, {ip("11.0.0.1")}).has_value());
}

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 host it maps: it cannot escape
// an excluded IPv4 subtree, nor an IPv4 address an excluded subtree of mapped addresses.
BOOST_AUTO_TEST_CASE(ipv4_mapped_addresses_are_constrained_as_ipv4) {
  const auto no_ten = constrained_ca({.excluded = {{network("10.0.0.0/8")}}});
  expect_failure(verify_leaf(no_ten, {ip("::ffff:10.1.2.3")}), errc::name_constraint_violation, 0);
  BOOST_TEST(verify_leaf(no_ten, {ip("::ffff:11.1.2.3")}).has_value());
  BOOST_TEST(verify_leaf(no_ten, {ip("2001:db8::a01:203")}).has_value());  // same low bits, not mapped

  const auto no_mapped_ten = constrained_ca({.excluded = {{network("::ffff:10.0.0.0/104")}}});
  expect_failure(verify_leaf(no_mapped_ten, {ip("10.1.2.3")}), errc::name_constraint_violation, 0);
  BOOST_TEST(verify_leaf(no_mapped_ten, {ip("11.1.2.3")}).has_value());

  const auto mapped_permitted = constrained_ca({.permitted = {{network("::ffff:192.168.0.0/112")}}});
  BOOST_TEST(verify_leaf(mapped_permitted, {ip("192.168.3.4")}).has_value());
  expect_failure(verify_leaf(mapped_permitted, {ip("192.169.3.4")}), errc::name_constraint_violation, 0);
}

BOOST_AUTO_TEST_CASE(permitted_email_subtrees) {
  const auto host = constrained_ca({.permitted = {{pki::email_address{"example.com"}}}});
  BOOST_TEST(verify_leaf(host, {pki::email_address{"alice@example.com"}}).has_value());
  BOOST_TEST(verify_leaf(host, {pki::email_address{"alice@EXAMPLE.com"}}).has_value());
  expect_failure(verify_leaf(host, {pki::email_address{"alice@mail.example.com"}}),
                 errc::name_constraint_violation, 0);
  // The subject's emailAddress attribute is an e-mail name too.
  expect_failure(verify_leaf(host, {pki::email_address{"alice@example.com"}},
                             "CN=alice,emailAddress=alice@evil.example.org,O=Acme,C=DE"),
                 errc::name_constraint_violation, 0);

  const auto domain = constrained_ca({.permitted = {{pki::email_address{".example.com"}}}});
  BOOST_TEST(verify_leaf(domain, {pki::email_address{"bob@mail.example.com"}}).has_value());
  expect_failure(verify_leaf(domain, {pki::email_address{"bob@example.com"}}),
                 errc::name_constraint_violation, 0);

  const auto mailbox = constrained_ca({.permitted = {{pki::email_address{"carol@example.com"}}}});
  BOOST_TEST(verify_leaf(mailbox, {pki::email_address{"carol@example.com"}}).has_value());
  expect_failure(verify_leaf(mailbox, {pki::email_address{"dave@example.com"}}),
                 errc::name_constraint_violation, 0);
}

// RFC 5280 4.2.1.10: a dNSName base is a host name (it and the names under it), ".domain"
// or "" (every name); an rfc822Name base a mailbox, a host or ".domain". A CA whose
// constraint is none of these has written something nobody can read: refused at its depth,
// in permitted and excluded subtrees alike, never taken as matching or not matching.
BOOST_AUTO_TEST_CASE(malformed_constraints_refuse_the_ca) {
  const std::vector<pki::general_name> www{pki::dns_name{"www.example.com"}};
  for (const char* base :
       {"*.example.com", "exa mple.com", "example..com", "example.com.", "-x.example.com", "."}) {
    BOOST_TEST_CONTEXT("dNSName base '" << base << "'") {
      expect_failure(verify_leaf(constrained_ca({.permitted = {{pki::dns_name{base}}}}), www),
                     errc::nonconforming, 1);
      expect_failure(verify_leaf(constrained_ca({.excluded = {{pki::dns_name{base}}}}), www),
                     errc::nonconforming, 1);
    }
  }
  for (const char* base : {"a@b@example.com", "@example.com", "user@"}) {
    BOOST_TEST_CONTEXT("rfc822Name base '" << base << "'") {
      expect_failure(verify_leaf(constrained_ca({.excluded = {{pki::email_address{base}}}}), www),
                     errc::nonconforming, 1);
    }
  }
  // The well-formed ones, for contrast.
  BOOST_TEST(verify_leaf(constrained_ca({.permitted = {{pki::dns_name{".example.com"}}}}), www).has_value());
  BOOST_TEST(verify_leaf(constrained_ca({.permitted = {{pki::dns_name{""}}}}), www).has_value());
  expect_failure(verify_leaf(constrained_ca({.excluded = {{pki::dns_name{""}}}}), www),
                 errc::name_constraint_violation, 0);  // "" excludes every DNS name
  const auto refused = verify_leaf(constrained_ca({.permitted = {{pki::dns_name{"*.example.com"}}}}), www);
  BOOST_REQUIRE(!refused);
  BOOST_TEST(contains(refused.error().message(), "neither a host name nor a domain"));
}

// A constrained name that is malformed for its form (an rfc822Name with two '@') cannot be
// compared: it fails both kinds of subtree instead of slipping past an exclusion.
BOOST_AUTO_TEST_CASE(malformed_email_names_under_a_constraint_fail_closed) {
  const auto permitted = constrained_ca({.permitted = {{pki::email_address{"example.com"}}}});
  expect_failure(verify_leaf(permitted, {pki::email_address{"alice@evil.org@example.com"}}),
                 errc::name_constraint_violation, 0);
  const auto excluded = constrained_ca({.excluded = {{pki::email_address{"evil.org"}}}});
  expect_failure(verify_leaf(excluded, {pki::email_address{"alice@evil.org@example.com"}}),
                 errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(excluded, {pki::email_address{"@example.com"}}), errc::name_constraint_violation,
                 0);
  BOOST_TEST(verify_leaf(excluded, {pki::email_address{"alice@example.com"}}).has_value());
  // Without a constraint on e-mail names, nothing compares them.
  const auto dns_only = constrained_ca({.permitted = {{pki::dns_name{"example.com"}}}});
  BOOST_TEST(
      verify_leaf(dns_only, {pki::dns_name{"www.example.com"}, pki::email_address{"a@b@c"}}).has_value());
}

BOOST_AUTO_TEST_CASE(permitted_uri_subtrees) {
  const auto ca = constrained_ca({.permitted = {{pki::uri_name{".example.com"}}}});
  BOOST_TEST(verify_leaf(ca, {pki::uri_name{"https://api.example.com:8443/v1?x=1"}}).has_value());
  BOOST_TEST(verify_leaf(ca, {pki::uri_name{"https://user@api.example.com/"}}).has_value());
  expect_failure(verify_leaf(ca, {pki::uri_name{"https://example.com/"}}), errc::name_constraint_violation,
                 0);
  expect_failure(verify_leaf(ca, {pki::uri_name{"https://api.example.org/"}}),
                 errc::name_constraint_violation, 0);
  // No host to compare: fails closed.
  expect_failure(verify_leaf(ca, {pki::uri_name{"urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"}}),
                 errc::name_constraint_violation, 0);

  const auto host = constrained_ca({.permitted = {{pki::uri_name{"api.example.com"}}}});
  BOOST_TEST(verify_leaf(host, {pki::uri_name{"https://api.example.com/"}}).has_value());
  expect_failure(verify_leaf(host, {pki::uri_name{"https://www.api.example.com/"}}),
                 errc::name_constraint_violation, 0);
}

// RFC 5280 4.2.1.10 defines no comparison for otherName or registeredID subtrees (the
// syntax and semantics are those of the name form, which the library does not know). A name
// of that form under such a constraint cannot be judged, so it fails closed, permitted or
// excluded; names of the other forms are not constrained by it.
BOOST_AUTO_TEST_CASE(other_name_and_registered_id_constraints_fail_closed) {
  const auto oid = [](std::string_view dotted) { return value_of(pki::object_identifier::parse(dotted)); };
  const pki::byte_buffer utf8_alice{0x0C, 0x05, 'a', 'l', 'i', 'c', 'e'};
  const pki::general_name upn = pki::other_name{oid("1.3.6.1.4.1.311.20.2.3"), utf8_alice};
  const pki::general_name device = pki::registered_id{oid("1.3.6.1.4.1.99999.1")};
  const auto expect_unjudged = [](const pki::result<pki::chain<>>& r, std::string_view subtree) {
    expect_failure(r, errc::name_constraint_violation, 0);
    if (!r) BOOST_TEST(contains(r.error().message(), subtree), r.error().message());
  };
  for (const auto& form : {upn, device}) {
    BOOST_TEST_CONTEXT(pki::to_string(form)) {
      const auto permitted = constrained_ca({.permitted = {{form}}});
      expect_unjudged(verify_leaf(permitted, {pki::dns_name{"www.example.com"}, form}),
                      "cannot be checked against a permitted subtree");
      BOOST_TEST(verify_leaf(permitted, {pki::dns_name{"www.example.com"}}).has_value());
      const auto excluded = constrained_ca({.excluded = {{form}}});
      expect_unjudged(verify_leaf(excluded, {pki::dns_name{"www.example.com"}, form}),
                      "cannot be checked against an excluded subtree");
      BOOST_TEST(verify_leaf(excluded, {pki::dns_name{"www.example.com"}}).has_value());
    }
  }
  // A constraint on one of the two forms says nothing about the other.
  BOOST_TEST(verify_leaf(constrained_ca({.excluded = {{upn}}}), {pki::dns_name{"www.example.com"}, device})
                 .has_value());
}

BOOST_AUTO_TEST_CASE(permitted_directory_name_subtree) {
  const auto ca = constrained_ca({.permitted = {{dn("O=Acme,C=DE")}}});
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"www.example.com"}}, "CN=leaf,O=Acme,C=DE").has_value());
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"www.example.com"}}, "CN=leaf,OU=Ops,O=Acme,C=DE").has_value());
  expect_failure(verify_leaf(ca, {pki::dns_name{"www.example.com"}}, "CN=leaf,O=Evil,C=DE"),
                 errc::name_constraint_violation, 0);
  expect_failure(verify_leaf(ca, {pki::dns_name{"www.example.com"}}, "CN=leaf,O=Acme,C=FR"),
                 errc::name_constraint_violation, 0);
  // Compared as RFC 5280 7.1 says: case and insignificant spaces do not matter.
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"www.example.com"}}, "CN=leaf,O=ACME,C=DE").has_value());
  BOOST_TEST(verify_leaf(ca, {pki::dns_name{"www.example.com"}}, "CN=leaf,O=acme,C=de").has_value());
  // A directoryName in the SAN is held to the subtree as well.
  expect_failure(verify_leaf(ca, {pki::dns_name{"www.example.com"}, dn("CN=other,O=Evil,C=DE")}),
                 errc::name_constraint_violation, 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(revocation)

const pki::crl_period fresh{at(2026, 5, 1), at(2026, 7, 1)};
const pki::crl_period stale{at(2026, 3, 1), at(2026, 4, 1)};

pki::crl crl_of(const node& issuer, const std::vector<pki::certificate<>>& revoked,
                const pki::crl_period& period = fresh) {
  pki::crl_builder builder;
  builder.issuer(issuer.cert).period(period).crl_number(1);
  for (const auto& cert : revoked) builder.revoke(cert, at(2026, 2, 1), pki::crl_reason::key_compromise);
  return value_of(builder.sign(issuer.key));
}

using crl_validator = pki::validator<policy::rfc5280, policy::crl_check>;
using crl_required_validator = pki::validator<policy::rfc5280, policy::crl_required>;

BOOST_AUTO_TEST_CASE(revoked_leaf_and_revoked_intermediate) {
  const auto& h = shared();
  const crl_validator v{anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  const std::vector leaf_revoked{crl_of(h.inter, {h.leaf.cert}), crl_of(h.root, {})};
  expect_failure(v.verify(h.leaf.cert, bag, {.time = when, .crls = leaf_revoked}), errc::revoked, 0);
  const std::vector inter_revoked{crl_of(h.inter, {}), crl_of(h.root, {h.inter.cert})};
  expect_failure(v.verify(h.leaf.cert, bag, {.time = when, .crls = inter_revoked}), errc::revoked, 1);
  // CRLs that list neither.
  const auto other_leaf = make_child(h.inter, leaf_spec());
  const std::vector others{crl_of(h.inter, {other_leaf.cert}), crl_of(h.root, {})};
  BOOST_TEST(v.verify(h.leaf.cert, bag, {.time = when, .crls = others}).has_value());
}

BOOST_AUTO_TEST_CASE(crl_from_another_issuer_is_ignored) {
  const auto& h = shared();
  const crl_validator v{anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  // Another CA entirely, and one with the issuing CA's very name but another key.
  const auto other = make_root(root_spec("CN=Other CA"));
  const auto impostor = make_root(ca_spec("CN=Test Issuing CA,O=Acme,C=DE"));
  const std::vector lists{crl_of(other, {h.leaf.cert}), crl_of(impostor, {h.leaf.cert})};
  BOOST_TEST(v.verify(h.leaf.cert, bag, {.time = when, .crls = lists}).has_value());
}

// A CRL past its nextUpdate still revokes what it lists (revocation is final), but no
// longer vouches for the rest: crl_check then accepts, crl_required does not.
BOOST_AUTO_TEST_CASE(stale_crl_still_revokes_but_vouches_for_nothing) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  const crl_validator check{anchors_of({h.root.cert})};
  const crl_required_validator required{anchors_of({h.root.cert})};
  const std::vector listing{crl_of(h.inter, {h.leaf.cert}, stale), crl_of(h.root, {})};
  expect_failure(check.verify(h.leaf.cert, bag, {.time = when, .crls = listing}), errc::revoked, 0);
  expect_failure(required.verify(h.leaf.cert, bag, {.time = when, .crls = listing}), errc::revoked, 0);
  const std::vector not_listing{crl_of(h.inter, {}, stale), crl_of(h.root, {})};
  BOOST_TEST(check.verify(h.leaf.cert, bag, {.time = when, .crls = not_listing}).has_value());
  expect_failure(required.verify(h.leaf.cert, bag, {.time = when, .crls = not_listing}),
                 errc::revocation_unknown, 0);
  // Validating at a time before the revocation date: not revoked then.
  const crl_validator before{anchors_of({h.root.cert})};
  BOOST_TEST(before.verify(h.leaf.cert, bag, {.time = at(2026, 1, 15), .crls = listing}).has_value());
}

BOOST_AUTO_TEST_CASE(crl_required_wants_a_crl_for_every_certificate_below_the_anchor) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  const crl_required_validator v{anchors_of({h.root.cert})};
  const std::vector both{crl_of(h.root, {}), crl_of(h.inter, {})};
  BOOST_TEST(v.verify(h.leaf.cert, bag, {.time = when, .crls = both}).has_value());
  const std::vector issuing_only{crl_of(h.inter, {})};
  expect_failure(v.verify(h.leaf.cert, bag, {.time = when, .crls = issuing_only}), errc::revocation_unknown,
                 1);
  expect_failure(v.verify(h.leaf.cert, bag, at_when), errc::revocation_unknown, 0);
  const std::vector revoked{crl_of(h.root, {}), crl_of(h.inter, {h.leaf.cert})};
  expect_failure(v.verify(h.leaf.cert, bag, {.time = when, .crls = revoked}), errc::revoked, 0);
}

// The CRL profile (RFC 5280 5 and 6.3.3), rule by rule. Each offending CRL is written by
// crl_builder (re-signed by its issuer where the builder refuses to write the fault) and
// lists the leaf: "ignored" then shows as the leaf passing under crl_check, and as
// revocation_unknown at depth 0 under crl_required with a clean CRL of the root beside it.
// Each case also has its control, the same CRL without the fault revoking the leaf.

const auto revoked_on = at(2026, 2, 1);

/// What a scenario CRL holds beyond the issuer and period.
struct crl_spec {
  std::vector<pki::certificate<>> revoked{};
  pki::crl_period period = fresh;
  std::vector<pki::extension> extra{};        ///< more crlExtensions, in order
  std::vector<pki::extension> entry_extra{};  ///< more crlEntryExtensions on every entry
};

pki::crl crl_with(const node& issuer, const crl_spec& spec) {
  pki::crl_builder builder;
  builder.issuer(issuer.cert).period(spec.period).crl_number(7);
  for (const auto& cert : spec.revoked) {
    pki::revoked_certificate entry{.serial = pki::byte_buffer(cert.serial().begin(), cert.serial().end()),
                                   .revocation_date = revoked_on,
                                   .reason = pki::crl_reason::key_compromise,
                                   .extensions = {}};
    for (const auto& ext : spec.entry_extra) expect_ok(entry.extensions.add(ext));
    builder.revoke(std::move(entry));
  }
  for (const auto& ext : spec.extra) builder.add_extension(ext);
  return value_of(builder.sign(issuer.key));
}

/// The whole TLVs of a CRL's tbsCertList, in order.
std::vector<pki::byte_buffer> tbs_fields(const pki::crl& list) {
  return pki_test::der::elements(list.tbs_der());
}

/// A CRL of `issuer` with the tbsCertList `fields`: what the builder refuses to write.
pki::crl resigned(const node& issuer, const pki::crl& like, const std::vector<pki::byte_buffer>& fields) {
  pki::detail::der_writer w(2048);
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) w.raw(*it);
  w.sequence(0);
  const auto tbs = value_of(w.finish<pki::byte_buffer>());
  auto list = value_of(
      pki::crl::from_der(value_of(pki::detail::sign_tbs(tbs, issuer.key, like.signature_algorithm()))));
  expect_ok(list.verify_signature(issuer.cert.public_key()));
  return list;
}

/// `list` re-signed with its crlExtensions passed through `edit` (the builder writes them last).
template <class Edit>
pki::crl with_extensions_edited(const node& issuer, const pki::crl& list, Edit edit) {
  pki::extension_list exts;
  for (const auto& ext : list.extensions()) {
    if (auto kept = edit(ext)) expect_ok(exts.add(*kept));
  }
  pki::detail::der_writer w;
  w.raw(value_of(exts.to_der()));
  w.wrap(0, pki::detail::context_constructed(0));
  auto fields = tbs_fields(list);
  fields.back() = value_of(w.finish<pki::byte_buffer>());
  return resigned(issuer, list, fields);
}

bool is_crl_number(const pki::extension& ext) {
  return ext.oid == pki::detail::crl_oid::crl_number;
}

pki::object_identifier oid_of(std::string_view dotted) {
  return value_of(pki::object_identifier::parse(dotted));
}

/// An issuingDistributionPoint, as RFC 5280 5.2.5 writes it.
struct idp_spec {
  std::vector<pki::general_name> full_name{};
  std::optional<pki::byte_buffer> relative_name{};  ///< an RDN SET's contents
  bool only_user = false;
  bool only_ca = false;
  std::optional<std::uint16_t> reasons{};  ///< onlySomeReasons, ReasonFlags bits
  bool indirect = false;
  bool only_attribute = false;
};

pki::extension idp(const idp_spec& spec, bool critical = true) {
  using pki::detail::context_constructed;
  using pki::detail::context_tag;
  pki::detail::der_writer w;
  const pki::byte_buffer true_octet{0xFF};
  const std::size_t start = w.mark();
  if (spec.only_attribute) w.primitive(context_tag(5), true_octet);
  if (spec.indirect) w.primitive(context_tag(4), true_octet);
  if (spec.reasons) w.primitive(context_tag(3), pki::detail::named_bits_content(*spec.reasons));
  if (spec.only_ca) w.primitive(context_tag(2), true_octet);
  if (spec.only_user) w.primitive(context_tag(1), true_octet);
  if (!spec.full_name.empty() || spec.relative_name) {
    const std::size_t point = w.mark();
    if (!spec.full_name.empty()) {
      expect_ok(pki::detail::write_general_names(w, spec.full_name, context_constructed(0)));
    } else {
      w.primitive(context_constructed(1), *spec.relative_name);
    }
    w.wrap(point, context_constructed(0));
  }
  w.sequence(start);
  return {oid_of("2.5.29.28"), critical, value_of(w.finish<pki::byte_buffer>())};
}

pki::extension raw_idp(pki::byte_buffer value) {
  return {oid_of("2.5.29.28"), true, std::move(value)};
}

/// A leaf of the shared issuing CA whose cRLDistributionPoints has one point named `names`.
node leaf_at(std::vector<pki::general_name> names) {
  auto spec = leaf_spec();
  spec.extra.push_back(value_of(pki::to_extension(
      pki::crl_distribution_points{{pki::distribution_point{.full_name = std::move(names)}}})));
  return make_child(shared().inter, spec);
}

/// The leaf is listed on `list` yet passes crl_check, and with only `list` and a clean
/// root CRL fails crl_required with revocation_unknown at depth 0: the CRL is not used.
void expect_ignored(const node& leaf, const pki::crl& list) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  BOOST_TEST_REQUIRE(list.is_revoked(leaf.cert.serial()).has_value());
  const crl_validator check{anchors_of({h.root.cert})};
  const crl_required_validator required{anchors_of({h.root.cert})};
  const std::vector lists{crl_of(h.root, {}), list};
  const auto checked = check.verify(leaf.cert, bag, {.time = when, .crls = lists});
  BOOST_TEST(checked.has_value(), pki_test::error_text(checked));
  expect_failure(required.verify(leaf.cert, bag, {.time = when, .crls = lists}), errc::revocation_unknown, 0);
}

/// The leaf listed on `list` is revoked at depth 0 under both rules: the CRL is used.
void expect_used(const node& leaf, const pki::crl& list) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  const crl_validator check{anchors_of({h.root.cert})};
  const crl_required_validator required{anchors_of({h.root.cert})};
  const std::vector lists{crl_of(h.root, {}), list};
  expect_failure(check.verify(leaf.cert, bag, {.time = when, .crls = lists}), errc::revoked, 0);
  expect_failure(required.verify(leaf.cert, bag, {.time = when, .crls = lists}), errc::revoked, 0);
}

/// crl_required accepts the leaf with a clean root CRL and `lists`.
void expect_covered(const node& leaf, const std::vector<pki::crl>& lists) {
  const auto& h = shared();
  const crl_required_validator required{anchors_of({h.root.cert})};
  std::vector all{crl_of(h.root, {})};
  all.insert(all.end(), lists.begin(), lists.end());
  const auto r = required.verify(leaf.cert, std::vector{h.inter.cert}, {.time = when, .crls = all});
  BOOST_TEST(r.has_value(), pki_test::error_text(r));
}

/// crl_required refuses the leaf with revocation_unknown at depth 0 given a clean root CRL and `lists`.
void expect_not_covered(const node& leaf, const std::vector<pki::crl>& lists) {
  const auto& h = shared();
  const crl_required_validator required{anchors_of({h.root.cert})};
  std::vector all{crl_of(h.root, {})};
  all.insert(all.end(), lists.begin(), lists.end());
  expect_failure(required.verify(leaf.cert, std::vector{h.inter.cert}, {.time = when, .crls = all}),
                 errc::revocation_unknown, 0);
}

BOOST_AUTO_TEST_CASE(crl_without_a_crl_number_or_with_a_critical_one_is_ignored) {
  const auto& leaf = shared().leaf;
  const auto& inter = shared().inter;
  const auto listing = crl_with(inter, {.revoked = {leaf.cert}});
  expect_used(leaf, listing);
  const auto unnumbered = with_extensions_edited(inter, listing, [](const pki::extension& e) {
    return is_crl_number(e) ? std::nullopt : std::optional(e);
  });
  BOOST_TEST(!unnumbered.crl_number().has_value());
  expect_ignored(leaf, unnumbered);
  const auto critical = with_extensions_edited(inter, listing, [](pki::extension e) {
    e.critical = e.critical || is_crl_number(e);
    return std::optional(e);
  });
  BOOST_TEST((critical.crl_number() == listing.crl_number()));
  expect_ignored(leaf, critical);
}

// RFC 5280 5.2.1 with 6.3.3 (f): a CRL's authorityKeyIdentifier names the key that signed
// it. One whose keyIdentifier is not the issuer's subjectKeyIdentifier was signed by another
// key of that name (a rekeyed CA): it is not this issuer's CRL, so it revokes nothing and
// vouches for nothing, even though the signature would check against the key at hand.
BOOST_AUTO_TEST_CASE(crl_whose_key_identifier_is_not_the_issuers_is_ignored) {
  const auto& leaf = shared().leaf;
  const auto& inter = shared().inter;
  const auto listing = crl_with(inter, {.revoked = {leaf.cert}});
  BOOST_TEST_REQUIRE(listing.authority_key_identifier().has_value());
  const auto is_aki = [](const pki::extension& e) { return e.oid == pki::authority_key_identifier::oid(); };
  const auto another_key = with_extensions_edited(inter, listing, [&](const pki::extension& e) {
    if (!is_aki(e)) return std::optional(e);
    const pki::authority_key_identifier other{.key_id = pki::byte_buffer(20, 0x5A)};
    return std::optional(value_of(pki::to_extension(other)));
  });
  BOOST_TEST_REQUIRE((another_key.authority_key_identifier() != listing.authority_key_identifier()));
  expect_ignored(leaf, another_key);
  // The same CRL with the issuer's own identifier written back is used again (the edit alone
  // does not make it unusable).
  const auto own = with_extensions_edited(inter, listing, [](pki::extension e) { return std::optional(e); });
  expect_used(leaf, own);
  // Without an AKI (RFC 5280 asks for one, but a CRL is matched by name and signature first)
  // the CRL is used.
  const auto no_aki = with_extensions_edited(inter, listing, [&](const pki::extension& e) {
    return is_aki(e) ? std::nullopt : std::optional(e);
  });
  BOOST_TEST(!no_aki.authority_key_identifier().has_value());
  expect_used(leaf, no_aki);
}

BOOST_AUTO_TEST_CASE(crl_with_an_unknown_critical_crl_extension_is_ignored) {
  const auto& leaf = shared().leaf;
  const auto& inter = shared().inter;
  const pki::byte_buffer null_value{0x05, 0x00};
  const auto unknown = oid_of("1.3.6.1.4.1.55555.1");
  expect_used(leaf, crl_with(inter, {.revoked = {leaf.cert}, .extra = {{unknown, false, null_value}}}));
  expect_ignored(leaf, crl_with(inter, {.revoked = {leaf.cert}, .extra = {{unknown, true, null_value}}}));
  // freshestCRL is known to RFC 5280 but not processed here, and MUST be non-critical.
  const pki::byte_buffer freshest = value_of(pki::crl_distribution_points{
      {pki::distribution_point{.full_name = {pki::uri_name{"http://crl.example.com/delta.crl"}}}}}
                                                 .to_der());
  expect_ignored(leaf,
                 crl_with(inter, {.revoked = {leaf.cert}, .extra = {{oid_of("2.5.29.46"), true, freshest}}}));
}

BOOST_AUTO_TEST_CASE(crl_with_an_unknown_critical_entry_extension_is_ignored) {
  const auto& leaf = shared().leaf;
  const auto& inter = shared().inter;
  const pki::byte_buffer null_value{0x05, 0x00};
  const auto unknown = oid_of("1.3.6.1.4.1.55555.2");
  expect_used(leaf, crl_with(inter, {.revoked = {leaf.cert}, .entry_extra = {{unknown, false, null_value}}}));
  expect_ignored(leaf,
                 crl_with(inter, {.revoked = {leaf.cert}, .entry_extra = {{unknown, true, null_value}}}));
  // invalidityDate is known (and reasonCode, which every entry here has): even critical, it is used.
  const std::string_view date = "20260115000000Z";
  pki::byte_buffer invalidity{0x18, static_cast<std::uint8_t>(date.size())};
  invalidity.insert(invalidity.end(), date.begin(), date.end());
  expect_used(leaf, crl_with(inter, {.revoked = {leaf.cert},
                                     .entry_extra = {{oid_of("2.5.29.24"), true, invalidity}}}));
  // A critical unknown entry extension on another certificate's entry spoils the whole CRL.
  const auto other = make_child(inter, leaf_spec());
  pki::crl_builder builder;
  builder.issuer(inter.cert).period(fresh).crl_number(8).revoke(leaf.cert, revoked_on);
  pki::revoked_certificate spoiled{
      .serial = pki::byte_buffer(other.cert.serial().begin(), other.cert.serial().end()),
      .revocation_date = revoked_on,
      .reason = std::nullopt,
      .extensions = {}};
  expect_ok(spoiled.extensions.add(pki::extension{unknown, true, null_value}));
  builder.revoke(std::move(spoiled));
  expect_ignored(leaf, value_of(builder.sign(inter.key)));
}

BOOST_AUTO_TEST_CASE(indirect_crls_are_not_supported) {
  const auto& leaf = shared().leaf;
  const auto& inter = shared().inter;
  expect_ignored(leaf, crl_with(inter, {.revoked = {leaf.cert}, .extra = {idp({.indirect = true})}}));
  // A certificateIssuer entry, even naming the CRL's own issuer, belongs to an indirect CRL.
  const auto issuer_names =
      value_of(pki::general_names_to_der(std::vector<pki::general_name>{inter.cert.subject()}));
  expect_ignored(leaf, crl_with(inter, {.revoked = {leaf.cert},
                                        .entry_extra = {{oid_of("2.5.29.29"), true, issuer_names}}}));
}

BOOST_AUTO_TEST_CASE(delta_crls_are_ignored_entirely) {
  const auto& leaf = shared().leaf;
  const auto& inter = shared().inter;
  const pki::extension delta{oid_of("2.5.29.27"), true, pki::byte_buffer{0x02, 0x01, 0x07}};
  const auto delta_listing = crl_with(inter, {.revoked = {leaf.cert}, .extra = {delta}});
  // Alone it neither revokes nor covers.
  expect_ignored(leaf, delta_listing);
  // Beside a complete base CRL that does not list the leaf, the delta's word is not taken
  // either: the base alone decides (a documented limit: delta CRLs are not supported).
  const auto base = crl_with(inter, {});
  expect_covered(leaf, {base, delta_listing});
  BOOST_TEST(crl_validator{anchors_of({shared().root.cert})}
                 .verify(leaf.cert, std::vector{inter.cert},
                         {.time = when, .crls = std::vector{base, delta_listing}})
                 .has_value());
}

BOOST_AUTO_TEST_CASE(idp_distribution_point_covers_only_its_own_partition) {
  const auto& inter = shared().inter;
  const pki::general_name a = pki::uri_name{"http://crl.example.com/a.crl"};
  const pki::general_name b = pki::uri_name{"http://crl.example.com/b.crl"};
  const auto leaf = leaf_at({a});
  const auto crl_a = [&](std::vector<pki::certificate<>> revoked) {
    return crl_with(inter, {.revoked = std::move(revoked), .extra = {idp({.full_name = {a}})}});
  };
  const auto crl_b = [&](std::vector<pki::certificate<>> revoked) {
    return crl_with(inter, {.revoked = std::move(revoked), .extra = {idp({.full_name = {b}})}});
  };
  expect_covered(leaf, {crl_a({})});
  expect_used(leaf, crl_a({leaf.cert}));
  // Partition B's CRL says nothing about a certificate of partition A: it neither revokes
  // it nor vouches for it, and does not make A's revocation go away.
  expect_ignored(leaf, crl_b({leaf.cert}));
  expect_not_covered(leaf, {crl_b({})});
  const crl_required_validator required{anchors_of({shared().root.cert})};
  expect_failure(
      required.verify(
          leaf.cert, std::vector{inter.cert},
          {.time = when, .crls = std::vector{crl_of(shared().root, {}), crl_b({}), crl_a({leaf.cert})}}),
      errc::revoked, 0);
  // A certificate without cRLDistributionPoints is in no named partition (6.3.3 (b)(2)(i)).
  const auto& plain = shared().leaf;
  expect_ignored(plain, crl_a({plain.cert}));
  expect_not_covered(plain, {crl_a({})});
  // A CRL with no IDP is complete: it covers every partition.
  expect_covered(leaf, {crl_with(inter, {})});
}

BOOST_AUTO_TEST_CASE(idp_names_are_matched_as_general_names) {
  const auto& inter = shared().inter;
  // A directoryName by RFC 5280 7.1 matching: case and spaces do not matter.
  const auto leaf = leaf_at({dn("CN=Partition 7,O=Acme,C=DE")});
  expect_covered(leaf,
                 {crl_with(inter, {.extra = {idp({.full_name = {dn("cn=partition  7,o=ACME,c=de")}})}})});
  expect_not_covered(leaf,
                     {crl_with(inter, {.extra = {idp({.full_name = {dn("CN=Partition 8,O=Acme,C=DE")}})}})});
  // A URI is compared exactly, and a DNS name is not a URI.
  const auto by_uri = leaf_at({pki::uri_name{"http://crl.example.com/a.crl"}});
  expect_not_covered(
      by_uri,
      {crl_with(inter, {.extra = {idp({.full_name = {pki::uri_name{"http://crl.example.com/A.crl"}}})}}),
       crl_with(inter, {.extra = {idp({.full_name = {pki::dns_name{"crl.example.com"}}})}})});
  // One name in common is enough.
  expect_covered(
      by_uri,
      {crl_with(inter, {.extra = {idp({.full_name = {pki::dns_name{"crl.example.com"},
                                                     pki::uri_name{"http://crl.example.com/a.crl"}}})}})});
  // nameRelativeToCRLIssuer: the RDN below the issuer's name.
  const auto rdn_der = value_of(dn("CN=Part 9").to_der());  // SEQUENCE { SET { ... } }
  pki::detail::der_reader name_reader(rdn_der);
  auto rdns = value_of(name_reader.enter());
  auto set = value_of(rdns.any());
  const pki::byte_buffer rdn(set.content.begin(), set.content.end());
  const auto below = leaf_at({dn("CN=Part 9,CN=Test Issuing CA,O=Acme,C=DE")});
  expect_covered(below, {crl_with(inter, {.extra = {idp({.relative_name = rdn})}})});
  expect_not_covered(leaf, {crl_with(inter, {.extra = {idp({.relative_name = rdn})}})});
}

BOOST_AUTO_TEST_CASE(idp_user_ca_and_attribute_scopes) {
  const auto& h = shared();
  const auto& leaf = shared().leaf;
  expect_used(leaf, crl_with(h.inter, {.revoked = {leaf.cert}, .extra = {idp({.only_user = true})}}));
  expect_covered(leaf, {crl_with(h.inter, {.extra = {idp({.only_user = true})}})});
  expect_ignored(leaf, crl_with(h.inter, {.revoked = {leaf.cert}, .extra = {idp({.only_ca = true})}}));
  expect_ignored(leaf, crl_with(h.inter, {.revoked = {leaf.cert}, .extra = {idp({.only_attribute = true})}}));
  // The root's user-only CRL does not speak for the intermediate, a CA.
  const crl_required_validator required{anchors_of({h.root.cert})};
  const std::vector user_only_root{crl_with(h.root, {.extra = {idp({.only_user = true})}}),
                                   crl_with(h.inter, {})};
  expect_failure(
      required.verify(leaf.cert, std::vector{h.inter.cert}, {.time = when, .crls = user_only_root}),
      errc::revocation_unknown, 1);
  const std::vector ca_only_root{crl_with(h.root, {.extra = {idp({.only_ca = true})}}),
                                 crl_with(h.inter, {})};
  const auto r = required.verify(leaf.cert, std::vector{h.inter.cert}, {.time = when, .crls = ca_only_root});
  BOOST_TEST(r.has_value(), pki_test::error_text(r));
}

BOOST_AUTO_TEST_CASE(non_critical_idp_still_limits_the_scope) {
  const auto& inter = shared().inter;
  const auto& leaf = shared().leaf;
  expect_ignored(leaf, crl_with(inter, {.revoked = {leaf.cert}, .extra = {idp({.only_ca = true}, false)}}));
  const auto at_a = leaf_at({pki::uri_name{"http://crl.example.com/a.crl"}});
  expect_ignored(
      at_a,
      crl_with(inter,
               {.revoked = {at_a.cert},
                .extra = {idp({.full_name = {pki::uri_name{"http://crl.example.com/b.crl"}}}, false)}}));
  expect_used(
      at_a,
      crl_with(inter,
               {.revoked = {at_a.cert},
                .extra = {idp({.full_name = {pki::uri_name{"http://crl.example.com/a.crl"}}}, false)}}));
}

BOOST_AUTO_TEST_CASE(only_some_reasons_crl_revokes_but_covers_only_its_reasons) {
  const auto& inter = shared().inter;
  const auto& leaf = shared().leaf;
  constexpr std::uint16_t compromises = 0x006;  // keyCompromise, cACompromise
  constexpr std::uint16_t the_rest = 0x1F8;     // affiliationChanged .. aACompromise
  expect_used(leaf, crl_with(inter, {.revoked = {leaf.cert}, .extra = {idp({.reasons = compromises})}}));
  expect_not_covered(leaf, {crl_with(inter, {.extra = {idp({.reasons = compromises})}})});
  expect_not_covered(leaf, {crl_with(inter, {.extra = {idp({.reasons = the_rest | 0x001})}})});
  // Two CRLs that between them cover every reason do (6.3.3 (j)).
  expect_covered(leaf, {crl_with(inter, {.extra = {idp({.reasons = compromises})}}),
                        crl_with(inter, {.extra = {idp({.reasons = the_rest})}})});
}

BOOST_AUTO_TEST_CASE(malformed_idp_makes_the_crl_unusable) {
  const auto& inter = shared().inter;
  const auto& leaf = shared().leaf;
  const std::vector<pki::byte_buffer> malformed{
      {0x30, 0x00},                                      // empty (5.2.5 forbids it)
      {0x30, 0x03, 0x81, 0x01, 0x01},                    // a BOOLEAN neither 00 nor FF
      {0x30, 0x06, 0x81, 0x01, 0xFF, 0x82, 0x01, 0xFF},  // two "only" flags
      {0x30, 0x06, 0x82, 0x01, 0xFF, 0x81, 0x01, 0xFF},  // fields out of order
      {0x30, 0x03, 0x86, 0x01, 0xFF},                    // no field [6]
      {0x30, 0x03, 0x81, 0x01, 0xFF, 0x00},              // trailing data
  };
  for (const auto& value : malformed) {
    BOOST_TEST_CONTEXT("IDP " << pki::to_hex(value)) {
      expect_ignored(leaf, crl_with(inter, {.revoked = {leaf.cert}, .extra = {raw_idp(value)}}));
    }
  }
  expect_used(leaf,
              crl_with(inter, {.revoked = {leaf.cert}, .extra = {raw_idp({0x30, 0x03, 0x81, 0x01, 0xFF})}}));
  // onlyContainsCACerts FALSE written out is its DEFAULT (not DER, but unambiguous): the CRL
  // is used for the leaf, as if the flag were absent.
  expect_used(leaf,
              crl_with(inter, {.revoked = {leaf.cert}, .extra = {raw_idp({0x30, 0x03, 0x82, 0x01, 0x00})}}));
}

BOOST_AUTO_TEST_CASE(issuer_without_crl_sign_cannot_sign_usable_crls) {
  auto cert_only = ca_spec("CN=Cert-only CA,O=Acme,C=DE");
  cert_only.usage =
      pki::key_usage{pki::key_usage_flag::key_cert_sign | pki::key_usage_flag::digital_signature};
  auto no_usage = ca_spec("CN=Old-style CA,O=Acme,C=DE");
  no_usage.usage.reset();
  const auto& root = shared().root;
  // RFC 5280 6.3.3 (f) reads an absent keyUsage as every use; a CA without one is refused
  // by the section 4 profile (4.2.1.3), so the section 6 rules alone judge here.
  using path_crl_check = pki::validator<policy::rfc5280_path, policy::crl_check>;
  using path_crl_required = pki::validator<policy::rfc5280_path, policy::crl_required>;
  for (const auto& [spec, usable] : {std::pair{cert_only, false}, std::pair{no_usage, true}}) {
    BOOST_TEST_CONTEXT(spec.subject) {
      const auto ca = make_child(root, spec);
      const auto leaf = make_child(ca, leaf_spec());
      const std::vector bag{ca.cert};
      const path_crl_check check{anchors_of({root.cert})};
      const path_crl_required required{anchors_of({root.cert})};
      const std::vector listing{crl_of(root, {}), crl_of(ca, {leaf.cert})};
      const std::vector clean{crl_of(root, {}), crl_of(ca, {})};
      if (usable) {
        expect_failure(check.verify(leaf.cert, bag, {.time = when, .crls = listing}), errc::revoked, 0);
        BOOST_TEST(required.verify(leaf.cert, bag, {.time = when, .crls = clean}).has_value());
      } else {
        BOOST_TEST(check.verify(leaf.cert, bag, {.time = when, .crls = listing}).has_value());
        expect_failure(required.verify(leaf.cert, bag, {.time = when, .crls = clean}),
                       errc::revocation_unknown, 0);
      }
    }
  }
}

// RFC 5280 5.1.2.5: conforming issuers MUST include nextUpdate. Without one a CRL is never
// in force, so it vouches for nothing, but what it lists is revoked all the same.
BOOST_AUTO_TEST_CASE(crl_without_next_update_revokes_but_never_covers) {
  const auto& leaf = shared().leaf;
  const auto& h = shared();
  const auto drop_next_update = [&](const pki::crl& list) {
    auto fields = tbs_fields(list);
    fields.erase(fields.begin() + 4);  // version, signature, issuer, thisUpdate, nextUpdate
    auto edited = resigned(h.inter, list, fields);
    BOOST_TEST(!edited.next_update().has_value());
    return edited;
  };
  expect_used(leaf, drop_next_update(crl_with(h.inter, {.revoked = {leaf.cert}})));
  const auto clean = drop_next_update(crl_with(h.inter, {}));
  expect_not_covered(leaf, {clean});
  BOOST_TEST(crl_validator{anchors_of({h.root.cert})}
                 .verify(leaf.cert, std::vector{h.inter.cert}, {.time = when, .crls = std::vector{clean}})
                 .has_value());
  expect_covered(leaf, {crl_with(h.inter, {})});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(budgets)

BOOST_AUTO_TEST_CASE(many_same_name_issuers_exhaust_the_signature_budget) {
  // Ten CAs named like the leaf's issuer, with other keys and no key identifier to tell
  // them apart, come before the real one.
  const auto& root = shared().root;
  auto anonymous = ca_spec("CN=Busy CA");
  anonymous.ski = false;
  std::vector<pki::certificate<>> bag;
  for (int i = 0; i < 10; ++i) bag.push_back(make_child(root, anonymous).cert);
  const auto busy = make_child(root, ca_spec("CN=Busy CA"));
  bag.push_back(busy.cert);
  const auto leaf = make_child(busy, leaf_spec());
  const rfc5280_validator v{anchors_of({root.cert})};

  expect_path(v.verify(leaf.cert, bag, at_when), {leaf.cert, busy.cert, root.cert});
  const auto exhausted = v.verify(leaf.cert, bag, {.time = when, .budget = {.signature_checks = 5}});
  expect_error(exhausted, errc::budget_exhausted);
  BOOST_TEST((exhausted.error().budget() == pki::budget_kind::signature_checks));
  BOOST_TEST(contains(exhausted.error().message(), "(signature_checks)"), exhausted.error().message());
  const auto candidates = v.verify(leaf.cert, bag, {.time = when, .budget = {.issuer_candidates = 3}});
  expect_error(candidates, errc::budget_exhausted);
  BOOST_TEST((candidates.error().budget() == pki::budget_kind::issuer_candidates));
  BOOST_TEST(contains(candidates.error().message(), "candidates"), candidates.error().message());
}

BOOST_AUTO_TEST_CASE(web_of_self_issued_cas_exhausts_the_default_budget) {
  // Twenty CAs all named "CN=Hydra", each signed by the next one's key: every order of them
  // is a candidate path, none reaching an anchor.
  constexpr std::size_t n = 20;
  std::vector<pki::private_key<>> keys;
  for (std::size_t i = 0; i < n; ++i) keys.push_back(new_key());
  const auto hydra = dn("CN=Hydra");
  std::vector<pki::certificate<>> bag;
  for (std::size_t i = 0; i < n; ++i)
    bag.push_back(issue(keys[i], hydra, keys[(i + 1) % n], ca_spec("CN=Hydra")));
  const auto leaf = issue(new_key(), hydra, keys[0], leaf_spec());
  const rfc5280_validator v{anchors_of({shared().root.cert})};
  const auto found = v.search(leaf, bag, at_when);
  BOOST_TEST(!found);
  BOOST_TEST((found.failure.code() == errc::budget_exhausted), found.failure.message());
}

BOOST_AUTO_TEST_CASE(path_longer_than_the_intermediate_budget_is_budget_exhausted) {
  // root -> i1 -> i2 -> i3 -> leaf: three intermediates, a budget of two. The issuer is there;
  // the search stopped short of it, and the error must say so rather than "no issuer".
  const auto root = make_root();
  const auto i1 = make_child(root, ca_spec("CN=Policy CA 1"));
  const auto i2 = make_child(i1, ca_spec("CN=Policy CA 2"));
  const auto i3 = make_child(i2, ca_spec("CN=Issuing CA 3"));
  const auto leaf = make_child(i3, leaf_spec());
  const rfc5280_validator v{anchors_of({root.cert})};
  const std::vector bag{i1.cert, i2.cert, i3.cert};
  BOOST_TEST(v.verify(leaf.cert, bag, {.time = when, .budget = {.max_intermediates = 3}}).has_value());
  const auto r = v.verify(leaf.cert, bag, {.time = when, .budget = {.max_intermediates = 2}});
  expect_error(r, errc::budget_exhausted);
  BOOST_TEST((r.error().budget() == pki::budget_kind::intermediates));
}

BOOST_AUTO_TEST_CASE(name_constraint_comparisons_are_budgeted) {
  pki::name_constraints limits;
  for (int i = 0; i < 50; ++i)
    limits.permitted.emplace_back(pki::dns_name{"zone" + std::to_string(i) + ".example"});
  auto spec = ca_spec("CN=Many Subtrees CA");
  spec.name_limits = limits;
  const auto& root = shared().root;
  const auto ca = make_child(root, spec);
  std::vector<pki::general_name> sans;
  for (int i = 0; i < 20; ++i)
    sans.emplace_back(pki::dns_name{"host" + std::to_string(i) + ".zone7.example"});
  const auto leaf = make_child(ca, leaf_spec(sans));
  const pki::validator<policy::rfc5280, policy::name_constraints> v{anchors_of({root.cert})};
  const std::vector bag{ca.cert};
  BOOST_TEST(v.verify(leaf.cert, bag, at_when).has_value());
  const auto exhausted = v.verify(leaf.cert, bag, {.time = when, .budget = {.name_comparisons = 100}});
  expect_error(exhausted, errc::budget_exhausted);
  BOOST_TEST((exhausted.error().budget() == pki::budget_kind::name_comparisons));
  BOOST_TEST(contains(exhausted.error().message(), "name constraint"), exhausted.error().message());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(algorithms)

BOOST_AUTO_TEST_CASE(sha1_signature_is_weak_at_the_depth_of_the_signed_certificate) {
  const auto& root = shared().root;
  const pki::validator<policy::rfc5280, policy::forbid_sha1> v{anchors_of({root.cert})};
  auto sha1_leaf = leaf_spec();
  sha1_leaf.hash = pki::hash_algorithm::sha1;
  const auto inter = make_child(root, ca_spec("CN=Modern CA"));
  const auto leaf = make_child(inter, sha1_leaf);
  BOOST_TEST((leaf.cert.signature_algorithm().hash == pki::hash_algorithm::sha1));
  expect_failure(v.verify(leaf.cert, std::vector{inter.cert}, at_when), errc::weak_algorithm, 0);

  auto sha1_ca = ca_spec("CN=Legacy CA");
  sha1_ca.hash = pki::hash_algorithm::sha1;
  const auto legacy = make_child(root, sha1_ca);
  expect_failure(v.verify(make_child(legacy, leaf_spec()).cert, std::vector{legacy.cert}, at_when),
                 errc::weak_algorithm, 1);

  // The anchor's own signature is not relied on: a root self-signed with SHA-1 still serves.
  auto old_root_spec = root_spec("CN=SHA-1 Root");
  old_root_spec.hash = pki::hash_algorithm::sha1;
  const auto old_root = make_root(old_root_spec);
  const auto under_old = make_child(old_root, ca_spec("CN=Under SHA-1 Root"));
  const pki::validator<policy::rfc5280, policy::forbid_sha1> old{anchors_of({old_root.cert})};
  BOOST_TEST(
      old.verify(make_child(under_old, leaf_spec()).cert, std::vector{under_old.cert}, at_when).has_value());
}

BOOST_AUTO_TEST_CASE(rsa_1024_is_below_min_rsa_bits) {
  pki_test::temp_dir dir;
  const auto path = dir.file("rsa1024.pem");
  const auto made = pki_test::run_openssl(
      {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", path});
  BOOST_REQUIRE_MESSAGE(made.ok(), made.transcript());
  auto rsa1024 = value_of(pki::private_key<>::from_pem(pki_test::read_text_file(path)));
  BOOST_TEST(rsa1024.bits() == 1024U);

  const auto& h = shared();
  const pki::validator<policy::rfc5280, policy::min_rsa_bits<2048>> v{anchors_of({h.root.cert})};
  const auto weak_leaf = make_child(h.inter, leaf_spec(), std::move(rsa1024));
  expect_failure(v.verify(weak_leaf.cert, std::vector{h.inter.cert}, at_when), errc::weak_algorithm, 0);

  // A 1024-bit issuing CA is as weak as a 1024-bit leaf.
  auto weak_ca_key = value_of(pki::private_key<>::from_pem(pki_test::read_text_file(path)));
  const auto weak_ca = make_child(h.root, ca_spec("CN=RSA-1024 CA"), std::move(weak_ca_key));
  expect_failure(v.verify(make_child(weak_ca, leaf_spec()).cert, std::vector{weak_ca.cert}, at_when),
                 errc::weak_algorithm, 1);

  const auto strong_leaf = make_child(h.inter, leaf_spec(), new_key(pki::rsa<2048>::id));
  BOOST_TEST(v.verify(strong_leaf.cert, std::vector{h.inter.cert}, at_when).has_value());
}

BOOST_AUTO_TEST_CASE(allowed_curves_at_each_depth) {
  const auto root = make_root(root_spec(), new_key(pki::ecdsa_p384::id));
  const auto p384_ca = make_child(root, ca_spec("CN=P-384 CA"), new_key(pki::ecdsa_p384::id));
  const auto p256_ca = make_child(root, ca_spec("CN=P-256 CA"), new_key(pki::ecdsa_p256::id));
  const pki::validator<policy::rfc5280, policy::allowed_curves<pki::curve::p384>> p384_only{
      anchors_of({root.cert})};
  const auto p384_leaf = make_child(p384_ca, leaf_spec(), new_key(pki::ecdsa_p384::id));
  const auto p256_leaf = make_child(p384_ca, leaf_spec(), new_key(pki::ecdsa_p256::id));
  expect_path(p384_only.verify(p384_leaf.cert, std::vector{p384_ca.cert}, at_when),
              {p384_leaf.cert, p384_ca.cert, root.cert});
  expect_failure(p384_only.verify(p256_leaf.cert, std::vector{p384_ca.cert}, at_when), errc::weak_algorithm,
                 0);
  const auto under_p256 = make_child(p256_ca, leaf_spec(), new_key(pki::ecdsa_p384::id));
  expect_failure(p384_only.verify(under_p256.cert, std::vector{p256_ca.cert}, at_when), errc::weak_algorithm,
                 1);
  // The anchor's curve counts too.
  const pki::validator<policy::rfc5280, policy::allowed_curves<pki::curve::p256>> p256_only{
      anchors_of({root.cert})};
  const auto all_p256_below = make_child(p256_ca, leaf_spec(), new_key(pki::ecdsa_p256::id));
  expect_failure(p256_only.verify(all_p256_below.cert, std::vector{p256_ca.cert}, at_when),
                 errc::weak_algorithm, 2);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(other_rules)

BOOST_AUTO_TEST_CASE(max_depth_counts_intermediates) {
  const auto& h = shared();
  const auto second = make_child(h.inter, ca_spec("CN=Second Issuing CA"));
  const auto deep_leaf = make_child(second, leaf_spec());
  const pki::validator<policy::rfc5280, policy::max_depth<1>> v{anchors_of({h.root.cert})};
  BOOST_TEST(v.verify(h.leaf.cert, std::vector{h.inter.cert}, at_when).has_value());
  expect_failure(v.verify(deep_leaf.cert, std::vector{second.cert, h.inter.cert}, at_when),
                 errc::depth_exceeded, 2);
  const pki::validator<policy::rfc5280, policy::max_depth<2>> two{anchors_of({h.root.cert})};
  BOOST_TEST(two.verify(deep_leaf.cert, std::vector{second.cert, h.inter.cert}, at_when).has_value());
}

// RFC 5280 6.1.4 (l): a self-issued certificate (a CA's key rollover) is not counted against
// the path length, by pathLenConstraint nor by max_depth.
BOOST_AUTO_TEST_CASE(max_depth_does_not_count_self_issued_intermediates) {
  const auto& h = shared();
  const auto rollover =
      make_child(h.inter, ca_spec(h.inter.cert.subject().to_string()));  // new key, same name
  BOOST_REQUIRE(rollover.cert.is_self_issued());
  const auto leaf = make_child(rollover, leaf_spec());
  const std::vector bag{rollover.cert, h.inter.cert};
  const pki::validator<policy::rfc5280, policy::max_depth<1>> one{anchors_of({h.root.cert})};
  expect_path(one.verify(leaf.cert, bag, at_when), {leaf.cert, rollover.cert, h.inter.cert, h.root.cert});
  const pki::validator<policy::rfc5280, policy::max_depth<0>> none{anchors_of({h.root.cert})};
  expect_failure(none.verify(leaf.cert, bag, at_when), errc::depth_exceeded, 2);
  // Under a CA that is not self-issued, the same shape counts both.
  const auto second = make_child(h.inter, ca_spec("CN=Second Issuing CA"));
  const auto deep_leaf = make_child(second, leaf_spec());
  expect_failure(one.verify(deep_leaf.cert, std::vector{second.cert, h.inter.cert}, at_when),
                 errc::depth_exceeded, 2);
}

pki::digest pin_of(const pki::certificate<>& cert) {
  return value_of(pki::hash(pki::hash_algorithm::sha256, cert.public_key_der()));
}

BOOST_AUTO_TEST_CASE(spki_pin_matches_anywhere_in_the_path) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  using pinned_validator = pki::validator<policy::rfc5280, policy::spki_pin>;
  for (const auto* cert : {&h.leaf.cert, &h.inter.cert, &h.root.cert}) {
    BOOST_TEST_CONTEXT("pin of " << cert->subject().to_string()) {
      const pinned_validator v{anchors_of({h.root.cert}), policy::rfc5280{},
                               policy::spki_pin{{pin_of(make_root().cert), pin_of(*cert)}}};
      BOOST_TEST(v.verify(h.leaf.cert, bag, at_when).has_value());
    }
  }
  const pinned_validator stranger{anchors_of({h.root.cert}), policy::rfc5280{},
                                  policy::spki_pin{{pin_of(make_root().cert)}}};
  const auto r = stranger.verify(h.leaf.cert, bag, at_when);
  expect_error(r, errc::pin_mismatch);
  BOOST_TEST(!r.error().has_depth());
  // No pins pins nothing.
  const pinned_validator empty{anchors_of({h.root.cert})};
  expect_error(empty.verify(h.leaf.cert, bag, at_when), errc::pin_mismatch);
}

/// A user's rule: every certificate below the anchor must be Acme's.
struct acme_only : pki::policy::rule {
  [[nodiscard]] pki::result<void> check(const pki::path_context& ctx, std::size_t depth) const {
    if (ctx.is_anchor(depth)) return {};
    const auto orgs = ctx.path[depth].subject().values(pki::attribute::organization_name.oid());
    if (std::ranges::find(orgs, "Acme") == orgs.end()) {
      return pki::fail_at(depth, errc::nonconforming, "a certificate outside organization Acme");
    }
    return {};
  }
};

/// A user's rule with a setting: a leaf lives at most `limit`.
struct short_lived_leaf : pki::policy::rule {
  short_lived_leaf() = default;
  explicit short_lived_leaf(std::chrono::days max) : limit(max) {}

  [[nodiscard]] pki::result<void> check(const pki::path_context& ctx, std::size_t depth) const {
    const auto& cert = ctx.path[depth];
    if (depth == 0 && cert.not_after() - cert.not_before() > limit) {
      return pki::fail_at(depth, errc::validity_too_long, "a leaf living longer than the policy allows");
    }
    return {};
  }

  std::chrono::days limit{90};
};

BOOST_AUTO_TEST_CASE(user_defined_rules_compose_and_their_errors_surface) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  const auto outsider =
      make_child(h.inter, leaf_spec({pki::dns_name{"www.example.com"}}, "CN=www.example.com,O=Other"));
  const pki::validator<policy::rfc5280, acme_only> v{anchors_of({h.root.cert})};
  BOOST_TEST(v.verify(h.leaf.cert, bag, at_when).has_value());
  const auto refused = v.verify(outsider.cert, bag, at_when);
  expect_failure(refused, errc::nonconforming, 0);
  BOOST_TEST(std::string_view(refused.error().context()) == "a certificate outside organization Acme");
  // An outsider issuing CA is blamed at its own depth.
  const auto other_ca = make_child(h.root, ca_spec("CN=Other CA,O=Other"));
  expect_failure(v.verify(make_child(other_ca, leaf_spec()).cert, std::vector{other_ca.cert}, at_when),
                 errc::nonconforming, 1);

  // Rules nest in presets and take settings; the first failing rule decides.
  const pki::validator<policy::iot_mtls_client, short_lived_leaf> strict{
      anchors_of({h.root.cert}), policy::iot_mtls_client{}, short_lived_leaf{std::chrono::days{398}}};
  BOOST_TEST(strict.verify(h.leaf.cert, bag, for_peer(pki::dns_name{"www.example.com"})).has_value());
  const pki::validator<policy::iot_mtls_client, short_lived_leaf> stricter{anchors_of({h.root.cert})};
  expect_failure(stricter.verify(h.leaf.cert, bag, for_peer(pki::dns_name{"www.example.com"})),
                 errc::validity_too_long, 0);
  expect_failure(stricter.verify(h.leaf.cert, bag, for_peer(pki::dns_name{"other.example.com"})),
                 errc::name_mismatch, 0);
  const pki::validator<short_lived_leaf, policy::iot_mtls_client> user_first{anchors_of({h.root.cert})};
  expect_failure(user_first.verify(h.leaf.cert, bag, for_peer(pki::dns_name{"other.example.com"})),
                 errc::validity_too_long, 0);
}

BOOST_AUTO_TEST_CASE(explain_names_depth_subject_and_expiry_date) {
  auto expired_ca = ca_spec("CN=Test Issuing CA,O=Acme,C=DE");
  expired_ca.period = ended;
  const auto h = make_three_level(root_spec(), expired_ca);
  const rfc5280_validator v{anchors_of({h.root.cert})};
  const auto found = v.search(h.leaf.cert, std::vector{h.inter.cert}, at_when);
  BOOST_TEST_REQUIRE(!found);
  BOOST_TEST((found.failure.code() == errc::expired));
  BOOST_TEST(found.failure.depth() == 1);
  BOOST_TEST_REQUIRE(found.attempts.size() == 1U);
  const std::string line = found.attempts[0].describe();
  BOOST_TEST(contains(line, "certificate at depth 1"), line);
  BOOST_TEST(contains(line, "CN=Test Issuing CA,O=Acme,C=DE"), line);
  BOOST_TEST(contains(line, "expired on 2026-01-01"), line);
  const std::string text = found.explain();
  BOOST_TEST(
      contains(text, "candidate path 1: CN=www.example.com,O=Acme,C=DE <- CN=Test Issuing CA,O=Acme,C=DE"),
      text);
  BOOST_TEST(contains(text, line), text);
  // The error alone says as much, without the date.
  BOOST_TEST(contains(found.failure.message(), "certificate at depth 1"), found.failure.message());
}

BOOST_AUTO_TEST_SUITE_END()

// RFC 5280 section 4's rules on conforming CAs (policy::rfc5280_profile). Each scenario
// shows the split is real: policy::rfc5280 (both halves) refuses the certificate at its
// depth, policy::rfc5280_path alone accepts the same chain.
BOOST_AUTO_TEST_SUITE(rfc5280_profile_rules)

/// rfc5280 refuses `leaf` with nonconforming at `depth` and a context naming `clause`;
/// rfc5280_path, trusting the same anchor, accepts it.
void expect_profile_refusal(const pki::certificate<>& anchor, const pki::certificate<>& leaf,
                            const std::vector<pki::certificate<>>& bag, int depth, std::string_view clause) {
  const pki::validator<policy::rfc5280> both{anchors_of({anchor})};
  const pki::validator<policy::rfc5280_path> path_only{anchors_of({anchor})};
  const auto refused = both.verify(leaf, bag, at_when);
  expect_failure(refused, errc::nonconforming, depth);
  if (!refused) BOOST_TEST(contains(refused.error().message(), clause), refused.error().message());
  const auto accepted = path_only.verify(leaf, bag, at_when);
  BOOST_TEST(accepted.has_value(), pki_test::error_text(accepted));
}

/// The extension `typed` with the criticality `critical`, for cert_spec::extra.
template <class T>
pki::extension marked(const T& typed, bool critical) {
  return value_of(pki::to_extension(typed, critical));
}

// 4.2.1.2 (SKI), 4.2.1.9 (critical basicConstraints) and 4.2.1.3 (keyUsage) in CA
// certificates: an intermediate and a self-signed root are held to them; an intermediate
// the caller trusts directly as its anchor is taken as configured.
BOOST_AUTO_TEST_CASE(ca_certificates_carry_ski_critical_basic_constraints_and_key_usage) {
  struct omission {
    const char* what;
    void (*apply)(cert_spec&);
    std::string_view clause;
  };
  const omission omissions[] = {
      {"no subject key identifier", [](cert_spec& s) { s.ski = false; }, "4.2.1.2"},
      {"basic constraints not critical",
       [](cert_spec& s) {
         s.extra.push_back(marked(*s.constraints, false));
         s.constraints.reset();
       },
       "4.2.1.9"},
      {"no key usage", [](cert_spec& s) { s.usage.reset(); }, "4.2.1.3"},
  };
  for (const auto& o : omissions) {
    BOOST_TEST_CONTEXT(o.what) {
      auto inter_spec = ca_spec("CN=Test Issuing CA,O=Acme,C=DE");
      o.apply(inter_spec);
      const auto bad_inter = make_three_level(root_spec(), inter_spec);
      expect_profile_refusal(bad_inter.root.cert, bad_inter.leaf.cert, {bad_inter.inter.cert}, 1, o.clause);

      auto root = root_spec();
      o.apply(root);
      const auto bad_root = make_three_level(root);
      expect_profile_refusal(bad_root.root.cert, bad_root.leaf.cert, {bad_root.inter.cert}, 2, o.clause);

      const pki::validator<policy::rfc5280> trusting_the_ca{anchors_of({bad_inter.inter.cert})};
      expect_path(trusting_the_ca.verify(bad_inter.leaf.cert, {}, at_when),
                  {bad_inter.leaf.cert, bad_inter.inter.cert});
    }
  }
  // An end entity needs none of them.
  auto bare_leaf = leaf_spec();
  bare_leaf.ski = false;
  bare_leaf.usage.reset();
  bare_leaf.constraints.reset();
  const auto& h = shared();
  const pki::validator<policy::rfc5280> v{anchors_of({h.root.cert})};
  BOOST_TEST(v.verify(make_child(h.inter, bare_leaf).cert, std::vector{h.inter.cert}, at_when).has_value());
}

// 4.2.1.3: "If the keyCertSign bit is asserted, then the cA bit in the basic constraints
// extension MUST also be asserted": at the leaf too, and in a leaf that is its own anchor.
BOOST_AUTO_TEST_CASE(key_cert_sign_only_with_the_ca_bit) {
  const auto& h = shared();
  auto spec = leaf_spec();
  spec.usage = pki::key_usage{pki::key_usage_flag::key_cert_sign | pki::key_usage_flag::digital_signature};
  const auto leaf = make_child(h.inter, spec);
  expect_profile_refusal(h.root.cert, leaf.cert, {h.inter.cert}, 0, "4.2.1.3");
  // Without a basicConstraints at all, likewise.
  spec.constraints.reset();
  expect_profile_refusal(h.root.cert, make_child(h.inter, spec).cert, {h.inter.cert}, 0, "4.2.1.3");

  auto pinned_spec = spec;
  pinned_spec.subject = "CN=pinned.example.com";
  pinned_spec.sans = {pki::dns_name{"pinned.example.com"}};
  const auto pinned = make_root(pinned_spec);
  const pki::validator<policy::rfc5280> v{anchors_of({pinned.cert})};
  expect_failure(v.verify(pinned.cert, {}, at_when), errc::nonconforming, 0);
  const pki::validator<policy::rfc5280_path> path_only{anchors_of({pinned.cert})};
  expect_path(path_only.verify(pinned.cert, {}, at_when), {pinned.cert});
}

// 4.1.2.6, 4.2.1.6: a certificate named only by its subjectAltName has an empty subject and
// a critical subjectAltName.
BOOST_AUTO_TEST_CASE(empty_subject_needs_a_critical_subject_alt_name) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  BOOST_TEST_REQUIRE(dn("").empty());
  const auto non_critical = make_child(h.inter, leaf_spec({pki::dns_name{"www.example.com"}}, ""));
  expect_profile_refusal(h.root.cert, non_critical.cert, bag, 0, "4.2.1.6");
  const auto without = make_child(h.inter, leaf_spec({}, ""));
  expect_profile_refusal(h.root.cert, without.cert, bag, 0, "4.1.2.6");

  auto critical = leaf_spec({}, "");
  critical.extra.push_back(marked(pki::subject_alt_name{{pki::dns_name{"www.example.com"}}}, true));
  const pki::validator<policy::rfc5280> v{anchors_of({h.root.cert})};
  BOOST_TEST(v.verify(make_child(h.inter, critical).cert, bag, at_when).has_value());
}

// 4.2.1.9 with 4.1.2.1: a CA certificate has basicConstraints, so a v1 root is no
// conforming CA; section 6 takes a v1 anchor on trust (6.1.4 (k): out-of-band proof).
BOOST_AUTO_TEST_CASE(v1_root_is_not_a_conforming_ca) {
  auto v3 = make_root(root_spec("CN=Version 1 Root,O=Acme,C=DE"));
  const auto v1 = as_v1(v3.cert, v3.key);
  const node root{v1, std::move(v3.key)};
  const auto leaf = make_child(root, leaf_spec());
  expect_profile_refusal(v1, leaf.cert, {}, 1, "4.2.1.9");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(web_pki_rules)

using web_validator = pki::validator<policy::rfc5280, policy::subscriber_common_name>;

// CA/B Forum BR 7.1.4.3: a subscriber's common name, when present, is one entry that repeats
// a subjectAltName value verbatim (an address in canonical text).
BOOST_AUTO_TEST_CASE(subscriber_common_name_repeats_a_san_entry_verbatim) {
  const auto& h = shared();
  const web_validator v{anchors_of({h.root.cert})};
  const std::vector bag{h.inter.cert};
  const auto verdict = [&](std::vector<pki::general_name> sans, std::string subject) {
    return v.verify(make_child(h.inter, leaf_spec(std::move(sans), std::move(subject))).cert, bag, at_when);
  };
  const std::vector<pki::general_name> www{pki::dns_name{"www.example.com"}, pki::dns_name{"example.com"}};
  BOOST_TEST(verdict(www, "CN=example.com,O=Acme").has_value());
  BOOST_TEST(verdict(www, "O=Acme,C=DE").has_value());  // no common name: nothing to repeat
  expect_failure(verdict(www, "CN=mail.example.com"), errc::nonconforming, 0);
  expect_failure(verdict(www, "CN=WWW.example.com"), errc::nonconforming, 0);  // not verbatim
  expect_failure(verdict(www, "CN=www.example.com+CN=example.com"), errc::nonconforming, 0);
  const std::vector<pki::general_name> a_label{pki::dns_name{"xn--bcher-kva.example"}};
  BOOST_TEST(verdict(a_label, "CN=xn--bcher-kva.example").has_value());
  expect_failure(verdict(a_label, "CN=b\u00fccher.example"), errc::nonconforming, 0);  // the U-label

  const std::vector<pki::general_name> v4{ip("127.0.0.1")};
  BOOST_TEST(verdict(v4, "CN=127.0.0.1").has_value());
  for (const char* spelling : {"CN=127.000.000.001", "CN=0x7F000001", "CN=127.1"}) {
    BOOST_TEST_CONTEXT(spelling) {
      expect_failure(verdict(v4, spelling), errc::nonconforming, 0);
    }
  }
  const std::vector<pki::general_name> v6{ip("2001:db8::1")};
  BOOST_TEST(verdict(v6, "CN=2001:db8::1").has_value());  // RFC 5952 text
  for (const char* spelling : {"CN=2001:DB8::1", "CN=2001:db8:0:0:0:0:0:1", "CN=2001:0db8::0001"}) {
    BOOST_TEST_CONTEXT(spelling) {
      expect_failure(verdict(v6, spelling), errc::nonconforming, 0);
    }
  }
  // The reason says which rule.
  const auto refused = verdict(www, "CN=mail.example.com");
  BOOST_REQUIRE(!refused);
  BOOST_TEST(contains(refused.error().message(), "common name is not one of its subjectAltName entries"));
  // Not a subscriber rule: an intermediate's common name is its own.
  const pki::validator<policy::rfc5280> plain{anchors_of({h.root.cert})};
  BOOST_TEST(plain.verify(make_child(h.inter, leaf_spec(www, "CN=mail.example.com")).cert, bag, at_when)
                 .has_value());
}

// BR 7.1.2.1's root profile (no EKU, an AKI naming only the root's own key) is for roots:
// a subordinate CA trusted directly as an anchor is judged as the CA it is.
BOOST_AUTO_TEST_CASE(root_rules_bind_only_self_issued_anchors) {
  auto tls_ca = ca_spec("CN=TLS Issuing CA,O=Acme,C=DE");
  tls_ca.purposes = pki::extended_key_usage::of({pki::extended_key_usage::server_auth});
  const auto inter = make_child(shared().root, tls_ca);
  const auto leaf = make_child(inter, leaf_spec()).cert;
  const pki::validator<policy::web_server> trusting_the_ca{anchors_of({inter.cert})};
  expect_path(trusting_the_ca.verify(leaf, {}, at_when), {leaf, inter.cert});
  auto root_with_eku = root_spec("CN=Root With EKU,O=Acme,C=DE");
  root_with_eku.purposes = pki::extended_key_usage::of({pki::extended_key_usage::server_auth});
  const auto root = make_root(root_with_eku);
  const auto under_root = make_child(root, leaf_spec()).cert;
  const pki::validator<policy::web_server> trusting_the_root{anchors_of({root.cert})};
  expect_failure(trusting_the_root.verify(under_root, {}, at_when), errc::nonconforming, 1);
}

// BR 7.1.2.7.6 and 7.1.2.7.10: a subscriber certificate has an extended key usage, not
// critical. RFC 5280 lets a certificate without one serve any purpose (rfc5280_server).
BOOST_AUTO_TEST_CASE(subscriber_extended_key_usage_is_present_and_not_critical) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  const pki::validator<policy::web_server> web{anchors_of({h.root.cert})};
  const pki::validator<policy::rfc5280_server> rfc{anchors_of({h.root.cert})};
  auto without = leaf_spec();
  without.purposes.reset();
  auto critical = leaf_spec();
  critical.purposes.reset();
  critical.extra.push_back(
      value_of(pki::to_extension(pki::extended_key_usage::of({pki::extended_key_usage::server_auth}), true)));
  for (const auto& [spec, rule] : {std::pair{without, "without extended key usage"},
                                   std::pair{critical, "a critical extended key usage"}}) {
    BOOST_TEST_CONTEXT(rule) {
      const auto leaf = make_child(h.inter, spec).cert;
      const auto refused = web.verify(leaf, bag, at_when);
      expect_failure(refused, errc::nonconforming, 0);
      if (!refused) BOOST_TEST(contains(refused.error().message(), rule), refused.error().message());
      BOOST_TEST(rfc.verify(leaf, bag, at_when).has_value());
    }
  }
  BOOST_TEST(web.verify(h.leaf.cert, bag, at_when).has_value());
}

// BR 7.1.2.11.1: below the root, the AKI is a keyIdentifier alone. web_pki checks it
// itself, so it holds without rfc5280_profile's 4.2.1.1 rule (which only wants the keyIdentifier).
BOOST_AUTO_TEST_CASE(authority_key_identifier_below_the_root_is_a_key_identifier_alone) {
  const auto& h = shared();
  const std::vector bag{h.inter.cert};
  const pki::validator<policy::rfc5280_path, policy::web_pki> v{anchors_of({h.root.cert})};
  const pki::validator<policy::rfc5280_path> path_only{anchors_of({h.root.cert})};
  auto no_aki = leaf_spec();
  no_aki.aki = false;
  const auto leaf = make_child(h.inter, no_aki).cert;
  expect_failure(v.verify(leaf, bag, at_when), errc::nonconforming, 0);
  BOOST_TEST(path_only.verify(leaf, bag, at_when).has_value());

  auto ca_without = ca_spec("CN=Test Issuing CA,O=Acme,C=DE");
  ca_without.aki = false;
  const auto inter = make_child(h.root, ca_without);
  const auto under = make_child(inter, leaf_spec()).cert;
  expect_failure(v.verify(under, std::vector{inter.cert}, at_when), errc::nonconforming, 1);

  auto aki = value_of(pki::authority_key_identifier::from_public_key_der(
      value_of(value_of(h.inter.key.public_key()).to_der())));
  aki.issuer = {h.root.cert.subject()};
  aki.serial = pki::byte_buffer{0x01};
  auto naming = leaf_spec();
  naming.aki = false;
  naming.extra.push_back(value_of(pki::to_extension(aki)));
  const auto named = make_child(h.inter, naming).cert;
  expect_failure(v.verify(named, bag, at_when), errc::nonconforming, 0);
  const pki::validator<policy::rfc5280> rfc{anchors_of({h.root.cert})};
  BOOST_TEST(rfc.verify(named, bag, at_when).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(presets)

// A hierarchy the certificate authority issues under its own profiles.
struct issued_hierarchy {
  pki::certificate_authority<pki::ecdsa_p384> root;
  pki::certificate_authority<pki::ecdsa_p256> inter;
};

const issued_hierarchy& issued() {
  static const issued_hierarchy h = [] {
    auto root = value_of(pki::certificate_authority<pki::ecdsa_p384>::create_root(
        value_of(pki::private_key<pki::ecdsa_p384>::generate()), dn("CN=Acme Root CA,O=Acme,C=DE"),
        root_period));
    auto inter = value_of(root.create_intermediate(value_of(pki::private_key<pki::ecdsa_p256>::generate()),
                                                   dn("CN=Acme Issuing CA,O=Acme,C=DE"), ca_period));
    return issued_hierarchy{std::move(root), std::move(inter)};
  }();
  return h;
}

BOOST_AUTO_TEST_CASE(web_server_accepts_a_tls_server_certificate_from_the_authority) {
  const auto& h = issued();
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const auto request =
      value_of(pki::csr_builder().subject("CN=www.example.com").dns("www.example.com").sign(key));
  const auto leaf = value_of(h.inter.issue(request, pki::profile::tls_server{}, leaf_period));
  const pki::validator<policy::web_server> v{anchors_of({h.root.certificate()})};
  const std::vector<pki::certificate<>> bag{h.inter.certificate()};
  expect_path(v.verify(leaf, bag, for_peer(pki::dns_name{"www.example.com"})),
              {leaf, h.inter.certificate(), h.root.certificate()});
  expect_failure(v.verify(leaf, bag, for_peer(pki::dns_name{"mail.example.com"})), errc::name_mismatch, 0);
  expect_failure(v.verify(leaf, bag, {.peer = pki::dns_name{"www.example.com"}, .time = at(2027, 6, 1)}),
                 errc::expired, 0);
}

// pki::verify(): web_server's rules without naming them, the store only read.
BOOST_AUTO_TEST_CASE(the_shortest_call_applies_the_web_server_rules) {
  const auto& h = issued();
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const auto request =
      value_of(pki::csr_builder().subject("CN=www.example.com").dns("www.example.com").sign(key));
  const auto leaf = value_of(h.inter.issue(request, pki::profile::tls_server{}, leaf_period));
  const auto anchors = anchors_of({h.root.certificate()});
  const std::vector<pki::certificate<>> bag{h.inter.certificate()};
  expect_path(pki::verify(leaf, bag, anchors, for_peer(pki::dns_name{"www.example.com"})),
              {leaf, h.inter.certificate(), h.root.certificate()});
  const auto in_place = pki::verify<3>(leaf, bag, anchors, at_when);
  BOOST_TEST((in_place && in_place->size() == 3U));
  expect_error(pki::verify<2>(leaf, bag, anchors, at_when), errc::buffer_too_small);
  expect_failure(pki::verify(leaf, bag, anchors, for_peer(pki::dns_name{"mail.example.com"})),
                 errc::name_mismatch, 0);
  expect_failure(pki::verify(leaf, {}, anchors, at_when), errc::untrusted, 0);
  // A client certificate is not a server's (serverAuth), and web_pki's rules apply.
  const auto device = value_of(h.inter.issue(value_of(pki::csr_builder().subject("CN=device-7").sign(key)),
                                             pki::profile::tls_client{}, leaf_period));
  expect_failure(pki::verify(device, bag, anchors, at_when), errc::usage_not_allowed, 0);
}

// policies<>::get(): a rule's settings are readable and adjustable through the validator.
BOOST_AUTO_TEST_CASE(rules_are_reachable_by_type) {
  const auto& h = shared();
  pki::policies<policy::rfc5280, policy::spki_pin> rules{
      policy::rfc5280{}, policy::spki_pin{{other_rules::pin_of(h.root.cert)}}};
  BOOST_TEST(rules.get<policy::spki_pin>().pins.size() == 1U);
  rules.get<policy::spki_pin>().pins.clear();
  const pki::validator<decltype(rules)> v{anchors_of({h.root.cert}), rules};
  BOOST_TEST(v.rules().get<decltype(rules)>().get<policy::spki_pin>().pins.empty());
  expect_error(v.verify(h.leaf.cert, std::vector{h.inter.cert}, at_when), errc::pin_mismatch);
}

BOOST_AUTO_TEST_CASE(iot_presets_tell_client_from_server_certificates) {
  const auto& h = issued();
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const auto request = value_of(pki::csr_builder().subject("CN=device-42,O=Acme").sign(key));
  const auto device = value_of(h.inter.issue(request, pki::profile::tls_client{}, leaf_period));
  const std::vector<pki::certificate<>> bag{h.inter.certificate()};
  const pki::validator<policy::iot_mtls_server> server{anchors_of({h.root.certificate()})};
  expect_path(server.verify(device, bag, at_when), {device, h.inter.certificate(), h.root.certificate()});
  const pki::validator<policy::iot_mtls_client> client{anchors_of({h.root.certificate()})};
  expect_failure(client.verify(device, bag, at_when), errc::usage_not_allowed, 0);
}

// rfc5280_strict_path: section 6 alone. What section 4 asks of CAs passes; what path
// validation decides still fails, at the same depth as under rfc5280.
BOOST_AUTO_TEST_CASE(rfc5280_strict_path_is_section_6_without_the_profile) {
  const auto& root = shared().root;
  const pki::validator<policy::rfc5280_strict_path> strict{anchors_of({root.cert})};
  const pki::validator<policy::rfc5280_server> server{anchors_of({root.cert})};
  auto sloppy_ca = ca_spec("CN=Sloppy CA,O=Acme,C=DE");
  sloppy_ca.ski = false;
  sloppy_ca.usage.reset();
  const auto ca = make_child(root, sloppy_ca);
  auto sloppy_leaf = leaf_spec();
  sloppy_leaf.aki = false;
  sloppy_leaf.purposes = pki::extended_key_usage::of({pki::extended_key_usage::client_auth});
  const auto leaf = make_child(ca, sloppy_leaf).cert;
  const std::vector bag{ca.cert};
  expect_path(strict.verify(leaf, bag, at_when), {leaf, ca.cert, root.cert});
  expect_failure(server.verify(leaf, bag, at_when), errc::nonconforming, 0);  // the leaf's AKI, first

  auto expired = sloppy_leaf;
  expired.period = ended;
  expect_failure(strict.verify(make_child(ca, expired).cert, bag, at_when), errc::expired, 0);
  auto not_ca = ca_spec("CN=Not A CA,O=Acme,C=DE");
  not_ca.constraints = pki::basic_constraints{};
  const auto fake = make_child(root, not_ca);
  expect_failure(strict.verify(make_child(fake, leaf_spec()).cert, std::vector{fake.cert}, at_when),
                 errc::issuer_not_ca, 1);
  auto limited = ca_spec("CN=Limited CA,O=Acme,C=DE");
  limited.name_limits = pki::name_constraints{.permitted = {{pki::dns_name{"example.org"}}}};
  const auto constrained = make_child(root, limited);
  expect_failure(
      strict.verify(make_child(constrained, leaf_spec()).cert, std::vector{constrained.cert}, at_when),
      errc::name_constraint_violation, 0);
}

BOOST_AUTO_TEST_SUITE_END()
