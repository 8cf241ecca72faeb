// The trust store: deduplication, PEM bundles with other blocks, a malformed bundle
// adding nothing, files (PEM and DER), directories (odd files skipped), the system store
// through $SSL_CERT_FILE / $SSL_CERT_DIR and Debian's bundle, and a validator whose
// anchors come from a directory.

#include <boost/test/unit_test.hpp>

#include <pki/issue/authority.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/trust_store.hpp>
#include <pki/validate/validator.hpp>

#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"
#include "support/hierarchy.hpp"
#include "support/openssl_cli.hpp"

using pki::errc;
using pki_test::expect_error;
using pki_test::dn;
using pki_test::value_of;

namespace {

/// A self-signed P-256 CA certificate named `cn` (a new key each call).
pki::certificate<> make_anchor(std::string_view cn) {
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  return value_of(pki::make_self_signed(key, dn("CN=" + std::string(cn) + ",O=Trust Store Test"),
                                        {.days = std::chrono::days(30), .ca = true}));
}

/// Three distinct anchors, made once.
const std::vector<pki::certificate<>>& anchors() {
  static const std::vector<pki::certificate<>> certs = {make_anchor("Anchor A"), make_anchor("Anchor B"),
                                                        make_anchor("Anchor C")};
  return certs;
}

std::string pem_of(const pki::certificate<>& cert) {
  return value_of(cert.to_pem());
}

/// A PEM block that is no certificate.
std::string public_key_pem() {
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  return value_of(value_of(key.public_key()).to_pem());
}

/// Well-formed PEM armour around base64 that is not a certificate: a SEQUENCE header
/// claiming 290 bytes, then nothing.
const std::string broken_certificate_pem =
    "-----BEGIN CERTIFICATE-----\nMIIBIjAN\n-----END CERTIFICATE-----\n";

/// Sets (or, with nullopt, unsets) an environment variable for one scope.
class scoped_env {
 public:
  scoped_env(const char* name, const std::optional<std::string>& value) : name_(name) {
    if (const char* old = std::getenv(name); old != nullptr) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;
  ~scoped_env() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_ = nullptr;
  std::optional<std::string> old_{};
};

constexpr std::string_view debian_bundle = "/etc/ssl/certs/ca-certificates.crt";

std::size_t count_certificate_blocks(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t at = text.find("-----BEGIN CERTIFICATE-----"); at != std::string_view::npos;
       at = text.find("-----BEGIN CERTIFICATE-----", at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(adding_certificates)

BOOST_AUTO_TEST_CASE(add_deduplicates_by_der_encoding) {
  const auto& a = anchors();
  pki::trust_store store;
  BOOST_TEST(store.empty());
  store.add(a[0]);
  store.add(a[0]);
  // A separately parsed copy of the same DER is the same anchor.
  store.add(value_of(pki::certificate<>::from_der(a[0].der())));
  BOOST_TEST(store.size() == 1U);
  store.add(a[1]);
  BOOST_TEST(store.size() == 2U);
  BOOST_TEST(!store.empty());
}

BOOST_AUTO_TEST_CASE(constructed_from_a_span_deduplicates) {
  const auto& a = anchors();
  const std::vector<pki::certificate<>> certs = {a[0], a[1], a[0], a[2], a[1]};
  const pki::trust_store store(certs);
  BOOST_TEST(store.size() == 3U);
  BOOST_TEST((store.anchors()[0] == a[0]));
  BOOST_TEST((store.anchors()[1] == a[1]));
  BOOST_TEST((store.anchors()[2] == a[2]));
}

BOOST_AUTO_TEST_CASE(constructed_from_typed_certificates_or_a_braced_list) {
  const auto& a = anchors();
  // A vector of a CA's typed certificates, as certificate_authority<Alg>::certificate() gives.
  const std::vector typed{value_of(a[0].narrow<pki::ecdsa_p256>()), value_of(a[0].narrow<pki::ecdsa_p256>())};
  const pki::trust_store from_typed(typed);
  BOOST_TEST(from_typed.size() == 1U);
  BOOST_TEST(from_typed.contains(a[0]));
  const pki::trust_store listed{a[1], value_of(a[0].narrow<pki::ecdsa_p256>()), a[1]};
  BOOST_TEST(listed.size() == 2U);
  BOOST_TEST((listed.anchors()[0] == a[1]));
  BOOST_TEST((listed.anchors()[1] == a[0]));
}

BOOST_AUTO_TEST_CASE(contains_compares_der_for_any_certificate_type) {
  const auto& a = anchors();
  const pki::trust_store store{std::span(a).first(2)};
  BOOST_TEST(store.contains(a[0]));
  BOOST_TEST(store.contains(a[1]));
  BOOST_TEST(!store.contains(a[2]));
  // A typed certificate of the same DER is found too.
  BOOST_TEST(store.contains(value_of(a[0].narrow<pki::ecdsa_p256>())));
  BOOST_TEST(!pki::trust_store().contains(a[0]));
}

BOOST_AUTO_TEST_CASE(add_pem_takes_every_certificate_block_and_skips_other_blocks) {
  const auto& a = anchors();
  const std::string bundle = "# a comment line\n" + pem_of(a[0]) + public_key_pem() +
                             "text between blocks\n" + pem_of(a[1]) + pem_of(a[2]) + public_key_pem();
  pki::trust_store store;
  BOOST_TEST(value_of(store.add_pem(bundle)) == 3U);
  BOOST_TEST(store.size() == 3U);
  for (const auto& cert : a) BOOST_TEST(store.contains(cert));
  // The same bundle again adds nothing new.
  BOOST_TEST(value_of(store.add_pem(bundle)) == 0U);
  BOOST_TEST(store.size() == 3U);
}

BOOST_AUTO_TEST_CASE(add_pem_counts_only_new_certificates) {
  const auto& a = anchors();
  pki::trust_store store;
  store.add(a[1]);
  BOOST_TEST(value_of(store.add_pem(pem_of(a[0]) + pem_of(a[1]) + pem_of(a[2]))) == 2U);
  BOOST_TEST(store.size() == 3U);
}

BOOST_AUTO_TEST_CASE(malformed_bundle_adds_nothing) {
  const auto& a = anchors();
  pki::trust_store store;
  store.add(a[2]);
  // Two good certificates around a broken one: all or nothing.
  expect_error(store.add_pem(pem_of(a[0]) + broken_certificate_pem + pem_of(a[1])), errc::parse_failed);
  BOOST_TEST(store.size() == 1U);
  BOOST_TEST(!store.contains(a[0]));
  // A BEGIN line without its END line.
  expect_error(store.add_pem(pem_of(a[0]) + "-----BEGIN CERTIFICATE-----\nMIIB\n"), errc::parse_failed);
  BOOST_TEST(store.size() == 1U);
}

BOOST_AUTO_TEST_CASE(bundle_without_certificates_is_parse_failed) {
  pki::trust_store store;
  expect_error(store.add_pem(public_key_pem()), errc::parse_failed);
  expect_error(store.add_pem("no PEM at all"), errc::parse_failed);
  expect_error(store.add_pem(""), errc::parse_failed);
  BOOST_TEST(store.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(files)

BOOST_AUTO_TEST_CASE(add_file_reads_a_pem_bundle) {
  const auto& a = anchors();
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("bundle.pem"), pem_of(a[0]) + public_key_pem() + pem_of(a[1]));
  pki::trust_store store;
  BOOST_TEST(value_of(store.add_file(dir.file("bundle.pem"))) == 2U);
  BOOST_TEST(store.contains(a[0]));
  BOOST_TEST(store.contains(a[1]));
  BOOST_TEST(value_of(store.add_file(dir.file("bundle.pem"))) == 0U);

  const auto loaded = value_of(pki::trust_store::from_file(dir.file("bundle.pem")));
  BOOST_TEST(loaded.size() == 2U);
}

BOOST_AUTO_TEST_CASE(add_file_reads_one_der_certificate) {
  const auto& a = anchors();
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("anchor.der"), a[2].der());
  pki::trust_store store;
  BOOST_TEST(value_of(store.add_file(dir.file("anchor.der"))) == 1U);
  BOOST_TEST(store.contains(a[2]));
  BOOST_TEST(value_of(store.add_file(dir.file("anchor.der"))) == 0U);
  BOOST_TEST(store.size() == 1U);
}

BOOST_AUTO_TEST_CASE(add_file_refuses_what_is_no_certificate) {
  const auto& a = anchors();
  pki_test::temp_dir dir;
  // Neither PEM nor a DER certificate.
  pki_test::write_file(dir.file("notes.txt"), std::string("just some notes\n"));
  // A DER certificate cut short.
  pki_test::write_file(dir.file("short.der"), a[0].der().first(a[0].der().size() / 2));
  pki_test::write_file(dir.file("broken.pem"), pem_of(a[0]) + broken_certificate_pem);
  pki::trust_store store;
  expect_error(store.add_file(dir.file("notes.txt")), errc::parse_failed);
  expect_error(store.add_file(dir.file("short.der")), errc::parse_failed);
  expect_error(store.add_file(dir.file("broken.pem")), errc::parse_failed);
  BOOST_TEST(store.empty());
}

BOOST_AUTO_TEST_CASE(missing_file_is_io_failed) {
  pki_test::temp_dir dir;
  pki::trust_store store;
  expect_error(store.add_file(dir.file("absent.pem")), errc::io_failed);
  expect_error(pki::trust_store::from_file(dir.file("absent.pem")), errc::io_failed);
  // A directory is not a file.
  expect_error(store.add_file(dir.path()), errc::io_failed);
  BOOST_TEST(store.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(directories)

BOOST_AUTO_TEST_CASE(add_directory_takes_pem_files_and_skips_the_rest) {
  const auto& a = anchors();
  const auto outsider = make_anchor("Anchor via symlink");
  const auto der_only = make_anchor("Anchor as DER");
  pki_test::temp_dir dir;
  pki_test::temp_dir elsewhere;
  const auto& d = dir.path();
  pki_test::write_file(d / "ab.pem", pem_of(a[0]) + pem_of(a[1]));
  // c_rehash style: a hash-named file, and a link to a certificate outside the directory.
  pki_test::write_file(d / "9d66eef0.0", pem_of(a[2]));
  pki_test::write_file(elsewhere.file("outsider.pem"), pem_of(outsider));
  std::filesystem::create_symlink(elsewhere.file("outsider.pem"), d / "1a2b3c4d.0");
  // A link to a file already read adds nothing new.
  std::filesystem::create_symlink(d / "ab.pem", d / "5e6f7a8b.0");
  // Skipped: a README, a PEM holding only a key, a broken certificate, a DER certificate,
  // a dangling link and a subdirectory (not descended into).
  pki_test::write_file(d / "README", std::string("These are the anchors of the test.\n"));
  pki_test::write_file(d / "key.pem", public_key_pem());
  pki_test::write_file(d / "broken.pem", broken_certificate_pem);
  pki_test::write_file(d / "der.crt", der_only.der());
  std::filesystem::create_symlink(d / "gone.pem", d / "dangling.0");
  std::filesystem::create_directory(d / "sub");
  pki_test::write_file(d / "sub" / "nested.pem", pem_of(der_only));

  pki::trust_store store;
  BOOST_TEST(value_of(store.add_directory(d)) == 4U);
  BOOST_TEST(store.size() == 4U);
  for (const auto& cert : a) BOOST_TEST(store.contains(cert));
  BOOST_TEST(store.contains(outsider));
  BOOST_TEST(!store.contains(der_only));
  BOOST_TEST(value_of(store.add_directory(d)) == 0U);

  BOOST_TEST(value_of(pki::trust_store::from_directory(d)).size() == 4U);
}

BOOST_AUTO_TEST_CASE(a_file_with_good_and_broken_blocks_contributes_the_good_ones) {
  const auto& a = anchors();
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("mixed.pem"), pem_of(a[0]) + broken_certificate_pem + pem_of(a[1]));
  auto store = value_of(pki::trust_store::from_directory(dir.path()));
  BOOST_TEST(store.size() == 2U);
  BOOST_TEST(store.contains(a[0]));
  BOOST_TEST(store.contains(a[1]));
}

BOOST_AUTO_TEST_CASE(directory_without_certificates_is_parse_failed) {
  pki_test::temp_dir empty;
  pki::trust_store store;
  expect_error(store.add_directory(empty.path()), errc::parse_failed);
  expect_error(pki::trust_store::from_directory(empty.path()), errc::parse_failed);

  pki_test::temp_dir odd;
  pki_test::write_file(odd.file("README"), std::string("nothing to see\n"));
  pki_test::write_file(odd.file("broken.pem"), broken_certificate_pem);
  pki_test::write_file(odd.file("key.pem"), public_key_pem());
  expect_error(store.add_directory(odd.path()), errc::parse_failed);
  BOOST_TEST(store.empty());
}

BOOST_AUTO_TEST_CASE(missing_directory_is_io_failed) {
  pki_test::temp_dir dir;
  pki::trust_store store;
  expect_error(store.add_directory(dir.path() / "absent"), errc::io_failed);
  expect_error(pki::trust_store::from_directory(dir.path() / "absent"), errc::io_failed);
  // A file is not a directory.
  pki_test::write_file(dir.file("anchor.pem"), pem_of(anchors()[0]));
  expect_error(store.add_directory(dir.file("anchor.pem")), errc::io_failed);
  BOOST_TEST(store.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(system_store)

BOOST_AUTO_TEST_CASE(ssl_cert_file_names_the_bundle) {
  const auto& a = anchors();
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("roots.pem"), pem_of(a[0]) + pem_of(a[1]));
  const scoped_env file("SSL_CERT_FILE", dir.file("roots.pem"));
  const scoped_env no_dir("SSL_CERT_DIR", std::nullopt);
  const auto store = value_of(pki::trust_store::system());
  // Exactly the bundle: the distribution's bundle is not read as well.
  BOOST_TEST(store.size() == 2U);
  BOOST_TEST(store.contains(a[0]));
  BOOST_TEST(store.contains(a[1]));
}

BOOST_AUTO_TEST_CASE(ssl_cert_file_bundle_skips_broken_certificates) {
  const auto& a = anchors();
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("roots.pem"), pem_of(a[0]) + broken_certificate_pem + pem_of(a[2]));
  const scoped_env file("SSL_CERT_FILE", dir.file("roots.pem"));
  const scoped_env no_dir("SSL_CERT_DIR", std::nullopt);
  const auto store = value_of(pki::trust_store::system());
  BOOST_TEST(store.size() == 2U);
  BOOST_TEST(store.contains(a[0]));
  BOOST_TEST(store.contains(a[2]));
}

BOOST_AUTO_TEST_CASE(ssl_cert_file_and_ssl_cert_dir_together) {
  const auto& a = anchors();
  pki_test::temp_dir dir;
  pki_test::temp_dir cert_dir;
  pki_test::write_file(dir.file("roots.pem"), pem_of(a[0]));
  pki_test::write_file(cert_dir.file("b.pem"), pem_of(a[1]) + pem_of(a[0]));
  const scoped_env file("SSL_CERT_FILE", dir.file("roots.pem"));
  const scoped_env cert_dir_env("SSL_CERT_DIR", cert_dir.path().string());
  pki::trust_store store;
  BOOST_TEST(value_of(store.add_system()) == 2U);
  BOOST_TEST(store.contains(a[0]));
  BOOST_TEST(store.contains(a[1]));
}

BOOST_AUTO_TEST_CASE(ssl_cert_file_that_does_not_exist_is_io_failed) {
  pki_test::temp_dir dir;
  const scoped_env file("SSL_CERT_FILE", dir.file("absent.pem"));
  const scoped_env no_dir("SSL_CERT_DIR", std::nullopt);
  const auto store = pki::trust_store::system();
  // No fallback to the distribution's bundle: the user asked for this file.
  expect_error(store, errc::io_failed);
  // The caller is told which setting to fix.
  BOOST_TEST(std::string(store.error().context()).find("$SSL_CERT_FILE") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(ssl_cert_file_without_certificates_is_parse_failed) {
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("empty.pem"), std::string("no certificates here\n"));
  const scoped_env file("SSL_CERT_FILE", dir.file("empty.pem"));
  const scoped_env no_dir("SSL_CERT_DIR", std::nullopt);
  const auto store = pki::trust_store::system();
  expect_error(store, errc::parse_failed);
  BOOST_TEST(std::string(store.error().context()).find("$SSL_CERT_FILE") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(empty_ssl_cert_file_means_unset) {
  const scoped_env file("SSL_CERT_FILE", std::string());
  const scoped_env no_dir("SSL_CERT_DIR", std::nullopt);
  if (!std::filesystem::exists(debian_bundle)) {
    BOOST_TEST_MESSAGE("skipped: " << debian_bundle << " does not exist on this machine");
    return;
  }
  BOOST_TEST(value_of(pki::trust_store::system()).size() >= 100U);
}

BOOST_AUTO_TEST_CASE(debian_bundle_without_environment) {
  const scoped_env no_file("SSL_CERT_FILE", std::nullopt);
  const scoped_env no_dir("SSL_CERT_DIR", std::nullopt);
  if (!std::filesystem::exists(debian_bundle)) {
    // Not a Debian-family machine: the other system_bundle_paths are not exercised here.
    BOOST_TEST_MESSAGE("skipped: " << debian_bundle << " does not exist on this machine");
    return;
  }
  const auto store = value_of(pki::trust_store::system());
  const auto blocks = count_certificate_blocks(pki_test::read_text_file(std::string(debian_bundle)));
  BOOST_TEST_MESSAGE("system store: " << store.size() << " anchors from " << blocks
                                      << " certificate blocks in " << debian_bundle);
  BOOST_TEST(store.size() >= 100U);
  BOOST_TEST(store.size() <= blocks);
  // Read strictly, the bundle gives the same anchors: none of them was skipped.
  BOOST_TEST(value_of(pki::trust_store::from_file(std::string(debian_bundle))).size() == store.size());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(validation)

// A validator whose anchors were loaded from a directory accepts a path to one of them
// and refuses one whose root is not there.
BOOST_AUTO_TEST_CASE(validator_with_anchors_from_a_directory) {
  const auto& h = pki_test::shared();
  const auto& leaf = h.leaf.cert;
  const std::vector<pki::certificate<>> intermediates = {h.inter.cert};

  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("store-root.pem"), pem_of(h.root.cert));
  pki_test::write_file(dir.file("other.pem"), pem_of(anchors()[0]));
  pki_test::write_file(dir.file("README"), std::string("anchors for the validator test\n"));
  auto store = value_of(pki::trust_store::from_directory(dir.path()));
  BOOST_TEST(store.size() == 2U);

  const pki::validator<pki::policy::iot_mtls_client> validator{std::move(store)};
  const auto path =
      value_of(validator.verify(leaf, intermediates, pki_test::for_peer(pki::dns_name{"www.example.com"})));
  BOOST_TEST(path.size() == 3U);
  BOOST_TEST((path.leaf() == leaf));
  BOOST_TEST((path[1] == h.inter.cert));
  BOOST_TEST((path.anchor() == h.root.cert));
  expect_error(validator.verify(leaf, intermediates, pki_test::for_peer(pki::dns_name{"other.example.com"})),
               errc::name_mismatch);

  // The same leaf against a store from a directory without its root.
  pki_test::temp_dir foreign;
  pki_test::write_file(foreign.file("other.pem"), pem_of(anchors()[1]));
  const pki::validator<pki::policy::iot_mtls_client> stranger{
      value_of(pki::trust_store::from_directory(foreign.path()))};
  expect_error(stranger.verify(leaf, intermediates, pki_test::for_peer(pki::dns_name{"www.example.com"})),
               errc::untrusted);
}

BOOST_AUTO_TEST_SUITE_END()
