// Real TLS clients that nobody on the team wrote, against the HTTPS example server
// (examples/https/server.cpp on pki::tls): curl (OpenSSL), gnutls-cli (GnuTLS), Python's ssl
// module (OpenSSL, tests/interop/python_tls_client.py) and headless Chromium (BoringSSL),
// in TLS 1.2 and 1.3. Each must get the page, with the body the server writes and the
// version pinned, and the server must log the connection in that version; the first three
// also with client certificates (mutual TLS). And each must be refused, or refuse, where
// it should: no client certificate for a server that requires one, a server certificate
// under a root the client does not trust, or for another name than the client expects.
// .ci/install-tls-clients.sh installs the clients.
//
// Every program runs as a pki_test::background_process with a time limit, so a hung
// client fails its case instead of the whole run; nothing outlives its case.

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "support/expect.hpp"
#include "support/https_server.hpp"
#include "support/pki_tool.hpp"
#include "support/process.hpp"

#ifndef PKI_CURL_EXECUTABLE
#error "PKI_CURL_EXECUTABLE and the other clients' paths come from tests/interop/clients.cmake"
#endif

namespace {

using namespace std::chrono_literals;
using pki_test::background_process;
using pki_test::contains;
using pki_test::https_credentials;
using pki_test::https_server;
using pki_test::process_result;
using strings = std::vector<std::string>;

/// How long a client may run. One that works takes well under a second (Chromium about
/// one); this only bounds how long a broken one hangs. Each client also has a shorter
/// limit of its own (curl --max-time, timeout(1) around Chromium), so that it is the
/// client that gives up, with a message, rather than this one killing it.
constexpr auto run_limit = 60s;
constexpr std::string_view client_limit_seconds = "30";

/// A TLS version as each program names it.
struct tls_version {
  std::string server;       ///< https-server --version, python_tls_client.py --version
  std::string name;         ///< in https-server's log, curl -v and Python's ssock.version()
  std::string curl;         ///< curl's options pinning it
  std::string gnutls;       ///< gnutls-cli --priority pinning it
  std::string gnutls_name;  ///< gnutls-cli --verbose: "- Version: TLS1.3"
};
const tls_version tls1_2{"tls1.2", "TLSv1.2", "1.2", "NORMAL:-VERS-ALL:+VERS-TLS1.2", "TLS1.2"};
const tls_version tls1_3{"tls1.3", "TLSv1.3", "1.3", "NORMAL:-VERS-ALL:+VERS-TLS1.3", "TLS1.3"};

/// Runs a program to its end, within run_limit, with `input` on its standard input.
process_result run(const std::string& program, const strings& args, std::string_view input = {}) {
  background_process p(program, args, input);
  return p.wait(run_limit);
}

/// What the server answers to GET `path`, as far as the client can check it: the greeting
/// and the path (and the client's subject, under mutual TLS).
void expect_greeting(std::string_view text, std::string_view path, bool client_certificate,
                     std::string_view prefix = {}) {
  const std::string p(prefix);
  BOOST_TEST(contains(text, p + "hello from pki https-server\n"), text);
  BOOST_TEST(contains(text, p + "path: " + std::string(path) + "\n"), text);
  BOOST_TEST(contains(text, p + "client: CN=interop-client\n") == client_certificate, text);
}

/// The server's log, once stopped, has exactly `n` connections in `version` that served
/// a request, and no failed handshake.
void expect_served(https_server& server, const tls_version& version, std::size_t n = 1) {
  const auto log = server.stop();
  BOOST_TEST(pki_test::served_connections(log.out, version.name) == n, log.out);
  BOOST_TEST(!contains(log.out, "handshake failed"), log.out);
}

/// The server's log, once stopped, shows that the client connected and got no request
/// served: the client refused the server (in the handshake or, as curl checks the host
/// name, just after it) or, with a `reason`, the server refused the handshake.
void expect_nothing_served(https_server& server, std::string_view reason = {}) {
  const auto log = server.stop();
  BOOST_TEST(contains(log.out, "\nconnection 1: "), log.out);
  if (!reason.empty()) BOOST_TEST(contains(log.out, "handshake failed: " + std::string(reason)), log.out);
  BOOST_TEST(pki_test::served_connections(log.out, "TLSv1.2") == 0U, log.out);
  BOOST_TEST(pki_test::served_connections(log.out, "TLSv1.3") == 0U, log.out);
}

// --- curl (OpenSSL) ------------------------------------------------------------------

/// curl -v fetching https://localhost:PORT`path`, the server's chain checked against the
/// root, pinned to `version`; with its status and HTTP version written after the body.
process_result curl(const https_credentials& files, const https_server& server, const tls_version& version,
                    std::string_view path, const strings& extra = {}, std::string_view host = "localhost") {
  strings args{"-sS",
               "-v",
               "--max-time",
               std::string(client_limit_seconds),
               "--cacert",
               files["root.pem"],
               "--tlsv" + version.curl,
               "--tls-max",
               version.curl,
               "-w",
               "\nstatus: %{http_code}; http: %{http_version}\n"};
  // Any host name resolves to the server, so that it is the certificate that decides.
  args.insert(args.end(), {"--resolve", std::string(host) + ":" + server.port() + ":127.0.0.1"});
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("https://" + std::string(host) + ":" + server.port() + std::string(path));
  return run(PKI_CURL_EXECUTABLE, args);
}

strings curl_client_certificate(const https_credentials& files) {
  return {"--cert", files["client.pem"], "--key", files["client.key"]};
}

void curl_fetches(const tls_version& version, bool mutual) {
  const https_credentials files;
  https_server server(https_server::options(files, mutual));
  const std::string path = "/curl/" + version.server;
  const auto r = curl(files, server, version, path, mutual ? curl_client_certificate(files) : strings{});
  BOOST_REQUIRE_MESSAGE(r.ok(), r.transcript() << "\nhttps-server:\n" << server.log());
  BOOST_TEST(contains(r.out, "\nstatus: 200; http: 1.1\n"), r.out);
  expect_greeting(r.out, path, mutual);
  BOOST_TEST(contains(r.err, "SSL connection using " + version.name + " / "), r.err);
  expect_served(server, version);
}

// Without a certificate the server ends the handshake. In TLS 1.2 curl gets its alert
// (exit 35, "alert handshake failure"); in TLS 1.3 the client has finished its side of
// the handshake by then, and mbedTLS seals the alert with keys curl no longer reads with
// (Mbed-TLS/mbedtls#10877), so curl fails reading the response (exit 56, bad record mac).
void curl_without_certificate_is_refused(const tls_version& version, int curl_exit) {
  const https_credentials files;
  https_server server(https_server::options(files, true));
  const auto r = curl(files, server, version, "/curl/no-certificate");
  BOOST_TEST(r.exit_status == curl_exit, r.transcript());
  BOOST_TEST(!contains(r.out, "hello from pki https-server"), r.out);
  expect_nothing_served(server, "peer certificate required");
}

// --- gnutls-cli (GnuTLS) ---------------------------------------------------------------

/// A request for `path` that asks the server to close the connection after answering,
/// which is when gnutls-cli ends.
std::string request(std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
}

/// gnutls-cli --verbose to localhost:PORT, sending a GET for `path` on standard input.
process_result gnutls_cli(const https_credentials& files, const https_server& server,
                          const tls_version& version, std::string_view path, bool client_certificate,
                          const strings& extra = {}) {
  strings args{"--verbose",       "--priority", version.gnutls, "--x509cafile",
               files["root.pem"], "-p",         server.port()};
  if (client_certificate) {
    args.insert(args.end(), {"--x509certfile", files["client.pem"], "--x509keyfile", files["client.key"]});
  }
  args.insert(args.end(), extra.begin(), extra.end());
  args.emplace_back("localhost");
  return run(PKI_GNUTLS_CLI_EXECUTABLE, args, request(path));
}

void gnutls_cli_fetches(const tls_version& version, bool mutual) {
  const https_credentials files;
  https_server server(https_server::options(files, mutual));
  const std::string path = "/gnutls/" + version.server;
  const auto r = gnutls_cli(files, server, version, path, mutual);
  BOOST_REQUIRE_MESSAGE(r.ok(), r.transcript() << "\nhttps-server:\n" << server.log());
  BOOST_TEST(contains(r.out, "- Status: The certificate is trusted."), r.out);
  BOOST_TEST(contains(r.out, "- Version: " + version.gnutls_name + "\n"), r.out);
  BOOST_TEST(contains(r.out, "- Handshake was completed"), r.out);
  BOOST_TEST(contains(r.out, "HTTP/1.1 200 OK\r\n"), r.out);
  expect_greeting(r.out, path, mutual);
  // It sends a certificate only to a server that asks for one.
  BOOST_TEST(contains(r.out, "- Successfully sent 1 certificate(s) to server.") == mutual, r.out);
  expect_served(server, version);
}

// As for curl: in TLS 1.2 gnutls-cli receives the alert; in TLS 1.3 it has completed the
// handshake and cannot decrypt what comes next (mbedtls#10877).
void gnutls_cli_without_certificate_is_refused(const tls_version& version, std::string_view seen) {
  const https_credentials files;
  https_server server(https_server::options(files, true));
  const auto r = gnutls_cli(files, server, version, "/gnutls/no-certificate", false);
  BOOST_TEST(r.exit_status == 1, r.transcript());
  BOOST_TEST(contains(r.out + r.err, seen), r.transcript());
  BOOST_TEST(!contains(r.out, "HTTP/1.1 200"), r.out);
  expect_nothing_served(server, "peer certificate required");
}

// --- Python's ssl module (OpenSSL) --------------------------------------------------------

/// python_tls_client.py fetching `path` from the server, expecting the certificate for
/// `server_name`, pinned to `version`.
process_result python(const https_credentials& files, const https_server& server, const tls_version& version,
                      std::string_view path, bool client_certificate, const std::string& cafile,
                      std::string_view server_name = "localhost") {
  strings args{PKI_PYTHON_TLS_CLIENT,    "--connect", server.address(), "--cafile", cafile, "--server-name",
               std::string(server_name), "--version", version.server};
  if (client_certificate)
    args.insert(args.end(), {"--cert", files["client.pem"], "--key", files["client.key"]});
  args.emplace_back(path);
  return run(PKI_PYTHON_EXECUTABLE, args);
}

void python_fetches(const tls_version& version, bool mutual) {
  const https_credentials files;
  https_server server(https_server::options(files, mutual));
  const std::string path = "/python/" + version.server;
  const auto r = python(files, server, version, path, mutual, files["root.pem"]);
  BOOST_REQUIRE_MESSAGE(r.ok(), r.transcript() << "\nhttps-server:\n" << server.log());
  BOOST_TEST(contains(r.out, "version: " + version.name + "\n"), r.out);
  BOOST_TEST(contains(r.out, "status: 200\n"), r.out);
  expect_greeting(r.out, path, mutual, "body: ");
  expect_served(server, version);
}

// TLS 1.2: the server's alert; TLS 1.3: the handshake completes on the client's side, then
// reading fails (mbedtls#10877), so the version is printed before the error.
void python_without_certificate_is_refused(const tls_version& version, std::string_view seen) {
  const https_credentials files;
  https_server server(https_server::options(files, true));
  const auto r = python(files, server, version, "/python/no-certificate", false, files["root.pem"]);
  BOOST_TEST(r.exit_status == 1, r.transcript());
  BOOST_TEST(contains(r.out, "error: SSLError: " + std::string(seen)), r.out);
  BOOST_TEST(!contains(r.out, "status: "), r.out);
  expect_nothing_served(server, "peer certificate required");
}

// --- headless Chromium (BoringSSL) --------------------------------------------------------

/// A home directory of Chromium's own, so that the real one is untouched, whose NSS
/// database trusts the test root for TLS servers, and an empty profile directory.
class chromium_home {
 public:
  explicit chromium_home(const https_credentials& files) {
    std::filesystem::create_directories(nssdb());
    std::filesystem::create_directories(profile());
    const auto db = "sql:" + nssdb();
    const auto created = pki_test::run_program(PKI_CERTUTIL_EXECUTABLE, {"-N", "-d", db, "--empty-password"});
    BOOST_REQUIRE_MESSAGE(created.ok(), "certutil -N: " << created.transcript());
    const auto added = pki_test::run_program(
        PKI_CERTUTIL_EXECUTABLE, {"-A", "-d", db, "-t", "C,,", "-n", "pki-test", "-i", files["root.pem"]});
    BOOST_REQUIRE_MESSAGE(added.ok(), "certutil -A: " << added.transcript());
    const auto listed = pki_test::run_program(PKI_CERTUTIL_EXECUTABLE, {"-L", "-d", db});
    BOOST_REQUIRE_MESSAGE(listed.ok() && contains(listed.out, "pki-test"),
                          "certutil -L: " << listed.transcript());
  }

