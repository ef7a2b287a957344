//===- HtmlReportTest.cpp - The HTML diff report and its pictures ---------===//

#include "QueryTestUtil.h"

#include "query/Diff.h"
#include "query/GraphIndex.h"
#include "query/HtmlReport.h"
#include "query/SvgRender.h"

#include "llvm/Support/raw_ostream.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace codeindex {
namespace {

using namespace test;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string html(const ojson &D, const GraphIndex &Head,
                 const HtmlReportOptions &O = {}) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  writeDiffHtml(D, Head, OS, O);
  return S;
}

size_t count(const std::string &S, const std::string &What) {
  size_t N = 0;
  for (size_t P = S.find(What); P != std::string::npos;
       P = S.find(What, P + What.size()))
    ++N;
  return N;
}

TEST(HtmlReportTest, EscapesTextAndAttributes) {
  EXPECT_EQ(escapeHtml("operator<"), "operator&lt;");
  EXPECT_EQ(escapeHtml("a&b \"c\" 'd' >"),
            "a&amp;b &quot;c&quot; &#39;d&#39; &gt;");
  EXPECT_EQ(escapeHtml("plain::name"), "plain::name");
}

TEST(SvgRenderTest, RendersAnSvgElementWithPrefixedIds) {
  llvm::Expected<std::string> Svg = renderDotAsSvg(
      "digraph \"a<b\" { n1 [label=\"x<&\\\"y\"]; n1 -> n2; }", "p7-");
  ASSERT_TRUE(bool(Svg)) << llvm::toString(Svg.takeError());
  EXPECT_THAT(*Svg, StartsWith("<svg "));
  EXPECT_THAT(*Svg, Not(HasSubstr("<?xml")));
  EXPECT_THAT(*Svg, Not(HasSubstr("<!--")));
  EXPECT_THAT(*Svg, HasSubstr(">x&lt;&amp;&quot;y</text>"));
  EXPECT_THAT(*Svg, HasSubstr("<g id=\"p7-graph0\""));
  EXPECT_THAT(*Svg, HasSubstr("<g id=\"p7-node1\""));
  EXPECT_THAT(*Svg, Not(HasSubstr(" id=\"node")));
  EXPECT_EQ(Svg->substr(Svg->size() - 6), "</svg>");
}

TEST(SvgRenderTest, BadDotIsAnErrorWithGraphvizsMessage) {
  llvm::Expected<std::string> Svg = renderDotAsSvg("digraph { a -> ; }");
  ASSERT_FALSE(bool(Svg));
  std::string Msg = llvm::toString(Svg.takeError());
  EXPECT_THAT(Msg, HasSubstr("Graphviz: cannot read the DOT text"));
  EXPECT_THAT(Msg, HasSubstr("syntax error in line 1"));
  // Rendering still works after a failure.
  llvm::Expected<std::string> Good = renderDotAsSvg("digraph { a -> b; }");
  ASSERT_TRUE(bool(Good)) << llvm::toString(Good.takeError());
  EXPECT_THAT(*Good, StartsWith("<svg "));
}

