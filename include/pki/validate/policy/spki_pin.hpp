#pragma once
// policy::spki_pin — the path must hold a public key whose SHA-256 over the
// SubjectPublicKeyInfo (the HPKP / `openssl pkey -pubin -outform DER | sha256sum` pin)
// is one of the pins. No pins pins nothing: every path fails.

#include <algorithm>
#include <utility>
#include <vector>

#include "../../core/hash.hpp"
#include "policy.hpp"

namespace pki::policy {

struct spki_pin : rule {
  spki_pin() = default;
  explicit spki_pin(std::vector<digest> sha256_pins) : pins(std::move(sha256_pins)) {}

  [[nodiscard]] result<void> check_path(const path_context& ctx) const {
    for (const auto& cert : ctx.path) {
      auto h = hash(hash_algorithm::sha256, cert.public_key_der());
      if (!h) return std::unexpected(h.error());
      if (std::ranges::any_of(
              pins, [&](const digest& pin) { return std::ranges::equal(pin.bytes(), h->bytes()); })) {
        return {};
      }
    }
    return fail(errc::pin_mismatch, "no key on the path has a pinned SHA-256 SPKI hash");
  }

  std::vector<digest> pins{};
};

}  // namespace pki::policy
