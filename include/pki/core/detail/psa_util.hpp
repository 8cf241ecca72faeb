#pragma once
// mbedtls/psa_util.h (3.6) declares C functions without an extern "C" guard, so
// C++ code would look for mangled names. Every use in the library goes through here.

#include <psa/crypto.h>

#include <mbedtls/build_info.h>
#include <mbedtls/ecp.h>

extern "C" {
#include <mbedtls/psa_util.h>
}
