//===- SvgRender.cpp - DOT text laid out as SVG by Graphviz ---------------===//

#include "query/SvgRender.h"

#include "llvm/ADT/ScopeExit.h"

#include <gvc.h>

#include <algorithm>
#include <mutex>

using namespace llvm;

namespace codeindex {

namespace {

/// Serializes every call into Graphviz (see the header).
std::mutex &graphvizLock() {
  static std::mutex M;
  return M;
}

/// Graphviz's messages since the last call that cleared it, written by its
/// error handler while graphvizLock() is held. The handler gets a message
/// in pieces ("Error", ": ", "syntax error in line 1 near ';'\n").
std::string &graphvizMessages() {
  static std::string S;
  return S;
}

int collectMessage(char *Piece) {
  graphvizMessages() += Piece;
  return 0;
}

Error graphvizError(const Twine &What) {
  std::string Msg = StringRef(graphvizMessages()).trim().str();
  std::replace(Msg.begin(), Msg.end(), '\n', ' ');
  return createStringError(inconvertibleErrorCode(),
                           "Graphviz: " + What +
                               (Msg.empty() ? "" : ": " + Msg));
}

/// Graphviz 2.x reports the length as unsigned int, later versions as
/// size_t: take whichever this gvRenderData has.
template <typename Length>
int renderData(int (*Fn)(GVC_t *, graph_t *, const char *, char **, Length *),
               GVC_t *C, graph_t *G, char **Out, size_t &Size) {
  Length N = 0;
  int RC = Fn(C, G, "svg", Out, &N);
  Size = N;
  return RC;
}

/// The one context (see the header); graphvizLock() held. Reachable from
/// this static for the life of the process, so never reported as a leak.
GVC_t *sharedContext() {
  static GVC_t *Context = gvContext();
  return Context;
}

} // namespace

Expected<std::string> renderDotAsSvg(StringRef Dot, StringRef IdPrefix) {
  std::lock_guard<std::mutex> L(graphvizLock());
  graphvizMessages().clear();
  agseterrf(collectMessage);
  GVC_t *Context = sharedContext();
  if (!Context)
    return graphvizError("no context (libgvc failed to start)");
  std::string Text = Dot.str(); // agmemread wants a C string
  graph_t *G = agmemread(Text.c_str());
  if (!G)
    return graphvizError("cannot read the DOT text");
  auto Close = make_scope_exit([&] { agclose(G); });
  if (gvLayout(Context, G, "dot") != 0)
    return graphvizError("layout failed");
  auto FreeLayout = make_scope_exit([&] { gvFreeLayout(Context, G); });
  char *Data = nullptr;
  size_t Size = 0;
  if (renderData(gvRenderData, Context, G, &Data, Size) != 0 || !Data) {
    if (Data)
      gvFreeRenderData(Data);
    return graphvizError("SVG rendering failed");
  }
  std::string Svg(Data, Size);
  gvFreeRenderData(Data);

  // The element only: HTML has no use for the prologue, the doctype (its
  // URL is never fetched, but is noise) or Graphviz's comments.
  size_t Start = Svg.find("<svg");
  size_t End = Svg.rfind("</svg>");
  if (Start == std::string::npos || End == std::string::npos)
    return graphvizError("the SVG renderer wrote no <svg> element");
  std::string Out;
  Out.reserve(Svg.size());
  StringRef Body = StringRef(Svg).slice(Start, End + 6);
  while (!Body.empty()) {
    // Graphviz escapes '<', '>' and '"' in text and attribute values, so
    // these markers only ever start a comment or an id attribute.
    size_t Comment = Body.find("<!--");
    size_t IdAttr = IdPrefix.empty() ? StringRef::npos : Body.find(" id=\"");
    size_t Next = std::min(Comment, IdAttr);
    if (Next == StringRef::npos) {
      Out += Body;
      break;
    }
    Out += Body.take_front(Next);
    if (Next == Comment) {
      size_t Close = Body.find("-->", Next);
      Body =
          Close == StringRef::npos ? StringRef() : Body.drop_front(Close + 3);
      if (Body.starts_with("\n"))
        Body = Body.drop_front();
    } else {
      Out += " id=\"";
      Out += IdPrefix;
      Body = Body.drop_front(Next + 5);
    }
  }
  return Out;
}

} // namespace codeindex
