//===- Nolint.h - NOLINT comments, as clang-tidy reads them -----*- C++ -*-===//
#ifndef CONCUR_DRIVER_NOLINT_H
#define CONCUR_DRIVER_NOLINT_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <vector>

namespace concur {

/// Whether a finding of CheckId on Line (1-based) of a file with this text is
/// suppressed by `// NOLINT`, `// NOLINT(check-globs)` on that line,
/// `// NOLINTNEXTLINE(...)` on the line before, or a NOLINTBEGIN/NOLINTEND
/// region around it.
bool isSuppressedByNolint(llvm::StringRef FileText, unsigned Line,
                          llvm::StringRef CheckId);

/// The same for many findings in one file: the text is split into lines
/// once, and the NOLINTBEGIN/END regions are counted once per check, so a
/// file's findings cost time linear in their number and the file's size.
class NolintIndex {
public:
  explicit NolintIndex(llvm::StringRef FileText);
  bool suppresses(unsigned Line, llvm::StringRef CheckId);

private:
  bool HasMarker;
  std::vector<llvm::StringRef> Lines;
  /// Per check: how many regions covering it are open before each line.
  llvm::StringMap<std::vector<unsigned>> OpenBefore;
};

} // namespace concur

#endif
