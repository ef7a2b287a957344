# add_subdirectory() of the CodeIndex sources, vendored in third_party/: the
# module comes from there, and the target runs the code-indexer that this
# build compiles. CODE_INDEX_SOURCE_DIR is the tree to vendor.
#
# The host (CMakeLists.txt) sets -fno-exceptions -fno-rtti, no build type and
# tests of its own: CodeIndex must build with those flags, and the host must
# keep exactly its tests, its (empty) build type and its installed files.

# Vendor the sources, without build trees or version control.
file(GLOB entries RELATIVE "${CODE_INDEX_SOURCE_DIR}" "${CODE_INDEX_SOURCE_DIR}/*")
foreach(entry IN LISTS entries)
  if(NOT entry MATCHES "^(build|\\.)")
    file(COPY "${CODE_INDEX_SOURCE_DIR}/${entry}"
      DESTINATION "${SRC}/third_party/CodeIndex")
  endif()
endforeach()

sample_configure()

# The host's cache: its build type is still the empty one it configured with,
# and CodeIndex's tests and benchmarks are off.
file(STRINGS "${BUILD}/CMakeCache.txt" build_type REGEX "^CMAKE_BUILD_TYPE:")
if(NOT build_type STREQUAL "CMAKE_BUILD_TYPE:STRING=")
  fail("the host's CMAKE_BUILD_TYPE changed: '${build_type}'")
endif()
file(STRINGS "${BUILD}/CMakeCache.txt" options REGEX "^CODE_INDEX_BUILD_(TESTS|BENCH):")
foreach(expected IN ITEMS "CODE_INDEX_BUILD_TESTS:BOOL=OFF" "CODE_INDEX_BUILD_BENCH:BOOL=OFF")
  if(NOT expected IN_LIST options)
    fail("expected ${expected} in the host's cache, found '${options}'")
  endif()
endforeach()

# ctest lists the host's two tests and nothing of CodeIndex.
run_step("ctest -N" OUTPUT output
  COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${BUILD}" -N)
string(REGEX MATCHALL "Test +#[0-9]+: [^\n]+" tests "${output}")
set(expected_tests "Test #1: greeter.world" "Test #2: greeter.empty")
if(NOT tests STREQUAL expected_tests)
  fail("ctest -N lists '${tests}', expected '${expected_tests}'")
endif()
expect_match("${output}" "Total Tests: 2" "ctest -N")

# CodeIndex compiles under the host's -fno-exceptions -fno-rtti: its own
# options come after the host's on each command line.
file(READ "${BUILD}/compile_commands.json" commands)
expect_match("${commands}"
  "-fno-exceptions -fno-rtti[^\"]*-fexceptions -frtti[^\"]*MemoryStore\\.cpp"
  "the compile command of MemoryStore.cpp")
expect_no_match("${commands}" "-fexceptions[^\"]*greeter"
  "the host's compile commands (our options leaked into them)")

sample_build(index-all output)
expect_match("${output}" "Linking CXX executable third_party/CodeIndex/plugin/code-indexer"
  "build output (the in-tree extractor)")
expect_match("${output}"
  "code-indexer: 2 TUs \\(2 parsed, 0 unchanged, 0 failed, 0 with errors, [1-9][0-9]* excluded\\)"
  "summary line")

graph_load("${BUILD}/code-index/graph.json")
graph_expect_stat(failed_translation_units EQUAL 0)
graph_expect_file(src/greeter.cpp ROLE source)
graph_expect_entity(greet::greetingLength KIND function FILE src/greeter.cpp)
graph_expect_entity(greet::Named KIND struct FILE src/greeter.h)
graph_expect_no_file("^third_party/")
graph_expect_no_entity(codeindex::runExtract)

# The host's own tests build and pass.
sample_build(all output)
run_step("ctest" OUTPUT output
  COMMAND "${CMAKE_CTEST_COMMAND}" --test-dir "${BUILD}" --output-on-failure)
expect_match("${output}" "100% tests passed, 0 tests failed out of 2" "ctest")

# Installing the host installs the host: CodeIndex is EXCLUDE_FROM_ALL.
run_step("install" OUTPUT output
  COMMAND "${CMAKE_COMMAND}" --install "${BUILD}" --prefix "${WORK}/prefix")
file(GLOB_RECURSE installed RELATIVE "${WORK}/prefix" "${WORK}/prefix/*")
if(NOT installed MATCHES "^lib[^;]*/libgreeter\\.a$")
  fail("the host's install installed '${installed}', expected only libgreeter.a")
endif()
