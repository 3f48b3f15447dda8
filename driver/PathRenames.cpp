//===- PathRenames.cpp ----------------------------------------------------===//

#include "driver/PathRenames.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace concur {

/// "./a//b" -> "a/b": the form relativeToRoot gives.
static std::string normalised(llvm::StringRef P) {
  llvm::SmallString<128> S(P);
  llvm::sys::path::remove_dots(S, /*remove_dot_dot=*/true,
                               llvm::sys::path::Style::posix);
  return std::string(S);
}

llvm::Expected<PathRenames> parsePathRenames(llvm::StringRef Name,
                                             llvm::StringRef Text) {
  PathRenames Renames;
  unsigned LineNo = 0;
  auto Fail = [&](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   Name + ":" + llvm::Twine(LineNo) + ": " + Why);
  };
  while (!Text.empty()) {
    llvm::StringRef Line;
    std::tie(Line, Text) = Text.split('\n');
    ++LineNo;
    Line = Line.rtrim("\r");
    if (Line.trim().empty() || Line.starts_with("#"))
      continue;
    llvm::SmallVector<llvm::StringRef, 3> Fields;
    Line.split(Fields, '\t');
    if (Fields.size() != 2 || Fields[0].empty() || Fields[1].empty())
      return Fail("expected 'OLD<tab>NEW', two paths separated by one tab");
    for (llvm::StringRef F : Fields)
      if (llvm::sys::path::is_absolute(F, llvm::sys::path::Style::posix))
        return Fail("'" + F + "' is absolute; paths are relative to the source root");
    auto [It, New] = Renames.try_emplace(normalised(Fields[0]), normalised(Fields[1]));
    if (!New)
      return Fail("'" + Fields[0] + "' is renamed twice");
  }
  return Renames;
}

llvm::Expected<PathRenames> readPathRenames(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buffer)
    return llvm::createStringError(Buffer.getError(),
                                   "cannot read '" + Path + "': " +
                                       Buffer.getError().message());
  return parsePathRenames(Path, (*Buffer)->getBuffer());
}

} // namespace concur
