# ctest script: one way a downstream project gets pki (tests/consumers/<CONSUMER>), done
# from scratch in WORK_DIR, built, and its program run: it validates a chain it makes.
#
# -D arguments: CONSUMER (find_package, find_package_pkgconfig, pkg_config, add_subdirectory, fetchcontent,
# missing_mbedtls, conan_test_package, vcpkg_port_install), SOURCE_DIR (pki's source),
# BUILD_DIR (pki's build, installed from), WORK_DIR, PKI_VERSION, MBEDTLS_DIR (mbedTLS's
# CMake package), MBEDTLS_LIBDIR, MBEDTLS_INCLUDE_DIR, CXX, CXX_FLAGS, PKG_CONFIG, READELF,
# GIT, PYTHON.
cmake_minimum_required(VERSION 3.25)
set(consumers "${SOURCE_DIR}/tests/consumers")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

include("${CMAKE_CURRENT_LIST_DIR}/../support/run.cmake")

function(install_pki prefix)
  run("installing pki" "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}")
  foreach(file IN ITEMS include/pki/pki.hpp include/pki/core/version.hpp share/cmake/pki/pki-config.cmake
                        share/cmake/pki/pki-config-version.cmake share/cmake/pki/pkiTargets.cmake
                        lib/pkgconfig/pki.pc)
    if(NOT EXISTS "${prefix}/${file}")
      message(FATAL_ERROR "the install has no ${file}")
    endif()
  endforeach()
endfunction()

# pki's own project enables C too (add_subdirectory, FetchContent, the port's build): the
# same toolchain's C compiler, or a GCC one would meet clang's -stdlib=libc++.
set(common_flags "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_C_COMPILER=${CC}" "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
  "-DCMAKE_EXE_LINKER_FLAGS=${CXX_FLAGS}")

function(configure_consumer name)
  run("configuring the ${name} consumer" "${CMAKE_COMMAND}" -S "${consumers}/${name}"
    -B "${WORK_DIR}/build" ${common_flags} ${ARGN})
  set(last_output "${last_output}" PARENT_SCOPE)
endfunction()

# linkage: "shared" (the program needs libmbedcrypto.so at run time) or "static" (none of
# mbedTLS's shared libraries); the program must print its verdicts and exit 0.
function(check_program program linkage)
  run("reading ${program}'s dynamic section" "${READELF}" -d "${program}")
  string(REGEX MATCHALL "NEEDED[^\n]*libmbed[a-z0-9]+" needed "${last_output}")
  if(linkage STREQUAL "shared" AND NOT needed MATCHES "libmbedcrypto")
    message(FATAL_ERROR "${program} should link mbedTLS's shared libraries; it needs:\n${last_output}")
  elseif(linkage STREQUAL "static" AND needed)
    message(FATAL_ERROR "${program} should link mbedTLS statically; it needs: ${needed}")
  endif()
  set(env "")
  if(linkage STREQUAL "shared")
    set(env "LD_LIBRARY_PATH=${MBEDTLS_LIBDIR}")
  endif()
  run("running ${program}" "${CMAKE_COMMAND}" -E env ${env} "${program}")
  if(NOT last_output MATCHES "pki ${PKI_VERSION} on mbedTLS 3\\.[0-9.]+: api\\.acme\\.example valid \\(2 certificates\\), www\\.acme\\.example name mismatch")
    message(FATAL_ERROR "${program} printed:\n${last_output}")
  endif()
  message(STATUS "${program} (${linkage} mbedTLS): ${last_output}")
endfunction()

# mbedTLS's pkg-config files, with their prefix= line pointing where this mbedTLS lies
# (Debian's say /usr, and the test's mbedTLS is unpacked into the build tree).
function(mbedtls_pkgconfig_dir out)
  cmake_path(GET MBEDTLS_INCLUDE_DIR PARENT_PATH mbedtls_prefix)
  set(dir "${WORK_DIR}/mbedtls-pkgconfig")
  file(MAKE_DIRECTORY "${dir}")
  foreach(module IN ITEMS mbedtls mbedx509 mbedcrypto)
    if(NOT EXISTS "${MBEDTLS_LIBDIR}/pkgconfig/${module}.pc")
      message(FATAL_ERROR "mbedTLS has no ${MBEDTLS_LIBDIR}/pkgconfig/${module}.pc")
    endif()
    file(READ "${MBEDTLS_LIBDIR}/pkgconfig/${module}.pc" text)
    string(REGEX REPLACE "(^|\n)prefix=[^\n]*" "\\1prefix=${mbedtls_prefix}" text "${text}")
    file(WRITE "${dir}/${module}.pc" "${text}")
  endforeach()
  set(${out} "${dir}" PARENT_SCOPE)