  /// Chromium's DOM of https://localhost:PORT`path` (or its error page's), on stdout.
  /// timeout(1) runs it so that on a hang every process of its group is stopped, not
  /// only the first.
  [[nodiscard]] process_result dump_dom(const https_server& server, std::string_view path) const {
    const strings args{"--kill-after=5",
                       std::string(client_limit_seconds),
                       PKI_CHROMIUM_EXECUTABLE,
                       "--headless",
                       "--no-sandbox",  // the tests run as root, where the sandbox refuses to start
                       "--disable-gpu",
                       "--disable-quic",
                       "--no-first-run",
                       "--disable-background-networking",
                       "--disable-component-update",
                       "--disable-sync",
                       "--disable-crash-reporter",
                       "--user-data-dir=" + profile(),
                       "--dump-dom",
                       "https://localhost:" + server.port() + std::string(path)};
    return pki_test::run_program(PKI_TIMEOUT_EXECUTABLE, args, {"HOME=" + home_.path().string()});
  }

 private:
  [[nodiscard]] std::string nssdb() const { return home_.file(".pki/nssdb"); }
  [[nodiscard]] std::string profile() const { return home_.file("profile"); }

  pki_test::temp_dir home_;
};

void chromium_loads_a_page(const tls_version& version) {
  const https_credentials files;
  const chromium_home chromium(files);
  // The server pins the version: Chromium has no switch for it.
  https_server server(https_server::options(files, false, version.server));
  const std::string path = "/chromium/" + version.server;
  const auto r = chromium.dump_dom(server, path);
  BOOST_REQUIRE_MESSAGE(r.ok(), r.transcript() << "\nhttps-server:\n" << server.log());
  // The body, as Chromium lays out a text/plain page: in a <pre>.
  BOOST_TEST(contains(r.out, "<pre"), r.out);
  expect_greeting(r.out, path, false);
  // Chromium may open a second connection it never uses (a preconnect): at least the one.
  const auto log = server.stop();
  BOOST_TEST(pki_test::served_connections(log.out, version.name) >= 1U, log.out);
  BOOST_TEST(!contains(log.out, "handshake failed"), log.out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(curl_openssl)

BOOST_AUTO_TEST_CASE(curl_fetches_a_page_tls1_2) {
  curl_fetches(tls1_2, false);
}
BOOST_AUTO_TEST_CASE(curl_fetches_a_page_tls1_3) {
  curl_fetches(tls1_3, false);
}
BOOST_AUTO_TEST_CASE(curl_presents_a_client_certificate_tls1_2) {
  curl_fetches(tls1_2, true);
}
BOOST_AUTO_TEST_CASE(curl_presents_a_client_certificate_tls1_3) {
  curl_fetches(tls1_3, true);
}
BOOST_AUTO_TEST_CASE(curl_without_a_certificate_is_refused_tls1_2) {
  curl_without_certificate_is_refused(tls1_2, 35);
}
BOOST_AUTO_TEST_CASE(curl_without_a_certificate_is_refused_tls1_3) {
  curl_without_certificate_is_refused(tls1_3, 56);
}

// curl exit 60: the peer's certificate failed verification.
BOOST_AUTO_TEST_CASE(curl_refuses_a_server_under_an_untrusted_root) {
  const https_credentials files;
  https_server server(https_server::options(files, false, {}, "rogue-server"));
  const auto r = curl(files, server, tls1_3, "/curl/rogue");
  BOOST_TEST(r.exit_status == 60, r.transcript());
  BOOST_TEST(contains(r.err, "unable to get local issuer certificate"), r.err);
  BOOST_TEST(!contains(r.out, "hello from pki https-server"), r.out);
  expect_nothing_served(server);
}

BOOST_AUTO_TEST_CASE(curl_refuses_a_server_certificate_for_another_name) {
  const https_credentials files;
  https_server server(https_server::options(files, false));
  const auto r = curl(files, server, tls1_2, "/curl/other-name", {}, "other.example");
  BOOST_TEST(r.exit_status == 60, r.transcript());
  BOOST_TEST(
      contains(r.err, "no alternative certificate subject name matches target host name 'other.example'"),
      r.err);
  BOOST_TEST(!contains(r.out, "hello from pki https-server"), r.out);
  expect_nothing_served(server);
}

// The version check above can fail: a client pinned to TLS 1.3 gets nothing from a
// server pinned to TLS 1.2 (curl exit 35: the handshake failed).
BOOST_AUTO_TEST_CASE(curl_and_the_server_pinned_to_different_versions_do_not_connect) {
  const https_credentials files;
  https_server server(https_server::options(files, false, "tls1.2"));
  const auto r = curl(files, server, tls1_3, "/curl/version");
  BOOST_TEST(r.exit_status == 35, r.transcript());
  BOOST_TEST(!contains(r.out, "hello from pki https-server"), r.out);
  const auto log = server.stop();
  BOOST_TEST(contains(log.out, "connection 1: handshake failed: "), log.out);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(gnutls_cli_gnutls)

BOOST_AUTO_TEST_CASE(gnutls_cli_fetches_a_page_tls1_2) {
  gnutls_cli_fetches(tls1_2, false);
}
BOOST_AUTO_TEST_CASE(gnutls_cli_fetches_a_page_tls1_3) {
  gnutls_cli_fetches(tls1_3, false);
}
BOOST_AUTO_TEST_CASE(gnutls_cli_presents_a_client_certificate_tls1_2) {
  gnutls_cli_fetches(tls1_2, true);
}
BOOST_AUTO_TEST_CASE(gnutls_cli_presents_a_client_certificate_tls1_3) {
  gnutls_cli_fetches(tls1_3, true);
}
BOOST_AUTO_TEST_CASE(gnutls_cli_without_a_certificate_is_refused_tls1_2) {
  gnutls_cli_without_certificate_is_refused(tls1_2, "*** Received alert [40]: Handshake failed");
}
BOOST_AUTO_TEST_CASE(gnutls_cli_without_a_certificate_is_refused_tls1_3) {
  gnutls_cli_without_certificate_is_refused(tls1_3, "*** Fatal error: Decryption has failed.");
}

BOOST_AUTO_TEST_CASE(gnutls_cli_refuses_a_server_under_an_untrusted_root) {
  const https_credentials files;
  https_server server(https_server::options(files, false, {}, "rogue-server"));
  const auto r = gnutls_cli(files, server, tls1_3, "/gnutls/rogue", false);
  BOOST_TEST(r.exit_status == 1, r.transcript());
  BOOST_TEST(contains(r.out, "- Status: The certificate is NOT trusted. The certificate issuer is unknown."),
             r.out);
  BOOST_TEST(!contains(r.out, "HTTP/1.1 200"), r.out);
  expect_nothing_served(server);
}

BOOST_AUTO_TEST_CASE(gnutls_cli_refuses_a_server_certificate_for_another_name) {
  const https_credentials files;
  https_server server(https_server::options(files, false));
  const auto r =
      gnutls_cli(files, server, tls1_2, "/gnutls/other-name", false, {"--verify-hostname", "other.example"});
  BOOST_TEST(r.exit_status == 1, r.transcript());
  BOOST_TEST(contains(r.out, "The name in the certificate does not match the expected."), r.out);
  BOOST_TEST(!contains(r.out, "HTTP/1.1 200"), r.out);
  expect_nothing_served(server);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(python_ssl_openssl)

BOOST_AUTO_TEST_CASE(python_fetches_a_page_tls1_2) {
  python_fetches(tls1_2, false);
}
BOOST_AUTO_TEST_CASE(python_fetches_a_page_tls1_3) {
  python_fetches(tls1_3, false);
}
BOOST_AUTO_TEST_CASE(python_presents_a_client_certificate_tls1_2) {
  python_fetches(tls1_2, true);
}
BOOST_AUTO_TEST_CASE(python_presents_a_client_certificate_tls1_3) {
  python_fetches(tls1_3, true);
}
BOOST_AUTO_TEST_CASE(python_without_a_certificate_is_refused_tls1_2) {
  python_without_certificate_is_refused(tls1_2, "[SSL: SSLV3_ALERT_HANDSHAKE_FAILURE]");
}
BOOST_AUTO_TEST_CASE(python_without_a_certificate_is_refused_tls1_3) {
  python_without_certificate_is_refused(tls1_3, "[SSL: DECRYPTION_FAILED_OR_BAD_RECORD_MAC]");
}

BOOST_AUTO_TEST_CASE(python_refuses_a_server_under_an_untrusted_root) {
  const https_credentials files;
  https_server server(https_server::options(files, false, {}, "rogue-server"));
  const auto r = python(files, server, tls1_3, "/python/rogue", false, files["root.pem"]);
  BOOST_TEST(r.exit_status == 1, r.transcript());
  BOOST_TEST(contains(r.out, "error: SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED]"), r.out);
  BOOST_TEST(contains(r.out, "unable to get local issuer certificate"), r.out);
  expect_nothing_served(server);
}

BOOST_AUTO_TEST_CASE(python_refuses_a_server_certificate_for_another_name) {
  const https_credentials files;
  https_server server(https_server::options(files, false));
  const auto r =
      python(files, server, tls1_2, "/python/other-name", false, files["root.pem"], "other.example");
  BOOST_TEST(r.exit_status == 1, r.transcript());
  BOOST_TEST(contains(r.out, "Hostname mismatch, certificate is not valid for 'other.example'"), r.out);
  expect_nothing_served(server);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chromium_boringssl)

BOOST_AUTO_TEST_CASE(chromium_loads_a_page_tls1_2) {
  chromium_loads_a_page(tls1_2);
}
BOOST_AUTO_TEST_CASE(chromium_loads_a_page_tls1_3) {
  chromium_loads_a_page(tls1_3);
}

// The negative control: the same names under a root not in Chromium's NSS database. Had
// Chromium ignored certificate errors, the page would show.
BOOST_AUTO_TEST_CASE(chromium_refuses_a_server_under_an_untrusted_root) {
  const https_credentials files;
  const chromium_home chromium(files);
  https_server server(https_server::options(files, false, {}, "rogue-server"));
  const auto r = chromium.dump_dom(server, "/chromium/rogue");
  BOOST_TEST(!r.timed_out, r.transcript());
  BOOST_TEST(contains(r.err, "net::ERR_CERT_AUTHORITY_INVALID"), r.err);
  BOOST_TEST(!contains(r.out, "hello from pki https-server"), r.out);
  expect_nothing_served(server);
}

BOOST_AUTO_TEST_SUITE_END()
