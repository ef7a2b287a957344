# Configuring must fail, and the output must hold EXPECT (a regex; CMake
# wraps long messages, so whitespace is collapsed before matching).
sample_configure(EXPECT_FAILURE)
string(REGEX REPLACE "[ \t\r\n]+" " " flat "${CONFIGURE_OUTPUT}")
expect_match("${flat}" "${EXPECT}" "configure output")
