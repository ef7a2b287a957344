# PackageCheck.cmake - makes the CPack packages of a CodeIndex build, unpacks
# them and checks them (the setup of the cmake.package.* tests).
#
#   cmake -DBUILD_DIR=<CodeIndex build> -DWORK=<scratch dir>
#         -DGENERATORS=DEB;TGZ -DBINDIR=<bin> -DCMAKEDIR=<dir>
#         -P PackageCheck.cmake
#
# Leaves the unpacked packages where the sample tests use them as prefixes:
#   WORK/deb-root/usr  the .deb, extracted with dpkg-deb -x (no dpkg database,
#                      no root: the files as `dpkg -i` would install them)
#   WORK/tgz           the contents of the .tar.gz, without its top directory
# For the .deb it also checks the control fields: every shared library that
# code-indexer loads comes from a package in Depends, and Clang's resource
# headers are declared too.

cmake_minimum_required(VERSION 3.20)

function(fail)
  string(JOIN "" text ${ARGN})
  message(FATAL_ERROR "FAIL: ${text}")
endfunction()

# run(<out_var> <command>...): runs the command; fails the test if it fails.
function(run out_var)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE error)
  if(NOT result EQUAL 0)
    string(REPLACE ";" " " shown "${ARGN}")
    fail("${shown} failed (${result}):\n${output}${error}")
  endif()
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

# check_prefix(<prefix> <what>): the installed files are there, code-indexer
# runs and carries no debug information.
function(check_prefix prefix what)
  foreach(file IN ITEMS
      "${BINDIR}/code-indexer"
      "${CMAKEDIR}/CodeIndexConfig.cmake"
      "${CMAKEDIR}/CodeIndexConfigVersion.cmake"
      "${CMAKEDIR}/CodeIndexTargets.cmake"
      "${CMAKEDIR}/CodeIndex.cmake"
      "${CMAKEDIR}/CodeIndexInject.cmake")
    if(NOT EXISTS "${prefix}/${file}")
      fail("${what}: ${file} is missing")
    endif()
  endforeach()
  run(version "${prefix}/${BINDIR}/code-indexer" --version)
  if(NOT version MATCHES "^code-indexer [0-9]+\\.[0-9]+")
    fail("${what}: code-indexer --version printed '${version}'")
  endif()
  find_program(readelf NAMES readelf)
  if(readelf)
    run(sections "${readelf}" -S -W "${prefix}/${BINDIR}/code-indexer")
    if(sections MATCHES "\\.debug_info")
      fail("${what}: code-indexer is not stripped")
    endif()
  endif()
  file(SIZE "${prefix}/${BINDIR}/code-indexer" size)
  math(EXPR kb "${size} / 1024")
  message(STATUS "${what}: code-indexer ${kb} KiB, ${version}")
endfunction()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/packages")
string(REPLACE "," ";" GENERATORS "${GENERATORS}")
foreach(generator IN LISTS GENERATORS)
  run(output "${CMAKE_CPACK_COMMAND}" -G ${generator}
    --config "${BUILD_DIR}/CPackConfig.cmake" -B "${WORK}/packages")
  message("${output}")
endforeach()

if("TGZ" IN_LIST GENERATORS)
  file(GLOB archives "${WORK}/packages/*.tar.gz")
  list(LENGTH archives count)
  if(NOT count EQUAL 1)
    fail("expected one .tar.gz, found '${archives}'")
  endif()
  file(MAKE_DIRECTORY "${WORK}/tgz-unpacked")
  file(ARCHIVE_EXTRACT INPUT "${archives}" DESTINATION "${WORK}/tgz-unpacked")
  file(GLOB top "${WORK}/tgz-unpacked/*")
  list(LENGTH top count)
  if(NOT count EQUAL 1 OR NOT IS_DIRECTORY "${top}")
    fail("the archive should hold one top directory, not '${top}'")
  endif()
  file(RENAME "${top}" "${WORK}/tgz")
  check_prefix("${WORK}/tgz" "${archives}")
