/* Reset and fault handling for the firmware images on QEMU's mps2-an386 (Cortex-M4F).
 *
 * The images do their own start-up instead of rdimon's crt0: crt0 asks the debugger
 * (SYS_HEAPINFO) where the stack and heap go, and QEMU answers from its RAM model, not
 * from this linker script, so the painted stack and the measured heap would be elsewhere.
 * What crt0 does that matters here is done below: .data copy, .bss clear, semihosting
 * handles, constructors, exit(main()).
 */

#include <stdint.h>
#include <stdlib.h>

#include "fw_support.h"

extern uint32_t __fw_stack_top[];
extern uint32_t __fw_data_start[], __fw_data_end[], __fw_data_load[];
extern uint32_t __fw_bss_start[], __fw_bss_end[];
typedef void (*fw_init_fn)(void);
extern fw_init_fn __fw_preinit_array_start[], __fw_preinit_array_end[];
extern fw_init_fn __fw_init_array_start[], __fw_init_array_end[];

extern void initialise_monitor_handles(void); /* librdimon: opens :tt for stdio */
extern int main(void);

void Reset_Handler(void);
void Fault_Handler(void);

/* C++ objects with destructors register them against this handle (normally crtbegin's). */
void* __dso_handle = &__dso_handle;

/* Semihosting operations (Arm "Semihosting for AArch32 and AArch64", v2). */
enum {
  SEMIHOST_SYS_WRITE0 = 0x04,
  SEMIHOST_SYS_EXIT_EXTENDED = 0x20,
  ADP_STOPPED_APPLICATION_EXIT = 0x20026,
};

/* M-profile semihosting is a BKPT 0xAB with the operation in r0 and its argument in r1. */
static uintptr_t semihost_call(uintptr_t op, const void* arg) {
  register uintptr_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

/* The fault path must not depend on newlib (the fault may be inside malloc or stdio). */
static void semihost_write0(const char* text) {
  semihost_call(SEMIHOST_SYS_WRITE0, text);
}

/* SYS_EXIT_EXTENDED carries a status; plain SYS_EXIT on AArch32 can only say 0 or 1. */
static void semihost_exit(uint32_t status) {
  const uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, status};
  semihost_call(SEMIHOST_SYS_EXIT_EXTENDED, block);
  for (;;) {
  }
}

/* The hard-float ABI lets the compiler use FP registers anywhere, so CP10/CP11 must be
 * enabled before any C code beyond this function runs. */
static void enable_fpu(void) {
#if defined(__ARM_FP)
  volatile uint32_t* const cpacr = (volatile uint32_t*)0xE000ED88u;
  *cpacr |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
}

static void copy_data_and_clear_bss(void) {
  const uint32_t* from = __fw_data_load;
  for (uint32_t* to = __fw_data_start; to < __fw_data_end;) *to++ = *from++;
  for (uint32_t* p = __fw_bss_start; p < __fw_bss_end;) *p++ = 0;
}

static void run_constructors(void) {
  for (fw_init_fn* f = __fw_preinit_array_start; f < __fw_preinit_array_end; ++f) (*f)();
  for (fw_init_fn* f = __fw_init_array_start; f < __fw_init_array_end; ++f) (*f)();
}

void Reset_Handler(void) {
  enable_fpu();
  copy_data_and_clear_bss();
  fw_stack_paint();
  initialise_monitor_handles();
  fw_init();
  run_constructors();
  exit(main());
}

static char* append(char* out, const char* text) {
  while (*text) *out++ = *text++;
  return out;
}

static char* append_hex(char* out, const char* label, uint32_t value) {
  out = append(out, label);
  out = append(out, "=0x");
  for (int shift = 28; shift >= 0; shift -= 4) *out++ = "0123456789abcdef"[(value >> shift) & 0xFu];
  *out++ = ' ';
  return out;
}

/* frame: the registers the core stacked on entry (r0-r3, r12, lr, pc, xpsr). */
void fw_fault_report(const uint32_t* frame, uint32_t exc_return) {
  static char line[200];
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  char* out = append(line, "FAULT ");
  out = append_hex(out, "vector", ipsr & 0x1FFu);
  out = append_hex(out, "pc", frame[6]);
  out = append_hex(out, "lr", frame[5]);
  out = append_hex(out, "xpsr", frame[7]);
  out = append_hex(out, "exc_return", exc_return);
  out = append_hex(out, "cfsr", *(volatile uint32_t*)0xE000ED28u);
  out = append_hex(out, "hfsr", *(volatile uint32_t*)0xE000ED2Cu);
  out = append_hex(out, "mmfar", *(volatile uint32_t*)0xE000ED34u);
  out = append_hex(out, "bfar", *(volatile uint32_t*)0xE000ED38u);
  append(out, "\n");
  semihost_write0(line);
  semihost_exit(FW_EXIT_FAULT);
}

/* Every exception but reset lands here: none is expected, so each is reported as a fault.
 * Naked, so that the stacked frame is found before the compiler pushes anything. */
__attribute__((naked)) void Fault_Handler(void) {
  __asm__ volatile(
      "tst lr, #4\n\t"
      "ite eq\n\t"
      "mrseq r0, msp\n\t"
      "mrsne r0, psp\n\t"
      "mov r1, lr\n\t"
      "b fw_fault_report\n\t");
}

/* Initial stack pointer, reset, then the 14 system exceptions and the board's 32
 * interrupts (CMSDK UARTs, timers, ...), none of which the images enable. */
#define FW_VECTOR_COUNT (16 + 32)
__attribute__((section(".vectors"), used)) static const uintptr_t fw_vectors[FW_VECTOR_COUNT] = {
    [0] = (uintptr_t)__fw_stack_top,
    [1] = (uintptr_t)Reset_Handler,
    [2 ... FW_VECTOR_COUNT - 1] = (uintptr_t)Fault_Handler,
};