endfunction()

if(CONSUMER STREQUAL "find_package")
  install_pki("${WORK_DIR}/prefix")
  configure_consumer(find_package "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix" "-DMbedTLS_DIR=${MBEDTLS_DIR}")
  run("building the consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" -j2)
  check_program("${WORK_DIR}/build/program-default/consumer-default" shared)
  check_program("${WORK_DIR}/build/program-static/consumer-static" static)
  check_program("${WORK_DIR}/build/program-variable/consumer-variable" static)

elseif(CONSUMER STREQUAL "find_package_pkgconfig")
  # The same project where mbedTLS has no CMake package, only pkg-config files.
  install_pki("${WORK_DIR}/prefix")
  mbedtls_pkgconfig_dir(mbedtls_pc)
  set(ENV{PKG_CONFIG_PATH} "${mbedtls_pc}")
  configure_consumer(find_package "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix" -DCMAKE_DISABLE_FIND_PACKAGE_MbedTLS=ON
    "-DPKG_CONFIG_EXECUTABLE=${PKG_CONFIG}")
  foreach(linkage IN ITEMS shared static)
    if(NOT last_output MATCHES "pki ${PKI_VERSION}: mbedTLS \\(${linkage}\\) from pkg-config")
      message(FATAL_ERROR "find_package(pki) did not take mbedTLS (${linkage}) from pkg-config:\n${last_output}")
    endif()
  endforeach()
  run("building the consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" -j2)
  check_program("${WORK_DIR}/build/program-default/consumer-default" shared)
  check_program("${WORK_DIR}/build/program-static/consumer-static" static)

elseif(CONSUMER STREQUAL "pkg_config")
  install_pki("${WORK_DIR}/prefix")
  mbedtls_pkgconfig_dir(mbedtls_pc)
  set(ENV{PKG_CONFIG_PATH} "${WORK_DIR}/prefix/lib/pkgconfig:${mbedtls_pc}")
  run("pkg-config --modversion pki" "${PKG_CONFIG}" --modversion pki)
  string(STRIP "${last_output}" version)
  if(NOT version STREQUAL PKI_VERSION)
    message(FATAL_ERROR "pki.pc says version ${version}, the project ${PKI_VERSION}")
  endif()
  run("pkg-config --cflags --libs pki" "${PKG_CONFIG}" --cflags --libs pki)
  # pki.pc finds its prefix from where it lies: the -I is <pcfiledir>/../../include.
  string(REGEX MATCH "^-I([^ ]+)" _ "${last_output}")
  file(REAL_PATH "${CMAKE_MATCH_1}" include_dir)
  if(NOT last_output MATCHES "-std=c\\+\\+23" OR NOT include_dir STREQUAL "${WORK_DIR}/prefix/include"
     OR NOT last_output MATCHES "-lmbedtls -lmbedx509 -lmbedcrypto")
    message(FATAL_ERROR "pkg-config --cflags --libs pki: ${last_output}")
  endif()
  message(STATUS "pkg-config --cflags --libs pki: ${last_output}")
  # Clang 16 spells the standard c++2b: pki.pc's cxxstd variable is there to be redefined.
  set(pc_args "")
  if(CXX_ID STREQUAL "Clang" AND CXX_VERSION VERSION_LESS 17)
    set(pc_args "--define-variable=cxxstd=-std=c++2b")
  endif()
  run("building with pkg-config's flags" "${CMAKE_COMMAND}" -E env "CXX=${CXX}" "CXXFLAGS=${CXX_FLAGS}"
    "PKG_CONFIG=${PKG_CONFIG}" "PKG_CONFIG_ARGS=${pc_args}" sh "${consumers}/pkg_config/build.sh"
    "${WORK_DIR}/consumer")
  check_program("${WORK_DIR}/consumer" shared)

