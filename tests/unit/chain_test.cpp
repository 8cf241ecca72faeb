// chain<> and chain<N>: made from certificates leaf first, a fixed capacity refusing a
// longer path, the accessors (leaf, anchor, intermediates), iteration in path order, and
// to_pem() reading back through certificate<>::parse_bundle in the same order.

#include <boost/test/unit_test.hpp>

#include <pki/validate/chain.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/validator.hpp>

#include <algorithm>
#include <iterator>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"
#include "support/hierarchy.hpp"

using pki::errc;
using pki_test::expect_error;
using pki_test::expect_ok;
using pki_test::value_of;

namespace {

/// Leaf, intermediate, root: the shared hierarchy's path.
const pki_test::three_level& certs() {
  return pki_test::shared();
}

std::vector<pki::certificate<>> path_of(const pki_test::three_level& h) {
  return {h.leaf.cert, h.inter.cert, h.root.cert};
}

/// Checks that `c` holds exactly `expected`, in order, through every accessor.
template <std::size_t Capacity>
void expect_holds(const pki::chain<Capacity>& c, const std::vector<pki::certificate<>>& expected) {
  BOOST_REQUIRE(c.size() == expected.size());
  BOOST_TEST(c.empty() == expected.empty());
  for (std::size_t i = 0; i < expected.size(); ++i) BOOST_TEST((c[i] == expected[i]), "depth " << i);
  std::vector<pki::certificate<>> iterated;
  for (const auto& cert : c) iterated.push_back(cert);
  BOOST_TEST((iterated == expected));
}

static_assert(std::forward_iterator<pki::chain<>::iterator>);
static_assert(std::forward_iterator<pki::chain<3>::iterator>);
static_assert(std::ranges::forward_range<const pki::chain<>>);

}  // namespace

BOOST_AUTO_TEST_SUITE(growing_chain)

BOOST_AUTO_TEST_CASE(from_keeps_the_order_leaf_first) {
  const auto path = path_of(certs());
  const auto c = value_of(pki::chain<>::from(path));
  expect_holds(c, path);
  BOOST_TEST((c.leaf() == certs().leaf.cert));
  BOOST_TEST((c.anchor() == certs().root.cert));
  BOOST_TEST(c.intermediate_count() == 1U);
}

BOOST_AUTO_TEST_CASE(default_is_empty) {
  const pki::chain<> c;
  BOOST_TEST(c.empty());
  BOOST_TEST(c.size() == 0U);
  BOOST_TEST(c.intermediate_count() == 0U);
  BOOST_TEST((c.begin() == c.end()));
  BOOST_TEST(value_of(c.to_pem()).empty());
}

BOOST_AUTO_TEST_CASE(a_leaf_that_is_its_own_anchor) {
  const std::vector<pki::certificate<>> one = {certs().root.cert};
  const auto c = value_of(pki::chain<>::from(one));
  BOOST_TEST(c.size() == 1U);
  BOOST_TEST((c.leaf() == c.anchor()));
  BOOST_TEST(c.intermediate_count() == 0U);
}

BOOST_AUTO_TEST_CASE(intermediate_count_excludes_leaf_and_anchor) {
  const auto& h = certs();
  pki::chain<> c;
  expect_ok(c.push_back(h.leaf.cert));
  BOOST_TEST(c.intermediate_count() == 0U);
  expect_ok(c.push_back(h.root.cert));
  BOOST_TEST(c.intermediate_count() == 0U);
  BOOST_TEST((c.anchor() == h.root.cert));
  // Push_back appends up the path: the anchor is always the last one added.
  for (int i = 0; i < 20; ++i) expect_ok(c.push_back(h.inter.cert));
  BOOST_TEST(c.size() == 22U);
  BOOST_TEST(c.intermediate_count() == 20U);
  BOOST_TEST((c.anchor() == h.inter.cert));
  BOOST_TEST((c.leaf() == h.leaf.cert));
}

BOOST_AUTO_TEST_CASE(iterators_walk_the_path) {
  const auto path = path_of(certs());
  const auto c = value_of(pki::chain<>::from(path));
  auto it = c.begin();
  BOOST_TEST((*it == certs().leaf.cert));
  BOOST_TEST((it->subject() == certs().leaf.cert.subject()));
  auto old = it++;
  BOOST_TEST((*old == certs().leaf.cert));
  BOOST_TEST((*it == certs().inter.cert));
  BOOST_TEST((*++it == certs().root.cert));
  BOOST_TEST((++it == c.end()));
  BOOST_TEST(std::ranges::distance(c) == 3);
  BOOST_TEST(std::ranges::equal(c, path));
}

