//===- CloseSummaries.h - Which functions close a channel -------*- C++ -*-===//
//
// A bottom-up summary, like the blocking one: does a call to this function
// close the channel passed as one of its parameters, or a member channel of
// the object it is called on, and through which calls. Memoised; recursion
// terminates as for blocking summaries.
//
//===----------------------------------------------------------------------===//
#ifndef CONCUR_ENGINE_CLOSESUMMARIES_H
#define CONCUR_ENGINE_CLOSESUMMARIES_H

#include "checks/engine/ApiModels.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include <optional>
#include <string>

namespace concur {

struct CloseSummary {
  bool Closes = false;
  std::optional<unsigned> Param; ///< closes the channel passed as this parameter
  std::string MemberPath;        ///< or this member: "*this.Pipeline::out_"
  /// The call in this function that closes it, and its callee: a modelled
  /// close() when Direct, otherwise a function to follow.
  const clang::CallExpr *Site = nullptr;
  const clang::FunctionDecl *Callee = nullptr;
  bool Direct = false;
};

class CloseSummaries {
public:
  CloseSummaries(clang::ASTContext &Ctx, const ModelMatcher &Models)
      : Ctx(Ctx), Models(Models) {}
  CloseSummary summaryOf(const clang::FunctionDecl *FD);

private:
  CloseSummary compute(const clang::FunctionDecl *FD);
  clang::ASTContext &Ctx;
  const ModelMatcher &Models;
  llvm::DenseMap<const clang::FunctionDecl *, CloseSummary> Summaries;
};

} // namespace concur

#endif
