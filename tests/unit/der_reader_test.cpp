// detail::der_reader, the strict DER reader every decoder stands on: what it refuses (BER
// lengths, multi-byte tags, non-minimal integers, booleans other than 00/FF), and its
// check-once mode: the read_* members keep the first failure, readers entered from it share
// that failure, everything read after it is empty, and finish() reports it once, with the
// context the first failure gave (not a later one's).

#include <boost/test/unit_test.hpp>

#include <pki/core/detail/der_reader.hpp>

#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <string>

#include "support/expect.hpp"

using pki::errc;
using pki::detail::der_reader;
using pki_test::expect_error;
using pki_test::value_of;

namespace {

pki::byte_buffer bytes(std::initializer_list<std::uint8_t> octets) { return pki::byte_buffer(octets); }

/// The error the reader member `read` gives over `der`, which must be parse_failed.
template <class Read>
pki::error refusal(std::initializer_list<std::uint8_t> der, Read read) {
  const auto buffer = bytes(der);
  der_reader r(buffer);
  const auto out = std::invoke(read, r);
  expect_error(out, errc::parse_failed);
  return out.error();
}

std::string context_of(const pki::result<void>& r) {
  return r ? std::string() : std::string(r.error().context());
}

// SEQUENCE { INTEGER 5, BOOLEAN TRUE, OID 2.5.4.3 }
const pki::byte_buffer three_fields = bytes({0x30, 0x0b, 0x02, 0x01, 0x05, 0x01, 0x01, 0xff, 0x06, 0x03, 0x55, 0x04, 0x03});

}  // namespace

BOOST_AUTO_TEST_SUITE(strict_der)

BOOST_AUTO_TEST_CASE(reads_values_front_to_back_with_their_whole_bytes) {
  der_reader outer(three_fields);
  auto seq = value_of(outer.expect(pki::detail::der_sequence));
  BOOST_TEST(seq.whole.size() == three_fields.size());
  BOOST_TEST(seq.content.size() == 11u);
  BOOST_TEST(outer.at_end());
  der_reader in(seq.content);
  BOOST_TEST(value_of(in.small_unsigned()) == 5u);
  BOOST_TEST(value_of(in.boolean()) == true);
  BOOST_TEST(pki::to_hex(value_of(in.oid())) == "550403");
  BOOST_TEST(in.at_end());
  pki_test::expect_ok(in.finish("trailing"));
}

BOOST_AUTO_TEST_CASE(long_form_lengths_where_short_would_do_are_refused) {
  // OCTET STRING of one byte with length 81 01: BER, not DER.
  refusal({0x04, 0x81, 0x01, 0xaa}, &der_reader::any);
  // A length with a leading zero octet.
  refusal({0x04, 0x82, 0x00, 0x81}, &der_reader::any);
  // The indefinite form (0x80).
  refusal({0x30, 0x80, 0x00, 0x00}, &der_reader::any);
}

BOOST_AUTO_TEST_CASE(the_long_form_is_read_when_it_is_needed) {
  pki::byte_buffer der = {0x04, 0x81, 0x80};
  der.resize(3 + 0x80, 0x11);
  der_reader r(der);
  BOOST_TEST(value_of(r.any()).content.size() == 0x80u);
  BOOST_TEST(r.at_end());
}

BOOST_AUTO_TEST_CASE(lengths_past_the_end_and_multi_byte_tags_are_refused) {
  refusal({0x04, 0x05, 0x01}, &der_reader::any);
  refusal({0x04}, &der_reader::any);
  const auto multi = refusal({0x1f, 0x81, 0x00, 0x00}, &der_reader::any);
  BOOST_TEST(pki_test::contains(multi.context(), "multi-byte tags"));
}

BOOST_AUTO_TEST_CASE(integers_must_be_minimal_and_counts_non_negative) {
  refusal({0x02, 0x02, 0x00, 0x05}, &der_reader::integer_bytes);
  refusal({0x02, 0x02, 0xff, 0x80}, &der_reader::integer_bytes);
  refusal({0x02, 0x00}, &der_reader::integer_bytes);
  const auto needed_zero_der = bytes({0x02, 0x02, 0x00, 0x80});
  der_reader needed_zero(needed_zero_der);
  BOOST_TEST(value_of(needed_zero.small_unsigned()) == 0x80u);
  refusal({0x02, 0x01, 0x80}, &der_reader::small_unsigned);
  refusal({0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}, &der_reader::small_unsigned);
}

