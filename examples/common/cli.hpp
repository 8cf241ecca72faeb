#pragma once
// The command-line machinery of the example programs (the pki tool, https-server and
// https-client): exit statuses, the failure a command stops with, option specifications,
// an argument parser that reads argv against one, and option values read as numbers.

#include <pki/core/error.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace example_cli {

/// Success, a negative verdict (something was checked and found wanting), and bad
/// usage or unreadable or invalid input.
inline constexpr int exit_success = 0;
inline constexpr int exit_negative = 1;
inline constexpr int exit_usage = 2;

/// Why a command stopped: its exit status, a one-line message, and whether the command's
/// usage line should follow the message.
struct failure {
  int status = exit_usage;
  std::string message;
  bool show_usage = false;
};

/// A command step's value, or why the command stops.
template <class T = void>
using outcome = std::expected<T, failure>;

/// The command was called wrongly: exit 2, followed by its usage line.
[[nodiscard]] inline std::unexpected<failure> usage_error(std::string message) {
  return std::unexpected(failure{exit_usage, std::move(message), true});
}
/// An input could not be read or is invalid: exit 2.
[[nodiscard]] inline std::unexpected<failure> input_error(std::string message) {
  return std::unexpected(failure{exit_usage, std::move(message), false});
}
/// The library refused: "<what>: <pki::error::message()>", exit `status` (2 unless given).
[[nodiscard]] inline std::unexpected<failure> library_error(std::string_view what, const pki::error& e,
                                                            int status = exit_usage) {
  std::string message(what);
  message += ": ";
  message += e.message();
  return std::unexpected(failure{status, std::move(message), false});
}

/// How many times an option may be given, and whether it takes a value.
enum class arity : std::uint8_t { flag, once, repeated };

/// One option a command accepts.
struct option {
  std::string_view name = {};        ///< "--out"
  std::string_view value_name = {};  ///< "FILE"; empty for a flag
  std::string_view help = {};
  bool required = false;
  arity count = arity::once;
};

/// What a command is called, what it takes and what it does, for parsing and for --help.
struct command_spec {
  std::string_view path = {};         ///< "key generate"; empty for a program without commands
  std::string_view summary = {};      ///< one line for the command list
  std::string_view description = {};  ///< a paragraph for --help
  std::span<const option> options = {};
  std::string_view operand = {};  ///< the one positional argument ("KEY"), or none
  std::string_view program = "pki";
  /// What each exit status means, for the last line of --help.
  std::string_view exit_statuses = "0 success, 1 negative verdict, 2 bad usage or unreadable/invalid input";
};

/// "usage: pki key generate --algorithm ALG --out KEY [--password-file FILE] ...".
[[nodiscard]] inline std::string usage_line(const command_spec& spec) {
  std::string line = "usage: ";
  line += spec.program;
  if (!spec.path.empty()) line.append(" ").append(spec.path);
  for (const auto& opt : spec.options) {
    std::string text(opt.name);
    if (opt.count != arity::flag) text.append(" ").append(opt.value_name);
    if (!opt.required) text = "[" + text + "]";
    if (opt.count == arity::repeated) text += "...";
    line.append(" ").append(text);
  }
  if (!spec.operand.empty()) line.append(" ").append(spec.operand);
  return line;
}

/// The --help text: usage, description, one line per option (the help texts aligned in a
/// column wide enough for the longest option).
[[nodiscard]] inline std::string help_text(const command_spec& spec) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& opt : spec.options) {
    std::string left(opt.name);
    if (opt.count != arity::flag) left.append(" ").append(opt.value_name);
    std::string help(opt.help);
    if (opt.count == arity::repeated) help += " (repeatable)";
    rows.emplace_back(std::move(left), std::move(help));
  }
  rows.emplace_back("--help", "print this text and exit");
  std::size_t column = 26;
  for (const auto& row : rows) column = std::max(column, row.first.size() + 4);
  std::string text = usage_line(spec);
  text.append("\n\n").append(spec.description).append("\n\noptions:\n");
  for (const auto& [left, help] : rows) {
    std::string line = "  " + left;
    line.resize(column, ' ');
    text.append(line).append(help).append("\n");
  }
  text.append("\nexit status: ").append(spec.exit_statuses).append("\n");
  return text;
}

