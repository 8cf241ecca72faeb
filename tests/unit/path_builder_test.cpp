// path_builder on its own, under a policy that accepts every certificate (policy::rule),
// so that what is seen is the search itself: a path from any order of the bag, which of
// several issuers of one name is tried first, cross-certificates and loops, the budgets at
// their edges, the end of a path that reaches no anchor, the depth each failure names and
// the record of the candidate paths given up. The validator suite checks the same search
// under the RFC 5280 rules.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"
#include "support/hierarchy.hpp"

using pki::errc;
using pki_test::contains;
using pki_test::dn;
using pki_test::value_of;

using namespace pki_test;  // the shared hierarchy (support/hierarchy.hpp)

namespace {

const pki::policy::rule accept_all;

using certs = std::vector<pki::certificate<>>;

pki::path_search search(const pki::trust_store& anchors, const certs& bag, const pki::certificate<>& leaf,
                        const pki::validation_options& options = at_when) {
  return pki::path_builder(anchors, bag).build(leaf, accept_all, options);
}

template <class Policy>
pki::path_search search_under(const Policy& policy, const pki::trust_store& anchors, const certs& bag,
                              const pki::certificate<>& leaf) {
  return pki::path_builder(anchors, bag).build(leaf, policy, at_when);
}

std::string subjects(const certs& path) {
  std::string text;
  for (const auto& cert : path) text += (text.empty() ? "" : " <- ") + cert.subject().to_string();
  return text;
}

/// The search found exactly `expected`, leaf first.
void expect_found(const pki::path_search& found, const certs& expected) {
  BOOST_REQUIRE_MESSAGE(found.path.has_value(), found.failure.message() << "\n" << found.explain());
  BOOST_TEST(bool(found));
  BOOST_TEST((*found.path == expected), "expected " << subjects(expected) << ", got " << subjects(*found.path));
}

/// The search failed with exactly `code` at exactly `depth`.
void expect_search_failure(const pki::path_search& found, errc code, int depth) {
  // Boost.Test evaluates the message even when the assertion passes: it must not read an empty path.
  BOOST_REQUIRE_MESSAGE(!found.path.has_value(),
                        "expected a failure, found " << subjects(found.path.value_or(certs{})));
  BOOST_TEST((found.failure.code() == code),
             "expected " << pki::describe(code) << ", got " << found.failure.message());
  BOOST_TEST(found.failure.depth() == depth, "expected depth " << depth << ", got " << found.failure.message());
}

/// A rule refusing the certificate named `subject` wherever it appears, with `code`.
struct refuse_subject : pki::policy::rule {
  std::string subject;
  errc code = errc::weak_algorithm;

