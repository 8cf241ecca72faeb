# Installs what a consumer needs, so that users write
#   find_package(pki 0.1 REQUIRED)  target_link_libraries(app PRIVATE pki::pki)
# or `pkg-config --cflags --libs pki`: the headers, the CMake package (pki-config.cmake
# finds mbedTLS), pki.pc, and the `pki` tool when PKI_BUILD_TOOLS is on.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Distributions and package managers choose where the package files go (vcpkg wants
# share/pki); both are relative to the install prefix.
set(PKI_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/pki"
  CACHE STRING "Where pki-config.cmake is installed (relative to the prefix)")
set(PKI_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
  CACHE STRING "Where pki.pc is installed (relative to the prefix)")
foreach(dir IN ITEMS PKI_INSTALL_CMAKEDIR PKI_INSTALL_PKGCONFIGDIR CMAKE_INSTALL_INCLUDEDIR)
  if(IS_ABSOLUTE "${${dir}}")
    message(FATAL_ERROR "pki: ${dir} must be relative to the install prefix (it is '${${dir}}'), "
      "so that the installed package can be moved")
  endif()
endforeach()

install(TARGETS pki EXPORT pkiTargets)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/pki" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT pkiTargets NAMESPACE pki:: DESTINATION "${PKI_INSTALL_CMAKEDIR}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/pki-config.cmake.in"
  "${PROJECT_BINARY_DIR}/pki-config.cmake" INSTALL_DESTINATION "${PKI_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/pki-config-version.cmake"
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/pki-config.cmake" "${PROJECT_BINARY_DIR}/pki-config-version.cmake"
  DESTINATION "${PKI_INSTALL_CMAKEDIR}")

# pki.pc finds the prefix from where it lies (${pcfiledir}), so an install moved with
# `cmake --install --prefix` or by a package manager still works.
file(RELATIVE_PATH _pki_pc_to_prefix "/prefix/${PKI_INSTALL_PKGCONFIGDIR}" "/prefix")
string(REGEX REPLACE "/$" "" _pki_pc_to_prefix "${_pki_pc_to_prefix}")
configure_file("${PROJECT_SOURCE_DIR}/cmake/pki.pc.in" "${PROJECT_BINARY_DIR}/pki.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/pki.pc" DESTINATION "${PKI_INSTALL_PKGCONFIGDIR}")
