#!/usr/bin/env python3
"""Layering check: no module includes a header of a module above it.

The modules, bottom up (docs/where-things-go.md):
  sim                      the engine                         includes: sim
  io                       reading whole inputs, safe writes  includes: sim
  machine                  registry model, service kind       includes: sim, io
  manifest                 scenario YAML, INF, .reg manifests includes: sim, io, machine
  baselines                Windows baselines                  includes: sim, io, manifest
  observed                 captures, event logs, compare      includes: sim, io
  inputs                   the one door for inputs            includes: all readers above
  planner, check           the planner; `fltsim check`        includes: sim (check also io's
                           platform.hpp: glob matching)
  fleet                    `fltsim fleet`                     includes: sim and the readers
  diagnose                 `fltsim diagnose`                  includes: the readers, planner,
                                                              check, fleet
  ui/common, ui/viewer_model, ui/cli, ui/viewer   front ends  includes: anything below, and
                           ui/common (itself: io only, for the executable's path); ui/viewer and ui/cli also ui/viewer_model (the CLI's
                           svg/html pictures are drawn from the view model)
Besides, no two files of one module include each other, and no module holds more than a quarter
of the product's C++ lines.
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
    "io": "fltsim/io/",
    "machine": "fltsim/machine/",
    "manifest": "fltsim/manifest/",
    "baselines": "fltsim/baselines/",
    "observed": "fltsim/observed/",
    "inputs": "fltsim/inputs/",
    "planner": "fltsim/planner/",
    "check": "fltsim/check/",
    "fleet": "fltsim/fleet/",
    "diagnose": "fltsim/diagnose/",
    "ui/common": "fltsim/frontend/",
    "ui/viewer_model": "fltsim/viewer/",
}
# What each module may include, besides itself.
READERS = {"sim", "io", "machine", "manifest", "baselines", "observed", "inputs"}
ALLOWED = {
    "sim": set(),
    "io": {"sim"},
    "machine": {"sim", "io"},
    "manifest": {"sim", "io", "machine"},
    "baselines": {"sim", "io", "machine", "manifest"},
    "observed": {"sim", "io"},
    "inputs": READERS - {"inputs"},
    "planner": {"sim"},
    "check": {"sim", "io"},
    "fleet": READERS,
    "diagnose": READERS | {"planner", "check", "fleet"},
    "ui/common": {"io"},
    "ui/viewer_model": READERS | {"planner", "check", "fleet", "diagnose", "ui/common"},
    "ui/cli": READERS | {"planner", "check", "fleet", "diagnose", "ui/common", "ui/viewer_model"},
    "ui/viewer": READERS | {"planner", "check", "fleet", "diagnose", "ui/common",
                            "ui/viewer_model"},
}
# Product modules whose share of the product's C++ lines is bounded (the front ends aside).
SIZED = ["sim", "io", "machine", "manifest", "baselines", "observed", "inputs", "planner",
         "check", "fleet", "diagnose"]
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
    errors += mutual_includes(root)
    errors += oversized_modules(root)
    return errors


def sources(base):
    return [f for f in sorted(base.rglob("*"))
            if f.suffix in (".cpp", ".hpp", ".h", ".cc") and f.is_file()]


def mutual_includes(root):
    """Pairs of files of one module that include each other (directly)."""
    errors = []
    for module in ALLOWED:
        base = root / module
        if not base.is_dir():
            continue
        files = sources(base)
        by_name = {}
        for f in files:
            by_name.setdefault(f.name, []).append(f)
            rel = f.relative_to(base).as_posix()
            if "/include/" in "/" + rel:
                by_name.setdefault(rel.split("include/", 1)[1], []).append(f)
        includes = {}
        for f in files:
            targets = set()
            for line in f.read_text(encoding="utf-8", errors="replace").splitlines():
                m = INCLUDE.match(line)
                if m:
                    for t in by_name.get(m.group(1), []) + by_name.get(Path(m.group(1)).name, []):
                        if t != f and (m.group(1) == t.name or m.group(1).endswith(t.name)):
                            targets.add(t)
            includes[f] = targets
        for f, targets in includes.items():
            for t in targets:
                if f in includes.get(t, ()) and str(f) < str(t):
                    errors.append(f"{f.relative_to(root)} and {t.relative_to(root)} include "
                                  "each other")
    return errors


def oversized_modules(root):
    """Modules holding more than a quarter of the product's C++ lines."""
    lines = {}
    for module in SIZED:
        base = root / module
        if base.is_dir():
            lines[module] = sum(len(f.read_text(encoding="utf-8", errors="replace").splitlines())
                                for f in sources(base))
    total = sum(lines.values()) + sum(
        len(f.read_text(encoding="utf-8", errors="replace").splitlines())
        for m in ("ui",) if (root / m).is_dir() for f in sources(root / m))
    return [f"{m} holds {n} of the product's {total} C++ lines, more than a quarter"
            for m, n in lines.items() if total >= 1000 and n * 4 > total]


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
        (root / "planner" / "a.hpp").write_text('#include "b.hpp"\n')
        (root / "planner" / "b.hpp").write_text('#include "a.hpp"\n')
        errors = check(root)
        if len(errors) != 3:
            print(f"check-layering self-test: FAILED: expected 3 errors, got {errors}",
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
