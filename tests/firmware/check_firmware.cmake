# ctest script (firmware.qemu): the Cortex-M4 images of examples/firmware cross-built with
# the trimmed mbedTLS there, each run under QEMU (mps2-an386), the steps the pki image
# prints checked in order, its CSR verified by OpenSSL on the host (csr.pki-*), and the footprint
# report written (WORK_DIR/FOOTPRINT.md; docs/FOOTPRINT.md is a copy of one).
#
# -D: SOURCE_DIR (pki's), WORK_DIR, MBEDTLS_SOURCE_DIR, OPENSSL (the firmware project's CSR checks).
cmake_minimum_required(VERSION 3.25)
string(TIMESTAMP start "%s")

find_program(arm_gxx arm-none-eabi-g++)
find_program(qemu qemu-system-arm)
if(NOT arm_gxx OR NOT qemu OR NOT EXISTS /usr/lib/arm-none-eabi/include/c++
   OR NOT EXISTS /usr/lib/arm-none-eabi/newlib/librdimon.a)
  message(FATAL_ERROR "firmware.qemu needs Debian's gcc-arm-none-eabi, libnewlib-arm-none-eabi, "
    "libstdc++-arm-none-eabi-newlib and qemu-system-arm: run .ci/install-firmware.sh (as root)")
endif()

include("${CMAKE_CURRENT_LIST_DIR}/../support/run.cmake")

set(firmware "${SOURCE_DIR}/examples/firmware")
run("configuring examples/firmware" "${CMAKE_COMMAND}" -S "${firmware}" -B "${WORK_DIR}"
  "-DCMAKE_TOOLCHAIN_FILE=${firmware}/arm-none-eabi.cmake" -DCMAKE_BUILD_TYPE=MinSizeRel
  "-DPKI_MBEDTLS_SOURCE_DIR=${MBEDTLS_SOURCE_DIR}" "-DFW_OPENSSL=${OPENSSL}")
run("building the firmware images" "${CMAKE_COMMAND}" --build "${WORK_DIR}" -j2)
string(TIMESTAMP built "%s")
# Every image under QEMU (run-qemu.cmake: exit status, and DONE OK where it must finish).
# Then its csr.* tests (openssl req -verify) and the footprint report (footprint.md).
run("running the images under QEMU" "${CMAKE_CTEST_COMMAND}" --test-dir "${WORK_DIR}" --output-on-failure -j2)
set(ctest_output "${last_output}")
message("${ctest_output}")

# The full image's steps, in order: a step missing or out of place fails the test.
file(READ "${WORK_DIR}/pki-mtls.out" out)
message("pki-mtls printed:\n${out}")
set(at 0)
foreach(step IN ITEMS "TEST-ONLY entropy" "STEP parse_chain ok" "STEP validate_iot_mtls_client ok"
                      "STEP refuse_wrong_host ok" "STEP refuse_without_time ok" "STEP board_clock_set ok"
                      "STEP generate_p256_key ok" "STEP make_csr ok" "STEP csr_to_pem ok"
                      "-----BEGIN CERTIFICATE REQUEST-----" "STEP tls_client_config ok"
                      "STEP tls_server_config ok" "STEP tls_sessions ok" "STEP mtls_handshake ok"
                      "STEP mtls_device_to_broker ok" "STEP mtls_broker_to_device ok" "FOOTPRINT heap_peak="
                      "DONE OK")
  string(SUBSTRING "${out}" ${at} -1 rest)
  string(FIND "${rest}" "${step}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "pki-mtls did not print \"${step}\" (after offset ${at})")
  endif()
  math(EXPR at "${at} + ${found}")
endforeach()
foreach(refusal IN ITEMS "name mismatch" "the time is not known")
  if(NOT out MATCHES "refused as expected: [^\n]*${refusal}")
    message(FATAL_ERROR "pki-mtls did not refuse with \"${refusal}\"")
  endif()
endforeach()

# The CSRs the device made, checked by OpenSSL (signature and subject) in the project's own
# csr.* tests (check-csr.cmake), which must have run.
foreach(image IN ITEMS pki-csr pki-mtls)
  if(NOT ctest_output MATCHES "csr\\.${image} \\.+ +Passed")
    message(FATAL_ERROR "csr.${image} (openssl req -verify on the device's CSR) did not run and pass")
  endif()
endforeach()

file(COPY_FILE "${WORK_DIR}/footprint.md" "${WORK_DIR}/FOOTPRINT.md")
file(READ "${WORK_DIR}/FOOTPRINT.md" report)
message("${report}")
string(TIMESTAMP stop "%s")
math(EXPR build_s "${built} - ${start}")
math(EXPR total_s "${stop} - ${start}")
message("firmware.qemu: built in ${build_s} s, ran and checked in ${total_s} s in all")
