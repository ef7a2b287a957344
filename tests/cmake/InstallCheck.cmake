# InstallCheck.cmake - installs CodeIndex into a scratch prefix, moves it, and
# checks the result (the setup of the find_package and inject tests).
#
#   cmake -DBUILD_DIR=<CodeIndex build> -DSTAGE=<dir> -DPREFIX=<dir>
#         -DSOURCE_DIR=<CodeIndex sources> -DBINDIR=<bin> -DCMAKEDIR=<dir>
#         -P InstallCheck.cmake
#
# The package is installed into STAGE, copied to PREFIX and STAGE deleted:
# the tests then use a prefix that it was not installed to, which only
# works if the package is relocatable.

cmake_minimum_required(VERSION 3.20)

file(REMOVE_RECURSE "${STAGE}" "${PREFIX}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${STAGE}"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${result}); is code-indexer built?")
endif()

set(expected
  "${BINDIR}/code-indexer"
  "${CMAKEDIR}/CodeIndexConfig.cmake"
  "${CMAKEDIR}/CodeIndexConfigVersion.cmake"
  "${CMAKEDIR}/CodeIndexTargets.cmake"
  "${CMAKEDIR}/CodeIndex.cmake"
  "${CMAKEDIR}/CodeIndexInject.cmake")
foreach(file IN LISTS expected)
  if(NOT EXISTS "${STAGE}/${file}")
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()
file(GLOB configurations "${STAGE}/${CMAKEDIR}/CodeIndexTargets-*.cmake")
if(NOT configurations)
  message(FATAL_ERROR "not installed: ${CMAKEDIR}/CodeIndexTargets-<config>.cmake")
endif()

file(COPY "${STAGE}/" DESTINATION "${PREFIX}" USE_SOURCE_PERMISSIONS)
file(REMOVE_RECURSE "${STAGE}")

# No installed CMake file may name the place it was installed to, the build
# tree or the source tree.
file(GLOB cmake_files "${PREFIX}/${CMAKEDIR}/*.cmake")
foreach(file IN LISTS cmake_files)
  file(READ "${file}" text)
  foreach(path IN ITEMS "${STAGE}" "${BUILD_DIR}" "${SOURCE_DIR}")
    string(FIND "${text}" "${path}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${file} names '${path}': the package is not relocatable")
    endif()
  endforeach()
endforeach()

execute_process(COMMAND "${PREFIX}/${BINDIR}/code-indexer" --version
  RESULT_VARIABLE result OUTPUT_VARIABLE version ERROR_VARIABLE version)
if(NOT result EQUAL 0 OR NOT version MATCHES "^code-indexer [0-9]+\\.[0-9]+")
  message(FATAL_ERROR "the installed code-indexer does not run: ${result} ${version}")
endif()
message(STATUS "installed and moved to ${PREFIX}: ${version}")
