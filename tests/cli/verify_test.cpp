// `pki verify` (examples/pki/commands_verify.cpp), run as a program on hierarchies the
// tool itself makes (and, where the tool cannot make them, the library): the path printed
// leaf first with exit 0; every refusal with exit 1, the certificate's depth and subject
// and the reason (expiry date, host, purpose, revocation, path length); intermediates in
// any order and from bundles; trust from a file, a directory or the "system" store;
// untrusted certificates that do not parse skipped with a stderr line each, and a leaf whose
// key the build cannot read (made with the OpenSSL CLI) exit 1; and exit 2 with a one-line
// error for bad usage and unreadable input.

#include <boost/test/unit_test.hpp>
#include <pki/pki.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"
#include "support/openssl_cli.hpp"
#include "support/pki_tool.hpp"
#include "support/process.hpp"

using namespace std::chrono_literals;
using pki_test::dn;
using pki_test::value_of;

namespace {

using pki_test::contains;
using pki_test::lines_of;
using pki_test::process_result;
using pki_test::strings;
using seconds = std::chrono::sys_seconds;

/// The time as the library's explanations print it: "2026-01-01 00:00:00 UTC".
std::string explained(seconds t) {
  std::string text = pki_test::iso_time(t);
  text[10] = ' ';
  text.pop_back();
  return text + " UTC";
}

seconds at(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year(y) / m / d);
}

seconds now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

using workspace = pki_test::tool_workspace;

/// A root CA, an intermediate under it and a TLS server leaf for www.example.test and
/// 192.0.2.7 under that, made with the tool.
struct chain {
  explicit chain(const workspace& ws) {
    root_key = ws.key("root.key", "ec-p384");
    root = ws.file("root.pem");
    ws.pki_ok({"ca", "init", "--key", root_key, "--subject", "CN=Verify Test Root,O=pki tests", "--days",
               "3650", "--out", root});
    inter_key = ws.key("inter.key");
    inter = ws.issue("inter.pem", root, root_key, ws.csr("inter.csr", inter_key, "CN=Verify Test Issuing CA"),
                     "intermediate-ca", "1825");
    leaf = ws.issue("leaf.pem", inter, inter_key,
                    ws.csr("leaf.csr", ws.key("leaf.key"), "CN=www.example.test",
                           {"--dns", "www.example.test", "--ip", "192.0.2.7"}),
                    "tls-server", "90");
  }
  /// `pki verify --trust root --untrusted inter` with `extra` options, then the leaf.
  [[nodiscard]] strings verify(const strings& extra = {}) const {
    strings args{"verify", "--trust", root, "--untrusted", inter};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(leaf);
    return args;
  }
  std::string root, root_key, inter, inter_key, leaf;
};

/// Two intermediates under the chain's root: root -> top (pathlen 1) -> sub -> a leaf
/// for deep.example.test.
struct deep_chain {
  deep_chain(const workspace& ws, const chain& c) {
    const auto top_key = ws.key("top.key");
    top = ws.issue("top.pem", c.root, c.root_key, ws.csr("top.csr", top_key, "CN=Top CA"), "intermediate-ca",
                   "1000", {"--path-len", "1"});
    const auto sub_key = ws.key("sub.key");
    sub =
        ws.issue("sub.pem", top, top_key, ws.csr("sub.csr", sub_key, "CN=Sub CA"), "intermediate-ca", "900");
    leaf = ws.issue(
        "deep.pem", sub, sub_key,
        ws.csr("deep.csr", ws.key("deep.key"), "CN=deep.example.test", {"--dns", "deep.example.test"}),
        "tls-server", "30");
  }
  std::string top;
  std::string sub;
  std::string leaf;
};

/// The certificate in a PEM file.
pki::certificate<> certificate_in(const workspace& ws, const std::string& path) {
  return value_of(pki::certificate<>::from_pem(ws.read(path)));
}

/// Requires exit status 0, the `skipped` lines on stderr and nothing else, one "depth N:
/// <subject>" line per expected subject (the last marked as the trust anchor) and then an
/// "OK: " line; returns stdout.
std::string expect_valid(const process_result& r, const strings& subjects, const strings& skipped = {}) {
  BOOST_TEST(r.exit_status == 0, r.transcript());
  BOOST_TEST(lines_of(r.err) == skipped, r.transcript());
  const auto lines = lines_of(r.out);
  BOOST_REQUIRE_MESSAGE(lines.size() == subjects.size() + 1, r.transcript());
  for (std::size_t depth = 0; depth < subjects.size(); ++depth) {
    std::string expected = "depth " + std::to_string(depth) + ": " + subjects[depth];
    if (depth + 1 == subjects.size()) expected += " (trust anchor)";
    BOOST_TEST(lines[depth] == expected);
  }
  BOOST_TEST(lines.back().starts_with("OK: "), r.transcript());
  return r.out;
}

/// Requires exit status 1, "candidate path" explanations on stdout holding `reason`, and
/// on stderr the `skipped` lines, then one line "pki: verify: '<cert>' is not valid: ..."
/// holding `reason` too.
void expect_invalid(const process_result& r, std::string_view reason, const strings& skipped = {}) {
  BOOST_TEST(r.exit_status == 1, r.transcript());
  BOOST_TEST(r.out.starts_with("candidate path 1: "), r.transcript());
  BOOST_TEST(contains(r.out, reason), "stdout lacks '" << reason << "': " << r.transcript());
  auto lines = lines_of(r.err);
  BOOST_REQUIRE_MESSAGE(lines.size() == skipped.size() + 1,
                        "not the skipped lines and a verdict: " << r.transcript());
  BOOST_TEST(strings(lines.begin(), lines.end() - 1) == skipped, r.transcript());
  BOOST_TEST(lines.back().starts_with("pki: verify: '"), r.transcript());
  BOOST_TEST(contains(lines.back(), "' is not valid: "), r.transcript());
  BOOST_TEST(contains(lines.back(), reason), "stderr lacks '" << reason << "': " << r.transcript());
}

