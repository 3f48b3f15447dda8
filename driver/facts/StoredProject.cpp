//===- StoredProject.cpp --------------------------------------------------===//

#include "driver/facts/StoredProject.h"
#include "driver/facts/ProjectLink.h"
#include "driver/facts/ProjectModels.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <set>

namespace concur {

std::string defaultSourceRoot(llvm::StringRef FactsDir) {
  return llvm::sys::path::parent_path(FactsDir).str();
}

std::vector<std::string> StoredProject::refresh() {
  std::vector<std::string> Problems;
  std::set<std::string> Present;
  for (const std::string &Path : Store.allFiles()) {
    llvm::sys::fs::file_status Status;
    if (llvm::sys::fs::status(Path, Status))
      continue; // removed since the listing
    Present.insert(Path);
    Entry &E = Units[Path];
    if (E.Read && E.Modified == Status.getLastModificationTime() &&
        E.Size == Status.getSize())
      continue; // as last read (an unusable one was reported then)
    E.Read = true;
    E.Modified = Status.getLastModificationTime();
    E.Size = Status.getSize();
    std::string Problem;
    std::optional<UnitFacts> U = Store.load(Path, Problem);
    if (U) {
      E.Facts = std::make_shared<const UnitFacts>(std::move(*U));
    } else {
      E.Facts.reset();
      if (!Problem.empty())
        Problems.push_back("'" + Path + "': " + Problem);
    }
  }
  for (auto It = Units.begin(); It != Units.end();)
    It = Present.count(It->first) ? std::next(It) : Units.erase(It);
  return Problems;
}

std::string StoredProject::modelsPath() const {
  return ProjectModels::pathIn(Store.dir());
}

const std::string &StoredProject::modelsText(std::string &Problem) {
  std::string Path = modelsPath();
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status)) {
    ModelsFile = Entry();
    Models.clear();
    return Models;
  }
  if (ModelsFile.Read && ModelsFile.Modified == Status.getLastModificationTime() &&
      ModelsFile.Size == Status.getSize())
    return Models;
  ModelsFile.Read = true;
  ModelsFile.Modified = Status.getLastModificationTime();
  ModelsFile.Size = Status.getSize();
  auto Read = ProjectModels::read(Path);
  if (!Read) {
    Problem = llvm::toString(Read.takeError());
    Models.clear();
  } else {
    Models = Read->rulesText();
  }
  return Models;
}

std::vector<ResolvedFinding> StoredProject::linkWith(const UnitFacts &Fresh,
                                                     const CheckFilter &Enabled) const {
  std::vector<LinkInput> In;
  In.push_back({&Fresh, true});
  for (const auto &[Path, E] : Units)
    if (E.Facts && E.Facts->MainFile != Fresh.MainFile)
      In.push_back({E.Facts.get(), false});
  // As the driver orders them: the first definition of a USR in path order
  // wins, the same one whichever front end links.
  std::stable_sort(In.begin(), In.end(), [](const LinkInput &A, const LinkInput &B) {
    return A.Facts->MainFile < B.Facts->MainFile;
  });
  return linkProject(In, Enabled);
}

} // namespace concur
