//===- HtmlReport.cpp - The diff as one self-contained HTML page ----------===//

#include "query/HtmlReport.h"
#include "query/Dot.h"
#include "query/SvgRender.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"

#include <optional>

using namespace llvm;

namespace codeindex {

std::string escapeHtml(StringRef Text) {
  std::string R;
  R.reserve(Text.size());
  for (char C : Text) {
    switch (C) {
    case '&':
      R += "&amp;";
      break;
    case '<':
      R += "&lt;";
      break;
    case '>':
      R += "&gt;";
      break;
    case '"':
      R += "&quot;";
      break;
    case '\'':
      R += "&#39;";
      break;
    default:
      R += C;
    }
  }
  return R;
}

namespace {

// ---- reading the diff's JSON ---------------------------------------------
// The page reads the keys it knows and ignores the others, so a diff that
// grows new fields still renders.

const ojson &emptyJson() {
  static const ojson Empty = ojson::array();
  return Empty;
}

/// J[K], or an empty array when J is not an object holding K.
const ojson &at(const ojson &J, const char *K) {
  if (!J.is_object())
    return emptyJson();
  auto It = J.find(K);
  return It == J.end() ? emptyJson() : *It;
}

std::string str(const ojson &J, const char *K) {
  const ojson &V = at(J, K);
  if (V.is_string())
    return V.get<std::string>();
  return V.is_number() ? V.dump() : std::string();
}

uint64_t num(const ojson &J, const char *K) {
  const ojson &V = at(J, K);
  return V.is_number_unsigned() || V.is_number_integer() ? V.get<uint64_t>()
                                                         : 0;
}

bool flag(const ojson &J, const char *K) {
  const ojson &V = at(J, K);
  return V.is_boolean() && V.get<bool>();
}

/// The name a reviewer knows an entity by: its signature when the name is
/// overloaded, else its qualified name (as the Markdown report).
std::string label(const ojson &Ref) {
  std::string Sig = str(Ref, "signature");
  return flag(Ref, "overloaded") && !Sig.empty() ? Sig
                                                 : str(Ref, "qualified_name");
}

std::string location(const ojson &Ref) {
  std::string File = str(Ref, "file");
  uint64_t Line = num(Ref, "line");
  return Line ? File + ":" + std::to_string(Line) : File;
}

std::optional<Id> refId(const ojson &Ref) { return parseId(str(Ref, "id")); }

std::string anchor(const ojson &Ref) { return "e-" + str(Ref, "id"); }

/// A changed entity no test reaches: the diff's own "untested" verdict when
/// it gives one (it may leave out kinds that tests do not call), else no
/// tests at all.
bool untested(const ojson &Changed) {
  const ojson &V = at(Changed, "untested");
  return V.is_boolean() ? V.get<bool>() : at(Changed, "tests").empty();
}

std::string plural(uint64_t N, StringRef One, StringRef Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many).str();
}

const char *const Style = R"css(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
       Helvetica, Arial, sans-serif; color: #1f2328; background: #fff;
       max-width: 1200px; margin: 0 auto; padding: 0 1.2em 3em; }