/// "pki: verify: skipping certificate N of '<path>': <reason>", the line for an untrusted
/// certificate that does not parse.
std::string skip_line(std::size_t index, const std::string& path, std::string_view reason) {
  return "pki: verify: skipping certificate " + std::to_string(index) + " of '" + path +
         "': " + std::string(reason);
}

/// What the library says of a certificate whose DER does not frame as one (the garbage
/// block below, a certificate cut short).
constexpr std::string_view garbage_reason = "malformed input: certificate";

/// A PEM "CERTIFICATE" block whose DER is no certificate: a SEQUENCE of one INTEGER.
std::string garbage_block() {
  const std::uint8_t der[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  return value_of(pki::pem::encode("CERTIFICATE", der));
}

/// A certificate `name`.pem for a new key made by `openssl genpkey` with `genpkey_args`
/// (a key this build cannot read), for `host`, issued by the EC CA `ca`/`ca_key` with
/// `openssl x509 -req`.
std::string openssl_leaf(const workspace& ws, const std::string& name, const strings& genpkey_args,
                         const std::string& host, const std::string& ca, const std::string& ca_key) {
  const auto key = ws.file(name + ".key");
  const auto csr = ws.file(name + ".csr");
  const auto cert = ws.file(name + ".pem");
  const auto ext = ws.file(name + ".ext");
  ws.write(name + ".ext",
           "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
           "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:" +
               host + "\n");
  strings genpkey{"genpkey"};
  genpkey.insert(genpkey.end(), genpkey_args.begin(), genpkey_args.end());
  genpkey.insert(genpkey.end(), {"-out", key});
  for (const auto& args : {genpkey, strings{"req", "-new", "-key", key, "-subj", "/CN=" + host, "-out", csr},
                           strings{"x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-set_serial",
                                   "0x5eed", "-days", "30", "-extfile", ext, "-out", cert}}) {
    const auto r = pki_test::run_openssl(args);
    BOOST_REQUIRE_MESSAGE(r.ok(), "openssl " << args.front() << " failed: " << r.transcript());
  }
  return cert;
}

/// Requires exit status 2, nothing on stdout, and "pki: verify: ..." holding `fragment` on
/// stderr, followed by the usage line when `usage`.
void expect_refusal(const process_result& r, std::string_view fragment, bool usage = false) {
  BOOST_TEST(r.exit_status == 2, r.transcript());
  BOOST_TEST(r.out.empty(), r.transcript());
  const auto lines = lines_of(r.err);
  BOOST_REQUIRE_MESSAGE(!lines.empty(), r.transcript());
  BOOST_TEST(lines[0].starts_with("pki: verify: "), r.transcript());
  BOOST_TEST(contains(lines[0], fragment), "stderr lacks '" << fragment << "': " << r.err);
  BOOST_TEST(lines.size() == (usage ? 2U : 1U), r.transcript());
  if (usage && lines.size() == 2) BOOST_TEST(lines[1].starts_with("usage: pki verify --trust "), r.err);
}

/// A hierarchy the tool cannot make, since its CA refuses to issue beyond its own
/// validity: an intermediate valid in 2025 only, with a leaf valid from mid-2025 to 2027.
struct outliving_leaf {
  explicit outliving_leaf(const workspace& ws) {
    auto root_key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
    const auto root = value_of(pki::certificate_authority<pki::ecdsa_p256>::create_root(
        std::move(root_key), dn("CN=Outliving Root"), {at(2024, 1, 1), at(2034, 1, 1)}));
    auto inter_key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
    const auto inter = value_of(root.create_intermediate(value_of(inter_key.clone()), dn("CN=Short-Lived CA"),
                                                         {at(2025, 1, 1), at(2026, 1, 1)}));
    const auto leaf_key = value_of(pki::private_key<pki::ecdsa_p256>::generate());
    const auto leaf_spki = value_of(value_of(leaf_key.public_key()).to_der());
    const auto inter_spki = value_of(value_of(inter_key.public_key()).to_der());
    const auto cert =
        value_of(pki::certificate_builder()
                     .subject(dn("CN=outliving.example.test"))
                     .issuer(inter.certificate().subject())
                     .validity({at(2025, 6, 1), at(2027, 6, 1)})
                     .public_key(value_of(leaf_key.public_key()))
                     .add(pki::basic_constraints{})
                     .add(pki::key_usage{pki::key_usage_flag::digital_signature})
                     .add(pki::extended_key_usage::of({pki::extended_key_usage::server_auth}))
                     .add(pki::subject_alt_name{{value_of(pki::dns_name::create("outliving.example.test"))}})
                     .add(value_of(pki::subject_key_identifier::from_public_key_der(leaf_spki)))
                     .add(value_of(pki::authority_key_identifier::from_public_key_der(inter_spki)))
                     .sign(inter_key));
    root_path = ws.file("outliving-root.pem");
    inter_path = ws.file("short-lived-ca.pem");
    leaf_path = ws.file("outliving.pem");
    ws.write("outliving-root.pem", value_of(root.certificate().to_pem()));
    ws.write("short-lived-ca.pem", value_of(inter.certificate().to_pem()));
    ws.write("outliving.pem", value_of(cert.to_pem()));
  }
  [[nodiscard]] strings verify_at(const std::string& time) const {
    return {"verify", "--trust", root_path, "--untrusted", inter_path, "--at", time, leaf_path};
  }
  std::string root_path, inter_path, leaf_path;
};

/// root -> "Policy CA" -> leaf for policy.example.test, made with the OpenSSL CLI (the
/// tool's profiles write no policy extensions): the CA's extensions get `ca_extra` and the
/// leaf's `leaf_extra` (`openssl x509 -extfile` lines such as "certificatePolicies=1.2.3").
struct policy_chain {
  policy_chain(const workspace& ws, const std::string& tag, const std::string& ca_extra,
               const std::string& leaf_extra) {
    const auto make = [&](const std::string& name, const std::string& subject, const std::string& ext,
                          const std::string* issuer) {
      const auto key = ws.file(name + ".key");
      const auto csr = ws.file(name + ".csr");
      const auto cert = ws.file(name + ".pem");
      ws.write(name + ".ext", ext);
      strings sign{"x509", "-req", "-in", csr, "-days", "30", "-extfile", ws.file(name + ".ext"),
                   "-out", cert};
      if (issuer == nullptr) {
        sign.insert(sign.end(), {"-signkey", key});
      } else {
        sign.insert(sign.end(), {"-CA", ws.file(*issuer + ".pem"), "-CAkey", ws.file(*issuer + ".key")});
      }
      for (const auto& args :
           {strings{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key},
            strings{"req", "-new", "-key", key, "-subj", subject, "-out", csr}, sign}) {
        const auto r = pki_test::run_openssl(args);
        BOOST_REQUIRE_MESSAGE(r.ok(), "openssl " << args.front() << " failed: " << r.transcript());
      }
      return cert;
    };
    const std::string root_name = tag + "-root";
    const std::string ca_name = tag + "-ca";
    root = make(root_name, "/CN=Policy Root",
                "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
                "subjectKeyIdentifier=hash\n",
                nullptr);
    ca = make(ca_name, "/CN=Policy CA",
              "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
              "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n" +
                  ca_extra,
              &root_name);
    leaf = make(tag + "-leaf", "/CN=policy.example.test",
                "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:policy.example.test\n"
                "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n" +
                    leaf_extra,
                &ca_name);
  }
  [[nodiscard]] strings verify(const strings& extra = {}) const {
    strings args{"verify", "--trust", root, "--untrusted", ca};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(leaf);
    return args;
  }
  std::string root, ca, leaf;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(valid_paths)

BOOST_AUTO_TEST_CASE(prints_the_path_leaf_first_then_ok_and_exits_0) {
  const workspace ws;
  const chain c(ws);
  const strings subjects{"CN=www.example.test", "CN=Verify Test Issuing CA",
                         "CN=Verify Test Root,O=pki tests"};
  const auto out = expect_valid(ws.pki(c.verify({"--host", "www.example.test"})), subjects);
  BOOST_TEST(contains(out, "OK: TLS server authentication, host www.example.test, at "), out);
  // The host name matches without regard to case; an IP literal matches the iPAddress.
  expect_valid(ws.pki(c.verify({"--host", "WWW.Example.TEST"})), subjects);
  expect_valid(ws.pki(c.verify({"--host", "192.0.2.7"})), subjects);
  // Without --host the OK line says that no name was checked.
  const auto unnamed = expect_valid(ws.pki(c.verify()), subjects);
  BOOST_TEST(contains(unnamed, "OK: TLS server authentication, no host name checked, at "), unnamed);
  // --at is echoed in the OK line.
  const auto later = pki_test::iso_time(now() + std::chrono::days(30));
  BOOST_TEST(contains(expect_valid(ws.pki(c.verify({"--at", later, "--purpose", "server"})), subjects),
                      ", at " + later + "\n"));
}

BOOST_AUTO_TEST_CASE(finds_the_path_through_unordered_intermediates_and_bundles) {
  const workspace ws;
  const chain c(ws);
  // root -> inter (pathlen 1) -> sub -> leaf, with an unrelated CA's certificate mixed in.
  const deep_chain d(ws, c);
  const auto& [top, sub, leaf] = d;
  const auto stranger = ws.root("stranger", "CN=Stranger Root");
  const strings subjects{"CN=deep.example.test", "CN=Sub CA", "CN=Top CA", "CN=Verify Test Root,O=pki tests"};

  // Repeated --untrusted, the issuer closest to the root first.
  expect_valid(ws.pki({"verify", "--trust", c.root, "--untrusted", top, "--untrusted", stranger,
                       "--untrusted", sub, "--host", "deep.example.test", leaf}),
               subjects);
  // One bundle, in no useful order.
  ws.write("bag.pem", ws.read(stranger) + ws.read(top) + ws.read(c.inter) + ws.read(sub));
  expect_valid(ws.pki({"verify", "--trust", c.root, "--untrusted", ws.file("bag.pem"), leaf}), subjects);
  // CERT as a bundle: its first certificate is verified, the rest are intermediates.
  ws.write("fullchain.pem", ws.read(leaf) + ws.read(top) + ws.read(sub));
  expect_valid(ws.pki({"verify", "--trust", c.root, ws.file("fullchain.pem")}), subjects);
  // Without the intermediates there is no path.
  expect_invalid(ws.pki({"verify", "--trust", c.root, "--untrusted", sub, leaf}),
                 "certificate at depth 1 (CN=Sub CA): no path to a trust anchor");
}

BOOST_AUTO_TEST_CASE(trusts_a_directory_or_the_system_store) {
  const workspace ws;
  const chain c(ws);
  const strings subjects{"CN=www.example.test", "CN=Verify Test Issuing CA",
                         "CN=Verify Test Root,O=pki tests"};
  std::filesystem::create_directory(ws.file("anchors"));
  std::filesystem::copy_file(c.root, ws.file("anchors/root.pem"));
  std::filesystem::copy_file(ws.root("other", "CN=Other Root"), ws.file("anchors/other.pem"));
  ws.write("anchors/README", "not a certificate\n");
  expect_valid(ws.pki({"verify", "--trust", ws.file("anchors"), "--untrusted", c.inter, c.leaf}), subjects);

  // DER files, for the anchor and for the certificate.
  pki_test::write_file(ws.file("root.der"), certificate_in(ws, c.root).der());
  pki_test::write_file(ws.file("leaf.der"), certificate_in(ws, c.leaf).der());
  expect_valid(
      ws.pki({"verify", "--trust", ws.file("root.der"), "--untrusted", c.inter, ws.file("leaf.der")}),
      subjects);

  // "system" reads the bundle $SSL_CERT_FILE names, as OpenSSL does.
  expect_valid(ws.pki({"verify", "--trust", "system", "--untrusted", c.inter, c.leaf},
                      {"SSL_CERT_FILE=" + c.root, "SSL_CERT_DIR="}),
               subjects);
  expect_invalid(ws.pki({"verify", "--trust", "system", "--untrusted", c.inter, c.leaf},
                        {"SSL_CERT_FILE=" + ws.file("other.pem"), "SSL_CERT_DIR="}),
                 "certificate at depth 1 (CN=Verify Test Issuing CA): no path to a trust anchor");

  // A directory without the root.
  std::filesystem::create_directory(ws.file("others"));
  std::filesystem::copy_file(ws.file("other.pem"), ws.file("others/other.pem"));
  expect_invalid(ws.pki({"verify", "--trust", ws.file("others"), "--untrusted", c.inter, c.leaf}),
                 "no path to a trust anchor");
  // A directory with no certificate at all is unusable input.
  std::filesystem::create_directory(ws.file("empty"));
  expect_refusal(ws.pki({"verify", "--trust", ws.file("empty"), c.leaf}),
                 "no certificate in the trust store");
}

BOOST_AUTO_TEST_CASE(client_certificates_verify_for_the_client_purpose) {
  const workspace ws;
  const chain c(ws);
  const auto client =
      ws.issue("client.pem", c.inter, c.inter_key,
               ws.csr("client.csr", ws.key("client.key"), "CN=alice", {"--email", "alice@example.test"}),
               "tls-client", "30");
  const auto out = expect_valid(
      ws.pki({"verify", "--trust", c.root, "--untrusted", c.inter, "--purpose", "client", client}),
      {"CN=alice", "CN=Verify Test Issuing CA", "CN=Verify Test Root,O=pki tests"});
  BOOST_TEST(contains(out, "OK: TLS client authentication"), out);
  expect_invalid(ws.pki({"verify", "--trust", c.root, "--untrusted", c.inter, client}),
                 "certificate at depth 0 (CN=alice): key usage not allowed (extended key usage does not "
                 "include the required purpose)");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(invalid_paths)

BOOST_AUTO_TEST_CASE(an_expired_leaf_names_its_depth_and_date) {
  const workspace ws;
  const chain c(ws);
  const auto leaf = certificate_in(ws, c.leaf);
  const auto after = leaf.not_after() + std::chrono::days(1);
  expect_invalid(ws.pki(c.verify({"--at", pki_test::iso_time(after)})),
                 "certificate at depth 0 (CN=www.example.test): "
                 "certificate expired on " +
                     explained(leaf.not_after()));
  // The last second of the validity period still counts.
  expect_valid(ws.pki(c.verify({"--at", pki_test::iso_time(leaf.not_after())})),
               {"CN=www.example.test", "CN=Verify Test Issuing CA", "CN=Verify Test Root,O=pki tests"});
  // Before notBefore: not yet valid, with the date it starts.
  expect_invalid(ws.pki(c.verify({"--at", pki_test::iso_time(leaf.not_before() - 1h)})),
                 "certificate at depth 0 (CN=www.example.test): certificate not yet valid until " +
                     explained(leaf.not_before()));
}

BOOST_AUTO_TEST_CASE(an_expired_intermediate_names_depth_1_and_its_date) {
  const workspace ws;
  const outliving_leaf h(ws);
  expect_invalid(
      ws.pki(h.verify_at("2026-06-01T00:00:00Z")),
      "certificate at depth 1 (CN=Short-Lived CA): certificate expired on 2026-01-01 00:00:00 UTC");
  // The candidate path is printed leaf first.
  BOOST_TEST(contains(ws.pki(h.verify_at("2026-06-01T00:00:00Z")).out,
                      "candidate path 1: CN=outliving.example.test <- CN=Short-Lived CA\n"));
  // Every --at form: a date is midnight UTC, offsets are applied, notAfter itself is inside.
  const strings subjects{"CN=outliving.example.test", "CN=Short-Lived CA", "CN=Outliving Root"};
  expect_valid(ws.pki(h.verify_at("2025-12-01")), subjects);
  expect_valid(ws.pki(h.verify_at("2026-01-01")), subjects);
  expect_valid(ws.pki(h.verify_at("2026-01-01T01:59:59+02:00")), subjects);
  expect_valid(ws.pki(h.verify_at("2025-12-31T19:00-05:00")), subjects);
  expect_invalid(ws.pki(h.verify_at("2026-01-01T00:00:01Z")), "expired on 2026-01-01 00:00:00 UTC");
  expect_invalid(ws.pki(h.verify_at("2025-12-31T20:00:01-04:00")), "expired on 2026-01-01 00:00:00 UTC");
}

BOOST_AUTO_TEST_CASE(a_wrong_host_is_a_name_mismatch) {
  const workspace ws;
  const chain c(ws);
  for (const auto* host : {"www.example.org", "example.test", "a.www.example.test", "192.0.2.8", "::1"}) {
    BOOST_TEST_CONTEXT("--host " << host) {
      expect_invalid(ws.pki(c.verify({"--host", host})),
                     "certificate at depth 0 (CN=www.example.test): name mismatch");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_server_certificate_is_not_valid_for_a_client) {
  const workspace ws;
  const chain c(ws);
  expect_invalid(ws.pki(c.verify({"--purpose", "client"})),
                 "certificate at depth 0 (CN=www.example.test): key usage not allowed (extended key usage "
                 "does not include the required purpose)");
}

BOOST_AUTO_TEST_CASE(a_crl_that_lists_the_leaf_revokes_it) {
  const workspace ws;
  const chain c(ws);
  const auto serial = certificate_in(ws, c.leaf).serial_hex();
  const auto empty = ws.file("empty.crl");
  ws.pki_ok({"crl", "create", "--ca-cert", c.inter, "--ca-key", c.inter_key, "--days", "7", "--out", empty});
  const auto revoking = ws.file("revoking.crl");
  ws.pki_ok({"crl", "create", "--ca-cert", c.inter, "--ca-key", c.inter_key, "--revoke", "0x0102", "--revoke",
             serial, "--days", "7", "--out", revoking});
  const strings subjects{"CN=www.example.test", "CN=Verify Test Issuing CA",
                         "CN=Verify Test Root,O=pki tests"};
  expect_valid(ws.pki(c.verify({"--crl", empty})), subjects);
  const std::string reason = "certificate at depth 0 (CN=www.example.test): certificate revoked";
  expect_invalid(ws.pki(c.verify({"--crl", revoking})), reason);
  expect_invalid(ws.pki(c.verify({"--crl", empty, "--crl", revoking})), reason);
  // DER, and a PEM file holding several CRLs.
  const auto crl = value_of(pki::crl::from_pem(ws.read(revoking)));
  pki_test::write_file(ws.file("revoking.der"), crl.der());
  expect_invalid(ws.pki(c.verify({"--crl", ws.file("revoking.der")})), reason);
  ws.write("both.crl", ws.read(empty) + ws.read(revoking));
  expect_invalid(ws.pki(c.verify({"--crl", ws.file("both.crl")})), reason);
}

BOOST_AUTO_TEST_CASE(require_crl_wants_a_current_crl_for_every_certificate) {
  const workspace ws;
  const chain c(ws);
  const auto inter_crl = ws.file("inter.crl");
  ws.pki_ok(
      {"crl", "create", "--ca-cert", c.inter, "--ca-key", c.inter_key, "--days", "7", "--out", inter_crl});
  const auto root_crl = ws.file("root.crl");
  ws.pki_ok({"crl", "create", "--ca-cert", c.root, "--ca-key", c.root_key, "--days", "7", "--out", root_crl});
  const strings subjects{"CN=www.example.test", "CN=Verify Test Issuing CA",
                         "CN=Verify Test Root,O=pki tests"};
  // Without --require-crl a missing CRL is no objection; with it, each one is.
  expect_valid(ws.pki(c.verify({"--crl", inter_crl})), subjects);
  expect_valid(ws.pki(c.verify({"--require-crl", "--crl", inter_crl, "--crl", root_crl})), subjects);
  expect_invalid(ws.pki(c.verify({"--require-crl", "--crl", inter_crl})),
                 "certificate at depth 1 (CN=Verify Test Issuing CA): revocation status unknown");
  expect_invalid(ws.pki(c.verify({"--require-crl"})),
                 "certificate at depth 0 (CN=www.example.test): revocation status unknown");
  expect_invalid(
      ws.pki(c.verify({"--require-crl", "--purpose", "client", "--crl", inter_crl, "--crl", root_crl})),
      "key usage not allowed");
  const auto r = ws.pki(c.verify({"--require-crl=yes"}));
  BOOST_TEST(r.exit_status == 2, r.transcript());
}

BOOST_AUTO_TEST_CASE(max_depth_limits_the_intermediates) {
  const workspace ws;
  const chain c(ws);
  const deep_chain d(ws, c);
  const auto& [top, sub, leaf] = d;
  const auto verify = [&](std::string_view depth) {
    return ws.pki({"verify", "--trust", c.root, "--untrusted", sub, "--untrusted", top, "--max-depth",
                   std::string(depth), leaf});
  };
  expect_valid(verify("2"),
               {"CN=deep.example.test", "CN=Sub CA", "CN=Top CA", "CN=Verify Test Root,O=pki tests"});
  expect_invalid(verify("1"),
                 "a valid path exists, but through 2 intermediate certificates, more than "
                 "--max-depth 1 allows");
  expect_invalid(verify("0"), "more than --max-depth 0 allows");
  // The same leaf's own chain has one intermediate.
  expect_valid(ws.pki(c.verify({"--max-depth", "1"})),
               {"CN=www.example.test", "CN=Verify Test Issuing CA", "CN=Verify Test Root,O=pki tests"});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(unparsable_certificates)

/// Requires exit status 1 with the one-line verdict that CERT's key (`algorithm`) is not
/// supported, on stdout for the certificate at depth 0 and on stderr for `cert`.
void expect_unsupported_key(const process_result& r, const std::string& cert, std::string_view subject,
                            std::string_view algorithm) {
  const std::string reason =
      "the certificate's key (" + std::string(algorithm) + ") is not supported by this build";
  BOOST_TEST(r.exit_status == 1, r.transcript());
  BOOST_TEST(r.out == "certificate at depth 0 (" + std::string(subject) + "): " + reason + "\n",
             r.transcript());
  BOOST_TEST(r.err == "pki: verify: '" + cert + "' is not valid: " + reason + "\n", r.transcript());
}

const strings chain_subjects{"CN=www.example.test", "CN=Verify Test Issuing CA",
                             "CN=Verify Test Root,O=pki tests"};

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_that_does_not_parse_is_skipped_with_a_line) {
  const workspace ws;
  const chain c(ws);
  ws.write("garbage.pem", garbage_block());
  const auto garbage = ws.file("garbage.pem");
  expect_valid(ws.pki({"verify", "--trust", c.root, "--untrusted", garbage, "--untrusted", c.inter, c.leaf}),
               chain_subjects, {skip_line(1, garbage, garbage_reason)});
  // In one bundle, before and after the intermediate: each line names its block.
  ws.write("bag.pem", garbage_block() + ws.read(c.inter) + garbage_block());
  const auto bag = ws.file("bag.pem");
  expect_valid(ws.pki({"verify", "--trust", c.root, "--untrusted", bag, c.leaf}), chain_subjects,
               {skip_line(1, bag, garbage_reason), skip_line(3, bag, garbage_reason)});
  // A well-formed certificate with a key this build cannot read is skipped too, its key named.
  const auto ed =
      openssl_leaf(ws, "ed25519", {"-algorithm", "ed25519"}, "ed.example.test", c.inter, c.inter_key);
  expect_valid(ws.pki({"verify", "--trust", c.root, "--untrusted", ed, "--untrusted", c.inter, c.leaf}),
               chain_subjects,
               {skip_line(1, ed, "the certificate's key (Ed25519) is not supported by this build")});
}

BOOST_AUTO_TEST_CASE(a_certificate_after_the_leaf_in_cert_that_does_not_parse_is_skipped) {
  const workspace ws;
  const chain c(ws);
  ws.write("fullchain.pem", ws.read(c.leaf) + garbage_block() + ws.read(c.inter));
  const auto fullchain = ws.file("fullchain.pem");
  expect_valid(ws.pki({"verify", "--trust", c.root, fullchain}), chain_subjects,
               {skip_line(2, fullchain, garbage_reason)});
  ws.write("leaf-and-garbage.pem", ws.read(c.leaf) + garbage_block());
  const auto leaf_and_garbage = ws.file("leaf-and-garbage.pem");
  expect_valid(ws.pki({"verify", "--trust", c.root, "--untrusted", c.inter, leaf_and_garbage}),
               chain_subjects, {skip_line(2, leaf_and_garbage, garbage_reason)});
}

BOOST_AUTO_TEST_CASE(an_unparsable_intermediate_the_path_needs_leaves_no_path) {
  const workspace ws;
  const chain c(ws);
  // The intermediate's DER one byte short.
  const auto inter = certificate_in(ws, c.inter);
  const pki::byte_buffer cut(inter.der().begin(), inter.der().end() - 1);
  ws.write("cut-inter.pem", value_of(pki::pem::encode("CERTIFICATE", cut)));
  const auto cut_inter = ws.file("cut-inter.pem");
  expect_invalid(ws.pki({"verify", "--trust", c.root, "--untrusted", cut_inter, c.leaf}),
                 "certificate at depth 0 (CN=www.example.test): no path to a trust anchor",
                 {skip_line(1, cut_inter, garbage_reason)});
}

BOOST_AUTO_TEST_CASE(a_leaf_with_a_key_this_build_does_not_support_is_not_valid) {
  const workspace ws;
  const chain c(ws);
  const auto ed =
      openssl_leaf(ws, "ed25519", {"-algorithm", "ed25519"}, "ed.example.test", c.inter, c.inter_key);
  const auto k1 =
      openssl_leaf(ws, "secp256k1", {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"},
                   "k1.example.test", c.inter, c.inter_key);
  // OpenSSL verifies both: they are well-formed, only this build cannot read their keys.
  for (const auto& cert : {ed, k1}) {
    const auto r = pki_test::run_openssl({"verify", "-CAfile", c.root, "-untrusted", c.inter, cert});
    BOOST_TEST(r.ok(), r.transcript());
  }
  expect_unsupported_key(ws.pki({"verify", "--trust", c.root, "--untrusted", c.inter, ed}), ed,
                         "CN=ed.example.test", "Ed25519");
  expect_unsupported_key(ws.pki({"verify", "--trust", c.root, "--untrusted", c.inter, k1}), k1,
                         "CN=k1.example.test", "EC secp256k1");
  // As DER, and first in a bundle with its issuer.
  const auto ed_der = ws.file("ed25519.der");
  pki_test::write_file(ed_der, value_of(pki::pem::decode(ws.read(ed), "CERTIFICATE")));
  expect_unsupported_key(ws.pki({"verify", "--trust", c.root, "--untrusted", c.inter, ed_der}), ed_der,
                         "CN=ed.example.test", "Ed25519");
  ws.write("ed-chain.pem", ws.read(ed) + ws.read(c.inter));
  expect_unsupported_key(ws.pki({"verify", "--trust", c.root, ws.file("ed-chain.pem")}),
                         ws.file("ed-chain.pem"), "CN=ed.example.test", "Ed25519");
}

BOOST_AUTO_TEST_CASE(a_cert_that_is_no_certificate_is_still_bad_input) {
  const workspace ws;
  const chain c(ws);
  ws.write("garbage.pem", garbage_block());
  const auto garbage = ws.file("garbage.pem");
  expect_refusal(ws.pki({"verify", "--trust", c.root, garbage}),
                 "'" + garbage + "': " + std::string(garbage_reason));
  // Not even after a good intermediate in the same bundle.
  ws.write("garbage-chain.pem", garbage_block() + ws.read(c.inter));
  expect_refusal(ws.pki({"verify", "--trust", c.root, ws.file("garbage-chain.pem")}), garbage_reason);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(usage)

BOOST_AUTO_TEST_CASE(help_describes_every_option_and_exits_0) {
  const workspace ws;
  for (const auto* flag : {"--help", "-h"}) {
    const auto out = ws.pki_ok({"verify", flag});
    BOOST_TEST(out.starts_with("usage: pki verify --trust FILE|DIR|system [--untrusted FILE]... "
                               "[--host NAME|IP] [--purpose server|client] [--at TIME] [--crl FILE]... "
                               "[--require-crl] [--max-depth N] [--policy OID]... [--explicit-policy] "
                               "[--inhibit-policy-mapping] [--inhibit-any-policy] CERT\n"),
               out);
    for (const auto* option :
         {"--trust", "--untrusted", "--host", "--purpose", "--at", "--crl", "--require-crl", "--max-depth",
          "--policy", "--explicit-policy", "--inhibit-policy-mapping", "--inhibit-any-policy",
          "the user-constrained policy set", "--help", "exit status: 0 success, 1 negative verdict",
          "(blocks that do not parse are skipped)", "(every certificate must parse)",
          "a CERT key this build does not support"}) {
      BOOST_TEST(contains(out, option), option << " missing from\n" << out);
    }
  }
  // --help wins over everything else on the line.
  BOOST_TEST(ws.pki_ok({"verify", "--bogus", "--help"}).starts_with("usage: pki verify "));
  const auto overview = ws.pki_ok({"--help"});
  BOOST_TEST(
      contains(overview, "  pki verify              validate a certificate's path to a trust anchor\n"),
      overview);
}

BOOST_AUTO_TEST_CASE(refuses_bad_options_with_exit_2_and_the_usage_line) {
  const workspace ws;
  const chain c(ws);
  expect_refusal(ws.pki({"verify"}), "missing required option --trust", true);
  expect_refusal(ws.pki({"verify", "--trust", c.root}), "missing CERT argument", true);
  expect_refusal(ws.pki({"verify", "--trust", c.root, c.leaf, c.inter}), "unexpected argument", true);
  expect_refusal(ws.pki(c.verify({"--colour"})), "unknown option '--colour'", true);
  expect_refusal(ws.pki(c.verify({"--trust", c.root})), "option --trust given twice", true);
  expect_refusal(ws.pki({"verify", "--trust", c.root, "--host"}), "option --host needs a value", true);
  expect_refusal(ws.pki(c.verify({"--purpose", "email"})), "unknown --purpose 'email' (server or client)",
                 true);
  for (const auto* time : {"tomorrow", "2026-01-01T00:00:00", "2026-02-30", "2026-01-01T24:00:00Z",
                           "1767225600", "2026-01-01T00:00:00+2"}) {
    BOOST_TEST_CONTEXT("--at " << time) {
      expect_refusal(ws.pki(c.verify({"--at", time})), "--at '" + std::string(time) + "'", true);
    }
  }
  for (const auto* depth : {"-1", "x", "65"}) {
    BOOST_TEST_CONTEXT("--max-depth " << depth) {
      expect_refusal(ws.pki(c.verify({"--max-depth", depth})),
                     "--max-depth must be a whole number from 0 to 64", true);
    }
  }
  for (const auto* host : {"h\xC3\xB6st.example", "exa mple.test", "-www.example.test", "www..example.test",
                           "*.example.test", "www.example.test/"}) {
    BOOST_TEST_CONTEXT("--host " << host) {
      expect_refusal(ws.pki(c.verify({"--host", host})),
                     "--host '" + std::string(host) + "' is neither an IP address nor a host name", true);
    }
  }
  // A trailing dot is the same host.
  expect_valid(ws.pki(c.verify({"--host", "www.example.test."})),
               {"CN=www.example.test", "CN=Verify Test Issuing CA", "CN=Verify Test Root,O=pki tests"});
}

BOOST_AUTO_TEST_CASE(refuses_unreadable_and_invalid_files_with_exit_2) {
  const workspace ws;
  const chain c(ws);
  const auto missing = ws.file("missing.pem");
  expect_refusal(ws.pki({"verify", "--trust", c.root, missing}), "cannot read '" + missing + "'");
  expect_refusal(ws.pki({"verify", "--trust", missing, c.leaf}), "cannot read '" + missing + "'");
  expect_refusal(ws.pki(c.verify({"--untrusted", missing})), "cannot read '" + missing + "'");
  expect_refusal(ws.pki(c.verify({"--crl", missing})), "cannot read '" + missing + "'");
  ws.write("garbage.pem", "not a certificate\n");
  expect_refusal(ws.pki({"verify", "--trust", c.root, ws.file("garbage.pem")}), "malformed input");
  expect_refusal(ws.pki(c.verify({"--crl", c.root})), "holds no X509 CRL block");
  expect_refusal(ws.pki(c.verify({"--crl", ws.file("garbage.pem")})), "malformed input");
  // A key is not a trust anchor.
  expect_refusal(ws.pki({"verify", "--trust", c.inter_key, c.leaf}), "no CERTIFICATE block");
  // Nor is an --untrusted file that is no certificate file skipped.
  expect_refusal(ws.pki(c.verify({"--untrusted", ws.file("garbage.pem")})),
                 "'" + ws.file("garbage.pem") + "': malformed input");
  expect_refusal(ws.pki(c.verify({"--untrusted", c.inter_key})),
                 "'" + c.inter_key + "' holds no CERTIFICATE block");
  // --trust is strict: one anchor that does not parse refuses the whole file.
  ws.write("root-and-garbage.pem", ws.read(c.root) + garbage_block());
  expect_refusal(
      ws.pki({"verify", "--trust", ws.file("root-and-garbage.pem"), "--untrusted", c.inter, c.leaf}),
      "'" + ws.file("root-and-garbage.pem") + "': " + std::string(garbage_reason));
  expect_refusal(
      ws.pki({"verify", "--trust", "system", c.leaf}, {"SSL_CERT_FILE=" + missing, "SSL_CERT_DIR="}),
      "--trust system");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(certificate_policies)

const std::string p1 = "1.3.6.1.4.1.55555.1.1";
const std::string p2 = "1.3.6.1.4.1.55555.1.2";
const std::string q1 = "1.3.6.1.4.1.55555.2.1";

BOOST_AUTO_TEST_CASE(an_explicit_policy_met_prints_the_user_constrained_set) {
  const workspace ws;
  const policy_chain c(ws, "met", "certificatePolicies=" + p1 + "," + p2 + "\n",
                       "certificatePolicies=" + p1 + "," + p2 + "\n");
  const strings subjects{"CN=policy.example.test", "CN=Policy CA", "CN=Policy Root"};
  // No policy option: the path is printed as ever, without a policies line.
  expect_valid(ws.pki(c.verify()), subjects);
  const auto r = ws.pki(c.verify({"--policy", p2, "--policy", "1.3.6.1.4.1.55555.9", "--explicit-policy"}));
  BOOST_TEST(r.exit_status == 0, r.transcript());
  const auto lines = lines_of(r.out);
  BOOST_REQUIRE_MESSAGE(lines.size() == 5U, r.transcript());
  BOOST_TEST(lines[3].starts_with("OK: "));
  BOOST_TEST(lines[4] == "policies: " + p2);
  // --explicit-policy alone (any policy acceptable): both of the path's.
  const auto any = ws.pki(c.verify({"--explicit-policy"}));
  BOOST_TEST(lines_of(any.out).back() == "policies: " + p1 + ", " + p2, any.transcript());
}

BOOST_AUTO_TEST_CASE(an_explicit_policy_not_met_is_not_valid) {
  const workspace ws;
  const policy_chain c(ws, "unmet", "certificatePolicies=" + p1 + "\n", "certificatePolicies=" + p1 + "\n");
  expect_invalid(ws.pki(c.verify({"--policy", p2, "--explicit-policy"})), "no acceptable certificate policy");
  // Not explicit: valid, for no acceptable policy.
  const auto r = ws.pki(c.verify({"--policy", p2}));
  BOOST_TEST(r.exit_status == 0, r.transcript());
  BOOST_TEST(lines_of(r.out).back() == "policies: none", r.transcript());
}

BOOST_AUTO_TEST_CASE(inhibit_policy_mapping_refuses_a_mapped_path) {
  const workspace ws;
  const policy_chain c(ws, "mapped",
                       "certificatePolicies=" + p1 + "\npolicyMappings=critical," + p1 + ":" + q1 + "\n",
                       "certificatePolicies=" + q1 + "\n");
  const auto r = ws.pki(c.verify({"--policy", p1, "--explicit-policy"}));
  BOOST_TEST(r.exit_status == 0, r.transcript());
  BOOST_TEST(lines_of(r.out).back() == "policies: " + p1, r.transcript());
  expect_invalid(ws.pki(c.verify({"--policy", p1, "--explicit-policy", "--inhibit-policy-mapping"})),
                 "certificate at depth 1 (CN=Policy CA): no acceptable certificate policy");
}

BOOST_AUTO_TEST_CASE(inhibit_any_policy_makes_any_policy_match_nothing) {
  const workspace ws;
  const policy_chain c(ws, "any", "certificatePolicies=2.5.29.32.0\n", "certificatePolicies=" + p1 + "\n");
  const auto r = ws.pki(c.verify({"--explicit-policy"}));
  BOOST_TEST(r.exit_status == 0, r.transcript());
  BOOST_TEST(lines_of(r.out).back() == "policies: " + p1, r.transcript());
  expect_invalid(ws.pki(c.verify({"--explicit-policy", "--inhibit-any-policy"})),
                 "certificate at depth 1 (CN=Policy CA): no acceptable certificate policy");
}

BOOST_AUTO_TEST_CASE(a_policy_that_is_no_oid_is_bad_usage) {
  const workspace ws;
  const chain c(ws);
  expect_refusal(ws.pki(c.verify({"--policy", "not.an.oid"})), "--policy 'not.an.oid' is not an OID", true);
}

BOOST_AUTO_TEST_SUITE_END()