BOOST_AUTO_TEST_CASE(to_pem_reads_back_in_order) {
  const auto path = path_of(certs());
  const auto c = value_of(pki::chain<>::from(path));
  const auto pem = value_of(c.to_pem());
  BOOST_TEST(pem.starts_with("-----BEGIN CERTIFICATE-----"));
  const auto back = value_of(pki::certificate<>::parse_bundle(pem));
  BOOST_TEST((back == path));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fixed_capacity_chain)

BOOST_AUTO_TEST_CASE(from_within_capacity) {
  const auto path = path_of(certs());
  const auto exact = value_of(pki::chain<3>::from(path));
  expect_holds(exact, path);
  BOOST_TEST((exact.leaf() == certs().leaf.cert));
  BOOST_TEST((exact.anchor() == certs().root.cert));
  BOOST_TEST(exact.intermediate_count() == 1U);

  const auto roomy = value_of(pki::chain<8>::from(path));
  expect_holds(roomy, path);
  BOOST_TEST((roomy.anchor() == certs().root.cert));
}

BOOST_AUTO_TEST_CASE(from_beyond_capacity_is_buffer_too_small) {
  const auto path = path_of(certs());
  expect_error(pki::chain<2>::from(path), errc::buffer_too_small);
  expect_error(pki::chain<1>::from(path), errc::buffer_too_small);
}

BOOST_AUTO_TEST_CASE(push_back_beyond_capacity_is_buffer_too_small) {
  const auto& h = certs();
  pki::chain<2> c;
  BOOST_TEST(c.empty());
  expect_ok(c.push_back(h.leaf.cert));
  expect_ok(c.push_back(h.inter.cert));
  expect_error(c.push_back(h.root.cert), errc::buffer_too_small);
  // The refused certificate left the chain as it was.
  expect_holds(c, {h.leaf.cert, h.inter.cert});
  BOOST_TEST((c.anchor() == h.inter.cert));
  BOOST_TEST(c.intermediate_count() == 0U);
}

BOOST_AUTO_TEST_CASE(to_pem_reads_back_in_order) {
  const auto path = path_of(certs());
  const auto c = value_of(pki::chain<4>::from(path));
  const auto back = value_of(pki::certificate<>::parse_bundle(value_of(c.to_pem())));
  BOOST_TEST((back == path));
  // Same text as the growing chain's.
  BOOST_TEST(value_of(c.to_pem()) == value_of(value_of(pki::chain<>::from(path)).to_pem()));
}

BOOST_AUTO_TEST_CASE(copies_are_independent) {
  const auto& h = certs();
  pki::chain<3> a;
  expect_ok(a.push_back(h.leaf.cert));
  auto b = a;
  expect_ok(b.push_back(h.root.cert));
  BOOST_TEST(a.size() == 1U);
  BOOST_TEST(b.size() == 2U);
  BOOST_TEST((b.anchor() == h.root.cert));
  BOOST_TEST((a.anchor() == h.leaf.cert));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(from_the_validator)

// validator::verify<N> hands its path back in a chain<N>: one too small is refused with
// buffer_too_small after the path validated.
BOOST_AUTO_TEST_CASE(verify_into_a_fixed_chain) {
  const auto& h = certs();
  const std::vector<pki::certificate<>> roots = {h.root.cert};
  const std::vector<pki::certificate<>> intermediates = {h.inter.cert};
  const pki::validator<pki::policy::iot_mtls_client> validator{pki::trust_store(roots)};
  const auto options = pki_test::for_peer(pki::dns_name{"www.example.com"});

  const auto fits = value_of(validator.verify<3>(h.leaf.cert, intermediates, options));
  expect_holds(fits, path_of(h));
  const auto grows = value_of(validator.verify(h.leaf.cert, intermediates, options));
  expect_holds(grows, path_of(h));
  expect_error(validator.verify<2>(h.leaf.cert, intermediates, options), errc::buffer_too_small);
}

BOOST_AUTO_TEST_SUITE_END()
