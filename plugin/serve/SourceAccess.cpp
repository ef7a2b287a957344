//===- SourceAccess.cpp - Source snippets from under the root -------------===//

#include "serve/SourceAccess.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace codeindex {

namespace {

/// Whether Path (real) is Root (real) or below it.
bool inside(StringRef Path, StringRef Root) {
  if (!Path.starts_with(Root))
    return false;
  return Path.size() == Root.size() ||
         sys::path::is_separator(Path[Root.size()]);
}

ApiError unavailable(std::string Message) {
  return ApiError{503, "index_unavailable", std::move(Message), std::nullopt,
                  nullptr};
}

} // namespace

std::variant<ojson, ApiError> readSnippet(StringRef Root, StringRef File,
                                          unsigned Line,
                                          std::optional<unsigned> End) {
  if (Root.empty())
    return unavailable("the index records no project root to read sources "
                       "from");
  if (File.empty())
    return badRequest("source needs file=PATH (root-relative)");
  if (File.contains('\0'))
    return badRequest("the file name holds a NUL character");
  for (StringRef Part = File; !Part.empty();) {
    auto [Head, Tail] = Part.split('/');
    if (Head == "..")
      return forbidden("'" + File.str() +
                       "': paths with a '..' component are refused");
    Part = Tail;
  }
  if (Line == 0)
    return badRequest("line counts from 1");
  unsigned Last = End ? *End : Line + 99;
  if (Last < Line)
    return badRequest("end (" + std::to_string(Last) + ") is before line (" +
                      std::to_string(Line) + ")");
  if (Last - Line + 1 > MaxSnippetLines)
    return badRequest("at most " + std::to_string(MaxSnippetLines) +
                      " lines per request");

  SmallString<256> RealRoot;
  if (sys::fs::real_path(Root, RealRoot))
    return unavailable("the project root '" + Root.str() + "' cannot be read");
  SmallString<256> Full;
  std::string Rel;
  if (sys::path::is_absolute(File)) {
    // Lexically inside the root (as given, or as resolved), else refused
    // before the file system is asked anything.
    if (!inside(File, Root) && !inside(File, RealRoot))
      return forbidden("'" + File.str() + "' is outside the indexed root");
    Full = File;
  } else {
    Full = Root;
    sys::path::append(Full, File);
  }
  SmallString<256> RealFull;
  if (sys::fs::real_path(Full, RealFull))
    return notFound("not_found",
                    "no file '" + File.str() + "' under the indexed root");
  if (!inside(RealFull, RealRoot))
    return forbidden("'" + File.str() +
                     "' leaves the indexed root (a symbolic link)");
  Rel = RealFull.size() > RealRoot.size()
            ? StringRef(RealFull).drop_front(RealRoot.size() + 1).str()
            : std::string();
  sys::fs::file_status St;
  if (sys::fs::status(RealFull, St) || !sys::fs::is_regular_file(St))
    return badRequest("'" + File.str() + "' is not a regular file");
  if (St.getSize() > MaxSourceFileBytes)
    return badRequest("'" + File.str() + "' is larger than " +
                      std::to_string(MaxSourceFileBytes >> 20) + " MB");
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(
      RealFull, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return notFound("not_found", "'" + File.str() + "' cannot be read: " +
                                     Buf.getError().message());
  std::string Text;
  unsigned N = 0;
  StringRef Rest = (*Buf)->getBuffer();
  while (!Rest.empty()) {
    auto [L, Tail] = Rest.split('\n');
    ++N;
    if (N >= Line && N <= Last) {
      Text += L.rtrim('\r');
      Text += '\n';
    }
    Rest = Tail;
  }
  if (Line > N && !(N == 0 && Line == 1))
    return badRequest("line " + std::to_string(Line) + " is past the end of '" +
                      File.str() + "' (" + std::to_string(N) + " lines)");
  ojson J;
  J["file"] = Rel;
  J["line"] = Line;
  J["end"] = std::min(Last, N);
  J["lines_in_file"] = N;
  J["text"] = Text;
  return J;
}

} // namespace codeindex
