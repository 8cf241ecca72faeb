# ctest script: install pki into a scratch prefix, build a downstream project against
# it with find_package(pki), and run the result. Arguments (-D): BUILD_DIR, WORK_DIR,
# SOURCE_DIR, EXAMPLE, MBEDTLS_DIR, MBEDTLS_LIBDIR, CXX, CXX_FLAGS.
file(REMOVE_RECURSE "${WORK_DIR}")

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run("install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
run("configuring the consumer" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${WORK_DIR}/build"
  "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix" "-DMbedTLS_DIR=${MBEDTLS_DIR}" "-DCMAKE_CXX_COMPILER=${CXX}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}"
  "-DPKI_CONSUMER_SOURCE=${EXAMPLE}")
run("building the consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
# The installed package links mbedTLS's shared libraries.
run("running the consumer" "${CMAKE_COMMAND}" -E env "LD_LIBRARY_PATH=${MBEDTLS_LIBDIR}"
  "${WORK_DIR}/build/consumer")
message(STATUS "consumer ran:\n${last_output}")
