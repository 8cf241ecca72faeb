# ctest script (sanitize.tsan_validation, sanitize.tsan_tls): builds one program of
# tests/tsan (PROGRAM.cpp) with ThreadSanitizer in a project of its own
# (tests/tsan/CMakeLists.txt), with the outer build's compiler and flags and its mbedTLS,
# and runs it. Fails when the toolchain has no TSan runtime (saying which package to
# install), when TSan is not watching, when the program finds a wrong result, or when TSan
# reports anything.
# Arguments (-D): SOURCE_DIR, WORK_DIR (one per test: it is wiped first), PKI_INCLUDE_DIR,
# MBEDTLS_DIR, CXX, CXX_FLAGS, CXX_ID, CXX_VERSION; PROGRAM (default
# validate_concurrently); PKI_HTTPS_COMMON_DIR (for tls_concurrently); ITERATIONS (the
# program's one argument, whose meaning is the program's; optional: its own default).
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
if(NOT PROGRAM)
  set(PROGRAM validate_concurrently)
endif()
set(program_args ${ITERATIONS})
# A hung program (a deadlock) fails the test with this message instead of waiting for
# ctest's own limit.
set(run_limit 300)
set(tsan_options "halt_on_error=1:second_deadlock_stack=1")

string(REGEX MATCH "^[0-9]+" major "${CXX_VERSION}")
if(CXX_ID MATCHES "Clang")
  set(runtime_hint "install Debian's 'libclang-rt-${major}-dev' (clang-${major} only recommends it)")
elseif(CXX_ID STREQUAL "GNU")
  set(runtime_hint "install Debian's 'libtsan2' (GCC 12 and later; 'libtsan0' for GCC 11)")
else()
  set(runtime_hint "install your compiler's ThreadSanitizer runtime")
endif()

# A trivial program first: a missing runtime shows as a link error, a runtime that cannot
# start on this kernel as a FATAL line; both deserve a sentence rather than a build log.
separate_arguments(flags UNIX_COMMAND "${CXX_FLAGS}")
file(WRITE "${WORK_DIR}/probe.cpp" "#include <thread>\nint main() { std::thread([] {}).join(); }\n")
execute_process(COMMAND "${CXX}" ${flags} -fsanitize=thread -pthread "${WORK_DIR}/probe.cpp"
                        -o "${WORK_DIR}/probe"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ThreadSanitizer is not available for ${CXX} (${CXX_ID} ${CXX_VERSION}): "
    "a trivial program does not build with -fsanitize=thread; ${runtime_hint}.\n${out}\n${err}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E env "TSAN_OPTIONS=${tsan_options}" "${WORK_DIR}/probe"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  set(hint "")
  if(err MATCHES "unexpected memory mapping")
    set(hint " The kernel's address-space randomisation is too strong for this TSan runtime; "
      "'sysctl vm.mmap_rnd_bits=28' makes it work.")
  endif()
  message(FATAL_ERROR "ThreadSanitizer cannot run a trivial program built by ${CXX} (${rc}).${hint}\n"
    "${out}\n${err}")
endif()

include("${CMAKE_CURRENT_LIST_DIR}/../support/run.cmake")

run("configuring the TSan build" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build"
  "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}"
  "-DMbedTLS_DIR=${MBEDTLS_DIR}" "-DPKI_INCLUDE_DIR=${PKI_INCLUDE_DIR}"
  "-DPKI_HTTPS_COMMON_DIR=${PKI_HTTPS_COMMON_DIR}")
run("building the TSan program ${PROGRAM}" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" --target "${PROGRAM}")
set(program "${WORK_DIR}/build/${PROGRAM}")

# TSan must be watching: a deliberate race has to be reported.
execute_process(COMMAND "${CMAKE_COMMAND}" -E env "TSAN_OPTIONS=${tsan_options}" "${program}" --race
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT ${run_limit})
if(rc EQUAL 0 OR NOT err MATCHES "WARNING: ThreadSanitizer: data race")
  message(FATAL_ERROR "ThreadSanitizer did not report a deliberate data race in ${PROGRAM} (exit ${rc}): "
    "the program was not instrumented.\n${out}\n${err}")
endif()

# The real run: right results and not a word from TSan.
execute_process(COMMAND "${CMAKE_COMMAND}" -E env "TSAN_OPTIONS=${tsan_options}" "${program}" ${program_args}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT ${run_limit})
if(NOT rc EQUAL 0 OR "${out}${err}" MATCHES "ThreadSanitizer")
  message(FATAL_ERROR "${PROGRAM} under ThreadSanitizer failed (exit ${rc}):\n${out}\n${err}")
endif()
message(STATUS "${out}")
