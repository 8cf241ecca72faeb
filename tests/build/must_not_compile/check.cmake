# ctest script (build.must_not_compile): the compile-time guarantees of the typed API hold.
# Configures tests/build/must_not_compile in WORK_DIR, whose try_compile runs compile each
# case's control (must compile) and the case itself (must not), and fails on any other
# outcome, printing the compiler's output of the offending run.
#
# -D arguments: SOURCE_DIR (this folder), WORK_DIR, CXX, CXX_FLAGS, INCLUDE_DIRS (pki's and
# mbedTLS's headers, a list).
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
set(results "${WORK_DIR}/results.txt")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}" "-DCMAKE_CXX_COMPILER=${CXX}"
    "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DPKI_INCLUDE_DIRS=${INCLUDE_DIRS}" "-DRESULTS_FILE=${results}"
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT EXISTS "${results}")
  message(FATAL_ERROR "configuring the must-not-compile project failed (${rc}):\n${out}\n${err}")
endif()

file(STRINGS "${results}" lines)
set(problems 0)
set(count 0)
foreach(line IN LISTS lines)
  string(REPLACE " " ";" fields "${line}")
  list(GET fields 0 name)
  list(GET fields 1 control)
  list(GET fields 2 case)
  math(EXPR count "${count} + 1")
  if(NOT control STREQUAL "compiled")
    file(READ "${WORK_DIR}/${name}_control.log" log)
    message(SEND_ERROR "${name}: the control does not compile, so the case proves nothing:\n${log}")
    math(EXPR problems "${problems} + 1")
  elseif(NOT case STREQUAL "failed")
    message(SEND_ERROR "${name}: compiles with PKI_MUST_NOT_COMPILE; the guarantee is gone")
    math(EXPR problems "${problems} + 1")
  elseif(NOT EXISTS "${WORK_DIR}/${name}_case.log")
    message(SEND_ERROR "${name}: the case left no compiler output")
    math(EXPR problems "${problems} + 1")
  else()
    # GCC and Clang both start a diagnostic with "file:line:column: error": the refusal must
    # be at a line of the case itself, not inside a header it includes.
    file(READ "${WORK_DIR}/${name}_case.log" log)
    if(NOT log MATCHES "${name}\\.cpp:[0-9]+:[0-9]+: error")
      message(SEND_ERROR "${name}: the case fails, but not at a line of its own:\n${log}")
      math(EXPR problems "${problems} + 1")
      continue()
    endif()
    message(STATUS "${name}: the control compiles, the case does not")
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "no must-not-compile case ran (${results} is empty)")
endif()
message(STATUS "must-not-compile: ${count} case(s), ${problems} problem(s)")
if(problems GREATER 0)
  message(FATAL_ERROR "must-not-compile: ${problems} of ${count} case(s) failed")
endif()
