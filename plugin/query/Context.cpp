//===- Context.cpp - What to show about an entity within a budget ---------===//

#include "query/Context.h"
#include "query/QueryError.h"
#include "query/Traversals.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace llvm;

namespace codeindex {

std::string compactJson(const ojson &J) {
  return J.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

size_t estimateTokens(const ojson &J) {
  return estimateTokensOfBytes(compactJson(J).size());
}

namespace {

/// Whether Path (a real path) is Root (a real path) or lies below it.
bool isInside(StringRef Path, StringRef Root) {
  if (!Path.starts_with(Root))
    return false;
  if (Path.size() == Root.size())
    return true;
  return sys::path::is_separator(Path[Root.size()]) ||
         (!Root.empty() && sys::path::is_separator(Root.back()));
}

} // namespace

std::optional<std::string> readSourceLines(StringRef Root, StringRef Path,
                                           unsigned First, unsigned Last,
                                           size_t MaxFileBytes) {
  if (Root.empty() || Path.empty())
    return std::nullopt;
  SmallString<256> Full;
  if (sys::path::is_absolute(Path)) {
    Full = Path;
  } else {
    Full = Root;
    sys::path::append(Full, Path);
  }
  SmallString<256> RealRoot, RealFull;
  if (sys::fs::real_path(Root, RealRoot) || sys::fs::real_path(Full, RealFull))
    return std::nullopt;
  if (!isInside(RealFull, RealRoot))
    return std::nullopt;
  sys::fs::file_status St;
  if (sys::fs::status(RealFull, St) || !sys::fs::is_regular_file(St) ||
      St.getSize() > MaxFileBytes)
    return std::nullopt;
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
      MemoryBuffer::getFile(RealFull, /*IsText=*/false,
                            /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt;
  std::string Text;
  if (First == 0)
    First = 1;
  StringRef Rest = (*Buf)->getBuffer();
  for (unsigned Line = 1; !Rest.empty() && Line <= Last; ++Line) {
    auto [L, Tail] = Rest.split('\n');
    if (Line >= First) {
      Text += L.rtrim('\r');
      Text += '\n';
    }
    Rest = Tail;
  }
  return Text;
}

namespace {

/// Lines of Text (each ending in "\n").
std::vector<StringRef> splitLines(StringRef Text) {
  std::vector<StringRef> L;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    L.push_back(Line);
    Text = Rest;
  }
  return L;
}

/// One caller or callee considered for the answer.
struct Neighbour {
  Reached R;
  bool Caller;
  std::optional<std::string> Body; ///< its source, if readable
  unsigned BodyLine = 0, BodyEnd = 0;
  std::string BodyFile;
  bool Listed = false;    ///< its entry (reference) is in the answer
  bool BodyShown = false; ///< and its body
};

struct Test {
  unsigned Depth;
  Id I;
  bool Listed = false;
};

/// What the greedy selection decides, in the order it was decided (so the
/// last decision is undone first when the answer must shrink).
struct Decision {
  enum KindT { Entry, Body, TestEntry } K;
  size_t Index;
};

class ContextBuilder {
public:
  ContextBuilder(const GraphView &G, Id X, unsigned Tokens, unsigned Depth,
                 std::string Root)
      : G(G), X(X), Tokens(Tokens), Depth(Depth), Root(std::move(Root)) {}

  Expected<ojson> build();

private:
  void gather();
  /// Reads N's body (once; files are read once per answer).
  void loadBody(Neighbour &N);
  ojson entryJson(const Neighbour &N) const;
  ojson bodyJson(const Neighbour &N) const;
  ojson testJson(const Test &T) const;
  ojson sourceJson() const;
  /// The answer as it stands, with "tokens" set to TokensField.
  ojson render(size_t TokensField) const;
  size_t bytes(const ojson &J) const { return compactJson(J).size(); }
  bool fits() const { return estimateTokens(render(Tokens)) <= Tokens; }
  void undo(const Decision &D);

  const GraphView &G;
  Id X;
  unsigned Tokens, Depth;
  std::string Root;

  std::vector<Neighbour> Ns; ///< callers, then callees, each by depth
  std::vector<Test> Tests;
  std::vector<StringRef> SourceLines;
  std::optional<std::string> Source;
  std::string SourceFile;
  unsigned SourceLine = 0;
  size_t SourceShown = 0; ///< lines of the target's source in the answer
  /// How many omitted entities "omitted" names (none when even the names
  /// do not fit: the counts still say what is missing).
  size_t MaxNames = 10;
  /// A walk stopped before it had seen everything (see boundedWalk).
  bool More = false;
  std::vector<Decision> Done;
  /// The lines of each file read so far (none: unreadable).
  llvm::StringMap<std::optional<std::string>> Files;
};

/// walk() (Traversals.h) that stops at Cap nodes: the layer that would go
/// past it is cut (its nodes in id order, which needs no record read, the
/// kept ones then in output order) and *Truncated is set. A hub has
/// thousands of callers; no budget can show more than Cap of them, so the
/// walk never reads the rest.
std::vector<Reached> boundedWalk(const GraphView &G, Id Start,
                                 unsigned MaxDepth, size_t Cap,
                                 function_ref<std::vector<Step>(Id)> Next,
                                 bool *Truncated) {
  std::vector<Reached> R;
  bool Cut = false;
  DenseSet<Id> Seen{Start};
  std::vector<Id> Frontier{Start};
  for (unsigned Depth = 1;
       !Frontier.empty() && (!MaxDepth || Depth <= MaxDepth); ++Depth) {
    std::vector<Reached> Layer;
    for (Id N : Frontier)
      for (const Step &S : Next(N))
        if (Seen.insert(S.To).second)
          Layer.push_back({Depth, S.To, N, S.Through, S.Dispatch});
    if (R.size() + Layer.size() > Cap) {
      llvm::sort(Layer, [](const Reached &A, const Reached &B) {
        return A.Node < B.Node;
      });
      Layer.resize(Cap - R.size());
      Cut = *Truncated = true;
    }
    llvm::sort(Layer, [&](const Reached &A, const Reached &B) {
      return G.before(A.Node, B.Node);
    });
    Frontier.clear();
    for (const Reached &Re : Layer) {
      Frontier.push_back(Re.Node);
      R.push_back(Re);
    }
    if (Cut)
      break;
  }
  return R;
}

void ContextBuilder::gather() {
  const Entity &E = *G.entity(X);
  if (!E.External) {
    unsigned End = std::max(E.Range.EndLine, E.Range.Line);
    Source = readSourceLines(Root, E.File, E.Range.Line, End);
    SourceFile = E.File;
    SourceLine = E.Range.Line;
    if (Source)
      SourceLines = splitLines(*Source);
  }
  auto Add = [&](const std::vector<Reached> &L, bool Caller) {
    for (const Reached &R : L)
      Ns.push_back({R, Caller, std::nullopt, 0, 0, {}, false, false});
  };
  // No answer within the budget lists more entries than this per side (an
  // entry takes well over 40 tokens).
  size_t Cap = Tokens / 40 + 1;
  Add(boundedWalk(
          G, X, Depth, Cap, [&](Id I) { return callerSteps(G, I); }, &More),
      true);
  Add(boundedWalk(
          G, X, Depth, Cap, [&](Id I) { return calleeSteps(G, I); }, &More),
      false);
  // The tests among the callers at any depth (testsReaching() without a
  // bound), looking at no more than MaxTestWalk callers.
  const size_t MaxTestWalk = 2048;
  if (E.IsTest)
    Tests.push_back({0, X});
  for (const Reached &R : boundedWalk(
           G, X, 0, MaxTestWalk, [&](Id I) { return callerSteps(G, I); },
           &More))
    if (const Entity *T = G.entity(R.Node); T && T->IsTest)
      Tests.push_back({R.Depth, R.Node});
}

void ContextBuilder::loadBody(Neighbour &N) {
  if (N.BodyLine)
    return; // done already
  const Entity *NE = G.entity(N.R.Node);
  if (!NE || NE->External)
    return;
  N.BodyFile = NE->File;
  N.BodyLine = std::max<unsigned>(1, NE->Range.Line);
  N.BodyEnd = std::max(NE->Range.EndLine, N.BodyLine);
  auto [It, New] = Files.try_emplace(NE->File);
  if (New)
    It->second = readSourceLines(Root, NE->File, 1, ~0u);
  if (!It->second)
    return;
  // Lines BodyLine..BodyEnd of the file.
  StringRef Rest = *It->second;
  std::string Text;
  for (unsigned Line = 1; !Rest.empty() && Line <= N.BodyEnd; ++Line) {
    auto [L, Tail] = Rest.split('\n');
    if (Line >= N.BodyLine)
      (Text += L) += '\n';
    Rest = Tail;
  }
  N.Body = std::move(Text);
}

ojson ContextBuilder::bodyJson(const Neighbour &N) const {
  ojson B;
  B["file"] = N.BodyFile;
  B["line"] = N.BodyLine;
  B["end"] = N.BodyEnd;
  B["text"] = *N.Body;
  return B;
}

ojson ContextBuilder::entryJson(const Neighbour &N) const {
  ojson J;
  J["depth"] = N.R.Depth;
  J["entity"] = G.ref(N.R.Node);
  J["via"] = formatId(N.R.Via);
  J["dispatch"] = N.R.Dispatch;
  J["body"] = N.BodyShown ? bodyJson(N) : ojson(nullptr);
  return J;
}

ojson ContextBuilder::testJson(const Test &T) const {
  ojson J;
  J["depth"] = T.Depth;
  J["entity"] = G.ref(T.I);
  return J;
}

ojson ContextBuilder::sourceJson() const {
  if (!Source || SourceShown == 0)
    return nullptr;
  ojson S;
  S["file"] = SourceFile;
  S["line"] = SourceLine;
  S["end"] = SourceLine + static_cast<unsigned>(SourceShown) - 1;
  std::string Text;
  for (size_t I = 0; I < SourceShown; ++I)
    (Text += SourceLines[I]) += '\n';
  S["text"] = Text;
  S["truncated"] = SourceShown < SourceLines.size();
  return S;
}

ojson ContextBuilder::render(size_t TokensField) const {
  ojson J;
  J["target"] = G.ref(X);
  J["budget"] = Tokens;
  J["tokens"] = TokensField;
  J["depth"] = Depth;
  J["source"] = sourceJson();
  ojson Callers = ojson::array(), Callees = ojson::array();
  ojson TestsJ = ojson::array();
  unsigned OmittedCallers = 0, OmittedCallees = 0, OmittedBodies = 0;
  unsigned OmittedTests = 0;
  ojson Names = ojson::array();
  // An entity both listed (say, as a caller) and left out (as a callee of
  // a callee, in a cycle) is not named: the reader has it.
  llvm::DenseSet<Id> Named;
  for (const Neighbour &N : Ns)
    if (N.Listed)
      Named.insert(N.R.Node);
  for (const Test &T : Tests)
    if (T.Listed)
      Named.insert(T.I);
  auto Name = [&](Id I) {
    if (Names.size() < MaxNames && Named.insert(I).second)
      Names.push_back(G.displayName(I));
  };
  // Omitted names, closest first: the ranking order of the entries.
  for (unsigned D = 1;; ++D) {
    bool Any = false;
    for (const Neighbour &N : Ns)
      if (N.R.Depth == D) {
        Any = true;
        if (!N.Listed)
          Name(N.R.Node);
      }
    if (!Any)
      break;
  }
  for (const Neighbour &N : Ns) {
    if (N.Listed)
      (N.Caller ? Callers : Callees).push_back(entryJson(N));
    else
      ++(N.Caller ? OmittedCallers : OmittedCallees);
    if (N.Listed && N.Body && !N.BodyShown)
      ++OmittedBodies;
  }
  for (const Test &T : Tests) {
    if (T.Listed) {
      TestsJ.push_back(testJson(T));
    } else {
      ++OmittedTests;
      Name(T.I);
    }
  }
  J["callers"] = Callers;
  J["callees"] = Callees;
  J["tests"] = TestsJ;
  ojson O;
  O["source_lines"] = SourceLines.size() - SourceShown;
  O["callers"] = OmittedCallers;
  O["callees"] = OmittedCallees;
  O["bodies"] = OmittedBodies;
  O["tests"] = OmittedTests;
  O["names"] = Names;
  O["more"] = More;
  J["omitted"] = O;
  return J;
}

void ContextBuilder::undo(const Decision &D) {
  switch (D.K) {
  case Decision::Entry:
    Ns[D.Index].Listed = false;
    break;
  case Decision::Body:
    Ns[D.Index].BodyShown = false;
    break;
  case Decision::TestEntry:
    Tests[D.Index].Listed = false;
    break;
  }
}

Expected<ojson> ContextBuilder::build() {
  gather();
  const size_t Limit = size_t(Tokens) * 4; // bytes the budget allows
  // What the answer costs with nothing chosen, and what every choice adds
  // to it: compact JSON grows by the item (and a comma) exactly, so the
  // greedy pass needs no rendering; the omitted counts shrink as items are
  // chosen, so their size at the start bounds them (the names may differ:
  // the final check below settles it exactly).
  size_t Used = bytes(render(Tokens));
  if (Used > Limit) {
    MaxNames = 0;
    Used = bytes(render(Tokens));
  }
  if (Used > Limit)
    return usageError("--tokens " + Twine(Tokens) +
                      " cannot hold the context of " + G.displayName(X) +
                      ": its reference and the counts alone take " +
                      Twine(estimateTokensOfBytes(Used)) + " tokens");

  // 1. The entity's own source: whole if it fits, else the first lines
  //    that fit in half of what is left, so that the signatures of its
  //    callers and callees still have room.
  if (Source && !SourceLines.empty()) {
    SourceShown = SourceLines.size();
    size_t WithAll = bytes(render(Tokens));
    if (WithAll <= Limit) {
      Used = WithAll;
    } else {
      size_t Room = (Limit - Used) / 2;
      size_t Base = Used;
      // Bytes grow with lines: find the most lines within Base + Room.
      size_t Lo = 0, Hi = SourceLines.size();
      while (Lo < Hi) {
        size_t Mid = (Lo + Hi + 1) / 2;
        SourceShown = Mid;
        if (bytes(render(Tokens)) <= Base + Room)
          Lo = Mid;
        else
          Hi = Mid - 1;
      }
      SourceShown = Lo;
      Used = bytes(render(Tokens));
    }
  }

  // 2. Per depth: the entries (alternately callers and callees, so that
  //    both sides are represented), then their bodies. 3. The tests.
  std::vector<size_t> CallerIdx, CalleeIdx;
  unsigned MaxDepth = 0;
  for (const Neighbour &N : Ns)
    MaxDepth = std::max(MaxDepth, N.R.Depth);
  size_t Listed[2] = {0, 0}; // callers, callees in the answer
  auto TryEntry = [&](size_t I) {
    Neighbour &N = Ns[I];
    size_t Cost = bytes(entryJson(N)) + (Listed[N.Caller ? 0 : 1] ? 1 : 0);
    if (Used + Cost > Limit)
      return;
    N.Listed = true;
    ++Listed[N.Caller ? 0 : 1];
    Used += Cost;
    Done.push_back({Decision::Entry, I});
  };
  auto TryBody = [&](size_t I) {
    Neighbour &N = Ns[I];
    if (!N.Listed)
      return;
    loadBody(N);
    if (!N.Body)
      return;
    size_t Cost = bytes(bodyJson(N)) - 4; // replaces "null"
    if (Used + Cost > Limit)
      return;
    N.BodyShown = true;
    Used += Cost;
    Done.push_back({Decision::Body, I});
  };
  for (unsigned D = 1; D <= MaxDepth; ++D) {
    std::vector<size_t> Order, Cs, Es;
    for (size_t I = 0; I < Ns.size(); ++I)
      if (Ns[I].R.Depth == D)
        (Ns[I].Caller ? Cs : Es).push_back(I);
    for (size_t K = 0; K < std::max(Cs.size(), Es.size()); ++K) {
      if (K < Cs.size())
        Order.push_back(Cs[K]);
      if (K < Es.size())
        Order.push_back(Es[K]);
    }
    for (size_t I : Order)
      TryEntry(I);
    for (size_t I : Order)
      TryBody(I);
  }
  size_t TestsListed = 0;
  for (size_t I = 0; I < Tests.size(); ++I) {
    size_t Cost = bytes(testJson(Tests[I])) + (TestsListed ? 1 : 0);
    if (Used + Cost > Limit)
      continue;
    Tests[I].Listed = true;
    ++TestsListed;
    Used += Cost;
    Done.push_back({Decision::TestEntry, I});
  }

  // The exact check: undo the last choices, then cut the source, until the
  // rendered answer fits.
  while (!fits()) {
    if (!Done.empty()) {
      undo(Done.back());
      Done.pop_back();
    } else if (SourceShown > 0) {
      SourceShown -= std::max<size_t>(1, SourceShown / 8);
    } else if (MaxNames > 0) {
      MaxNames = 0;
    } else {
      return usageError("--tokens " + Twine(Tokens) +
                        " cannot hold the context of " + G.displayName(X) +
                        ": its reference and the counts alone take " +
                        Twine(estimateTokens(render(Tokens))) + " tokens");
    }
  }
  // "tokens" is the answer's own estimate: a fixed point, reached in a
  // step or two since the value only shrinks from the budget used above.
  size_t T = estimateTokens(render(Tokens));
  for (int I = 0; I < 4; ++I) {
    size_t Next = estimateTokens(render(T));
    if (Next == T)
      break;
    T = Next;
  }
  return render(T);
}

} // namespace

Expected<ojson> contextFor(const GraphView &G, Id Target, unsigned Tokens,
                           const ContextOptions &O) {
  if (!G.entity(Target))
    return make_error<QueryError>(QueryError::Usage,
                                  "no entity with id " + formatId(Target),
                                  QueryError::UnknownSymbol);
  std::string Root = O.Root.empty() ? G.reader().projectRoot() : O.Root;
  ContextBuilder B(G, Target, Tokens, O.Depth, std::move(Root));
  return B.build();
}

Expected<ojson> contextFor(const GraphReader &R, Id Target, unsigned Tokens,
                           const ContextOptions &O) {
  GraphView G(R);
  return contextFor(G, Target, Tokens, O);
}

namespace {

void printText(raw_ostream &OS, StringRef Text) {
  for (StringRef L : splitLines(Text))
    OS << "  | " << L << "\n";
}

std::string plural(size_t N, StringRef One, StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

} // namespace

Error runContextCommand(const GraphView &G, StringRef Arg,
                        const QueryOptions &O, raw_ostream &OS) {
  Expected<Id> X = resolveOne(
      G, Arg, [](const Entity &E) { return isFunctionLike(E.Kind); });
  if (!X)
    return X.takeError();
  ContextOptions CO;
  if (llvm::is_contained(O.Given, "depth"))
    CO.Depth = O.Depth;
  Expected<ojson> J = contextFor(G, *X, O.Tokens, CO);
  if (!J)
    return J.takeError();
  if (O.Format == OutputFormat::Json) {
    printJson(OS, *J);
    return Error::success();
  }
  const ojson &C = *J;
  OS << "context of " << G.displayName(*X) << " (" << G.location(*X)
     << "): " << C["tokens"].get<size_t>() << " of " << O.Tokens << " tokens\n";
  if (C["source"].is_null()) {
    OS << "source: not shown\n";
  } else {
    const ojson &S = C["source"];
    OS << "source " << S["file"].get<std::string>() << ":"
       << S["line"].get<unsigned>() << "-" << S["end"].get<unsigned>()
       << (S["truncated"].get<bool>() ? " (cut)" : "") << ":\n";
    printText(OS, S["text"].get<std::string>());
  }
  for (const char *K : {"callers", "callees"}) {
    const ojson &L = C[K];
    OS << K << " (" << L.size() << "):\n";
    for (const ojson &E : L) {
      const ojson &R = E["entity"];
      OS << "  " << E["depth"].get<unsigned>() << "  "
         << G.displayName(*parseId(R["id"].get<std::string>())) << "  "
         << R["file"].get<std::string>() << ":" << R["line"].get<unsigned>()
         << "\n";
      if (!E["body"].is_null())
        printText(OS, E["body"]["text"].get<std::string>());
    }
  }
  OS << "tests (" << C["tests"].size() << "):\n";
  for (const ojson &T : C["tests"])
    OS << "  " << T["depth"].get<unsigned>() << "  "
       << G.displayName(*parseId(T["entity"]["id"].get<std::string>())) << "\n";
  const ojson &Om = C["omitted"];
  std::vector<std::string> Parts;
  for (auto [Key, One, Many] :
       {std::tuple("source_lines", "source line", "source lines"),
        std::tuple("callers", "caller", "callers"),
        std::tuple("callees", "callee", "callees"),
        std::tuple("bodies", "body", "bodies"),
        std::tuple("tests", "test", "tests")})
    if (size_t N = Om[Key].get<size_t>())
      Parts.push_back(plural(N, One, Many));
  if (Parts.empty()) {
    OS << "omitted: nothing\n";
    return Error::success();
  }
  OS << "omitted: " << llvm::join(Parts, ", ");
  std::vector<std::string> Names;
  for (const ojson &N : Om["names"])
    Names.push_back(N.get<std::string>());
  if (!Names.empty())
    OS << " (" << llvm::join(Names, ", ") << ")";
  OS << "\n";
  return Error::success();
}

} // namespace codeindex