BOOST_AUTO_TEST_CASE(booleans_are_00_or_ff_and_bit_strings_count_unused_bits) {
  refusal({0x01, 0x01, 0x01}, &der_reader::boolean);
  const auto f_der = bytes({0x01, 0x01, 0x00});
  der_reader f(f_der);
  BOOST_TEST(value_of(f.boolean()) == false);
  const auto bits_der = bytes({0x03, 0x02, 0x07, 0x80});
  der_reader bits(bits_der);
  auto b = value_of(bits.bit_string());
  BOOST_TEST(b.unused == 7u);
  BOOST_TEST(b.bytes.size() == 1u);
  refusal({0x03, 0x02, 0x08, 0x00}, &der_reader::bit_string);
  refusal({0x03, 0x01, 0x01}, &der_reader::bit_string);
}

BOOST_AUTO_TEST_CASE(an_optional_value_of_another_tag_is_absent_and_not_consumed) {
  const auto r_der = bytes({0x02, 0x01, 0x05});
  der_reader r(r_der);
  auto absent = value_of(r.optional(MBEDTLS_ASN1_BOOLEAN));
  BOOST_TEST(!absent.present());
  BOOST_TEST(r.peek_tag().value() == MBEDTLS_ASN1_INTEGER);
  BOOST_TEST(value_of(r.optional(MBEDTLS_ASN1_INTEGER)).present());
}

