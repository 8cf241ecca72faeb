// https-server: an HTTPS server on the pki library. TLS 1.2 and 1.3 by mbedTLS, with the
// client certificates of mutual TLS judged by the library's validator (policy
// iot_mtls_server), session tickets for resumption, and HTTP/1.1 keep-alive.
//
//   https-server --listen 127.0.0.1:8443 --cert server.pem --key server.key --client-ca root.pem
//
// Prints "listening on HOST:PORT" once it accepts connections (the real port when PORT
// is 0), then one line per connection; SIGINT or SIGTERM stop it (exit 0).

#include <pki/pki.hpp>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "common/command_line.hpp"
#include "common/server.hpp"
#include "common/socket.hpp"

namespace {

using namespace https::command_line;

constexpr std::size_t default_max_connections = 64;

constexpr option options[] = {
    {.name = "--listen",
     .value_name = "HOST:PORT",
     .help = "the address to listen on; port 0 takes a free port",
     .required = true},
    {.name = "--cert",
     .value_name = "CHAIN.pem",
     .help = "the server's certificate chain, leaf first",
     .required = true},
    {.name = "--key",
     .value_name = "KEY.pem",
     .help = "the leaf certificate's private key",
     .required = true},
    {.name = "--client-ca",
     .value_name = "ROOT.pem",
     .help = "require client certificates leading to these anchors (mutual TLS)"},
    {.name = "--max-connections",
     .value_name = "N",
     .help = "connections served at once, 1 to 4096 (default 64)"},
    {.name = "--exit-after", .value_name = "N", .help = "stop once N connections have ended"},
    {.name = "--version", .value_name = "tls1.2|tls1.3", .help = "accept only this TLS version"},
};

constexpr std::string_view description =
    "Serves HTTPS: GET of any path answers with a greeting naming the path and, with\n"
    "--client-ca, the subject of the client certificate, which every client must then\n"
    "present. Prints \"listening on HOST:PORT\", then one line per connection:\n"
    "  connection N: VERSION CIPHER; resumed: yes|no; client: SUBJECT|none; requests: R\n"
    "                [; ended by: REASON]\n"
    "  connection N: handshake failed: REASON\n"
    "Connections silent for 30 seconds are closed. SIGINT and SIGTERM stop the server:\n"
    "it prints a summary line and exits with 0.";

constexpr command_spec spec{.description = description,
                            .options = options,
                            .program = "https-server",
                            .exit_statuses = exit_statuses};

/// The server a signal stops; an atomic pointer, which a signal handler may read.
std::atomic<https::server*> signal_target{nullptr};
static_assert(std::atomic<https::server*>::is_always_lock_free);

void on_stop_signal(int) {
  const int saved = errno;  // stop() writes to a pipe, which may change errno
  if (auto* target = signal_target.load()) target->stop();
  errno = saved;
}

/// Makes SIGINT and SIGTERM stop `target` (and not the process).
[[nodiscard]] outcome<> stop_on_signals(https::server& target) {
  signal_target.store(&target);
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGINT, &action, nullptr) != 0 || sigaction(SIGTERM, &action, nullptr) != 0) {
    return std::unexpected(failure{exit_failure, "cannot install the signal handlers"});
  }
  return {};
}

/// The TLS configuration of --cert, --key, --client-ca and --version.
[[nodiscard]] outcome<pki::tls::config> build_config(const arguments& args) {
  auto chain = load_chain(args.value("--cert"));
  if (!chain) return std::unexpected(chain.error());
  auto key = load_key(args.value("--key"));
  if (!key) return std::unexpected(key.error());
  pki::tls::server_config<pki::policy::iot_mtls_server> builder;
  builder.identity(*chain, *key).alpn({"http/1.1"});
  if (args.has("--client-ca")) {
    auto anchors = load_anchors(args.value("--client-ca"));
    if (!anchors) return std::unexpected(anchors.error());
    builder.trust(std::move(*anchors));
  }
  if (auto ok = apply_version(args.value("--version"), builder); !ok) return std::unexpected(ok.error());
  auto config = builder.build();
  if (!config) return library_error("--cert and --key", config.error());
  return std::move(*config);
}

/// Prints a connection's log line; connection threads call it concurrently, and one
/// fputs() per line keeps lines whole.
void log_connection(const https::connection_report& report) {
  const std::string line = https::describe(report) + "\n";
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
}

[[nodiscard]] outcome<> serve(const arguments& args) {
  std::size_t max_connections = default_max_connections;
  if (args.has("--max-connections")) {
    auto n = parse_number<std::size_t>("--max-connections", args.value("--max-connections"), 1,
                                       https::max_connections_limit);
    if (!n) return std::unexpected(n.error());
    max_connections = *n;
  }
  std::size_t exit_after = 0;
  if (args.has("--exit-after")) {
    auto n = parse_number<std::size_t>("--exit-after", args.value("--exit-after"), 1,
                                       std::numeric_limits<std::size_t>::max());
    if (!n) return std::unexpected(n.error());
    exit_after = *n;
  }
  auto address = https::parse_host_port(args.value("--listen"));
  if (!address) return library_error("--listen", address.error());
  auto config = build_config(args);
  if (!config) return std::unexpected(config.error());
  auto server = https::server::listen(args.value("--listen"), std::move(*config), max_connections);
  if (!server) {
    return library_error("cannot listen on " + std::string(args.value("--listen")), server.error(),
                         exit_failure);
  }
  server->stop_after(exit_after);
  server->on_connection_end(log_connection);
  if (auto ok = stop_on_signals(*server); !ok) return ok;
  std::printf("listening on %s\n", https::format_host_port(address->first, server->port()).c_str());
  std::fflush(stdout);
  server->run();
  signal_target.store(nullptr);
  std::printf("stopped: %zu connections served (%zu resumed), at most %zu at once\n",
              server->connections_served(), server->resumed_connections(), server->peak_connections());
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char* const> all(argv, static_cast<std::size_t>(argc));
  auto args = arguments::parse(spec, all.subspan(argc > 0 ? 1 : 0));
  if (!args) return report(spec, args.error());
  if (args->help()) {
    std::fputs(help_text(spec).c_str(), stdout);
    return exit_success;
  }
  if (auto ok = serve(*args); !ok) return report(spec, ok.error());
  return std::fflush(stdout) == 0 ? exit_success
                                  : report(spec, {exit_failure, "cannot write to standard output"});
}
