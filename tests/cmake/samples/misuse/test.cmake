# Configuring must fail, and its output must hold EXPECT (a regex; CMake
# wraps long messages, so whitespace is collapsed before matching). With
# EXPECT_BUILD_FAILURE, configuring must succeed with EXPECT as a warning,
# and building code-index must fail with EXPECT.
if(EXPECT_BUILD_FAILURE)
  sample_configure()
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${CONFIGURE_OUTPUT}")
  expect_match("${flat}" "CMake Warning .*${EXPECT}" "configure output")
  run_step("build code-index" OUTPUT output EXPECT_FAILURE
    COMMAND "${CMAKE_COMMAND}" --build "${BUILD}" --target code-index)
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${output}")
  expect_match("${flat}" "code-index: ${EXPECT}" "build output")
else()
  sample_configure(EXPECT_FAILURE)
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${CONFIGURE_OUTPUT}")
  expect_match("${flat}" "${EXPECT}" "configure output")
endif()
