// CRLs: what the CA issues parses back field by field, OpenSSL and Python's cryptography
// read and verify it, a CRL made by `openssl ca -gencrl` parses to what OpenSSL prints,
// and malformed, tampered or mis-signed CRLs fail with their own errc.

#include <boost/test/unit_test.hpp>

#include <pki/issue/authority.hpp>
#include <pki/x509/crl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "support/der.hpp"
#include "support/expect.hpp"
#include "support/openssl_cli.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
using pki::crl_reason;
using pki::errc;
using pki_test::contains;
using pki_test::dn;
using pki_test::expect_error;
using pki_test::expect_ok;
using pki_test::value_of;

namespace {

using seconds = std::chrono::sys_seconds;

seconds at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours(hh) +
         std::chrono::minutes(mm) + std::chrono::seconds(ss);
}

const seconds now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
const pki::validity ten_years{now - 1h, now + std::chrono::days(3650)};
// Next update in 2050: written as GeneralizedTime, the rest as UTCTime.
const pki::crl_period period{at(2026, 5, 1, 8, 30), at(2050, 1, 1)};

using root_ca = pki::certificate_authority<pki::ecdsa_p384>;

const root_ca& root() {
  static const root_ca ca = value_of(root_ca::create_root(
      value_of(pki::private_key<pki::ecdsa_p384>::generate()), dn("CN=Acme Root CA,O=Acme,C=DE"), ten_years));
  return ca;
}

pki::byte_buffer bytes(std::initializer_list<std::uint8_t> list) {
  return pki::byte_buffer(list);
}

// Serials as INTEGER content octets; the second needs its leading zero (0x8000 is positive).
const pki::byte_buffer serial_a = bytes({0x01, 0x23, 0xAB});
const pki::byte_buffer serial_b = bytes({0x00, 0x80, 0x00});
const pki::byte_buffer serial_c = bytes({0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});

std::vector<pki::revoked_certificate> three_revocations() {
  return {{serial_a, at(2026, 1, 2, 3, 4, 5), crl_reason::key_compromise, {}},
          {serial_b, at(2025, 12, 31, 23, 59, 59), crl_reason::superseded, {}},
          {serial_c, at(2026, 3, 15, 12), crl_reason::cessation_of_operation, {}}};
}

const pki::crl& issued_crl() {
  static const pki::crl crl = [] {
    const auto revoked = three_revocations();
    return value_of(root().issue_crl(revoked, period, 42));
  }();
  return crl;
}

/// Upper-case hex with ':' between bytes, as OpenSSL prints key identifiers.
std::string colon_hex(pki::byte_view b) {
  std::string text;
  char octet[4];
  for (std::size_t i = 0; i < b.size(); ++i) {
    std::snprintf(octet, sizeof octet, "%02X", b[i]);
    if (i != 0) text += ':';
    text += octet;
  }
  return text;
}

/// Upper-case hex of a non-negative INTEGER's content octets, as OpenSSL prints serials and
/// CRL numbers: the leading zero octet dropped ("0123AB", "8000", "2A").
std::string serial_text(pki::byte_view b) {
  if (b.size() > 1 && b[0] == 0) b = b.subspan(1);
  std::string text = colon_hex(b);
  text.erase(std::remove(text.begin(), text.end(), ':'), text.end());
  return text;
}

/// The serial as Python prints an int in hex: no leading zeros, lower case.
std::string python_hex(pki::byte_view b) {
  std::string text = pki::to_hex(b);
  const auto first = text.find_first_not_of('0');
  return first == std::string::npos ? "0" : text.substr(first);
}

/// "May  1 08:30:00 2026 GMT", as OpenSSL prints times by default.
std::string rfc822(seconds t) {
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss<std::chrono::seconds> clock{t - days};
  char text[40];
  std::snprintf(text, sizeof text, "%s %2u %02d:%02d:%02d %d GMT", months[unsigned(date.month()) - 1],
                unsigned(date.day()), int(clock.hours().count()), int(clock.minutes().count()),
                int(clock.seconds().count()), int(date.year()));
  return text;
}

/// "2026-05-01T08:30:00Z" (separator 'T') or "2026-05-01 08:30:00Z" (separator ' ').
std::string iso8601(seconds t, char separator) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss<std::chrono::seconds> clock{t - days};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u%c%02d:%02d:%02dZ", int(date.year()),
                unsigned(date.month()), unsigned(date.day()), separator, int(clock.hours().count()),
                int(clock.minutes().count()), int(clock.seconds().count()));
  return text;
}

std::size_t count(const std::string& text, std::string_view part) {
  std::size_t n = 0;
  for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + part.size())) ++n;
  return n;
}

/// The whole TLVs of a CRL's tbsCertList, in order.
std::vector<pki::byte_buffer> tbs_fields(const pki::crl& list) {
  return pki_test::der::elements(list.tbs_der());
}

/// A CRL whose tbsCertList is `fields`, signed by the root with `algorithm` (default: the
/// root's own scheme, as the TBS names it).
pki::byte_buffer resign(const std::vector<pki::byte_buffer>& fields,
                        std::optional<pki::signature_algorithm> algorithm = std::nullopt) {
  pki::detail::der_writer w(1024);
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) w.raw(*it);
  w.sequence(0);
  auto tbs = value_of(w.finish<pki::byte_buffer>());
  return value_of(
      pki::detail::sign_tbs(tbs, root().key(), algorithm.value_or(issued_crl().signature_algorithm())));
}

/// [0] EXPLICIT Extensions holding `exts`.
pki::byte_buffer crl_extensions_field(const pki::extension_list& exts) {
  pki::detail::der_writer w;
  w.raw(value_of(exts.to_der()));
  w.wrap(0, pki::detail::context_constructed(0));
  return value_of(w.finish<pki::byte_buffer>());
}

