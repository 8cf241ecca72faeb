/* TEST-ONLY ENTROPY. QEMU's mps2-an386 has no random number generator, so the images
 * seed mbedTLS from a fixed-seed pseudo-random sequence: every run draws the same "random"
 * keys and nonces. Nothing built with this file may ever hold a real secret.
 *
 * What a real board does instead: it configures mbedTLS the same way
 * (MBEDTLS_NO_PLATFORM_ENTROPY + MBEDTLS_ENTROPY_HARDWARE_ALT) and implements
 * mbedtls_hardware_poll() over its TRNG peripheral (for example an STM32's RNG or an nRF's
 * CRYPTOCELL), returning raw TRNG output and failing (nonzero) when the peripheral reports a
 * health-test error. mbedTLS's entropy module conditions those bytes (SHA-256) and seeds the
 * CTR_DRBG behind PSA's psa_generate_random, which is where pki draws all its randomness. */

#include <mbedtls/build_info.h>

#include <stdint.h>
#include <stdio.h>

#include "fw_support.h"

static uint64_t test_only_state = 0x9E3779B97F4A7C15u;

/* SplitMix64: a statistically decent sequence, and nothing more. */
static uint64_t test_only_next(void) {
  uint64_t z = (test_only_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

static void warn_once(void) {
  static int warned;
  if (warned) return;
  warned = 1;
  fw_print(
      "WARNING: TEST-ONLY entropy (QEMU has no TRNG); a board supplies "
      "mbedtls_hardware_poll from its TRNG\n");
}

int fw_test_only_entropy(unsigned char* out, size_t size) {
  warn_once();
  while (size > 0) {
    uint64_t word = test_only_next();
    for (int i = 0; i < 8 && size > 0; ++i, --size, word >>= 8) *out++ = (unsigned char)word;
  }
  return 0;
}

#if defined(MBEDTLS_ENTROPY_HARDWARE_ALT)
/* Declared in mbedTLS's library/entropy_poll.h, which is not installed. */
int mbedtls_hardware_poll(void* data, unsigned char* output, size_t len, size_t* olen);

int mbedtls_hardware_poll(void* data, unsigned char* output, size_t len, size_t* olen) {
  (void)data;
  fw_test_only_entropy(output, len);
  *olen = len;
  return 0;
}
#endif
