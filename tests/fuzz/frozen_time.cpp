// time() for the TLS fuzz targets and the seed recorder: always fuzz.hpp's fixed_now.
// mbedTLS writes time(NULL) into the first four bytes of a TLS 1.2 Hello's random and dates
// session tickets with it; frozen, a client's or a server's handshake bytes depend only on
// what it receives (tls_fixture.hpp makes its random generator deterministic too), so a
// recorded flight replays the whole handshake on every later run. This definition in the
// executable takes the place of the C library's for every caller, mbedTLS's archives
// included; the library's own clock (std::chrono::system_clock, from clock_gettime) and
// libFuzzer's are unaffected.

#include <chrono>
#include <ctime>

#include "fuzz.hpp"

extern "C" std::time_t time(std::time_t* out) noexcept {
  const auto now = static_cast<std::time_t>(pki_fuzz::fixed_now.time_since_epoch().count());
  if (out != nullptr) *out = now;
  return now;
}
