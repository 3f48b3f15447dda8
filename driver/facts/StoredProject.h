//===- StoredProject.h - Link one fresh TU against a facts directory -*- C++ -*-===//
//
// The front ends that see one translation unit at a time (the LSP server's
// open buffer, the clang-tidy plugin's TU) get the project-wide findings
// about that unit from a facts directory a driver run left behind: the
// other units' facts are read from it, the unit's own fresh facts replace
// its stored ones, and the link reports what concerns the unit's own
// operations. The facts are kept in memory between links and read again
// only when their file changes on disk (a new `concur extract` run).
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_STOREDPROJECT_H
#define CONCUR_DRIVER_FACTS_STOREDPROJECT_H

#include "checks/CheckRegistry.h"
#include "driver/facts/FactsStore.h"
#include "llvm/Support/Chrono.h"
#include <map>
#include <memory>

namespace concur {

class StoredProject {
public:
  explicit StoredProject(FactsStore Store) : Store(std::move(Store)) {}

  const FactsStore &store() const { return Store; }

  /// Reads the facts files that are new or changed since the last call and
  /// forgets the removed ones. Returns the problems with files that could
  /// not be used, each naming its file (the rest are still linked).
  std::vector<std::string> refresh();

  /// The project's lock models (ProjectModels' rules text, "" for none),
  /// read again when models.json changes; Problem names an unusable file.
  const std::string &modelsText(std::string &Problem);
  /// The path of that file.
  std::string modelsPath() const;

  /// How many translation units' facts are held.
  size_t size() const { return Units.size(); }

  /// Links Fresh (a unit's facts, its MainFile set, as normalisedFacts
  /// returns them) with the stored facts of every other unit and returns
  /// the link's findings about Fresh's own calls, accesses and lock orders.
  std::vector<ResolvedFinding> linkWith(const UnitFacts &Fresh,
                                        const CheckFilter &Enabled) const;

private:
  struct Entry {
    llvm::sys::TimePoint<> Modified;
    uint64_t Size = 0;
    bool Read = false;
    std::shared_ptr<const UnitFacts> Facts; ///< null: the file is unusable
  };
  FactsStore Store;
  std::map<std::string, Entry> Units; ///< by facts file
  Entry ModelsFile;
  std::string Models;
};

/// The root the paths in a facts directory are relative to when none is
/// given: the directory's parent (the build directory, for the default
/// <build dir>/.concur).
std::string defaultSourceRoot(llvm::StringRef FactsDir);

} // namespace concur

#endif
