# A project that knows nothing of CodeIndex, indexed through
# CMAKE_PROJECT_TOP_LEVEL_INCLUDES. TARGET, OUTPUT_DIR and ENGINE say where
# the test's options put the target and its output.

if(NOT DEFINED TARGET)
  set(TARGET code-index)
endif()
if(NOT DEFINED OUTPUT_DIR)
  set(OUTPUT_DIR code-index)
endif()

sample_configure()
expect_match("${CONFIGURE_OUTPUT}" "code-index: added the target ${TARGET}"
  "configure output")

sample_build(${TARGET} output)
expect_match("${output}"
  "code-indexer: 2 TUs \\(2 parsed, 0 unchanged, 0 failed, 0 with errors, 0 excluded\\)"
  "summary line")
if(DEFINED ENGINE)
  expect_match("${output}" "index: ${ENGINE}:${BUILD}/${OUTPUT_DIR}/index"
    "index spec")
endif()
expect_exists("${BUILD}/${OUTPUT_DIR}/index")

graph_load("${BUILD}/${OUTPUT_DIR}/graph.json")
graph_expect_stat(failed_translation_units EQUAL 0)
graph_expect_file(src/counter.c ROLE source LANGUAGE c)
graph_expect_file(src/tool/main.cpp ROLE source LANGUAGE c++)
graph_expect_entity(counter_add KIND function FILE src/counter.c LANGUAGE c)
graph_expect_entity(counter KIND struct FILE src/counter.h)
graph_expect_entity(tool::countTo KIND function FILE src/tool/main.cpp)
graph_expect_edge(calls tool::countTo counter_add)
graph_expect_edge(calls main tool::countTo)
