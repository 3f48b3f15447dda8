//===- OutputFile.cpp -----------------------------------------------------===//

#include "driver/OutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace concur {

std::string dumpJson(const nlohmann::ordered_json &J) {
  return J.dump(2, ' ', /*ensure_ascii=*/false,
                nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

llvm::Error writeOutput(llvm::StringRef Path, llvm::StringRef Text) {
  auto Fail = [&](std::error_code EC) {
    return llvm::createStringError(EC, "cannot write '%s': %s",
                                   Path.str().c_str(), EC.message().c_str());
  };
  if (Path == "-") {
    llvm::raw_fd_ostream &OS = llvm::outs();
    OS << Text;
    OS.flush();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      return Fail(EC);
    }
    return llvm::Error::success();
  }
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return Fail(EC);
  OS << Text;
  OS.close();
  if (OS.has_error()) {
    EC = OS.error();
    OS.clear_error(); // reported here, not by the destructor's fatal error
    return Fail(EC);
  }
  return llvm::Error::success();
}

} // namespace concur
