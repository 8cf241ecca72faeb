# The one place where dependency versions and their Debian sources are pinned.

set(PKI_MBEDTLS_MIN_VERSION 3.6.0)
set(PKI_BOOST_MIN_VERSION 1.74)
set(PKI_NLOHMANN_JSON_MIN_VERSION 3.10)

# Fallback fetch on Debian-family machines (see PkiFetchDebian.cmake).
set(PKI_DEBIAN_MIRROR "http://deb.debian.org/debian"
    CACHE STRING "Debian archive used when dependencies are fetched into the build tree")
set(PKI_DEBIAN_KEYRING "/usr/share/keyrings/debian-archive-keyring.gpg")
# mbedTLS 3.6 LTS comes from Debian 13; the runtime packages are fetched only so
# that the upstream CMake package's file checks pass: tests link the static archives.
set(PKI_DEBIAN_MBEDTLS_SUITE trixie)
set(PKI_DEBIAN_MBEDTLS_PACKAGES libmbedtls-dev libmbedcrypto16 libmbedx509-7 libmbedtls21)
# The same release as source, for builds that configure mbedTLS themselves (PkiMbedtlsSource).
set(PKI_DEBIAN_MBEDTLS_SOURCE_PACKAGE mbedtls)
# Boost.Test (used in its header-only form) and nlohmann-json (test data reader)
# come from the machine's own distribution release.
set(PKI_DEBIAN_BOOST_PACKAGE libboost-dev)
set(PKI_DEBIAN_JSON_PACKAGE nlohmann-json3-dev)