endif()

if("DEB" IN_LIST GENERATORS)
  file(GLOB debs "${WORK}/packages/*.deb")
  list(LENGTH debs count)
  if(NOT count EQUAL 1)
    fail("expected one .deb, found '${debs}'")
  endif()
  run(name dpkg-deb --field "${debs}" Package)
  string(STRIP "${name}" name)
  if(NOT name STREQUAL "code-index")
    fail("the package is named '${name}', not code-index")
  endif()
  run(depends dpkg-deb --field "${debs}" Depends)
  string(STRIP "${depends}" depends)
  message(STATUS "Depends: ${depends}")
  # The package names of Depends, without versions or alternatives.
  string(REGEX REPLACE "\\([^)]*\\)" "" names "${depends}")
  string(REGEX REPLACE "[ \t]" "" names "${names}")
  string(REGEX REPLACE "[,|]" ";" names "${names}")

  run(ignored dpkg-deb -x "${debs}" "${WORK}/deb-root")
  set(prefix "${WORK}/deb-root/usr")
  check_prefix("${prefix}" "${debs}")

  # Each shared library that code-indexer links directly (NEEDED), where
  # the loader finds it, belongs to a package in Depends: the file itself,
  # with symbolic links resolved (a link in /usr/lib/llvm-19/lib belongs to
  # llvm-19-dev, the library to libllvm19). Their own dependencies are
  # theirs to declare.
  find_program(readelf NAMES readelf REQUIRED)
  run(dynamic "${readelf}" -d -W "${prefix}/${BINDIR}/code-indexer")
  string(REGEX MATCHALL "\\(NEEDED\\)[^[]*\\[[^]]+\\]" needed "${dynamic}")
  run(ldd_output ldd "${prefix}/${BINDIR}/code-indexer")
  set(libraries "")
  foreach(entry IN LISTS needed)
    string(REGEX REPLACE ".*\\[(.+)\\]$" "\\1" soname "${entry}")
    string(FIND "${ldd_output}" "\t${soname} => " at)
    if(at EQUAL -1)
      fail("ldd does not list ${soname}:\n${ldd_output}")
    endif()
    string(SUBSTRING "${ldd_output}" ${at} -1 line)
    if(NOT line MATCHES "^\t[^ ]+ => (/[^ ]+)")
      fail("the loader does not find ${soname}:\n${ldd_output}")
    endif()
    list(APPEND libraries "${CMAKE_MATCH_1}")
  endforeach()
  if(NOT libraries)
    fail("readelf found no NEEDED libraries:\n${dynamic}")
  endif()
  foreach(library IN LISTS libraries)
    file(REAL_PATH "${library}" real)
    execute_process(COMMAND dpkg-query --search "${real}"
      RESULT_VARIABLE result OUTPUT_VARIABLE owner ERROR_QUIET)
    if(NOT result EQUAL 0)
      # usrmerge: dpkg may know the file by its /lib path.
      string(REGEX REPLACE "^/usr/lib/" "/lib/" real "${real}")
      execute_process(COMMAND dpkg-query --search "${real}"
        RESULT_VARIABLE result OUTPUT_VARIABLE owner ERROR_QUIET)
    endif()
    if(NOT result EQUAL 0)
      message(STATUS "${library}: no Debian package owns it; not checked")
      continue()
    endif()
    string(REGEX REPLACE ":.*" "" owner "${owner}") # "libfoo1:amd64: /path"
    if(NOT owner IN_LIST names)
      fail("code-indexer loads ${library} (package ${owner}), "
        "which Depends does not name: ${depends}")
    endif()
    message(STATUS "${library}: ${owner}, in Depends")
  endforeach()
  # Clang's resource headers (stddef.h, ...) are read at run time.
  if(NOT names MATCHES "(^|;)libclang-common-[0-9]+-dev(;|$)")
    fail("Depends does not name libclang-common-<N>-dev: ${depends}")
  endif()
endif()
message(STATUS "PASS")
