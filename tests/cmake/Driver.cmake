# Driver.cmake - runs one sample project of tests/cmake.
#
#   cmake -DSAMPLE=<sample dir> -DWORK=<scratch dir> -DGENERATOR=<generator>
#         [-DCONFIGURE_ARGS=<arg>|<arg>|...] [-DEXTRACTOR=<path>]
#         [-D<name>=<value>...]
#         -P Driver.cmake
#
# Copies SAMPLE to WORK/src (so a test may edit sources and the source tree
# stays clean), then runs SAMPLE/test.cmake, which drives the sample with the
# functions below and checks the graph with GraphCheck.cmake. The other -D
# values are for test.cmake. CONFIGURE_ARGS separates arguments with "|",
# since CTest would split them at ";".

cmake_minimum_required(VERSION 3.20)

foreach(var IN ITEMS SAMPLE WORK GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "Driver.cmake needs -D${var}=...")
  endif()
endforeach()
string(REPLACE "|" ";" CONFIGURE_ARGS "${CONFIGURE_ARGS}")

set(SRC "${WORK}/src")
set(BUILD "${WORK}/build")
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
file(COPY "${SAMPLE}/" DESTINATION "${SRC}" PATTERN "test.cmake" EXCLUDE)

include("${CMAKE_CURRENT_LIST_DIR}/GraphCheck.cmake")

function(fail)
  string(JOIN "" text ${ARGN})
  message(FATAL_ERROR "FAIL: ${text}")
endfunction()

# run_step(<what> OUTPUT <var> [EXPECT_FAILURE] COMMAND <command>...)
# Runs the command, shows its output, and fails the test if it fails (or,
# with EXPECT_FAILURE, if it succeeds).
function(run_step what)
  cmake_parse_arguments(PARSE_ARGV 1 arg "EXPECT_FAILURE" "OUTPUT" "COMMAND")
  string(REPLACE ";" " " shown "${arg_COMMAND}")
  message(STATUS "== ${what}: ${shown}")
  string(TIMESTAMP start "%s")
  execute_process(COMMAND ${arg_COMMAND}
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)
  string(TIMESTAMP end "%s")
  math(EXPR seconds "${end} - ${start}")
  message("${output}")
  message(STATUS "== ${what}: exit ${result} after ${seconds} s")
  if(arg_EXPECT_FAILURE AND result EQUAL 0)
    fail("${what} succeeded; it should have failed")
  elseif(NOT arg_EXPECT_FAILURE AND NOT result EQUAL 0)
    fail("${what} failed (${result})")
  endif()
  set(${arg_OUTPUT} "${output}" PARENT_SCOPE)
endfunction()

# sample_configure([EXPECT_FAILURE] [<extra cmake argument>...])
# Configures SRC into BUILD; sets CONFIGURE_OUTPUT.
function(sample_configure)
  set(expect "")
  set(args ${ARGN})
  if("EXPECT_FAILURE" IN_LIST args)
    set(expect EXPECT_FAILURE)
    list(REMOVE_ITEM args EXPECT_FAILURE)
  endif()
  run_step(configure OUTPUT output ${expect}
    COMMAND "${CMAKE_COMMAND}" -S "${SRC}" -B "${BUILD}" -G "${GENERATOR}"
            --no-warn-unused-cli
            ${CONFIGURE_ARGS} ${args})
  set(CONFIGURE_OUTPUT "${output}" PARENT_SCOPE)
endfunction()

# sample_build(<target> <out_var>)
function(sample_build target out_var)
  run_step("build ${target}" OUTPUT output
    COMMAND "${CMAKE_COMMAND}" --build "${BUILD}" --target ${target}
            --parallel 2)
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

# expect_match(<text> <regex> <what>)
function(expect_match text regex what)
  if(NOT text MATCHES "${regex}")
    fail("${what}: no match for '${regex}'")
  endif()
endfunction()

function(expect_no_match text regex what)
  if(text MATCHES "${regex}")
    fail("${what}: unexpected match for '${regex}': '${CMAKE_MATCH_0}'")
  endif()
endfunction()

function(expect_exists path)
  if(NOT EXISTS "${path}")
    fail("'${path}' does not exist")
  endif()
endfunction()

include("${SAMPLE}/test.cmake")

# -DEXTRACTOR=<path> (Ninja only): the target ran this code-indexer, e.g.
# the one of an unpacked package, and no other.
if(DEFINED EXTRACTOR)
  file(READ "${BUILD}/build.ninja" ninja)
  string(FIND "${ninja}" "${EXTRACTOR} extract" at)
  if(at EQUAL -1)
    fail("build.ninja does not run ${EXTRACTOR}")
  endif()
endif()
message(STATUS "PASS")
