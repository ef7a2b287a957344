//===- DiffMarkdown.cpp - The diff as a pull-request comment --------------===//

#include "query/DiffMarkdown.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <limits>
#include <vector>

using namespace llvm;

namespace codeindex {

namespace {

/// The longest code span (a name, a signature) and the longest list line.
constexpr size_t MaxSpan = 160;
constexpr size_t MaxListLine = 300;
/// Changed entities shown in detail; the rest go in a table.
constexpr size_t MaxDetailed = 30;
/// Rows of a list shown before the fold.
constexpr size_t InlineRows = 10;

/// Text that never passes its byte limit: each piece goes in whole or not
/// at all, and bytes set aside for what must come later (the end of a
/// <details>, the sections still to come) are not given away.
class Bounded {
public:
  explicit Bounded(size_t Limit)
      : Limit(Limit ? Limit : std::numeric_limits<size_t>::max()) {}

  bool fits(size_t N) const { return Out.size() + Reserved + N <= Limit; }
  bool add(StringRef S) {
    if (!fits(S.size()))
      return false;
    Out += S;
    return true;
  }
  /// What can still be added.
  size_t free() const {
    size_t Used = Out.size() + Reserved;
    return Used < Limit ? Limit - Used : 0;
  }
  void reserve(size_t N) { Reserved += N; }
  void release(size_t N) { Reserved -= N; }
  const std::string &str() const { return Out; }

private:
  size_t Limit;
  size_t Reserved = 0;
  std::string Out;
};

std::string s(const ojson &J) {
  return J.is_string() ? J.get<std::string>() : J.dump();
}

/// T cut to at most Max bytes (whole UTF-8 characters), "…" marking a cut.
std::string clip(StringRef T, size_t Max = MaxSpan) {
  if (T.size() <= Max)
    return T.str();
  size_t N = Max - 3; // "…" is three bytes
  while (N && (static_cast<unsigned char>(T[N]) & 0xC0) == 0x80)
    --N;
  return T.take_front(N).str() + "…";
}

/// Inline code, clipped; in tables '|' is escaped so cells stay intact.
std::string code(StringRef Text, bool InTable = true) {
  std::string T = clip(Text);
  std::string R;
  for (char C : T)
    R += C == '|' && InTable ? std::string("\\|") : std::string(1, C);
  if (StringRef(R).contains('`'))
    return "`` " + R + " ``";
  return "`" + R + "`";
}

std::string loc(const ojson &Ref) {
  return clip(s(Ref["file"]), 120) + ":" +
         std::to_string(Ref["line"].get<unsigned>());
}

/// The qualified name, or the signature of an overload.
std::string label(const ojson &Ref, bool InTable = true) {
  bool UseSig = Ref["overloaded"].get<bool>() && !s(Ref["signature"]).empty();
  return code(s(UseSig ? Ref["signature"] : Ref["qualified_name"]), InTable);
}

std::string more(size_t N) {
  return "… and " + std::to_string(N) + " more (see the full report)";
}

/// Items joined by ", " after Prefix, stopping before the line passes
/// MaxListLine bytes with "… and N more".
std::string joinLine(StringRef Prefix, const std::vector<std::string> &Items) {
  std::string L = Prefix.str();
  for (size_t I = 0; I < Items.size(); ++I) {
    std::string Sep = I ? ", " : "";
    std::string Tail = more(Items.size() - I - 1);
    if (L.size() + Sep.size() + Items[I].size() + 2 + Tail.size() >
            MaxListLine &&
        I + 1 < Items.size()) {
      return L + Sep + more(Items.size() - I);
    }
    L += Sep + Items[I];
  }
  return L;
}

/// A list of rows under a heading: the first InlineRows shown, the rest
/// folded in <details>, cut with "… and N more" when the budget runs out.
struct Section {
  std::string Heading;
  std::string Intro; ///< before the rows, and again inside <details>
  std::vector<std::string> Rows;
  size_t Inline = InlineRows;
  size_t Reserved = 0; ///< bytes set aside for it (render releases them)
};

/// What a section takes at least: its heading and the cut line.
size_t minimalSize(const Section &S) {
  return S.Rows.empty() ? 0
                        : S.Heading.size() + 2 + more(S.Rows.size()).size() + 2;
}

const char *const DetailsEnd = "\n</details>\n";

/// What all of S takes, folded but not cut.
size_t fullSize(const Section &S) {
  if (S.Rows.empty())
    return 0;
  size_t N = S.Heading.size() + 2 + 2 * S.Intro.size() + 80;
  for (const std::string &R : S.Rows)
    N += R.size();
  return N;
}

/// Sets aside all S takes, up to Cap, and never less than its minimum.
void reserveFor(Bounded &B, Section &S, size_t Cap) {
  S.Reserved =
      S.Rows.empty() ? 0 : std::max(minimalSize(S), std::min(fullSize(S), Cap));
  B.reserve(S.Reserved);
}

void render(Bounded &B, const Section &S) {
  if (S.Rows.empty())
    return;
  B.release(S.Reserved);
  B.add(S.Heading + "\n\n");
  size_t N = S.Rows.size(), I = 0;
  size_t Tail = 1 + more(N).size() + 1 + strlen(DetailsEnd) + 1;
  B.reserve(Tail);
  size_t Shown = std::min(N, S.Inline);
  bool Opened = false;
  if (Shown && B.fits(S.Intro.size() + S.Rows[0].size())) {
    B.add(S.Intro);
    for (; I < Shown; ++I)
      if (!B.add(S.Rows[I]))
        break;
  }
  if (I == Shown && I < N) {
    std::string Open =
        (I ? "\n" : "") + std::string("<details><summary>") +
        (I ? std::to_string(N - I) + " more" : "show " + std::to_string(N)) +
        "</summary>\n\n" + S.Intro;
    if (B.fits(Open.size() + S.Rows[I].size())) {
      B.add(Open);
      Opened = true;
      for (; I < N; ++I)
        if (!B.add(S.Rows[I]))
          break;
    }
  }
  B.release(Tail);
  if (I < N)
    B.add((I ? "\n" : "") + more(N - I) + "\n");
  if (Opened)
    B.add(DetailsEnd);
  B.add("\n");
}

std::string hops(const ojson &D) {
  unsigned H = D["hops"].get<unsigned>();
  return std::to_string(H) + (H == 1 ? " hop" : " hops");
}

/// The detailed entry of a changed entity.
std::string changedDetail(const ojson &D, const ojson &C) {
  const ojson &E = C["entity"];
  std::string T =
      "#### " + label(E, false) + " (" + s(E["kind"]) + ", " + loc(E) + ")\n\n";
  if (C["signature_changed"].get<bool>())
    T += "- **signature changed**: " + code(s(C["old_signature"]), false) +
         " → " + code(s(C["new_signature"]), false) + "\n";
  else if (C["body_changed"].get<bool>())
    T += "- body changed\n";
  const ojson &Layers = C["blast_radius"];
  if (Layers.empty()) {
    T += "- blast radius (" + hops(D) + "): nothing calls or references it\n";
  } else {
    T += "- blast radius (" + hops(D) + "):\n";
    for (const auto &L : Layers) {
      std::vector<std::string> Names;
      for (const auto &R : L["entities"])
        Names.push_back(label(R, false));
      T +=
          joinLine("  - hop " + std::to_string(L["hop"].get<unsigned>()) + ": ",
                   Names) +
          "\n";
    }
  }
  const ojson &Tests = C["tests"];
  if (Tests.empty()) {
    T += "- tests: **none reach it**\n";
  } else {
    std::vector<std::string> Names;
    for (const auto &Tj : Tests)
      Names.push_back(label(Tj["entity"], false) + " (" + loc(Tj["entity"]) +
                      ")");
    T += joinLine("- tests: ", Names) + "\n";
  }
  return T + "\n";
}

size_t blastSize(const ojson &C) {
  size_t N = 0;
  for (const auto &L : C["blast_radius"])
    N += L["entities"].size();
  return N;
}

std::string entityRow(const ojson &R) {
  return "| " + s(R["kind"]) + " | " + label(R) + " | " + loc(R) + " |\n";
}

const char *const EntityTable = "| kind | entity | location |\n|---|---|---|\n";

std::string count(size_t N, StringRef One, StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

} // namespace

std::string testsToRunMarkdown(const ojson &D, size_t Limit) {
  // The one runnable line (diff --build-dir) ends the section; its room is
  // set aside first so that no cut of the list can lose it, and a line too
  // long for a comment is left to the full report.
  std::string Run;
  size_t Room = Limit ? Limit / 2 : std::numeric_limits<size_t>::max();
  if (D.contains("ctest")) {
    const ojson &C = D["ctest"];
    if (C["command"].is_string()) {
      std::string Cmd = C["command"].get<std::string>();
      Run = Cmd.size() <= std::min<size_t>(Room, 4000)
                ? "Run them:\n\n    " + Cmd + "\n"
                : "Run them: the `ctest` command is in the full report "
                  "(`ctest.command`).\n";
    } else {
      for (const ojson &N : C["notes"])
        Run += "CTest: " + N.get<std::string>().substr(0, 300) + "\n";
    }
    if (!Run.empty())
      Run = "\n" + Run;
    if (Run.size() > Room)
      Run.clear();
  }
  Bounded B(Limit ? Limit - Run.size() : 0);
  const ojson &Tests = D["tests_to_run"];
  if (Tests.empty()) {
    B.add("### Tests to run\n\nNo test reaches the changed entities.\n");
    return B.str();
  }
  Section S;
  S.Heading = "### Tests to run (" + std::to_string(Tests.size()) + ")";
  S.Inline = 20;
  for (const auto &T : Tests)
    S.Rows.push_back("- " +
                     (T.contains("test_name")
                          ? "`" + T["test_name"].get<std::string>() + "`"
                          : label(T, false)) +
                     " (" + loc(T) + ")\n");
  reserveFor(B, S, 0);
  render(B, S);
  return B.str() + Run;
}

void printDiffMarkdown(const ojson &D, const MarkdownOptions &O,
                       raw_ostream &OS) {
  Bounded B(O.MaxBytes);
  const ojson &S = D["summary"];
  auto N = [&](const char *K) { return S[K].get<unsigned>(); };
  B.add("## Code graph changes\n\n");
  unsigned Total = 0;
  for (auto &[K, V] : S.items())
    Total += V.get<unsigned>();
  if (!Total) {
    B.add("No entity, file or edge changed.\n");
    OS << B.str();
    return;
  }
  B.add("| | added | removed | changed |\n|---|---:|---:|---:|\n");
  B.add("| entities | " + std::to_string(N("entities_added")) + " | " +
        std::to_string(N("entities_removed")) + " | " +
        std::to_string(N("entities_changed")) + " |\n");
  B.add("| files | " + std::to_string(N("files_added")) + " | " +
        std::to_string(N("files_removed")) + " | " +
        std::to_string(N("files_changed")) + " |\n");
  B.add("| edges | " + std::to_string(N("edges_added")) + " | " +
        std::to_string(N("edges_removed")) + " | |\n\n");
  unsigned EntityChanges = N("entities_added") + N("entities_removed") +
                           N("entities_changed") + N("entities_renamed");
  if (!EntityChanges)
    B.add("No entity changed.\n\n");
  if (N("signature_changes"))
    B.add(
        "**" +
        count(N("signature_changes"), "signature change", "signature changes") +
        "**: callers may need updating.\n\n");
  if (N("entities_renamed"))
    B.add("**" + count(N("entities_renamed"), "rename", "renames") +
          "** (same definition, new name).\n\n");
  if (N("untested"))
    B.add("**" +
          count(N("untested"), "changed or added function",
                "changed or added functions") +
          " no test reaches.**\n\n");
  if (!O.ReportUrl.empty())
    B.add("Full report: " + clip(O.ReportUrl, 1000) + "\n\n");
  else if (!O.ReportFile.empty())
    B.add("Full report: " + code(O.ReportFile, false) + "\n\n");

  // The sections, each with its minimal size set aside, and the tests to
  // run, which end the comment, rendered first within their share.
  const ojson &Changed = D["entities"]["changed"];
  Section Folded;
  // The heading with the largest count: the count only shrinks.
  Folded.Heading =
      "#### " + std::to_string(Changed.size()) + " more changed entities";
  Folded.Intro = "| entity | kind | location | blast radius | tests |\n"
                 "|---|---|---|---:|---:|\n";
  Folded.Inline = 0;

  Section Untested;
  Untested.Heading = "### Not reached by any test (" +
                     std::to_string(D["untested"].size()) + ")";
  for (const auto &U : D["untested"])
    Untested.Rows.push_back("- " + label(U["entity"], false) + " (" +
                            s(U["change"]) + ", " + loc(U["entity"]) + ")\n");

  Section Renamed;
  Renamed.Heading = "### Renamed entities (" +
                    std::to_string(D["entities"]["renamed"].size()) + ")";
  Renamed.Intro =
      "| kind | old name | new name | location |\n|---|---|---|---|\n";
  for (const auto &R : D["entities"]["renamed"])
    Renamed.Rows.push_back("| " + s(R["new"]["kind"]) + " | " +
                           label(R["old"]) + " | " + label(R["new"]) + " | " +
                           loc(R["new"]) + " |\n");

  Section Added, Removed;
  Added.Heading = "### Added entities (" +
                  std::to_string(D["entities"]["added"].size()) + ")";
  Removed.Heading = "### Removed entities (" +
                    std::to_string(D["entities"]["removed"].size()) + ")";
  Added.Intro = Removed.Intro = EntityTable;
  for (const auto &R : D["entities"]["added"])
    Added.Rows.push_back(entityRow(R));
  for (const auto &R : D["entities"]["removed"])
    Removed.Rows.push_back(entityRow(R));

  Section Files;
  Files.Heading = "### Files";
  for (const char *K : {"added", "removed", "changed"})
    for (const auto &P : D["files"][K])
      Files.Rows.push_back(std::string("- ") + K + ": " + code(s(P), false) +
                           "\n");

  Section Edges;
  Edges.Heading = "### Edges";
  Edges.Intro = "| change | kind | from | to |\n|---|---|---|---|\n";
  for (const char *K : {"added", "removed"})
    for (const auto &E : D["edges"][K])
      Edges.Rows.push_back(std::string("| ") + K + " | " + s(E["kind"]) +
                           " | " + label(E["from"]) + " | " + label(E["to"]) +
                           " |\n");

  // Each later section gets all it needs up to a sixteenth of the budget
  // (what it leaves goes to the ones after it); the tests to run, which
  // end the comment, are rendered first within an eighth.
  Section *Later[] = {&Untested, &Renamed, &Added, &Removed, &Files, &Edges};
  size_t Cap =
      O.MaxBytes ? O.MaxBytes / 16 : std::numeric_limits<size_t>::max();
  for (Section *L : Later)
    reserveFor(B, *L, Cap);
  std::string Tests;
  if (EntityChanges)
    Tests = testsToRunMarkdown(D, O.MaxBytes / 8);
  B.reserve(Tests.size());

  if (!Changed.empty()) {
    std::string Heading = "### Changed entities (" +
                          std::to_string(Changed.size()) +
                          ", largest blast radius first)\n\n";
    size_t I = 0;
    for (const auto &C : Changed) {
      std::string Row =
          "| " + label(C["entity"]) + " | " + s(C["entity"]["kind"]) + " | " +
          loc(C["entity"]) + " | " + std::to_string(blastSize(C)) + " | " +
          (C["tests"].empty() ? std::string("**none**")
                              : std::to_string(C["tests"].size())) +
          " |\n";
      Folded.Rows.push_back(Row);
    }
    // The folded rest's minimum is set aside.
    size_t FoldedMin = minimalSize(Folded);
    B.reserve(FoldedMin);
    B.add(Heading);
    // Details take at most half of what is left, the table the rest.
    size_t DetailBudget = B.free() / 2, DetailBytes = 0;
    for (; I < Changed.size() && I < MaxDetailed; ++I) {
      std::string Detail = changedDetail(D, Changed[I]);
      DetailBytes += Detail.size();
      if ((I && DetailBytes > DetailBudget) || !B.add(Detail))
        break;
    }
    Folded.Rows.erase(Folded.Rows.begin(), Folded.Rows.begin() + I);
    B.release(FoldedMin);
    if (!Folded.Rows.empty()) {
      Folded.Heading = "#### " + std::to_string(Folded.Rows.size()) +
                       " more changed entities";
      reserveFor(B, Folded, 0);
      render(B, Folded);
    }
  }
  for (Section *L : Later)
    render(B, *L);
  B.release(Tests.size());
  B.add(Tests);
  OS << B.str();
}

} // namespace codeindex
