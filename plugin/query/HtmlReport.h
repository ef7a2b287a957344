//===- HtmlReport.h - The diff as one self-contained HTML page --*- C++ -*-===//
//
// `code-indexer diff --format html` writes the review report as one HTML
// file a reviewer opens from a CI artifact: the summary, each changed
// entity with its callers and referrers (the blast radius, by hop) and the
// tests that reach it, and a picture of its one-hop neighbourhood in HEAD,
// laid out by Graphviz (SvgRender.h) and inlined as SVG.
//
// The page renders the JSON value diffGraphs() computes, in its order, so
// it never disagrees with `--format json`; HEAD is read only to draw the
// pictures (with the DOT writer of Dot.h). It needs no network and runs no
// script: the styles are inline, there are no fonts, images or links to
// load, and a Content-Security-Policy says so to the browser. Every name
// is escaped. The page is bounded: at most MaxPictures pictures of at
// most MaxPictureNodes nodes, MaxDetailed entities in full (the others in
// one table), MaxNames names per list and MaxRows rows per table, each cut
// saying how many were left out.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_HTMLREPORT_H
#define CODEINDEX_PLUGIN_QUERY_HTMLREPORT_H

#include "query/GraphReader.h"
#include "query/GraphView.h"

#include "llvm/Support/raw_ostream.h"

namespace codeindex {

struct HtmlReportOptions {
  unsigned MaxPictures = 20;     ///< changed entities drawn (in JSON order)
  unsigned MaxPictureNodes = 25; ///< nodes per picture, the entity included
  unsigned MaxDetailed = 100;    ///< changed entities with their own section
  unsigned MaxNames = 40;        ///< names per list (callers of a hop, tests)
  unsigned MaxRows = 300;        ///< rows per table (added, removed, edges)
};

/// Writes the page for the diff D (as diffGraphs computed it) between BASE
/// and Head. Never fails: a picture Graphviz cannot draw is replaced by
/// Graphviz's message, in the page. Reads Head through its point
/// operations only; Head's reader errors are not checked here.
void writeDiffHtml(const ojson &D, const GraphReader &Head,
                   llvm::raw_ostream &OS, const HtmlReportOptions &O = {});

/// Escapes Text for HTML text and attribute values (&, <, >, ", ').
std::string escapeHtml(llvm::StringRef Text);

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_HTMLREPORT_H
