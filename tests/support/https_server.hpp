#pragma once
// Test support for running the HTTPS example server (examples/https/server.cpp) against
// clients: the certificates both sides need, made by the pki tool, and the server as a
// background_process on a port the kernel picks. The including test defines
// PKI_HTTPS_SERVER_EXECUTABLE and PKI_TOOL_EXECUTABLE (tests/interop/clients.cmake does).

#include <boost/test/unit_test.hpp>

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pki_tool.hpp"
#include "process.hpp"

#ifndef PKI_HTTPS_SERVER_EXECUTABLE
#error "PKI_HTTPS_SERVER_EXECUTABLE must name the built https-server (tests/interop/clients.cmake defines it)"
#endif

namespace pki_test {

/// PEM files made by the pki tool in a scratch directory: a root CA ("root.pem"), a server
/// certificate for localhost and 127.0.0.1 ("server.pem", "server.key"), a client
/// certificate under the tls-client profile ("client.pem", "client.key", subject
/// CN=interop-client), and, for refusals, a server certificate for the same names under
/// another root that no client trusts ("rogue-server.pem", "rogue-server.key").
class https_credentials {
 public:
  https_credentials() {
    const auto root = tool_.root("root", "CN=Interop Clients Root,O=Acme");
    leaf("server", root, "CN=localhost", "tls-server", {"--dns", "localhost", "--ip", "127.0.0.1"});
    leaf("client", root, "CN=interop-client", "tls-client", {});
    const auto rogue = tool_.root("rogue-root", "CN=Rogue Root,O=Nobody");
    leaf("rogue-server", rogue, "CN=localhost", "tls-server", {"--dns", "localhost", "--ip", "127.0.0.1"});
  }

  /// The path of a file made here ("root.pem", "client.key", ...), or of a new one.
  [[nodiscard]] std::string operator[](std::string_view name) const { return tool_.file(name); }

 private:
  void leaf(const std::string& name, const std::string& ca, std::string_view subject,
            std::string_view profile, const strings& names) const {
    const auto ca_key = ca.substr(0, ca.size() - 4) + ".key";  // root.pem -> root.key
    const auto key = tool_.key(name + ".key");
    const auto csr = tool_.csr(name + ".csr", key, subject, names);
    (void)tool_.issue(name + ".pem", ca, ca_key, csr, profile, "30");
  }

  tool_workspace tool_;
};

/// examples/https/server.cpp listening on 127.0.0.1 and a port the kernel picks, with `args`
/// after --listen (--cert, --key, --client-ca, --version, ...). Killed, if still running,
/// when the object dies.
class https_server {
 public:
  /// How long the server may take to print "listening on": generous, as a 2-core CI
  /// machine runs other tests alongside.
  static constexpr std::chrono::seconds start_limit{20};

  explicit https_server(const strings& args) : process_(PKI_HTTPS_SERVER_EXECUTABLE, with_listen(args)) {
    const auto line = process_.wait_for_line("listening on", start_limit);
    // Not BOOST_REQUIRE_MESSAGE: Boost evaluates a message even when the assertion holds,
    // and this one stops the server.
    if (!line)
      BOOST_FAIL("https-server did not start: " << process_.stop(std::chrono::seconds(5)).transcript());
    const auto colon = line->rfind(':');
    BOOST_REQUIRE_MESSAGE(colon != std::string::npos && colon + 1 < line->size(), "no port in: " << *line);
    port_ = line->substr(colon + 1);
  }

  /// The server's certificate and key, and with `client_ca` the root that client
  /// certificates must lead to; `version` "tls1.2" or "tls1.3" pins the protocol.
  static strings options(const https_credentials& files, bool client_ca, std::string_view version = {},
                         std::string_view leaf = "server") {
    strings args{"--cert", files[std::string(leaf) + ".pem"], "--key", files[std::string(leaf) + ".key"]};
    if (client_ca) args.insert(args.end(), {"--client-ca", files["root.pem"]});
    if (!version.empty()) args.insert(args.end(), {"--version", std::string(version)});
    return args;
  }

  [[nodiscard]] const std::string& port() const noexcept { return port_; }
  [[nodiscard]] std::string address() const { return "127.0.0.1:" + port_; }
  [[nodiscard]] pid_t pid() const noexcept { return process_.pid(); }
  /// Its standard output so far: "listening on", then one line per connection ended.
  [[nodiscard]] std::string log() const { return process_.out(); }

  /// Stops it with SIGTERM, which is an orderly exit (status 0, checked); its output.
  process_result stop() {
    auto r = process_.stop(std::chrono::seconds(10));
    BOOST_TEST(r.ok(), "https-server did not stop cleanly on SIGTERM: " << r.transcript());
    return r;
  }

 private:
  static strings with_listen(const strings& args) {
    strings all{"--listen", "127.0.0.1:0"};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }

  background_process process_;
  std::string port_{};
};

/// The log lines of connections the server established in `version` ("TLSv1.3") that
/// served at least one request.
[[nodiscard]] inline std::size_t served_connections(std::string_view log, std::string_view version) {
  std::size_t n = 0;
  for (const auto& line : lines_of(log)) {
    if (line.starts_with("connection ") && contains(line, ": " + std::string(version) + " ") &&
        !contains(line, "; requests: 0")) {
      ++n;
    }
  }
  return n;
}

}  // namespace pki_test
