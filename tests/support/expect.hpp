#pragma once
// Assertions on pki::result shared by the tests: a failure must carry exactly the
// expected errc, and the message printed on mismatch is the library's own.

#include <boost/test/unit_test.hpp>

#include <pki/core/error.hpp>
#include <pki/x509/name.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace pki_test {

/// The error text of a failed result, "" for a success. Boost.Test evaluates an assertion's
/// message operands even when the assertion passes, so they must be safe on success.
template <class T>
std::string error_text(const pki::result<T>& r) {
  return r ? std::string() : r.error().message();
}

template <class T>
void expect_error(const pki::result<T>& r, pki::errc expected) {
  BOOST_REQUIRE_MESSAGE(!r.has_value(), "expected " << pki::describe(expected) << ", got success");
  BOOST_TEST((r.error().code() == expected),
             "expected " << pki::describe(expected) << ", got " << r.error().message());
}

/// The value of a result that must have succeeded (stops the test case otherwise).
template <class T>
T value_of(pki::result<T>&& r) {
  BOOST_REQUIRE_MESSAGE(r.has_value(), error_text(r));
  return std::move(*r);
}

/// A copy of the value of a result that must have succeeded (a certificate's decoded
/// extensions are kept results, read by reference).
template <class T>
T value_of(const pki::result<T>& r) {
  BOOST_REQUIRE_MESSAGE(r.has_value(), error_text(r));
  return *r;
}

/// Requires a result<void> to have succeeded.
inline void expect_ok(const pki::result<void>& r) {
  BOOST_REQUIRE_MESSAGE(r.has_value(), error_text(r));
}

/// True when `part` occurs in `text` (messages, transcripts).
inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

/// A distinguished name from RFC 4514 text that must parse.
inline pki::distinguished_name dn(std::string_view rfc4514) {
  return value_of(pki::distinguished_name::parse(rfc4514));
}

}  // namespace pki_test
