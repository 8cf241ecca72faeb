#pragma once
// HTTP/1.1 (RFC 9112) as the HTTPS examples speak it over a tls::session: message heads
// read with a size limit and parsed strictly, bodies framed by Content-Length, and
// persistent connections (keep-alive) ended by "Connection: close".
//
// A malformed message is errc::parse_failed and an unsupported one (a Transfer-Encoding)
// errc::unsupported, each with a sentence saying what is wrong: the server answers them
// with 400 and 501; failures of the connection itself keep their TLS or transport errc.

#include <pki/core/bytes.hpp>
#include <pki/core/error.hpp>
#include <pki/tls/session.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace https::http {

/// The largest message head (start line and header fields) read: far more than any real one.
inline constexpr std::size_t max_head_size = 16 * 1024;
/// The largest message body accepted.
inline constexpr std::size_t max_body_size = 1024 * 1024;

/// A request, as the server needs it.
struct request {
  std::string method{};
  std::string target{};  ///< origin form: "/path?query"
  std::size_t content_length = 0;
  bool keep_alive = true;  ///< the client wants the connection kept open afterwards
};

/// A response, as the client needs it.
struct response {
  int status = 0;
  std::string reason{};
  bool keep_alive = true;  ///< the server keeps the connection open afterwards
  std::string body{};
};

namespace detail {

[[nodiscard]] constexpr char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/// RFC 9110 tchar: what field names and methods are made of.
[[nodiscard]] constexpr bool is_token(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

/// Visible ASCII, spaces and tabs: a field value or reason phrase (no control characters,
/// which could smuggle a line break into a log or another message).
[[nodiscard]] constexpr bool is_field_text(std::string_view text) noexcept {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) return false;
  }
  return true;
}

/// Visible ASCII only: a request target.
[[nodiscard]] constexpr bool is_visible(std::string_view text) noexcept {
  for (const char c : text) {
    if (c <= ' ' || c > '~') return false;
  }
  return !text.empty();
}

[[nodiscard]] constexpr std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// True when a comma-separated field value (Connection) lists `token`.
[[nodiscard]] constexpr bool lists_token(std::string_view value, std::string_view token) noexcept {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (iequals(trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

/// Where a head ends in `buffer`: just after its empty line, or npos. RFC 9112 section
/// 2.2 lets a recipient take a bare LF for CRLF, so "\n\n" ends a head too.
[[nodiscard]] inline std::size_t head_end(std::string_view buffer) noexcept {
  for (std::size_t at = buffer.find('\n'); at != std::string_view::npos; at = buffer.find('\n', at + 1)) {
    const std::string_view rest = buffer.substr(at + 1);
    if (rest.starts_with('\n')) return at + 2;
    if (rest.starts_with("\r\n")) return at + 3;
  }
  return std::string_view::npos;
}

/// The lines of a head, without their line ends and without the final empty line.
[[nodiscard]] inline pki::result<std::vector<std::string_view>> split_lines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const std::size_t lf = head.find('\n');
    std::string_view line = head.substr(0, lf);
    head.remove_prefix(lf == std::string_view::npos ? head.size() : lf + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) {
      return pki::fail(pki::errc::parse_failed, "a carriage return inside a line of the HTTP head");
    }
    if (line.empty()) break;
    lines.push_back(line);
  }
  if (lines.empty()) return pki::fail(pki::errc::parse_failed, "the HTTP head is empty");
  return lines;
}

/// What the header fields say about framing and the connection.
struct fields {
  std::optional<std::size_t> content_length{};
  bool transfer_encoding = false;
  bool close = false;       ///< Connection: close
  bool keep_alive = false;  ///< Connection: keep-alive (HTTP/1.0)
  std::size_t host_count = 0;
};

[[nodiscard]] inline pki::result<std::size_t> parse_content_length(std::string_view value) {
  std::size_t length = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) {
    return pki::fail(pki::errc::parse_failed, "Content-Length is not a number");
  }
  if (length > max_body_size) return pki::fail(pki::errc::parse_failed, "the body is larger than 1 MiB");
  return length;
}

