//===- Nolint.h - NOLINT comments, as clang-tidy reads them -----*- C++ -*-===//
#ifndef CONCUR_DRIVER_NOLINT_H
#define CONCUR_DRIVER_NOLINT_H

#include "llvm/ADT/StringRef.h"

namespace concur {

/// Whether a finding of CheckId on Line (1-based) of a file with this text is
/// suppressed by `// NOLINT`, `// NOLINT(check-globs)` on that line,
/// `// NOLINTNEXTLINE(...)` on the line before, or a NOLINTBEGIN/NOLINTEND
/// region around it.
bool isSuppressedByNolint(llvm::StringRef FileText, unsigned Line,
                          llvm::StringRef CheckId);

} // namespace concur

#endif
