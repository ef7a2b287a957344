//===- Dot.cpp - Graphviz pictures of a code graph ------------------------===//

#include "query/Dot.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

#include <algorithm>
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

/// The cut as DOT comments, one dropped node a line (a name cannot end a
/// line comment early: names hold no line breaks, and any are replaced).
void writeCut(raw_ostream &OS, const PictureCut &Cut) {
  if (Cut.empty())
    return;
  OS << "  // " << Cut.describe() << "\n";
  for (const auto &[Hop, Name] : Cut.Dropped) {
    std::string Line = Name;
    std::replace(Line.begin(), Line.end(), '\n', ' ');
    std::replace(Line.begin(), Line.end(), '\r', ' ');
    OS << "  //   dropped";
    if (Hop)
      OS << " (hop " << Hop << ")";
    OS << ": " << Line << "\n";
  }
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
  case EdgeKind::Contains:
    // UML's composition: the diamond at the container.
    return "dir=back, arrowtail=diamond, color=\"gray60\", "
           "label=\"contains\"";
  case EdgeKind::Instantiates:
    return "style=dashed, color=\"darkgreen\", label=\"instantiates\"";
  case EdgeKind::ExpandsMacro:
    return "style=dotted, color=\"darkorange\", label=\"expands\"";
  case EdgeKind::Includes:
    return "";
  }
  return "";
}

/// The kinds whose two ends are entities (includes joins files).
bool isEntityEdge(EdgeKind K) { return K != EdgeKind::Includes; }

} // namespace

std::string PictureCut::describe(unsigned Names) const {
  std::string S = "left out " + std::to_string(Dropped.size()) + " of " +
                  std::to_string(Reached) + " nodes (--max-nodes " +
                  std::to_string(Limit) + ")";
  std::map<unsigned, unsigned> ByHop;
  for (const auto &D : Dropped)
    ++ByHop[D.first];
  if (!ByHop.count(0)) {
    std::vector<std::string> Parts;
    for (auto [Hop, N] : ByHop)
      Parts.push_back(std::to_string(N) + " at hop " + std::to_string(Hop));
    S += ": " + llvm::join(Parts, ", ");
  }
  if (Names) {
    std::vector<std::string> Listed;
    for (size_t I = 0; I < Dropped.size() && I < Names; ++I)
      Listed.push_back(Dropped[I].second);
    S += (ByHop.count(0) ? ": " : "; ") + llvm::join(Listed, ", ");
    if (Dropped.size() > Names)
      S += " and " + std::to_string(Dropped.size() - Names) + " more";
  }
  return S;
}

const std::vector<EdgeKind> &defaultFocusEdges() {
  static const std::vector<EdgeKind> Kinds = {
      EdgeKind::Calls, EdgeKind::References, EdgeKind::UsesType,
      EdgeKind::Inherits, EdgeKind::Overrides};
  return Kinds;
}

Expected<std::vector<EdgeKind>> parseFocusEdges(StringRef List) {
  std::vector<EdgeKind> Kinds;
  SmallVector<StringRef, 8> Words;
  List.split(Words, ',');
  for (StringRef W : Words) {
    W = W.trim();
    std::optional<EdgeKind> K = parseEdgeKind(std::string_view(W));
    if (!K || !isEntityEdge(*K)) {
      std::vector<std::string> Valid;
      for (int I = 0; I < NumEdgeKinds; ++I)
        if (isEntityEdge(static_cast<EdgeKind>(I)))
          Valid.emplace_back(spell(static_cast<EdgeKind>(I)));
      return usageError("export --edges takes a comma-separated list of " +
                        llvm::join(Valid, ", ") + "; not '" + W + "'" +
                        (K ? " (draw includes with --include-graph)" : ""));
    }
    if (!llvm::is_contained(Kinds, *K))
      Kinds.push_back(*K);
  }
  return Kinds;
}

PictureCut writeFocusDot(const GraphView &G, Id Focus, const FocusOptions &O,
                         raw_ostream &OS) {
  const std::vector<EdgeKind> &Kinds =
      O.Edges.empty() ? defaultFocusEdges() : O.Edges;
  auto Wanted = [&](Id I) {
    const Entity *E = G.entity(I);
    return E && (O.External || !E->External || I == Focus);
  };
  // Undirected breadth-first search over entity-to-entity edges. External
  // entities are reached but never expanded: `size_t` is one node, not a
  // door to everything that uses it.
  DenseMap<Id, unsigned> HopOf{{Focus, 0}};
  std::vector<Id> Frontier{Focus};
  for (unsigned Hop = 0; Hop < O.Hops && !Frontier.empty(); ++Hop) {
    std::vector<Id> Next;
    for (Id N : Frontier) {
      if (N != Focus && G.entity(N)->External)
        continue;
      for (EdgeKind K : Kinds) {
        for (const Edge &E : G.out(K, N))
          if (Wanted(E.To) && HopOf.try_emplace(E.To, Hop + 1).second)
            Next.push_back(E.To);
        for (const Edge &E : G.in(K, N))
          if (Wanted(E.From) && HopOf.try_emplace(E.From, Hop + 1).second)
            Next.push_back(E.From);
      }
    }
    Frontier = std::move(Next);
  }

  // Rank: nearest first, project before external, then by name. A node at
  // hop h is kept only when every node at hop h-1 is, so each node kept
  // has a path to the focus in the picture.
  std::vector<Id> Ranked;
  for (auto &[I, Hop] : HopOf)
    Ranked.push_back(I);
  llvm::sort(Ranked, [&](Id A, Id B) {
    auto Key = [&](Id I) {
      return std::make_tuple(HopOf.lookup(I), G.entity(I)->External);
    };
    if (Key(A) != Key(B))
      return Key(A) < Key(B);
    return G.before(A, B);
  });
  PictureCut Cut;
  Cut.Reached = Ranked.size();
  Cut.Limit = O.MaxNodes;
  DenseSet<Id> Seen;
  for (size_t I = 0; I < Ranked.size(); ++I) {
    if (O.MaxNodes && I >= O.MaxNodes)
      Cut.Dropped.emplace_back(HopOf.lookup(Ranked[I]),
                               G.displayName(Ranked[I]));
    else
      Seen.insert(Ranked[I]);
  }
  std::vector<Id> Nodes(Seen.begin(), Seen.end());
  G.sortIds(Nodes);

  header(OS, "focus " + G.displayName(Focus));
  writeCut(OS, Cut);
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
    if (O.Link)
      if (std::string URL = O.Link(N); !URL.empty())
        Attrs += ", URL=" + quote(URL) + ", tooltip=" +
                 quote(G.displayName(N) + " (" + G.location(N) + ")");
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
  return Cut;
}

