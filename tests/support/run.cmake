# For the ctest scripts that build projects of their own (tests/*/check_*.cmake):
# run(<what> <command>...) runs a command and stops the test with its output when it
# fails; its standard output is left in `last_output`.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()
