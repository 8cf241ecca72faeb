# pki as a vcpkg overlay port: the sources are the checkout the port lives in (ports/pki
# -> ../..), so there is nothing to download.
#   vcpkg install pki --overlay-ports=<checkout>/ports            (classic mode)
#   "dependencies": ["pki"] + VCPKG_OVERLAY_PORTS=<checkout>/ports  (manifest mode)
# consumer.vcpkg_port_install runs this configure/install step with plain CMake.

# Headers, a CMake package and pki.pc (and the tool): one configuration is all there is.
set(VCPKG_BUILD_TYPE release)
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        tool PKI_BUILD_TOOLS
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DPKI_BUILD_TESTS=OFF
        -DPKI_BUILD_EXAMPLES=OFF
        -DPKI_INSTALL=ON
        -DPKI_WERROR=OFF
        -DPKI_INSTALL_CMAKEDIR=share/pki
        -DPKI_INSTALL_PKGCONFIGDIR=lib/pkgconfig
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME pki CONFIG_PATH share/pki)
vcpkg_fixup_pkgconfig()
if("tool" IN_LIST FEATURES)
    vcpkg_copy_tools(TOOL_NAMES pki AUTO_CLEAN)
endif()

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
if(EXISTS "${SOURCE_PATH}/LICENSE")
    vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
else()
    # vcpkg requires share/pki/copyright; the project has not chosen a license yet.
    file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright"
        "pki ${VERSION}: no license has been chosen yet (the source tree has no LICENSE file).\n")
endif()
