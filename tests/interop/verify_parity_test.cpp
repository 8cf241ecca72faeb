// `pki verify` against `openssl verify` on hierarchies the OpenSSL CLI alone makes
// (genpkey, req, x509 -req -extfile, and `openssl ca` where a start date or a CRL is
// needed), RSA and EC. Each case runs both tools on the same files, the same time and the
// same purpose, host and CRLs, and requires the expected verdict of each, so they agree:
// valid chains, expiry and not-yet-valid, host names and wildcards, pathLenConstraint,
// CA flags and keyCertSign, extended key usage, revocation, an unknown root, name
// constraints and the intermediate count. Where OpenSSL departs from RFC 5280 / RFC 9525,
// or pki takes the stricter reading, the case says why and asserts each tool's own verdict.

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/openssl_cli.hpp"
#include "support/pki_tool.hpp"
#include "support/process.hpp"

namespace {

using pki_test::contains;
using pki_test::process_result;
using pki_test::strings;
using seconds = std::chrono::sys_seconds;

seconds now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

process_result openssl_ok(const strings& args) {
  auto r = pki_test::run_openssl(args);
  BOOST_REQUIRE_MESSAGE(r.ok(), "openssl failed: " << r.transcript());
  return r;
}

/// Extensions, as `openssl x509 -req -extfile` reads them.
std::string ca_extensions(std::string_view basic = "critical,CA:TRUE",
                          std::string_view key_usage = "critical,keyCertSign,cRLSign",
                          std::string_view extra = "") {
  std::string text;
  if (!basic.empty()) text += "basicConstraints=" + std::string(basic) + "\n";
  if (!key_usage.empty()) text += "keyUsage=" + std::string(key_usage) + "\n";
  return text + std::string(extra) + "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
}
std::string leaf_extensions(std::string_view san, std::string_view eku = "serverAuth",
                            std::string_view key_usage = "critical,digitalSignature") {
  return "basicConstraints=critical,CA:FALSE\nkeyUsage=" + std::string(key_usage) +
         "\nextendedKeyUsage=" + std::string(eku) + "\nsubjectAltName=" + std::string(san) +
         "\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n";
}

enum class key_kind : std::uint8_t { ec, rsa };

/// Certificates made by the OpenSSL CLI in a scratch directory, each "<name>.pem" with
/// its key "<name>.key".
class openssl_pki {
 public:
  [[nodiscard]] std::string file(std::string_view name) const { return dir_.file(name); }
  [[nodiscard]] std::string cert(std::string_view name) const { return file(std::string(name) + ".pem"); }

  /// A self-signed root CA.
  std::string root(std::string_view name, std::string_view subject, key_kind kind = key_kind::ec) const {
    const auto csr = request(name, subject, kind);
    write(std::string(name) + ".ext",
          "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier="
          "hash\n");
    openssl_ok({"x509", "-req", "-in", csr, "-signkey", key(name), "-extfile",
                file(std::string(name) + ".ext"), "-days", "3650", "-out", cert(name)});
    return cert(name);
  }

  /// A certificate for a new key, issued by `issuer` for `days` from now with `extensions`.
  std::string issue(std::string_view name, std::string_view subject, std::string_view issuer,
                    const std::string& extensions, key_kind kind = key_kind::ec, int days = 365) const {
    const auto csr = request(name, subject, kind);
    write(std::string(name) + ".ext", extensions);
    openssl_ok({"x509", "-req", "-in", csr, "-CA", cert(issuer), "-CAkey", key(issuer), "-extfile",
                file(std::string(name) + ".ext"), "-days", std::to_string(days), "-out", cert(name)});
    return cert(name);
  }

  /// As issue(), valid from `start` to `end`: `openssl ca`, since `x509 -req` starts now.
  std::string issue_between(std::string_view name, std::string_view subject, std::string_view issuer,
                            const std::string& extensions, seconds start, seconds end) const {
    const auto csr = request(name, subject, key_kind::ec);
    write(std::string(name) + ".ext", extensions);
    openssl_ok({"ca", "-config", ca_config(issuer), "-batch", "-notext", "-in", csr, "-out", cert(name),
                "-extfile", file(std::string(name) + ".ext"), "-startdate", pki_test::iso_time(start, true),
                "-enddate", pki_test::iso_time(end, true)});
    return cert(name);
  }

  /// A CRL of `issuer` revoking `revoked` (certificate names), valid for `hours` from now:
  /// `openssl ca -revoke` into the CA's database, then `-gencrl`.
  std::string crl(std::string_view issuer, const strings& revoked, int hours = 24 * 30) const {
    const auto config = ca_config(issuer);
    for (const auto& name : revoked) openssl_ok({"ca", "-config", config, "-revoke", cert(name)});
    const auto path = file(std::string(issuer) + "-" + std::to_string(hours) + "h.crl");
    openssl_ok({"ca", "-config", config, "-gencrl", "-crlhours", std::to_string(hours), "-out", path});
    return path;
  }

