/* main's return value must become QEMU's exit status: this image returns 7 on purpose. */

#include <stdio.h>

int main(void) {
  puts("returning 7 on purpose");
  return 7;
}
