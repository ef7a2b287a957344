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

struct GVC_s; // Graphviz's context (gvc.h), kept out of this header

namespace codeindex {

/// Owns one Graphviz context (its plugins are loaded once, when the
/// renderer is made) and renders any number of pictures with it.
///
/// Thread-safety: Graphviz keeps process-wide state (its error handler,
/// the parser's globals), so every renderer in the process takes one lock
/// around each call into it; renderers may be used from several threads,
/// one picture at a time.
class SvgRenderer {
public:
  SvgRenderer();
  ~SvgRenderer();
  SvgRenderer(const SvgRenderer &) = delete;
  SvgRenderer &operator=(const SvgRenderer &) = delete;

  /// Lays Dot out with the `dot` engine and returns the picture as one
  /// `<svg>` element (the XML prologue, doctype and comments dropped), to
  /// be inlined into HTML. Every `id` attribute in it starts with IdPrefix,
  /// so several pictures can share one page. Fails (llvm::StringError)
  /// with Graphviz's own message when the text does not parse, the layout
  /// engine or the SVG renderer is missing, or the layout fails.
  llvm::Expected<std::string> render(llvm::StringRef Dot,
                                     llvm::StringRef IdPrefix = "");

private:
  GVC_s *Context = nullptr;
};

} // namespace codeindex

#endif // CODEINDEX_PLUGIN_QUERY_SVGRENDER_H
