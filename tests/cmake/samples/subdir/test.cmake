# add_subdirectory() of the CodeIndex sources, vendored in third_party/: the
# module comes from there, and the target runs the code-indexer that this
# build compiles. CODE_INDEX_SOURCE_DIR is the tree to vendor.

# Vendor the sources, without build trees or version control.
file(GLOB entries RELATIVE "${CODE_INDEX_SOURCE_DIR}" "${CODE_INDEX_SOURCE_DIR}/*")
foreach(entry IN LISTS entries)
  if(NOT entry MATCHES "^(build|\\.)")
    file(COPY "${CODE_INDEX_SOURCE_DIR}/${entry}"
      DESTINATION "${SRC}/third_party/CodeIndex")
  endif()
endforeach()

sample_configure()
sample_build(index-all output)
expect_match("${output}" "Linking CXX executable third_party/CodeIndex/plugin/code-indexer"
  "build output (the in-tree extractor)")
expect_match("${output}"
  "code-indexer: 1 TUs \\(1 parsed, 0 unchanged, 0 failed, 0 with errors, [1-9][0-9]* excluded\\)"
  "summary line")

graph_load("${BUILD}/code-index/graph.json")
graph_expect_stat(failed_translation_units EQUAL 0)
graph_expect_file(src/greeter.cpp ROLE source)
graph_expect_entity(greet::greetingLength KIND function FILE src/greeter.cpp)
graph_expect_entity(greet::Named KIND struct FILE src/greeter.h)
graph_expect_no_file("^third_party/")
graph_expect_no_entity(codeindex::runExtract)