BOOST_AUTO_TEST_CASE(malformed_values_say_what_the_reader_was_reading) {
  const auto r_der = bytes({0x04, 0x81, 0x01, 0xaa});
  der_reader r(r_der, "reading a test structure");
  auto v = r.any();
  expect_error(v, errc::parse_failed);
  BOOST_TEST(std::strcmp(v.error().context(), "reading a test structure") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(check_once)

BOOST_AUTO_TEST_CASE(a_whole_structure_read_without_checks_reports_success_once) {
  der_reader outer(three_fields);
  der_reader in = outer.read_nested();
  BOOST_TEST(in.read_small_unsigned() == 5u);
  BOOST_TEST(in.read_boolean());
  BOOST_TEST(pki::to_hex(in.read_oid()) == "550403");
  pki_test::expect_ok(in.finish("trailing values"));
  pki_test::expect_ok(outer.finish("trailing values"));
}

BOOST_AUTO_TEST_CASE(the_first_failure_is_kept_and_later_reads_are_empty) {
  // SEQUENCE { BOOLEAN 01 (not DER), INTEGER 5 }
  const auto outer_der = bytes({0x30, 0x06, 0x01, 0x01, 0x01, 0x02, 0x01, 0x05});
  der_reader outer(outer_der, "first context");
  der_reader in = outer.read_nested();
  BOOST_TEST(!in.read_boolean());
  BOOST_TEST(in.failed());
  BOOST_TEST(in.at_end());
  BOOST_TEST(!in.peek_tag().has_value());
  BOOST_TEST(in.read_small_unsigned() == 0u);  // not 5: reading stopped at the failure
  in.require(false, "a later check");          // does not replace the first failure
  auto done = in.finish("trailing");
  expect_error(done, errc::parse_failed);
  BOOST_TEST(context_of(done) == "first context");
}

BOOST_AUTO_TEST_CASE(a_nested_reader_shares_its_parents_failure) {
  der_reader outer(three_fields);
  der_reader in = outer.read_nested();
  (void)in.read(MBEDTLS_ASN1_OCTET_STRING);  // the first value is an INTEGER
  BOOST_TEST(outer.failed());
  expect_error(outer.finish(), errc::parse_failed);
  // A value read before the failure gives a nested reader that sees it too.
  der_reader again(three_fields);
  const auto seq = again.read(pki::detail::der_sequence);
  der_reader inside = again.nested_in(seq, "inside");
  again.reject(errc::unsupported, "the parent's own check");
  BOOST_TEST(inside.failed());
  auto kept = inside.finish();
  expect_error(kept, errc::unsupported);
  BOOST_TEST(context_of(kept) == "the parent's own check");
}

BOOST_AUTO_TEST_CASE(a_nested_readers_malformed_values_say_its_own_context) {
  const auto outer_der = bytes({0x30, 0x03, 0x01, 0x01, 0x01});
  der_reader outer(outer_der, "outer");
  const auto seq = outer.read(pki::detail::der_sequence);
  der_reader inner = outer.nested_in(seq, "inner");
  (void)inner.read_boolean();
  auto done = outer.finish();
  expect_error(done, errc::parse_failed);
  BOOST_TEST(context_of(done) == "inner");
}

BOOST_AUTO_TEST_CASE(a_failed_nested_read_gives_an_empty_reader) {
  const auto outer_der = bytes({0x02, 0x01, 0x05});
  der_reader outer(outer_der);
  der_reader in = outer.read_nested();  // an INTEGER, not a SEQUENCE
  BOOST_TEST(in.at_end());
  BOOST_TEST(in.rest().empty());
  expect_error(in.finish(), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(finish_refuses_trailing_values_only_when_asked) {
  const auto r_der = bytes({0x02, 0x01, 0x05, 0x05, 0x00});
  der_reader r(r_der);
  BOOST_TEST(r.read_small_unsigned() == 5u);
  pki_test::expect_ok(r.finish());
  auto trailing = r.finish("values after the count");
  expect_error(trailing, errc::parse_failed);
  BOOST_TEST(context_of(trailing) == "values after the count");
  expect_error(r.finish_with(7, "values after the count"), errc::parse_failed);
  r.skip(MBEDTLS_ASN1_NULL);
  BOOST_TEST(value_of(r.finish_with(7, "values after the count")) == 7);
}

BOOST_AUTO_TEST_CASE(keep_gives_the_fallback_once_failed) {
  const auto r_der = bytes({0x02, 0x01, 0x05});
  der_reader r(r_der);
  BOOST_TEST(r.keep(pki::result<int>(3), -1) == 3);
  BOOST_TEST(r.keep(pki::result<int>(std::unexpected(pki::error(errc::unsupported, "kept"))), -1) == -1);
  BOOST_TEST(r.keep(pki::result<int>(4), -1) == -1);  // a success after the failure is not taken
  auto done = r.finish();
  expect_error(done, errc::unsupported);
  BOOST_TEST(context_of(done) == "kept");
}

BOOST_AUTO_TEST_CASE(a_copied_reader_owns_a_copy_of_its_failure) {
  const auto original_der = bytes({0x02, 0x01, 0x05});
  der_reader original(original_der);
  der_reader copy = original;
  copy.reject(errc::parse_failed, "only the copy");
  BOOST_TEST(copy.failed());
  BOOST_TEST(!original.failed());
  der_reader assigned(pki::byte_view{});
  assigned = copy;
  BOOST_TEST(assigned.failed());
  original.reject(errc::unsupported, "the original");
  BOOST_TEST(context_of(assigned.finish()) == "only the copy");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(oid_octets)

BOOST_AUTO_TEST_CASE(validity_is_checked_without_formatting) {
  BOOST_TEST(pki::detail::oid_is_valid(bytes({0x55, 0x04, 0x03})));
  BOOST_TEST(!pki::detail::oid_is_valid(bytes({})));
  BOOST_TEST(!pki::detail::oid_is_valid(bytes({0x55, 0x84})));        // last arc not ended
  BOOST_TEST(!pki::detail::oid_is_valid(bytes({0x55, 0x80, 0x01})));  // leading 0x80
  // An arc of 2^64 (ten octets) does not fit 64 bits.
  BOOST_TEST(!pki::detail::oid_is_valid(bytes({0x2a, 0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00})));
  BOOST_TEST(pki::detail::oid_is_valid(bytes({0x2a, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})));
  BOOST_TEST(pki::detail::oid_to_text(bytes({0x55, 0x80, 0x01})).empty());
  BOOST_TEST(pki::detail::oid_to_text(bytes({0x55, 0x04, 0x03})) == "2.5.4.3");
}

BOOST_AUTO_TEST_SUITE_END()
