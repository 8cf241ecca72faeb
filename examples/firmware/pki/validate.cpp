// Steps of every feature set: parse the chain a broker presents (its certificate and the
// issuing CA) and the device's trust anchor, and validate the chain under
// policy::iot_mtls_client at a given time: accepted for the broker's name, refused for
// another with name_mismatch, and refused with time_unknown when no time is given, since
// the board has no clock (core/clock.hpp). Then the board's clock is set for what follows.

#include <pki/core/clock.hpp>
#include <pki/validate/policy/presets.hpp>
#include <pki/validate/trust_store.hpp>
#include <pki/validate/validator.hpp>
#include <pki/x509/certificate.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fw_data.h"
#include "steps.hpp"

namespace fw {
namespace {

const std::chrono::sys_seconds validation_time{std::chrono::seconds(FW_VALIDATION_TIME)};

// A board reads its RTC here; QEMU's has no battery-backed one, so the image's "RTC"
// reads the instant the test chain is checked at.
std::optional<std::chrono::sys_seconds> board_rtc() noexcept { return validation_time; }

struct broker_chain {
  pki::trust_store anchors;
  pki::certificate<> leaf;
  std::vector<pki::certificate<>> sent;
};

pki::result<broker_chain> parse_chain() {
  auto root = parse_certificate(fw_root_der, fw_root_der_len);
  if (!root) return std::unexpected(root.error());
  auto issuing = parse_certificate(fw_intermediate_der, fw_intermediate_der_len);
  if (!issuing) return std::unexpected(issuing.error());
  auto leaf = parse_certificate(fw_server_der, fw_server_der_len);
  if (!leaf) return std::unexpected(leaf.error());
  broker_chain chain{{}, std::move(*leaf), {std::move(*issuing)}};
  chain.anchors.add(*root);
  std::printf("  broker: %s\n", chain.leaf.subject().to_string().c_str());
  return chain;
}

pki::result<pki::chain<>> validate(const broker_chain& c, std::string host, std::optional<std::chrono::sys_seconds> at) {
  const pki::validator<pki::policy::iot_mtls_client> validator{c.anchors};
  return validator.verify(c.leaf, c.sent, {.peer = pki::dns_name{std::move(host)}, .time = at});
}

}  // namespace

bool validate_steps() {
  auto chain = parse_chain();
  if (!report("parse_chain", ok_of(chain))) return false;

  const auto path = validate(*chain, FW_SERVER_HOST, validation_time);
  if (path) std::printf("  path of %u certificates to the anchor\n", static_cast<unsigned>(path->size()));
  if (!report("validate_iot_mtls_client", ok_of(path))) return false;

  if (!report("refuse_wrong_host",
              refused_with(validate(*chain, FW_WRONG_HOST, validation_time), pki::errc::name_mismatch)))
    return false;
  if (!report("refuse_without_time",
              refused_with(validate(*chain, FW_SERVER_HOST, std::nullopt), pki::errc::time_unknown)))
    return false;

  pki::set_clock(&board_rtc);  // from here on, defaults read the board's clock
  return report("board_clock_set", validate(*chain, FW_SERVER_HOST, std::nullopt)
                                       ? pki::result<void>()
                                       : pki::fail(pki::errc::time_unknown, "the board clock is not read"));
}

}  // namespace fw
