# Generated headers: building only the code-index target from a clean build
# must generate them first, and the index must hold their entities. The
# build directory is inside the source tree (the project root), where the
# extractor indexes generated files.

set(BUILD "${SRC}/build")
sample_configure()
expect_match("${CONFIGURE_OUTPUT}"
  "code-index: code-index builds first the 2 target\\(s\\) that generate sources: [a-z_, ]*(version, make_tables|make_tables, version)"
  "configure output")

sample_build(code-index output)
expect_match("${output}"
  "code-indexer: 2 TUs \\(2 parsed, 0 unchanged, 0 failed, 0 with errors, 0 excluded\\)"
  "summary line")

graph_load("${BUILD}/code-index/graph.json")
graph_expect_stat(failed_translation_units EQUAL 0)
graph_expect_stat(diagnostics EQUAL 0)
graph_expect_file(build/gen/generated/version.h ROLE generated)
graph_expect_file(build/app/tables/tables.h ROLE generated)
graph_expect_entity(build_info::Version KIND struct
  FILE build/gen/generated/version.h)
graph_expect_entity(build_info::currentVersion KIND function FILE gen/version.cpp)
graph_expect_entity(squareOf KIND function FILE build/app/tables/tables.h)
graph_expect_edge(calls main squareOf)
graph_expect_edge(calls main build_info::currentVersion)
