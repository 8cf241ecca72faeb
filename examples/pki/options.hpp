#pragma once
// The pki tool's command line: the example programs' shared machinery
// (examples/common/cli.hpp) in namespace pki_tool, and the options several commands accept.

#include "../common/cli.hpp"

namespace pki_tool {

using namespace example_cli;

/// The options every command that reads or writes a private key accepts for its password.
inline constexpr option password_file_option{.name = "--password-file",
                                             .value_name = "FILE",
                                             .help = "read the key's password from the first line of FILE"};
inline constexpr option password_env_option{.name = "--password-env",
                                            .value_name = "NAME",
                                            .help = "read the key's password from environment variable NAME"};

/// The subject alternative name options of the commands that name a subject.
inline constexpr option dns_option{.name = "--dns",
                                   .value_name = "NAME",
                                   .help = "a DNS subject alternative name",
                                   .count = arity::repeated};
inline constexpr option ip_option{.name = "--ip",
                                  .value_name = "ADDR",
                                  .help = "an IPv4 or IPv6 subject alternative name",
                                  .count = arity::repeated};

}  // namespace pki_tool
