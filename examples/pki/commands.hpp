#pragma once
// The pki tool's dispatch table: each command group is a translation unit of its own
// (commands_<group>.cpp) that lists its commands; main.cpp finds the one a command line
// names and runs it.

#include <span>

#include "options.hpp"

namespace pki_tool {

/// One command: what it is called and accepts (for parsing and --help), and what runs it.
struct command {
  const command_spec* spec;
  outcome<> (*run)(const arguments&);
};

// Each group's commands, in the order `pki --help` lists them.
namespace key_commands {
/// pki key generate, pki key show.
std::span<const command> commands();
}
namespace csr_commands {
/// pki csr create, pki csr show.
std::span<const command> commands();
}
namespace cert_commands {
/// pki cert self-signed, pki cert show.
std::span<const command> commands();
}
namespace ca_commands {
/// pki ca init, pki ca issue.
std::span<const command> commands();
}
namespace crl_commands {
/// pki crl create.
std::span<const command> commands();
}
namespace verify_commands {
/// pki verify.
std::span<const command> commands();
}
namespace seal_commands {
/// pki seal, pki open.
std::span<const command> commands();
}

}  // namespace pki_tool
