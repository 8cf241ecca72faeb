#!/bin/sh
# A downstream build with no CMake: pkg-config gives the flags, one compiler command line.
#   PKG_CONFIG_PATH=<prefix>/lib/pkgconfig:<mbedTLS's .pc files> sh build.sh OUTPUT
# PKG_CONFIG_ARGS: e.g. --define-variable=cxxstd=-std=c++2b for Clang 16.
set -eu
here=$(dirname "$0")
pkg_config=${PKG_CONFIG:-pkg-config}
${CXX:-c++} ${CXXFLAGS:-} $($pkg_config ${PKG_CONFIG_ARGS:-} --cflags pki) "$here/../common/validate_chain.cpp" \
  $($pkg_config --libs pki) -o "$1"
