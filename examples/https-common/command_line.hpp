#pragma once
// What https-server and https-client share on their command lines: exit statuses, option
// parsing and --help text, and the PEM files they name (a certificate chain, its private
// key, trust anchors) read into library objects. Every failure carries a sentence naming
// the option or file concerned.

#include <pki/bytes.hpp>
#include <pki/certificate.hpp>
#include <pki/error.hpp>
#include <pki/key.hpp>
#include <pki/tls/config.hpp>
#include <pki/trust_store.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace https::command_line {

/// Success; a TLS, validation or HTTP failure; bad usage or an unreadable or invalid input.
inline constexpr int exit_success = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

/// Why a program stops: its exit status and one line saying why.
struct failure {
  int status = exit_failure;
  std::string message{};
};

template <class T = void>
using outcome = std::expected<T, failure>;

[[nodiscard]] inline std::unexpected<failure> usage_error(std::string message) {
  return std::unexpected(failure{exit_usage, std::move(message)});
}
/// "<what>: <the library's message>", with `status`.
[[nodiscard]] inline std::unexpected<failure> library_failure(std::string_view what, const pki::error& e,
                                                              int status = exit_failure) {
  return std::unexpected(failure{status, std::string(what) + ": " + e.message()});
}

/// One option: "--requests" with value name "N", or a flag (no value name).
struct option {
  std::string_view name{};
  std::string_view value_name{};
  std::string_view help{};
  bool required = false;
};

/// The usage line, the description and one line per option.
[[nodiscard]] inline std::string help_text(std::string_view usage, std::string_view description,
                                           std::span<const option> options) {
  std::string text = "usage: ";
  text.append(usage).append("\n\n").append(description).append("\n\noptions:\n");
  for (const auto& opt : options) {
    std::string left = "  ";
    left.append(opt.name);
    if (!opt.value_name.empty()) left.append(" ").append(opt.value_name);
    left.resize(std::max<std::size_t>(left.size() + 2, 28), ' ');
    text.append(left).append(opt.help).append("\n");
  }
  text += "  --help                    print this text and exit\n";
  text += "\nexit status: 0 success, 1 TLS, validation or HTTP failure, 2 bad usage or unreadable input\n";
  return text;
}

/// A command line read against its options. The views point into argv.
class arguments {
 public:
  /// Reads `args` (argv without the program name); usage_error for an unknown option, a
  /// missing value or required option, an option given twice, or a stray argument. With
  /// `operand_name`, one positional argument is required.
  [[nodiscard]] static outcome<arguments> parse(std::span<char* const> args, std::span<const option> known,
                                                std::string_view operand_name = {}) {
    arguments out;
    if (std::any_of(args.begin(), args.end(),
                    [](const char* a) { return std::string_view(a) == "--help"; })) {
      out.help_ = true;
      return out;
    }
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string_view arg(args[i]);
      if (!arg.starts_with("--")) {
        if (operand_name.empty() || !out.operand_.empty()) {
          return usage_error("unexpected argument '" + std::string(arg) + "'");
        }
        out.operand_ = arg;
        continue;
      }
      const auto* opt = find(known, arg);
      if (opt == nullptr) return usage_error("unknown option " + std::string(arg));
      if (out.has(arg)) return usage_error("option " + std::string(arg) + " given twice");
      std::string_view value;
      if (!opt->value_name.empty()) {
        // A following option is a forgotten value, not the value.
        const bool missing = i + 1 == args.size() || std::string_view(args[i + 1]).empty() ||
                             std::string_view(args[i + 1]).starts_with("--");
        if (missing) {
          return usage_error("option " + std::string(arg) + " needs a value (" +
                             std::string(opt->value_name) + ")");
        }
        value = args[++i];
      }
      out.values_.emplace_back(opt->name, value);
    }
    return out.check_complete(known, operand_name);
  }

  [[nodiscard]] bool help() const noexcept { return help_; }
  [[nodiscard]] bool has(std::string_view name) const noexcept { return lookup(name) != nullptr; }
  /// The option's value; empty when it was not given.
  [[nodiscard]] std::string_view value(std::string_view name) const noexcept {
    const auto* entry = lookup(name);
    return entry != nullptr ? entry->second : std::string_view{};
  }
  [[nodiscard]] std::string_view operand() const noexcept { return operand_; }

 private:
  using entry = std::pair<std::string_view, std::string_view>;

  [[nodiscard]] static const option* find(std::span<const option> known, std::string_view name) noexcept {
    const auto it =
        std::find_if(known.begin(), known.end(), [name](const option& o) { return o.name == name; });
    return it != known.end() ? &*it : nullptr;
  }
  [[nodiscard]] const entry* lookup(std::string_view name) const noexcept {
    const auto it =
        std::find_if(values_.begin(), values_.end(), [name](const entry& e) { return e.first == name; });
    return it != values_.end() ? &*it : nullptr;
  }
  [[nodiscard]] outcome<arguments> check_complete(std::span<const option> known,
                                                  std::string_view operand_name) {
    for (const auto& opt : known) {
      if (opt.required && !has(opt.name)) {
        return usage_error("missing required option " + std::string(opt.name));
      }
    }
    if (!operand_name.empty() && operand_.empty()) {
      return usage_error("missing " + std::string(operand_name) + " argument");
    }
    return std::move(*this);
  }

  std::vector<entry> values_{};
  std::string_view operand_{};
  bool help_ = false;
};

