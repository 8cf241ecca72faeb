// Fuzz target: a pki::tls server fed what a client sends. The first byte selects the
// server config (tls_fixture.hpp), the second how the bytes are chunked; the rest is the
// client's side of the connection. Seeds are recorded from real clients (seeds.cpp).

#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "tls_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto& endpoint = pki_fuzz::servers()[data[0] % pki_fuzz::server_count];
  pki_fuzz::scripted_peer client(pki_fuzz::bytes_of(data + 2, size - 2), data[1]);
  pki_fuzz::run_session(pki::tls::session::server(endpoint.fresh(), client.transport()),
                        endpoint.config.authenticates_peer(), false);
  return 0;
}
