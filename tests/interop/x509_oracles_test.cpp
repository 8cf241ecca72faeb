// Certificates and CSRs against two outside oracles: the OpenSSL CLI (x509 -text shows
// every extension we set with its criticality; what openssl makes parses with every field
// right) and Python's cryptography (reads what we make, with the same fields).

#include <boost/test/unit_test.hpp>

#include <pki/issue/authority.hpp>
#include <pki/x509/certificate.hpp>
#include <pki/x509/csr.hpp>

#include <chrono>
#include <string>

#include "support/expect.hpp"
#include "support/openssl_cli.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
using pki_test::dn;
using pki_test::value_of;

namespace {

const std::chrono::sys_seconds start = std::chrono::sys_days(std::chrono::year(2026) / 3 / 1) + 8h + 30min;

pki::general_name dns(std::string_view n) {
  return value_of(pki::dns_name::create(n));
}

/// A CA certificate carrying every extension type the library writes.
template <class Key>
pki::certificate<> everything_certificate(const Key& key) {
  pki::name_constraints nc;
  nc.permitted.push_back({dns(".acme.example"), 0, std::nullopt});
  nc.permitted.push_back({value_of(pki::ip_network::parse("10.0.0.0/8")), 0, std::nullopt});
  nc.excluded.push_back({value_of(pki::email_address::create("bad.example")), 0, std::nullopt});
  pki::crl_distribution_points cdp;
  cdp.points.push_back({.full_name = {value_of(pki::uri_name::create("http://crl.acme.example/root.crl"))}});
  pki::certificate_policies policies;
  policies.policies.push_back({value_of(pki::object_identifier::parse("2.23.140.1.2.1")), {}});
  auto spki = value_of(value_of(key.public_key()).to_der());
  return value_of(
      pki::certificate_builder()
          .subject(dn("CN=Oracle CA,OU=PKI,O=Acme\\, Inc.,C=DE"))
          .issuer(dn("CN=Oracle CA,OU=PKI,O=Acme\\, Inc.,C=DE"))
          .validity({start, start + std::chrono::days(365)})
          .public_key(value_of(key.public_key()))
          .add(pki::basic_constraints{.ca = true, .path_len = 1})
          .add(pki::key_usage{pki::key_usage_flag::key_cert_sign | pki::key_usage_flag::crl_sign})
          .add(pki::extended_key_usage::of(
                   {pki::extended_key_usage::server_auth, pki::extended_key_usage::client_auth}),
               false)
          .add(pki::subject_alt_name{{dns("ca.acme.example"), value_of(pki::ip_address::parse("192.0.2.1")),
                                      value_of(pki::ip_address::parse("2001:db8::1")),
                                      value_of(pki::uri_name::create("https://acme.example/")),
                                      value_of(pki::email_address::create("pki@acme.example"))}})
          .add(nc)
          .add(cdp)
          .add(policies)
          .add(value_of(pki::subject_key_identifier::from_public_key_der(spki)))
          .add(value_of(pki::authority_key_identifier::from_public_key_der(spki)))
          .sign(key));
}

/// `openssl x509 -text` of a certificate.
std::string openssl_text(const pki::certificate<>& cert) {
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("c.pem"), value_of(cert.to_pem()));
  auto r = pki_test::run_openssl({"x509", "-in", dir.file("c.pem"), "-noout", "-text"});
  BOOST_REQUIRE_MESSAGE(r.ok(), r.transcript());
  return r.out;
}

/// The text after `heading` up to the next blank-ish heading line (one extension's body).
bool shows(const std::string& text, std::string_view heading, std::string_view body) {
  const std::size_t at = text.find(heading);
  if (at == std::string::npos) return false;
  const std::size_t next = text.find("X509v3", at + heading.size());
  return text.substr(at, next - at).find(body) != std::string::npos;
}

pki_test::process_result python(const std::string& script, const std::vector<std::string>& files) {
  std::vector<std::string> args{"-c", script};
  args.insert(args.end(), files.begin(), files.end());
  return pki_test::run_program(PKI_PYTHON_EXECUTABLE, args);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openssl_reads_ours)

