//===- Dot.cpp - Graphviz pictures of a code graph ------------------------===//

#include "query/Dot.h"
#include "tools/code-indexer/ExitCodes.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FileSystem.h"

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

void writeFocusDot(const GraphIndex &G, Id Focus, unsigned Hops,
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
        for (unsigned EI : G.out(K, N))
          if (G.entity(G.edge(EI).To) && Seen.insert(G.edge(EI).To).second)
            Next.push_back(G.edge(EI).To);
        for (unsigned EI : G.in(K, N))
          if (G.entity(G.edge(EI).From) && Seen.insert(G.edge(EI).From).second)
            Next.push_back(G.edge(EI).From);
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
  std::vector<std::tuple<unsigned, std::string, std::string, unsigned>> Edges;
  for (Id N : Nodes)
    for (EdgeKind K : Kinds)
      for (unsigned EI : G.out(K, N)) {
        const Edge &E = G.edge(EI);
        if (Seen.contains(E.To))
          Edges.emplace_back(static_cast<unsigned>(K), G.displayName(E.From),
                             G.displayName(E.To), EI);
      }
  llvm::sort(Edges);
  for (auto &[K, From, To, EI] : Edges) {
    const Edge &E = G.edge(EI);
    bool Virtual =
        llvm::any_of(E.Sites, [](const Site &S) { return S.Virtual; });
    OS << "  " << nodeName(E.From) << " -> " << nodeName(E.To) << " ["
       << edgeStyle(E.Kind)
       << (E.Kind == EdgeKind::Calls && Virtual ? ", label=\"virtual\"" : "")
       << "];\n";
  }
  OS << "}\n";
}

void writeIncludeDot(const GraphIndex &G, StringRef Dir, raw_ostream &OS) {
  std::string Prefix = Dir.rtrim('/').str();
  bool All = Prefix.empty() || Prefix == ".";
  std::vector<const FileInfo *> Files;
  DenseSet<Id> In;
  for (const FileInfo &F : G.graph().Files)
    if (F.Role != FileRole::System &&
        (All || StringRef(F.Path).starts_with(Prefix + "/"))) {
      Files.push_back(&F);
      In.insert(F.ID);
    }
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
    for (unsigned EI : G.out(EdgeKind::Includes, F->ID)) {
      const Edge &E = G.edge(EI);
      if (In.contains(E.To))
        Edges.emplace_back(F->Path, G.file(E.To)->Path);
    }
  llvm::sort(Edges);
  for (auto &[From, To] : Edges)
    OS << "  " << nodeName(G.fileByPath(From)->ID) << " -> "
       << nodeName(G.fileByPath(To)->ID) << ";\n";
  OS << "}\n";
}

int runDotExport(const DotRequest &R) {
  auto Usage = [](const Twine &Msg) {
    errs() << "code-indexer: error: " << Msg << "\n";
    return exitcode::Usage;
  };
  if (R.Focus.empty() == R.IncludeDir.empty())
    return Usage("export --format dot needs --focus SYMBOL or "
                 "--include-graph DIR");
  Graph Gr;
  std::string Source;
  if (int RC = loadQueryGraph(R.Db, R.Input, Gr, Source))
    return RC;
  GraphIndex G(std::move(Gr));
  std::string Text;
  raw_string_ostream OS(Text);
  if (!R.Focus.empty()) {
    std::optional<Id> X = resolveOne(G, R.Focus, errs());
    if (!X)
      return exitcode::Usage;
    writeFocusDot(G, *X, R.Hops, OS);
  } else {
    writeIncludeDot(G, R.IncludeDir, OS);
  }
  if (R.Output.empty()) {
    outs() << Text;
    return exitcode::Ok;
  }
  std::error_code EC;
  raw_fd_ostream Out(R.Output, EC, sys::fs::OF_Text);
  if (EC)
    return Usage("cannot write '" + R.Output + "': " + EC.message());
  Out << Text;
  return exitcode::Ok;
}

} // namespace codeindex
