# The installed package through find_package(), found after some targets:
# their compile commands must be exported all the same. Checks the options
# of code_index_add_target() (EXCLUDE, TESTS exclude), the summary line, and
# that a second run is incremental and sees an edited source.

sample_configure()
if(INJECTED_TOO)
  expect_match("${CONFIGURE_OUTPUT}"
    "calls code_index_add_target\\(\\) itself \\(code-index, extra-index\\). CodeIndexInject adds no target"
    "configure output")
endif()

sample_build(code-index output)
expect_match("${output}" "Indexing Basic with code-indexer" "build output")
expect_match("${output}"
  "code-indexer: 4 TUs \\(4 parsed, 0 unchanged, 0 failed, 0 with errors, 1 excluded\\), 5 files, [0-9]+ entities, [0-9]+ edges"
  "summary line")
expect_exists("${BUILD}/code-index/index")
expect_exists("${BUILD}/code-index/errors.txt")

graph_load("${BUILD}/code-index/graph.json")
graph_expect_stat(failed_translation_units EQUAL 0)
graph_expect_file(include/shapes/shapes.h ROLE header LANGUAGE c++)
graph_expect_file(src/shapes.cpp ROLE source)
graph_expect_file(tests/shapes_test.cpp ROLE test)
graph_expect_no_file("^src/legacy")
graph_expect_entity(shapes::Shape KIND class FILE include/shapes/shapes.h)
graph_expect_entity(shapes::Square::area KIND method FILE src/shapes.cpp)
graph_expect_entity(shapes::totalArea KIND function FILE src/shapes.cpp)
graph_expect_entity(main KIND function FILE src/main.cpp)
graph_expect_entity(extraAnswer KIND function FILE extra/extra.cpp)
graph_expect_edge(calls main shapes::totalArea)
graph_expect_edge(calls shapes::totalArea shapes::Shape::area)
graph_expect_edge(inherits shapes::Circle shapes::Shape)
graph_expect_edge(overrides shapes::Square::area shapes::Shape::area)
# EXCLUDE "src/legacy*" and TESTS exclude.
graph_expect_no_entity(legacyArea)
graph_expect_no_entity(squareAreaIsSideSquared)

# Nothing changed: the extractor parses nothing.
sample_build(code-index output)
expect_match("${output}" "4 TUs \\(0 parsed, 4 unchanged" "second run")

# An edited source is parsed again, alone.
file(APPEND "${SRC}/src/shapes.cpp"
  "namespace shapes {\ndouble perimeterOfSquare(double Side) { return 4 * Side; }\n}\n")
sample_build(code-index output)
expect_match("${output}" "4 TUs \\(1 parsed, 3 unchanged" "run after an edit")
graph_load("${BUILD}/code-index/graph.json")
graph_expect_entity(shapes::perimeterOfSquare KIND function FILE src/shapes.cpp)
graph_expect_entity(shapes::totalArea KIND function FILE src/shapes.cpp)

# The second target: same project, its own output directory.
sample_build(extra-index output)
expect_match("${output}" "index: [a-z]+:${BUILD}/extra-out/index" "index spec")
graph_load("${BUILD}/extra-out/graph.json")
graph_expect_entity(shapes::perimeterOfSquare KIND function FILE src/shapes.cpp)
graph_expect_entity(extraAnswer KIND function FILE extra/extra.cpp)
