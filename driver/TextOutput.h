//===- TextOutput.h - Findings in clang's diagnostic format -----*- C++ -*-===//
#ifndef CONCUR_DRIVER_TEXTOUTPUT_H
#define CONCUR_DRIVER_TEXTOUTPUT_H

#include "driver/ResolvedFinding.h"
#include "llvm/Support/raw_ostream.h"

namespace concur {

/// `file:line:col: warning: message [check-id]`, the source line with a
/// caret, then a `note:` for each piece of evidence, as clang prints them.
void printFinding(llvm::raw_ostream &OS, const ResolvedFinding &F, bool Colors);

} // namespace concur

#endif