/// Reads one "name: value" line into `out`.
[[nodiscard]] inline pki::result<void> read_field(std::string_view line, fields& out) {
  if (line.front() == ' ' || line.front() == '\t') {
    return pki::fail(pki::errc::parse_failed, "a folded header line (obsolete line folding)");
  }
  const std::size_t colon = line.find(':');
  const std::string_view name = line.substr(0, colon);
  if (colon == std::string_view::npos || !is_token(name)) {
    return pki::fail(pki::errc::parse_failed, "a header line is not NAME: VALUE");
  }
  const std::string_view value = trim(line.substr(colon + 1));
  if (!is_field_text(value)) {
    return pki::fail(pki::errc::parse_failed, "a control character in a header value");
  }
  if (iequals(name, "Content-Length")) {
    auto length = parse_content_length(value);
    if (!length) return std::unexpected(length.error());
    // Two different lengths would let two parsers frame the body differently (smuggling).
    if (out.content_length && *out.content_length != *length) {
      return pki::fail(pki::errc::parse_failed, "two different Content-Length fields");
    }
    out.content_length = *length;
  } else if (iequals(name, "Transfer-Encoding")) {
    out.transfer_encoding = true;
  } else if (iequals(name, "Connection")) {
    out.close = out.close || lists_token(value, "close");
    out.keep_alive = out.keep_alive || lists_token(value, "keep-alive");
  } else if (iequals(name, "Host")) {
    ++out.host_count;
  }
  return {};
}

[[nodiscard]] inline pki::result<fields> read_fields(std::span<const std::string_view> lines) {
  fields out;
  for (const auto line : lines) {
    if (auto ok = read_field(line, out); !ok) return std::unexpected(ok.error());
  }
  return out;
}

/// The minor version of "HTTP/1.0" or "HTTP/1.1".
[[nodiscard]] inline pki::result<int> parse_version(std::string_view text) {
  if (text == "HTTP/1.1") return 1;
  if (text == "HTTP/1.0") return 0;
  return pki::fail(pki::errc::parse_failed, "the HTTP version is not HTTP/1.0 or HTTP/1.1");
}

/// Whether the connection stays open after a message: by default in HTTP/1.1, on request
/// in HTTP/1.0 (RFC 9112 section 9.3).
[[nodiscard]] constexpr bool persists(const fields& f, int minor_version) noexcept {
  return !f.close && (minor_version >= 1 || f.keep_alive);
}

/// "200 OK" of a status line: the code and the (possibly empty) reason phrase.
[[nodiscard]] inline pki::result<response> parse_status(std::string_view text) {
  response out;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + std::min<std::size_t>(text.size(), 3), out.status);
  if (ec != std::errc{} || end != text.data() + 3 || out.status < 100 ||
      (text.size() > 3 && text[3] != ' ')) {
    return pki::fail(pki::errc::parse_failed, "the status line is not VERSION STATUS REASON");
  }
  out.reason = trim(text.substr(std::min<std::size_t>(text.size(), 4)));
  if (!is_field_text(out.reason)) {
    return pki::fail(pki::errc::parse_failed, "a control character in the reason phrase");
  }
  return out;
}

/// A response head: the response without its body, and what its fields say about the body.
[[nodiscard]] inline pki::result<std::pair<response, fields>> parse_response_head(std::string_view head) {
  auto lines = split_lines(head);
  if (!lines) return std::unexpected(lines.error());
  const std::string_view line = lines->front();
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return pki::fail(pki::errc::parse_failed, "the status line is not VERSION STATUS REASON");
  }
  auto minor = parse_version(line.substr(0, space));
  if (!minor) return std::unexpected(minor.error());
  auto out = parse_status(line.substr(space + 1));
  if (!out) return std::unexpected(out.error());
  auto f = read_fields(std::span(*lines).subspan(1));
  if (!f) return std::unexpected(f.error());
  out->keep_alive = persists(*f, *minor);
  return std::pair{std::move(*out), *f};
}

}  // namespace detail

