/* Checks the memory map the linker script assumes (mps2-an386.ld): 4 MiB of code SSRAM at
 * 0x0 and 4 MiB of data SSRAM at 0x20000000, each mirrored right above itself, and that
 * the FPU is on for the hard-float ABI. Prints DONE OK when all hold. */

#include <stdint.h>
#include <stdio.h>

#include "fw_support.h"

/* A word written through one address must read back through its mirror one size up. */
static int mirrors(uintptr_t address, uintptr_t size) {
  volatile uint32_t* const word = (volatile uint32_t*)address;
  volatile uint32_t* const mirror = (volatile uint32_t*)(address + size);
  const uint32_t saved = *word;
  *word = 0x5EC0DE5Au;
  const int same = *mirror == 0x5EC0DE5Au;
  *word = saved;
  return same;
}

static int check(const char* name, int ok) {
  printf("STEP %s %s\n", name, ok ? "ok" : "FAILED");
  return ok;
}

int main(void) {
  extern char __fw_heap_start[], __fw_heap_end[];
  /* Probe words inside the (unused) heap and near the end of code SSRAM, away from the
   * image and the live stack. */
  const uintptr_t data_word = ((uintptr_t)__fw_heap_end - 0x1000u) & ~3u;
  int ok = check("code_ssram_4MiB", mirrors(0x003FF000u, 0x400000u));
  ok &= check("data_ssram_4MiB", mirrors(data_word, 0x400000u));
  ok &= check("heap_in_data_ssram", (uintptr_t)__fw_heap_start >= 0x20000000u);
  volatile float x = 1.5f;
  ok &= check("fpu", x * 3.0f == 4.5f);
  fw_report();
  if (!ok) return 1;
  puts("DONE OK");
  return 0;
}
