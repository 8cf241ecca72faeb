// The `pki` command-line tool (examples/pki), run as a program in a scratch
// directory: every command's success path; OpenSSL accepting what it writes (keys, a
// CSR, a CA chain, a CRL); passwords only from a file or the environment, never argv;
// and exit status 2 with a one-line "pki: <command>: <message>" error for bad usage and
// for unreadable or invalid input.

#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <pki/pki.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"
#include "support/openssl_cli.hpp"
#include "support/pki_tool.hpp"
#include "support/process.hpp"

namespace {

using pki_test::contains;
using pki_test::lines_of;
using pki_test::process_result;
using pki_test::run_openssl;
using pki_test::strings;

/// The value of a "  Label:   value" line of `show` output; "" when there is none.
std::string field(std::string_view text, std::string_view label) {
  for (const auto& line : lines_of(text)) {
    const std::string_view view(line);
    const std::size_t start = view.find_first_not_of(' ');
    if (start == std::string_view::npos || !view.substr(start).starts_with(label)) continue;
    const std::string_view rest = view.substr(start + label.size());
    if (!rest.starts_with(":")) continue;
    const std::size_t value = rest.find_first_not_of(' ', 1);
    return value == std::string_view::npos ? std::string() : std::string(rest.substr(value));
  }
  return {};
}

std::string upper_hex_without_colons(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c != ':') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

using workspace = pki_test::tool_workspace;

/// A root CA (P-384), an intermediate under it (P-256) and a TLS server leaf under that.
struct chain {
  explicit chain(const workspace& ws) {
    root_key = ws.key("root.key", "ec-p384");
    root = ws.file("root.pem");
    ws.pki_ok({"ca", "init", "--key", root_key, "--subject", "CN=CLI Test Root,O=pki tests", "--days", "3650",
               "--out", root});
    inter_key = ws.key("inter.key");
    const auto inter_csr = ws.csr("inter.csr", inter_key, "CN=CLI Test Issuing CA,O=pki tests");
    inter = ws.issue("inter.pem", root, root_key, inter_csr, "intermediate-ca", "1825");
    leaf_key = ws.key("leaf.key");
    leaf_csr = ws.csr("leaf.csr", leaf_key, "CN=www.example.test", {"--dns", "www.example.test"});
    leaf = ws.issue("leaf.pem", inter, inter_key, leaf_csr, "tls-server", "90");
  }
  std::string root, root_key, inter, inter_key, leaf, leaf_key, leaf_csr;
};

/// Requires an exit status of 2, nothing on stdout, and one stderr line
/// "pki: <command>: ..." containing `fragment` — followed by a usage line when `usage`.
void expect_refusal(const process_result& r, std::string_view command, std::string_view fragment,
                    bool usage = false) {
  BOOST_TEST(r.exit_status == 2, r.transcript());
  BOOST_TEST(r.out.empty(), r.transcript());
  const auto lines = lines_of(r.err);
  BOOST_REQUIRE_MESSAGE(!lines.empty(), r.transcript());
  const std::string prefix = command.empty() ? "pki: " : "pki: " + std::string(command) + ": ";
  BOOST_TEST(lines[0].starts_with(prefix), "stderr does not start with '" << prefix << "': " << r.err);
  BOOST_TEST(contains(lines[0], fragment), "stderr lacks '" << fragment << "': " << r.err);
  if (usage) {
    BOOST_TEST(lines.size() == 2U, r.transcript());
    BOOST_TEST((lines.size() == 2 && lines[1].starts_with("usage: pki ")), r.transcript());
  } else {
    BOOST_TEST(lines.size() == 1U, "not a one-line error: " << r.err);
  }
}

/// Requires openssl to succeed, with its output in the message when it does not.
std::string openssl_ok(const strings& args) {
  const auto r = run_openssl(args);
  BOOST_REQUIRE_MESSAGE(r.ok(), "openssl failed: " << r.transcript());
  return r.out + r.err;
}

unsigned file_mode(const std::string& path) {
  struct stat info {};
  BOOST_REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 0777U;
}

pki::certificate<> parsed_certificate(const workspace& ws, const std::string& path) {
  return pki_test::value_of(pki::certificate<>::from_pem(ws.read(path)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(keys)

BOOST_AUTO_TEST_CASE(generates_every_algorithm_as_a_0600_pkcs8_file_openssl_reads) {
  const workspace ws;
  const std::initializer_list<std::pair<std::string_view, std::string_view>> algorithms = {
      {"ec-p256", "EC P-256 (256 bits)"},   {"ec-p384", "EC P-384 (384 bits)"},
      {"ec-p521", "EC P-521 (521 bits)"},   {"rsa-2048", "RSA-2048 (2048 bits)"},
      {"rsa-3072", "RSA-3072 (3072 bits)"}, {"rsa-4096", "RSA-4096 (4096 bits)"}};
  for (const auto& [algorithm, shown] : algorithms) {
    BOOST_TEST_CONTEXT("--algorithm " << algorithm) {
      const auto path = ws.key(std::string(algorithm) + ".key", algorithm);
      BOOST_TEST(file_mode(path) == 0600U);
      BOOST_TEST(!ws.exists(path + ".tmp"));
      BOOST_TEST(ws.read(path).starts_with("-----BEGIN PRIVATE KEY-----\n"));
      openssl_ok({"pkey", "-in", path, "-noout"});

      const auto out = ws.pki_ok({"key", "show", path});
      BOOST_TEST(lines_of(out)[0] == "Private key");
      BOOST_TEST(field(out, "Public key") == shown);
      BOOST_TEST(field(out, "Encoding") == "PKCS#8");
      BOOST_TEST(!contains(out, "PRIVATE KEY"), "key show printed private material:\n" << out);
      const auto key = pki_test::value_of(pki::private_key<>::from_pem(ws.read(path)));
      const auto fingerprint = pki_test::value_of(pki_test::value_of(key.public_key()).fingerprint());
      BOOST_TEST(upper_hex_without_colons(field(out, "SPKI SHA-256")) ==
                 upper_hex_without_colons(fingerprint.hex()));
    }
  }
}

BOOST_AUTO_TEST_CASE(shows_a_public_key_file) {
  const workspace ws;
  const auto key = ws.key("k.key");
  const auto pub = ws.file("k.pub");
  openssl_ok({"pkey", "-in", key, "-pubout", "-out", pub});
  const auto out = ws.pki_ok({"key", "show", pub});
  BOOST_TEST(lines_of(out)[0] == "Public key");
  BOOST_TEST(field(out, "Encoding") == "SubjectPublicKeyInfo");
  BOOST_TEST(field(out, "SPKI SHA-256") == field(ws.pki_ok({"key", "show", key}), "SPKI SHA-256"));
}

BOOST_AUTO_TEST_CASE(encrypted_key_needs_its_password_from_a_file_or_the_environment) {
  const workspace ws;
  ws.write("pw", "correct horse battery staple\n");
  ws.write("wrong", "Tr0ub4dor&3\n");
  const auto path = ws.file("enc.key");
  ws.pki_ok({"key", "generate", "--algorithm", "ec-p256", "--out", path, "--password-file", ws.file("pw")});
  BOOST_TEST(file_mode(path) == 0600U);
  BOOST_TEST(ws.read(path).starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
  // The password file's first line is the password, as OpenSSL's file: source reads it.
  openssl_ok({"pkey", "-in", path, "-passin", "file:" + ws.file("pw"), "-noout"});

  const auto shown = ws.pki_ok({"key", "show", path, "--password-file", ws.file("pw")});
  BOOST_TEST(field(shown, "Public key") == "EC P-256 (256 bits)");
  BOOST_TEST(field(shown, "Encoding") == "PKCS#8, encrypted");
  const auto from_env = ws.pki_ok({"key", "show", "--password-env", "PKI_TEST_PASSWORD", path},
                                  {"PKI_TEST_PASSWORD=correct horse battery staple"});
  BOOST_TEST(field(from_env, "SPKI SHA-256") == field(shown, "SPKI SHA-256"));

  expect_refusal(ws.pki({"key", "show", path}), "key show", "password required");
  expect_refusal(ws.pki({"key", "show", path, "--password-file", ws.file("wrong")}), "key show",
                 "bad password");
  expect_refusal(ws.pki({"key", "show", path, "--password-env", "PKI_TEST_UNSET_VARIABLE"}), "key show",
                 "PKI_TEST_UNSET_VARIABLE is not set");
  expect_refusal(
      ws.pki({"key", "show", path, "--password-env", "PKI_TEST_PASSWORD", "--password-file", ws.file("pw")},
             {"PKI_TEST_PASSWORD=x"}),
      "key show", "not both", true);
  expect_refusal(ws.pki({"key", "show", path, "--password-file", ws.file("missing")}), "key show",
                 "cannot read");
}

BOOST_AUTO_TEST_CASE(never_takes_a_password_on_the_command_line) {
  const workspace ws;
  const auto path = ws.file("k.key");
  for (const auto& attempt : {strings{"--password", "secret"}, strings{"--password=secret"},
                              strings{"--pass", "secret"}, strings{"--passin", "pass:secret"}}) {
    BOOST_TEST_CONTEXT(attempt[0]) {
      strings args{"key", "generate", "--algorithm", "ec-p256", "--out", path};
      args.insert(args.end(), attempt.begin(), attempt.end());
      expect_refusal(ws.pki(args), "key generate", "unknown option", true);
      BOOST_TEST(!ws.exists(path));
    }
  }
  ws.pki_ok({"key", "generate", "--algorithm", "ec-p256", "--out", path});
  expect_refusal(ws.pki({"key", "show", path, "--password", "secret"}), "key show",
                 "unknown option '--password'", true);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(requests)

BOOST_AUTO_TEST_CASE(creates_a_csr_openssl_verifies_with_every_kind_of_name) {
  const workspace ws;
  const auto key = ws.key("host.key", "rsa-2048");
  const auto path =
      ws.csr("host.csr", key, "CN=host.example,O=pki tests",
             {"--dns", "host.example", "--dns", "alt.example", "--ip", "192.0.2.7", "--ip", "2001:db8::7",
              "--uri", "https://host.example/", "--email", "admin@host.example"});
  BOOST_TEST(contains(openssl_ok({"req", "-verify", "-in", path, "-noout"}), "verify OK"));
  const auto text = openssl_ok({"req", "-in", path, "-noout", "-text"});
  for (const auto* name : {"DNS:host.example", "DNS:alt.example", "IP Address:192.0.2.7",
                           "IP Address:2001:DB8", "URI:https://host.example/", "email:admin@host.example"}) {
    BOOST_TEST(contains(text, name), "openssl does not see " << name << ":\n" << text);
  }

  const auto shown = ws.pki_ok({"csr", "show", path});
  BOOST_TEST(lines_of(shown)[0] == "Certificate request");
  BOOST_TEST(field(shown, "Subject") == "CN=host.example,O=pki tests");
  BOOST_TEST(field(shown, "Public key") == "RSA-2048 (2048 bits)");
  BOOST_TEST(field(shown, "Signature algorithm") == "sha256WithRSAEncryption (signature verified)");
  BOOST_TEST(contains(shown,
                      "    X509v3 Subject Alternative Name:\n      DNS:host.example, DNS:alt.example, "
                      "IP Address:192.0.2.7, IP Address:2001:db8::7, URI:https://host.example/, "
                      "email:admin@host.example\n"),
             shown);
  BOOST_TEST(!field(shown, "SHA-256 fingerprint").empty());
}

BOOST_AUTO_TEST_CASE(refuses_a_csr_whose_signature_does_not_verify) {
  const workspace ws;
  const auto path = ws.csr("good.csr", ws.key("k.key"), "CN=tampered");
  auto der = pki_test::value_of(pki::pem::decode(ws.read(path), "CERTIFICATE REQUEST"));
  // One letter of the subject changed: the signature no longer covers what is there.
  const auto at = std::search(der.begin(), der.end(), std::begin("tampered"), std::end("tampered") - 1);
  BOOST_REQUIRE(at != der.end());
  *at = 'T';
  ws.write("bad.csr", pki_test::value_of(pki::pem::encode("CERTIFICATE REQUEST", der)));
  expect_refusal(ws.pki({"csr", "show", ws.file("bad.csr")}), "csr show",
                 "'" + ws.file("bad.csr") + "': signature does not verify");
}

BOOST_AUTO_TEST_CASE(refuses_invalid_names_saying_which_option) {
  const workspace ws;
  const auto key = ws.key("k.key");
  const auto out = ws.file("x.csr");
  expect_refusal(ws.pki({"csr", "create", "--key", key, "--subject", "CN=x,NOPE", "--out", out}),
                 "csr create", "--subject 'CN=x,NOPE': malformed input");
  expect_refusal(
      ws.pki({"csr", "create", "--key", key, "--subject", "CN=x", "--ip", "300.1.2.3", "--out", out}),
      "csr create", "--ip '300.1.2.3'");
  BOOST_TEST(!ws.exists(out));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(certificates)

BOOST_AUTO_TEST_CASE(self_signed_certificate_is_valid_for_its_days_and_openssl_accepts_it) {
  const workspace ws;
  const auto key = ws.key("self.key");
  const auto path = ws.file("self.pem");
  const auto before = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  ws.pki_ok({"cert", "self-signed", "--key", key, "--subject", "CN=self.example", "--dns", "self.example",
             "--ip", "::1", "--days", "30", "--out", path});
  BOOST_TEST(contains(openssl_ok({"verify", "-CAfile", path, path}), ": OK"));
  const auto text = openssl_ok({"x509", "-in", path, "-noout", "-text"});
  BOOST_TEST(contains(text, "DNS:self.example, IP Address:0:0:0:0:0:0:0:1"), text);
  BOOST_TEST(contains(text, "CA:FALSE"), text);

  const auto cert = parsed_certificate(ws, path);
  BOOST_TEST(cert.is_self_signed());
  BOOST_TEST((cert.not_after() - cert.not_before() == std::chrono::days(30)));
  BOOST_TEST((cert.not_before() >= before && cert.not_before() <= before + std::chrono::minutes(1)));
}

BOOST_AUTO_TEST_CASE(show_prints_every_field_as_openssl_sees_it) {
  const workspace ws;
  const chain c(ws);
  const auto out = ws.pki_ok({"cert", "show", c.leaf});
  const auto cert = parsed_certificate(ws, c.leaf);
  BOOST_TEST(lines_of(out)[0] == "Certificate");
  BOOST_TEST(field(out, "Subject") == "CN=www.example.test");
  BOOST_TEST(field(out, "Issuer") == "CN=CLI Test Issuing CA,O=pki tests");
  BOOST_TEST(field(out, "Version") == "3");
  const auto serial = openssl_ok({"x509", "-in", c.leaf, "-noout", "-serial"});
  BOOST_TEST("serial=" + upper_hex_without_colons(field(out, "Serial")) + "\n" == serial);
  const auto not_before = field(out, "Not before");
  BOOST_TEST(not_before.size() == 20U, not_before);
  BOOST_TEST(
      (not_before.size() == 20 && not_before[4] == '-' && not_before[10] == 'T' && not_before[19] == 'Z'),
      not_before);
  BOOST_TEST(!field(out, "Not after").empty());
  BOOST_TEST(field(out, "Public key") == "EC P-256 (256 bits)");
  const auto spki = pki_test::value_of(cert.public_key().fingerprint());
  BOOST_TEST(upper_hex_without_colons(field(out, "SPKI SHA-256")) == upper_hex_without_colons(spki.hex()));
  BOOST_TEST(field(out, "Signature algorithm") == "ecdsa-with-SHA256");
  for (const auto* heading :
       {"    X509v3 Basic Constraints: critical\n      CA:FALSE\n",
        "    X509v3 Key Usage: critical\n      Digital Signature\n",
        "    X509v3 Extended Key Usage:\n      TLS Web Server Authentication\n",
        "    X509v3 Subject Alternative Name:\n      DNS:www.example.test\n",
        "    X509v3 Subject Key Identifier:\n", "    X509v3 Authority Key Identifier:\n      keyid:"}) {
    BOOST_TEST(contains(out, heading), "cert show lacks\n" << heading << "in\n" << out);
  }
  const auto fingerprint = openssl_ok({"x509", "-in", c.leaf, "-noout", "-fingerprint", "-sha256"});
  BOOST_TEST(contains(fingerprint, field(out, "SHA-256 fingerprint")), fingerprint << " vs\n" << out);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(authority)

BOOST_AUTO_TEST_CASE(openssl_verifies_the_chain_the_cli_makes) {
  const workspace ws;
  const chain c(ws);
  const auto verdict = openssl_ok({"verify", "-CAfile", c.root, "-untrusted", c.inter, "-purpose",
                                   "sslserver", "-verify_hostname", "www.example.test", c.leaf});
  BOOST_TEST(verdict == c.leaf + ": OK\n");
  BOOST_TEST(contains(ws.pki_ok({"cert", "show", c.inter}), "      CA:TRUE, pathlen:0\n"));
  BOOST_TEST(contains(ws.pki_ok({"cert", "show", c.root}), "      CA:TRUE\n"));

  // Validity starts now, to the second, and lasts --days.
  const auto leaf = parsed_certificate(ws, c.leaf);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  BOOST_TEST((leaf.not_after() - leaf.not_before() == std::chrono::days(90)));
  BOOST_TEST((leaf.not_before() <= now && leaf.not_before() >= now - std::chrono::minutes(5)));
}

BOOST_AUTO_TEST_CASE(issues_under_every_profile) {
  const workspace ws;
  const chain c(ws);
  const auto client_key = ws.key("client.key");
  const auto client = ws.issue(
      "client.pem", c.inter, c.inter_key,
      ws.csr("client.csr", client_key, "CN=alice", {"--email", "alice@example.test"}), "tls-client", "30");
  BOOST_TEST(contains(
      openssl_ok({"verify", "-CAfile", c.root, "-untrusted", c.inter, "-purpose", "sslclient", client}),
      ": OK"));
  const auto device = ws.issue("device.pem", c.inter, c.inter_key,
                               ws.csr("device.csr", ws.key("device.key"), "CN=sensor,serialNumber=SN-0042",
                                      {"--uri", "urn:dev:sn:0042"}),
                               "device-identity", "365");
  BOOST_TEST(contains(openssl_ok({"verify", "-CAfile", c.root, "-untrusted", c.inter, device}), ": OK"));
  const auto sub_ca =
      ws.issue("sub.pem", c.root, c.root_key, ws.csr("sub.csr", ws.key("sub.key"), "CN=Sub CA"),
               "intermediate-ca", "365", {"--path-len", "1"});
  BOOST_TEST(contains(ws.pki_ok({"cert", "show", sub_ca}), "      CA:TRUE, pathlen:1\n"));
}

BOOST_AUTO_TEST_CASE(reports_each_refusal_of_the_library_and_writes_nothing) {
  const workspace ws;
  const chain c(ws);
  const auto out = ws.file("refused.pem");
  const auto issue = [&](const std::string& ca_cert, const std::string& ca_key, const std::string& csr_path,
                         std::string_view profile, std::string_view days) {
    return ws.pki(workspace::issue_args(out, ca_cert, ca_key, csr_path, profile, days));
  };
  // A tls-server certificate needs a subject alternative name.
  const auto no_san = ws.csr("nosan.csr", c.leaf_key, "CN=no-names");
  expect_refusal(issue(c.inter, c.inter_key, no_san, "tls-server", "90"), "ca issue",
                 "request forbidden by the issuance profile");
  expect_refusal(issue(c.inter, c.inter_key, c.leaf_csr, "tls-server", "399"), "ca issue",
                 "validity longer than the profile allows");
  expect_refusal(issue(c.leaf, c.leaf_key, c.leaf_csr, "tls-server", "30"), "ca issue",
                 "issuer is not a certificate authority");
  expect_refusal(issue(c.inter, c.root_key, c.leaf_csr, "tls-server", "30"), "ca issue", "keys do not match");
  // A CA valid for 30 days cannot issue for 60.
  const auto short_root = ws.file("short-root.pem");
  ws.pki_ok(
      {"ca", "init", "--key", c.root_key, "--subject", "CN=Short Root", "--days", "30", "--out", short_root});
  expect_refusal(issue(short_root, c.root_key, ws.csr("i.csr", c.inter_key, "CN=I"), "intermediate-ca", "60"),
                 "ca issue", "validity outside the issuer's");
  // A root for longer than its profile's 25 years.
  expect_refusal(
      ws.pki({"ca", "init", "--key", c.root_key, "--subject", "CN=Eternal", "--days", "9200", "--out", out}),
      "ca init", "validity longer than the profile allows");
  BOOST_TEST(!ws.exists(out));
  BOOST_TEST(!ws.exists(out + ".tmp"));
}

BOOST_AUTO_TEST_CASE(refuses_bad_profile_options_as_usage_errors) {
  const workspace ws;
  const chain c(ws);
  const auto out = ws.file("x.pem");
  expect_refusal(ws.pki(workspace::issue_args(out, c.inter, c.inter_key, c.leaf_csr, "tls-server", "30",
                                              {"--path-len", "1"})),
                 "ca issue", "--path-len applies only to --profile intermediate-ca", true);
  expect_refusal(ws.pki(workspace::issue_args(out, c.inter, c.inter_key, c.leaf_csr, "code-signing", "30")),
                 "ca issue", "unknown --profile 'code-signing'", true);
  expect_refusal(ws.pki(workspace::issue_args(out, c.root, c.root_key, c.leaf_csr, "intermediate-ca", "30",
                                              {"--path-len", "-1"})),
                 "ca issue", "--path-len must be a whole number", true);
  BOOST_TEST(!ws.exists(out));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(revocation)

BOOST_AUTO_TEST_CASE(a_crl_revoking_the_leaf_makes_openssl_reject_it) {
  const workspace ws;
  const chain c(ws);
  const auto serial = field(ws.pki_ok({"cert", "show", c.leaf}), "Serial");
  const auto empty = ws.file("empty.crl");
  ws.pki_ok({"crl", "create", "--ca-cert", c.inter, "--ca-key", c.inter_key, "--days", "7", "--out", empty});
  const auto revoking = ws.file("revoking.crl");
  ws.pki_ok({"crl", "create", "--ca-cert", c.inter, "--ca-key", c.inter_key, "--revoke", serial, "--revoke",
             "0x0102", "--days", "7", "--out", revoking});
  BOOST_TEST(ws.read(revoking).starts_with("-----BEGIN X509 CRL-----\n"));
  BOOST_TEST(contains(openssl_ok({"crl", "-in", revoking, "-CAfile", c.inter, "-noout"}), "verify OK"));
  const auto text = openssl_ok({"crl", "-in", revoking, "-noout", "-text"});
  BOOST_TEST(contains(text, "Serial Number: " + upper_hex_without_colons(serial)), text);
  BOOST_TEST(contains(text, "Serial Number: 0102"), text);

  BOOST_TEST(contains(openssl_ok({"verify", "-crl_check", "-CRLfile", empty, "-CAfile", c.root, "-untrusted",
                                  c.inter, c.leaf}),
                      ": OK"));
  const auto rejected = run_openssl(
      {"verify", "-crl_check", "-CRLfile", revoking, "-CAfile", c.root, "-untrusted", c.inter, c.leaf});
  BOOST_TEST(!rejected.ok(), rejected.transcript());
  BOOST_TEST(contains(rejected.out + rejected.err, "certificate revoked"), rejected.transcript());
}

BOOST_AUTO_TEST_CASE(refuses_a_serial_that_is_not_hex) {
  const workspace ws;
  const chain c(ws);
  expect_refusal(ws.pki({"crl", "create", "--ca-cert", c.inter, "--ca-key", c.inter_key, "--revoke", "xyz",
                         "--days", "7", "--out", ws.file("x.crl")}),
                 "crl create", "--revoke 'xyz' is not a serial number in hex", true);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(usage)

BOOST_AUTO_TEST_CASE(help_exits_0_for_the_tool_and_every_command) {
  const workspace ws;
  for (const auto& args : {strings{"--help"}, strings{"-h"}}) {
    const auto out = ws.pki_ok(args);
    BOOST_TEST(out.starts_with("usage: pki <command>"), out);
  }
  const std::initializer_list<std::string_view> commands = {"key generate", "key show",         "csr create",
                                                            "csr show",     "cert self-signed", "cert show",
                                                            "ca init",      "ca issue",         "crl create"};
  for (const auto command : commands) {
    BOOST_TEST_CONTEXT(command) {
      const std::string group(command.substr(0, command.find(' ')));
      const std::string name(command.substr(command.find(' ') + 1));
      const auto out = ws.pki_ok({group, name, "--help"});
      BOOST_TEST(out.starts_with("usage: pki " + std::string(command)), out);
      BOOST_TEST(contains(out, "--help"), out);
      BOOST_TEST(contains(ws.pki_ok({group, "--help"}), "pki " + std::string(command)));
    }
  }
}

BOOST_AUTO_TEST_CASE(refuses_unknown_commands_and_options) {
  const workspace ws;
  expect_refusal(ws.pki({}), "", "missing command", true);
  expect_refusal(ws.pki({"frobnicate"}), "frobnicate", "unknown command", true);
  expect_refusal(ws.pki({"key"}), "key", "missing subcommand (generate, show)", true);
  expect_refusal(ws.pki({"key", "frobnicate"}), "key frobnicate", "unknown command", true);
  expect_refusal(ws.pki({"key", "generate", "--algorithm", "ec-p256", "--out", ws.file("k"), "--colour"}),
                 "key generate", "unknown option '--colour'", true);
  expect_refusal(ws.pki({"key", "generate", "--algorithm", "ec-p256", "--out", ws.file("k"), "stray"}),
                 "key generate", "unexpected argument 'stray'", true);
  expect_refusal(ws.pki({"key", "show"}), "key show", "missing KEY argument", true);
  BOOST_TEST(!ws.exists(ws.file("k")));
}

BOOST_AUTO_TEST_CASE(refuses_missing_and_malformed_option_values) {
  const workspace ws;
  const auto key = ws.key("k.key");
  const auto out = ws.file("out.pem");
  expect_refusal(ws.pki({"key", "generate", "--algorithm", "ec-p256"}), "key generate",
                 "missing required option --out", true);
  expect_refusal(ws.pki({"key", "generate", "--algorithm", "ec-p256", "--out"}), "key generate",
                 "option --out needs a value", true);
  expect_refusal(ws.pki({"key", "generate", "--algorithm", "--out", out}), "key generate",
                 "option --algorithm needs a value", true);
  expect_refusal(ws.pki({"key", "generate", "--algorithm", "ec-p257", "--out", out}), "key generate",
                 "unknown --algorithm 'ec-p257'", true);
  expect_refusal(ws.pki({"key", "generate", "--algorithm", "ec-p256", "--out", out, "--out", out}),
                 "key generate", "option --out given twice", true);
  for (const auto* days : {"0", "-1", "1.5", "ten", "99999999999"}) {
    BOOST_TEST_CONTEXT("--days " << days) {
      expect_refusal(
          ws.pki({"cert", "self-signed", "--key", key, "--subject", "CN=x", "--days", days, "--out", out}),
          "cert self-signed", "--days must be a whole number from 1", true);
    }
  }
  BOOST_TEST(!ws.exists(out));
}

BOOST_AUTO_TEST_CASE(refuses_unreadable_and_invalid_files_in_one_line) {
  const workspace ws;
  expect_refusal(ws.pki({"cert", "show", ws.file("missing.pem")}), "cert show", "cannot read");
  std::filesystem::create_directory(ws.file("dir"));
  expect_refusal(ws.pki({"cert", "show", ws.file("dir")}), "cert show", "cannot read");
  ws.write("garbage.pem", "not a certificate\n");
  expect_refusal(ws.pki({"cert", "show", ws.file("garbage.pem")}), "cert show", "malformed input");
  ws.write("empty.pem", "");
  expect_refusal(ws.pki({"key", "show", ws.file("empty.pem")}), "key show", "is empty");
  // A key where a certificate belongs.
  const auto key = ws.key("k.key");
  expect_refusal(ws.pki({"cert", "show", key}), "cert show", "malformed input");
  expect_refusal(ws.pki({"csr", "create", "--key", ws.file("missing.key"), "--subject", "CN=x", "--out",
                         ws.file("x.csr")}),
                 "csr create", "cannot read");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(output_files)

BOOST_AUTO_TEST_CASE(replaces_an_existing_file_through_a_temporary_one) {
  const workspace ws;
  const auto key = ws.key("k.key");
  const auto path = ws.file("cert.pem");
  ws.write("cert.pem", "old content\n");
  ws.write("cert.pem.tmp", "left over from an interrupted run\n");
  ws.pki_ok({"cert", "self-signed", "--key", key, "--subject", "CN=x", "--days", "1", "--out", path});
  BOOST_TEST(ws.read(path).starts_with("-----BEGIN CERTIFICATE-----\n"));
  BOOST_TEST(!ws.exists(path + ".tmp"));
  BOOST_TEST((file_mode(path) & 0600U) == 0600U);
}

BOOST_AUTO_TEST_CASE(reports_an_output_directory_that_does_not_exist) {
  const workspace ws;
  expect_refusal(ws.pki({"key", "generate", "--algorithm", "ec-p256", "--out", ws.file("no/such/dir/k.key")}),
                 "key generate", "cannot create");
}

BOOST_AUTO_TEST_SUITE_END()