h1 { font-size: 1.6em; border-bottom: 1px solid #d0d7de; padding: .4em 0; }
h2 { font-size: 1.3em; margin-top: 1.8em; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1em; margin: 0 0 .4em; }
h4 { font-size: .95em; margin: .6em 0 .2em; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas,
       monospace; background: #f6f8fa; padding: 0 .25em; border-radius: 4px;
       overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.entity { border: 1px solid #d0d7de; border-radius: 6px; padding: .8em 1em;
          margin: 1em 0; }
.meta { color: #59636e; font-weight: normal; font-size: .9em; }
.badge { display: inline-block; border-radius: 1em; padding: 0 .6em;
         font-size: .8em; font-weight: 600; margin-left: .3em; }
.badge.sig { background: #fff1e5; color: #953800; }
.badge.untested { background: #ffebe9; color: #a40e26; }
.badge.tested { background: #dafbe1; color: #116329; }
.warn { color: #953800; }
.cut { color: #59636e; font-style: italic; }
.cols { display: flex; flex-wrap: wrap; gap: 0 2.5em; }
.cols > div { flex: 1 1 20em; min-width: 0; }
ul.names { margin: .2em 0; padding-left: 1.2em; }
figure { margin: .8em 0 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #59636e; font-size: .85em; }
.legend span { margin-right: 1.2em; white-space: nowrap; }
.swatch { display: inline-block; width: .9em; height: .9em;
          border: 1px solid #59636e; border-radius: 2px;
          vertical-align: -.1em; margin-right: .3em; }
)css";

class Page {
public:
  Page(const ojson &D, const GraphReader &Head, raw_ostream &OS,
       const HtmlReportOptions &O)
      : D(D), HeadView(Head), OS(OS), O(O) {}

  void write();

private:
  void summary();
  void contents(const ojson &Changed);
  void changedEntity(const ojson &C, size_t Index);
  void otherChanged(const ojson &Changed);
  void picture(const ojson &Entity, size_t Index);
  void entityTable(const char *Id, const char *Title, const ojson &List);
  void renamed();
  void testsToRun();
  void files();
  void edges();
  /// A list of entity names, at most O.MaxNames, the cut said.
  void names(const ojson &Refs,
             llvm::function_ref<const ojson &(const ojson &)> RefOf = nullptr);
  void code(StringRef Text) { OS << "<code>" << escapeHtml(Text) << "</code>"; }
  void cut(size_t Shown, size_t Total, StringRef What) {
    if (Total > Shown)
      OS << "<p class=\"cut\">… and " << (Total - Shown) << " more"
         << (What.empty() ? "" : " ") << What
         << " (see the JSON report: <code>diff --format json</code>)</p>\n";
  }

  const ojson &D;
  GraphView HeadView;
  raw_ostream &OS;
  const HtmlReportOptions &O;
  DenseSet<Id> Sections; ///< changed entities with a section to link to
};

void Page::write() {
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
        "charset=\"utf-8\">\n"
     // Nothing to fetch and nothing to run: the browser is told so.
     << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
        "'none'; style-src 'unsafe-inline'\">\n"
     << "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n"
     << "<title>Code graph changes</title>\n<style>" << Style
     << "</style>\n</head>\n<body>\n<h1>Code graph changes</h1>\n";
  summary();
  const ojson &Changed = at(at(D, "entities"), "changed");
  if (!Changed.empty()) {
    for (size_t I = 0; I < Changed.size() && I < O.MaxDetailed; ++I)
      if (std::optional<Id> X = refId(at(Changed[I], "entity")))
        Sections.insert(*X);
    contents(Changed);
    OS << "<section id=\"changed\">\n<h2>Changed entities</h2>\n";
    OS << "<p class=\"legend\">Pictures: one hop around each entity in HEAD. "
          "<span><span class=\"swatch\" style=\"background:gold\"></span>the "
          "changed entity</span><span><span class=\"swatch\" "
          "style=\"background:palegreen\"></span>a test</span><span><span "
          "class=\"swatch\" style=\"background:#e5e5e5\"></span>external"
          "</span><span>solid arrows: calls; dashed: references; dotted: type "
          "uses; blue: inherits; purple: overrides</span></p>\n";
    for (size_t I = 0; I < Changed.size() && I < O.MaxDetailed; ++I)
      changedEntity(Changed[I], I);
    OS << "</section>\n";
    otherChanged(Changed);
  }
  renamed();
  testsToRun();
  entityTable("added", "Added entities", at(at(D, "entities"), "added"));
  entityTable("removed", "Removed entities", at(at(D, "entities"), "removed"));
  files();
  edges();
  OS << "</body>\n</html>\n";
}

void Page::summary() {
  static const char *const Things[] = {"entities", "files", "edges"};
  static const char *const Changes[] = {"added", "removed", "changed"};
  const ojson &S = at(D, "summary");
  uint64_t Total = 0;
  std::vector<std::pair<std::string, uint64_t>> Others;
  for (auto &[K, V] : S.items()) {
    uint64_t N = V.is_number() ? V.get<uint64_t>() : 0;
    Total += N;
    StringRef Key(K);
    bool InGrid = llvm::any_of(Things, [&](StringRef T) {
      return Key.starts_with(T.str() + "_") &&
             llvm::is_contained(Changes, Key.drop_front(T.size() + 1));
    });
    // Signature changes get a sentence of their own below.
    if (!InGrid && Key != "signature_changes")
      Others.emplace_back(K, N);
  }
  OS << "<section id=\"summary\">\n<h2>Summary</h2>\n";
  if (!Total) {
    OS << "<p>No entity, file or edge changed.</p>\n</section>\n";
    return;
  }
  OS << "<table class=\"summary\">\n<tr><th></th><th>added</th><th>removed"
        "</th><th>changed</th></tr>\n";
  for (const char *T : Things) {
    OS << "<tr><th>" << T << "</th>";
    for (const char *C : Changes) {
      std::string Key = std::string(T) + "_" + C;
      if (S.contains(Key))
        OS << "<td class=\"n\">" << num(S, Key.c_str()) << "</td>";
      else
        OS << "<td></td>";
    }
    OS << "</tr>\n";
  }
  OS << "</table>\n";
  if (!Others.empty()) {
    OS << "<table class=\"counters\">\n";
    for (auto &[K, N] : Others) {
      std::string Name = K;
      std::replace(Name.begin(), Name.end(), '_', ' ');
      OS << "<tr><th>" << escapeHtml(Name) << "</th><td class=\"n\">" << N
         << "</td></tr>\n";
    }
    OS << "</table>\n";
  }
  if (uint64_t Sig = num(S, "signature_changes"))
    OS << "<p class=\"warn\"><strong>"
       << plural(Sig, "signature change", "signature changes")
       << "</strong>: callers may need updating.</p>\n";
  const ojson &Changed = at(at(D, "entities"), "changed");
  size_t Untested = llvm::count_if(Changed, untested);
  if (Untested)
    OS << "<p class=\"warn\"><strong>" << Untested << " of "
       << plural(Changed.size(), "changed entity", "changed entities")
       << "</strong> reached by no test.</p>\n";
  OS << "</section>\n";
}

void Page::contents(const ojson &Changed) {
  OS << "<nav id=\"contents\">\n<h2>Contents</h2>\n<ol>\n";
  for (size_t I = 0; I < Changed.size() && I < O.MaxDetailed; ++I) {
    const ojson &E = at(Changed[I], "entity");
    OS << "<li><a href=\"#" << escapeHtml(anchor(E)) << "\">";
    code(label(E));
    OS << "</a> <span class=\"meta\">" << escapeHtml(str(E, "kind")) << ", "
       << escapeHtml(location(E)) << "</span>";
    if (flag(Changed[I], "signature_changed"))
      OS << "<span class=\"badge sig\">signature</span>";
    if (untested(Changed[I]))
      OS << "<span class=\"badge untested\">untested</span>";
    OS << "</li>\n";
  }
  OS << "</ol>\n";
  if (Changed.size() > O.MaxDetailed)
    OS << "<p><a href=\"#more-changed\">" << (Changed.size() - O.MaxDetailed)
       << " more changed entities</a>, in one table.</p>\n";
  OS << "</nav>\n";
}

void Page::names(const ojson &Refs,
                 function_ref<const ojson &(const ojson &)> RefOf) {
  OS << "<ul class=\"names\">\n";
  size_t Shown = 0;
  for (const ojson &Item : Refs) {
    if (Shown == O.MaxNames)
      break;
    const ojson &R = RefOf ? RefOf(Item) : Item;
    OS << "<li>";
    code(label(R));
    OS << " <span class=\"meta\">" << escapeHtml(location(R)) << "</span>";
    if (RefOf && at(Item, "depth").is_number())
      OS << " <span class=\"meta\">(" << num(Item, "depth")
         << (num(Item, "depth") == 1 ? " call" : " calls") << " away)</span>";
    OS << "</li>\n";
    ++Shown;
  }
  OS << "</ul>\n";
  cut(Shown, Refs.size(), "");
}

void Page::changedEntity(const ojson &C, size_t Index) {
  const ojson &E = at(C, "entity");
  const ojson &Tests = at(C, "tests");
  OS << "<section class=\"entity\" id=\"" << escapeHtml(anchor(E))
     << "\" data-entity=\"" << escapeHtml(str(E, "qualified_name")) << "\">\n"
     << "<h3>";
  code(label(E));
  OS << " <span class=\"meta\">" << escapeHtml(str(E, "kind")) << ", "
     << escapeHtml(location(E)) << "</span>"
     << (untested(C)     ? "<span class=\"badge untested\">no test reaches it"
                           "</span>"
         : Tests.empty() ? ""
                         : "<span class=\"badge tested\">tested"
                           "</span>")
     << "</h3>\n<ul class=\"facts\">\n";
  if (flag(C, "signature_changed")) {
    OS << "<li class=\"warn\"><strong>signature changed</strong>: ";
    code(str(C, "old_signature"));
    OS << " → ";
    code(str(C, "new_signature"));
    OS << "</li>\n";
  }
  if (flag(C, "body_changed"))
    OS << "<li>body changed</li>\n";
  OS << "</ul>\n<div class=\"cols\">\n<div class=\"callers\">\n";
  const ojson &Layers = at(C, "blast_radius");
  if (Layers.empty()) {
    OS << "<h4>Callers and referrers</h4>\n<p>Nothing calls or references "
          "it.</p>\n";
  } else {
    for (const ojson &L : Layers) {
      uint64_t Hop = num(L, "hop");
      const ojson &Ents = at(L, "entities");
      if (Hop <= 1) {
        OS << "<h4>Callers and referrers (" << Ents.size() << ")</h4>\n";
        names(Ents);
        continue;
      }
      OS << "<details>\n<summary>" << Ents.size() << " more at hop " << Hop
         << "</summary>\n";
      names(Ents);
      OS << "</details>\n";
    }
  }
  OS << "</div>\n<div class=\"tests\">\n<h4>Tests that reach it ("
     << Tests.size() << ")</h4>\n";
  if (Tests.empty())
    OS << "<p class=\"warn\">No test reaches it.</p>\n";
  else
    names(Tests,
          [](const ojson &T) -> const ojson & { return at(T, "entity"); });
  OS << "</div>\n</div>\n";
  picture(E, Index);
  OS << "</section>\n";
}

void Page::picture(const ojson &E, size_t Index) {
  if (Index >= O.MaxPictures) {
    if (Index == O.MaxPictures)
      OS << "<p class=\"cut\">Pictures are drawn for the first "
         << O.MaxPictures << " changed entities only.</p>\n";
    return;
  }
  std::optional<Id> X = refId(E);
  if (!X || !HeadView.entity(*X))
    return;
  FocusOptions F;
  F.Hops = 1;
  F.MaxNodes = O.MaxPictureNodes;
  F.Link = [&](Id N) {
    return N != *X && Sections.contains(N) ? "#e-" + formatId(N)
                                           : std::string();
  };
  std::string Dot;
  raw_string_ostream DotOS(Dot);
  PictureCut Cut = writeFocusDot(HeadView, *X, F, DotOS);
  Expected<std::string> Svg =
      renderDotAsSvg(Dot, "p" + std::to_string(Index) + "-");
  OS << "<figure>\n";
  if (Svg)
    OS << *Svg << "\n";
  else
    OS << "<p class=\"warn\">The picture could not be drawn: "
       << escapeHtml(toString(Svg.takeError())) << "</p>\n";
  OS << "<figcaption>One hop around ";
  code(label(E));
  OS << " in HEAD";
  if (!Cut.empty()) {
    std::vector<std::string> Left;
    for (const auto &[Hop, Name] : Cut.Dropped)
      Left.push_back(Name);
    OS << "; " << Cut.Dropped.size() << " of its " << (Cut.Reached - 1)
       << " neighbours left out (a picture shows at most " << Cut.Limit
       << " nodes): ";
    for (size_t I = 0; I < Left.size() && I < O.MaxNames; ++I) {
      if (I)
        OS << ", ";
      code(Left[I]);
    }
    if (Left.size() > O.MaxNames)
      OS << " and " << (Left.size() - O.MaxNames) << " more";
  }
  OS << ".</figcaption>\n</figure>\n";
}

void Page::otherChanged(const ojson &Changed) {
  if (Changed.size() <= O.MaxDetailed)
    return;
  OS << "<section id=\"more-changed\">\n<h2>More changed entities</h2>\n"
     << "<table>\n<tr><th>kind</th><th>entity</th><th>location</th>"
        "<th>callers and referrers</th><th>tests</th></tr>\n";
  size_t Shown = 0;
  for (size_t I = O.MaxDetailed; I < Changed.size() && Shown < O.MaxRows;
       ++I, ++Shown) {
    const ojson &C = Changed[I];
    const ojson &E = at(C, "entity");
    size_t Callers = 0;
    for (const ojson &L : at(C, "blast_radius"))
      Callers += at(L, "entities").size();
    OS << "<tr><td>" << escapeHtml(str(E, "kind")) << "</td><td>";
    code(label(E));
    OS << "</td><td>" << escapeHtml(location(E)) << "</td><td class=\"n\">"
       << Callers << "</td><td class=\"n\">" << at(C, "tests").size()
       << "</td></tr>\n";
  }
  OS << "</table>\n";
  cut(Shown, Changed.size() - O.MaxDetailed, "changed entities");
  OS << "</section>\n";
}

void Page::entityTable(const char *Id, const char *Title, const ojson &List) {
  if (List.empty())
    return;
  OS << "<section id=\"" << Id << "\">\n<h2>" << Title << " (" << List.size()
     << ")</h2>\n<table>\n<tr><th>kind</th><th>entity</th><th>location</th>"
        "</tr>\n";
  size_t Shown = 0;
  for (const ojson &E : List) {
    if (Shown == O.MaxRows)
      break;
    OS << "<tr><td>" << escapeHtml(str(E, "kind")) << "</td><td>";
    code(label(E));
    OS << "</td><td>" << escapeHtml(location(E)) << "</td></tr>\n";
    ++Shown;
  }
  OS << "</table>\n";
  cut(Shown, List.size(), "entities");
  OS << "</section>\n";
}

void Page::renamed() {
  const ojson &List = at(at(D, "entities"), "renamed");
  if (List.empty())
    return;
  OS << "<section id=\"renamed\">\n<h2>Renamed entities (" << List.size()
     << ")</h2>\n<table>\n<tr><th>kind</th><th>old name</th><th>new name</th>"
        "<th>location</th></tr>\n";
  size_t Shown = 0;
  for (const ojson &R : List) {
    if (Shown == O.MaxRows)
      break;
    const ojson &New = at(R, "new");
    OS << "<tr><td>" << escapeHtml(str(New, "kind")) << "</td><td>";
    code(label(at(R, "old")));
    OS << "</td><td>";
    code(label(New));
    OS << "</td><td>" << escapeHtml(location(New)) << "</td></tr>\n";
    ++Shown;
  }
  OS << "</table>\n";
  cut(Shown, List.size(), "renamed entities");
  OS << "</section>\n";
}

void Page::testsToRun() {
  const ojson &List = at(D, "tests_to_run");
  if (List.empty())
    return;
  OS << "<section id=\"tests-to-run\">\n<h2>Tests to run (" << List.size()
     << ")</h2>\n";
  names(List);
  OS << "</section>\n";
}

void Page::files() {
  const ojson &F = at(D, "files");
  size_t Total = 0;
  for (const char *K : {"added", "removed", "changed"})
    Total += at(F, K).size();
  if (!Total)
    return;
  OS << "<section id=\"files\">\n<h2>Files (" << Total << ")</h2>\n";
  for (const char *K : {"added", "removed", "changed"}) {
    const ojson &L = at(F, K);
    if (L.empty())
      continue;
    OS << "<h4>" << K << " (" << L.size() << ")</h4>\n<ul class=\"names\">\n";
    size_t Shown = 0;
    for (const ojson &P : L) {
      if (Shown == O.MaxRows)
        break;
      OS << "<li>";
      code(P.is_string() ? P.get<std::string>() : P.dump());
      OS << "</li>\n";
      ++Shown;
    }
    OS << "</ul>\n";
    cut(Shown, L.size(), "files");
  }
  OS << "</section>\n";
}

void Page::edges() {
  const ojson &E = at(D, "edges");
  size_t Total = at(E, "added").size() + at(E, "removed").size();
  if (!Total)
    return;
  OS << "<section id=\"edges\">\n<h2>Edges (" << Total << ")</h2>\n<table>\n"
     << "<tr><th>change</th><th>kind</th><th>from</th><th>to</th></tr>\n";
  size_t Shown = 0;
  for (const char *K : {"added", "removed"})
    for (const ojson &Edge : at(E, K)) {
      if (Shown == O.MaxRows)
        break;
      OS << "<tr><td>" << K << "</td><td>" << escapeHtml(str(Edge, "kind"))
         << "</td><td>";
      code(label(at(Edge, "from")));
      OS << "</td><td>";
      code(label(at(Edge, "to")));
      OS << "</td></tr>\n";
      ++Shown;
    }
  OS << "</table>\n";
  cut(Shown, Total, "edges");
  OS << "</section>\n";
}

} // namespace

void writeDiffHtml(const ojson &D, const GraphReader &Head, raw_ostream &OS,
                   const HtmlReportOptions &O) {
  Page(D, Head, OS, O).write();
}

} // namespace codeindex
