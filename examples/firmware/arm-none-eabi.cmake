# Cross toolchain for the firmware images: Arm GNU toolchain 12 (Debian's gcc-arm-none-eabi)
# for a Cortex-M4F, newlib-nano, semihosting (rdimon) for output and exit status.
#
#   cmake -S examples/firmware -B build/firmware \
#         -DCMAKE_TOOLCHAIN_FILE=examples/firmware/arm-none-eabi.cmake -DCMAKE_BUILD_TYPE=MinSizeRel

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_AR arm-none-eabi-ar CACHE FILEPATH "")
set(CMAKE_RANLIB arm-none-eabi-ranlib CACHE FILEPATH "")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "")
set(CMAKE_NM arm-none-eabi-nm CACHE FILEPATH "")
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "")

# A bare-metal executable cannot link without our startup and linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# QEMU's mps2-an386 models a Cortex-M4 with the FPv4-SP unit (QEMU's cortex-m4 has VFP4),
# and the toolchain ships the thumb/v7e-m+fp/hard multilib, so the images use the hard-float
# ABI like most M4F products. -DFW_FLOAT_ABI=soft selects thumb/v7e-m/nofp instead.
set(FW_FLOAT_ABI "hard" CACHE STRING "hard (FPv4-SP, enabled at reset) or soft")
set_property(CACHE FW_FLOAT_ABI PROPERTY STRINGS hard soft)
if(FW_FLOAT_ABI STREQUAL "hard")
  set(_fw_fpu "-mfloat-abi=hard -mfpu=fpv4-sp-d16")
else()
  set(_fw_fpu "-mfloat-abi=soft")
endif()

# Size first: one section per function and object so --gc-sections drops what an image
# does not reach. -Os is here too, not only in MinSizeRel, so that every build type measures
# the same code.
set(_fw_common "-mcpu=cortex-m4 -mthumb ${_fw_fpu} -Os -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${_fw_common}")
set(CMAKE_ASM_FLAGS_INIT "${_fw_common}")
# pki is C++23 (<expected>) and works without exceptions and RTTI.
set(CMAKE_CXX_FLAGS_INIT "${_fw_common} -std=c++23 -fno-exceptions -fno-rtti")

# newlib-nano with semihosting. The images bring their own reset code (startup.c), so the
# start files (rdimon-crt0 asks the debugger where the stack goes) are left out.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-Wl,--gc-sections --specs=nano.specs --specs=rdimon.specs -nostartfiles")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
