// pki: a command-line tool over the pki library that mirrors the OpenSSL flows for
// keys, CSRs, certificates, a certificate authority and CRLs, reading and writing PEM,
// and verifies certificate paths.
//
//   pki key generate --algorithm ec-p256 --out root.key
//   pki ca init --key root.key --subject "CN=Acme Root" --days 3650 --out root.pem
//   pki cert show root.pem
//   pki verify --trust root.pem --untrusted issuing-ca.pem --host www.acme.example server.pem
//   pki seal --to server.pem --in backup.tar --out backup.tar.sealed
//   pki open --key server.key --in backup.tar.sealed --out backup.tar
//
// Exit status: 0 success, 1 a negative verdict, 2 bad usage or unreadable/invalid input,
// with one line "pki: <command>: <message>" on standard error.

#include <pki/core/version.hpp>

#include <algorithm>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "options.hpp"

namespace {

using pki_tool::arguments;
using pki_tool::command;
using pki_tool::command_spec;

/// Every command, group by group, in the order `pki --help` lists them.
const std::vector<command>& commands() {
  static const std::vector<command> all = [] {
    std::vector<command> list;
    for (auto group : {pki_tool::key_commands::commands, pki_tool::csr_commands::commands,
                       pki_tool::cert_commands::commands, pki_tool::ca_commands::commands,
                       pki_tool::crl_commands::commands, pki_tool::verify_commands::commands,
                       pki_tool::seal_commands::commands}) {
      const auto entries = group();
      list.insert(list.end(), entries.begin(), entries.end());
    }
    return list;
  }();
  return all;
}

constexpr std::string_view tool_usage = "usage: pki <command> [<subcommand>] [options]   (pki --help)";

/// True for a command of one word ("verify"), which has no subcommands.
bool is_single_word(const command& c) {
  return c.spec->path.find(' ') == std::string_view::npos;
}
/// "key" of "key generate"; "verify" of "verify".
std::string_view group_of(const command& c) {
  return c.spec->path.substr(0, c.spec->path.find(' '));
}
/// "generate" of "key generate".
std::string_view name_of(const command& c) {
  return c.spec->path.substr(c.spec->path.find(' ') + 1);
}

/// Prints "pki: <where>: <message>" (one line: line breaks in quoted input become spaces).
int report(std::string_view where, std::string message, int status = pki_tool::exit_usage,
           std::string_view usage = {}) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (where.empty()) {
    std::fprintf(stderr, "pki: %s\n", message.c_str());
  } else {
    std::fprintf(stderr, "pki: %.*s: %s\n", static_cast<int>(where.size()), where.data(), message.c_str());
  }
  if (!usage.empty()) std::fprintf(stderr, "%.*s\n", static_cast<int>(usage.size()), usage.data());
  return status;
}

/// The command list: every command, or those of one group.
std::string command_list(std::string_view group = {}) {
  std::string text = "commands:\n";
  for (const auto& c : commands()) {
    if (!group.empty() && group_of(c) != group) continue;
    std::string line = "  pki " + std::string(c.spec->path);
    line.resize(std::max<std::size_t>(line.size() + 2, 26), ' ');
    text.append(line).append(c.spec->summary).append("\n");
  }
  return text;
}

int print(const std::string& text) {
  std::fputs(text.c_str(), stdout);
  return pki_tool::exit_success;
}

int overview() {
  std::string text(tool_usage);
  text +=
      "\n\nKeys, certificate signing requests, certificates, a certificate authority and\n"
      "CRLs as PEM files, certificate path validation, and files of any size encrypted to a\n"
      "certificate or public key, on the pki library ";
  text.append(pki::version_string).append(" and mbedTLS ").append(pki::mbedtls_version_string);
  text += ".\nPasswords come only from a file (--password-file) or the environment (--password-env).\n\n";
  text += command_list();
  text += "\n`pki <command> [<subcommand>] --help` describes a command's options.\n";
  text += "exit status: 0 success, 1 negative verdict, 2 bad usage or unreadable/invalid input\n";
  return print(text);
}

/// "generate, show": the subcommands of a group.
std::string subcommands(std::string_view group) {
  std::string names;
  for (const auto& c : commands()) {
    if (group_of(c) != group) continue;
    names += names.empty() ? "" : ", ";
    names += name_of(c);
  }
  return names;
}

int run_command(const command& c, std::span<char* const> rest) {
  const std::string_view path = c.spec->path;
  auto args = arguments::parse(*c.spec, rest);
  if (!args) return report(path, args.error().message, args.error().status, pki_tool::usage_line(*c.spec));
  if (args->help()) return print(pki_tool::help_text(*c.spec));
  if (auto ok = c.run(*args); !ok) {
    return report(path, ok.error().message, ok.error().status,
                  ok.error().show_usage ? pki_tool::usage_line(*c.spec) : std::string());
  }
  if (std::fflush(stdout) != 0) return report(path, "cannot write to standard output");
  return pki_tool::exit_success;
}

int dispatch(std::span<char* const> args) {
  if (args.empty()) return report({}, "missing command", pki_tool::exit_usage, tool_usage);
  const std::string_view group(args[0]);
  if (group == "--help" || group == "-h" || group == "help") return overview();
  if (group == "--version") return print(std::string("pki ") + pki::version_string + "\n");
  for (const auto& c : commands()) {
    if (is_single_word(c) && c.spec->path == group) return run_command(c, args.subspan(1));
  }
  const std::string known = subcommands(group);
  if (known.empty())
    return report(group, "unknown command (see pki --help)", pki_tool::exit_usage, tool_usage);
  if (args.size() < 2) {
    return report(group, "missing subcommand (" + known + ")", pki_tool::exit_usage, tool_usage);
  }
  const std::string_view name(args[1]);
  if (name == "--help" || name == "-h") {
    return print("usage: pki " + std::string(group) + " <subcommand> [options]\n\n" + command_list(group));
  }
  for (const auto& c : commands()) {
    if (group_of(c) == group && name_of(c) == name) return run_command(c, args.subspan(2));
  }
  return report(std::string(group) + " " + std::string(name),
                "unknown command (" + std::string(group) + " has " + known + ")", pki_tool::exit_usage,
                tool_usage);
}

}  // namespace

int main(int argc, char** argv) {
  return dispatch(std::span<char* const>(argv, static_cast<std::size_t>(argc)).subspan(argc > 0 ? 1 : 0));
}