  /// The certificates' PEM in one file.
  std::string bundle(std::string_view name, const strings& certs) const {
    std::string text;
    for (const auto& c : certs) text += pki_test::read_text_file(cert(c));
    write(name, text);
    return file(name);
  }

  void write(std::string_view name, std::string_view content) const {
    pki_test::write_file(file(name), content);
  }

 private:
  [[nodiscard]] std::string key(std::string_view name) const { return file(std::string(name) + ".key"); }

  /// A new key and a CSR for it.
  std::string request(std::string_view name, std::string_view subject, key_kind kind) const {
    if (kind == key_kind::ec) {
      openssl_ok({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key(name)});
    } else {
      openssl_ok({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key(name)});
    }
    const auto csr = file(std::string(name) + ".csr");
    openssl_ok({"req", "-new", "-key", key(name), "-subj", std::string(subject), "-out", csr});
    return csr;
  }

  /// An `openssl ca` configuration for the CA `name` (created with its database once).
  std::string ca_config(std::string_view name) const {
    const std::string base(name);
    const auto config = file(base + ".cnf");
    if (std::FILE* existing = std::fopen(config.c_str(), "r")) {
      std::fclose(existing);
      return config;
    }
    write(base + ".index", "");
    write(base + ".crlnumber", "01\n");
    write(base + ".cnf",
          "[ ca ]\ndefault_ca = CA_default\n[ CA_default ]\n"
          "database = " +
              file(base + ".index") + "\ncrlnumber = " + file(base + ".crlnumber") + "\ncertificate = " +
              cert(name) + "\nprivate_key = " + key(name) + "\nnew_certs_dir = " + dir_.path().string() +
              "\nrand_serial = yes\ndefault_md = sha256\ndefault_crl_days = 30\n"
              "policy = policy_any\nunique_subject = no\nemail_in_dn = no\n"
              "crl_extensions = crl_ext\n[ policy_any ]\ncommonName = supplied\n"
              "[ crl_ext ]\nauthorityKeyIdentifier = keyid:always\n");
    return config;
  }

