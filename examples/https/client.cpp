// https-client: an HTTPS client on the pki library. The server's chain is judged by the
// library's validator under policy iot_mtls_client (serverAuth, the host name or IP
// address, at most four intermediates), optionally with a client certificate (mutual
// TLS); sessions are resumed from tickets.
//
//   https-client --connect 127.0.0.1:8443 --trust root.pem --cert client.pem --key client.key
//                --requests 2 --reconnect 2 /hello
//
// Prints the response bodies, the validated path, the TLS version and cipher suite, and
// whether each reconnection resumed. Exit status 0 when every request got 200.

#include <pki/pki.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/command_line.hpp"
#include "common/http.hpp"
#include "common/socket.hpp"

namespace {

using namespace https::command_line;

/// The most requests per connection and reconnections a command line may ask for.
constexpr std::size_t max_count = 10'000;
/// How long the client waits for the server to answer before it gives up.
constexpr std::chrono::seconds response_timeout{30};

constexpr option options[] = {
    {.name = "--connect", .value_name = "HOST:PORT", .help = "the server to connect to", .required = true},
    {.name = "--trust",
     .value_name = "ROOT.pem",
     .help = "the anchors the server's chain must lead to",
     .required = true},
    {.name = "--host",
     .value_name = "NAME|IP",
     .help = "the name the server's certificate must carry (default: the --connect host)"},
    {.name = "--cert",
     .value_name = "CHAIN.pem",
     .help = "a client certificate chain, leaf first (mutual TLS)"},
    {.name = "--key", .value_name = "KEY.pem", .help = "the client certificate's private key"},
    {.name = "--requests", .value_name = "N", .help = "requests on one keep-alive connection (default 1)"},
    {.name = "--reconnect",
     .value_name = "N",
     .help = "then N more connections, each resuming the session of the one before"},
    {.name = "--version", .value_name = "tls1.2|tls1.3", .help = "offer only this TLS version"},
};

constexpr std::string_view description =
    "GETs PATH from an HTTPS server, --requests times over one connection, and prints the\n"
    "bodies, the server's certificate path the validator accepted (\"path: 0 SUBJECT / 1\n"
    "SUBJECT (anchor)\"), the TLS version and cipher suite. With --reconnect N it then\n"
    "connects N more times, offering the previous connection's session, and prints\n"
    "\"reconnect K: resumed\" or \"reconnect K: full handshake\" for each.";

constexpr command_spec spec{.description = description,
                            .options = options,
                            .operand = "PATH",
                            .program = "https-client",
                            .exit_statuses = exit_statuses};

/// What the command line asks for.
struct settings {
  std::string_view connect{};
  pki::peer_name expected{};  ///< the name the server's certificate must carry
  std::string host_field{};   ///< the HTTP Host field: the name and the port
  std::string_view path{};
  std::size_t requests = 1;
  std::size_t reconnects = 0;
};

[[nodiscard]] outcome<std::size_t> optional_count(const arguments& args, std::string_view name,
                                                  std::size_t fallback, std::size_t minimum) {
  if (!args.has(name)) return fallback;
  return parse_number<std::size_t>(name, args.value(name), minimum, max_count);
}

[[nodiscard]] outcome<settings> read_settings(const arguments& args) {
  settings out;
  out.connect = args.value("--connect");
  auto address = https::parse_host_port(out.connect);
  if (!address) return library_error("--connect", address.error());
  const std::string host = args.has("--host") ? std::string(args.value("--host")) : address->first;
  auto expected = pki::tls::parse_peer_name(host);
  if (!expected) return library_error("the host name '" + host + "'", expected.error());
  out.expected = std::move(*expected);
  out.host_field = https::format_host_port(host, address->second);
  out.path = args.operand();
  if (!https::http::is_origin_form(out.path)) {
    return usage_error("PATH must start with / and have no spaces or control characters");
  }
  if (args.has("--cert") != args.has("--key")) return usage_error("--cert and --key go together");
  auto requests = optional_count(args, "--requests", 1, 1);
  if (!requests) return std::unexpected(requests.error());
  auto reconnects = optional_count(args, "--reconnect", 0, 0);
  if (!reconnects) return std::unexpected(reconnects.error());
  out.requests = *requests;
  out.reconnects = *reconnects;
  return out;
}

/// The TLS configuration of --trust, --cert, --key and --version.
[[nodiscard]] outcome<pki::tls::config> build_config(const arguments& args) {
  auto anchors = load_anchors(args.value("--trust"));
  if (!anchors) return std::unexpected(anchors.error());
  pki::tls::client_config<pki::policy::iot_mtls_client> builder;
  builder.trust(std::move(*anchors)).alpn({"http/1.1"});
  if (args.has("--cert")) {
    auto chain = load_chain(args.value("--cert"));
    if (!chain) return std::unexpected(chain.error());
    auto key = load_key(args.value("--key"));
    if (!key) return std::unexpected(key.error());
    builder.identity(*chain, *key);
  }
  if (auto ok = apply_version(args.value("--version"), builder); !ok) return std::unexpected(ok.error());
  auto config = builder.build();
  if (!config) return library_error("the TLS configuration", config.error());
  return std::move(*config);
}

/// "0 CN=localhost / 1 CN=Demo Root CA (anchor)".
[[nodiscard]] std::string describe_path(const pki::chain<>& path) {
  std::string text;
  for (std::size_t depth = 0; depth < path.size(); ++depth) {
    if (depth > 0) text += " / ";
    text += std::to_string(depth) + " " + path[depth].subject().to_string();
  }
  return text + " (anchor)";
}

/// One connection: its socket, and the TLS session over it (declared after the socket,
/// so destroyed before it: the session's transport uses the descriptor to the end).
struct connection {
  https::socket tcp{};
  std::optional<pki::tls::session> tls{};
};

/// Connects and completes the handshake, offering `resume` when there is one.
[[nodiscard]] outcome<> open(connection& c, const pki::tls::config& config, const settings& s,
                             const pki::tls::saved_session* resume) {
  auto tcp = https::connect_tcp(s.connect);
  if (!tcp) return library_error("connecting to " + std::string(s.connect), tcp.error(), exit_failure);
  c.tcp = std::move(*tcp);
  const https::wait_limits limits{.idle_timeout = response_timeout};
  auto tls =
      pki::tls::session::client(config, https::socket_transport(c.tcp.fd(), limits), s.expected, resume);
  if (!tls) return library_error("starting TLS", tls.error(), exit_failure);
  c.tls.emplace(std::move(*tls));
  if (auto ok = c.tls->handshake(); !ok) return library_error("TLS handshake", ok.error(), exit_failure);
  return {};
}

/// Sends the requests one after the other on the connection, the last asking the server
/// to close it; prints the bodies when `print`. Every response must be 200.
[[nodiscard]] outcome<> exchange(pki::tls::session& tls, const settings& s, bool print) {
  https::http::message_reader reader(tls);
  for (std::size_t i = 1; i <= s.requests; ++i) {
    const std::string where = "request " + std::to_string(i);
    if (auto sent = https::http::send(tls, https::http::format_get(s.path, s.host_field, i == s.requests));
        !sent) {
      return library_error(where, sent.error(), exit_failure);
    }
    auto response = https::http::read_response(reader);
    if (!response) return library_error(where, response.error(), exit_failure);
    if (print) std::fputs(response->body.c_str(), stdout);
    if (response->status != 200) {
      return std::unexpected(failure{
          exit_failure,
          where + ": the server answered " + std::to_string(response->status) + " " + response->reason});
    }
    if (!response->keep_alive && i < s.requests) {
      return std::unexpected(failure{exit_failure, where + ": the server closed the connection after it"});
    }
  }
  return {};
}

/// Ends a connection whose exchange is done, and gives the session to resume next time
/// (none when the server sent no ticket). A TLS 1.3 ticket arrives after the handshake
/// and is taken in with the responses, hence saving after them.
[[nodiscard]] std::optional<pki::tls::saved_session> finish(connection& c) {
  auto saved = c.tls->save();
  // The responses are in; a server that has already closed cannot take close_notify,
  // and that changes nothing for this client.
  (void)c.tls->close();
  return saved ? std::optional(std::move(*saved)) : std::nullopt;
}

/// The first connection: requests, bodies, and what the handshake established.
[[nodiscard]] outcome<std::optional<pki::tls::saved_session>> first_connection(const pki::tls::config& config,
                                                                               const settings& s) {
  connection c;
  if (auto ok = open(c, config, s, nullptr); !ok) return std::unexpected(ok.error());
  if (auto ok = exchange(*c.tls, s, true); !ok) return std::unexpected(ok.error());
  std::printf("path: %s\n", describe_path(c.tls->peer_path()).c_str());
  std::printf("tls: %.*s %.*s\n", static_cast<int>(c.tls->version().size()), c.tls->version().data(),
              static_cast<int>(c.tls->cipher_suite().size()), c.tls->cipher_suite().data());
  return finish(c);
}

/// Reconnection `k`, offering `saved`; replaces it with the session to offer next.
[[nodiscard]] outcome<> reconnect(std::size_t k, const pki::tls::config& config, const settings& s,
                                  std::optional<pki::tls::saved_session>& saved) {
  connection c;
  if (auto ok = open(c, config, s, saved ? &*saved : nullptr); !ok) return ok;
  if (auto ok = exchange(*c.tls, s, false); !ok) return ok;
  std::printf("reconnect %zu: %s\n", k, c.tls->resumed() ? "resumed" : "full handshake");
  // A server that sent no new ticket leaves the one offered here still good to offer.
  if (auto next = finish(c)) saved = std::move(next);
  return {};
}

[[nodiscard]] outcome<> run(const arguments& args) {
  auto s = read_settings(args);
  if (!s) return std::unexpected(s.error());
  auto config = build_config(args);
  if (!config) return std::unexpected(config.error());
  auto saved = first_connection(*config, *s);
  if (!saved) return std::unexpected(saved.error());
  for (std::size_t k = 1; k <= s->reconnects; ++k) {
    if (auto ok = reconnect(k, *config, *s, *saved); !ok) return ok;
  }
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
  const auto ok = run(*args);
  // Whatever was printed before a failure is flushed before the message.
  if (std::fflush(stdout) != 0) return report(spec, {exit_failure, "cannot write to standard output"});
  return ok ? exit_success : report(spec, ok.error());
}
