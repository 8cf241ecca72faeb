#pragma once
// The pki firmware images' steps (one file each, so that an image links only the steps of
// its feature set) and how each reports: `STEP <name> ok` or `STEP <name> FAILED: <why>`.

#include <pki/core/error.hpp>
#include <pki/x509/certificate.hpp>

#include <cstddef>
#include <cstdio>

namespace fw {

/// Prints the step's verdict; true when it passed.
inline bool report(const char* name, const pki::result<void>& outcome) {
  if (outcome) {
    std::printf("STEP %s ok\n", name);
    return true;
  }
  std::printf("STEP %s FAILED: %s\n", name, outcome.error().message().c_str());
  return false;
}

/// Success or the error of `r`, for report().
template <class T>
pki::result<void> ok_of(const pki::result<T>& r) {
  return r ? pki::result<void>() : std::unexpected(r.error());
}

/// A certificate of fw_data.h, which holds them as DER.
inline pki::result<pki::certificate<>> parse_certificate(const unsigned char* der, std::size_t size) {
  return pki::certificate<>::parse(pki::byte_view(der, size));
}

/// The refusal `outcome` must be: its errc is `expected`.
template <class T>
pki::result<void> refused_with(const pki::result<T>& outcome, pki::errc expected) {
  if (outcome) return pki::fail(pki::errc::invalid_argument, "accepted what must be refused");
  if (outcome.error() != expected) return std::unexpected(outcome.error());
  std::printf("  refused as expected: %s\n", outcome.error().message().c_str());
  return {};
}

bool validate_steps();  // validate.cpp
bool csr_steps();       // csr.cpp
bool tls_client_steps();  // tls.cpp: a client handshake started, no server in the image
bool mtls_steps();        // tls.cpp: client and server in the image, mutual TLS, a message

}  // namespace fw
