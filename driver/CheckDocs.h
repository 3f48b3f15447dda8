//===- CheckDocs.h - The checks' documentation pages, compiled in -*- C++ -*-===//
//
// docs/checks/*.md are embedded at build time so that SARIF rules carry the
// essentials of each page as help.markdown (code scanning shows it beside
// every alert) without a second copy of the text to keep in step.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_DRIVER_CHECKDOCS_H
#define CONCUR_DRIVER_CHECKDOCS_H

#include "checks/CheckRegistry.h"
#include "checks/engine/DefaultRules.h"
#include <string>

namespace concur {

/// docs/checks/*.md, named "checks/<page>.md" as CheckInfo::DocPage is.
llvm::ArrayRef<EmbeddedFile> checkDocPages();

/// The page's summary, "What it finds" and "How to fix it" sections with
/// links made absolute, and a link to the whole page; empty when the check
/// has no page.
std::string checkHelpMarkdown(const CheckInfo &C);

} // namespace concur

#endif
