//===- ProjectModels.h - Lock models inferred across files ------*- C++ -*-===//
//
// A lock wrapper whose bodies live in one .cc file (RocksDB's port::Mutex in
// port_posix.cc) can be inferred only by that translation unit; every other
// one sees its declarations. Each TU's facts hold the models it inferred from
// such bodies and the lock-like types it depends on; the driver unites the
// models of all units into the facts directory's models.json, a rules file,
// which every TU then reads under its own rules (a rule of the same name
// wins). A unit whose dependencies' models changed since it was extracted is
// extracted again, so a wrapper of another file's wrapper is found in a few
// rounds, and later runs start from the united models.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_FACTS_PROJECTMODELS_H
#define CONCUR_DRIVER_FACTS_PROJECTMODELS_H

#include "driver/facts/UnitFacts.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <string>
#include <vector>

namespace concur {

class ProjectModels {
public:
  /// The file of a facts directory that holds them.
  static std::string pathIn(llvm::StringRef FactsDir);

  /// The models of Units, the model of a type of the unit first in path
  /// order winning (in any order given: the same in every run and link). A
  /// model that does not read as a rules entry is left out and named in
  /// Problems.
  static ProjectModels unite(llvm::ArrayRef<const UnitFacts *> Units,
                             std::vector<std::string> &Problems);
  /// Reads a file written by write(). A missing file is no models; one that
  /// is not such a file is an error naming it.
  static llvm::Expected<ProjectModels> read(llvm::StringRef Path);
  /// Writes the rules file atomically (a temporary file, then a rename).
  llvm::Error write(llvm::StringRef Path) const;

  /// The models as a rules file (docs/rules-format.md); "" when there are none.
  std::string rulesText() const;
  /// What facts that depend on Types were extracted with: a hash of those
  /// types' models (or of their absence).
  uint64_t hashFor(llvm::ArrayRef<std::string> Types) const;
  /// Whether U was extracted with the models it would get now.
  bool isCurrentFor(const UnitFacts &U) const {
    return U.ModelsHash == hashFor(U.ModelDependencies);
  }

  bool empty() const { return ByType.empty(); }
  size_t size() const { return ByType.size(); }
  bool operator==(const ProjectModels &O) const { return ByType == O.ByType; }
  bool operator!=(const ProjectModels &O) const { return !(*this == O); }

private:
  std::map<std::string, std::string> ByType; ///< type -> its rules entry
};

} // namespace concur

#endif
