// errc, error, the mbedTLS code mapping and std::error_code interop.

#include <boost/test/unit_test.hpp>

#include <mbedtls/asn1.h>
#include <mbedtls/pk.h>
#include <pki/core/detail/mbedtls_error.hpp>
#include <pki/core/error.hpp>

#include <string>
#include <system_error>
#include <type_traits>

using pki::errc;
using pki::detail::errc_from_mbedtls;

BOOST_AUTO_TEST_SUITE(error_model)

// Building an error is a constant expression: it cannot allocate.
static_assert(pki::error(errc::bad_signature, "verifying").code() == errc::bad_signature);
static_assert(pki::error(errc::parse_failed, "parsing").at_depth(2).depth() == 2);
static_assert(!pki::error(errc::parse_failed, "parsing").has_depth());
static_assert(std::is_trivially_copyable_v<pki::error>, "building or copying an error never allocates");
// The budget kind sits in padding: an error is as small as before it had one.
static_assert(sizeof(pki::error) == sizeof(void*) + 4 * sizeof(int));
static_assert(pki::error::exhausted(pki::budget_kind::policy_nodes, "x").code() == errc::budget_exhausted);
static_assert(pki::error(errc::bad_signature, "x").budget() == pki::budget_kind::none);

BOOST_AUTO_TEST_CASE(a_budget_error_names_its_budget_wherever_it_is_located) {
  const auto e = pki::error::exhausted(pki::budget_kind::signature_checks, "path building", 2);
  BOOST_TEST((e.budget() == pki::budget_kind::signature_checks));
  BOOST_TEST(e.depth() == 2);
  BOOST_TEST((e.at_depth(0).budget() == pki::budget_kind::signature_checks));
  BOOST_TEST(e.message() == "work budget exhausted (signature_checks): path building (certificate at depth 2)");
}

