/* Output, heap and stack measurement shared by all firmware images (see fw_support.h). */

#include "fw_support.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

extern uint32_t __fw_stack_limit[], __fw_stack_top[];
extern char __fw_heap_start[], __fw_heap_end[];

/* A word the program is unlikely to write by itself, so the first one that differs from it
 * (from the bottom of the stack up) marks the deepest point the stack reached. */
#define FW_STACK_PAINT 0xC5AC5AC5u

/* Words below the painter's own stack pointer left unpainted for its own locals. */
#define FW_STACK_PAINT_MARGIN 16u

static char* heap_break;
static char* heap_high_water;
/* The break when main is entered: newlib-nano's stdio takes its FILE objects (436 bytes)
 * from the heap at start-up, the same in every image, and heap_peak leaves them out. */
static char* heap_at_main;

/* Line buffering into a static buffer: without one, newlib-nano would malloc a 1 KiB stdio
 * buffer (counted as heap the image's own work never needed), and unbuffered output would
 * make every printf build its text in a 1 KiB stack buffer (counted as stack). */
static char stdout_buffer[128];

void fw_init(void) {
  setvbuf(stdout, stdout_buffer, _IOLBF, sizeof stdout_buffer);
  heap_at_main = heap_break ? heap_break : __fw_heap_start;
}

void fw_print(const char* text) {
  fputs(text, stdout);
}

__attribute__((noinline)) void fw_stack_paint(void) {
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t* p = __fw_stack_limit; p < sp - FW_STACK_PAINT_MARGIN; ++p) *p = FW_STACK_PAINT;
}

size_t fw_stack_peak(void) {
  const uint32_t* p = __fw_stack_limit;
  while (p < __fw_stack_top && *p == FW_STACK_PAINT) ++p;
  return (size_t)((const char*)__fw_stack_top - (const char*)p);
}

size_t fw_heap_peak(void) {
  return heap_high_water > heap_at_main ? (size_t)(heap_high_water - heap_at_main) : 0;
}

/* newlib's malloc grows its arena through here: the break's high-water mark is the peak
 * heap of the whole program, whichever allocator (malloc, calloc, new) asked. */
void* _sbrk(ptrdiff_t increment) {
  if (heap_break == NULL) heap_break = __fw_heap_start;
  char* const previous = heap_break;
  const ptrdiff_t room = __fw_heap_end - previous;
  const ptrdiff_t used = previous - __fw_heap_start;
  if (increment > room || -increment > used) {
    errno = ENOMEM;
    return (void*)-1;
  }
  heap_break = previous + increment;
  if (heap_break > heap_high_water) heap_high_water = heap_break;
  return previous;
}

void fw_report(void) {
  /* Both measured before printf adds its own stack use. */
  const size_t heap = fw_heap_peak();
  const size_t stack = fw_stack_peak();
  printf("FOOTPRINT heap_peak=%lu stack_peak=%lu\n", (unsigned long)heap, (unsigned long)stack);
  if (stack >= (size_t)((const char*)__fw_stack_top - (const char*)__fw_stack_limit)) {
    fw_print("WARNING: the stack reached its limit: it may have overflowed into the heap\n");
  }
}
