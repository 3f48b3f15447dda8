//===- PathRenames.h - Files renamed since a baseline -----------*- C++ -*-===//
//
// A baseline is matched by fingerprints that include each file's path, so a
// file renamed by a change would make its old findings look new. The gate
// hands the base revision's analysis the renames git detects (old path, new
// path, relative to the source root), and the base's fingerprints are
// computed under the new names.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_PATHRENAMES_H
#define CONCUR_DRIVER_PATHRENAMES_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <string>

namespace concur {

/// Old path -> new path, both relative to the source root.
using PathRenames = llvm::StringMap<std::string>;

/// Reads a renames file: one "OLD<tab>NEW" per line; blank lines and lines
/// starting with '#' are skipped. Errors name the file and line: a line
/// without exactly two non-empty fields, an absolute path, an OLD given
/// twice.
llvm::Expected<PathRenames> readPathRenames(llvm::StringRef Path);
llvm::Expected<PathRenames> parsePathRenames(llvm::StringRef Name,
                                             llvm::StringRef Text);

} // namespace concur

#endif