BOOST_AUTO_TEST_CASE(every_budget_kind_is_named_after_its_validation_budget_field) {
  using pki::budget_kind;
  BOOST_TEST(pki::describe(budget_kind::none).empty());
  for (auto kind : {budget_kind::signature_checks, budget_kind::issuer_candidates, budget_kind::intermediates,
                    budget_kind::name_comparisons, budget_kind::policy_nodes}) {
    BOOST_TEST(!pki::describe(kind).empty());
    BOOST_TEST(pki::error::exhausted(kind, "x").message().find(pki::describe(kind)) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(keeps_code_context_depth_and_mbedtls_code) {
  const pki::error e(errc::bad_password, "parsing a private key", MBEDTLS_ERR_PK_PASSWORD_MISMATCH, 1);
  BOOST_TEST((e.code() == errc::bad_password));
  BOOST_TEST(std::string(e.context()) == "parsing a private key");
  BOOST_TEST(e.mbedtls_code() == MBEDTLS_ERR_PK_PASSWORD_MISMATCH);
  BOOST_TEST(e.depth() == 1);
  BOOST_TEST((e == errc::bad_password));
}

BOOST_AUTO_TEST_CASE(message_names_reason_context_depth_and_mbedtls_code) {
  const pki::error e(errc::bad_password, "parsing a private key", MBEDTLS_ERR_PK_PASSWORD_MISMATCH, 1);
  const std::string text = e.message();
  BOOST_TEST(text.find("bad password: parsing a private key") == 0U);
  BOOST_TEST(text.find("depth 1") != std::string::npos);
  BOOST_TEST(text.find("-0x3B80") != std::string::npos);
  BOOST_TEST(text.find("password") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(message_without_mbedtls_code_is_just_reason_and_context) {
  BOOST_TEST(pki::error(errc::invalid_argument, "checking the size").message() ==
             "invalid argument: checking the size");
}

BOOST_AUTO_TEST_CASE(null_context_is_empty_not_a_crash) {
  const pki::error e(errc::unsupported, nullptr);
  BOOST_TEST(std::string(e.context()).empty());
  BOOST_TEST(e.message() == "not supported");
}

BOOST_AUTO_TEST_CASE(errc_converts_to_std_error_code) {
  const std::error_code code = errc::bad_signature;
  BOOST_TEST(std::string(code.category().name()) == "pki");
  BOOST_TEST(code.message() == "signature does not verify");
  BOOST_TEST((pki::error(errc::bad_signature, "x").error_code() == code));
}

BOOST_AUTO_TEST_CASE(mbedtls_category_describes_raw_codes) {
  const std::error_code code(MBEDTLS_ERR_PK_PASSWORD_REQUIRED, pki::mbedtls_category());
  BOOST_TEST(std::string(code.category().name()) == "mbedtls");
  BOOST_TEST(!code.message().empty());
}

BOOST_AUTO_TEST_CASE(every_errc_has_a_description) {
  for (int value = static_cast<int>(errc::invalid_argument);
       value <= static_cast<int>(pki::detail::last_errc); ++value) {
    BOOST_TEST(pki::describe(static_cast<errc>(value)) != "unknown error");
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(mbedtls_code_mapping)

BOOST_AUTO_TEST_CASE(maps_password_codes) {
  BOOST_TEST((errc_from_mbedtls(MBEDTLS_ERR_PK_PASSWORD_MISMATCH) == errc::bad_password));
  BOOST_TEST((errc_from_mbedtls(MBEDTLS_ERR_PK_PASSWORD_REQUIRED) == errc::password_required));
  BOOST_TEST((errc_from_mbedtls(-0x1380) == errc::bad_password));  // PEM_PASSWORD_MISMATCH
}

BOOST_AUTO_TEST_CASE(maps_combined_high_and_low_codes_to_parse_failed) {
  BOOST_TEST((errc_from_mbedtls(MBEDTLS_ERR_PK_KEY_INVALID_FORMAT + MBEDTLS_ERR_ASN1_OUT_OF_DATA) ==
              errc::parse_failed));
  BOOST_TEST((errc_from_mbedtls(MBEDTLS_ERR_ASN1_UNEXPECTED_TAG) == errc::parse_failed));
}

BOOST_AUTO_TEST_CASE(an_asn1_error_under_any_module_is_a_parse_failure) {
  // PK_UNKNOWN_PK_ALG alone is unsupported; with an ASN.1 error the algorithm could not be read.
  BOOST_TEST((errc_from_mbedtls(MBEDTLS_ERR_PK_UNKNOWN_PK_ALG) == errc::unsupported));
  BOOST_TEST((errc_from_mbedtls(MBEDTLS_ERR_PK_UNKNOWN_PK_ALG + MBEDTLS_ERR_ASN1_UNEXPECTED_TAG) ==
              errc::parse_failed));
  BOOST_TEST((errc_from_mbedtls(MBEDTLS_ERR_PK_KEY_INVALID_FORMAT + MBEDTLS_ERR_ASN1_OUT_OF_DATA) ==
              errc::parse_failed));
}

BOOST_AUTO_TEST_CASE(maps_verification_failures_to_bad_signature) {
  BOOST_TEST((errc_from_mbedtls(-0x4E00) == errc::bad_signature));  // ECP_VERIFY_FAILED
  BOOST_TEST((errc_from_mbedtls(-0x4380) == errc::bad_signature));  // RSA_VERIFY_FAILED
  BOOST_TEST((errc_from_mbedtls(MBEDTLS_ERR_PK_SIG_LEN_MISMATCH) == errc::bad_signature));
}

BOOST_AUTO_TEST_CASE(maps_psa_statuses) {
  BOOST_TEST((errc_from_mbedtls(PSA_ERROR_INVALID_SIGNATURE) == errc::bad_signature));
  BOOST_TEST((errc_from_mbedtls(PSA_ERROR_NOT_SUPPORTED) == errc::unsupported));
  BOOST_TEST((errc_from_mbedtls(PSA_ERROR_INSUFFICIENT_MEMORY) == errc::out_of_memory));
  BOOST_TEST((errc_from_mbedtls(PSA_ERROR_INSUFFICIENT_ENTROPY) == errc::random_failed));
}

BOOST_AUTO_TEST_CASE(unknown_codes_map_to_crypto_failed_and_keep_the_raw_code) {
  constexpr int unknown = -0x7F80;
  BOOST_TEST((errc_from_mbedtls(unknown) == errc::crypto_failed));
  const pki::error e = pki::detail::mbedtls_error(unknown, "doing something new");
  BOOST_TEST(e.mbedtls_code() == unknown);
  BOOST_TEST(e.message().find("-0x7F80") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
