# mbedTLS built from source as part of this build, for configurations Debian's binary
# package does not have: the sanitizer build (instrumented, with the trusted-issuer
# callback) and trimmed firmware-like configurations. The source is Debian 13's source
# package, whose upstream tarball is the full mbedTLS 3.6 tree.
#
#   -DPKI_MBEDTLS_SOURCE_CONFIG=<header>   appended to mbedTLS's default configuration
#                                          (MBEDTLS_USER_CONFIG_FILE)
#   -DPKI_MBEDTLS_SOURCE_FULL_CONFIG=<header>  replaces it (MBEDTLS_CONFIG_FILE)
#   -DPKI_MBEDTLS_SOURCE_DIR=<dir>         an unpacked mbedTLS tree to use instead of fetching

include_guard(GLOBAL)
include(PkiVersions)
include(PkiFetchDebian)

macro(pki_mbedtls_from_source)
  if(PKI_MBEDTLS_SOURCE_DIR)  # a tree fetched before (the trimmed test builds share one)
    set(_pki_mbedtls_src "${PKI_MBEDTLS_SOURCE_DIR}")
  else()
    pki_debian_fetch_possible(_pki_can_fetch)
    if(NOT _pki_can_fetch)
      message(FATAL_ERROR "pki: building mbedTLS from source needs Debian's archive (apt-get source), "
        "or -DPKI_MBEDTLS_SOURCE_DIR=<an unpacked mbedTLS 3.6 tree>")
    endif()
    pki_fetch_debian_source(_pki_mbedtls_src NAME mbedtls SUITE ${PKI_DEBIAN_MBEDTLS_SUITE}
      PACKAGE ${PKI_DEBIAN_MBEDTLS_SOURCE_PACKAGE})
  endif()
  set(ENABLE_PROGRAMS OFF CACHE BOOL "" FORCE)
  set(ENABLE_TESTING OFF CACHE BOOL "" FORCE)
  set(MBEDTLS_FATAL_WARNINGS OFF CACHE BOOL "" FORCE)
  set(USE_SHARED_MBEDTLS_LIBRARY OFF CACHE BOOL "" FORCE)
  set(USE_STATIC_MBEDTLS_LIBRARY ON CACHE BOOL "" FORCE)
  if(PKI_MBEDTLS_SOURCE_FULL_CONFIG)
    set(MBEDTLS_CONFIG_FILE "${PKI_MBEDTLS_SOURCE_FULL_CONFIG}" CACHE FILEPATH "" FORCE)
  endif()
  if(PKI_MBEDTLS_SOURCE_CONFIG)
    set(MBEDTLS_USER_CONFIG_FILE "${PKI_MBEDTLS_SOURCE_CONFIG}" CACHE FILEPATH "" FORCE)
  endif()
  file(STRINGS "${_pki_mbedtls_src}/include/mbedtls/build_info.h" _pki_version_line
    REGEX "^#define MBEDTLS_VERSION_STRING ")
  string(REGEX MATCH "[0-9]+\\.[0-9]+\\.[0-9]+" MbedTLS_VERSION "${_pki_version_line}")
  if(MbedTLS_VERSION VERSION_LESS PKI_MBEDTLS_MIN_VERSION OR MbedTLS_VERSION VERSION_GREATER_EQUAL 4)
    message(FATAL_ERROR "pki: mbedTLS ${MbedTLS_VERSION} in ${_pki_mbedtls_src}; 3.6 (LTS) wanted")
  endif()
  add_subdirectory("${_pki_mbedtls_src}" "${PROJECT_BINARY_DIR}/_deps/mbedtls-build" EXCLUDE_FROM_ALL SYSTEM)
  set(MbedTLS_DIR "")  # no installed package: tests that need one are not registered
  set(PKI_MBEDTLS_FROM_SOURCE TRUE)
  message(STATUS "pki: mbedTLS ${MbedTLS_VERSION} built from ${_pki_mbedtls_src}"
    " (config: ${PKI_MBEDTLS_SOURCE_FULL_CONFIG}${PKI_MBEDTLS_SOURCE_CONFIG})")
endmacro()
