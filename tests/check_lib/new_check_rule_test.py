#!/usr/bin/env python3
"""scripts/new-check-rule.py on a scratch copy of the files it reads (never the real tree).

  * it refuses malformed ids, every id docs/rules.md already documents, an id whose fixtures
    exist, and a second run of an id it just added, and then changes nothing;
  * for a driver rule and a scenario rule, the files it says it wrote or edited are exactly the
    ones docs/where-things-go.md lists for a new check rule, each exists and names the rule (its
    id or its C++ name), and no other file changed;
  * the C++ it wrote is clang-format clean (when clang-format is installed), compiles with the
    project's warnings as errors, and, linked against the build's fltsim_check and fltsim_sim
    with the scratch catalogue.cpp and rules.cpp, puts both rules last in check::rule_catalogue()
    with their severities; the skeletons report nothing yet.

Usage: new_check_rule_test.py SOURCE_ROOT [--cxx CXX [--cxx-flag=F]... --check-lib LIB --sim-lib LIB]
Without --cxx the compile step is skipped. Exit 0 when every check holds, else 1.
"""

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WARNINGS = ["-Wall", "-Wextra", "-Wshadow", "-Wconversion", "-Wsign-conversion", "-Wpedantic",
            "-Werror"]
# What docs/where-things-go.md lists for a new check rule, relative to the root.
EXPECTED = [
    "check/src/rules/{name}.cpp",
    "check/include/fltsim/check/rules.hpp",
    "check/src/catalogue.cpp",
    "check/src/rule_support.hpp",
    "check/src/rules.cpp",
    "check/CMakeLists.txt",
    "docs/rules.md",
    "tests/check/{id}/fail/{name}.yaml",
    "tests/check/{id}/pass/{name}.yaml",
]

failures = []


def expect(cond, what):
    if not cond:
        failures.append(what)
    return cond


def snapshot(root):
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def run(script, root, rule_id, *options):
    return subprocess.run([sys.executable, str(script), "--root", str(root), *options, "--",
                           rule_id], capture_output=True, text=True)


def scratch_copy(src, dst):
    for d in ("check", "sim/include", "tests/check"):
        shutil.copytree(src / d, dst / d)
    (dst / "docs").mkdir()
    shutil.copy2(src / "docs/rules.md", dst / "docs/rules.md")
    if (src / ".clang-format").exists():
        shutil.copy2(src / ".clang-format", dst / ".clang-format")


def check_refusals(script, root, ids, why):
    before = snapshot(root)
    for rule_id in ids:
        r = run(script, root, rule_id)
        expect(r.returncode == 2 and "refused" in r.stderr,
               f"{why} '{rule_id}': exit {r.returncode}, stderr {r.stderr.strip()!r}")
    expect(snapshot(root) == before, f"a refused {why} changed the scratch tree")


def add_rule(script, root, rule_id, extra):
    name = rule_id.replace("-", "_")
    before = snapshot(root)
    r = run(script, root, rule_id, *extra)
    if not expect(r.returncode == 0, f"adding {rule_id}: exit {r.returncode}: {r.stderr}"):
        return []
    claimed = [m.group(2) for m in re.finditer(r"^(wrote|edited) (\S+)$", r.stdout, re.M)]
    want = [p.format(id=rule_id, name=name) for p in EXPECTED]
    expect(sorted(claimed) == sorted(want),
           f"{rule_id}: it claims {sorted(claimed)}, where-things-go lists {sorted(want)}")
    after = snapshot(root)
    for rel in claimed:
        p = root / rel
        if expect(p.is_file(), f"{rule_id}: claimed {rel} does not exist"):
            text = p.read_text(encoding="utf-8")
            expect(rule_id in text or name in text, f"{rule_id}: {rel} names neither id nor {name}")
            expect(after.get(rel) != before.get(rel), f"{rule_id}: claimed {rel} is unchanged")
    for rel in set(before) | set(after):
        if rel not in claimed:
            expect(before.get(rel) == after.get(rel), f"{rule_id}: unclaimed {rel} changed")
    doc = (root / "docs/rules.md").read_text(encoding="utf-8")
    expect(f"\n## {rule_id}\n" in doc, f"{rule_id}: docs/rules.md has no '## {rule_id}' section")
    expect(f"| [{rule_id}](#{rule_id}) |" in doc, f"{rule_id}: docs/rules.md has no table row")
    cmake = (root / "check/CMakeLists.txt").read_text(encoding="utf-8")
    expect(f"src/rules/{name}.cpp" in cmake, f"{rule_id}: check/CMakeLists.txt misses the file")
    return [rel for rel in claimed if rel.endswith((".cpp", ".hpp"))]


