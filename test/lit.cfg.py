# lit configuration for concur's tests.
import os
import shutil
import sys

import lit.formats

config.name = "concur"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".cpp", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.concur_obj_root, "test")

# Tests must not depend on the developer's environment.
config.environment["LC_ALL"] = "C"
config.environment.pop("CONCUR_RULES", None)
# count, not and FileCheck from LLVM 22 come first.
config.environment["PATH"] = os.pathsep.join(
    [config.llvm_tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])

tools = os.path.join(config.concur_src_root, "tools", "testing")
python = sys.executable
std_flags = "-std=c++20"

config.substitutions.append(("%concur_plugin", config.concur_plugin))
config.substitutions.append(("%concur", config.concur_bin))
config.substitutions.append(("%clang_tidy", config.clang_tidy))
config.substitutions.append(("%clangxx", config.clangxx))
config.substitutions.append(("%python", python))
config.substitutions.append(("%std", std_flags))
config.substitutions.append(("%tools", tools))
config.substitutions.append(("%src_root", config.concur_src_root))
config.substitutions.append(("%obj_root", config.concur_obj_root))
# This build made the plugin the tests load (a sanitizer build takes a
# normal build's): installing this build installs it too.
if os.path.dirname(os.path.dirname(config.concur_plugin)) == config.concur_obj_root:
    config.available_features.add("plugin-in-build")
# Runs one file through the driver and through clang-tidy with the plugin and
# fails unless both report the same warnings and notes.
config.substitutions.append(
    ("%frontends_agree",
     "%s %s --concur %s --clang-tidy %s --plugin %s"
     % (python, os.path.join(tools, "compare_frontends.py"), config.concur_bin,
        config.clang_tidy, config.concur_plugin)))
config.substitutions.append(("%sarif_schema", config.sarif_schema))
config.substitutions.append(
    ("%expect_exit", "%s %s" % (python, os.path.join(tools, "expect_exit.py"))))
config.substitutions.append(("FileCheck", config.filecheck))

if os.path.exists(config.sarif_schema):
    config.available_features.add("sarif-schema")
else:
    lit_config.note("SARIF schema not found at %s: schema tests are unsupported"
                    % config.sarif_schema)
try:
    import jsonschema  # noqa: F401
    config.available_features.add("jsonschema")
except ImportError:
    lit_config.note("python3-jsonschema is not installed: schema tests are unsupported")
# Microsoft's SARIF multitool, installed by tools/install-sarif-multitool.sh
# (or named by $SARIF_MULTITOOL).
multitool = os.environ.get("SARIF_MULTITOOL") or os.path.join(
    config.concur_obj_root, "npm", "node_modules", "@microsoft",
    "sarif-multitool-linux", "Sarif.Multitool")
if os.access(multitool, os.X_OK):
    config.available_features.add("sarif-multitool")
    config.substitutions.append(
        ("%multitool_validate", "%s %s %s" % (
            python, os.path.join(tools, "multitool_validate.py"), multitool)))
else:
    lit_config.note("the SARIF multitool is not installed (run "
                    "tools/install-sarif-multitool.sh): its tests are unsupported")
try:
    import yaml  # noqa: F401
    config.available_features.add("pyyaml")
except ImportError:
    lit_config.note("python3-yaml is not installed: the CI template test is unsupported")
if shutil.which("nvim"):
    config.available_features.add("neovim")
else:
    lit_config.note("neovim is not installed: the editor test of concur --lsp is unsupported")
# The Emacs clients' end-to-end tests: Debian's emacs-nox, elpa-eglot and
# elpa-lsp-mode.
if shutil.which("emacs"):
    elpa = "/usr/share/emacs/site-lisp/elpa"
    for client in ("eglot", "lsp-mode"):
        if os.path.isdir(elpa) and any(d.startswith(client + "-")
                                       for d in os.listdir(elpa)):
            config.available_features.add("emacs-" + client)
        else:
            lit_config.note("elpa-%s is not installed: its Emacs test is unsupported" % client)
else:
    lit_config.note("emacs is not installed: the Emacs tests of concur --lsp are unsupported")
if shutil.which("git"):
    config.available_features.add("git")
if shutil.which("pre-commit"):
    config.available_features.add("pre-commit")
else:
    lit_config.note("pre-commit is not installed: the test of concur's pre-commit hook is unsupported")
if config.clang_tidy and os.path.exists(config.clang_tidy):
    config.available_features.add("clang-tidy")