/// revokedCertificates with one entry, revoked on 2026-01-01, whose serial has these content octets.
pki::byte_buffer revoked_list_with_serial(pki::byte_view serial) {
  pki::detail::der_writer w;
  expect_ok(pki::detail::write_time(w, at(2026, 1, 1)));
  w.primitive(MBEDTLS_ASN1_INTEGER, serial);
  w.sequence(0);
  w.sequence(0);
  return value_of(w.finish<pki::byte_buffer>());
}

/// Runs python3 (found at configure time) with `args`.
pki_test::process_result run_python(const std::vector<std::string>& args) {
  return pki_test::run_program(PKI_PYTHON_EXECUTABLE, args);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reasons)

BOOST_AUTO_TEST_CASE(have_rfc5280_values_and_openssl_names) {
  BOOST_TEST(static_cast<int>(crl_reason::unspecified) == 0);
  BOOST_TEST(static_cast<int>(crl_reason::certificate_hold) == 6);
  BOOST_TEST(static_cast<int>(crl_reason::remove_from_crl) == 8);
  BOOST_TEST(static_cast<int>(crl_reason::aa_compromise) == 10);
  BOOST_TEST(pki::name(crl_reason::key_compromise) == "Key Compromise");
  BOOST_TEST(pki::name(crl_reason::cessation_of_operation) == "Cessation Of Operation");
  BOOST_TEST(pki::name(crl_reason::aa_compromise) == "AA Compromise");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(issued_by_the_ca)

BOOST_AUTO_TEST_CASE(parses_back_every_field) {
  const auto& ca = root().certificate();
  // Through PEM and back, so from_pem and parse are covered too.
  const auto pem = value_of(issued_crl().to_pem());
  BOOST_TEST(pem.starts_with("-----BEGIN X509 CRL-----\n"));
  const auto crl = value_of(pki::crl::from_pem(pem));
  BOOST_TEST((crl == issued_crl()));
  BOOST_TEST((value_of(pki::crl::parse(pki::as_bytes(pem))) == crl));
  BOOST_TEST((value_of(pki::crl::parse(crl.der())) == crl));

  BOOST_TEST(crl.version() == 2);
  BOOST_TEST(crl.signature_algorithm().name() == "ecdsa-with-SHA384");
  BOOST_TEST((crl.issuer() == ca.subject()));
  BOOST_TEST(crl.issuer().to_string() == "CN=Acme Root CA,O=Acme,C=DE");
  BOOST_TEST(std::ranges::equal(crl.issuer_der(), ca.subject_der()));
  BOOST_TEST((crl.this_update() == period.this_update));
  BOOST_TEST((crl.next_update() == std::optional<seconds>(period.next_update)));

  const auto expected = three_revocations();
  BOOST_REQUIRE(crl.revoked().size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& entry = crl.revoked()[i];
    BOOST_TEST(entry.serial == expected[i].serial);
    BOOST_TEST((entry.revocation_date == expected[i].revocation_date));
    BOOST_TEST((entry.reason == expected[i].reason));
    // reasonCode (2.5.29.21) is the only entry extension, non-critical, an ENUMERATED.
    BOOST_REQUIRE(entry.extensions.size() == 1);
    const auto& ext = entry.extensions.items()[0];
    BOOST_TEST(ext.oid.to_string() == "2.5.29.21");
    BOOST_TEST(!ext.critical);
    BOOST_TEST(ext.value == bytes({0x0A, 0x01, static_cast<std::uint8_t>(*expected[i].reason)}));
  }

  BOOST_TEST((crl.crl_number() == std::optional<pki::byte_buffer>(bytes({42}))));
  BOOST_TEST((crl.crl_number_value() == std::optional<std::uint64_t>(42)));
  BOOST_REQUIRE(crl.authority_key_identifier().has_value());
  BOOST_TEST((crl.authority_key_identifier()->key_id == value_of(ca.subject_key_identifier())->key_id));

  // crlExtensions: AKI then cRLNumber, both non-critical.
  BOOST_REQUIRE(crl.extensions().size() == 2);
  BOOST_TEST(crl.extensions().items()[0].oid.to_string() == "2.5.29.35");
  BOOST_TEST(!crl.extensions().items()[0].critical);
  BOOST_TEST(crl.extensions().items()[1].oid.to_string() == "2.5.29.20");
  BOOST_TEST(!crl.extensions().items()[1].critical);

  expect_ok(crl.verify_signature(ca.public_key()));
}

// A CRL is not typed by its issuer's key (crl<ecdsa_p256> once accepted a P-384-signed CRL):
// the signature check says which key signed it, to the curve.
BOOST_AUTO_TEST_CASE(the_issuer_key_is_checked_by_the_signature_to_the_curve) {
  const auto& crl = issued_crl();
  const auto issuer_key = value_of(root().key().public_key());  // public_key<ecdsa_p384>
  expect_ok(crl.verify_signature(issuer_key));
  expect_ok(crl.verify_signature(pki::public_key<>(issuer_key)));
  const auto p256 = value_of(value_of(pki::private_key<pki::ecdsa_p256>::generate()).public_key());
  expect_error(crl.verify_signature(p256), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(is_revoked_finds_listed_serials_only) {
  const auto& crl = issued_crl();
  const auto hit = crl.is_revoked(serial_b);
  BOOST_REQUIRE(hit.has_value());
  BOOST_TEST(hit->serial == serial_b);
  BOOST_TEST((hit->reason == std::optional<crl_reason>(crl_reason::superseded)));
  BOOST_TEST((hit->revocation_date == at(2025, 12, 31, 23, 59, 59)));
  BOOST_TEST(crl.is_revoked(serial_a).has_value());
  BOOST_TEST(crl.is_revoked(serial_c).has_value());
  BOOST_TEST(!crl.is_revoked(bytes({0x01, 0x23, 0xAC})).has_value());
  BOOST_TEST(!crl.is_revoked(bytes({0x01, 0x23})).has_value());
  BOOST_TEST(!crl.is_revoked(pki::byte_buffer{}).has_value());
}

BOOST_AUTO_TEST_CASE(revokes_an_issued_certificate) {
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  auto request = value_of(pki::csr_builder().subject("CN=leaf").dns("leaf.example").sign(key));
  auto leaf = value_of(root().issue(request, pki::profile::tls_server{}, {now, now + std::chrono::days(30)}));
  auto other =
      value_of(root().issue(request, pki::profile::tls_server{}, {now, now + std::chrono::days(30)}));
  auto crl = value_of(pki::crl_builder()
                          .issuer(root().certificate())
                          .period(period)
                          .crl_number(7)
                          .revoke(leaf, now, crl_reason::affiliation_changed)
                          .sign(root().key()));
  const auto hit = crl.is_revoked(leaf.serial());
  BOOST_REQUIRE(hit.has_value());
  BOOST_TEST((hit->reason == std::optional<crl_reason>(crl_reason::affiliation_changed)));
  BOOST_TEST(!crl.is_revoked(other.serial()).has_value());
}

BOOST_AUTO_TEST_CASE(empty_crl_leaves_the_list_out) {
  auto crl = value_of(root().issue_crl({}, period, 1));
  BOOST_TEST(crl.revoked().empty());
  BOOST_TEST(crl.version() == 2);
  BOOST_TEST((crl.crl_number_value() == std::optional<std::uint64_t>(1)));
  // version, signature, issuer, thisUpdate, nextUpdate, [0] crlExtensions: no revokedCertificates.
  const auto fields = tbs_fields(crl);
  BOOST_REQUIRE(fields.size() == 6);
  BOOST_TEST(fields[5][0] == pki::detail::context_constructed(0));
  const auto again = value_of(pki::crl::from_der(crl.der()));
  BOOST_TEST((again == crl));
  expect_ok(again.verify_signature(root().certificate().public_key()));
  BOOST_TEST(!again.is_revoked(serial_a).has_value());
}

BOOST_AUTO_TEST_CASE(carries_entries_of_an_earlier_crl_forward) {
  const auto earlier = issued_crl().revoked();
  std::vector<pki::revoked_certificate> next(earlier.begin(), earlier.end());
  next.push_back({bytes({0x05}), at(2026, 4, 30), std::nullopt, {}});
  auto crl = value_of(root().issue_crl(next, {at(2026, 6, 1), at(2026, 7, 1)}, 43));
  BOOST_REQUIRE(crl.revoked().size() == 4);
  for (std::size_t i = 0; i < earlier.size(); ++i) BOOST_TEST((crl.revoked()[i] == earlier[i]));
  BOOST_TEST(!crl.revoked()[3].reason.has_value());
  BOOST_TEST(crl.revoked()[3].extensions.empty());
}

BOOST_AUTO_TEST_CASE(entries_with_extensions_lists_the_positions_of_those_entries) {
  // Entries 0-2 carry a reasonCode, entry 3 none; then one without beside one with.
  const auto earlier = issued_crl().revoked();
  std::vector<pki::revoked_certificate> next(earlier.begin(), earlier.end());
  next.push_back({bytes({0x05}), at(2026, 4, 30), std::nullopt, {}});
  next.push_back({bytes({0x06}), at(2026, 4, 30), crl_reason::key_compromise, {}});
  auto crl = value_of(root().issue_crl(next, {at(2026, 6, 1), at(2026, 7, 1)}, 43));
  const auto listed = crl.entries_with_extensions();
  BOOST_TEST(
      (std::vector<std::size_t>(listed.begin(), listed.end()) == std::vector<std::size_t>{0, 1, 2, 4}));
  for (const std::size_t i : listed) BOOST_TEST(!crl.revoked()[i].extensions.empty());
  BOOST_TEST(crl.revoked()[3].extensions.empty());
}

BOOST_AUTO_TEST_CASE(unspecified_reason_is_written_as_no_reason_code) {
  auto crl = value_of(pki::crl_builder()
                          .issuer(root().certificate())
                          .period(period)
                          .crl_number(2)
                          .revoke(serial_a, period.this_update, crl_reason::unspecified)
                          .sign(root().key()));
  BOOST_REQUIRE(crl.revoked().size() == 1);
  BOOST_TEST(!crl.revoked()[0].reason.has_value());
  BOOST_TEST(crl.revoked()[0].extensions.empty());
}

BOOST_AUTO_TEST_CASE(keeps_other_entry_extensions) {
  // invalidityDate (2.5.29.24), GeneralizedTime.
  const auto when = pki::as_bytes("20260101000000Z");
  pki::byte_buffer invalidity{0x18, static_cast<std::uint8_t>(when.size())};
  invalidity.insert(invalidity.end(), when.begin(), when.end());
  pki::revoked_certificate entry{serial_a, period.this_update, crl_reason::key_compromise, {}};
  expect_ok(entry.extensions.add({value_of(pki::object_identifier::parse("2.5.29.24")), false, invalidity}));
  auto crl = value_of(pki::crl_builder()
                          .issuer(root().certificate())
                          .period(period)
                          .crl_number(3)
                          .revoke(entry)
                          .sign(root().key()));
  const auto& exts = crl.revoked()[0].extensions;
  BOOST_REQUIRE(exts.size() == 2);
  BOOST_TEST(exts.items()[0].oid.to_string() == "2.5.29.21");
  BOOST_TEST(exts.items()[1].oid.to_string() == "2.5.29.24");
  BOOST_TEST(exts.items()[1].value == invalidity);
}

BOOST_AUTO_TEST_CASE(keeps_unknown_critical_crl_extensions) {
  auto crl = value_of(pki::crl_builder()
                          .issuer(root().certificate())
                          .period(period)
                          .crl_number(4)
                          .add_extension({value_of(pki::object_identifier::parse("1.3.6.1.4.1.55555.1")),
                                          true, bytes({0x05, 0x00})})
                          .sign(root().key()));
  const auto* unknown = crl.extensions().find(value_of(pki::object_identifier::parse("1.3.6.1.4.1.55555.1")));
  BOOST_REQUIRE(unknown != nullptr);
  BOOST_TEST(unknown->critical);
  BOOST_TEST(crl.extensions().size() == 3);
}

BOOST_AUTO_TEST_CASE(issuer_by_name_computes_the_aki_from_the_signing_key) {
  auto crl = value_of(pki::crl_builder()
                          .issuer(root().certificate().subject())
                          .period(period)
                          .crl_number(pki::byte_buffer{0x00, 0x01, 0x00})
                          .sign(root().key()));
  BOOST_REQUIRE(crl.authority_key_identifier().has_value());
  BOOST_TEST((crl.authority_key_identifier()->key_id ==
              value_of(root().certificate().subject_key_identifier())->key_id));
  BOOST_TEST((crl.crl_number() == std::optional<pki::byte_buffer>(bytes({0x01, 0x00}))));
  BOOST_TEST((crl.issuer() == root().certificate().subject()));
}

BOOST_AUTO_TEST_CASE(large_crl_number_is_kept_as_bytes) {
  const pki::byte_buffer twenty(20, 0x7F);
  auto crl = value_of(
      pki::crl_builder().issuer(root().certificate()).period(period).crl_number(twenty).sign(root().key()));
  BOOST_TEST((crl.crl_number() == std::optional<pki::byte_buffer>(twenty)));
  BOOST_TEST(!crl.crl_number_value().has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(refusals)

BOOST_AUTO_TEST_CASE(ca_without_crl_sign_cannot_issue_crls) {
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const auto subject = dn("CN=Cert-only CA");
  auto cert = value_of(pki::certificate_builder()
                           .issuer(subject)
                           .subject(subject)
                           .validity(ten_years)
                           .public_key(value_of(key.public_key()))
                           .add(pki::basic_constraints{.ca = true, .path_len = std::nullopt})
                           .add(pki::key_usage{pki::key_usage_flag::key_cert_sign})
                           .sign(key));
  auto ca = value_of(pki::certificate_authority<pki::ecdsa_p256>::create(cert, std::move(key)));
  expect_error(ca.issue_crl({}, period, 1), errc::issuer_not_ca);
}

BOOST_AUTO_TEST_CASE(ca_without_key_usage_may_issue_crls) {
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  const auto subject = dn("CN=Old-style CA");
  auto cert = value_of(pki::certificate_builder()
                           .issuer(subject)
                           .subject(subject)
                           .validity(ten_years)
                           .public_key(value_of(key.public_key()))
                           .add(pki::basic_constraints{.ca = true, .path_len = std::nullopt})
                           .sign(key));
  auto ca = value_of(pki::certificate_authority<pki::ecdsa_p256>::create(cert, std::move(key)));
  auto crl = value_of(ca.issue_crl({}, period, 1));
  expect_ok(crl.verify_signature(cert.public_key()));
  // No SKI in this certificate: the AKI is computed from its key.
  auto spki = value_of(cert.public_key().to_der());
  BOOST_TEST((crl.authority_key_identifier()->key_id ==
              value_of(pki::subject_key_identifier::from_public_key_der(spki)).key_id));
}

BOOST_AUTO_TEST_CASE(builder_reports_the_first_invalid_input) {
  const auto& ca = root().certificate();
  const auto& key = root().key();
  auto base = [&] { return pki::crl_builder().issuer(ca).period(period).crl_number(1); };
  BOOST_TEST(base().sign(key).has_value());
  expect_error(pki::crl_builder().period(period).crl_number(1).sign(key), errc::invalid_argument);
  expect_error(pki::crl_builder().issuer(ca).this_update(period.this_update).crl_number(1).sign(key),
               errc::invalid_argument);
  expect_error(pki::crl_builder().issuer(ca).period(period).sign(key), errc::invalid_argument);
  expect_error(
      pki::crl_builder().issuer(ca).period({period.next_update, period.this_update}).crl_number(1).sign(key),
      errc::invalid_argument);
  expect_error(base().revoke(serial_a, now).revoke(serial_a, now).sign(key), errc::invalid_argument);
  expect_error(base().revoke(serial_a, now, crl_reason::remove_from_crl).sign(key), errc::invalid_argument);
  expect_error(base().revoke(serial_a, now, crl_reason{7}).sign(key), errc::invalid_argument);
  expect_error(base().revoke(pki::byte_buffer{}, now).sign(key), errc::invalid_argument);
  expect_error(base().revoke(bytes({0x00, 0x01}), now).sign(key), errc::invalid_argument);
  expect_error(base().crl_number(pki::byte_buffer(20, 0x80)).sign(key), errc::invalid_argument);
  expect_error(
      base().add_extension({pki::authority_key_identifier::oid(), false, bytes({0x30, 0x00})}).sign(key),
      errc::invalid_argument);
  pki::revoked_certificate mismatched{serial_a, now, crl_reason::superseded, {}};
  expect_ok(mismatched.extensions.add(
      {value_of(pki::object_identifier::parse("2.5.29.21")), false, bytes({0x0A, 0x01, 0x01})}));
  expect_error(base().revoke(mismatched).sign(key), errc::invalid_argument);
  // The first error wins over later ones.
  auto first = base().revoke(pki::byte_buffer{}, now).crl_number(pki::byte_buffer{}).sign(key);
  BOOST_REQUIRE(!first.has_value());
  BOOST_TEST(std::string(first.error().context()) == "a revoked serial is not an INTEGER's content octets");
}

BOOST_AUTO_TEST_CASE(builder_refuses_a_key_that_is_not_the_issuers) {
  auto other = value_of(pki::private_key<pki::ecdsa_p384>::generate());
  expect_error(pki::crl_builder().issuer(root().certificate()).period(period).crl_number(1).sign(other),
               errc::key_mismatch);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(malformed_and_mis_signed)

BOOST_AUTO_TEST_CASE(every_truncation_is_parse_failed) {
  const auto der = issued_crl().der();
  for (std::size_t n = 0; n < der.size(); ++n) {
    BOOST_TEST_CONTEXT("length " << n) {
      expect_error(pki::crl::from_der(der.first(n)), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(trailing_data_is_parse_failed) {
  pki::byte_buffer der(issued_crl().der().begin(), issued_crl().der().end());
  der.push_back(0x00);
  expect_error(pki::crl::from_der(der), errc::parse_failed);
  // Inside tbsCertList, after the extensions.
  auto fields = tbs_fields(issued_crl());
  fields.push_back(bytes({0x05, 0x00}));
  expect_error(pki::crl::from_der(resign(fields)), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(pem_without_a_crl_block_is_parse_failed) {
  expect_error(pki::crl::from_pem(value_of(root().certificate().to_pem())), errc::parse_failed);
  expect_error(pki::crl::parse(pki::as_bytes("-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----\n")),
               errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(reason_seven_and_other_bad_reason_codes_are_parse_failed) {
  const auto der = issued_crl().der();
  // The first entry's reasonCode extension: OID 2.5.29.21, OCTET STRING { ENUMERATED 1 }.
  const pki::byte_buffer pattern{0x06, 0x03, 0x55, 0x1D, 0x15, 0x04, 0x03, 0x0A, 0x01, 0x01};
  const auto found = std::ranges::search(der, pattern);
  BOOST_REQUIRE(!found.empty());
  const auto offset = static_cast<std::size_t>(found.begin() - der.begin());
  for (const std::uint8_t value : {7, 11, 0x80}) {
    pki::byte_buffer patched(der.begin(), der.end());
    patched[offset + 9] = value;
    BOOST_TEST_CONTEXT("reason " << int(value)) {
      expect_error(pki::crl::from_der(patched), errc::parse_failed);
    }
  }
  pki::byte_buffer as_integer(der.begin(), der.end());
  as_integer[offset + 7] = 0x02;  // INTEGER, not ENUMERATED
  expect_error(pki::crl::from_der(as_integer), errc::parse_failed);
}

BOOST_AUTO_TEST_CASE(tampered_crl_is_bad_signature) {
  const auto der = issued_crl().der();
  const auto& key = root().certificate().public_key();
  // A byte of the AKI's key identifier, inside the signed bytes.
  const auto& key_id = *issued_crl().authority_key_identifier()->key_id;
  const auto found = std::ranges::search(der, key_id);
  BOOST_REQUIRE(!found.empty());
  pki::byte_buffer tampered(der.begin(), der.end());
  tampered[static_cast<std::size_t>(found.begin() - der.begin())] ^= 0x01;
  const auto changed = value_of(pki::crl::from_der(tampered));
  expect_error(changed.verify_signature(key), errc::bad_signature);
  // The last byte of the signature (the end of s in the ECDSA signature's DER).
  pki::byte_buffer bad_sig(der.begin(), der.end());
  bad_sig.back() ^= 0x01;
  expect_error(value_of(pki::crl::from_der(bad_sig)).verify_signature(key), errc::bad_signature);
}

BOOST_AUTO_TEST_CASE(another_issuer_key_is_bad_signature) {
  auto other = value_of(value_of(pki::private_key<pki::ecdsa_p384>::generate()).public_key());
  expect_error(issued_crl().verify_signature(other), errc::bad_signature);
  auto rsa = value_of(value_of(pki::private_key<pki::rsa<2048>>::generate()).public_key());
  expect_error(issued_crl().verify_signature(rsa), errc::algorithm_mismatch);
}

BOOST_AUTO_TEST_CASE(version_rules) {
  const auto fields = tbs_fields(issued_crl());  // version, alg, issuer, this, next, list, [0] exts
  BOOST_REQUIRE(fields.size() == 7);
  // v1: no version field. With extensions that is malformed.
  auto v1 = std::vector<pki::byte_buffer>(fields.begin() + 1, fields.end());
  expect_error(pki::crl::from_der(resign(v1)), errc::parse_failed);
  // v1 with entry extensions but no CRL extensions: malformed too.
  v1.pop_back();
  expect_error(pki::crl::from_der(resign(v1)), errc::parse_failed);
  // A v1 CRL without any extension is read: no cRLNumber, no AKI.
  auto plain = value_of(pki::crl_builder()
                            .issuer(root().certificate())
                            .period(period)
                            .crl_number(1)
                            .revoke(serial_a, now)
                            .sign(root().key()));
  auto plain_fields = tbs_fields(plain);
  plain_fields.pop_back();
  plain_fields.erase(plain_fields.begin());
  const auto v1_crl = value_of(pki::crl::from_der(resign(plain_fields)));
  BOOST_TEST(v1_crl.version() == 1);
  BOOST_TEST(!v1_crl.crl_number().has_value());
  BOOST_TEST(!v1_crl.authority_key_identifier().has_value());
  BOOST_TEST(v1_crl.revoked().size() == 1);
  expect_ok(v1_crl.verify_signature(root().certificate().public_key()));
  // An explicit version other than v2.
  for (const std::uint8_t version : {0, 2}) {
    auto wrong = fields;
    wrong[0] = bytes({0x02, 0x01, version});
    BOOST_TEST_CONTEXT("version " << int(version)) {
      expect_error(pki::crl::from_der(resign(wrong)), errc::parse_failed);
    }
  }
}

BOOST_AUTO_TEST_CASE(structure_rules) {
  const auto fields = tbs_fields(issued_crl());
  // An empty revokedCertificates SEQUENCE is valid ASN.1 (RFC 5280 only asks to leave it out): read.
  auto empty_list = fields;
  empty_list[5] = bytes({0x30, 0x00});
  const auto empty = value_of(pki::crl::from_der(resign(empty_list)));
  BOOST_TEST(empty.revoked().empty());
  // No nextUpdate: read, and next_update() says so.
  auto no_next = fields;
  no_next.erase(no_next.begin() + 4);
  const auto open_ended = value_of(pki::crl::from_der(resign(no_next)));
  BOOST_TEST(!open_ended.next_update().has_value());
  BOOST_TEST(open_ended.revoked().size() == 3);
  // The inner signature algorithm differs from the outer one.
  const auto sha256 =
      pki::signature_algorithm::for_key(root().key().algorithm(), pki::hash_algorithm::sha256);
  expect_error(pki::crl::from_der(resign(fields, sha256)), errc::parse_failed);
  // A negative cRLNumber.
  pki::extension_list negative;
  expect_ok(
      negative.add({value_of(pki::object_identifier::parse("2.5.29.20")), false, bytes({0x02, 0x01, 0xFF})}));
  auto with_negative = fields;
  with_negative[6] = crl_extensions_field(negative);
  expect_error(pki::crl::from_der(resign(with_negative)), errc::parse_failed);
  // A malformed authorityKeyIdentifier.
  pki::extension_list bad_aki;
  expect_ok(bad_aki.add({pki::authority_key_identifier::oid(), false, bytes({0x04, 0x00})}));
  auto with_bad_aki = fields;
  with_bad_aki[6] = crl_extensions_field(bad_aki);
  expect_error(pki::crl::from_der(resign(with_bad_aki)), errc::parse_failed);
  // An entry whose serial is not a minimal INTEGER; the same entry with a minimal one is read.
  auto bad_serial = fields;
  bad_serial[5] = revoked_list_with_serial(bytes({0x00, 0x01}));
  expect_error(pki::crl::from_der(resign(bad_serial)), errc::parse_failed);
  auto good_serial = fields;
  good_serial[5] = revoked_list_with_serial(bytes({0x01}));
  BOOST_TEST(value_of(pki::crl::from_der(resign(good_serial))).revoked().size() == 1);
}

// RFC 5280 5.1.2.4-5.1.2.6 with 4.1.2.5: thisUpdate, nextUpdate and each revocationDate are
// UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ (no fractions, no offsets, Z
// always), naming a date and time of day that exist. Each field respelled in turn.
BOOST_AUTO_TEST_CASE(update_times_are_strict_times) {
  const auto fields = tbs_fields(issued_crl());  // version, alg, issuer, this, next, list, [0] exts
  BOOST_REQUIRE(fields.size() == 7);
  const auto utc = [](std::string_view text) { return pki_test::der::tlv(0x17, pki::as_bytes(text)); };
  const auto generalized = [](std::string_view text) { return pki_test::der::tlv(0x18, pki::as_bytes(text)); };
  const auto with_field = [&](std::size_t index, const pki::byte_buffer& value) {
    auto changed = fields;
    changed[index] = value;
    return pki::crl::from_der(resign(changed));
  };
  // Well-formed spellings of both kinds are read, and read as the instant they name.
  const auto this_update = value_of(with_field(3, utc("260301120000Z")));
  BOOST_TEST((this_update.this_update() == at(2026, 3, 1, 12)));
  const auto next_update = value_of(with_field(4, generalized("20500101000000Z")));
  BOOST_TEST((next_update.next_update() == std::optional(at(2050, 1, 1))));
  const std::vector<pki::byte_buffer> malformed = {
      utc("2603011200Z"),          // no seconds
      utc("260301120000+0100"),    // an offset, not Z
      utc("260301120000"),         // local time
      utc("261301120000Z"),        // month 13
      utc("260229120000Z"),        // 29 February of a common year
      utc("260301240000Z"),        // hour 24
      generalized("20260301120000.5Z"),  // a fraction
      generalized("202603011200Z"),      // no seconds
      pki_test::der::tlv(0x04, pki::as_bytes("260301120000Z")),  // an OCTET STRING
  };
  for (std::size_t i = 0; i < malformed.size(); ++i) {
    BOOST_TEST_CONTEXT("spelling " << i) {
      expect_error(with_field(3, malformed[i]), errc::parse_failed);
      // In nextUpdate's place a value that is no Time is the revokedCertificates' place: still malformed.
      expect_error(with_field(4, malformed[i]), errc::parse_failed);
    }
  }
  // A revocationDate is held to the same form.
  pki::detail::der_writer w;
  w.raw(utc("260101000000"));
  w.primitive(MBEDTLS_ASN1_INTEGER, bytes({0x01}));
  w.sequence(0);
  w.sequence(0);
  expect_error(with_field(5, value_of(w.finish<pki::byte_buffer>())), errc::parse_failed);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(openssl_oracle)

BOOST_AUTO_TEST_CASE(openssl_verifies_and_prints_our_crl) {
  const auto& crl = issued_crl();
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("root.pem"), value_of(root().certificate().to_pem()));
  pki_test::write_file(dir.file("crl.pem"), value_of(crl.to_pem()));
  pki_test::write_file(dir.file("crl.der"), crl.der());

  const auto verify =
      pki_test::run_openssl({"crl", "-in", dir.file("crl.pem"), "-CAfile", dir.file("root.pem"), "-noout"});
  BOOST_TEST(verify.exit_status == 0, verify.transcript());
  BOOST_TEST(contains(verify.out + verify.err, "verify OK"), verify.transcript());

  const auto text =
      pki_test::run_openssl({"crl", "-inform", "DER", "-in", dir.file("crl.der"), "-noout", "-text"});
  BOOST_REQUIRE_MESSAGE(text.exit_status == 0, text.transcript());
  const auto& out = text.out;
  BOOST_TEST(contains(out, "Version 2 (0x1)"), out);
  BOOST_TEST(contains(out, "Signature Algorithm: ecdsa-with-SHA384"), out);
  BOOST_TEST(contains(out, "Issuer: C = DE, O = Acme, CN = Acme Root CA"), out);
  BOOST_TEST(contains(out, "Last Update: " + rfc822(period.this_update)), out);
  BOOST_TEST(contains(out, "Next Update: " + rfc822(period.next_update)), out);
  BOOST_TEST(contains(out, "X509v3 CRL Number: \n                42\n"), out);
  const auto ski = value_of(root().certificate().subject_key_identifier())->key_id;
  BOOST_TEST(contains(out, "X509v3 Authority Key Identifier: \n                " + colon_hex(ski)), out);
  BOOST_TEST(count(out, "Serial Number: ") == 3, out);
  for (const auto& entry : three_revocations()) {
    const std::string block = "Serial Number: " + serial_text(entry.serial) +
                              "\n        Revocation Date: " + rfc822(entry.revocation_date) +
                              "\n        CRL entry extensions:\n            X509v3 CRL Reason Code: \n"
                              "                " +
                              std::string(pki::name(*entry.reason)) + "\n";
    BOOST_TEST(contains(out, block), block << "\nnot in\n" << out);
  }

  // The same CRL with its signature's last byte changed does not verify for OpenSSL either
  // (`openssl crl` 3.0 says so but still exits with 0).
  pki::byte_buffer tampered(crl.der().begin(), crl.der().end());
  tampered.back() ^= 0x01;
  pki_test::write_file(dir.file("tampered.der"), tampered);
  const auto rejected = pki_test::run_openssl(
      {"crl", "-inform", "DER", "-in", dir.file("tampered.der"), "-CAfile", dir.file("root.pem"), "-noout"});
  BOOST_TEST(contains(rejected.out + rejected.err, "verify failure"), rejected.transcript());
}

BOOST_AUTO_TEST_CASE(openssl_prints_no_revoked_certificates_for_an_empty_crl) {
  const auto crl = value_of(root().issue_crl({}, period, 9));
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("root.pem"), value_of(root().certificate().to_pem()));
  pki_test::write_file(dir.file("crl.pem"), value_of(crl.to_pem()));
  const auto verify =
      pki_test::run_openssl({"crl", "-in", dir.file("crl.pem"), "-CAfile", dir.file("root.pem"), "-noout"});
  BOOST_TEST(verify.exit_status == 0, verify.transcript());
  BOOST_TEST(contains(verify.out + verify.err, "verify OK"), verify.transcript());
  const auto text = pki_test::run_openssl({"crl", "-in", dir.file("crl.pem"), "-noout", "-text"});
  BOOST_TEST(contains(text.out, "No Revoked Certificates."), text.transcript());
}

BOOST_AUTO_TEST_CASE(openssl_ca_crl_parses_to_what_openssl_prints) {
  pki_test::temp_dir dir;
  const auto run = [](const std::vector<std::string>& args) {
    auto r = pki_test::run_openssl(args);
    BOOST_REQUIRE_MESSAGE(r.exit_status == 0, r.transcript());
    return r;
  };
  run({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.file("ca.key"), "-out",
       dir.file("ca.pem"), "-subj", "/C=DE/O=Oracle/CN=OpenSSL CA", "-days", "30"});
  pki_test::write_file(dir.file("ca.cnf"), std::string("[ ca ]\n"
                                                       "default_ca = CA_default\n"
                                                       "[ CA_default ]\n"
                                                       "database = " +
                                                       dir.file("index.txt") +
                                                       "\n"
                                                       "crlnumber = " +
                                                       dir.file("crlnumber") +
                                                       "\n"
                                                       "certificate = " +
                                                       dir.file("ca.pem") +
                                                       "\n"
                                                       "private_key = " +
                                                       dir.file("ca.key") +
                                                       "\n"
                                                       "default_md = sha256\n"
                                                       "crl_extensions = crl_ext\n"
                                                       "[ crl_ext ]\n"
                                                       "authorityKeyIdentifier = keyid:always\n"));
  // The CA database: four revoked certificates (three with reasons) and one valid one.
  pki_test::write_file(
      dir.file("index.txt"),
      std::string("R\t300101000000Z\t260102030405Z,keyCompromise\t0123AB\tunknown\t/CN=a\n"
                  "R\t300101000000Z\t251231235959Z,CACompromise\t80\tunknown\t/CN=b\n"
                  "R\t300101000000Z\t260315120000Z\t7FFFFFFFFFFFFFFFFFFF\tunknown\t/CN=c\n"
                  "R\t300101000000Z\t260401000000Z,cessationOfOperation\t02\tunknown\t/CN=d\n"
                  "V\t300101000000Z\t\t03\tunknown\t/CN=e\n"));
  pki_test::write_file(dir.file("crlnumber"), std::string("2A\n"));
  run({"ca", "-config", dir.file("ca.cnf"), "-gencrl", "-crl_lastupdate", "260501083000Z", "-crl_nextupdate",
       "20500101000000Z", "-out", dir.file("crl.pem")});

  const auto crl = value_of(pki::crl::parse(pki_test::read_file(dir.file("crl.pem"))));
  const auto ca = value_of(pki::certificate<>::from_pem(pki_test::read_text_file(dir.file("ca.pem"))));
  expect_ok(crl.verify_signature(ca.public_key()));
  BOOST_TEST(crl.version() == 2);
  BOOST_TEST(crl.signature_algorithm().name() == "sha256WithRSAEncryption");
  BOOST_TEST((crl.issuer() == ca.subject()));

  const auto fields = run({"crl", "-in", dir.file("crl.pem"), "-noout", "-issuer", "-lastupdate",
                           "-nextupdate", "-crlnumber", "-nameopt", "RFC2253", "-dateopt", "iso_8601"})
                          .out;
  BOOST_TEST(contains(fields, "issuer=" + crl.issuer().to_string() + "\n"), fields);
  BOOST_TEST(contains(fields, "lastUpdate=" + iso8601(crl.this_update(), ' ') + "\n"), fields);
  BOOST_REQUIRE(crl.next_update().has_value());
  BOOST_TEST(contains(fields, "nextUpdate=" + iso8601(*crl.next_update(), ' ') + "\n"), fields);
  BOOST_TEST(contains(fields, "crlNumber=0x" + serial_text(*crl.crl_number()) + "\n"), fields);
  BOOST_TEST((crl.this_update() == at(2026, 5, 1, 8, 30)));
  BOOST_TEST((crl.next_update() == std::optional<seconds>(at(2050, 1, 1))));
  BOOST_TEST((crl.crl_number_value() == std::optional<std::uint64_t>(0x2A)));

  const auto text = run({"crl", "-in", dir.file("crl.pem"), "-noout", "-text"}).out;
  BOOST_REQUIRE(crl.authority_key_identifier().has_value());
  BOOST_TEST(contains(text, "X509v3 Authority Key Identifier: \n                " +
                                colon_hex(*crl.authority_key_identifier()->key_id)),
             text);
  BOOST_TEST((crl.authority_key_identifier()->key_id == value_of(ca.subject_key_identifier())->key_id));
  BOOST_TEST(count(text, "Serial Number: ") == crl.revoked().size(), text);
  BOOST_REQUIRE(crl.revoked().size() == 4);
  for (const auto& entry : crl.revoked()) {
    std::string block = "Serial Number: " + serial_text(entry.serial) +
                        "\n        Revocation Date: " + rfc822(entry.revocation_date) + "\n";
    if (entry.reason) {
      block += "        CRL entry extensions:\n            X509v3 CRL Reason Code: \n                " +
               std::string(pki::name(*entry.reason)) + "\n";
    }
    BOOST_TEST(contains(text, block), block << "\nnot in\n" << text);
  }
  // And what the database said.
  const auto a = crl.is_revoked(serial_a);
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST((a->reason == std::optional<crl_reason>(crl_reason::key_compromise)));
  BOOST_TEST((a->revocation_date == at(2026, 1, 2, 3, 4, 5)));
  const auto b = crl.is_revoked(bytes({0x00, 0x80}));
  BOOST_REQUIRE(b.has_value());
  BOOST_TEST((b->reason == std::optional<crl_reason>(crl_reason::ca_compromise)));
  const auto c = crl.is_revoked(serial_c);
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(!c->reason.has_value());
  const auto d = crl.is_revoked(bytes({0x02}));
  BOOST_REQUIRE(d.has_value());
  BOOST_TEST((d->reason == std::optional<crl_reason>(crl_reason::cessation_of_operation)));
  BOOST_TEST(!crl.is_revoked(bytes({0x03})).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(python_cryptography_oracle)

BOOST_AUTO_TEST_CASE(cryptography_reads_and_verifies_our_crl) {
  if (!run_python({"-c", "import cryptography.x509"}).ok()) {
    // The oracle is part of the acceptance: its absence fails, it is never counted as passed.
    BOOST_FAIL(
        "python3 with the cryptography package is needed for this oracle (Debian: python3-cryptography)");
    return;
  }
  const auto& crl = issued_crl();
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("crl.der"), crl.der());
  pki_test::write_file(dir.file("root.pem"), value_of(root().certificate().to_pem()));
  static constexpr const char* script = R"py(
import sys
from cryptography import x509
crl = x509.load_der_x509_crl(open(sys.argv[1], "rb").read())
ca = x509.load_pem_x509_certificate(open(sys.argv[2], "rb").read())
fmt = "%Y-%m-%dT%H:%M:%SZ"
print("issuer=" + crl.issuer.rfc4514_string())
print("this=" + crl.last_update_utc.strftime(fmt))
print("next=" + crl.next_update_utc.strftime(fmt))
print("number=%d" % crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number)
print("aki=" + crl.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier.hex())
print("valid=%s" % crl.is_signature_valid(ca.public_key()))
print("count=%d" % len(crl))
for entry in crl:
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
    print("entry=%x %s %s" % (entry.serial_number, entry.revocation_date_utc.strftime(fmt), reason))
)py";
  const auto result = run_python({"-c", script, dir.file("crl.der"), dir.file("root.pem")});
  BOOST_REQUIRE_MESSAGE(result.ok(), result.transcript());
  std::string expected = "issuer=" + crl.issuer().to_string() + "\nthis=" + iso8601(crl.this_update(), 'T') +
                         "\nnext=" + iso8601(*crl.next_update(), 'T') +
                         "\nnumber=42\naki=" + pki::to_hex(*crl.authority_key_identifier()->key_id) +
                         "\nvalid=True\ncount=3\n";
  static constexpr std::string_view python_reasons[] = {
      "unspecified",     "key_compromise",         "ca_compromise",    "affiliation_changed",
      "superseded",      "cessation_of_operation", "certificate_hold", "",
      "remove_from_crl", "privilege_withdrawn",    "aa_compromise"};
  for (const auto& entry : crl.revoked()) {
    expected += "entry=" + python_hex(entry.serial) + ' ' + iso8601(entry.revocation_date, 'T') + ' ' +
                std::string(python_reasons[static_cast<int>(*entry.reason)]) + '\n';
  }
  BOOST_TEST(result.out == expected);
}

BOOST_AUTO_TEST_SUITE_END()