  pki_test::temp_dir dir_;
};

/// One question put to both tools.
struct query {
  std::string leaf{};
  std::string trust{};
  strings untrusted{};
  std::string purpose = "server";  ///< server or client
  std::string host{};              ///< a DNS name (-verify_hostname)
  std::string ip{};                ///< an IP address (-verify_ip)
  std::optional<seconds> time{};
  std::string crl{};
  bool crl_for_every_certificate = false;  ///< pki --require-crl, openssl -crl_check_all
  std::optional<unsigned> max_depth{};
  strings policies{};            ///< pki --policy, openssl -policy (each)
  bool explicit_policy = false;  ///< pki --explicit-policy, openssl -explicit_policy
  bool inhibit_mapping = false;  ///< pki --inhibit-policy-mapping, openssl -inhibit_map
  bool inhibit_any = false;      ///< pki --inhibit-any-policy, openssl -inhibit_any
};

process_result run_pki(const query& q) {
  strings args{"verify", "--trust", q.trust, "--purpose", q.purpose};
  for (const auto& u : q.untrusted) args.insert(args.end(), {"--untrusted", u});
  if (!q.host.empty()) args.insert(args.end(), {"--host", q.host});
  if (!q.ip.empty()) args.insert(args.end(), {"--host", q.ip});
  if (q.time) args.insert(args.end(), {"--at", pki_test::iso_time(*q.time)});
  if (!q.crl.empty()) args.insert(args.end(), {"--crl", q.crl});
  if (q.crl_for_every_certificate) args.emplace_back("--require-crl");
  if (q.max_depth) args.insert(args.end(), {"--max-depth", std::to_string(*q.max_depth)});
  for (const auto& p : q.policies) args.insert(args.end(), {"--policy", p});
  if (q.explicit_policy) args.emplace_back("--explicit-policy");
  if (q.inhibit_mapping) args.emplace_back("--inhibit-policy-mapping");
  if (q.inhibit_any) args.emplace_back("--inhibit-any-policy");
  args.push_back(q.leaf);
  auto r = pki_test::run_program(PKI_TOOL_EXECUTABLE, args);
  BOOST_REQUIRE_MESSAGE(r.exit_status == 0 || r.exit_status == 1,
                        "pki verify did not decide: " << r.transcript());
  return r;
}

process_result run_openssl_verify(const query& q) {
  strings args{"verify", "-CAfile", q.trust, "-purpose", q.purpose == "server" ? "sslserver" : "sslclient"};
  for (const auto& u : q.untrusted) args.insert(args.end(), {"-untrusted", u});
  if (!q.host.empty()) args.insert(args.end(), {"-verify_hostname", q.host});
  if (!q.ip.empty()) args.insert(args.end(), {"-verify_ip", q.ip});
  if (q.time) args.insert(args.end(), {"-attime", std::to_string(q.time->time_since_epoch().count())});
  if (!q.crl.empty()) {
    args.insert(args.end(),
                {q.crl_for_every_certificate ? "-crl_check_all" : "-crl_check", "-CRLfile", q.crl});
  }
  if (q.max_depth) args.insert(args.end(), {"-verify_depth", std::to_string(*q.max_depth)});
  // OpenSSL checks policies only when asked (-policy_check); pki always does, so every
  // policy case asks OpenSSL to.
  args.emplace_back("-policy_check");
  for (const auto& p : q.policies) args.insert(args.end(), {"-policy", p});
  if (q.explicit_policy) args.emplace_back("-explicit_policy");
  if (q.inhibit_mapping) args.emplace_back("-inhibit_map");
  if (q.inhibit_any) args.emplace_back("-inhibit_any");
  args.push_back(q.leaf);
  auto r = pki_test::run_openssl(args);
  BOOST_REQUIRE_MESSAGE(r.exit_status == 0 || r.exit_status == 2,
                        "openssl verify did not decide: " << r.transcript());
  return r;
}

/// Both tools reach `valid`; when not, pki's explanation holds `pki_reason` and OpenSSL's
/// error holds `openssl_reason`.
void expect_agreement(const query& q, bool valid, std::string_view pki_reason = {},
                      std::string_view openssl_reason = {}) {
  const auto ours = run_pki(q);
  const auto theirs = run_openssl_verify(q);
  BOOST_TEST((ours.exit_status == 0) == valid, "pki verify: " << ours.transcript());
  BOOST_TEST((theirs.exit_status == 0) == valid, "openssl verify: " << theirs.transcript());
  BOOST_TEST((ours.exit_status == 0) == (theirs.exit_status == 0),
             "pki and openssl disagree:\npki " << ours.transcript() << "\nopenssl " << theirs.transcript());
  BOOST_TEST(contains(ours.out + ours.err, pki_reason),
             "pki lacks '" << pki_reason << "': " << ours.transcript());
  BOOST_TEST(contains(theirs.out + theirs.err, openssl_reason),
             "openssl lacks '" << openssl_reason << "': " << theirs.transcript());
}

/// A documented divergence: each tool's own verdict, and the reasons they give.
void expect_divergence(const query& q, bool pki_valid, std::string_view pki_reason, bool openssl_valid,
                       std::string_view openssl_reason) {
  const auto ours = run_pki(q);
  const auto theirs = run_openssl_verify(q);
  BOOST_TEST((ours.exit_status == 0) == pki_valid, "pki verify: " << ours.transcript());
  BOOST_TEST((theirs.exit_status == 0) == openssl_valid, "openssl verify: " << theirs.transcript());
  BOOST_TEST(contains(ours.out + ours.err, pki_reason),
             "pki lacks '" << pki_reason << "': " << ours.transcript());
  BOOST_TEST(contains(theirs.out + theirs.err, openssl_reason),
             "openssl lacks '" << openssl_reason << "': " << theirs.transcript());
}

/// root -> "Parity Issuing CA" (pathlen 0) -> server leaf for www.example.com and
/// 192.0.2.10, with keys of `kind`, plus a second root no path leads to.
struct hierarchy {
  explicit hierarchy(key_kind kind) {
    root = ca.root("root", "/O=pki parity/CN=Parity Root", kind);
    inter =
        ca.issue("inter", "/CN=Parity Issuing CA", "root", ca_extensions("critical,CA:TRUE,pathlen:0"), kind);
    leaf = ca.issue("leaf", "/CN=parity leaf", "inter", leaf_extensions("DNS:www.example.com,IP:192.0.2.10"),
                    kind, 30);
  }
  /// The leaf `name` against root and intermediate, as a server.
  [[nodiscard]] query ask(std::string_view name = "leaf") const {
    return {.leaf = ca.cert(name), .trust = root, .untrusted = {inter}};
  }
  openssl_pki ca;
  std::string root, inter, leaf;
};

const hierarchy& ec_world() {
  static const hierarchy world(key_kind::ec);
  return world;
}
const hierarchy& rsa_world() {
  static const hierarchy world(key_kind::rsa);
  return world;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(agreement)

BOOST_AUTO_TEST_CASE(valid_chains_rsa_and_ec) {
  for (const auto* world : {&ec_world(), &rsa_world()}) {
    BOOST_TEST_CONTEXT((world == &ec_world() ? "EC" : "RSA")) {
      expect_agreement(world->ask(), true, "depth 2: CN=Parity Root,O=pki parity (trust anchor)", ": OK");
      auto q = world->ask();
      q.host = "www.example.com";
      expect_agreement(q, true, "OK: TLS server authentication, host www.example.com");
      q.host.clear();
      q.ip = "192.0.2.10";
      expect_agreement(q, true);
      // The leaf and intermediate in one bundle, in reverse order.
      q = world->ask();
      q.untrusted = {world->ca.bundle("both.pem", {"leaf", "inter"})};
      expect_agreement(q, true);
    }
  }
}

BOOST_AUTO_TEST_CASE(expired_leaf) {
  for (const auto* world : {&ec_world(), &rsa_world()}) {
    BOOST_TEST_CONTEXT((world == &ec_world() ? "EC" : "RSA")) {
      auto q = world->ask();
      q.time = now() + std::chrono::days(31);  // the leaf is valid for 30 days
      expect_agreement(q, false, "certificate at depth 0 (CN=parity leaf): certificate expired on",
                       "certificate has expired");
      q.time = now() + std::chrono::days(29);
      expect_agreement(q, true);
    }
  }
}

BOOST_AUTO_TEST_CASE(not_yet_valid_intermediate) {
  openssl_pki ca;
  const auto root = ca.root("root", "/CN=Future Root");
  const auto start = now() + std::chrono::days(10);
  const auto inter = ca.issue_between("inter", "/CN=Future CA", "root", ca_extensions(), start,
                                      start + std::chrono::days(365));
  ca.issue("leaf", "/CN=early leaf", "inter", leaf_extensions("DNS:early.example.com"));
  const query q{.leaf = ca.cert("leaf"), .trust = root, .untrusted = {inter}};
  expect_agreement(q, false, "certificate at depth 1 (CN=Future CA): certificate not yet valid until",
                   "certificate is not yet valid");
  auto later = q;
  later.time = start + std::chrono::days(1);
  expect_agreement(later, true);
}

BOOST_AUTO_TEST_CASE(wrong_host_and_ip) {
  for (const auto* world : {&ec_world(), &rsa_world()}) {
    BOOST_TEST_CONTEXT((world == &ec_world() ? "EC" : "RSA")) {
      for (const auto* host : {"www.example.org", "example.com", "a.www.example.com", "WWW.EXAMPLE.COM"}) {
        BOOST_TEST_CONTEXT("host " << host) {
          auto q = world->ask();
          q.host = host;
          const bool valid = std::string_view(host) == "WWW.EXAMPLE.COM";
          expect_agreement(q, valid, valid ? "" : "name mismatch", valid ? "" : "hostname mismatch");
        }
      }
      auto q = world->ask();
      q.ip = "192.0.2.11";
      expect_agreement(q, false, "name mismatch", "IP address mismatch");
    }
  }
}

BOOST_AUTO_TEST_CASE(wildcard_host_matches_one_label) {
  const auto& w = ec_world();
  w.ca.issue("wild", "/CN=wildcard leaf", "inter", leaf_extensions("DNS:*.example.net"));
  for (const auto& [host, valid] : {std::pair{"a.example.net", true}, std::pair{"B.Example.Net", true},
                                    std::pair{"a.b.example.net", false}, std::pair{"example.net", false},
                                    std::pair{"a.example.com", false}}) {
    BOOST_TEST_CONTEXT("host " << host) {
      auto q = w.ask("wild");
      q.host = host;
      expect_agreement(q, valid, valid ? "" : "name mismatch", valid ? "" : "hostname mismatch");
    }
  }
}

BOOST_AUTO_TEST_CASE(pathlen_zero_forbids_a_second_intermediate) {
  const auto& w = ec_world();
  w.ca.issue("sub", "/CN=Sub CA under pathlen 0", "inter", ca_extensions());
  w.ca.issue("deep", "/CN=deep leaf", "sub", leaf_extensions("DNS:deep.example.com"));
  auto q = w.ask("deep");
  q.untrusted = {w.ca.cert("sub"), w.inter};
  expect_agreement(q, false, "certificate at depth 2 (CN=Parity Issuing CA): path length constraint exceeded",
                   "path length constraint exceeded");
}

BOOST_AUTO_TEST_CASE(an_intermediate_must_be_a_ca) {
  const auto& w = ec_world();
  // CA:FALSE, and no basicConstraints at all (OpenSSL 3 rejects that too, even without
  // -x509_strict, as RFC 5280 6.1.4 (k) requires).
  w.ca.issue("not-ca", "/CN=Not a CA", "root", ca_extensions("critical,CA:FALSE"));
  w.ca.issue("no-bc", "/CN=No Basic Constraints", "root", ca_extensions(""));
  for (const auto* issuer : {"not-ca", "no-bc"}) {
    BOOST_TEST_CONTEXT(issuer) {
      const auto leaf_name = std::string(issuer) + "-leaf";
      w.ca.issue(leaf_name, "/CN=leaf of a non-CA", issuer, leaf_extensions("DNS:x.example.com"));
      auto q = w.ask(leaf_name);
      q.untrusted = {w.ca.cert(issuer)};
      expect_agreement(q, false, "certificate at depth 1", "invalid CA certificate");
      BOOST_TEST(contains(run_pki(q).out, "issuer is not a certificate authority"));
    }
  }
}

BOOST_AUTO_TEST_CASE(an_intermediate_needs_key_cert_sign) {
  const auto& w = ec_world();
  w.ca.issue("no-kcs", "/CN=No keyCertSign CA", "root",
             ca_extensions("critical,CA:TRUE", "critical,digitalSignature,cRLSign"));
  w.ca.issue("no-kcs-leaf", "/CN=leaf of a CA without keyCertSign", "no-kcs",
             leaf_extensions("DNS:x.example.com"));
  auto q = w.ask("no-kcs-leaf");
  q.untrusted = {w.ca.cert("no-kcs")};
  expect_agreement(
      q, false,
      "certificate at depth 1 (CN=No keyCertSign CA): key usage not allowed (issues certificates "
      "but key usage lacks keyCertSign)",
      "invalid CA certificate");
}

BOOST_AUTO_TEST_CASE(extended_key_usage_decides_the_purpose) {
  const auto& w = ec_world();
  w.ca.issue("client", "/CN=client only", "inter", leaf_extensions("DNS:client.example.com", "clientAuth"));
  auto q = w.ask("client");
  expect_agreement(
      q, false,
      "certificate at depth 0 (CN=client only): key usage not allowed (extended key usage does not "
      "include the required purpose)",
      "unsuitable certificate purpose");
  q.purpose = "client";
  expect_agreement(q, true, "OK: TLS client authentication");
  // The server leaf is not a client.
  q = w.ask();
  q.purpose = "client";
  expect_agreement(q, false, "extended key usage does not include the required purpose",
                   "unsuitable certificate purpose");
  // An issuing CA restricted to clientAuth cannot vouch for a server.
  w.ca.issue(
      "client-ca", "/CN=Client CA", "root",
      ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign", "extendedKeyUsage=clientAuth\n"));
  w.ca.issue("under-client-ca", "/CN=server under a client CA", "client-ca",
             leaf_extensions("DNS:s.example.com"));
  q = w.ask("under-client-ca");
  q.untrusted = {w.ca.cert("client-ca")};
  expect_agreement(q, false, "certificate at depth 1 (CN=Client CA): key usage not allowed",
                   "unsuitable certificate purpose");
}

BOOST_AUTO_TEST_CASE(revocation_by_crl) {
  openssl_pki ca;
  const auto root = ca.root("root", "/CN=Revocation Root");
  const auto inter = ca.issue("inter", "/CN=Revoking CA", "root", ca_extensions());
  ca.issue("revoked", "/CN=revoked leaf", "inter", leaf_extensions("DNS:revoked.example.com"));
  ca.issue("kept", "/CN=kept leaf", "inter", leaf_extensions("DNS:kept.example.com"));
  const auto list = ca.crl("inter", {"revoked"});
  query q{.leaf = ca.cert("revoked"), .trust = root, .untrusted = {inter}, .crl = list};
  expect_agreement(q, false, "certificate at depth 0 (CN=revoked leaf): certificate revoked",
                   "certificate revoked");
  q.leaf = ca.cert("kept");
  expect_agreement(q, true);
  // The same CRL in DER (OpenSSL reads PEM only for -CRLfile, so only pki is asked).
  openssl_ok({"crl", "-in", list, "-outform", "DER", "-out", ca.file("list.der")});
  auto der = q;
  der.leaf = ca.cert("revoked");
  der.crl = ca.file("list.der");
  const auto ours = run_pki(der);
  BOOST_TEST(ours.exit_status == 1, ours.transcript());
  BOOST_TEST(contains(ours.out, "certificate revoked"), ours.transcript());
}

BOOST_AUTO_TEST_CASE(an_unknown_root_is_not_trusted) {
  const auto& w = ec_world();
  // A different root, and one with the very name of the real root but another key.
  const auto stranger = w.ca.root("stranger", "/CN=Stranger Root");
  const auto impostor = w.ca.root("impostor", "/O=pki parity/CN=Parity Root");
  auto q = w.ask();
  q.trust = stranger;
  expect_agreement(q, false, "certificate at depth 1 (CN=Parity Issuing CA): no path to a trust anchor",
                   "unable to get local issuer certificate");
  q.trust = impostor;
  expect_agreement(q, false, "signature does not verify", "");
  // Trusting the intermediate alone is not enough for OpenSSL without -partial_chain;
  // pki accepts any anchor, so that case is not compared.
}

BOOST_AUTO_TEST_CASE(name_constraints_exclude_a_dns_subtree) {
  const auto& w = ec_world();
  w.ca.issue("nc-ca", "/CN=Constrained CA", "root",
             ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign",
                           "nameConstraints=critical,excluded;DNS:bad.example.com\n"));
  int n = 0;
  for (const auto& [san, valid] :
       {std::pair{"DNS:bad.example.com", false}, std::pair{"DNS:x.bad.example.com", false},
        std::pair{"DNS:good.example.com,DNS:bad.example.com", false}, std::pair{"DNS:good.example.com", true},
        std::pair{"DNS:notbad.example.com", true}}) {
    BOOST_TEST_CONTEXT(san) {
      const std::string name = "nc-leaf-" + std::to_string(++n);
      w.ca.issue(name, "/CN=constrained leaf", "nc-ca", leaf_extensions(san));
      auto q = w.ask(name);
      q.untrusted = {w.ca.cert("nc-ca")};
      expect_agreement(q, valid, valid ? "" : "name constraint violated (a name lies in an excluded subtree)",
                       valid ? "" : "excluded subtree violation");
    }
  }
}

BOOST_AUTO_TEST_CASE(max_depth_counts_intermediates_as_verify_depth_does) {
  const auto& w = ec_world();
  w.ca.issue("top", "/CN=Top CA", "root", ca_extensions("critical,CA:TRUE,pathlen:1"));
  w.ca.issue("mid", "/CN=Mid CA", "top", ca_extensions("critical,CA:TRUE,pathlen:0"));
  w.ca.issue("two-below", "/CN=two intermediates down", "mid", leaf_extensions("DNS:two.example.com"));
  auto q = w.ask("two-below");
  q.untrusted = {w.ca.cert("mid"), w.ca.cert("top")};
  expect_agreement(q, true, "depth 3: CN=Parity Root,O=pki parity (trust anchor)");
  q.max_depth = 2;
  expect_agreement(q, true);
  q.max_depth = 1;
  expect_agreement(q, false,
                   "a valid path exists, but through 2 intermediate certificates, more than --max-depth 1",
                   "certificate chain too long");
}

BOOST_AUTO_TEST_SUITE_END()

// Where the verdicts differ on purpose. Each case names the rule pki follows.
BOOST_AUTO_TEST_SUITE(documented_divergences)

// RFC 5280 4.2.1.1: the authorityKeyIdentifier MUST be present in every certificate a CA
// issues (self-signed roots aside). pki's rfc5280 policy holds relying parties to it;
// OpenSSL does not look.
BOOST_AUTO_TEST_CASE(a_leaf_without_authority_key_identifier) {
  const auto& w = ec_world();
  w.ca.issue(
      "no-aki", "/CN=no AKI", "inter",
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
      "subjectAltName=DNS:www.example.com\nsubjectKeyIdentifier=none\nauthorityKeyIdentifier=none\n");
  expect_divergence(
      w.ask("no-aki"), false,
      "certificate at depth 0 (CN=no AKI): nonconforming certificate (no authority key identifier", true,
      ": OK");
}

// RFC 9525 6.3 (and RFC 6125 before it, for certificates with a subjectAltName): the
// common name is not a host identity. OpenSSL falls back to the CN when the certificate
// has no DNS subjectAltName; pki never uses it.
BOOST_AUTO_TEST_CASE(a_host_name_only_in_the_common_name) {
  const auto& w = ec_world();
  w.ca.issue(
      "cn-only", "/CN=www.example.com", "inter",
      "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
      "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
  auto q = w.ask("cn-only");
  q.host = "www.example.com";
  expect_divergence(q, false, "name mismatch (no subject alternative name (the common name is not used))",
                    true, ": OK");
}

// RFC 5280 4.2.1.12: anyExtendedKeyUsage allows every purpose; applications MAY reject it
// when they want a specific one. pki accepts it, OpenSSL's sslserver purpose rejects it.
BOOST_AUTO_TEST_CASE(a_leaf_with_any_extended_key_usage) {
  const auto& w = ec_world();
  w.ca.issue("any-eku", "/CN=any purpose", "inter",
             leaf_extensions("DNS:www.example.com", "anyExtendedKeyUsage"));
  expect_divergence(w.ask("any-eku"), true, "OK: TLS server authentication", false,
                    "unsuitable certificate purpose");
}

// A wildcard name under an excluded subtree: "*.example.com" would match "bad.example.com",
// which the CA excludes, so pki refuses it (as Go does since CVE-2025-61727); OpenSSL
// compares the pattern as a literal name outside the subtree and accepts.
BOOST_AUTO_TEST_CASE(a_wildcard_that_reaches_an_excluded_subtree) {
  const auto& w = ec_world();
  w.ca.issue("nc-wild-ca", "/CN=Constrained CA for wildcards", "root",
             ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign",
                           "nameConstraints=critical,excluded;DNS:bad.example.com\n"));
  w.ca.issue("nc-wild", "/CN=wildcard under constraints", "nc-wild-ca", leaf_extensions("DNS:*.example.com"));
  auto q = w.ask("nc-wild");
  q.untrusted = {w.ca.cert("nc-wild-ca")};
  expect_divergence(q, false, "name constraint violated (a name lies in an excluded subtree)", true, ": OK");
}

// -crl_check makes OpenSSL require a CRL from the leaf's issuer ("unable to get
// certificate CRL"); pki's crl_check checks the CRLs it is given and passes certificates
// none of them speaks for (policy::crl_required is the strict rule: `pki verify
// --require-crl`, compared with -crl_check_all below).
BOOST_AUTO_TEST_CASE(no_crl_from_the_leafs_issuer) {
  openssl_pki ca;
  const auto root = ca.root("root", "/CN=CRL Root");
  const auto inter = ca.issue("inter", "/CN=CRL CA", "root", ca_extensions());
  ca.issue("leaf", "/CN=leaf without a CRL", "inter", leaf_extensions("DNS:leaf.example.com"));
  const auto roots_crl = ca.crl("root", {});
  const query q{.leaf = ca.cert("leaf"), .trust = root, .untrusted = {inter}, .crl = roots_crl};
  expect_divergence(q, true, "OK: ", false, "unable to get certificate CRL");
}

// pki verify --require-crl against openssl verify -crl_check_all: a current CRL from each
// issuer on the path, or no verdict of "valid".
BOOST_AUTO_TEST_CASE(a_crl_for_every_certificate) {
  openssl_pki ca;
  const auto root = ca.root("root", "/CN=All CRLs Root");
  const auto inter = ca.issue("inter", "/CN=All CRLs CA", "root", ca_extensions());
  ca.issue("leaf", "/CN=leaf under full CRL checking", "inter", leaf_extensions("DNS:leaf.example.com"));
  ca.issue("gone", "/CN=revoked under full CRL checking", "inter", leaf_extensions("DNS:gone.example.com"));
  const auto inter_crl = ca.crl("inter", {"gone"});
  const auto root_crl = ca.crl("root", {});
  ca.write("both.crl", pki_test::read_text_file(inter_crl) + pki_test::read_text_file(root_crl));
  query q{.leaf = ca.cert("leaf"),
          .trust = root,
          .untrusted = {inter},
          .crl = ca.file("both.crl"),
          .crl_for_every_certificate = true};
  expect_agreement(q, true);
  q.leaf = ca.cert("gone");
  expect_agreement(q, false, "certificate revoked", "certificate revoked");
  q.leaf = ca.cert("leaf");
  q.crl = inter_crl;  // nothing from the root about the intermediate
  expect_agreement(q, false, "revocation status unknown", "unable to get certificate CRL");
}

// A CRL past its nextUpdate: both still take its revocations (revocation is final). For a
// certificate it does not list, OpenSSL's -crl_check fails ("CRL has expired") while pki's
// crl_check accepts: an out-of-date CRL vouches for nothing, and crl_check asks for a CRL
// only when one is supplied (the library's crl_required would refuse, as OpenSSL does).
BOOST_AUTO_TEST_CASE(a_crl_past_its_next_update) {
  openssl_pki ca;
  const auto root = ca.root("root", "/CN=Stale CRL Root");
  const auto inter = ca.issue("inter", "/CN=Stale CRL CA", "root", ca_extensions());
  ca.issue("revoked", "/CN=revoked leaf", "inter", leaf_extensions("DNS:revoked.example.com"));
  ca.issue("kept", "/CN=kept leaf", "inter", leaf_extensions("DNS:kept.example.com"));
  const auto stale = ca.crl("inter", {"revoked"}, 1);
  query q{.leaf = ca.cert("revoked"),
          .trust = root,
          .untrusted = {inter},
          .time = now() + std::chrono::hours(2),
          .crl = stale};
  expect_agreement(q, false, "certificate revoked", "certificate revoked");
  q.leaf = ca.cert("kept");
  expect_divergence(q, true, "OK: ", false, "CRL has expired");
}

BOOST_AUTO_TEST_SUITE_END()

// RFC 5280 6.1 policy processing: both tools with -policy_check / the policy options on
// hierarchies whose certificatePolicies, policyMappings, policyConstraints and
// inhibitAnyPolicy the OpenSSL CLI writes (-extfile).
BOOST_AUTO_TEST_SUITE(certificate_policies)

const std::string p1 = "1.3.6.1.4.1.55555.1.1";
const std::string p2 = "1.3.6.1.4.1.55555.1.2";
const std::string q1 = "1.3.6.1.4.1.55555.2.1";

std::string with_policies(std::string_view policies, std::string_view more = "") {
  return "certificatePolicies=" + std::string(policies) + "\n" + std::string(more);
}

BOOST_AUTO_TEST_CASE(an_explicit_policy_required_met_and_not_met) {
  const auto& w = ec_world();
  w.ca.issue("pol-ca", "/CN=Policy CA", "root",
             ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign", with_policies(p1)));
  w.ca.issue("pol-leaf", "/CN=policy leaf", "pol-ca",
             leaf_extensions("DNS:www.example.com") + with_policies(p1));
  auto q = w.ask("pol-leaf");
  q.untrusted = {w.ca.cert("pol-ca")};
  expect_agreement(q, true);
  q.policies = {p1};
  q.explicit_policy = true;
  expect_agreement(q, true, "policies: " + p1);
  q.policies = {p2};
  expect_agreement(q, false, "no acceptable certificate policy", "no explicit policy");
  q.explicit_policy = false;  // not required: valid for no policy
  expect_agreement(q, true, "policies: none");
}

BOOST_AUTO_TEST_CASE(a_policy_mapping_honoured_and_inhibited) {
  const auto& w = ec_world();
  w.ca.issue("map-ca", "/CN=Mapping CA", "root",
             ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign",
                           with_policies(p1, "policyMappings=critical," + p1 + ":" + q1 + "\n")));
  w.ca.issue("map-leaf", "/CN=mapped leaf", "map-ca",
             leaf_extensions("DNS:www.example.com") + with_policies(q1));
  auto q = w.ask("map-leaf");
  q.untrusted = {w.ca.cert("map-ca")};
  q.policies = {p1};
  q.explicit_policy = true;
  expect_agreement(q, true, "policies: " + p1);
  q.inhibit_mapping = true;
  expect_agreement(q, false, "certificate at depth 1 (CN=Mapping CA): no acceptable certificate policy",
                   "no explicit policy");
}

BOOST_AUTO_TEST_CASE(require_explicit_policy_in_a_ca) {
  const auto& w = ec_world();
  w.ca.issue("req-ca", "/CN=Requiring CA", "root",
             ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign",
                           with_policies(p1, "policyConstraints=critical,requireExplicitPolicy:0\n")));
  w.ca.issue("req-bare", "/CN=leaf without policies", "req-ca", leaf_extensions("DNS:www.example.com"));
  w.ca.issue("req-ok", "/CN=leaf with the policy", "req-ca",
             leaf_extensions("DNS:www.example.com") + with_policies(p1));
  auto q = w.ask("req-bare");
  q.untrusted = {w.ca.cert("req-ca")};
  expect_agreement(q, false,
                   "certificate at depth 0 (CN=leaf without policies): no acceptable certificate policy",
                   "no explicit policy");
  q.leaf = w.ca.cert("req-ok");
  q.policies = {p1};
  expect_agreement(q, true, "policies: " + p1);
  // No -policy: RFC 5280 6.1.1 (c) makes the user-initial-policy-set any-policy, so p1 is
  // acceptable and pki accepts; OpenSSL 3.0 takes no -policy as an empty user set and
  // then finds no explicit policy (pcy_tree.c), whatever the path allows.
  q.policies.clear();
  expect_divergence(q, true, "OK: TLS server authentication", false, "no explicit policy");
}

BOOST_AUTO_TEST_CASE(inhibit_any_policy_in_a_ca_and_as_an_input) {
  const auto& w = ec_world();
  w.ca.issue("any-top", "/CN=Inhibiting CA", "root",
             ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign",
                           with_policies(p1, "inhibitAnyPolicy=critical,0\n")));
  w.ca.issue("any-sub", "/CN=Any Policy CA", "any-top",
             ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign", with_policies("2.5.29.32.0")));
  w.ca.issue("any-leaf", "/CN=leaf under anyPolicy", "any-sub",
             leaf_extensions("DNS:www.example.com") + with_policies(p1));
  auto q = w.ask("any-leaf");
  q.untrusted = {w.ca.cert("any-top"), w.ca.cert("any-sub")};
  q.explicit_policy = true;
  expect_agreement(q, false, "certificate at depth 1 (CN=Any Policy CA): no acceptable certificate policy",
                   "no explicit policy");
  // Without the inhibiting CA, anyPolicy counts unless the caller inhibits it.
  w.ca.issue("any-direct", "/CN=Any Policy CA 2", "root",
             ca_extensions("critical,CA:TRUE", "critical,keyCertSign,cRLSign", with_policies("2.5.29.32.0")));
  w.ca.issue("any-direct-leaf", "/CN=leaf under anyPolicy 2", "any-direct",
             leaf_extensions("DNS:www.example.com") + with_policies(p1));
  q.leaf = w.ca.cert("any-direct-leaf");
  q.untrusted = {w.ca.cert("any-direct")};
  q.policies = {p1};  // OpenSSL needs -policy to find an explicit one (see above)
  expect_agreement(q, true, "policies: " + p1);
  q.inhibit_any = true;
  expect_agreement(q, false, "certificate at depth 1 (CN=Any Policy CA 2): no acceptable certificate policy",
                   "no explicit policy");
}

BOOST_AUTO_TEST_SUITE_END()