PictureCut writeIncludeDot(const GraphView &G, StringRef Dir, unsigned MaxNodes,
                           raw_ostream &OS) {
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
  PictureCut Cut;
  Cut.Reached = Files.size();
  Cut.Limit = MaxNodes;
  if (MaxNodes && Files.size() > MaxNodes) {
    // Keep the files most tied into the picture: most include edges among
    // the files drawn (in and out), then by path.
    DenseMap<Id, unsigned> Degree;
    for (const FileInfo *F : Files)
      for (const Edge &E : G.out(EdgeKind::Includes, F->ID))
        if (In.contains(E.To) && E.To != F->ID) {
          ++Degree[F->ID];
          ++Degree[E.To];
        }
    llvm::sort(Files, [&](const FileInfo *A, const FileInfo *B) {
      unsigned DA = Degree.lookup(A->ID), DB = Degree.lookup(B->ID);
      return DA != DB ? DA > DB : A->Path < B->Path;
    });
    for (size_t I = MaxNodes; I < Files.size(); ++I) {
      Cut.Dropped.emplace_back(0, Files[I]->Path);
      In.erase(Files[I]->ID);
    }
    Files.resize(MaxNodes);
  }
  llvm::sort(Files, [](const FileInfo *A, const FileInfo *B) {
    return A->Path < B->Path;
  });
  header(OS, "includes " + (All ? std::string(".") : Prefix));
  writeCut(OS, Cut);
  for (const FileInfo *F : Files)
    OS << "  " << nodeName(F->ID) << " [label=" << quote(F->Path)
       << (F->Role == FileRole::Header
               ? ", shape=note"
               : (F->Role == FileRole::Test ? ", fillcolor=\"palegreen\"" : ""))
       << "];\n";
  std::vector<std::pair<std::string, std::string>> Edges;
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
  return Cut;
}

Error runDotExport(const DotRequest &R, raw_ostream &Stdout,
                   raw_ostream &Diag) {
  if (R.Focus.empty() == R.IncludeDir.empty())
    return usageError("export --format dot needs --focus SYMBOL or "
                      "--include-graph DIR");
  if (!R.IncludeDir.empty() && (!R.Edges.empty() || R.NoExternal))
    return usageError(std::string("export --include-graph does not take ") +
                      (R.Edges.empty() ? "--no-external" : "--edges") +
                      " (they choose what a --focus picture shows)");
  FocusOptions O;
  O.Hops = R.Hops;
  O.External = !R.NoExternal;
  O.MaxNodes = R.MaxNodes;
  if (!R.Edges.empty()) {
    Expected<std::vector<EdgeKind>> Kinds = parseFocusEdges(R.Edges);
    if (!Kinds)
      return Kinds.takeError();
    O.Edges = std::move(*Kinds);
  }
  std::string Source;
  Expected<std::unique_ptr<GraphReader>> Reader =
      openGraphReader(R.Db, R.Input, Source);
  if (!Reader)
    return Reader.takeError();
  GraphView G(**Reader);
  std::string Text;
  raw_string_ostream OS(Text);
  PictureCut Cut;
  if (!R.Focus.empty()) {
    Expected<Id> X = resolveOne(G, R.Focus);
    if (!X)
      return X.takeError();
    Cut = writeFocusDot(G, *X, O, OS);
  } else {
    Cut = writeIncludeDot(G, R.IncludeDir, R.MaxNodes, OS);
  }
  if (Error E = (*Reader)->takeError())
    return E;
  if (R.Output.empty()) {
    Stdout << Text;
  } else {
    std::error_code EC;
    raw_fd_ostream Out(R.Output, EC, sys::fs::OF_Text);
    if (EC)
      return usageError("cannot write '" + R.Output + "': " + EC.message());
    Out << Text;
  }
  if (!Cut.empty())
    Diag << "code-indexer: note: the picture " << Cut.describe(5)
         << (R.Focus.empty() ? "; raise --max-nodes, or draw a narrower "
                               "directory"
                             : "; raise --max-nodes, or narrow it with "
                               "--hops, --edges or --no-external")
         << " (the DOT text lists every node left out)\n";
  return Error::success();
}

} // namespace codeindex
