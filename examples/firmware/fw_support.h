/* What every firmware image shares: output over semihosting, memory measurement, and the
 * test-only entropy source. C and C++ images include it alike. */
#ifndef FW_SUPPORT_H
#define FW_SUPPORT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit status of an image that took a fault (main's own failures return 1). */
#define FW_EXIT_FAULT 3

/* Writes text as is to the host's standard output (stdio works too: printf, puts). */
void fw_print(const char* text);

/* Prints `FOOTPRINT heap_peak=<bytes> stack_peak=<bytes>`: the most heap ever taken from
 * _sbrk (malloc, calloc and C++ new all come through it) since main was entered (newlib's
 * stdio FILE objects, taken before, are left out) and the deepest stack use since reset,
 * both measured up to this call. */
void fw_report(void);

/* Bytes of heap taken from _sbrk at its high-water mark, counted from main's entry. */
size_t fw_heap_peak(void);

/* Bytes of stack below its top that have been written since reset. */
size_t fw_stack_peak(void);

/* TEST ONLY: fills out with bytes from a fixed-seed generator, no entropy at all. It
 * stands in for a TRNG because QEMU's mps2-an386 has none; it warns once when first used.
 * Returns 0. */
int fw_test_only_entropy(unsigned char* out, size_t size);

/* Called by Reset_Handler (startup.c) only. */
void fw_stack_paint(void);
void fw_init(void);

#ifdef __cplusplus
}
#endif

#endif
