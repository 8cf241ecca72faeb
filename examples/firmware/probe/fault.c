/* A fault must be reported over semihosting and end QEMU with FW_EXIT_FAULT: this image
 * executes a permanently undefined instruction on purpose. */

#include <stdio.h>

int main(void) {
  puts("executing UDF on purpose");
  __asm__ volatile("udf #0");
  puts("DONE OK"); /* not reached */
  return 0;
}
