#!/usr/bin/env python3
"""The one-way house (issue 10): modules in one order, no include from a later module into an
earlier one, and no module including another module's private header.

Order: util → catalog → model → dsl → ir → sema → graph → eval → explain → engine → io → api →
registry / import / report → portal → cli → bindings (registry, import and report are peers:
none includes another; the portal stands on the registry and the report).

A file's module is its directory: include/actionable/<m>/…, include/actionable/detail/<m>/…,
src/<m>/…; the top-level headers engine.hpp and outcome.hpp are the engine's, diagnostics.hpp and
source.hpp util's, actionable.hpp (the umbrella) is `api`. A header under src/<m>/ is private to
<m> (src/util is shared by all). Quoted includes are resolved against the including file's
directory, then include/, then src/ (as the build does). Exit 1 and one line per violation.

Usage: include_order.py SOURCE_DIR [--self-test]
"""
import os
import re
import sys

ORDER = ["util", "catalog", "model", "dsl", "ir", "sema", "graph", "eval", "explain", "engine",
         "io", "api", "registry", "import", "report", "portal", "cli", "bindings"]
PEERS = {"registry", "import", "report"}
RANK = {m: i for i, m in enumerate(ORDER)}
TOP = {"engine.hpp": "engine", "outcome.hpp": "engine", "trace.hpp": "engine", "diagnostics.hpp": "util",
       "source.hpp": "util", "actionable.hpp": "api"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def module_of(rel):
    """(module, private) of a repository-relative path, or (None, False) outside the modules."""
    parts = rel.split("/")
    if parts[0] == "include" and len(parts) >= 3 and parts[1] == "actionable":
        rest = parts[2:]
        if rest[0] == "detail":
            rest = rest[1:]
        if len(rest) == 1:
            return TOP.get(rest[0]), False
        return rest[0], False
    if parts[0] == "src" and len(parts) >= 3:
        return parts[1], parts[1] != "util"
    if parts[0] == "bindings":
        return "bindings", False
    return None, False


def resolve(root, including, inc):
    for base in (os.path.dirname(including), os.path.join(root, "include"), os.path.join(root, "src")):
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(cand):
            return os.path.relpath(cand, root).replace(os.sep, "/")
    return None


def violations(root):
    out = []
    for top in ("include", "src", "bindings"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith((".hpp", ".cpp", ".h", ".c")):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                mod, _ = module_of(rel)
                if mod is None:
                    continue
                with open(path, encoding="utf-8", errors="replace") as fh:
                    for n, line in enumerate(fh, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = resolve(root, path, m.group(1))
                        if target is None:
                            continue
                        tmod, private = module_of(target)
                        if tmod is None or tmod == mod:
                            continue
                        where = f"{rel}:{n}: {mod} includes {target} ({tmod})"
                        if mod not in RANK or tmod not in RANK:
                            out.append(where + ": module not in the order")
                        elif private:
                            out.append(where + ": a private header of another module")
                        elif RANK[tmod] > RANK[mod]:
                            out.append(where + ": a later module (backward edge)")
                        elif mod in PEERS and tmod in PEERS:
                            out.append(where + ": peers never include each other")
    return out


def self_test(root):
    """The check must fail when a backward include is added: add one to a copy and look."""
    import shutil
    import tempfile
    tmp = tempfile.mkdtemp()
    try:
        for top in ("include", "src", "bindings"):
            shutil.copytree(os.path.join(root, top), os.path.join(tmp, top))
        probe = os.path.join(tmp, "src", "graph", "compile.cpp")
        with open(probe, "a", encoding="utf-8") as fh:
            fh.write('\n#include "actionable/detail/eval/patient_view.hpp"\n')
        found = violations(tmp)
        return any("src/graph/compile.cpp" in v and "backward edge" in v for v in found)
    finally:
        shutil.rmtree(tmp)


def main():
    root = sys.argv[1]
    bad = violations(root)
    for v in bad:
        print(v)
    checks, failed = 1, 1 if bad else 0
    if "--self-test" in sys.argv:
        checks += 1
        if not self_test(root):
            failed += 1
            print("self-test: a backward include added to src/graph/compile.cpp was not reported")
    print(f"{checks - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
