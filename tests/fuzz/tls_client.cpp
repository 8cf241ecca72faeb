// Fuzz target: a pki::tls client fed what a server sends. The first byte selects the
// client config (tls_fixture.hpp), the second how the bytes are chunked; the rest is the
// server's side of the connection. Seeds are recorded from real servers (seeds.cpp).

#include <cstddef>
#include <cstdint>

#include "fuzz.hpp"
#include "tls_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const auto& endpoint = pki_fuzz::clients()[data[0] % pki_fuzz::client_count];
  pki_fuzz::scripted_peer server(pki_fuzz::bytes_of(data + 2, size - 2), data[1]);
  const pki::peer_name expected = pki::dns_name{std::string(pki_fuzz::server_host)};
  pki_fuzz::run_session(pki::tls::session::client(endpoint.fresh(), server.transport(), expected), true,
                        true);
  return 0;
}
