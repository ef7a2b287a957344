# CMake toolchain file: Windows x86-64 executables built on Debian with
# MinGW-w64 (the *-posix compilers, whose libstdc++ has std::thread) and run
# by CTest under Wine. scripts/windows-tests.sh uses it; see docs/storage.md.
#
# CODE_INDEX_WINDOWS_SYSROOT (cache variable or environment variable) is the
# directory holding the target's libraries: LMDB, GoogleTest and the
# nlohmann headers, laid out as include/, lib/ and share/cmake/.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_code_index_triple x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_code_index_triple}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_code_index_triple}-g++-posix)
set(CMAKE_RC_COMPILER ${_code_index_triple}-windres)
set(CMAKE_AR ${_code_index_triple}-gcc-ar-posix CACHE FILEPATH "")
set(CMAKE_RANLIB ${_code_index_triple}-gcc-ranlib-posix CACHE FILEPATH "")

if(NOT CODE_INDEX_WINDOWS_SYSROOT AND DEFINED ENV{CODE_INDEX_WINDOWS_SYSROOT})
  set(CODE_INDEX_WINDOWS_SYSROOT "$ENV{CODE_INDEX_WINDOWS_SYSROOT}")
endif()
if(NOT CODE_INDEX_WINDOWS_SYSROOT)
  message(FATAL_ERROR
    "Set CODE_INDEX_WINDOWS_SYSROOT to the directory holding the Windows "
    "builds of LMDB, GoogleTest and nlohmann_json (scripts/windows-tests.sh "
    "prepares one)")
endif()
set(CODE_INDEX_WINDOWS_SYSROOT "${CODE_INDEX_WINDOWS_SYSROOT}" CACHE PATH
  "Directory with the Windows builds of LMDB, GoogleTest and nlohmann_json")
# try_compile() projects load this file again: pass the sysroot on.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES CODE_INDEX_WINDOWS_SYSROOT)

# Search the sysroot (and the compiler's own) for libraries, headers and
# packages, the host only for programs.
set(CMAKE_FIND_ROOT_PATH "${CODE_INDEX_WINDOWS_SYSROOT}" /usr/${_code_index_triple})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config must not hand out the host's lmdb.pc (Linux paths and flags).
set(ENV{PKG_CONFIG_LIBDIR} "${CODE_INDEX_WINDOWS_SYSROOT}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Self-contained executables: no libstdc++/libgcc/winpthread DLLs to find.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# CTest (and gtest_discover_tests) run the test executables through Wine.
find_program(CODE_INDEX_WINE NAMES wine wine64)
if(CODE_INDEX_WINE)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${CODE_INDEX_WINE}")
endif()