/// The options and operand of one command line, checked against its spec. The views
/// point into argv, which lives as long as the program.
class arguments {
 public:
  /// The value of an option given once; empty when it is absent.
  [[nodiscard]] std::string_view value(std::string_view name) const {
    const auto* entry = find(name);
    return entry != nullptr && !entry->second.empty() ? entry->second.front() : std::string_view{};
  }
  /// True when the option was given.
  [[nodiscard]] bool has(std::string_view name) const { return find(name) != nullptr; }
  /// Every value of a repeatable option, in order.
  [[nodiscard]] std::span<const std::string_view> values(std::string_view name) const {
    const auto* entry = find(name);
    return entry != nullptr ? std::span<const std::string_view>(entry->second)
                            : std::span<const std::string_view>{};
  }
  /// The positional argument; empty when the command takes none.
  [[nodiscard]] std::string_view operand() const noexcept { return operand_; }
  /// True when --help (or -h) was given: the rest of the line is not checked.
  [[nodiscard]] bool help() const noexcept { return help_; }

  /// Reads `args` (argv after the program name and command words) against `spec`: usage_error for an unknown
  /// option, a missing value or required option, an option given twice, or a stray argument.
  [[nodiscard]] static outcome<arguments> parse(const command_spec& spec, std::span<char* const> args) {
    arguments out;
    for (const char* raw : args) {
      const std::string_view arg(raw);
      if (arg == "--help" || arg == "-h") {
        out.help_ = true;
        return out;
      }
    }
    bool options_done = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string_view arg(args[i]);
      if (options_done || !arg.starts_with("-") || arg == "-") {
        if (auto ok = out.take_operand(spec, arg); !ok) return std::unexpected(ok.error());
        continue;
      }
      if (arg == "--") {
        options_done = true;
        continue;
      }
      const std::size_t equals = arg.find('=');
      const std::string_view name = arg.substr(0, equals);
      const option* opt = lookup(spec, name);
      if (opt == nullptr) return usage_error("unknown option '" + std::string(name) + "'");
      std::optional<std::string_view> value;
      if (equals != std::string_view::npos) {
        if (opt->count == arity::flag) return usage_error("option " + std::string(name) + " takes no value");
        value = arg.substr(equals + 1);
      } else if (opt->count != arity::flag) {
        // A following option is a forgotten value, not the value.
        if (i + 1 == args.size() || std::string_view(args[i + 1]).starts_with("--")) {
          return usage_error("option " + std::string(name) + " needs a value (" +
                             std::string(opt->value_name) + ")");
        }
        value = std::string_view(args[++i]);
      }
      if (auto ok = out.add(*opt, value.value_or(std::string_view{})); !ok)
        return std::unexpected(ok.error());
    }
    for (const auto& opt : spec.options) {
      if (opt.required && !out.has(opt.name)) {
        return usage_error("missing required option " + std::string(opt.name));
      }
    }
    if (!spec.operand.empty() && out.operand_.empty()) {
      return usage_error("missing " + std::string(spec.operand) + " argument");
    }
    return out;
  }

 private:
  using entry_type = std::pair<std::string_view, std::vector<std::string_view>>;

  [[nodiscard]] static const option* lookup(const command_spec& spec, std::string_view name) noexcept {
    for (const auto& opt : spec.options) {
      if (opt.name == name) return &opt;
    }
    return nullptr;
  }
  [[nodiscard]] const entry_type* find(std::string_view name) const noexcept {
    for (const auto& entry : entries_) {
      if (entry.first == name) return &entry;
    }
    return nullptr;
  }
  [[nodiscard]] outcome<> add(const option& opt, std::string_view value) {
    if (opt.count != arity::flag && value.empty()) {
      return usage_error("option " + std::string(opt.name) + " has an empty value");
    }
    for (auto& entry : entries_) {
      if (entry.first != opt.name) continue;
      if (opt.count != arity::repeated)
        return usage_error("option " + std::string(opt.name) + " given twice");
      entry.second.push_back(value);
      return {};
    }
    entries_.emplace_back(opt.name, std::vector<std::string_view>{value});
    return {};
  }
  [[nodiscard]] outcome<> take_operand(const command_spec& spec, std::string_view arg) {
    if (spec.operand.empty() || !operand_.empty()) {
      return usage_error("unexpected argument '" + std::string(arg) + "'");
    }
    if (arg.empty()) return usage_error("the " + std::string(spec.operand) + " argument is empty");
    operand_ = arg;
    return {};
  }

  std::vector<entry_type> entries_;
  std::string_view operand_;
  bool help_ = false;
};

/// A whole number in [minimum, maximum] from an option's value; usage_error otherwise.
template <class Number = std::uint32_t>
[[nodiscard]] outcome<Number> parse_number(std::string_view option_name, std::string_view text,
                                           std::type_identity_t<Number> minimum,
                                           std::type_identity_t<Number> maximum) {
  Number number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{} || end != text.data() + text.size() || number < minimum || number > maximum) {
    return usage_error(std::string(option_name) + " must be a whole number from " + std::to_string(minimum) +
                       " to " + std::to_string(maximum) + ", not '" + std::string(text) + "'");
  }
  return number;
}

}  // namespace example_cli
