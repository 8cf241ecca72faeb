#!/bin/sh
# A downstream build with no CMake: pkg-config gives the flags, one compiler command line.
#   PKG_CONFIG_PATH=<prefix>/lib/pkgconfig:<mbedTLS's .pc files> sh build.sh OUTPUT
set -eu
here=$(dirname "$0")
${CXX:-c++} ${CXXFLAGS:-} $(pkg-config --cflags pki) "$here/../common/validate_chain.cpp" \
  $(pkg-config --libs pki) -o "$1"
