# The API reference: Doxygen over include/pki (docs/Doxyfile.in), warnings as errors.
#   cmake --build build/default --target docs   ->  build/default/docs/html/index.html
# Without doxygen (Debian's `doxygen`, see .ci/install-docs.sh) there is no docs target.

find_program(PKI_DOXYGEN_EXECUTABLE doxygen)
if(NOT PKI_DOXYGEN_EXECUTABLE)
  message(STATUS "pki: doxygen not found: no `docs` target (install Debian's 'doxygen')")
  return()
endif()
set(PKI_DOCS_OUTPUT_DIR "${PROJECT_BINARY_DIR}/docs")
# mbedTLS's configuration decides which PKI_HAS_* parts exist: doxygen reads it too.
get_target_property(_pki_docs_includes MbedTLS::mbedcrypto INTERFACE_INCLUDE_DIRECTORIES)
# An mbedTLS built in this tree (PKI_MBEDTLS_FROM_SOURCE) names its directories in
# $<BUILD_INTERFACE:...> expressions, which doxygen cannot read: keep the build-tree ones.
string(REGEX REPLACE "\\$<BUILD_INTERFACE:([^>]*)>" "\\1" _pki_docs_includes "${_pki_docs_includes}")
string(GENEX_STRIP "${_pki_docs_includes}" _pki_docs_includes)
list(JOIN _pki_docs_includes " " PKI_DOCS_MBEDTLS_INCLUDE)
configure_file("${PROJECT_SOURCE_DIR}/docs/Doxyfile.in" "${PROJECT_BINARY_DIR}/Doxyfile" @ONLY)
add_custom_target(docs
  COMMAND "${PKI_DOXYGEN_EXECUTABLE}" "${PROJECT_BINARY_DIR}/Doxyfile"
  WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
  COMMENT "pki: API reference in ${PKI_DOCS_OUTPUT_DIR}/html"
  VERBATIM)
if(PKI_BUILD_TESTS)
  add_test(NAME docs.doxygen COMMAND "${PKI_DOXYGEN_EXECUTABLE}" "${PROJECT_BINARY_DIR}/Doxyfile"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
endif()
