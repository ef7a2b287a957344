//===- Query.cpp - Graph questions over an index or an export -------------===//

#include "query/Query.h"
#include "query/Analytics.h"
#include "query/CTest.h"
#include "query/Context.h"
#include "query/GraphIndex.h"
#include "query/StoreReader.h"
#include "query/Traversals.h"

#include "codeindex/graph/GraphJson.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/WithColor.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <set>

using namespace llvm;

namespace codeindex {

//===----------------------------------------------------------------------===//
// Output helpers
//===----------------------------------------------------------------------===//

namespace {

/// Display columns of UTF-8 text (code points; no wide characters here).
size_t columns(StringRef S) {
  return llvm::count_if(S, [](char C) { return (C & 0xC0) != 0x80; });
}

/// S cut to Width columns, the last one "…".
std::string cut(StringRef S, size_t Width) {
  if (columns(S) <= Width)
    return S.str();
  std::string R;
  size_t Cols = 0;
  for (char C : S) {
    bool Starts = (C & 0xC0) != 0x80;
    if (Starts && ++Cols == Width)
      break;
    R += C;
  }
  return R + "\u2026";
}

} // namespace

void Table::print(raw_ostream &OS, StringRef Indent,
                  const TableStyle &Style) const {
  printRows(
      OS, Header, Rows.size(),
      [&](size_t I) -> const std::vector<std::string> & { return Rows[I]; },
      Indent, Style);
}

void Table::printRows(
    raw_ostream &OS, const std::vector<std::string> &Header, size_t N,
    function_ref<const std::vector<std::string> &(size_t)> Row,
    StringRef Indent, const TableStyle &Style) {
  // Piped output (no width) keeps byte widths, as it always had.
  auto Len = [&](StringRef S) { return Style.Width ? columns(S) : S.size(); };
  std::vector<size_t> W(Header.size(), 0);
  auto Measure = [&](const std::vector<std::string> &R) {
    for (size_t I = 0; I < R.size() && I < W.size(); ++I)
      W[I] = std::max(W[I], Len(R[I]));
  };
  Measure(Header);
  for (size_t I = 0; I < N; ++I)
    Measure(Row(I));
  if (Style.Width && !W.empty()) {
    // Shrink the widest column, one column at a time, until the line fits:
    // names and signatures first, locations (what one clicks on) last.
    const size_t MinWidth = 8;
    size_t Total = Len(Indent) + 2 * (W.size() - 1);
    for (size_t X : W)
      Total += X;
    for (bool Locations : {false, true})
      while (Total > Style.Width) {
        size_t Widest = W.size();
        for (size_t I = 0; I < W.size(); ++I) {
          StringRef H = StringRef(Header[I]).trim();
          bool IsLocation = H == "LOCATION" || H == "SITE";
          if ((Locations || !IsLocation) && W[I] > MinWidth &&
              (Widest == W.size() || W[I] > W[Widest]))
            Widest = I;
        }
        if (Widest == W.size())
          break;
        --W[Widest];
        --Total;
      }
  }
  auto Print = [&](const std::vector<std::string> &R) {
    std::string Line = Indent.str();
    for (size_t I = 0; I < R.size(); ++I) {
      std::string Cell = Style.Width && I < W.size() ? cut(R[I], W[I]) : R[I];
      Line += Cell;
      if (I + 1 < R.size())
        Line += std::string(W[I] - Len(Cell) + 2, ' ');
    }
    return std::string(StringRef(Line).rtrim());
  };
  {
    WithColor Bold(OS, raw_ostream::SAVEDCOLOR, /*Bold=*/true, /*BG=*/false,
                   Style.Color ? ColorMode::Enable : ColorMode::Disable);
    Bold << Print(Header);
  }
  OS << "\n";
  for (size_t I = 0; I < N; ++I)
    OS << Print(Row(I)) << "\n";
}

void printJson(raw_ostream &OS, const ojson &J) {
  OS << J.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void JsonStream::element() {
  if (AfterKey) {
    AfterKey = false;
    return;
  }
  if (Empty.empty())
    return; // the root
  OS << (Empty.back() ? "\n" : ",\n");
  Empty.back() = false;
  OS.indent(2 * Empty.size());
}

void JsonStream::open(char C) {
  element();
  OS << C;
  Empty.push_back(true);
}

void JsonStream::close(char C) {
  bool WasEmpty = Empty.back();
  Empty.pop_back();
  // nlohmann writes an empty container as "[]" / "{}".
  if (!WasEmpty) {
    OS << "\n";
    OS.indent(2 * Empty.size());
  }
  OS << C;
}

void JsonStream::key(StringRef K) {
  element();
  OS << ojson(K.str()).dump(-1, ' ', false,
                            nlohmann::json::error_handler_t::replace)
     << ": ";
  AfterKey = true;
}

void JsonStream::value(const ojson &V) {
  element();
  // A nested value is dumped as the root would be, each line after the
  // first indented by its depth: what nlohmann's serializer writes (a
  // string's newlines are escaped, so every '\n' is a line break).
  std::string S =
      V.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  if (Empty.empty() || S.find('\n') == std::string::npos) {
    OS << S;
    return;
  }
  std::string Pad = "\n" + std::string(2 * Empty.size(), ' ');
  size_t Start = 0;
  for (size_t Pos; (Pos = S.find('\n', Start)) != std::string::npos;
       Start = Pos + 1)
    OS << StringRef(S).slice(Start, Pos) << Pad;
  OS << StringRef(S).substr(Start);
}

Expected<Id> resolveOne(const GraphView &G, StringRef Text,
                        function_ref<bool(const Entity &)> Prefer) {
  std::vector<Id> M = G.resolve(Text);
  if (M.size() > 1 && Prefer) {
    std::vector<Id> P;
    for (Id I : M)
      if (Prefer(*G.entity(I)))
        P.push_back(I);
    if (!P.empty())
      M = std::move(P);
  }
  if (M.size() == 1)
    return M.front();
  std::string Msg;
  raw_string_ostream Err(Msg);
  if (M.empty()) {
    Err << "no entity named '" << Text << "'";
    std::vector<std::string> S = G.suggest(Text);
    if (!S.empty())
      Err << "; did you mean: " << llvm::join(S, ", ");
    return make_error<QueryError>(QueryError::Usage, Msg,
                                  QueryError::UnknownSymbol);
  }
  Err << "'" << Text << "' is ambiguous (" << M.size()
      << " entities); pass one of these ids:\n";
  Table T({"ID", "KIND", "SIGNATURE", "LOCATION"});
  std::vector<QueryError::Candidate> Candidates;
  for (Id I : M) {
    const Entity *E = G.entity(I);
    T.add({formatId(I), std::string(spell(E->Kind)),
           E->Signature.empty() ? E->QualifiedName : E->Signature,
           G.location(I)});
    Candidates.push_back(
        {formatId(I), std::string(spell(E->Kind)),
         E->Signature.empty() ? E->QualifiedName : E->Signature,
         G.location(I)});
  }
  T.print(Err, "  ");
  return make_error<QueryError>(QueryError::Usage,
                                StringRef(Msg).rtrim("\n").str(),
                                QueryError::Ambiguous, std::move(Candidates));
}

//===----------------------------------------------------------------------===//
// Commands. Each computes its JSON shape, then prints it or its table.
//===----------------------------------------------------------------------===//

struct QueryContext {
  const GraphView &G;
  const QueryOptions &O;
  raw_ostream &OS;
  ArrayRef<std::string> Args; ///< after the subcommand
};

namespace {

using Ctx = QueryContext;

std::string str(const ojson &J) {
  return J.is_string() ? J.get<std::string>() : J.dump();
}

/// "file:line" of a ref.
std::string refLocation(const ojson &R) {
  if (R["kind"] == "file")
    return str(R["file"]);
  return str(R["file"]) + ":" + std::to_string(R["line"].get<unsigned>());
}

Id refId(const ojson &R) {
  return parseId(R["id"].get<std::string>()).value_or(0);
}

std::string siteText(const Site &S) {
  return S.File + ":" + std::to_string(S.Line) + ":" + std::to_string(S.Column);
}

bool wantsTable(const Ctx &C) { return C.O.Format == OutputFormat::Table; }

TableStyle style(const Ctx &C) { return TableStyle{C.O.Width, C.O.Color}; }

std::string yesNo(bool B) { return B ? "yes" : "no"; }

bool isFunction(const Entity &E) { return isFunctionLike(E.Kind); }
bool isRecord(const Entity &E) {
  return E.Kind == EntityKind::Class || E.Kind == EntityKind::Struct ||
         E.Kind == EntityKind::Union;
}

/// The entity named by the (one, validated) argument.
Expected<Id> target(Ctx &C,
                    function_ref<bool(const Entity &)> Prefer = nullptr) {
  return resolveOne(C.G, C.Args[0], Prefer);
}

ojson refList(const GraphView &G, std::vector<Id> Ids) {
  G.sortIds(Ids);
  Ids.erase(std::unique(Ids.begin(), Ids.end()), Ids.end());
  ojson A = ojson::array();
  for (Id I : Ids)
    A.push_back(G.ref(I));
  return A;
}

std::vector<Id> ends(const GraphView &G, EdgeKind K, Id I, bool Outgoing) {
  std::vector<Id> R;
  for (const Edge &E : Outgoing ? G.out(K, I) : G.in(K, I))
    R.push_back(Outgoing ? E.To : E.From);
  return R;
}

Table refTable() { return Table({"KIND", "NAME", "LOCATION"}); }

/// Ids in output order, each once (what refList() lists).
void sortUnique(const GraphView &G, std::vector<Id> &Ids) {
  G.sortIds(Ids);
  Ids.erase(std::unique(Ids.begin(), Ids.end()), Ids.end());
}

/// The row addRef() makes of G.ref(I), without making the reference.
void refRow(const GraphView &G, Id I, std::vector<std::string> &Row) {
  Row.resize(3);
  Row[0] = G.kindName(I);
  Row[1] = G.displayName(I);
  if (Row[0] == "file") {
    const FileInfo *F = G.file(I);
    Row[2] = F ? F->Path : "";
  } else {
    Row[2] = G.location(I);
  }
}

void addRef(Table &T, const GraphView &G, const ojson &R) {
  T.add({str(R["kind"]), G.displayName(refId(R)), refLocation(R)});
}

/// refTable() of Ids, each row made as it is printed.
void printRefRows(const QueryContext &C, ArrayRef<Id> Ids, StringRef Indent) {
  std::vector<std::string> Row;
  Table::printRows(
      C.OS, {"KIND", "NAME", "LOCATION"}, Ids.size(),
      [&](size_t K) -> const std::vector<std::string> & {
        refRow(C.G, Ids[K], Row);
        return Row;
      },
      Indent, TableStyle{C.O.Width, C.O.Color});
}

// ---- stats ------------------------------------------------------------------

Error cmdStats(Ctx &C) {
  const GraphReader &R = C.G.reader();
  ojson J;
  J["source"] = C.O.Source;
  uint64_t ByKind[NumEntityKinds] = {}, ByEdge[NumEdgeKinds] = {};
  uint64_t NumEntities = 0, External = 0, Tests = 0, NumEdges = 0;
  R.forEachEntity([&](const Entity &E) {
    ++NumEntities;
    ++ByKind[static_cast<int>(E.Kind)];
    External += E.External;
    Tests += E.IsTest;
    return true;
  });
  R.forEachEdge(std::nullopt, [&](const Edge &E) {
    ++ByEdge[static_cast<int>(E.Kind)];
    ++NumEdges;
    return true;
  });
  ojson Ents;
  Ents["total"] = NumEntities;
  Ents["external"] = External;
  Ents["test"] = Tests;
  ojson BK = ojson::object();
  for (int I = 0; I < NumEntityKinds; ++I)
    BK[std::string(spell(static_cast<EntityKind>(I)))] = ByKind[I];
  Ents["by_kind"] = BK;
  J["entities"] = Ents;
  ojson Eds;
  Eds["total"] = NumEdges;
  ojson BE = ojson::object();
  for (int I = 0; I < NumEdgeKinds; ++I)
    BE[std::string(spell(static_cast<EdgeKind>(I)))] = ByEdge[I];
  Eds["by_kind"] = BE;
  J["edges"] = Eds;
  ojson Fs;
  uint64_t NumFiles = 0, NumTestFiles = 0;
  uint64_t ByRole[5] = {}, ByStatus[3] = {};
  R.forEachFile([&](const FileInfo &F) {
    ++NumFiles;
    ++ByRole[static_cast<int>(F.Role)];
    ++ByStatus[static_cast<int>(F.Status)];
    return true;
  });
  R.forEachTestFile([&](const TestFile &) {
    ++NumTestFiles;
    return true;
  });
  Fs["total"] = NumFiles;
  ojson BR = ojson::object(), BS = ojson::object();
  for (int I = 0; I < 5; ++I)
    BR[std::string(spell(static_cast<FileRole>(I)))] = ByRole[I];
  for (int I = 0; I < 3; ++I)
    BS[std::string(spell(static_cast<FileStatus>(I)))] = ByStatus[I];
  Fs["by_role"] = BR;
  Fs["by_status"] = BS;
  Fs["test_files"] = NumTestFiles;
  J["files"] = Fs;
  ojson Tu;
  uint64_t NumTus = 0;
  ojson Failed = ojson::array();
  R.forEachTranslationUnit([&](const TranslationUnitInfo &T) {
    ++NumTus;
    if (T.Status != TuStatus::Ok) {
      ojson F;
      F["file"] = T.MainFile;
      F["status"] = spell(T.Status);
      F["reason"] = T.FailureReason;
      Failed.push_back(F);
    }
    return true;
  });
  Tu["total"] = NumTus;
  Tu["failed"] = Failed;
  J["translation_units"] = Tu;
  uint64_t Code = 0, Covered = 0, CoverageFiles = 0;
  R.forEachCoverage([&](const Coverage &Cv) {
    ++CoverageFiles;
    Code += Cv.Lines.CodeLines;
    Covered += Cv.Lines.EntityLines;
    return true;
  });
  ojson Cov;
  Cov["files"] = CoverageFiles;
  Cov["code_lines"] = Code;
  Cov["entity_lines"] = Covered;
  Cov["percent"] = Code ? std::round(1000.0 * Covered / Code) / 10.0 : 100.0;
  J["coverage"] = Cov;

  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  raw_ostream &OS = C.OS;
  OS << "source: " << C.O.Source << "\n";
  OS << "entities: " << NumEntities << " (" << External << " external, "
     << Tests << " test cases)\n";
  Table TK({"  KIND", "COUNT"});
  for (auto &[K, V] : BK.items())
    if (V.get<uint64_t>())
      TK.add({"  " + K, std::to_string(V.get<uint64_t>())});
  TK.print(OS, "", style(C));
  OS << "edges: " << NumEdges << "\n";
  Table TE({"  KIND", "COUNT"});
  for (auto &[K, V] : BE.items())
    if (V.get<uint64_t>())
      TE.add({"  " + K, std::to_string(V.get<uint64_t>())});
  TE.print(OS, "", style(C));
  OS << "files: " << NumFiles << " (" << NumTestFiles << " test files)\n";
  Table TF({"  ROLE/STATUS", "COUNT"});
  for (auto &[K, V] : BR.items())
    if (V.get<uint64_t>())
      TF.add({"  " + K, std::to_string(V.get<uint64_t>())});
  for (auto &[K, V] : BS.items())
    if (V.get<uint64_t>())
      TF.add({"  " + K, std::to_string(V.get<uint64_t>())});
  TF.print(OS, "", style(C));
  OS << "translation units: " << NumTus << " (" << Failed.size()
     << " failed)\n";
  for (const auto &F : Failed)
    OS << "  " << str(F["file"]) << ": " << str(F["status"])
       << (F["reason"].get<std::string>().empty()
               ? ""
               : " (" + str(F["reason"]) + ")")
       << "\n";
  OS << format("coverage: %.1f%% of %llu code lines in %zu files are inside "
               "entities\n",
               Cov["percent"].get<double>(), (unsigned long long)Code,
               (size_t)CoverageFiles);
  return Error::success();
}

// ---- entities / entity / search ---------------------------------------------

Error cmdEntities(Ctx &C) {
  std::optional<EntityKind> Kind;
  if (!C.O.Kind.empty()) {
    Kind = parseEntityKind(C.O.Kind);
    if (!Kind) {
      std::vector<std::string> Valid;
      for (int I = 0; I < NumEntityKinds; ++I)
        Valid.emplace_back(spell(static_cast<EntityKind>(I)));
      return usageError("unknown entity kind '" + C.O.Kind +
                        "'; valid kinds: " + llvm::join(Valid, ", "));
    }
  }
  std::optional<GlobPattern> FileGlob, NameGlob;
  for (auto [Text, Glob] :
       {std::pair(&C.O.File, &FileGlob), std::pair(&C.O.Name, &NameGlob)}) {
    if (Text->empty())
      continue;
    Expected<GlobPattern> P = GlobPattern::create(*Text);
    if (!P)
      return usageError("bad glob '" + *Text + "': " + toString(P.takeError()));
    *Glob = std::move(*P);
  }
  std::vector<Id> Ids;
  C.G.reader().forEachEntity([&](const Entity &E) {
    if (E.External && !C.O.External)
      return true;
    if (Kind && E.Kind != *Kind)
      return true;
    if (FileGlob && !FileGlob->match(E.File))
      return true;
    if (NameGlob && !NameGlob->match(E.Name) &&
        !NameGlob->match(E.QualifiedName))
      return true;
    Ids.push_back(E.ID);
    return true;
  });
  C.G.sortIds(Ids);
  ojson J;
  ojson A = ojson::array();
  for (Id I : Ids)
    A.push_back(C.G.ref(I));
  J["entities"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  Table T = refTable();
  for (const auto &R : A)
    addRef(T, C.G, R);
  T.print(C.OS, "", style(C));
  C.OS << Ids.size() << (Ids.size() == 1 ? " entity\n" : " entities\n");
  return Error::success();
}

Error cmdEntity(Ctx &C) {
  const GraphView &G = C.G;
  std::vector<Id> M = G.resolve(C.Args[0]);
  if (M.empty())
    return resolveOne(G, C.Args[0]).takeError();
  // The related entities of each match, in output order (as refList gives
  // them), by the names of the JSON shape.
  static const char *Related[] = {"children",      "callers",      "callees",
                                  "referenced_by", "bases",        "derived",
                                  "overrides",     "overridden_by"};
  auto RelatedIds = [&](Id I) {
    std::vector<std::vector<Id>> L;
    L.push_back(ends(G, EdgeKind::Contains, I, true));
    // The direct callers (callerSteps() without dispatch), read from the
    // reader rather than kept in the view's edge cache: only their ids are
    // printed, and a hub's are 750 k edges with their sites.
    std::vector<Id> Callers;
    G.reader().edges(EdgeKind::Calls, I, Direction::In, [&](const Edge &E) {
      if (G.follows(E))
        Callers.push_back(E.From);
    });
    L.push_back(std::move(Callers));
    L.push_back(ends(G, EdgeKind::Calls, I, true));
    std::vector<Id> Refs = ends(G, EdgeKind::References, I, false);
    llvm::append_range(Refs, ends(G, EdgeKind::UsesType, I, false));
    L.push_back(std::move(Refs));
    L.push_back(ends(G, EdgeKind::Inherits, I, true));
    L.push_back(ends(G, EdgeKind::Inherits, I, false));
    L.push_back(ends(G, EdgeKind::Overrides, I, true));
    L.push_back(ends(G, EdgeKind::Overrides, I, false));
    for (std::vector<Id> &Ids : L) {
      // A hub's callers: what the output needs of each by one scan, not a
      // lookup and a whole entity kept per caller.
      if (size_t T = walkScanThreshold(); T && Ids.size() >= T)
        G.preloadRefs(Ids);
      G.sortIds(Ids);
      Ids.erase(std::unique(Ids.begin(), Ids.end()), Ids.end());
    }
    return L;
  };
  if (!wantsTable(C)) {
    // Streamed: a hub's callers are hundreds of thousands of references.
    JsonStream J(C.OS);
    J.beginObject();
    J.key("matches");
    J.beginArray();
    for (Id I : M) {
      const Entity &E = *G.entity(I);
      J.beginObject();
      J.member("entity", toJson(E));
      J.member("parent", E.Parent ? G.ref(E.Parent) : ojson(nullptr));
      std::vector<std::vector<Id>> L = RelatedIds(I);
      for (size_t K = 0; K < L.size(); ++K) {
        J.key(Related[K]);
        J.beginArray();
        for (Id R : L[K])
          J.value(G.ref(R));
        J.endArray();
      }
      J.endObject();
    }
    J.endArray();
    J.endObject();
    J.finish();
    return Error::success();
  }
  // A table names the related entities: no JSON reference is made for
  // them (a hub's callers are hundreds of thousands).
  raw_ostream &OS = C.OS;
  if (M.size() > 1)
    OS << "'" << C.Args[0] << "' names " << M.size() << " entities\n\n";
  bool First = true;
  for (Id I : M) {
    if (!First)
      OS << "\n";
    First = false;
    const Entity &En = *G.entity(I);
    OS << G.displayName(I) << "  [" << spell(En.Kind) << "]\n";
    Table T({"  FIELD", "VALUE"});
    T.add({"  id", formatId(I)});
    T.add({"  qualified name", En.QualifiedName});
    T.add({"  signature", En.Signature});
    T.add({std::string("  ") + (En.IsDefinition ? "defined at" : "declared at"),
           En.File + ":" + std::to_string(En.Range.Line) + ":" +
               std::to_string(En.Range.Column)});
    for (const Location &L : En.Declarations)
      T.add({"  declared at", L.File + ":" + std::to_string(L.Range.Line) +
                                  ":" + std::to_string(L.Range.Column)});
    if (En.Parent)
      T.add({"  parent", G.displayName(En.Parent)});
    if (En.Acc != Access::None)
      T.add({"  access", std::string(spell(En.Acc))});
    std::vector<std::string> Flags;
    for (std::string_view F : flagNames(En.Flags))
      Flags.emplace_back(F);
    T.add({"  flags", Flags.empty() ? "-" : llvm::join(Flags, ", ")});
    T.add({"  language", std::string(spell(En.Lang))});
    T.add({"  test", En.IsTest
                         ? "yes: " + En.TestName + " (" + En.TestFramework + ")"
                         : yesNo(false)});
    T.add({"  external", yesNo(En.External)});
    if (!En.External)
      T.add({"  body hash", En.Hash ? formatId(En.Hash) : "-"});
    std::vector<std::vector<Id>> Lists = RelatedIds(I);
    for (size_t Idx = 0; Idx < Lists.size(); ++Idx) {
      const std::vector<Id> &L = Lists[Idx];
      if (L.empty())
        continue;
      std::vector<std::string> Names;
      for (Id R : L)
        Names.push_back(G.displayName(R));
      std::string Key = Related[Idx];
      std::replace(Key.begin(), Key.end(), '_', ' ');
      T.add({"  " + Key,
             "(" + std::to_string(L.size()) + ") " + llvm::join(Names, ", ")});
    }
    T.print(OS, "", style(C));
  }
  return Error::success();
}

/// How `search` ranks one entity's names against the text: the tier of
/// the first test that holds (exact, prefix, substring of the short name,
/// substring of the qualified name, short name within edit distance Limit),
/// ASCII case-insensitively. Keeps scratch buffers: one per thread.
class SearchMatcher {
public:
  explicit SearchMatcher(StringRef Text)
      : LowerText(Text.lower()), Limit(std::max<unsigned>(2, Text.size() / 3)) {
    // How many times each byte occurs in the text, for the bag distance
    // (off for a text with a byte repeated past what a counter holds).
    for (unsigned char Ch : LowerText)
      if (TextBag[Ch] == UINT8_MAX)
        UseBag = false;
      else
        ++TextBag[Ch];
    Bag = TextBag;
  }

  /// False if the names do not match; else Tier (0-4) and, for the fuzzy
  /// tier, the edit distance.
  bool match(StringRef EName, StringRef EQName, unsigned &Tier,
             unsigned &Dist) {
    StringRef Text = LowerText;
    StringRef N = lower(EName, Name);
    Dist = 0;
    if (N == Text)
      Tier = 0;
    else if (N.starts_with(Text))
      Tier = 1;
    else if (N.contains(Text))
      Tier = 2;
    else if (lower(EQName, QName).contains(Text))
      Tier = 3;
    else {
      // The edit distance is at least the difference in length, and at
      // least the bag distance (the characters of one string that the
      // other lacks, counted with repeats): both are linear, the edit
      // distance quadratic, and most names of a big graph fail them.
      size_t Len = N.size(), Want = Text.size();
      if ((Len > Want ? Len - Want : Want - Len) > Limit ||
          bagDistanceExceeds(N))
        return false;
      Dist = N.edit_distance(Text, true, Limit + 1);
      if (Dist > Limit)
        return false;
      Tier = 4;
    }
    return true;
  }

private:
  static StringRef lower(StringRef S, std::string &Out) {
    Out.resize(S.size());
    for (size_t K = 0; K < S.size(); ++K)
      Out[K] = llvm::toLower(S[K]);
    return Out;
  }

  bool bagDistanceExceeds(StringRef N) {
    if (!UseBag)
      return false;
    unsigned Extra = 0; // bytes of N the text does not have
    size_t K = 0;
    bool Over = false;
    for (; K < N.size(); ++K) {
      unsigned char Ch = N[K];
      if (Bag[Ch])
        --Bag[Ch];
      else if (++Extra > Limit) {
        Over = true;
        ++K;
        break;
      }
    }
    // Restore the counters this name took, not all 256.
    for (size_t J = 0; J < K; ++J)
      Bag[static_cast<unsigned char>(N[J])] =
          TextBag[static_cast<unsigned char>(N[J])];
    // Else: the bytes of the text N does not have are the text's length
    // less those matched.
    return Over || LowerText.size() - (N.size() - Extra) > Limit;
  }

  std::string LowerText;
  unsigned Limit;
  std::array<uint8_t, 256> TextBag{};
  std::array<uint8_t, 256> Bag{};
  bool UseBag = true;
  std::string Name, QName;
};

Error cmdSearch(Ctx &C) {
  StringRef Text = C.Args[0];
  struct Hit {
    unsigned Tier, Dist;
    std::string Name;
    Id I;
  };
  static const char *Tiers[] = {"exact", "prefix", "substring", "qualified",
                                "fuzzy"};
  // Only names, qualified names and the external bit are read (not whole
  // entities), by one thread per core over a share of the entities each,
  // and only the matches' qualified names are copied.
  unsigned Shards =
      std::min(8u, llvm::hardware_concurrency().compute_thread_count());
  std::vector<SearchMatcher> Matchers(Shards, SearchMatcher(Text));
  std::vector<std::vector<Hit>> ShardHits(Shards);
  C.G.reader().forEachEntityName(
      [&](unsigned Shard, Id I, StringRef EName, StringRef EQName,
          bool External) {
        if (External && !C.O.External)
          return true;
        unsigned Tier, Dist;
        if (Matchers[Shard].match(EName, EQName, Tier, Dist))
          ShardHits[Shard].push_back({Tier, Dist, EQName.str(), I});
        return true;
      },
      Shards);
  std::vector<Hit> Hits = std::move(ShardHits[0]);
  for (unsigned Shard = 1; Shard < Shards; ++Shard)
    std::move(ShardHits[Shard].begin(), ShardHits[Shard].end(),
              std::back_inserter(Hits));
  llvm::sort(Hits, [](const Hit &A, const Hit &B) {
    return std::tie(A.Tier, A.Dist, A.Name, A.I) <
           std::tie(B.Tier, B.Dist, B.Name, B.I);
  });
  unsigned Total = Hits.size();
  if (C.O.Top && Hits.size() > C.O.Top)
    Hits.resize(C.O.Top);
  ojson J;
  J["query"] = Text.str();
  J["total"] = Total;
  ojson A = ojson::array();
  for (const Hit &H : Hits) {
    ojson R;
    R["match"] = Tiers[H.Tier];
    R["distance"] = H.Dist;
    R["entity"] = C.G.ref(H.I);
    A.push_back(R);
  }
  J["results"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  if (Hits.empty()) {
    C.OS << "no entity matches '" << Text << "'\n";
    return Error::success();
  }
  Table T({"MATCH", "KIND", "NAME", "LOCATION"});
  for (const auto &R : A)
    T.add({str(R["match"]), str(R["entity"]["kind"]),
           C.G.displayName(refId(R["entity"])), refLocation(R["entity"])});
  T.print(C.OS, "", style(C));
  if (Total > Hits.size())
    C.OS << "(" << Total - Hits.size() << " more; use --top)\n";
  return Error::success();
}

// ---- callers / callees ------------------------------------------------------

/// The VIA column: the previous node (beyond depth 1) and, for a caller
/// reached through virtual dispatch, the overridden method it calls.
std::string viaText(const GraphView &G, const Reached &R) {
  std::string T = R.Depth == 1 ? "" : G.displayName(R.Via);
  if (isCandidateEdge(*R.Through))
    T += (T.empty() ? "" : ", ") + std::string("candidate");
  if (R.Dispatch)
    T += (T.empty() ? "" : ", ") + std::string("virtual call to ") +
         G.displayName(R.Through->To);
  return T.empty() ? "-" : T;
}

Error cmdCallGraph(Ctx &C, bool Callers) {
  StringRef Cmd = Callers ? "callers" : "callees";
  Expected<Id> X = target(C, isFunction);
  if (!X)
    return X.takeError();
  const GraphView &G = C.G;
  std::vector<Reached> R =
      Callers ? callers(G, *X, C.O.Depth) : callees(G, *X, C.O.Depth);
  // The target's own candidate callers (callees) are listed at depth 1,
  // marked, even when the walk does not go through them.
  std::vector<Reached> Cand =
      Callers ? candidateCallers(G, *X) : candidateCallees(G, *X);
  if (!Cand.empty()) {
    auto Layer1 =
        llvm::find_if(R, [](const Reached &Re) { return Re.Depth > 1; });
    std::vector<Reached> First(R.begin(), Layer1);
    DenseSet<Id> Seen;
    for (const Reached &Re : First)
      Seen.insert(Re.Node);
    for (const Reached &Re : Cand)
      if (Seen.insert(Re.Node).second)
        First.push_back(Re);
    std::stable_sort(First.begin(), First.end(),
                     [&](const Reached &A, const Reached &B) {
                       return G.before(A.Node, B.Node);
                     });
    First.insert(First.end(), Layer1, R.end());
    R = std::move(First);
  }
  if (!wantsTable(C)) {
    // Streamed: one caller's row at a time, not the document.
    JsonStream J(C.OS);
    J.beginObject();
    J.member("target", G.ref(*X));
    J.member("depth", C.O.Depth);
    J.key(Cmd);
    J.beginArray();
    for (const Reached &Re : R) {
      ojson E;
      E["depth"] = Re.Depth;
      E["entity"] = G.ref(Re.Node);
      E["via"] = formatId(Re.Via);
      E["dispatch"] = Re.Dispatch;
      E["candidate"] = isCandidateEdge(*Re.Through);
      ojson Sites = ojson::array();
      for (const Site &S : Re.Through->Sites)
        Sites.push_back(siteText(S));
      E["sites"] = Sites;
      J.value(E);
    }
    J.endArray();
    J.endObject();
    J.finish();
    return Error::success();
  }
  // A table is written from the walk itself, each row made as it is
  // printed: the JSON document of a hub's callers (a few KB per caller), or
  // its rows as strings, would only add to the memory.
  if (R.empty()) {
    C.OS << "no " << Cmd << " of " << G.displayName(*X) << "\n";
    return Error::success();
  }
  C.OS << Cmd << " of " << G.displayName(*X) << " (" << G.location(*X) << ")\n";
  std::vector<std::string> Row;
  Table::printRows(
      C.OS, {"DEPTH", "KIND", "NAME", "LOCATION", "VIA"}, R.size(),
      [&](size_t K) -> const std::vector<std::string> & {
        const Reached &Re = R[K];
        Row = {std::to_string(Re.Depth), G.kindName(Re.Node),
               G.displayName(Re.Node), G.location(Re.Node), viaText(G, Re)};
        return Row;
      },
      "", style(C));
  return Error::success();
}

Error cmdCallers(Ctx &C) { return cmdCallGraph(C, true); }
Error cmdCallees(Ctx &C) { return cmdCallGraph(C, false); }

// ---- references -------------------------------------------------------------

Error cmdReferences(Ctx &C) {
  Expected<Id> X = target(C);
  if (!X)
    return X.takeError();
  const GraphView &G = C.G;
  struct Row {
    std::string Name;
    Id From;
    EdgeKind K;
    Site S;
  };
  std::vector<Row> Rows;
  for (EdgeKind K : {EdgeKind::References, EdgeKind::UsesType})
    for (const Edge &E : G.in(K, *X)) {
      if (E.Sites.empty())
        Rows.push_back({G.sortKey(E.From).str(), E.From, K, Site()});
      for (const Site &S : E.Sites)
        Rows.push_back({G.sortKey(E.From).str(), E.From, K, S});
    }
  llvm::sort(Rows, [](const Row &A, const Row &B) {
    return std::tie(A.S, A.Name, A.From, A.K) <
           std::tie(B.S, B.Name, B.From, B.K);
  });
  ojson J;
  J["target"] = G.ref(*X);
  ojson A = ojson::array();
  for (const Row &R : Rows) {
    ojson E;
    E["edge"] = spell(R.K);
    E["from"] = G.ref(R.From);
    E["site"] = R.S.File.empty() ? ojson(nullptr) : ojson(siteText(R.S));
    A.push_back(E);
  }
  J["references"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  if (Rows.empty()) {
    C.OS << "no references to " << G.displayName(*X) << "\n";
    return Error::success();
  }
  C.OS << "references to " << G.displayName(*X) << " (" << G.location(*X)
       << ")\n";
  Table T({"SITE", "EDGE", "FROM"});
  for (const Row &R : Rows)
    T.add({R.S.File.empty() ? "-" : siteText(R.S), std::string(spell(R.K)),
           G.displayName(R.From)});
  T.print(C.OS, "", style(C));
  return Error::success();
}

// ---- overrides / hierarchy --------------------------------------------------

Error cmdOverrides(Ctx &C) {
  Expected<Id> X = target(C, isFunction);
  if (!X)
    return X.takeError();
  const GraphView &G = C.G;
  // Override edges are already transitive; order by name.
  std::vector<Id> UpIds, DownIds;
  for (const Reached &R : overriddenMethods(G, *X))
    UpIds.push_back(R.Node);
  for (const Reached &R : overridingMethods(G, *X))
    DownIds.push_back(R.Node);
  ojson J;
  J["target"] = G.ref(*X);
  J["overrides"] = refList(G, UpIds);
  J["overridden_by"] = refList(G, DownIds);
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  if (UpIds.empty() && DownIds.empty()) {
    C.OS << G.displayName(*X) << " overrides nothing and is not overridden\n";
    return Error::success();
  }
  C.OS << "overrides of " << G.displayName(*X) << " (" << G.location(*X)
       << ")\n";
  Table T({"DIRECTION", "KIND", "NAME", "LOCATION"});
  for (const char *K : {"overrides", "overridden_by"})
    for (const auto &R : J[K])
      T.add({StringRef(K).str() == "overrides" ? "overrides" : "overridden-by",
             str(R["kind"]), G.displayName(refId(R)), refLocation(R)});
  T.print(C.OS, "", style(C));
  return Error::success();
}

Error cmdHierarchy(Ctx &C) {
  Expected<Id> X = target(C, isRecord);
  if (!X)
    return X.takeError();
  const GraphView &G = C.G;
  ojson J;
  J["target"] = G.ref(*X);
  Table T({"DIRECTION", "DEPTH", "ACCESS", "NAME", "LOCATION"});
  for (bool Up : {true, false}) {
    ojson A = ojson::array();
    for (const Reached &R : Up ? bases(G, *X) : derivedClasses(G, *X)) {
      const Edge &E = *R.Through;
      ojson Row;
      Row["depth"] = R.Depth;
      Row["access"] = spell(E.Acc);
      Row["virtual"] = E.Virtual;
      Row["entity"] = G.ref(R.Node);
      Row["via"] = formatId(R.Via);
      A.push_back(Row);
      T.add({Up ? "base" : "derived", std::to_string(R.Depth),
             std::string(spell(E.Acc)) + (E.Virtual ? " virtual" : ""),
             G.displayName(R.Node), G.location(R.Node)});
    }
    J[Up ? "bases" : "derived"] = A;
  }
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  if (T.empty()) {
    C.OS << G.displayName(*X) << " has no bases and no derived classes\n";
    return Error::success();
  }
  C.OS << "hierarchy of " << G.displayName(*X) << " (" << G.location(*X)
       << ")\n";
  T.print(C.OS, "", style(C));
  return Error::success();
}

// ---- blast-radius / tests-for -----------------------------------------------

Error cmdBlastRadius(Ctx &C) {
  Expected<Id> X = target(C);
  if (!X)
    return X.takeError();
  const GraphView &G = C.G;
  std::vector<Layer> L = blastRadius(G, *X, C.O.Hops);
  unsigned Total = 0;
  for (const Layer &La : L)
    Total += La.Ids.size();
  if (!wantsTable(C)) {
    // Streamed: one entity's reference at a time, not the document.
    JsonStream J(C.OS);
    J.beginObject();
    J.member("target", G.ref(*X));
    J.member("hops", C.O.Hops);
    J.key("layers");
    J.beginArray();
    for (Layer &La : L) {
      J.beginObject();
      J.member("hop", La.Hop);
      J.key("entities");
      J.beginArray();
      sortUnique(G, La.Ids);
      for (Id I : La.Ids)
        J.value(G.ref(I));
      J.endArray();
      J.endObject();
    }
    J.endArray();
    J.member("total", Total);
    J.endObject();
    J.finish();
    return Error::success();
  }
  // The table is written layer by layer, each row made when printed (twice:
  // the columns are measured first), not from the JSON document.
  C.OS << "blast radius of " << G.displayName(*X) << " (" << G.location(*X)
       << "): " << Total << (Total == 1 ? " entity" : " entities") << " within "
       << C.O.Hops << (C.O.Hops == 1 ? " hop\n" : " hops\n");
  for (Layer &La : L) {
    C.OS << "hop " << La.Hop << "\n";
    sortUnique(G, La.Ids);
    printRefRows(C, La.Ids, "  ");
  }
  return Error::success();
}

/// The CTest tests of --build-dir that run the test cases T, in J["ctest"]
/// and, for tables, as a list ending with the runnable line.
Error ctestForTests(Ctx &C, const std::vector<std::pair<unsigned, Id>> &T,
                    ojson &J) {
  const GraphView &G = C.G;
  Expected<std::vector<CTestTest>> Tests = listCTestTests(C.O.BuildDir);
  if (!Tests)
    return Tests.takeError();
  std::optional<CodeModel> Model;
  std::string ModelNote;
  if (Expected<CodeModel> M = readCodeModel(C.O.BuildDir))
    Model = std::move(*M);
  else
    ModelNote = toString(M.takeError());
  std::vector<TestCaseRef> Cases;
  for (auto [Depth, I] : T) {
    const Entity *E = G.entity(I);
    Cases.push_back({E->TestName, E->TestFramework, E->File});
  }
  CTestMapping M = mapTestCases(*Tests, Cases, Model ? &*Model : nullptr);
  if (!ModelNote.empty() && !T.empty())
    M.Notes.insert(M.Notes.begin(), ModelNote);
  ojson Cj;
  Cj["build_dir"] = C.O.BuildDir;
  Cj["tests"] = ojson(M.Tests);
  Cj["command"] = M.Tests.empty()
                      ? ojson(nullptr)
                      : ojson(ctestCommandLine(C.O.BuildDir, M.Tests));
  Cj["notes"] = ojson(M.Notes);
  J["ctest"] = Cj;
  return Error::success();
}

Error cmdTestsFor(Ctx &C) {
  Expected<Id> X = target(C, isFunction);
  if (!X)
    return X.takeError();
  const GraphView &G = C.G;
  auto T = testsReaching(G, *X);
  std::set<std::string> Files;
  for (auto [Depth, I] : T)
    Files.insert(G.entity(I)->File);
  ojson J; // the ctest member only
  if (!C.O.BuildDir.empty())
    if (Error E = ctestForTests(C, T, J))
      return E;
  if (!wantsTable(C)) {
    // Streamed: one test's row at a time.
    JsonStream S(C.OS);
    S.beginObject();
    S.member("target", G.ref(*X));
    S.key("tests");
    S.beginArray();
    for (auto [Depth, I] : T) {
      const Entity *E = G.entity(I);
      ojson R;
      R["depth"] = Depth;
      R["test_name"] = E->TestName;
      R["framework"] = E->TestFramework;
      R["entity"] = G.ref(I);
      S.value(R);
    }
    S.endArray();
    S.member("test_files",
             ojson(std::vector<std::string>(Files.begin(), Files.end())));
    if (auto It = J.find("ctest"); It != J.end())
      S.member("ctest", *It);
    S.endObject();
    S.finish();
    return Error::success();
  }
  if (T.empty()) {
    C.OS << "no test reaches " << G.displayName(*X) << "\n";
    return Error::success();
  }
  C.OS << "tests reaching " << G.displayName(*X) << " (" << G.location(*X)
       << ")\n";
  Table Tb({"DEPTH", "TEST", "FRAMEWORK", "LOCATION"});
  for (auto [Depth, I] : T) {
    const Entity *E = G.entity(I);
    Tb.add(
        {std::to_string(Depth), E->TestName, E->TestFramework, G.location(I)});
  }
  Tb.print(C.OS, "", style(C));
  C.OS << "test files: " << llvm::join(Files, ", ") << "\n";
  if (auto It = J.find("ctest"); It != J.end()) {
    const ojson &Cj = *It;
    for (const auto &N : Cj["notes"])
      C.OS << "note: " << N.get<std::string>() << "\n";
    if (Cj["tests"].empty()) {
      C.OS << "no CTest test of " << C.O.BuildDir << " runs these tests\n";
    } else {
      C.OS << "ctest tests: " << Cj["tests"].size() << "\n";
      C.OS << Cj["command"].get<std::string>() << "\n";
    }
  }
  return Error::success();
}

// ---- cycles -----------------------------------------------------------------

Error cmdCycles(Ctx &C) {
  std::string EdgesName = C.O.Edges.empty() ? "calls" : C.O.Edges;
  EdgeKind K;
  if (EdgesName == "calls")
    K = EdgeKind::Calls;
  else if (EdgesName == "references")
    K = EdgeKind::References;
  else if (EdgesName == "includes")
    K = EdgeKind::Includes;
  else
    return usageError("--edges takes calls, references or includes, not '" +
                      EdgesName + "'");
  const GraphView &G = C.G;
  // Self-loops exist only for calls and references (recursion, a function
  // naming itself); an include of itself is not an edge.
  std::vector<std::vector<Id>> Cycles = cycles(G, K, !C.O.NoSelfLoops);
  ojson J;
  J["edges"] = EdgesName;
  J["self_loops"] = !C.O.NoSelfLoops;
  ojson A = ojson::array();
  for (const auto &M : Cycles) {
    ojson Cj;
    Cj["size"] = M.size();
    Cj["members"] = refList(G, M);
    A.push_back(Cj);
  }
  J["cycles"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  if (Cycles.empty()) {
    C.OS << "no cycles in the " << EdgesName << " graph\n";
    return Error::success();
  }
  unsigned N = 0;
  for (const auto &Cj : A) {
    unsigned Size = Cj["size"].get<unsigned>();
    C.OS << "cycle " << ++N << " (" << Size
         << (Size == 1 ? " member)\n" : " members)\n");
    if (K == EdgeKind::Includes) {
      for (const auto &R : Cj["members"])
        C.OS << "  " << str(R["file"]) << "\n";
      continue;
    }
    Table T = refTable();
    for (const auto &R : Cj["members"])
      addRef(T, G, R);
    T.print(C.OS, "  ", style(C));
  }
  return Error::success();
}

// ---- hotspots ---------------------------------------------------------------

Error cmdHotspots(Ctx &C) {
  const GraphView &G = C.G;
  // One scan of the call edges (sorted by source, then target: a repeated
  // pair is adjacent) counts distinct callers and callees per entity; one
  // scan of the entities keeps those that count.
  DenseMap<Id, std::pair<unsigned, unsigned>> Fan; // in, out
  std::optional<std::pair<Id, Id>> Last;
  G.reader().forEachEdge(EdgeKind::Calls, [&](const Edge &E) {
    if (Last == std::pair(E.From, E.To))
      return true;
    Last = std::pair(E.From, E.To);
    ++Fan[E.To].first;
    ++Fan[E.From].second;
    return true;
  });
  struct Row {
    unsigned In, Out;
    std::string Name;
    Id I;
  };
  std::vector<Row> Rows;
  G.reader().forEachEntity([&](const Entity &E) {
    if (E.External && !C.O.External)
      return true;
    auto It = Fan.find(E.ID);
    if (It != Fan.end())
      Rows.push_back(
          {It->second.first, It->second.second, E.QualifiedName, E.ID});
    return true;
  });
  llvm::sort(Rows, [](const Row &A, const Row &B) {
    if (A.In + A.Out != B.In + B.Out)
      return A.In + A.Out > B.In + B.Out;
    if (A.In != B.In)
      return A.In > B.In;
    return std::tie(A.Name, A.I) < std::tie(B.Name, B.I);
  });
  if (C.O.Top && Rows.size() > C.O.Top)
    Rows.resize(C.O.Top);
  ojson J;
  J["top"] = C.O.Top;
  ojson A = ojson::array();
  for (const Row &R : Rows) {
    ojson E;
    E["fan_in"] = R.In;
    E["fan_out"] = R.Out;
    E["entity"] = G.ref(R.I);
    A.push_back(E);
  }
  J["hotspots"] = A;
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  Table T({"FAN-IN", "FAN-OUT", "KIND", "NAME", "LOCATION"});
  for (const Row &R : Rows)
    T.add({std::to_string(R.In), std::to_string(R.Out),
           std::string(spell(G.entity(R.I)->Kind)), G.displayName(R.I),
           G.location(R.I)});
  T.print(C.OS, "", style(C));
  return Error::success();
}

// ---- analytics (Analytics.cpp) ----------------------------------------------

Error cmdCentrality(Ctx &C) { return runCentrality(C.G, C.O, C.Args, C.OS); }
Error cmdCommunities(Ctx &C) { return runCommunities(C.G, C.O, C.Args, C.OS); }
Error cmdLayers(Ctx &C) { return runLayers(C.G, C.O, C.Args, C.OS); }
Error cmdCoupling(Ctx &C) { return runCoupling(C.G, C.O, C.Args, C.OS); }

// ---- file -------------------------------------------------------------------

/// The file Path names: exactly, or as the only path ending in "/Path".
Expected<FileInfo> findFile(const GraphView &G, StringRef Path) {
  if (const FileInfo *F = G.fileByPath(Path))
    return *F;
  std::vector<FileInfo> M;
  std::string Suffix = ("/" + Path).str();
  G.reader().forEachFile([&](const FileInfo &Fi) {
    if (StringRef(Fi.Path).ends_with(Suffix))
      M.push_back(Fi);
    return true;
  });
  if (M.size() == 1)
    return M.front();
  if (M.size() > 1) {
    std::string Msg = "'" + Path.str() + "' is ambiguous:";
    std::vector<QueryError::Candidate> Candidates;
    for (const FileInfo &Fi : M) {
      Msg += "\n  " + Fi.Path;
      Candidates.push_back({"", "file", Fi.Path, Fi.Path});
    }
    return make_error<QueryError>(QueryError::Usage, Msg, QueryError::Ambiguous,
                                  std::move(Candidates));
  }
  std::vector<std::pair<unsigned, std::string>> Near;
  G.reader().forEachFile([&](const FileInfo &Fi) {
    unsigned D = StringRef(Fi.Path).edit_distance(Path, true, 8);
    StringRef Base = llvm::sys::path::filename(Fi.Path);
    D = std::min(D, Base.edit_distance(Path, true, 8));
    if (D <= std::max<unsigned>(2, Path.size() / 4))
      Near.emplace_back(D, Fi.Path);
    return true;
  });
  llvm::sort(Near);
  std::string Msg = "no file '" + Path.str() + "' in the index";
  if (!Near.empty()) {
    std::vector<std::string> S;
    for (auto &[D, P] : Near)
      if (S.size() < 5)
        S.push_back(P);
    Msg += "; did you mean: " + llvm::join(S, ", ");
  }
  return make_error<QueryError>(QueryError::Usage, Msg,
                                QueryError::UnknownSymbol);
}

Error cmdFile(Ctx &C) {
  const GraphView &G = C.G;
  Expected<FileInfo> FOr = findFile(G, C.Args[0]);
  if (!FOr)
    return FOr.takeError();
  const FileInfo *F = &*FOr;
  // What the file defines or declares: entities located there, and other
  // declarations of entities defined elsewhere (a header's prototypes).
  struct Item {
    Extent At;
    bool Definition;
    const Entity *E;
  };
  std::vector<Id> InFile;
  G.reader().entitiesOfFile(F->Path, [&](Id I) { InFile.push_back(I); });
  std::vector<Item> Defs;
  for (Id I : InFile) {
    const Entity *E = G.entity(I);
    if (!E || E->External)
      continue;
    if (E->File == F->Path)
      Defs.push_back({E->Range, E->IsDefinition, E});
    for (const Location &L : E->Declarations)
      if (L.File == F->Path)
        Defs.push_back({L.Range, false, E});
  }
  llvm::sort(Defs, [&](const Item &A, const Item &B) {
    return std::tie(A.At.Line, A.At.Column, A.E->QualifiedName, A.E->ID) <
           std::tie(B.At.Line, B.At.Column, B.E->QualifiedName, B.E->ID);
  });
  ojson J;
  J["file"] = toJson(*F);
  ojson D = ojson::array();
  for (const Item &It : Defs) {
    ojson R;
    R["line"] = It.At.Line;
    R["definition"] = It.Definition;
    R["entity"] = G.ref(It.E->ID);
    D.push_back(R);
  }
  J["entities"] = D;
  auto IncludeList = [&](bool Outgoing) {
    std::vector<std::pair<std::string, unsigned>> L;
    for (const Edge &E : Outgoing ? G.out(EdgeKind::Includes, F->ID)
                                  : G.in(EdgeKind::Includes, F->ID)) {
      const FileInfo *O = G.file(Outgoing ? E.To : E.From);
      L.emplace_back(O ? O->Path : formatId(Outgoing ? E.To : E.From),
                     E.Sites.empty() ? 0 : E.Sites.front().Line);
    }
    llvm::sort(L);
    ojson A = ojson::array();
    for (auto &[P, Line] : L) {
      ojson R;
      R["path"] = P;
      R["line"] = Line;
      A.push_back(R);
    }
    return A;
  };
  J["includes"] = IncludeList(true);
  J["included_by"] = IncludeList(false);
  if (!wantsTable(C)) {
    printJson(C.OS, J);
    return Error::success();
  }
  raw_ostream &OS = C.OS;
  OS << F->Path << " (" << spell(F->Role) << ", " << spell(F->Lang) << ", "
     << F->Lines << " lines, " << spell(F->Status) << ")\n";
  OS << "entities (" << Defs.size() << "):\n";
  if (!Defs.empty()) {
    Table T({"LINE", "KIND", "NAME", "DEF"});
    for (const Item &It : Defs)
      T.add({std::to_string(It.At.Line), std::string(spell(It.E->Kind)),
             G.displayName(It.E->ID), It.Definition ? "def" : "decl"});
    T.print(OS, "  ", style(C));
  }
  for (const char *K : {"includes", "included_by"}) {
    const ojson &L = J[K];
    OS << (StringRef(K) == "includes" ? "includes" : "included by") << " ("
       << L.size() << "):\n";
    for (const auto &R : L) {
      std::string Line = std::to_string(R["line"].get<unsigned>());
      if (StringRef(K) == "includes")
        OS << "  line " << Line << ": " << str(R["path"]) << "\n";
      else
        OS << "  " << str(R["path"]) << ":" << Line << "\n";
    }
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// The table of subcommands
//===----------------------------------------------------------------------===//

const StringRef EntitiesOptions[] = {"kind", "file", "name", "external"};
const StringRef SearchOptions[] = {"top", "external"};
const StringRef DepthOptions[] = {"depth", "include-candidates"};
const StringRef HopsOptions[] = {"hops", "include-candidates"};
const StringRef CyclesOptions[] = {"edges", "no-self-loops",
                                   "include-candidates"};
const StringRef TestsForOptions[] = {"include-candidates", "build-dir"};
const StringRef HotspotsOptions[] = {"top", "external"};
const StringRef CentralityOptions[] = {"method", "top", "edges", "external"};
const StringRef GraphAnalyticsOptions[] = {"top", "edges", "external"};
const StringRef CouplingOptions[] = {"edges", "external"};

const StringRef ContextCmdOptions[] = {"tokens", "depth"};

Error cmdContext(Ctx &C) {
  return runContextCommand(C.G, C.Args[0], C.O, C.OS);
}

const QueryCommand Commands[] = {
    {"stats",
     "",
     "",
     {},
     "Counts by entity and edge kind, files by role and status, failed TUs, "
     "tests, coverage",
     cmdStats},
    {"entities", "", "", EntitiesOptions, "The entities that match the filters",
     cmdEntities},
    {"entity",
     "SYMBOL",
     "an id or a name",
     {},
     "Everything about one entity (every overload if the name is shared)",
     cmdEntity},
    {"search", "TEXT", "the text to look for", SearchOptions,
     "Ranked exact, prefix, substring and fuzzy matches on names", cmdSearch},
    {"callers", "SYMBOL", "an id or a name", DepthOptions,
     "What calls SYMBOL, with virtual dispatch", cmdCallers},
    {"callees", "SYMBOL", "an id or a name", DepthOptions, "What SYMBOL calls",
     cmdCallees},
    {"references",
     "SYMBOL",
     "an id or a name",
     {},
     "Every site referencing SYMBOL or using it as a type",
     cmdReferences},
    {"overrides",
     "SYMBOL",
     "a method's id or name",
     {},
     "What SYMBOL overrides and what overrides it",
     cmdOverrides},
    {"hierarchy",
     "CLASS",
     "a class's id or name",
     {},
     "Bases and derived classes",
     cmdHierarchy},
    {"blast-radius", "SYMBOL", "an id or a name", HopsOptions,
     "Everything that transitively calls or references SYMBOL, by hop",
     cmdBlastRadius},
    {"cycles", "", "", CyclesOptions,
     "Strongly connected components of the call, reference or include "
     "graph, largest first; direct recursion is a cycle of one",
     cmdCycles},
    {"hotspots", "", "", HotspotsOptions,
     "Entities ranked by fan-in and fan-out", cmdHotspots},
    {"file",
     "PATH",
     "a file path",
     {},
     "What a file defines and declares, includes, and is included by",
     cmdFile},
    {"tests-for", "SYMBOL", "an id or a name", TestsForOptions,
     "The test cases that reach SYMBOL through calls, and the ctest line "
     "that runs them",
     cmdTestsFor},
    {"centrality", "", "", CentralityOptions,
     "Entities ranked by PageRank or betweenness (igraph)", cmdCentrality},
    {"communities", "", "", GraphAnalyticsOptions,
     "Leiden communities with their modularity (igraph)", cmdCommunities},
    {"layers", "", "", GraphAnalyticsOptions,
     "k-core layers, innermost first (igraph)", cmdLayers},
    {"coupling", "CLASS", "a class's id or name", CouplingOptions,
     "Fan-in/fan-out between classes, RFC and LCOM4 cohesion of CLASS",
     cmdCoupling},
    {"context", "SYMBOL", "an id or a name", ContextCmdOptions,
     "SYMBOL's source, its callers' and callees' signatures and bodies, and "
     "its tests, within a token budget",
     cmdContext},
};

const QueryOptionInfo Options[] = {
    {"format", "table|json", "Output: a table for people or JSON"},
    {"depth", "N", "How many levels (default 1; context: 2; 0: unlimited)"},
    {"hops", "N", "How many hops (default 2)"},
    {"top", "N", "How many results (default 10, 0: all)"},
    {"kind", "KIND", "Only entities of this kind"},
    {"file", "GLOB", "Only entities whose file matches this glob"},
    {"name", "GLOB", "Only entities whose name or qualified name matches"},
    {"edges", "KINDS",
     "Which graph (default calls): cycles takes calls, references or "
     "includes, the analytics a comma-separated list of entity edge kinds"},
    {"method", "pagerank|betweenness",
     "centrality: the measure (default pagerank)"},
    {"no-self-loops", "", "Leave out cycles of one (direct recursion)"},
    {"external", "", "Include external entities"},
    {"include-candidates", "",
     "Walk through candidate calls too (one of several overloads of an "
     "unresolved call in a template)"},
    {"tokens", "N",
     "context: the budget in estimated tokens (default 2000; docs/serve.md)"},
    {"build-dir", "DIR",
     "Map the test cases to this build directory's CTest tests"},
};

const QueryOptionInfo *findOption(StringRef Name) {
  for (const QueryOptionInfo &O : Options)
    if (O.Name == Name)
      return &O;
  return nullptr;
}

std::string optionSynopsis(StringRef Name) {
  const QueryOptionInfo *O = findOption(Name);
  std::string S = "--" + Name.str();
  if (O && !O->Value.empty())
    S += " " + O->Value.str();
  return S;
}

std::string synopsis(const QueryCommand &Cmd) {
  std::string S = Cmd.Name.str();
  if (!Cmd.Arg.empty())
    S += " " + Cmd.Arg.str();
  for (StringRef O : Cmd.Options)
    S += " [" + optionSynopsis(O) + "]";
  return S;
}

/// The options of Cmd for messages: "--depth N, --format table|json".
std::string acceptedOptions(const QueryCommand &Cmd) {
  std::vector<std::string> L;
  for (StringRef O : Cmd.Options)
    L.push_back("--" + O.str());
  L.push_back("--format");
  return llvm::join(L, ", ");
}

Error validate(const QueryCommand &Cmd, ArrayRef<std::string> Args,
               const QueryOptions &O) {
  for (const std::string &Given : O.Given)
    if (Given != "format" && !llvm::is_contained(Cmd.Options, Given))
      return usageError("query " + Cmd.Name + " does not take --" + Given +
                        " (its options: " + acceptedOptions(Cmd) + ")");
  if (Cmd.Arg.empty() && !Args.empty()) {
    std::string Msg = Cmd.Name.str() + " takes no arguments";
    if (!Cmd.Options.empty()) {
      std::vector<std::string> L;
      for (StringRef Opt : Cmd.Options)
        L.push_back(optionSynopsis(Opt));
      Msg += " (options: " + llvm::join(L, ", ") + ")";
    }
    return usageError(Msg);
  }
  if (!Cmd.Arg.empty() && Args.size() != 1)
    return usageError(Cmd.Name + " takes one argument: " + Cmd.ArgWhat);
  return Error::success();
}

} // namespace

ArrayRef<QueryCommand> queryCommands() { return Commands; }

const QueryCommand *findQueryCommand(StringRef Name) {
  for (const QueryCommand &C : Commands)
    if (C.Name == Name)
      return &C;
  return nullptr;
}

ArrayRef<QueryOptionInfo> queryOptions() { return Options; }

std::string querySubcommandList() {
  std::vector<StringRef> Names;
  for (const QueryCommand &C : Commands)
    Names.push_back(C.Name);
  return llvm::join(Names, ", ");
}

void printQueryHelp(raw_ostream &OS, const QueryCommand *Cmd) {
  auto Common = [&](Table &T) {
    T.add({"  --db SPEC", "Read this index (rocksdb:PATH or lmdb:PATH)"});
    T.add({"  --json FILE", "Read this export"});
    T.add({"  --color auto|always|never", "Colours (default: on a terminal)"});
  };
  if (!Cmd) {
    OS << "USAGE: code-indexer query (--db SPEC | --json FILE) SUBCOMMAND "
          "[ARGS] [--format table|json]\n\nSUBCOMMANDS:\n";
    Table T({"  SUBCOMMAND", "ANSWERS"});
    for (const QueryCommand &C : Commands)
      T.add({"  " + synopsis(C), C.Help.str()});
    T.print(OS);
    OS << "\nOPTIONS:\n";
    Table O({"  OPTION", "MEANING"});
    for (const QueryOptionInfo &Opt : Options)
      O.add({"  " + optionSynopsis(Opt.Name), Opt.Help.str()});
    Common(O);
    O.print(OS);
    OS << "\nRun `code-indexer query SUBCOMMAND --help` for one "
          "subcommand.\n";
    return;
  }
  OS << "USAGE: code-indexer query (--db SPEC | --json FILE) " << synopsis(*Cmd)
     << " [--format table|json]\n\n"
     << Cmd->Help << ".\n\nOPTIONS:\n";
  Table T({"  OPTION", "MEANING"});
  for (StringRef Name : Cmd->Options)
    T.add({"  " + optionSynopsis(Name), findOption(Name)->Help.str()});
  T.add({"  " + optionSynopsis("format"), findOption("format")->Help.str()});
  Common(T);
  T.print(OS);
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

Expected<std::unique_ptr<GraphReader>> openGraphReader(const std::string &Db,
                                                       const std::string &Json,
                                                       std::string &Source) {
  if (Db.empty() == Json.empty())
    return usageError("read either an index (--db SPEC) or an export "
                      "(--json FILE; --input FILE for export --format dot), "
                      "not both or neither");
  if (!Json.empty()) {
    Source = "json:" + Json;
    return openGraphIndex(Json);
  }
  return openStoreReader(Db, Source);
}

namespace {

/// A command's answer, held until it is complete: in memory up to
/// MemoryLimit bytes, then in a temporary file (removed when done), so an
/// answer of a million lines is not held in memory.
class AnswerBuffer final : public raw_ostream {
public:
  static constexpr size_t MemoryLimit = 16 << 20;

  AnswerBuffer() { SetUnbuffered(); }
  ~AnswerBuffer() override {
    File.reset();
    if (!Path.empty())
      sys::fs::remove(Path);
  }

  /// Writes the answer to OS.
  Error copyTo(raw_ostream &OS) {
    if (!File) {
      OS << Mem;
      return Error::success();
    }
    File->close();
    if (File->has_error())
      return makeError("writing", File->error());
    Expected<sys::fs::file_t> In = sys::fs::openNativeFileForRead(Path);
    if (!In)
      return makeError("reading", errorToErrorCode(In.takeError()));
    std::vector<char> Chunk(1 << 20);
    for (;;) {
      Expected<size_t> N = sys::fs::readNativeFile(*In, Chunk);
      if (!N) {
        sys::fs::closeFile(*In);
        return makeError("reading", errorToErrorCode(N.takeError()));
      }
      if (!*N)
        break;
      OS.write(Chunk.data(), *N);
    }
    sys::fs::closeFile(*In);
    return Error::success();
  }

private:
  void write_impl(const char *Ptr, size_t Size) override {
    Pos += Size;
    if (!File && Mem.size() + Size > MemoryLimit) {
      int FD;
      if (!sys::fs::createTemporaryFile("code-indexer-query", "out", FD,
                                        Path)) {
        File = std::make_unique<raw_fd_ostream>(FD, /*shouldClose=*/true);
        File->write(Mem.data(), Mem.size());
        std::string().swap(Mem);
      }
      // Else the answer stays in memory, as it always did.
    }
    if (File)
      File->write(Ptr, Size);
    else
      Mem.append(Ptr, Size);
  }
  uint64_t current_pos() const override { return Pos; }
  Error makeError(StringRef What, std::error_code EC) const {
    return make_error<QueryError>(QueryError::Usage,
                                  (What + " the answer's temporary file " +
                                   Path + " failed: " + EC.message())
                                      .str());
  }

  std::string Mem;
  SmallString<128> Path;
  std::unique_ptr<raw_fd_ostream> File;
  uint64_t Pos = 0;
};

} // namespace

Error checkQuery(ArrayRef<std::string> Args, const QueryOptions &O) {
  if (Args.empty())
    return usageError("query needs a subcommand: " + querySubcommandList());
  const QueryCommand *Cmd = findQueryCommand(Args.front());
  if (!Cmd)
    return usageError("unknown query subcommand '" + Args.front() +
                      "'; valid subcommands: " + querySubcommandList());
  return validate(*Cmd, Args.drop_front(), O);
}

Error runQuery(const GraphReader &R, ArrayRef<std::string> Args,
               const QueryOptions &O, raw_ostream &OS) {
  if (Error E = checkQuery(Args, O))
    return E;
  const QueryCommand *Cmd = findQueryCommand(Args.front());
  // The answer is printed only when it is complete: a read error half way
  // leaves no partial output.
  AnswerBuffer Buf;
  Buf.enable_colors(O.Color);
  GraphView G(R, O.IncludeCandidates);
  QueryContext C{G, O, Buf, Args.drop_front()};
  Error E = Cmd->Run(C);
  if (Error ReadErr = R.takeError()) {
    consumeError(std::move(E));
    return ReadErr;
  }
  if (E)
    return E;
  return Buf.copyTo(OS);
}

} // namespace codeindex
