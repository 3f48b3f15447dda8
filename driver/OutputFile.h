//===- OutputFile.h - Writing what concur produces --------------*- C++ -*-===//
//
// SARIF and merged logs: serialised with invalid UTF-8 replaced (a Latin-1
// comment in a snippet, a file name, an argument must not end the run), and
// written with every I/O error reported (a full disk is an error, not a
// finding).
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_OUTPUTFILE_H
#define CONCUR_DRIVER_OUTPUTFILE_H

#include "llvm/Support/Error.h"
#include <nlohmann/json.hpp>
#include <string>

namespace concur {

/// Indented JSON and a final newline; invalid UTF-8 becomes U+FFFD.
std::string dumpJson(const nlohmann::ordered_json &J);

/// Writes Text to Path ("-": stdout); fails on any error, including one
/// that only shows when the file is closed.
llvm::Error writeOutput(llvm::StringRef Path, llvm::StringRef Text);

} // namespace concur

#endif