/// True for a request target in origin form, "/path?query": visible ASCII after a "/".
[[nodiscard]] constexpr bool is_origin_form(std::string_view target) noexcept {
  return target.starts_with('/') && detail::is_visible(target);
}

/// Reads HTTP messages from a TLS session, keeping what arrives beyond one message for
/// the next (a client may send its next request before the response to this one).
class message_reader {
 public:
  explicit message_reader(pki::tls::session& tls) noexcept : tls_(&tls) {}

  /// The next head, up to and with its empty line; nullopt when the peer ended the
  /// connection before sending any of it; parse_failed when it exceeds max_head_size;
  /// connection_closed when the connection ends inside it.
  [[nodiscard]] pki::result<std::optional<std::string>> read_head() {
    for (;;) {
      // RFC 9112 section 2.2: empty lines before a request line are to be ignored.
      buffer_.erase(0, buffer_.find_first_not_of("\r\n"));
      const std::size_t end = detail::head_end(buffer_);
      if ((end == std::string::npos ? buffer_.size() : end) > max_head_size) {
        return pki::fail(pki::errc::parse_failed, "the HTTP head is larger than 16 KiB");
      }
      if (end != std::string::npos) {
        std::string head = buffer_.substr(0, end);
        buffer_.erase(0, end);
        return head;
      }
      auto more = fill();
      // Peers often just close an idle persistent connection without close_notify:
      // between messages, that is an ordinary end.
      if (!more && more.error() == pki::errc::connection_closed && buffer_.empty()) return std::nullopt;
      if (!more) return std::unexpected(more.error());
      if (!*more && buffer_.empty()) return std::nullopt;
      if (!*more) {
        return pki::fail(pki::errc::connection_closed, "the peer closed the connection mid-message");
      }
    }
  }

  /// Exactly `size` body bytes; connection_closed when the connection ends first.
  [[nodiscard]] pki::result<std::string> read_body(std::size_t size) {
    while (buffer_.size() < size) {
      auto more = fill();
      if (!more) return std::unexpected(more.error());
      if (!*more) return pki::fail(pki::errc::connection_closed, "the peer closed the connection mid-body");
    }
    std::string body = buffer_.substr(0, size);
    buffer_.erase(0, size);
    return body;
  }

  /// Everything until the peer's close_notify (a response framed by the end of the
  /// connection); parse_failed beyond max_body_size.
  [[nodiscard]] pki::result<std::string> read_until_close() {
    for (;;) {
      if (buffer_.size() > max_body_size) {
        return pki::fail(pki::errc::parse_failed, "the body is larger than 1 MiB");
      }
      auto more = fill();
      // Without close_notify a cut connection would pass for the whole body: the error stays.
      if (!more) return std::unexpected(more.error());
      if (!*more) return std::exchange(buffer_, {});
    }
  }

 private:
  /// Appends what the session reads next: false once the peer has sent close_notify.
  [[nodiscard]] pki::result<bool> fill() {
    std::array<std::uint8_t, 16 * 1024> chunk{};
    auto n = tls_->read(chunk);
    if (!n) return std::unexpected(n.error());
    buffer_.append(reinterpret_cast<const char*>(chunk.data()), *n);
    return *n > 0;
  }

  pki::tls::session* tls_;
  std::string buffer_{};
};

