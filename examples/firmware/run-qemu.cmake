# Runs a firmware image under QEMU (mps2-an386, semihosting) and checks how it ended.
#
#   cmake -DIMAGE=<image.elf> -DOUTPUT=<file> [-DTIMEOUT=<seconds>] [-DEXPECT_EXIT=<n>]
#         [-DQEMU=<qemu-system-arm>] -P run-qemu.cmake
#
# The image's output (its stdout and the semihosting console, where faults are reported)
# goes to OUTPUT and is echoed. Fails when QEMU does not exit with EXPECT_EXIT (default 0:
# main returned 0), when it runs past TIMEOUT (default 120 s), or when an image expected
# to succeed did not print DONE OK.

cmake_minimum_required(VERSION 3.25)

foreach(required IN ITEMS IMAGE OUTPUT)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run-qemu: -D${required}=... is required")
  endif()
endforeach()
if(NOT DEFINED TIMEOUT)
  set(TIMEOUT 120)
endif()
if(NOT DEFINED EXPECT_EXIT)
  set(EXPECT_EXIT 0)
endif()
if(NOT DEFINED QEMU)
  find_program(QEMU qemu-system-arm REQUIRED)
endif()
if(NOT EXISTS "${IMAGE}")
  message(FATAL_ERROR "run-qemu: no image ${IMAGE}")
endif()

# -nographic: the board's UART and QEMU's monitor on stdio, nothing else opened;
# target=native: semihosting calls are served by QEMU itself (no debugger attached).
# stdout and stderr go to one file so that a fault report lands where it happened.
execute_process(
  COMMAND "${QEMU}" -M mps2-an386 -nographic -semihosting-config enable=on,target=native
          -kernel "${IMAGE}"
  INPUT_FILE /dev/null
  OUTPUT_FILE "${OUTPUT}"
  ERROR_FILE "${OUTPUT}"
  TIMEOUT ${TIMEOUT}
  RESULT_VARIABLE status)

file(READ "${OUTPUT}" output)
message("${output}")
get_filename_component(image_name "${IMAGE}" NAME)
if(NOT status MATCHES "^[0-9]+$")
  message(FATAL_ERROR "run-qemu: ${image_name}: ${status} (timeout ${TIMEOUT} s)")
endif()
if(NOT status EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "run-qemu: ${image_name} exited with ${status}, expected ${EXPECT_EXIT}")
endif()
if(EXPECT_EXIT EQUAL 0 AND NOT output MATCHES "(^|\n)DONE OK\r?\n")
  message(FATAL_ERROR "run-qemu: ${image_name} exited with 0 but did not print DONE OK")
endif()
message(STATUS "run-qemu: ${image_name} exited with ${status} as expected")
