#!/usr/bin/env python3
"""Layering check: no module includes a header of a module above it.

The modules, bottom up (docs/where-things-go.md):
  sim                      the engine                         includes: sim
  manifest, planner        readers/writers; the planner       includes: sim and itself
  check                    the `fltsim check` engine          includes: sim and itself
  fleet                    the `fltsim fleet` map and reduce  includes: sim and itself
  ui/common, ui/viewer_model, ui/cli, ui/viewer   front ends  includes: anything below, and
                           ui/common; ui/viewer and ui/cli also ui/viewer_model (the CLI's
                           svg/html pictures are drawn from the view model)
A module's headers are named by their include prefix (fltsim/sim/..., fltsim/manifest/..., ...);
a quoted include of a file in the module's own directory is always allowed. Exit 1 and one line
per offending #include when the rule is broken.

Usage: scripts/check-layering.py [SOURCE_ROOT]      (ctest: layering)
       scripts/check-layering.py --self-test
"""
import re
import sys
import tempfile
from pathlib import Path

# Include prefix of each module's public headers.
PREFIX = {
    "sim": "fltsim/sim/",
    "manifest": "fltsim/manifest/",
    "planner": "fltsim/planner/",
    "check": "fltsim/check/",
    "fleet": "fltsim/fleet/",
    "ui/common": "fltsim/frontend/",
    "ui/viewer_model": "fltsim/viewer/",
}
# What each module may include, besides itself.
ALLOWED = {
    "sim": set(),
    "manifest": {"sim"},
    "planner": {"sim"},
    "check": {"sim"},
    "fleet": {"sim"},
    "ui/common": set(),
    "ui/viewer_model": {"sim", "manifest", "planner", "check", "fleet", "ui/common"},
    "ui/cli": {"sim", "manifest", "planner", "check", "fleet", "ui/common", "ui/viewer_model"},
    "ui/viewer": {"sim", "manifest", "planner", "check", "fleet", "ui/common", "ui/viewer_model"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')


def module_of_header(path):
    for module, prefix in PREFIX.items():
        if path.startswith(prefix):
            return module
    return None


def check(root):
    errors = []
    for module, allowed in ALLOWED.items():
        base = root / module
        if not base.is_dir():
            errors.append(f"{module}: module directory is missing")
            continue
        for f in sorted(base.rglob("*")):
            if f.suffix not in (".cpp", ".hpp", ".h", ".cc") or not f.is_file():
                continue
            for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = module_of_header(m.group(1))
                if target is None or target == module or target in allowed:
                    continue
                errors.append(f"{f.relative_to(root)}:{n}: {module} includes {m.group(1)} "
                              f"({target} is not below {module})")
    return errors


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for module in ALLOWED:
            (root / module).mkdir(parents=True)
        (root / "check" / "ok.cpp").write_text('#include "fltsim/sim/engine.hpp"\n')
        if check(root):
            print("check-layering self-test: FAILED: a clean tree was reported", file=sys.stderr)
            return 1
        (root / "sim" / "bad.cpp").write_text('#include "fltsim/manifest/files.hpp"\n')
        (root / "check" / "bad.hpp").write_text('#include <fltsim/planner/planner.hpp>\n')
        errors = check(root)
        if len(errors) != 2:
            print(f"check-layering self-test: FAILED: expected 2 errors, got {errors}",
                  file=sys.stderr)
            return 1
    print("check-layering self-test: ok")
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    errors = check(root)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check-layering: FAILED: {len(errors)} includes break the layering",
              file=sys.stderr)
        return 1
    print("check-layering: every module includes only modules below it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
