# Finds mbedTLS 3.6 and the test dependencies; on a Debian-family machine that
# lacks them, fetches them into the build tree (PkiFetchDebian.cmake).

include_guard(GLOBAL)
include(PkiVersions)
include(PkiFetchDebian)

function(_pki_missing what hints)
  message(FATAL_ERROR
    "pki: ${what} was not found and this machine cannot fetch it from Debian's "
    "archive. Install it, then configure again: ${hints}")
endfunction()

macro(pki_find_mbedtls)
  if(PKI_MBEDTLS_SOURCE_CONFIG OR PKI_MBEDTLS_SOURCE_FULL_CONFIG)
    include(PkiMbedtlsSource)
    pki_mbedtls_from_source()
  else()
    find_package(MbedTLS ${PKI_MBEDTLS_MIN_VERSION} CONFIG QUIET)
    if(NOT MbedTLS_FOUND)
      pki_debian_fetch_possible(_pki_can_fetch)
      if(NOT _pki_can_fetch)
        _pki_missing("mbedTLS >= ${PKI_MBEDTLS_MIN_VERSION} (CMake package MbedTLS)"
          "Debian/Ubuntu 'libmbedtls-dev' (3.6.x), Conan 'mbedtls/3.6.x', vcpkg 'mbedtls', "
          "or point CMAKE_PREFIX_PATH at an mbedTLS 3.6 install.")
      endif()
      pki_fetch_debian(_pki_mbedtls_root NAME mbedtls SUITE ${PKI_DEBIAN_MBEDTLS_SUITE}
        PACKAGES ${PKI_DEBIAN_MBEDTLS_PACKAGES})
      find_package(MbedTLS ${PKI_MBEDTLS_MIN_VERSION} CONFIG REQUIRED
        PATHS "${_pki_mbedtls_root}/usr" NO_DEFAULT_PATH)
    endif()
    message(STATUS "pki: mbedTLS ${MbedTLS_VERSION} from ${MbedTLS_DIR}")
  endif()
endmacro()

macro(pki_find_test_dependencies)
  find_package(Boost ${PKI_BOOST_MIN_VERSION} CONFIG QUIET)
  if(Boost_FOUND AND NOT EXISTS "${Boost_INCLUDE_DIRS}/boost/test/included/unit_test.hpp")
    set(Boost_FOUND FALSE)
  endif()
  find_package(nlohmann_json ${PKI_NLOHMANN_JSON_MIN_VERSION} CONFIG QUIET)
  if(NOT Boost_FOUND OR NOT nlohmann_json_FOUND)
    pki_debian_fetch_possible(_pki_can_fetch)
    if(NOT _pki_can_fetch)
      _pki_missing("Boost.Test >= ${PKI_BOOST_MIN_VERSION} or nlohmann-json >= ${PKI_NLOHMANN_JSON_MIN_VERSION}"
        "Debian/Ubuntu 'libboost-test-dev nlohmann-json3-dev', Conan 'boost nlohmann_json', "
        "vcpkg 'boost-test nlohmann-json'; or configure with -DPKI_BUILD_TESTS=OFF.")
    endif()
    _pki_host_suite(_pki_suite)
  endif()
  if(NOT Boost_FOUND)
    pki_debian_resolve_alias(_pki_boost_pkg ${PKI_DEBIAN_BOOST_PACKAGE})
    pki_fetch_debian(_pki_boost_root NAME boost SUITE ${_pki_suite} PACKAGES ${_pki_boost_pkg})
    find_package(Boost ${PKI_BOOST_MIN_VERSION} CONFIG REQUIRED
      PATHS "${_pki_boost_root}/usr" NO_DEFAULT_PATH)
  endif()
  if(NOT nlohmann_json_FOUND)
    pki_fetch_debian(_pki_json_root NAME nlohmann-json SUITE ${_pki_suite}
      PACKAGES ${PKI_DEBIAN_JSON_PACKAGE})
    find_package(nlohmann_json ${PKI_NLOHMANN_JSON_MIN_VERSION} CONFIG REQUIRED
      PATHS "${_pki_json_root}/usr" NO_DEFAULT_PATH)
  endif()
  message(STATUS "pki: Boost ${Boost_VERSION} headers from ${Boost_DIR}")
endmacro()
