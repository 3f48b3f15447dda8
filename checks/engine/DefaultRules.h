//===- DefaultRules.h - Rules files compiled into concur --------*- C++ -*-===//
#ifndef CONCUR_ENGINE_DEFAULTRULES_H
#define CONCUR_ENGINE_DEFAULTRULES_H

#include "llvm/ADT/ArrayRef.h"

namespace concur {

/// A file of the source tree compiled into concur (tools/cmake/EmbedFiles.cmake).
struct EmbeddedFile {
  const char *Name; ///< "rules/std.json", as in the source tree.
  const char *Text;
};

/// The rules/*.json files of the source tree, embedded at build time.
llvm::ArrayRef<EmbeddedFile> defaultRuleFiles();

} // namespace concur

#endif