PROBE = r"""
#include <cstdio>
#include <cstring>
#include "fltsim/check/rules.hpp"
// argv: id severity id severity ...: the last rules of the catalogue, in order.
int main(int argc, char **argv) {
  using namespace fltsim;
  const auto cat = check::rule_catalogue();
  const std::size_t want = static_cast<std::size_t>(argc - 1) / 2;
  if (cat.size() < want) return 1;
  for (std::size_t k = 0; k < want; ++k) {
    const sim::RuleInfo &r = cat[cat.size() - want + k];
    const char *id = argv[1 + 2 * k], *sev = argv[2 + 2 * k];
    if (r.id != id || std::strcmp(sim::to_string(r.severity), sev) != 0 ||
        check::find_rule(id) != &check::rule_catalogue()[cat.size() - want + k]) {
      std::printf("catalogue entry %zu is %.*s (%s), expected %s (%s)\n", k,
                  static_cast<int>(r.id.size()), r.id.data(), sim::to_string(r.severity), id, sev);
      return 1;
    }
  }
  sim::Driver d;
  d.name = "Probe";
  const auto found = check::driver_rules(d, sim::AllocatedTable{});
  for (const auto &f : found)
    for (int a = 1; a < argc; a += 2)
      if (f.finding.code == argv[a]) {
        std::printf("the skeleton of %s reported a finding\n", argv[a]);
        return 1;
      }
  std::printf("probe: ok\n");
  return 0;
}
"""


def compile_and_link(root, cxx, cxx_flags, check_lib, sim_lib, sources, rules):
    objs = []
    (root / "probe.cpp").write_text(PROBE)
    for src in sources + ["probe.cpp"]:
        obj = root / (Path(src).name + ".o")
        cmd = [cxx, "-std=c++20", "-O0", *cxx_flags, *WARNINGS, "-I", str(root / "check/include"), "-I",
               str(root / "sim/include"), "-I", str(root / "check/src"), "-c", str(root / src),
               "-o", str(obj)]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if not expect(r.returncode == 0, f"compiling {src}:\n{r.stderr}"):
            return
        objs.append(str(obj))
    exe = root / "probe"
    r = subprocess.run([cxx, *cxx_flags, *objs, check_lib, sim_lib, "-o", str(exe)], capture_output=True,
                       text=True)
    if not expect(r.returncode == 0, f"linking the scratch check rules:\n{r.stderr}"):
        return
    args = [x for rule_id, sev in rules for x in (rule_id, sev)]
    r = subprocess.run([str(exe), *args], capture_output=True, text=True)
    expect(r.returncode == 0, f"probe: {r.stdout}{r.stderr}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source_root")
    ap.add_argument("--cxx")
    # The build's own code-generation flags (the sanitizer build's -fsanitize=...): its libraries
    # link only into objects compiled the same way.
    ap.add_argument("--cxx-flag", action="append", default=[])
    ap.add_argument("--check-lib")
    ap.add_argument("--sim-lib")
    a = ap.parse_args()
    src = Path(a.source_root).resolve()
    script = src / "scripts/new-check-rule.py"
    real_before = snapshot(src / "check")
    with tempfile.TemporaryDirectory(prefix="new-check-rule-") as tmp:
        root = Path(tmp)
        scratch_copy(src, root)

        check_refusals(script, root,
                       ["", "Bad", "bad_id", "-bad", "bad-", "bad--id", "1bad", "bad id", "délai",
                        "a" * 61, "delete", "check", "x/../y"], "malformed id")
        documented = re.findall(r"^## ([a-z0-9-]+)$",
                                (root / "docs/rules.md").read_text(encoding="utf-8"), re.M)
        expect(len(documented) >= 10, f"docs/rules.md lists only {documented}")
        check_refusals(script, root, documented, "existing id")
        (root / "tests/check/orphan-fixture/fail").mkdir(parents=True)
        check_refusals(script, root, ["orphan-fixture"], "id with fixtures")

        rules = [("zz-scratch-driver-rule", "warning", ["--driver-rule"]),
                 ("zz-scratch-scenario-rule", "error",
                  ["--severity", "error", "--summary", 'A "quoted" one-line summary.'])]
        touched = set()
        for rule_id, _, extra in rules:
            touched.update(add_rule(script, root, rule_id, extra))
        check_refusals(script, root, [r[0] for r in rules], "id just added")

        fmt = shutil.which("clang-format")
        if fmt and (root / ".clang-format").exists():
            r = subprocess.run([fmt, "--dry-run", "-Werror", *sorted(touched)], cwd=root,
                               capture_output=True, text=True)
            expect(r.returncode == 0, f"clang-format would change what it wrote:\n{r.stderr}")
        if a.cxx:
            new_files = sorted(t for t in touched if t.startswith("check/src/rules/"))
            compile_and_link(root, a.cxx, a.cxx_flag, a.check_lib, a.sim_lib,
                             new_files + ["check/src/rules.cpp", "check/src/catalogue.cpp"],
                             [(r[0], r[1]) for r in rules])
    expect(snapshot(src / "check") == real_before, "the real check/ tree changed")
    for f in failures:
        print(f"new_check_rule_test: FAILED: {f}", file=sys.stderr)
    if not failures:
        print("new_check_rule_test: ok (refusals, two rules added, "
              f"{'compiled and linked' if a.cxx else 'compile skipped'})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
