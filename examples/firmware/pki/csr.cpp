// A device's enrolment: a new P-256 key from PSA (seeded by the board's entropy source,
// here the test-only one of fw_test_only_entropy.c) and a CSR for it, printed as PEM for
// the host to check (the firmware test runs `openssl req -verify` on it).

#include <pki/keys/key.hpp>
#include <pki/x509/csr.hpp>
#include <pki/x509/csr_builder.hpp>

#include <cstdio>
#include <string>

#include "fw_data.h"
#include "steps.hpp"

namespace fw {

bool csr_steps() {
  auto key = pki::private_key<pki::ecdsa_p256>::generate();
  if (!report("generate_p256_key", ok_of(key))) return false;

  auto request = pki::csr_builder()
                     .subject("CN=" FW_DEVICE_HOST ",O=Example Devices")
                     .dns(FW_DEVICE_HOST)
                     .sign(*key);
  if (!report("make_csr", ok_of(request))) return false;
  auto pem = request->to_pem();
  if (!report("csr_to_pem", ok_of(pem))) return false;
  std::fputs(pem->c_str(), stdout);
  return true;
}

}  // namespace fw
