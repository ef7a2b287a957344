# Generated headers: building only the code-index target from a clean build
# must generate them first, and the index must hold their entities. The
# build directory is inside the source tree (the project root), or, with
# OUT_OF_SOURCE, beside it: generated files under the build directory are
# project files either way (written with absolute paths when outside the
# root).

if(OUT_OF_SOURCE)
  set(GEN "${BUILD}/")
else()
  set(BUILD "${SRC}/build")
  set(GEN "build/")
endif()
sample_configure()
# Not report: it waits for the index.
expect_match("${CONFIGURE_OUTPUT}"
  "code-index: code-index builds first the 2 target\\(s\\) that generate sources: (version, make_tables|make_tables, version)\n"
  "configure output")
expect_match("${CONFIGURE_OUTPUT}"
  "code-index: code-index skips targets whose EXPORT_COMPILE_COMMANDS is off: private_impl\n"
  "configure output")

sample_build(code-index output)
expect_match("${output}"
  "code-indexer: 3 TUs \\(3 parsed, 0 unchanged, 0 failed, 0 with errors, 0 excluded\\)"
  "summary line")

graph_load("${BUILD}/code-index/graph.json")
graph_expect_stat(failed_translation_units EQUAL 0)
graph_expect_stat(diagnostics EQUAL 0)
graph_expect_file(${GEN}gen/generated/version.h ROLE generated)
graph_expect_file(${GEN}app/tables/tables.h ROLE generated)
graph_expect_entity(build_info::Version KIND struct
  FILE ${GEN}gen/generated/version.h)
graph_expect_entity(build_info::currentVersion KIND function FILE gen/version.cpp)
graph_expect_entity(squareOf KIND function FILE ${GEN}app/tables/tables.h)
graph_expect_edge(calls main squareOf)
graph_expect_edge(calls main build_info::currentVersion)
graph_expect_entity(reportMain KIND function FILE report/report.cpp)
graph_expect_no_entity(privateHelper)

# The consumer of the index builds after it.
sample_build(report output)
file(READ "${BUILD}/report/generated/report.h" report)
expect_match("${report}" "#define INDEXED_ENTITIES [1-9][0-9]*" "report.h")