/// Parses a request head: an origin-form target, HTTP/1.0 or 1.1, one Host field in
/// HTTP/1.1, a Content-Length of at most max_body_size; unsupported for Transfer-Encoding.
[[nodiscard]] inline pki::result<request> parse_request(std::string_view head) {
  auto lines = detail::split_lines(head);
  if (!lines) return std::unexpected(lines.error());
  const std::string_view line = lines->front();
  const std::size_t first = line.find(' ');
  const std::size_t second = first == std::string_view::npos ? first : line.find(' ', first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return pki::fail(pki::errc::parse_failed, "the request line is not METHOD TARGET VERSION");
  }
  request out;
  out.method = line.substr(0, first);
  out.target = line.substr(first + 1, second - first - 1);
  if (!detail::is_token(out.method)) {
    return pki::fail(pki::errc::parse_failed, "the request method is not a token");
  }
  if (!is_origin_form(out.target)) {
    return pki::fail(pki::errc::parse_failed, "the request target is not a path starting with /");
  }
  auto minor = detail::parse_version(line.substr(second + 1));
  if (!minor) return std::unexpected(minor.error());
  auto f = detail::read_fields(std::span(*lines).subspan(1));
  if (!f) return std::unexpected(f.error());
  if (*minor >= 1 && f->host_count != 1) {
    return pki::fail(pki::errc::parse_failed, "an HTTP/1.1 request needs exactly one Host field");
  }
  if (f->transfer_encoding) {
    return pki::fail(pki::errc::unsupported, "request bodies with a Transfer-Encoding are not supported");
  }
  out.content_length = f->content_length.value_or(0);
  out.keep_alive = detail::persists(*f, *minor);
  return out;
}

/// The status of a response to a request that failed to parse: 400, or 501 for what is
/// valid but not supported; none for a failure of the connection itself.
[[nodiscard]] constexpr std::optional<int> error_status(const pki::error& e) noexcept {
  if (e.code() == pki::errc::parse_failed) return 400;
  if (e.code() == pki::errc::unsupported) return 501;
  return std::nullopt;
}

[[nodiscard]] constexpr std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 405: return "Method Not Allowed";
    case 501: return "Not Implemented";
    default: return "Unknown";
  }
}

/// A response with a text/plain body; for a HEAD request (`with_body` false) the same head
/// without the body.
[[nodiscard]] inline std::string format_response(int status, std::string_view body, bool keep_alive,
                                                 bool with_body = true) {
  std::string text = "HTTP/1.1 " + std::to_string(status) + " ";
  text.append(reason_phrase(status)).append("\r\n");
  text += "Content-Type: text/plain; charset=utf-8\r\n";
  text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  if (status == 405) text += "Allow: GET, HEAD\r\n";
  text += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  if (with_body) text += body;
  return text;
}

/// A GET request for `target` from `host` ("localhost:8443", "[::1]:8443"); `close` asks
/// the server to close the connection after responding.
[[nodiscard]] inline std::string format_get(std::string_view target, std::string_view host, bool close) {
  std::string text = "GET ";
  text.append(target).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
  text += "User-Agent: pki-https-client\r\n";
  text += close ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n";
  return text;
}

/// Reads the next response, body included (framed by Content-Length or by the end of the
/// connection); connection_closed when the server closed the connection instead.
[[nodiscard]] inline pki::result<response> read_response(message_reader& reader) {
  auto head = reader.read_head();
  if (!head) return std::unexpected(head.error());
  if (!*head) {
    return pki::fail(pki::errc::connection_closed, "the server closed the connection without responding");
  }
  auto parsed = detail::parse_response_head(**head);
  if (!parsed) return std::unexpected(parsed.error());
  auto& [out, f] = *parsed;
  if (f.transfer_encoding) {
    return pki::fail(pki::errc::unsupported, "responses with a Transfer-Encoding are not supported");
  }
  auto body = f.content_length ? reader.read_body(*f.content_length) : reader.read_until_close();
  if (!body) return std::unexpected(body.error());
  out.body = std::move(*body);
  if (!f.content_length) out.keep_alive = false;
  return std::move(out);
}

/// Sends a whole message.
[[nodiscard]] inline pki::result<void> send(pki::tls::session& tls, std::string_view message) {
  return tls.write_all(pki::as_bytes(message));
}

}  // namespace https::http
