//===- Dot.cpp - Graphviz pictures of a code graph ------------------------===//

#include "query/Dot.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FileSystem.h"

#include <map>
#include <set>
#include <tuple>

using namespace llvm;

namespace codeindex {

namespace {

std::string quote(StringRef S) {
  std::string R = "\"";
  for (char C : S) {
    if (C == '\n') {
      R += "\\n"; // a line break inside the label
      continue;
    }
    if (C == '"' || C == '\\')
      R += '\\';
    R += C;
  }
  return R + "\"";
}

std::string nodeName(Id I) { return "n" + formatId(I); }

void header(raw_ostream &OS, StringRef Title) {
  OS << "digraph " << quote(Title) << " {\n"
     << "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=10];\n"
     << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"white\", "
        "fontname=\"Helvetica\", fontsize=10];\n"
     << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
}

/// Style of each edge kind drawn in a focus picture.
const char *edgeStyle(EdgeKind K) {
  switch (K) {
  case EdgeKind::Calls:
    return "color=\"black\"";
  case EdgeKind::References:
    return "style=dashed, color=\"gray40\", label=\"references\"";
  case EdgeKind::UsesType:
    return "style=dotted, color=\"gray40\", label=\"uses type\"";
  case EdgeKind::Inherits:
    return "arrowhead=empty, color=\"blue\", label=\"inherits\"";
  case EdgeKind::Overrides:
    return "style=dashed, arrowhead=empty, color=\"purple\", "
           "label=\"overrides\"";
  default:
    return "";
  }
}

} // namespace

void writeFocusDot(const GraphView &G, Id Focus, unsigned Hops,
                   raw_ostream &OS) {
  static const EdgeKind Kinds[] = {EdgeKind::Calls, EdgeKind::References,
                                   EdgeKind::UsesType, EdgeKind::Inherits,
                                   EdgeKind::Overrides};
  // Undirected breadth-first search over entity-to-entity edges.
  DenseSet<Id> Seen{Focus};
  std::vector<Id> Frontier{Focus};
  for (unsigned Hop = 0; Hop < Hops && !Frontier.empty(); ++Hop) {
    std::vector<Id> Next;
    for (Id N : Frontier)
      for (EdgeKind K : Kinds) {
        for (const Edge &E : G.out(K, N))
          if (G.entity(E.To) && Seen.insert(E.To).second)
            Next.push_back(E.To);
        for (const Edge &E : G.in(K, N))
          if (G.entity(E.From) && Seen.insert(E.From).second)
            Next.push_back(E.From);
      }
    Frontier = std::move(Next);
  }
  std::vector<Id> Nodes(Seen.begin(), Seen.end());
  G.sortIds(Nodes);

  header(OS, "focus " + G.displayName(Focus));
  for (Id N : Nodes) {
    const Entity *E = G.entity(N);
    std::string Attrs =
        "label=" + quote(G.displayName(N) + "\n" + std::string(spell(E->Kind)) +
                         ", " + G.location(N));
    if (N == Focus)
      Attrs += ", fillcolor=\"gold\", penwidth=2";
    else if (E->IsTest)
      Attrs += ", fillcolor=\"palegreen\"";
    else if (E->External)
      Attrs += ", fillcolor=\"gray90\", style=\"rounded,filled,dashed\"";
    OS << "  " << nodeName(N) << " [" << Attrs << "];\n";
  }
  // Ordered by kind and names; the edge's address only breaks ties between
  // overloads that display alike, as the graph's edge order did.
  std::vector<std::tuple<unsigned, std::string, std::string, Id, Id>> Order;
  std::map<std::tuple<unsigned, Id, Id>, const Edge *> ByKey;
  for (Id N : Nodes)
    for (EdgeKind K : Kinds)
      for (const Edge &E : G.out(K, N))
        if (Seen.contains(E.To)) {
          Order.emplace_back(static_cast<unsigned>(K), G.displayName(E.From),
                             G.displayName(E.To), E.From, E.To);
          ByKey[{static_cast<unsigned>(K), E.From, E.To}] = &E;
        }
  llvm::sort(Order);
  for (auto &[K, FromName, ToName, From, To] : Order) {
    const Edge &E = *ByKey[{K, From, To}];
    bool Virtual =
        llvm::any_of(E.Sites, [](const Site &S) { return S.Virtual; });
    OS << "  " << nodeName(E.From) << " -> " << nodeName(E.To) << " ["
       << edgeStyle(E.Kind)
       << (E.Kind == EdgeKind::Calls && Virtual ? ", label=\"virtual\"" : "")
       << "];\n";
  }
  OS << "}\n";
}

void writeIncludeDot(const GraphView &G, StringRef Dir, raw_ostream &OS) {
  std::string Prefix = Dir.rtrim('/').str();
  bool All = Prefix.empty() || Prefix == ".";
  std::vector<const FileInfo *> Files;
  DenseSet<Id> In;
  G.reader().forEachFile([&](const FileInfo &F) {
    if (F.Role != FileRole::System &&
        (All || StringRef(F.Path).starts_with(Prefix + "/"))) {
      Files.push_back(G.file(F.ID));
      In.insert(F.ID);
    }
    return true;
  });
  llvm::sort(Files, [](const FileInfo *A, const FileInfo *B) {
    return A->Path < B->Path;
  });
  header(OS, "includes " + (All ? std::string(".") : Prefix));
  for (const FileInfo *F : Files)
    OS << "  " << nodeName(F->ID) << " [label=" << quote(F->Path)
       << (F->Role == FileRole::Header
               ? ", shape=note"
               : (F->Role == FileRole::Test ? ", fillcolor=\"palegreen\"" : ""))
       << "];\n";
  std::vector<std::pair<std::string, std::string>> Edges;
  std::vector<std::pair<Id, Id>> Ends;
  for (const FileInfo *F : Files)
    for (const Edge &E : G.out(EdgeKind::Includes, F->ID)) {
      if (In.contains(E.To))
        Edges.emplace_back(F->Path, G.file(E.To)->Path);
    }
  llvm::sort(Edges);
  for (auto &[From, To] : Edges)
    OS << "  " << nodeName(G.fileByPath(From)->ID) << " -> "
       << nodeName(G.fileByPath(To)->ID) << ";\n";
  OS << "}\n";
}

Error runDotExport(const DotRequest &R, raw_ostream &Stdout) {
  if (R.Focus.empty() == R.IncludeDir.empty())
    return usageError("export --format dot needs --focus SYMBOL or "
                      "--include-graph DIR");
  std::string Source;
  Expected<std::unique_ptr<GraphReader>> Reader =
      openGraphReader(R.Db, R.Input, Source);
  if (!Reader)
    return Reader.takeError();
  GraphView G(**Reader);
  std::string Text;
  raw_string_ostream OS(Text);
  if (!R.Focus.empty()) {
    Expected<Id> X = resolveOne(G, R.Focus);
    if (!X)
      return X.takeError();
    writeFocusDot(G, *X, R.Hops, OS);
  } else {
    writeIncludeDot(G, R.IncludeDir, OS);
  }
  if (Error E = (*Reader)->takeError())
    return E;
  if (R.Output.empty()) {
    Stdout << Text;
    return Error::success();
  }
  std::error_code EC;
  raw_fd_ostream Out(R.Output, EC, sys::fs::OF_Text);
  if (EC)
    return usageError("cannot write '" + R.Output + "': " + EC.message());
  Out << Text;
  return Error::success();
}

} // namespace codeindex