elseif(CONSUMER STREQUAL "add_subdirectory")
  configure_consumer(add_subdirectory "-DPKI_SOURCE_DIR=${SOURCE_DIR}" "-DMbedTLS_DIR=${MBEDTLS_DIR}")
  run("building the consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" -j2)
  check_program("${WORK_DIR}/build/consumer" static)

elseif(CONSUMER STREQUAL "fetchcontent")
  # FetchContent clones the commit checked out in SOURCE_DIR (what a user's GIT_TAG names):
  # work not yet committed is not in it.
  run("reading the source's commit" "${GIT}" -C "${SOURCE_DIR}" rev-parse HEAD)
  string(STRIP "${last_output}" commit)
  configure_consumer(fetchcontent "-DPKI_GIT_REPOSITORY=file://${SOURCE_DIR}" "-DPKI_GIT_TAG=${commit}"
    "-DMbedTLS_DIR=${MBEDTLS_DIR}")
  if(NOT EXISTS "${WORK_DIR}/build/_deps/pki-src/include/pki/pki.hpp")
    message(FATAL_ERROR "FetchContent did not clone pki into _deps/pki-src")
  endif()
  run("building the consumer" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" -j2)
  check_program("${WORK_DIR}/build/consumer" shared)

elseif(CONSUMER STREQUAL "missing_mbedtls")
  # The installed package where no mbedTLS can be found: no MbedTLS_DIR, no system or
  # registry paths, pkg-config with an empty search path.
  install_pki("${WORK_DIR}/prefix")
  file(MAKE_DIRECTORY "${WORK_DIR}/no-pkgconfig")
  # Without the PATH's prefixes CMake would not find make either: it is named.
  find_program(make NAMES make gmake REQUIRED)
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env --unset=PKG_CONFIG_PATH
      "PKG_CONFIG_LIBDIR=${WORK_DIR}/no-pkgconfig" --unset=MbedTLS_DIR --unset=CMAKE_PREFIX_PATH
      "${CMAKE_COMMAND}" -S "${consumers}/missing_mbedtls" -B "${WORK_DIR}/build" ${common_flags}
      "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix" -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF
      -DCMAKE_FIND_USE_SYSTEM_ENVIRONMENT_PATH=OFF -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
      "-DPKG_CONFIG_EXECUTABLE=${PKG_CONFIG}" "-DCMAKE_MAKE_PROGRAM=${make}" -G "Unix Makefiles"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(output "${out}${err}")
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${output}")
  set(sentence "pki needs mbedTLS >= 3.6.0, found neither as the CMake package MbedTLS nor as the pkg-config modules mbedtls, mbedx509 and mbedcrypto: install Debian/Ubuntu 'libmbedtls-dev' (3.6), Conan 'mbedtls/3.6.x' or vcpkg 'mbedtls', or point CMAKE_PREFIX_PATH, MbedTLS_DIR or PKG_CONFIG_PATH at an mbedTLS 3.6 install.")
  string(FIND "${flat}" "${sentence}" at)
  if(rc EQUAL 0 OR at EQUAL -1)
    message(FATAL_ERROR "configure without mbedTLS: exit ${rc}, and the output lacks pki's sentence:\n${output}")
  endif()
  string(FIND "${flat}" "Could not find a package configuration file provided by \"MbedTLS\"" raw)
  if(NOT raw EQUAL -1)
    message(FATAL_ERROR "configure without mbedTLS also printed CMake's own MbedTLS error:\n${output}")
  endif()
  message(STATUS "configure failed as it should (exit ${rc}):\n${output}")

elseif(CONSUMER STREQUAL "conan_test_package")
  # test_package/ as `conan create` builds it, without Conan: the package folder is the
  # installed headers, and the two CMake config files are what CMakeDeps would generate
  # from the recipes' package_info(): pki's (conanfile.py, read by check_packaging.py) and
  # conan-center's mbedtls (cmake_file_name MbedTLS; components MbedTLS::mbedcrypto,
  # MbedTLS::mbedx509 -> mbedcrypto, MbedTLS::mbedtls -> mbedx509; static by default).
  install_pki("${WORK_DIR}/package")
  run("reading conanfile.py's package_info()" "${PYTHON}" -B "${SOURCE_DIR}/tests/packaging/check_packaging.py"
    "${SOURCE_DIR}" conan-info)
  string(JSON file_name GET "${last_output}" cmake_file_name)
  string(JSON target GET "${last_output}" cmake_target_name)
  string(JSON include_dir GET "${last_output}" includedirs 0)
  set(deps "${WORK_DIR}/generators")
  file(MAKE_DIRECTORY "${deps}")
  set(mbedtls_config "")
  set(previous "")
  foreach(lib IN ITEMS mbedcrypto mbedx509 mbedtls)
    string(APPEND mbedtls_config
      "if(NOT TARGET MbedTLS::${lib})\n"
      "  add_library(MbedTLS::${lib} INTERFACE IMPORTED)\n"
      "  set_target_properties(MbedTLS::${lib} PROPERTIES\n"
      "    INTERFACE_INCLUDE_DIRECTORIES \"${MBEDTLS_INCLUDE_DIR}\"\n"
      "    INTERFACE_LINK_LIBRARIES \"${MBEDTLS_LIBDIR}/lib${lib}.a;${previous}\")\n"
      "endif()\n")
    set(previous "MbedTLS::${lib}")
  endforeach()
  file(WRITE "${deps}/MbedTLSConfig.cmake" "${mbedtls_config}")
  run("reading mbedTLS's version" "${CMAKE_COMMAND}" -E cat "${MBEDTLS_DIR}/MbedTLSConfigVersion.cmake")
  string(REGEX MATCH "PACKAGE_VERSION \"([0-9.]+)\"" _ "${last_output}")
  file(WRITE "${deps}/MbedTLSConfigVersion.cmake"
    "set(PACKAGE_VERSION \"${CMAKE_MATCH_1}\")\nset(PACKAGE_VERSION_COMPATIBLE TRUE)\n")
  file(WRITE "${deps}/${file_name}-config.cmake"
    "include(CMakeFindDependencyMacro)\n"
    "find_dependency(MbedTLS REQUIRED CONFIG)\n"
    "if(NOT TARGET ${target})\n"
    "  add_library(${target} INTERFACE IMPORTED)\n"
    "  set_target_properties(${target} PROPERTIES\n"
    "    INTERFACE_INCLUDE_DIRECTORIES \"${WORK_DIR}/package/${include_dir}\"\n"
    "    INTERFACE_LINK_LIBRARIES \"MbedTLS::mbedtls;MbedTLS::mbedx509;MbedTLS::mbedcrypto\")\n"
    "endif()\n")
  # CMakeToolchain: the generators folder first, C++23 from compiler.cppstd=23.
  run("configuring test_package" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/test_package" -B "${WORK_DIR}/build"
    ${common_flags} "-DCMAKE_PREFIX_PATH=${deps}" -DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON
    -DCMAKE_CXX_STANDARD=23 -DCMAKE_CXX_EXTENSIONS=OFF -DCMAKE_BUILD_TYPE=Release)
  run("building test_package" "${CMAKE_COMMAND}" --build "${WORK_DIR}/build")
  run("reading test_package's dynamic section" "${READELF}" -d "${WORK_DIR}/build/test_package")
  if(last_output MATCHES "libmbed")
    message(FATAL_ERROR "test_package should link conan-center's static mbedTLS:\n${last_output}")
  endif()
  run("running test_package" "${WORK_DIR}/build/test_package")
  if(NOT last_output MATCHES "^pki ${PKI_VERSION}: test\\.example valid, 2 certificates")
    message(FATAL_ERROR "test_package printed:\n${last_output}")
  endif()
  message(STATUS "test_package: ${last_output}")

elseif(CONSUMER STREQUAL "vcpkg_port_install")
  # The portfile's vcpkg_cmake_configure OPTIONS, as written there, with what
  # vcpkg_check_features gives for the feature set; vcpkg_cmake_install builds and installs
  # into the package directory (the staging prefix here), release only (VCPKG_BUILD_TYPE).
  file(READ "${SOURCE_DIR}/ports/pki/portfile.cmake" portfile)
  string(REGEX MATCH "vcpkg_cmake_configure\\(([^)]*)\\)" _ "${portfile}")
  string(REGEX MATCH "OPTIONS(.*)" _ "${CMAKE_MATCH_1}")
  string(REGEX REPLACE "[ \t\r\n]+" ";" options "${CMAKE_MATCH_1}")
  list(FILTER options INCLUDE REGEX "^-D")
  if(NOT options MATCHES "PKI_INSTALL_CMAKEDIR=share/pki")
    message(FATAL_ERROR "no -D options read from ports/pki/portfile.cmake: '${options}'")
  endif()
  foreach(features IN ITEMS core tool)
    if(features STREQUAL "tool")
      set(feature_options -DPKI_BUILD_TOOLS=ON)
    else()
      set(feature_options -DPKI_BUILD_TOOLS=OFF)
    endif()
    set(stage "${WORK_DIR}/${features}/packages")
    run("configuring as the portfile does (${features})" "${CMAKE_COMMAND}" -S "${SOURCE_DIR}"
      -B "${WORK_DIR}/${features}/build" ${common_flags} -DCMAKE_BUILD_TYPE=Release
      "-DCMAKE_INSTALL_PREFIX=${stage}" "-DMbedTLS_DIR=${MBEDTLS_DIR}" ${feature_options} ${options})
    run("building (${features})" "${CMAKE_COMMAND}" --build "${WORK_DIR}/${features}/build" -j2)
    run("installing (${features})" "${CMAKE_COMMAND}" --install "${WORK_DIR}/${features}/build")
    foreach(file IN ITEMS include/pki/pki.hpp include/pki/tls/session.hpp share/pki/pki-config.cmake
                          share/pki/pki-config-version.cmake share/pki/pkiTargets.cmake lib/pkgconfig/pki.pc)
      if(NOT EXISTS "${stage}/${file}")
        message(FATAL_ERROR "the staged tree (${features}) has no ${file}")
      endif()
    endforeach()
    if(features STREQUAL "tool" AND NOT EXISTS "${stage}/bin/pki")
      message(FATAL_ERROR "pki[tool] installs no bin/pki (vcpkg_copy_tools moves it to tools/pki)")
    elseif(features STREQUAL "core" AND EXISTS "${stage}/bin")
      message(FATAL_ERROR "pki without the tool feature installs ${stage}/bin")
    endif()
    mbedtls_pkgconfig_dir(mbedtls_pc)
    set(ENV{PKG_CONFIG_PATH} "${stage}/lib/pkgconfig:${mbedtls_pc}")
    run("pkg-config on the staged pki.pc" "${PKG_CONFIG}" --modversion pki)
    string(STRIP "${last_output}" version)
    if(NOT version STREQUAL PKI_VERSION)
      message(FATAL_ERROR "staged pki.pc: version ${version}, not ${PKI_VERSION}")
    endif()
  endforeach()
  run("running the staged tool" "${WORK_DIR}/tool/packages/bin/pki" --version)
  if(NOT last_output MATCHES "${PKI_VERSION}")
    message(FATAL_ERROR "bin/pki --version: ${last_output}")
  endif()
  string(STRIP "${last_output}" tool_version)
  # The tool alone (the port turns the examples off): every command group in its --help.
  run("running the staged tool's --help" "${WORK_DIR}/tool/packages/bin/pki" --help)
  foreach(command IN ITEMS "key generate" "csr create" "cert show" "ca issue" "crl create" "verify" "seal" "open")
    if(NOT last_output MATCHES "\n  pki ${command} ")
      message(FATAL_ERROR "bin/pki --help lists no 'pki ${command}':\n${last_output}")
    endif()
  endforeach()
  if(EXISTS "${WORK_DIR}/tool/build/examples/CMakeFiles")
    message(FATAL_ERROR "the build with PKI_BUILD_EXAMPLES=OFF configured examples/ anyway")
  endif()
  foreach(needed IN ITEMS usage portfile.cmake vcpkg.json)
    if(NOT EXISTS "${SOURCE_DIR}/ports/pki/${needed}")
      message(FATAL_ERROR "ports/pki has no ${needed}")
    endif()
  endforeach()
  message(STATUS "staged as vcpkg would: ${options}; bin/pki --version: ${tool_version}")

else()
  message(FATAL_ERROR "unknown CONSUMER '${CONSUMER}'")
endif()