TEST(HtmlReportTest, OnePicturePerChangedEntityWithinTheLimit) {
  Graph Base = shapes();
  Graph Head = shapes();
  for (Entity &E : Head.Entities)
    if (E.ID == TotalArea || E.ID == ParseTerm)
      E.Hash = 0x999;
  GraphIndex B(std::move(Base)), H(std::move(Head));
  ojson D = diffGraphs(B, H, 2);
  ASSERT_EQ(D["entities"]["changed"].size(), 2u);

  std::string All = html(D, H);
  EXPECT_EQ(count(All, "<section class=\"entity\""), 2u);
  EXPECT_EQ(count(All, "<svg "), 2u);
  EXPECT_THAT(All, HasSubstr("<g id=\"p0-graph0\""));
  EXPECT_THAT(All, HasSubstr("<g id=\"p1-graph0\""));

  HtmlReportOptions One;
  One.MaxPictures = 1;
  std::string Bounded = html(D, H, One);
  EXPECT_EQ(count(Bounded, "<section class=\"entity\""), 2u);
  EXPECT_EQ(count(Bounded, "<svg "), 1u);
  EXPECT_THAT(Bounded, HasSubstr("Pictures are drawn for the first 1 "
                                 "changed entities only."));

  HtmlReportOptions NoDetail;
  NoDetail.MaxDetailed = 0;
  std::string Table = html(D, H, NoDetail);
  EXPECT_EQ(count(Table, "<section class=\"entity\""), 0u);
  EXPECT_THAT(Table, HasSubstr("<section id=\"more-changed\">"));
  EXPECT_THAT(Table, HasSubstr("<code>geo::totalArea</code>"));
}

// The page reads the keys it knows and tolerates the others, so a diff
// whose JSON grows (or lacks) fields still renders.
TEST(HtmlReportTest, ToleratesUnknownAndMissingFields) {
  GraphIndex H(shapes());
  ojson D = ojson::parse(R"({
    "summary": {"entities_changed": 1, "renames": 2},
    "entities": {"changed": [
      {"entity": {"id": "00000000000000ff", "kind": "function",
                  "qualified_name": "gone<T>", "file": "a.cpp", "line": 3},
       "new_field": [1, 2, 3]}]},
    "something_new": {"x": 1}
  })");
  std::string Page = html(D, H);
  EXPECT_THAT(Page, HasSubstr("<tr><th>renames</th><td class=\"n\">2</td>"));
  EXPECT_THAT(Page, HasSubstr("data-entity=\"gone&lt;T&gt;\""));
  EXPECT_THAT(Page, HasSubstr("<p>Nothing calls or references it.</p>"));
  // Not in HEAD: no picture, and no failure.
  EXPECT_EQ(count(Page, "<svg "), 0u);
  EXPECT_THAT(Page, HasSubstr("</html>\n"));
}

// Fields a richer diff gives (renames, the tests to run, its own verdict
// on what is untested) are shown when present.
TEST(HtmlReportTest, RendersRenamesTestsToRunAndTheUntestedVerdict) {
  GraphIndex H(shapes());
  ojson D = ojson::parse(R"({
    "summary": {"entities_changed": 1, "entities_renamed": 1},
    "entities": {
      "changed": [{"entity": {"id": "00000000000000fe", "kind": "class",
                              "qualified_name": "Point", "file": "p.h",
                              "line": 1},
                   "untested": false, "tests": []}],
      "renamed": [{"old": {"kind": "function", "qualified_name": "oldName",
                           "file": "a.cpp", "line": 1},
                   "new": {"kind": "function", "qualified_name": "newName",
                           "file": "a.cpp", "line": 1}}]},
    "tests_to_run": [{"kind": "function", "qualified_name": "Suite.Case",
                      "file": "t.cpp", "line": 4}]
  })");
  std::string Page = html(D, H);
  EXPECT_THAT(Page, HasSubstr("<tr><th>entities renamed</th><td "
                              "class=\"n\">1</td></tr>"));
  EXPECT_THAT(Page, HasSubstr("<tr><td>function</td><td><code>oldName</code>"
                              "</td><td><code>newName</code></td><td>a.cpp:1"
                              "</td></tr>"));
  EXPECT_THAT(Page, HasSubstr("<h2>Tests to run (1)</h2>"));
  EXPECT_THAT(Page, HasSubstr("<li><code>Suite.Case</code> <span "
                              "class=\"meta\">t.cpp:4</span></li>"));
  // The diff says a class without tests is not "untested".
  EXPECT_THAT(Page, Not(HasSubstr("<span class=\"badge untested\">")));
  EXPECT_THAT(Page, Not(HasSubstr("reached by no test")));
}

} // namespace
} // namespace codeindex