  [[nodiscard]] pki::result<void> check(const pki::path_context& ctx, std::size_t depth) const {
    if (ctx.path[depth].subject().to_string() == subject) return pki::fail_at(depth, code, "refused by the test");
    return {};
  }
};

/// A rule refusing every RSA issuer key (check_key sees a candidate before its signature is checked).
struct no_rsa_issuers : pki::policy::rule {
  [[nodiscard]] pki::result<void> check_key(const pki::public_key<>& key, std::size_t depth) const {
    if (key.algorithm().type == pki::key_type::rsa) return pki::fail_at(depth, errc::weak_algorithm, "RSA issuer");
    return {};
  }
};

/// root -> i1 -> i2 -> i3 -> leaf.
struct four_level {
  node root;
  node i1;
  node i2;
  node i3;
  node leaf;
};

const four_level& deep() {
  static const four_level h = [] {
    auto root = make_root();
    auto i1 = make_child(root, ca_spec("CN=Policy CA 1"));
    auto i2 = make_child(i1, ca_spec("CN=Policy CA 2"));
    auto i3 = make_child(i2, ca_spec("CN=Issuing CA 3"));
    auto leaf = make_child(i3, leaf_spec());
    return four_level{std::move(root), std::move(i1), std::move(i2), std::move(i3), std::move(leaf)};
  }();
  return h;
}

/// A and B certify each other, A is also certified by the shared root, and the leaf is A's.
struct loop_with_a_way_out {
  pki::certificate<> a_by_b;
  pki::certificate<> b_by_a;
  pki::certificate<> a_by_root;
  pki::certificate<> leaf;
};

const loop_with_a_way_out& loop() {
  static const loop_with_a_way_out l = [] {
    const auto& root = shared().root;
    const auto key_a = new_key();
    const auto key_b = new_key();
    return loop_with_a_way_out{issue(key_a, dn("CN=Loop B"), key_b, ca_spec("CN=Loop A")),
                               issue(key_b, dn("CN=Loop A"), key_a, ca_spec("CN=Loop B")),
                               issue(key_a, root.cert.subject(), root.key, ca_spec("CN=Loop A")),
                               issue(new_key(), dn("CN=Loop A"), key_a, leaf_spec())};
  }();
  return l;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(unordered_bag)

BOOST_AUTO_TEST_CASE(every_order_of_the_bag_gives_the_same_path_without_a_wrong_turn) {
  const auto& h = deep();
  const auto anchors = anchors_of({h.root.cert});
  const certs pool{h.i1.cert, h.i2.cert, h.i3.cert, shared().inter.cert};  // the last issues nothing here
  std::vector<std::size_t> order{0, 1, 2, 3};
  int orders = 0;
  do {
    certs bag;
    for (const auto i : order) bag.push_back(pool[i]);
    const auto found = search(anchors, bag, h.leaf.cert);
    expect_found(found, {h.leaf.cert, h.i3.cert, h.i2.cert, h.i1.cert, h.root.cert});
    BOOST_TEST(found.attempts_total == 0U);
    ++orders;
  } while (std::next_permutation(order.begin(), order.end()));
  BOOST_TEST(orders == 24);
}

BOOST_AUTO_TEST_CASE(duplicates_in_the_bag_change_nothing) {
  const auto& h = deep();
  const certs bag{h.i3.cert, h.i3.cert, h.i1.cert, h.i2.cert, h.i1.cert};
  expect_found(search(anchors_of({h.root.cert}), bag, h.leaf.cert),
               {h.leaf.cert, h.i3.cert, h.i2.cert, h.i1.cert, h.root.cert});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(several_candidate_issuers)

BOOST_AUTO_TEST_CASE(the_issuer_whose_key_identifier_matches_is_tried_first) {
  const auto& root = shared().root;
  const auto decoy = make_child(root, ca_spec("CN=Twin CA"));
  const auto real = make_child(root, ca_spec("CN=Twin CA"));
  const auto leaf = make_child(real, leaf_spec());
  const auto found = search(anchors_of({root.cert}), {decoy.cert, real.cert}, leaf.cert);
  expect_found(found, {leaf.cert, real.cert, root.cert});
  BOOST_TEST(found.attempts_total == 0U);  // the decoy was never tried
}

BOOST_AUTO_TEST_CASE(without_key_identifiers_a_wrong_issuer_is_tried_and_recorded) {
  const auto& root = shared().root;
  const auto decoy = make_child(root, ca_spec("CN=Twin CA"));
  const auto real = make_child(root, ca_spec("CN=Twin CA"));
  auto spec = leaf_spec();
  spec.aki = false;
  const auto leaf = make_child(real, spec);
  const auto found = search(anchors_of({root.cert}), {decoy.cert, real.cert}, leaf.cert);
  expect_found(found, {leaf.cert, real.cert, root.cert});
  BOOST_REQUIRE(found.attempts.size() == 1U);
  BOOST_TEST(found.attempts_total == 1U);
  BOOST_TEST((found.attempts[0].path == certs{leaf.cert, decoy.cert}));
  BOOST_TEST((found.attempts[0].reason.code() == errc::bad_signature));
  BOOST_TEST(found.attempts[0].reason.depth() == 0);
}

BOOST_AUTO_TEST_CASE(a_currently_valid_issuer_is_tried_before_an_expired_one) {
  // One CA key certified twice: once for a period that has ended, once for now.
  const auto& root = shared().root;
  const auto key = new_key();
  auto old_spec = ca_spec("CN=Renewed CA");
  old_spec.period = ended;
  const auto old_cert = issue(key, root.cert.subject(), root.key, old_spec);
  const auto new_cert = issue(key, root.cert.subject(), root.key, ca_spec("CN=Renewed CA"));
  const auto leaf = issue(new_key(), new_cert.subject(), key, leaf_spec());
  expect_found(search(anchors_of({root.cert}), {old_cert, new_cert}, leaf), {leaf, new_cert, root.cert});
  // The builder ranks by time but does not judge it: under accept_all the ended one is a path too.
  expect_found(search(anchors_of({root.cert}), {old_cert}, leaf), {leaf, old_cert, root.cert});
}

BOOST_AUTO_TEST_CASE(policy_refusal_moves_the_search_to_the_next_candidate) {
  // Two certificates for one key under one name, both valid now; the rule refuses the one
  // first in the bag (told apart by its period), and the search goes on to the other.
  const auto& root = shared().root;
  const auto key = new_key();
  auto spec_a = ca_spec("CN=Twin CA");
  auto spec_b = ca_spec("CN=Twin CA");
  spec_b.period = {at(2023, 1, 1), at(2030, 1, 1)};
  const auto a = issue(key, root.cert.subject(), root.key, spec_a);
  const auto b = issue(key, root.cert.subject(), root.key, spec_b);
  const auto leaf = issue(new_key(), a.subject(), key, leaf_spec());
  struct refuse_first_period : pki::policy::rule {
    [[nodiscard]] pki::result<void> check(const pki::path_context& ctx, std::size_t depth) const {
      if (depth == 1 && ctx.path[1].not_before() == at(2022, 1, 1))
        return pki::fail_at(depth, errc::weak_algorithm, "the test refuses this one");
      return {};
    }
  } rule;
  const auto found = search_under(rule, anchors_of({root.cert}), {a, b}, leaf);
  expect_found(found, {leaf, b, root.cert});
  BOOST_REQUIRE(found.attempts.size() == 1U);
  BOOST_TEST((found.attempts[0].path == certs{leaf, a}));
  BOOST_TEST((found.attempts[0].reason.code() == errc::weak_algorithm));
  BOOST_TEST(found.attempts[0].reason.depth() == 1);
}

BOOST_AUTO_TEST_CASE(a_refused_issuer_key_is_recorded_at_the_issuers_depth) {
  const auto& root = shared().root;
  const auto rsa_ca = make_child(root, ca_spec("CN=RSA CA"), new_key(pki::rsa<2048>::id));
  const auto leaf = make_child(rsa_ca, leaf_spec());
  const auto found = search_under(no_rsa_issuers{}, anchors_of({root.cert}), {rsa_ca.cert}, leaf.cert);
  expect_search_failure(found, errc::weak_algorithm, 1);
  BOOST_REQUIRE(!found.attempts.empty());
  BOOST_TEST((found.attempts[0].path == certs{leaf.cert, rsa_ca.cert}));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cross_certificates_and_loops)

// Two roots that certify each other's keys; the issuing CA is under R2.
struct cross_pair {
  node r1;
  node r2;
  pki::certificate<> r2_by_r1;  // R2's key and name, issued by R1
  pki::certificate<> r1_by_r2;  // R1's key and name, issued by R2
  node inter;
  node leaf;
};

const cross_pair& crossed() {
  static const cross_pair c = [] {
    auto r1 = make_root(root_spec("CN=Root One"));
    auto r2 = make_root(root_spec("CN=Root Two"));
    auto r2_by_r1 = issue(r2.key, r1.cert.subject(), r1.key, ca_spec("CN=Root Two"));
    auto r1_by_r2 = issue(r1.key, r2.cert.subject(), r2.key, ca_spec("CN=Root One"));
    auto inter = make_child(r2, ca_spec("CN=Two Issuing CA"));
    auto leaf = make_child(inter, leaf_spec());
    return cross_pair{std::move(r1),    std::move(r2),    std::move(r2_by_r1),
                      std::move(r1_by_r2), std::move(inter), std::move(leaf)};
  }();
  return c;
}

BOOST_AUTO_TEST_CASE(a_cross_certificate_leads_to_the_other_root) {
  const auto& c = crossed();
  // R2's self-signed certificate comes first in the bag: a dead end, since its issuer (itself,
  // the same name and key) is already on the path.
  const auto found = search(anchors_of({c.r1.cert}), {c.r2.cert, c.r1_by_r2, c.r2_by_r1, c.inter.cert}, c.leaf.cert);
  expect_found(found, {c.leaf.cert, c.inter.cert, c.r2_by_r1, c.r1.cert});
  BOOST_REQUIRE(found.attempts.size() == 1U);
  BOOST_TEST((found.attempts[0].path == certs{c.leaf.cert, c.inter.cert, c.r2.cert}));
  BOOST_TEST((found.attempts[0].reason.code() == errc::untrusted));
  BOOST_TEST(found.attempts[0].reason.depth() == 2);
  BOOST_TEST(std::string_view(found.attempts[0].reason.context()) == "self-issued and not a trust anchor");
}

BOOST_AUTO_TEST_CASE(the_anchor_of_the_issuers_name_wins_over_its_cross_certificate) {
  const auto& c = crossed();
  const certs bag{c.r1_by_r2, c.r2_by_r1, c.inter.cert};
  expect_found(search(anchors_of({c.r2.cert}), bag, c.leaf.cert), {c.leaf.cert, c.inter.cert, c.r2.cert});
  expect_found(search(anchors_of({c.r1.cert, c.r2.cert}), bag, c.leaf.cert),
               {c.leaf.cert, c.inter.cert, c.r2.cert});
}

BOOST_AUTO_TEST_CASE(mutual_cross_certificates_without_an_anchor_end_untrusted) {
  const auto& c = crossed();
  // inter <- R2-by-R1 <- R1-by-R2, whose issuer R2 (name and key) is on the path already.
  const auto found = search(anchors_of({shared().root.cert}), {c.r1_by_r2, c.r2_by_r1, c.inter.cert}, c.leaf.cert);
  expect_search_failure(found, errc::untrusted, 3);
  BOOST_TEST(found.attempts_total == 1U);
  BOOST_REQUIRE(found.attempts.size() == 1U);
  BOOST_TEST((found.attempts[0].path == certs{c.leaf.cert, c.inter.cert, c.r2_by_r1, c.r1_by_r2}));
}

BOOST_AUTO_TEST_CASE(a_loop_with_a_way_out_is_left_for_the_way_out) {
  // The loop comes first in the bag.
  const auto& [a_by_b, b_by_a, a_by_root, leaf] = loop();
  const auto& root = shared().root;
  const auto found = search(anchors_of({root.cert}), {a_by_b, b_by_a, a_by_root}, leaf);
  expect_found(found, {leaf, a_by_root, root.cert});
  BOOST_REQUIRE(found.attempts.size() == 1U);
  // From B, A is the issuer, and A's key is on the path: neither of A's certificates may join.
  BOOST_TEST((found.attempts[0].path == certs{leaf, a_by_b, b_by_a}));
  BOOST_TEST((found.attempts[0].reason.code() == errc::untrusted));
  BOOST_TEST(found.attempts[0].reason.depth() == 2);
  BOOST_TEST(std::string_view(found.attempts[0].reason.context()) ==
             "no issuer among the trust anchors and intermediates");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(untrusted_ends)

BOOST_AUTO_TEST_CASE(a_leaf_whose_issuer_is_missing_is_untrusted_at_depth_0) {
  const auto& h = shared();
  const auto found = search(anchors_of({h.root.cert}), {}, h.leaf.cert);
  expect_search_failure(found, errc::untrusted, 0);
  BOOST_TEST(std::string_view(found.failure.context()) == "no issuer among the trust anchors and intermediates");
  BOOST_TEST(found.attempts_total == 1U);
  BOOST_TEST(contains(found.explain(), "candidate path 1: " + h.leaf.cert.subject().to_string() + "\n"),
             found.explain());
}

BOOST_AUTO_TEST_CASE(a_root_in_the_bag_but_not_trusted_is_untrusted_at_its_depth) {
  const auto& h = shared();
  const auto found = search(anchors_of({}), {h.root.cert, h.inter.cert}, h.leaf.cert);
  expect_search_failure(found, errc::untrusted, 2);
  BOOST_TEST(std::string_view(found.failure.context()) == "self-issued and not a trust anchor");
  BOOST_TEST(contains(found.explain(), h.leaf.cert.subject().to_string() + " <- " +
                                           h.inter.cert.subject().to_string() + " <- " +
                                           h.root.cert.subject().to_string()),
             found.explain());
}

BOOST_AUTO_TEST_CASE(a_self_signed_leaf_not_trusted_is_untrusted_at_depth_0) {
  const auto lone = make_root(root_spec("CN=Lonely"));
  const auto found = search(anchors_of({shared().root.cert}), {}, lone.cert);
  expect_search_failure(found, errc::untrusted, 0);
  BOOST_TEST(std::string_view(found.failure.context()) == "self-issued and not a trust anchor");
  // Trusted, the same certificate is a path of one.
  expect_found(search(anchors_of({lone.cert}), {}, lone.cert), {lone.cert});
}

BOOST_AUTO_TEST_CASE(the_most_telling_failure_is_reported) {
  // Two issuers of one name, no key identifiers: the decoy fails its signature check (depth 0),
  // the real one leads to the root, which the rule refuses (depth 2). The refusal is reported.
  const auto& root = shared().root;
  auto anonymous = ca_spec("CN=Twin CA");
  anonymous.ski = false;
  const auto decoy = make_child(root, anonymous);
  const auto real = make_child(root, anonymous);
  auto spec = leaf_spec();
  spec.aki = false;
  const auto leaf = make_child(real, spec);
  refuse_subject rule;
  rule.subject = root.cert.subject().to_string();
  const auto found = search_under(rule, anchors_of({root.cert}), {decoy.cert, real.cert}, leaf.cert);
  expect_search_failure(found, errc::weak_algorithm, 2);
  BOOST_TEST(found.attempts_total == 2U);
  BOOST_REQUIRE(found.attempts.size() == 2U);
  BOOST_TEST((found.attempts[0].reason.code() == errc::bad_signature));
  BOOST_TEST(contains(found.attempts[1].describe(),
                      "certificate at depth 2 (" + root.cert.subject().to_string() + "): "),
             found.attempts[1].describe());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(budgets)

BOOST_AUTO_TEST_CASE(the_intermediates_budget_counts_neither_leaf_nor_anchor) {
  const auto& h = deep();
  const auto anchors = anchors_of({h.root.cert});
  const certs bag{h.i1.cert, h.i2.cert, h.i3.cert};
  expect_found(search(anchors, bag, h.leaf.cert, {.time = when, .budget = {.max_intermediates = 3}}),
               {h.leaf.cert, h.i3.cert, h.i2.cert, h.i1.cert, h.root.cert});
  // With two, the search stops at i2: i1 would be the third intermediate.
  const auto short_budget = search(anchors, bag, h.leaf.cert, {.time = when, .budget = {.max_intermediates = 2}});
  expect_search_failure(short_budget, errc::budget_exhausted, 2);
  BOOST_TEST(contains(short_budget.failure.message(), "intermediates"), short_budget.failure.message());
  // With none, only a leaf the anchor issued has a path.
  const auto& s = shared();
  expect_found(search(anchors_of({s.root.cert}), {}, s.inter.cert, {.time = when, .budget = {.max_intermediates = 0}}),
               {s.inter.cert, s.root.cert});
  expect_search_failure(search(anchors_of({s.root.cert}), {s.inter.cert}, s.leaf.cert,
                               {.time = when, .budget = {.max_intermediates = 0}}),
                        errc::budget_exhausted, 0);
}

BOOST_AUTO_TEST_CASE(the_candidate_and_signature_budgets_at_their_edges) {
  // leaf <- issuing CA <- root: two issuer candidates tried, two signatures checked.
  struct edge {
    const char* what;  // the word the error's message names
    pki::validation_budget enough;
    pki::validation_budget one_short;
  };
  const edge edges[] = {{"candidates", {.issuer_candidates = 2}, {.issuer_candidates = 1}},
                        {"signatures", {.signature_checks = 2}, {.signature_checks = 1}}};
  const auto& h = shared();
  const auto anchors = anchors_of({h.root.cert});
  const certs bag{h.inter.cert};
  for (const auto& e : edges) {
    BOOST_TEST_CONTEXT(e.what) {
      expect_found(search(anchors, bag, h.leaf.cert, {.time = when, .budget = e.enough}),
                   {h.leaf.cert, h.inter.cert, h.root.cert});
      const auto exhausted = search(anchors, bag, h.leaf.cert, {.time = when, .budget = e.one_short});
      BOOST_TEST(!exhausted);
      BOOST_TEST((exhausted.failure.code() == errc::budget_exhausted));
      BOOST_TEST(contains(exhausted.failure.message(), e.what), exhausted.failure.message());
    }
  }
}

BOOST_AUTO_TEST_CASE(signatures_checked_on_a_dead_end_count_against_the_budget) {
  // leaf <- A-by-B <- B-by-A is a dead end, leaf <- A-by-root <- root the way out: four
  // signature checks (leaf by A-by-B, A-by-B by B-by-A, leaf by A-by-root, A-by-root by the
  // root), each of another pair of certificates. Four suffice; three do not.
  const auto& [a_by_b, b_by_a, a_by_root, leaf] = loop();
  const auto& root = shared().root;
  const certs bag{a_by_b, b_by_a, a_by_root};
  expect_found(search(anchors_of({root.cert}), bag, leaf, {.time = when, .budget = {.signature_checks = 4}}),
               {leaf, a_by_root, root.cert});
  BOOST_TEST(!search(anchors_of({root.cert}), bag, leaf, {.time = when, .budget = {.signature_checks = 3}}));
}

BOOST_AUTO_TEST_CASE(only_the_first_attempts_are_recorded_but_all_are_counted) {
  const auto& root = shared().root;
  auto anonymous = ca_spec("CN=Crowded CA");
  anonymous.ski = false;
  certs bag;
  for (std::size_t i = 0; i < pki::path_search::max_recorded_attempts + 8; ++i)
    bag.push_back(make_child(root, anonymous).cert);
  const auto real = make_child(root, anonymous);
  bag.push_back(real.cert);
  const auto leaf = make_child(real, leaf_spec());
  const auto found = search(anchors_of({root.cert}), bag, leaf.cert);
  expect_found(found, {leaf.cert, real.cert, root.cert});
  BOOST_TEST(found.attempts_total == pki::path_search::max_recorded_attempts + 8);
  BOOST_TEST(found.attempts.size() == pki::path_search::max_recorded_attempts);
  BOOST_TEST(contains(found.explain(), "(8 more candidate paths not shown)\n"), found.explain());
}

BOOST_AUTO_TEST_SUITE_END()

// detail::path_recheck: a path found before (a saved TLS session's) walked again under the
// rules and anchors of now, its signatures taken as verified.
BOOST_AUTO_TEST_SUITE(rechecking_a_found_path)

namespace {

const pki::policy::rfc5280 rfc5280_rules;

pki::path_search recheck(const pki::trust_store& anchors, const certs& path,
                         const pki::validation_options& options = at_when) {
  return pki::detail::path_recheck::run(anchors, path, rfc5280_rules, options);
}

certs found_path() {
  const auto& h = shared();
  auto found = pki::path_builder(anchors_of({h.root.cert}), certs{h.inter.cert})
                   .build(h.leaf.cert, rfc5280_rules, at_when);
  BOOST_REQUIRE_MESSAGE(found.path.has_value(), found.failure.message());
  return *found.path;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_path_that_still_holds_rechecks_to_itself) {
  const auto& h = shared();
  const auto path = found_path();
  expect_found(recheck(anchors_of({h.root.cert}), path), {h.leaf.cert, h.inter.cert, h.root.cert});
}

BOOST_AUTO_TEST_CASE(the_rules_see_the_time_of_the_recheck) {
  const auto& h = shared();
  const auto path = found_path();
  const pki::validation_options later{.time = h.leaf.cert.not_after() + std::chrono::days(1)};
  expect_search_failure(recheck(anchors_of({h.root.cert}), path, later), errc::expired, 0);
}

BOOST_AUTO_TEST_CASE(the_anchor_must_be_in_the_store_of_the_recheck) {
  const auto& h = shared();
  const auto path = found_path();
  expect_search_failure(recheck(anchors_of({}), path), errc::untrusted, 2);
  // An intermediate the new store trusts ends the path there.
  expect_found(recheck(anchors_of({h.inter.cert}), path), {h.leaf.cert, h.inter.cert});
}

BOOST_AUTO_TEST_CASE(only_the_next_certificate_of_the_path_is_a_candidate) {
  const auto& h = shared();
  // The root in the inter's place: not the leaf's issuer by name, and no search for another.
  expect_search_failure(recheck(anchors_of({h.root.cert}), {h.leaf.cert, h.root.cert}), errc::untrusted, 0);
  expect_search_failure(recheck(anchors_of({h.root.cert}), {h.leaf.cert}), errc::untrusted, 0);
}

BOOST_AUTO_TEST_CASE(signatures_are_taken_as_verified) {
  // Why only a path a search found may be rechecked: an issuer of the right name and another
  // key passes the recheck, where a search refuses its signature.
  const auto& h = shared();
  const auto decoy = make_child(h.root, ca_spec(h.inter.cert.subject().to_string()));
  const certs path{h.leaf.cert, decoy.cert, h.root.cert};
  expect_found(recheck(anchors_of({h.root.cert}), path), path);
  const auto searched = pki::path_builder(anchors_of({h.root.cert}), certs{decoy.cert})
                            .build(h.leaf.cert, rfc5280_rules, at_when);
  expect_search_failure(searched, errc::bad_signature, 0);
}

BOOST_AUTO_TEST_CASE(an_empty_path_is_invalid_argument) {
  const auto out = recheck(anchors_of({shared().root.cert}), {});
  BOOST_TEST(!out.path.has_value());
  BOOST_TEST((out.failure.code() == errc::invalid_argument));
}

BOOST_AUTO_TEST_SUITE_END()
