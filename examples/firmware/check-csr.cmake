# Checks a certificate request an image printed: extracts the PEM block from the image's
# run output and has OpenSSL verify its self-signature.
#
#   cmake -DRUN_OUTPUT=<image.out> -DCSR=<csr.pem> [-DOPENSSL=openssl] [-DSUBJECT=<regex>]
#         -P check-csr.cmake
#
# SUBJECT: a regular expression OpenSSL's subject line must match.

cmake_minimum_required(VERSION 3.25)

foreach(required IN ITEMS RUN_OUTPUT CSR)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "check-csr: -D${required}=... is required")
  endif()
endforeach()
if(NOT DEFINED OPENSSL)
  find_program(OPENSSL openssl REQUIRED)
endif()

file(READ "${RUN_OUTPUT}" output)
string(REGEX MATCH "-----BEGIN CERTIFICATE REQUEST-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE REQUEST-----"
  pem "${output}")
if(pem STREQUAL "")
  message(FATAL_ERROR "check-csr: no certificate request in ${RUN_OUTPUT}")
endif()
file(WRITE "${CSR}" "${pem}\n")

execute_process(COMMAND "${OPENSSL}" req -verify -noout -in "${CSR}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "check-csr: openssl req -verify failed on ${CSR}:\n${out}${err}")
endif()
execute_process(COMMAND "${OPENSSL}" req -noout -subject -in "${CSR}" OUTPUT_VARIABLE subject)
if(SUBJECT AND NOT subject MATCHES "${SUBJECT}")
  message(FATAL_ERROR "check-csr: the subject of ${CSR} does not match ${SUBJECT}: ${subject}")
endif()
message(STATUS "check-csr: ${CSR}: signature verified; ${subject}")
