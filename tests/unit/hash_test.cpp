// Digests against the FIPS 180 "abc" known answers, incremental hashing, digest values.

#include <boost/test/unit_test.hpp>

#include <pki/core/hash.hpp>

#include <string>
#include <utility>
#include <vector>

using pki::hash_algorithm;

namespace {

// FIPS 180-4 example "abc" digests.
const std::vector<std::pair<hash_algorithm, std::string>> abc_digests = {
    {hash_algorithm::sha1, "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {hash_algorithm::sha224, "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"},
    {hash_algorithm::sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {hash_algorithm::sha384,
     "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    {hash_algorithm::sha512,
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
     "454d4423643ce80e2a9ac94fa54ca49f"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(hashing)

BOOST_AUTO_TEST_CASE(matches_fips_180_known_answers) {
  for (const auto& [alg, expected] : abc_digests) {
    auto d = pki::hash(alg, pki::as_bytes("abc"));
    BOOST_REQUIRE(d.has_value());
    BOOST_TEST(d->hex() == expected, pki::name(alg));
    BOOST_TEST(d->size() == pki::digest_size(alg));
    BOOST_TEST((d->algorithm() == alg));
  }
}

BOOST_AUTO_TEST_CASE(hashes_empty_input) {
  auto d = pki::sha256({});
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(d->hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(incremental_hash_equals_one_shot) {
  const std::string data(1000, 'a');
  auto h = pki::hasher::create(hash_algorithm::sha256);
  BOOST_REQUIRE(h.has_value());
  for (std::size_t pos = 0; pos < data.size(); pos += 333) {
    BOOST_REQUIRE(h->update(pki::as_bytes(std::string_view(data).substr(pos, 333))).has_value());
  }
  auto incremental = h->finish();
  BOOST_REQUIRE(incremental.has_value());
  BOOST_TEST(incremental->hex() == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  BOOST_TEST((*incremental == *pki::sha256(pki::as_bytes(data))));
}

BOOST_AUTO_TEST_CASE(hex_with_separator) {
  auto d = pki::sha256(pki::as_bytes("abc"));
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST(d->hex(":").substr(0, 8) == "ba:78:16");
}

BOOST_AUTO_TEST_CASE(digest_from_bytes_checks_the_length) {
  const std::vector<std::uint8_t> bytes(32, 0xAB);
  auto ok = pki::digest::from_bytes(hash_algorithm::sha256, bytes);
  BOOST_REQUIRE(ok.has_value());
  BOOST_TEST(ok->size() == 32U);
  auto wrong = pki::digest::from_bytes(hash_algorithm::sha384, bytes);
  BOOST_REQUIRE(!wrong.has_value());
  BOOST_TEST((wrong.error().code() == pki::errc::invalid_argument));
}

BOOST_AUTO_TEST_CASE(digests_of_different_algorithms_differ) {
  auto a = pki::hash(hash_algorithm::sha256, pki::as_bytes("abc"));
  auto b = pki::hash(hash_algorithm::sha384, pki::as_bytes("abc"));
  BOOST_TEST(!(*a == *b));
}

BOOST_AUTO_TEST_CASE(names_and_sizes) {
  BOOST_TEST(pki::name(hash_algorithm::sha384) == "SHA-384");
  BOOST_TEST(pki::digest_size(hash_algorithm::sha512) == 64U);
}

BOOST_AUTO_TEST_SUITE_END()
