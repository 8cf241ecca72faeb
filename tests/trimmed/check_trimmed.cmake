# ctest script: tests/trimmed configured against one trimmed mbedTLS (TRIMMED: p256, rsa)
# in WORK_DIR, built, and its suite run. Configuring runs the must-not-compile checks.
# -D: TRIMMED, SOURCE_DIR (pki's), WORK_DIR, MBEDTLS_SOURCE_DIR, BOOST_DIR, CXX, CC, CXX_FLAGS.
cmake_minimum_required(VERSION 3.25)
include("${CMAKE_CURRENT_LIST_DIR}/../support/run.cmake")
string(TIMESTAMP start "%s")
run("configuring tests/trimmed (${TRIMMED})" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/tests/trimmed" -B "${WORK_DIR}"
  -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_C_COMPILER=${CC}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}"
  "-DPKI_SOURCE_DIR=${SOURCE_DIR}" "-DTRIMMED=${TRIMMED}" "-DPKI_MBEDTLS_SOURCE_DIR=${MBEDTLS_SOURCE_DIR}"
  "-DBoost_DIR=${BOOST_DIR}")
run("building tests/trimmed (${TRIMMED})" "${CMAKE_COMMAND}" --build "${WORK_DIR}" -j2)
run("running the ${TRIMMED} suite" "${WORK_DIR}/trimmed_test" --report_level=short)
message("${last_output}")
string(TIMESTAMP stop "%s")
math(EXPR took "${stop} - ${start}")
message("trimmed.${TRIMMED}: mbedTLS built from source and the suite passed in ${took} s")
