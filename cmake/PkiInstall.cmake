# Installs the headers and a CMake package, so that users write
#   find_package(pki 0.1 REQUIRED)  target_link_libraries(app PRIVATE pki::pki)

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS pki EXPORT pkiTargets)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/pki" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
set(_pki_cmake_dir "${CMAKE_INSTALL_DATADIR}/cmake/pki")
install(EXPORT pkiTargets NAMESPACE pki:: DESTINATION "${_pki_cmake_dir}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/pki-config.cmake.in"
  "${PROJECT_BINARY_DIR}/pki-config.cmake" INSTALL_DESTINATION "${_pki_cmake_dir}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/pki-config-version.cmake"
  COMPATIBILITY SameMinorVersion ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/pki-config.cmake" "${PROJECT_BINARY_DIR}/pki-config-version.cmake"
  DESTINATION "${_pki_cmake_dir}")
