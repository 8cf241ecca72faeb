// pki crl create: the `openssl ca -gencrl` flow, with the revoked serials given on the
// command line instead of kept in a database.

#include <pki/issue/authority.hpp>
#include <pki/core/bytes.hpp>
#include <pki/x509/crl.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "inputs.hpp"
#include "io.hpp"
#include "options.hpp"

namespace pki_tool::crl_commands {
namespace {

constexpr option create_options[] = {
    {.name = "--ca-cert", .value_name = "CERT", .help = "the issuing CA's certificate", .required = true},
    {.name = "--ca-key", .value_name = "KEY", .help = "the issuing CA's private key", .required = true},
    {.name = "--revoke",
     .value_name = "SERIAL_HEX",
     .help = "a revoked certificate's serial, hex as `cert show` prints it",
     .count = arity::repeated},
    {.name = "--days", .value_name = "N", .help = "days from now until nextUpdate", .required = true},
    {.name = "--out", .value_name = "CRL", .help = "the CRL file to write (PEM)", .required = true},
    password_file_option,
    password_env_option,
};
constexpr command_spec create_spec{
    .path = "crl create",
    .summary = "create a certificate revocation list",
    .description =
        "Writes a v2 CRL signed by the CA, listing the serials given as revoked now;\n"
        "thisUpdate is now, nextUpdate N days later. Its cRLNumber is the Unix time of\n"
        "thisUpdate, so each later CRL has a larger number without keeping state.",
    .options = create_options};

/// A serial's INTEGER content octets from hex ("40:1a:...", "401A...", "0x401a"): the
/// magnitude, with a leading zero octet when its top bit is set (serials are positive).
[[nodiscard]] outcome<pki::byte_buffer> parse_serial(std::string_view text) {
  std::string digits;
  std::string_view rest = text;
  if (rest.starts_with("0x") || rest.starts_with("0X")) rest.remove_prefix(2);
  for (const char c : rest) {
    if (c != ':') digits += c;
  }
  if (digits.size() % 2 != 0) digits.insert(0, 1, '0');
  auto bytes = pki::from_hex(digits);
  if (!bytes || bytes->empty() || bytes->size() > 21) {
    return usage_error("--revoke '" + std::string(text) + "' is not a serial number in hex");
  }
  std::size_t first = 0;
  while (first + 1 < bytes->size() && (*bytes)[first] == 0) ++first;
  pki::byte_buffer serial(bytes->begin() + static_cast<std::ptrdiff_t>(first), bytes->end());
  if (serial.size() == 1 && serial[0] == 0)
    return usage_error("--revoke '" + std::string(text) + "': a serial is positive");
  if ((serial[0] & 0x80) != 0) serial.insert(serial.begin(), 0);
  return serial;
}

/// `pki crl create`: a CRL signed by the CA listing the --revoke serials as revoked now.
[[nodiscard]] outcome<> create(const arguments& args) {
  auto days = parse_days(args);
  if (!days) return std::unexpected(days.error());
  const auto period = validity_from_now(*days);
  std::vector<pki::revoked_certificate> revoked;
  for (const auto text : args.values("--revoke")) {
    auto serial = parse_serial(text);
    if (!serial) return std::unexpected(serial.error());
    pki::revoked_certificate entry;
    entry.serial = std::move(*serial);
    entry.revocation_date = period.not_before;
    revoked.push_back(std::move(entry));
  }
  auto authority = load_authority(args);
  if (!authority) return std::unexpected(authority.error());
  const auto number = static_cast<std::uint64_t>(period.not_before.time_since_epoch().count());
  auto list = authority->issue_crl(revoked, {period.not_before, period.not_after}, number);
  if (!list) return library_error("issuing the CRL", list.error());
  auto pem = list->to_pem();
  if (!pem) return library_error("encoding the CRL", pem.error());
  return write_file(args.value("--out"), *pem, public_file_mode);
}

}  // namespace

std::span<const command> commands() {
  static constexpr command table[] = {
      {&create_spec, create},
  };
  return table;
}

}  // namespace pki_tool::crl_commands