template <class Key>
void check_text(const Key& key, std::string_view signature_name) {
  const auto text = openssl_text(everything_certificate(key));
  BOOST_TEST(text.find(std::string("Signature Algorithm: ") + std::string(signature_name)) !=
             std::string::npos);
  BOOST_TEST(text.find("Subject: C = DE, O = \"Acme, Inc.\", OU = PKI, CN = Oracle CA") != std::string::npos,
             text);
  BOOST_TEST(text.find("Not Before: Mar  1 08:30:00 2026 GMT") != std::string::npos);
  BOOST_TEST(shows(text, "X509v3 Basic Constraints: critical", "CA:TRUE, pathlen:1"), text);
  BOOST_TEST(shows(text, "X509v3 Key Usage: critical", "Certificate Sign, CRL Sign"));
  BOOST_TEST(shows(text, "X509v3 Extended Key Usage: \n",
                   "TLS Web Server Authentication, TLS Web Client Authentication"));
  BOOST_TEST(shows(text, "X509v3 Subject Alternative Name: \n",
                   "DNS:ca.acme.example, IP Address:192.0.2.1, IP Address:2001:DB8:0:0:0:0:0:1, "
                   "URI:https://acme.example/, email:pki@acme.example"));
  BOOST_TEST(shows(text, "X509v3 Name Constraints: critical", "DNS:.acme.example"));
  BOOST_TEST(shows(text, "X509v3 Name Constraints: critical", "IP:10.0.0.0/255.0.0.0"));
  BOOST_TEST(shows(text, "X509v3 Name Constraints: critical", "email:bad.example"));
  BOOST_TEST(shows(text, "X509v3 CRL Distribution Points: \n", "URI:http://crl.acme.example/root.crl"));
  BOOST_TEST(shows(text, "X509v3 Certificate Policies: \n", "Policy: 2.23.140.1.2.1"));
  BOOST_TEST(text.find("X509v3 Subject Key Identifier: \n") != std::string::npos);
  BOOST_TEST(text.find("X509v3 Authority Key Identifier: \n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_extension_with_its_criticality_ec) {
  check_text(value_of(pki::private_key<pki::ecdsa_p256>::generate()), "ecdsa-with-SHA256");
}

BOOST_AUTO_TEST_CASE(every_extension_with_its_criticality_rsa) {
  check_text(value_of(pki::private_key<pki::rsa<2048>>::generate()), "sha256WithRSAEncryption");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ours_reads_openssl)

BOOST_AUTO_TEST_CASE(certificate_fields) {
  pki_test::temp_dir dir;
  auto made = pki_test::run_openssl({"req",
                                     "-x509",
                                     "-newkey",
                                     "rsa:2048",
                                     "-nodes",
                                     "-keyout",
                                     dir.file("k.pem"),
                                     "-out",
                                     dir.file("c.pem"),
                                     "-subj",
                                     "/C=DE/O=Acme/CN=openssl made",
                                     "-days",
                                     "30",
                                     "-set_serial",
                                     "0x0123456789abcdef01",
                                     "-addext",
                                     "subjectAltName=DNS:o.example,IP:192.0.2.9",
                                     "-addext",
                                     "keyUsage=critical,digitalSignature",
                                     "-addext",
                                     "extendedKeyUsage=clientAuth"});
  BOOST_REQUIRE_MESSAGE(made.ok(), made.transcript());
  auto cert =
      value_of(pki::certificate<pki::rsa<2048>>::from_pem(pki_test::read_text_file(dir.file("c.pem"))));
  auto key =
      value_of(pki::private_key<pki::rsa<2048>>::from_pem(pki_test::read_text_file(dir.file("k.pem"))));

  auto fields =
      pki_test::run_openssl({"x509", "-in", dir.file("c.pem"), "-noout", "-serial", "-subject", "-issuer",
                             "-nameopt", "RFC2253", "-fingerprint", "-sha256", "-dates"});
  BOOST_REQUIRE_MESSAGE(fields.ok(), fields.transcript());
  std::string upper_fingerprint = value_of(cert.fingerprint()).hex(":");
  for (auto& c : upper_fingerprint) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  BOOST_TEST(fields.out.find("serial=0123456789ABCDEF01\n") != std::string::npos, fields.out);
  BOOST_TEST(cert.serial_hex("") == "0123456789abcdef01");
  BOOST_TEST(fields.out.find("subject=" + cert.subject().to_string() + "\n") != std::string::npos,
             fields.out);
  BOOST_TEST(fields.out.find("issuer=" + cert.issuer().to_string() + "\n") != std::string::npos);
  BOOST_TEST(fields.out.find("sha256 Fingerprint=" + upper_fingerprint + "\n") != std::string::npos,
             fields.out);
  BOOST_TEST((cert.not_after() - cert.not_before() == std::chrono::days(30)));
  BOOST_TEST(cert.is_self_signed());
  BOOST_TEST(cert.is_ca());  // openssl req -x509 marks its certificates CA:TRUE
  BOOST_TEST((cert.public_key() == value_of(key.public_key())));
  BOOST_TEST(value_of(cert.subject_alt_name())->to_string() == "DNS:o.example, IP Address:192.0.2.9");
  BOOST_TEST(value_of(cert.key_usage())->to_string() == "Digital Signature");
  BOOST_TEST(cert.extensions().find(pki::key_usage::oid())->critical);
  BOOST_TEST(value_of(cert.extended_key_usage())->has(pki::extended_key_usage::client_auth));
  BOOST_TEST(cert.signature_algorithm().name() == "sha256WithRSAEncryption");
}

BOOST_AUTO_TEST_CASE(csr_fields) {
  pki_test::temp_dir dir;
  auto made = pki_test::run_openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384",
                                     "-nodes", "-keyout", dir.file("k.pem"), "-out", dir.file("r.pem"),
                                     "-subj", "/O=Acme/CN=req made", "-addext",
                                     "subjectAltName=DNS:r.example,email:r@x.example"});
  BOOST_REQUIRE_MESSAGE(made.ok(), made.transcript());
  auto request = value_of(pki::csr<pki::ecdsa_p384>::from_pem(pki_test::read_text_file(dir.file("r.pem"))));
  auto key =
      value_of(pki::private_key<pki::ecdsa_p384>::from_pem(pki_test::read_text_file(dir.file("k.pem"))));
  BOOST_TEST(request.subject().to_string() == "CN=req made,O=Acme");
  BOOST_TEST((request.public_key() == value_of(key.public_key())));
  BOOST_TEST(value_of(request.extension<pki::subject_alt_name>())->to_string() ==
             "DNS:r.example, email:r@x.example");
  // OpenSSL 3.0 signs a P-384 request with SHA-256 by default.
  BOOST_TEST(request.signature_algorithm().name() == "ecdsa-with-SHA256");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(python_cryptography_reads_ours)

BOOST_AUTO_TEST_CASE(certificate_and_csr_fields_match) {
  auto key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
  auto cert = everything_certificate(key);
  auto request = value_of(pki::csr_builder()
                              .subject("CN=py,O=Acme")
                              .dns("py.example")
                              .ip("2001:db8::2")
                              .add(pki::extended_key_usage::of({pki::extended_key_usage::server_auth}))
                              .sign(key));
  pki_test::temp_dir dir;
  pki_test::write_file(dir.file("c.der"), cert.der());
  pki_test::write_file(dir.file("r.der"), request.der());
  static const std::string script = R"py(
import sys
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
cert = x509.load_der_x509_certificate(open(sys.argv[1], "rb").read())
fmt = "%Y-%m-%dT%H:%M:%SZ"
print("subject=" + cert.subject.rfc4514_string())
print("issuer=" + cert.issuer.rfc4514_string())
print("serial=%x" % cert.serial_number)
print("validity=" + cert.not_valid_before_utc.strftime(fmt) + " " + cert.not_valid_after_utc.strftime(fmt))
cert.public_key().verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
print("signature=ok")
for ext in cert.extensions:
    print("ext=%s critical=%s" % (ext.oid.dotted_string, ext.critical))
bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
print("bc=%s %s" % (bc.ca, bc.path_length))
san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
print("san=" + ",".join(str(n.value) for n in san))
nc = cert.extensions.get_extension_for_class(x509.NameConstraints).value
print("nc=" + ",".join(str(n.value) for n in nc.permitted_subtrees) + ";" + ",".join(str(n.value) for n in nc.excluded_subtrees))
csr = x509.load_der_x509_csr(open(sys.argv[2], "rb").read())
print("csr_subject=" + csr.subject.rfc4514_string())
print("csr_valid=%s" % csr.is_signature_valid)
print("csr_san=" + ",".join(str(n.value) for n in csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value))
print("csr_eku=" + ",".join(o.dotted_string for o in csr.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value))
)py";
  auto r = python(script, {dir.file("c.der"), dir.file("r.der")});
  BOOST_REQUIRE_MESSAGE(r.ok(), r.transcript());

  std::string serial = cert.serial_hex("");
  while (serial.size() > 1 && serial[0] == '0') serial.erase(0, 1);
  std::string expected = "subject=" + cert.subject().to_string() + "\nissuer=" + cert.issuer().to_string() +
                         "\nserial=" + serial +
                         "\nvalidity=2026-03-01T08:30:00Z 2027-03-01T08:30:00Z\nsignature=ok\n";
  for (const auto& ext : cert.extensions()) {
    expected += "ext=" + ext.oid.to_string() + " critical=" + (ext.critical ? "True" : "False") + "\n";
  }
  expected +=
      "bc=True 1\n"
      "san=ca.acme.example,192.0.2.1,2001:db8::1,https://acme.example/,pki@acme.example\n"
      "nc=.acme.example,10.0.0.0/8;bad.example\n"
      "csr_subject=CN=py,O=Acme\n"
      "csr_valid=True\n"
      "csr_san=py.example,2001:db8::2\n"
      "csr_eku=1.3.6.1.5.5.7.3.1\n";
  BOOST_TEST(r.out == expected);
}

BOOST_AUTO_TEST_SUITE_END()