/// A whole number in [minimum, maximum] from an option's value.
[[nodiscard]] inline outcome<std::size_t> parse_count(std::string_view name, std::string_view text,
                                                      std::size_t minimum, std::size_t maximum) {
  std::size_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{} || end != text.data() + text.size() || number < minimum || number > maximum) {
    return usage_error(std::string(name) + " must be a whole number from " + std::to_string(minimum) +
                       " to " + std::to_string(maximum) + ", not '" + std::string(text) + "'");
  }
  return number;
}

/// --version: "tls1.2" or "tls1.3" pins the protocol version; absent, both are allowed.
[[nodiscard]] inline outcome<void> apply_version(std::string_view text, auto& builder) {
  if (text.empty()) return {};
  if (text != "tls1.2" && text != "tls1.3") {
    return usage_error("--version is tls1.2 or tls1.3, not '" + std::string(text) + "'");
  }
  const auto version =
      text == "tls1.2" ? pki::tls::protocol_version::tls1_2 : pki::tls::protocol_version::tls1_3;
  builder.versions(version, version);
  return {};
}

/// The whole of a (small) file; exit 2 when it cannot be read. String is std::string, or
/// pki::secret_string for a private key, whose memory is wiped when released.
template <class String = std::string>
[[nodiscard]] outcome<String> read_file(std::string_view path) {
  constexpr std::size_t limit = 1024 * 1024;  // far more than any PEM chain or key
  const std::string name(path);
  std::FILE* file = std::fopen(name.c_str(), "rb");
  if (file == nullptr) {
    return std::unexpected(failure{exit_usage, "cannot read '" + name + "': " + std::strerror(errno)});
  }
  // Unbuffered, and read straight into `content`: no copy of a key is left behind in a
  // stdio or stack buffer that is not wiped.
  std::setvbuf(file, nullptr, _IONBF, 0);
  String content;
  for (;;) {
    const std::size_t used = content.size();
    content.resize(used + 4096);
    const std::size_t n = std::fread(content.data() + used, 1, 4096, file);
    content.resize(used + n);
    if (n == 0 || content.size() > limit) break;
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return std::unexpected(failure{exit_usage, "cannot read '" + name + "'"});
  if (content.size() > limit) {
    return std::unexpected(failure{exit_usage, "'" + name + "' is larger than 1 MiB"});
  }
  return content;
}

/// Every certificate of a PEM file, in order: a chain, leaf first.
[[nodiscard]] inline outcome<std::vector<pki::certificate<>>> load_chain(std::string_view path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  auto certs = pki::certificate<>::parse_bundle(*text);
  if (!certs) return library_failure("'" + std::string(path) + "'", certs.error(), exit_usage);
  return std::move(*certs);
}

/// The (unencrypted) private key of a PEM or DER file.
[[nodiscard]] inline outcome<pki::private_key<>> load_key(std::string_view path) {
  auto text = read_file<pki::secret_string>(path);
  if (!text) return std::unexpected(text.error());
  auto key = pki::private_key<>::parse(pki::as_bytes(*text));
  if (!key) return library_failure("'" + std::string(path) + "'", key.error(), exit_usage);
  return std::move(*key);
}

/// The certificates of a PEM bundle as trust anchors.
[[nodiscard]] inline outcome<pki::trust_store> load_anchors(std::string_view path) {
  auto certs = load_chain(path);
  if (!certs) return std::unexpected(certs.error());
  return pki::trust_store(*certs);
}

/// Prints "<program>: <message>" on standard error and gives the exit status.
inline int report(std::string_view program, const failure& f) {
  std::fprintf(stderr, "%.*s: %s\n", static_cast<int>(program.size()), program.data(), f.message.c_str());
  return f.status;
}

}  // namespace https::command_line
