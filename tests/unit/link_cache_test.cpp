// verified_link_cache: a validation with a warm cache verifies no signature it found good
// before (shown by a signature budget of zero, which a cached link does not spend), a link
// whose signature failed is never kept, entries are the content of the check (a re-parsed
// copy hits, another key of the same name misses), and the capacity bounds it.

#include <boost/test/unit_test.hpp>

#include <pki/pki.hpp>

#include <vector>

#include "support/expect.hpp"
#include "support/hierarchy.hpp"

using pki::errc;
using pki_test::expect_error;
using pki_test::value_of;

using namespace pki_test;  // the shared hierarchy (support/hierarchy.hpp)

namespace {

using certs = std::vector<pki::certificate<>>;

pki::validation_options cached(pki::verified_link_cache& links, unsigned signature_checks = 100) {
  pki::validation_options options = at_when;
  options.link_cache = &links;
  options.budget.signature_checks = signature_checks;
  return options;
}

pki::certificate<> reparsed(const pki::certificate<>& cert) {
  return value_of(pki::certificate<>::from_der(cert.der()));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verified_links)

BOOST_AUTO_TEST_CASE(a_warm_cache_spares_every_signature_it_has_seen) {
  const auto& h = shared();
  const pki::validator<pki::policy::rfc5280> v{anchors_of({h.root.cert})};
  pki::verified_link_cache links;
  // Cold, the path needs its two signatures: a budget of one is not enough.
  expect_error(v.verify(h.leaf.cert, certs{h.inter.cert}, cached(links, 1)), errc::budget_exhausted);
  BOOST_TEST(links.size() == 1U);  // the one link verified before the budget ran out
  value_of(v.verify(h.leaf.cert, certs{h.inter.cert}, cached(links)));
  BOOST_TEST(links.size() == 2U);
  // Warm, it needs none.
  const auto again = value_of(v.verify(h.leaf.cert, certs{h.inter.cert}, cached(links, 0)));
  BOOST_TEST(again.size() == 3U);
  BOOST_TEST(links.hits() >= 2U);
}

BOOST_AUTO_TEST_CASE(another_leaf_under_the_same_issuer_verifies_only_its_own_link) {
  const auto& h = shared();
  const pki::validator<pki::policy::rfc5280> v{anchors_of({h.root.cert})};
  pki::verified_link_cache links;
  value_of(v.verify(h.leaf.cert, certs{h.inter.cert}, cached(links)));
  const auto sibling = make_child(h.inter, leaf_spec());
  expect_error(v.verify(sibling.cert, certs{h.inter.cert}, cached(links, 0)), errc::budget_exhausted);
  value_of(v.verify(sibling.cert, certs{h.inter.cert}, cached(links, 1)));  // the intermediate's is cached
  BOOST_TEST(links.size() == 3U);
}

BOOST_AUTO_TEST_CASE(a_link_whose_signature_failed_is_never_kept) {
  const auto& h = shared();
  // An intermediate of the right name and another key: the leaf's signature fails under it.
  const auto decoy = make_child(h.root, ca_spec(h.inter.cert.subject().to_string()));
  const pki::validator<pki::policy::rfc5280> v{anchors_of({h.root.cert})};
  pki::verified_link_cache links;
  for (int round = 0; round < 2; ++round) {
    const auto path = v.verify(h.leaf.cert, certs{decoy.cert}, cached(links));
    expect_error(path, errc::bad_signature);
    BOOST_TEST(path.error().depth() == 0);
  }
  BOOST_TEST(links.size() == 0U);
  BOOST_TEST(!links.contains(h.leaf.cert, decoy.cert));
}

BOOST_AUTO_TEST_CASE(entries_are_what_the_check_covered) {
  const auto& h = shared();
  pki::verified_link_cache links;
  links.remember(h.leaf.cert, h.inter.cert);
  BOOST_TEST(links.contains(reparsed(h.leaf.cert), reparsed(h.inter.cert)));  // same bytes, other objects
  const auto other_key = make_child(h.root, ca_spec(h.inter.cert.subject().to_string()));
  BOOST_TEST(!links.contains(h.leaf.cert, other_key.cert));  // same issuer name, another key
  const auto sibling = make_child(h.inter, leaf_spec());
  BOOST_TEST(!links.contains(sibling.cert, h.inter.cert));  // same issuer, another child
  BOOST_TEST(!links.contains(h.inter.cert, h.leaf.cert));   // the link the other way round
}

BOOST_AUTO_TEST_CASE(a_link_key_computed_once_finds_and_records_the_same_entry) {
  const auto& h = shared();
  const auto key = pki::verified_link_cache::key_of(h.leaf.cert, h.inter.cert);
  BOOST_REQUIRE(key.has_value());
  BOOST_TEST((pki::verified_link_cache::key_of(reparsed(h.leaf.cert), reparsed(h.inter.cert)) == key));
  BOOST_TEST((pki::verified_link_cache::key_of(h.inter.cert, h.leaf.cert) != key));
  pki::verified_link_cache links;
  BOOST_TEST(!links.contains(*key));
  links.remember(*key);
  BOOST_TEST(links.contains(*key));
  BOOST_TEST(links.contains(h.leaf.cert, h.inter.cert));  // the two spellings are one entry
  links.remember(h.leaf.cert, h.inter.cert);
  BOOST_TEST(links.size() == 1U);
  BOOST_TEST(links.hits() == 2U);
  BOOST_TEST(links.misses() == 1U);
  pki::verified_link_cache none(0);
  none.remember(*key);
  BOOST_TEST(!none.contains(*key));
}

BOOST_AUTO_TEST_CASE(the_capacity_bounds_it_and_the_oldest_entry_goes_first) {
  const auto& h = shared();
  pki::verified_link_cache links(2);
  BOOST_TEST(links.capacity() == 2U);
  links.remember(h.leaf.cert, h.inter.cert);
  links.remember(h.inter.cert, h.root.cert);
  links.remember(h.leaf.cert, h.inter.cert);  // already held: no new entry
  BOOST_TEST(links.size() == 2U);
  const auto sibling = make_child(h.inter, leaf_spec());
  links.remember(sibling.cert, h.inter.cert);
  BOOST_TEST(links.size() == 2U);
  BOOST_TEST(!links.contains(h.leaf.cert, h.inter.cert));
  BOOST_TEST(links.contains(h.inter.cert, h.root.cert));
  BOOST_TEST(links.contains(sibling.cert, h.inter.cert));
  links.clear();
  BOOST_TEST(links.size() == 0U);
  BOOST_TEST(!links.contains(h.inter.cert, h.root.cert));
}

BOOST_AUTO_TEST_CASE(a_cache_of_capacity_zero_keeps_nothing) {
  const auto& h = shared();
  pki::verified_link_cache links(0);
  links.remember(h.leaf.cert, h.inter.cert);
  BOOST_TEST(links.size() == 0U);
  BOOST_TEST(!links.contains(h.leaf.cert, h.inter.cert));
  BOOST_TEST(links.misses() == 1U);
}

BOOST_AUTO_TEST_SUITE_END()
