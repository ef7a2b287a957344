# CodeIndexCPack.cmake - binary packages of CodeIndex with CPack.
#
# Included by the top-level CMakeLists.txt when CodeIndex is the top-level
# project (CPack writes CPackConfig.cmake into the top of the build tree,
# which belongs to the host project otherwise). After building code-indexer:
#
#   cd build && cpack -G DEB    # code-index_<version>_<arch>.deb
#   cd build && cpack -G TGZ    # code-index-<version>-Linux.tar.gz
#
# Both hold what `cmake --install` installs (code-indexer and the CMake
# package), stripped. The Debian package declares its dependencies: the
# shared libraries that dpkg-shlibdeps finds in code-indexer (LLVM, Clang,
# RocksDB, LMDB, the C++ runtime) and Clang's resource headers (stddef.h,
# ...), which code-indexer reads from CODE_INDEX_CLANG_RESOURCE_DIR at run
# time and which no shared library dependency brings.

set(CODE_INDEX_PACKAGE_CONTACT "CodeIndex developers" CACHE STRING
  "Maintainer field of the packages that cpack makes (Name <email>)")

set(CPACK_PACKAGE_NAME code-index)
set(CPACK_PACKAGE_VENDOR "CodeIndex")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "Semantic code graph of C and C++ projects, from compile_commands.json")
set(CPACK_PACKAGE_DESCRIPTION
  "code-indexer parses a project with Clang (libTooling, LLVM 19) as its \
compile_commands.json says, stores the entities and their relations \
(calls, inheritance, overrides, includes, tests) in an incremental index \
(RocksDB or LMDB), exports them as JSON and answers queries. The CMake \
package (find_package(CodeIndex)) adds a code-index target to a project.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${CODE_INDEX_PACKAGE_CONTACT}")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
# The installed binary is about 47 MB with the debug information of a
# RelWithDebInfo build, 1.5 MB without (it links LLVM and Clang as shared
# libraries).
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB TGZ)
set(CPACK_SOURCE_GENERATOR "")
set(CPACK_PACKAGE_CHECKSUM SHA256)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libLLVM by name as well (Debian's and apt.llvm.org's package name):
# dpkg-shlibdeps finds it through the RUNPATH, as a link in
# /usr/lib/llvm-<N>/lib that llvm-<N>-dev owns, and does not always trace
# it to libllvm<N> (on Debian 12 the Depends of one build in two lacked it).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libllvm${LLVM_VERSION_MAJOR}, libclang-common-${LLVM_VERSION_MAJOR}-dev")
# A build tool for CMake projects: the package works without CMake, but
# its CMake package is the usual way in.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cmake (>= 3.19)")

include(CPack)
