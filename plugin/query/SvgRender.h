//===- SvgRender.h - DOT text laid out as SVG by Graphviz -------*- C++ -*-===//
//
// The one place CodeIndex calls Graphviz's library (libgvc, libcgraph): it
// lays out DOT text with the `dot` engine and renders it as SVG, for the
// pictures the HTML diff report inlines. Everything else writes DOT text
// (Dot.h) and never sees Graphviz's types.
//
//===----------------------------------------------------------------------===//
#ifndef CODEINDEX_PLUGIN_QUERY_SVGRENDER_H
#define CODEINDEX_PLUGIN_QUERY_SVGRENDER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace codeindex {

/// Lays Dot out with the `dot` engine and returns the picture as one
/// `<svg>` element (the XML prologue, doctype and comments dropped), to be
/// inlined into HTML. Every `id` attribute in it starts with IdPrefix, so
/// several pictures can share one page. Fails (llvm::StringError) with
/// Graphviz's own message when the text does not parse, the layout engine
/// or the SVG renderer is missing, or the layout fails.
///
/// Every call uses one Graphviz context, made at the first call and kept
/// for the life of the process: Graphviz's text layout plugin keeps
/// pointers into a context's font table, so a second context made after
/// the first was freed would read freed memory (found by ASan); keeping
/// one also loads the plugins once.
///
/// Thread-safety: Graphviz keeps process-wide state (the context, its
/// error handler, the parser's globals), so calls are serialized by a lock
/// inside; callers on several threads wait for each other.
llvm::Expected<std::string> renderDotAsSvg(llvm::StringRef Dot,
                                           llvm::StringRef IdPrefix = "");

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_SVGRENDER_H
