// Hex and PEM armour.

#include <boost/test/unit_test.hpp>

#include <pki/core/bytes.hpp>

#include "support/expect.hpp"

#include <new>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using pki::errc;
using pki_test::expect_error;

namespace {

const pki::byte_buffer sample = {0x30, 0x03, 0x02, 0x01, 0x05, 0xFF, 0x00};

pki::byte_buffer der_of(std::uint8_t value) {
  return pki::byte_buffer(5, value);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hex)

BOOST_AUTO_TEST_CASE(round_trips) {
  BOOST_TEST(pki::to_hex(sample) == "3003020105ff00");
  auto back = pki::from_hex("3003020105FF00");
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST((*back == sample));
}

BOOST_AUTO_TEST_CASE(uses_the_separator) {
  BOOST_TEST(pki::to_hex(sample, ":") == "30:03:02:01:05:ff:00");
}

BOOST_AUTO_TEST_CASE(rejects_odd_length) {
  expect_error(pki::from_hex("abc"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(rejects_non_hex_digit) {
  expect_error(pki::from_hex("zz"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(empty_is_empty) {
  BOOST_TEST(pki::to_hex({}).empty());
  BOOST_TEST(pki::from_hex("")->empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pem_armour)

BOOST_AUTO_TEST_CASE(round_trips_with_64_column_lines) {
  const pki::byte_buffer der(100, 0x5A);
  auto text = pki::pem::encode("TEST DATA", der);
  BOOST_REQUIRE(text.has_value());
  BOOST_TEST(text->find("-----BEGIN TEST DATA-----\n") == 0U);
  BOOST_TEST(text->find("\n-----END TEST DATA-----\n") != std::string::npos);
  const std::size_t first_line = text->find('\n') + 1;
  BOOST_TEST(text->find('\n', first_line) - first_line == 64U);
  auto back = pki::pem::decode(*text, "TEST DATA");
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST((*back == der));
}

BOOST_AUTO_TEST_CASE(finds_the_block_with_the_label_among_others) {
  const std::string text =
      *pki::pem::encode("OTHER", sample) + "junk between\n" + *pki::pem::encode("WANTED", der_of(2));
  auto back = pki::pem::decode(text, "WANTED");
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST((*back == der_of(2)));
}

BOOST_AUTO_TEST_CASE(accepts_crlf_line_ends) {
  std::string text = *pki::pem::encode("X", sample);
  std::string crlf;
  for (char c : text) crlf += (c == '\n') ? std::string("\r\n") : std::string(1, c);
  auto back = pki::pem::decode(crlf, "X");
  BOOST_REQUIRE(back.has_value());
  BOOST_TEST((*back == sample));
}

BOOST_AUTO_TEST_CASE(rejects_text_without_pem) {
  expect_error(pki::pem::decode("hello", "X"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(rejects_a_missing_label) {
  expect_error(pki::pem::decode(*pki::pem::encode("X", sample), "Y"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(rejects_a_missing_end_line) {
  expect_error(pki::pem::decode("-----BEGIN X-----\nMAMCAQU=\n", "X"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(rejects_bad_base64) {
  expect_error(pki::pem::decode("-----BEGIN X-----\nMA*CAQU=\n-----END X-----\n", "X"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(rejects_an_empty_block) {
  expect_error(pki::pem::decode("-----BEGIN X-----\n-----END X-----\n", "X"), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(rejects_rfc1421_headers) {
  expect_error(
      pki::pem::decode("-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\nMAMCAQU=\n-----END X-----\n", "X"),
      errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(tells_pem_from_der) {
  BOOST_TEST(pki::pem::looks_like_pem(pki::as_bytes("-----BEGIN X-----")));
  BOOST_TEST(!pki::pem::looks_like_pem(sample));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(secrets)

/// True when `s` keeps its characters in storage outside the object, which the wiping
/// allocator wipes when it is released.
bool text_is_allocated(const pki::secret_string& s) {
  const auto* object = reinterpret_cast<const char*>(&s);
  return s.data() < object || s.data() >= object + sizeof s;
}

// A std::string would keep "pw" inside the object (small-string storage), which no
// allocator wipes; a secret_string never does, however it was made.
BOOST_AUTO_TEST_CASE(secret_string_never_keeps_its_text_inside_the_object) {
  pki::secret_string empty;
  BOOST_TEST(text_is_allocated(empty));
  pki::secret_string assigned;
  assigned = std::string_view("pw");
  BOOST_TEST(text_is_allocated(assigned));
  const pki::secret_string literal("pw");
  BOOST_TEST(text_is_allocated(literal));
  const pki::secret_string repeated(3, 'x');
  BOOST_TEST(text_is_allocated(repeated));
  const pki::secret_string copy(literal);
  BOOST_TEST(text_is_allocated(copy));
  pki::secret_string from(literal);
  pki::secret_string moved(std::move(from));
  BOOST_TEST(text_is_allocated(moved));
  pki::secret_string reused(std::move(from));  // from a moved-from string (valid, unspecified)
  reused.clear();
  reused += "pw";
  BOOST_TEST(text_is_allocated(reused));
  pki::secret_string target("x");
  target = std::move(moved);
  BOOST_TEST(text_is_allocated(target));
  BOOST_TEST(target == "pw");
  BOOST_TEST(reused == "pw");
  for (std::size_t n = 0; n < 40; ++n) {
    pki::secret_string grown;
    for (std::size_t i = 0; i < n; ++i) grown += 'a';
    BOOST_TEST(text_is_allocated(grown), n << " characters");
  }
}

BOOST_AUTO_TEST_CASE(secret_string_leaves_nothing_of_its_text_in_the_object) {
  alignas(pki::secret_string) unsigned char storage[sizeof(pki::secret_string)];
  auto* s = new (storage) pki::secret_string("hunter2");
  s->~secret_string();
  const std::string_view bytes(reinterpret_cast<const char*>(storage), sizeof storage);
  BOOST_TEST(bytes.find("hunter2") == std::string_view::npos);
  BOOST_TEST(bytes.find("hunt") == std::string_view::npos);
}

BOOST_AUTO_TEST_SUITE_END()
