# CodeIndexPackage.cmake - the CMake package of CodeIndex.
#
# Included at the end of the top-level CMakeLists.txt. It
#  - installs the package: CodeIndexConfig.cmake and its version file, the
#    exported CodeIndex::code-indexer target, the CodeIndex.cmake module and
#    CodeIndexInject.cmake, all in <prefix>/${CODE_INDEX_INSTALL_CMAKEDIR};
#  - makes the module usable in the build tree: the alias
#    CodeIndex::code-indexer and code_index_add_target() exist for a project
#    that adds CodeIndex with add_subdirectory() or FetchContent.

include(CMakePackageConfigHelpers)

set(CODE_INDEX_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/CodeIndex" CACHE STRING
  "Directory of the CodeIndex CMake package, relative to the install prefix")
mark_as_advanced(CODE_INDEX_INSTALL_CMAKEDIR)

if(NOT TARGET code-indexer)
  # CODE_INDEX_BUILD_PLUGIN=OFF: no extractor, so no package to install.
  return()
endif()

# The engine the extractor uses when --db is not given; the module needs it
# only to place an index in a non-default OUTPUT_DIR. This mirrors
# storage::defaultEngine() (storage/src/Store.cpp).
if(CODE_INDEX_DB)
  set(_code_index_engine "${CODE_INDEX_DB}")
elseif(WIN32 AND CODE_INDEX_WITH_LMDB)
  set(_code_index_engine lmdb)
elseif(CODE_INDEX_WITH_ROCKSDB)
  set(_code_index_engine rocksdb)
elseif(CODE_INDEX_WITH_LMDB)
  set(_code_index_engine lmdb)
else()
  set(_code_index_engine mem)
endif()
set_property(TARGET code-indexer PROPERTY
  CODE_INDEX_DEFAULT_ENGINE "${_code_index_engine}")
set_property(TARGET code-indexer APPEND PROPERTY
  EXPORT_PROPERTIES CODE_INDEX_DEFAULT_ENGINE)
unset(_code_index_engine)

add_executable(CodeIndex::code-indexer ALIAS code-indexer)

install(EXPORT CodeIndexTargets
  NAMESPACE CodeIndex::
  FILE CodeIndexTargets.cmake
  DESTINATION "${CODE_INDEX_INSTALL_CMAKEDIR}")
configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/CodeIndexConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake-modules/CodeIndexConfig.cmake"
  INSTALL_DESTINATION "${CODE_INDEX_INSTALL_CMAKEDIR}"
  NO_SET_AND_CHECK_MACRO)
# A build tool: its users' pointer size does not matter. Until 1.0 a minor
# version may break compatibility.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/cmake-modules/CodeIndexConfigVersion.cmake"
  VERSION "${CodeIndex_VERSION}"
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/cmake-modules/CodeIndexConfig.cmake"
  "${PROJECT_BINARY_DIR}/cmake-modules/CodeIndexConfigVersion.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/CodeIndex.cmake"
  "${CMAKE_CURRENT_LIST_DIR}/CodeIndexInject.cmake"
  DESTINATION "${CODE_INDEX_INSTALL_CMAKEDIR}")

include("${CMAKE_CURRENT_LIST_DIR}/CodeIndex.cmake")
