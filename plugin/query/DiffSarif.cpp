//===- DiffSarif.cpp - The diff as SARIF for code scanning ----------------===//

#include "query/DiffSarif.h"

#include "llvm/ADT/StringExtras.h"

using namespace llvm;

namespace codeindex {

namespace {

const char *const RuleId = "untested-change";

/// A path as a URI reference: relative paths stay relative (resolved
/// against %SRCROOT%, the project root), absolute ones become file: URIs;
/// characters outside RFC 3986's unreserved set and '/' are escaped.
std::string uriOf(StringRef Path) {
  std::string U = Path.starts_with("/") ? "file://" : "";
  for (unsigned char C : Path) {
    if (isAlnum(C) || StringRef("-._~/").contains(C))
      U += C;
    else
      U += "%" + utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
  }
  return U;
}

ojson rule() {
  ojson R;
  R["id"] = RuleId;
  R["name"] = "UntestedChange";
  R["shortDescription"]["text"] = "Changed code that no test reaches";
  R["fullDescription"]["text"] =
      "A function or method that this change adds or modifies, and that no "
      "test case reaches through calls in the code graph of the head "
      "revision.";
  R["help"]["text"] =
      "Add or extend a test that calls this function (directly or through "
      "its callers), or confirm that it is covered some other way.";
  R["defaultConfiguration"]["level"] = "warning";
  return R;
}

std::string message(const ojson &U) {
  const ojson &E = U["entity"];
  std::string Name = E["qualified_name"].get<std::string>();
  if (E["overloaded"].get<bool>() && !E["signature"].get<std::string>().empty())
    Name = E["signature"].get<std::string>();
  std::string Change = U["change"].get<std::string>();
  std::string What = Change == "added"       ? "was added"
                     : Change == "signature" ? "changed signature"
                                             : "changed";
  return E["kind"].get<std::string>() + " '" + Name + "' " + What +
         " and no test reaches it.";
}

} // namespace

ojson diffSarif(const ojson &D, const std::string &ToolVersion) {
  ojson Driver;
  Driver["name"] = "code-indexer";
  if (!ToolVersion.empty())
    Driver["version"] = ToolVersion;
  Driver["rules"] = ojson::array({rule()});
  ojson Results = ojson::array();
  for (const auto &U : D["untested"]) {
    const ojson &E = U["entity"];
    ojson Loc;
    auto &Phys = Loc["physicalLocation"];
    std::string File = E["file"].get<std::string>();
    Phys["artifactLocation"]["uri"] = uriOf(File);
    if (!StringRef(File).starts_with("/"))
      Phys["artifactLocation"]["uriBaseId"] = "%SRCROOT%";
    Phys["region"]["startLine"] = std::max(1u, E["line"].get<unsigned>());
    ojson R;
    R["ruleId"] = RuleId;
    R["ruleIndex"] = 0;
    R["level"] = "warning";
    R["message"]["text"] = message(U);
    R["locations"] = ojson::array({Loc});
    R["partialFingerprints"]["codeIndexEntity/v1"] = E["id"];
    Results.push_back(R);
  }
  ojson Run;
  Run["tool"]["driver"] = Driver;
  Run["columnKind"] = "unicodeCodePoints";
  Run["results"] = Results;
  ojson Log;
  Log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  Log["version"] = "2.1.0";
  Log["runs"] = ojson::array({Run});
  return Log;
}

} // namespace codeindex
