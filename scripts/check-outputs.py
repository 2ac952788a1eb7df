#!/usr/bin/env python3
"""Byte-identical guard for fltsim's machine-readable outputs.

Runs the built `fltsim` over every bundled scenario (scenarios/**/*.yaml: `simulate --format json`,
the same with `--trace`, `plan --format json`, the `fltmc`, `fltmc-instances` and `fltkd`
layouts, the `svg` picture and `plan --format markdown` with its before/after SVG; the HTML replay
of the blog's example A) and every check fixture
(tests/check/*/{pass,fail}: `check --format json|sarif|junit|markdown`, with the fixture's base.yaml as
`--base` when it has one), plus a few combinations (every fixture at once, `--base` with a bundled
scenario, `--fail-on warning`), and compares stdout and the exit code with the files committed
under tests/golden/. Only what legitimately varies between machines is normalised: the absolute
paths of the source and build trees (SARIF's %SRCROOT% and help links).

Usage: scripts/check-outputs.py FLTSIM [--update] [--emulator wine]
  --update     rewrite tests/golden/ from the current binary (do it only for an intended change)
  --emulator   run FLTSIM through a program: `--emulator wine` checks fltsim.exe against the same
               goldens (scripts/test-windows.sh)
Run as the `golden_outputs` ctest test (tests/golden/tests.cmake).
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def bundled_scenarios():
    """scenarios/**/*.yaml as committed: in a git checkout the tracked files only, so a scenario
    someone is still writing (untracked) does not need goldens yet."""
    try:
        out = subprocess.run(["git", "ls-files", "--", "scenarios/*.yaml", "scenarios/**/*.yaml"],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        tracked = sorted(set(l for l in out.splitlines() if l.endswith(".yaml")))
        if tracked:
            return tracked
    except (OSError, subprocess.CalledProcessError):
        pass
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scenarios").rglob("*.yaml"))


def cases():
    """(golden file name, argv after `fltsim`) for every case, in a stable order."""
    out = []
    for s in bundled_scenarios():
        stem = "scenario." + s[len("scenarios/"):-len(".yaml")].replace("/", ".")
        out.append((stem + ".simulate.json", ["simulate", s, "--format", "json"]))
        out.append((stem + ".simulate-trace.json", ["simulate", s, "--format", "json", "--trace"]))
        out.append((stem + ".plan.json", ["plan", s, "--format", "json"]))
        for fmt in ("fltmc", "fltmc-instances", "fltkd"):
            out.append((f"{stem}.simulate.{fmt}.txt", ["simulate", s, "--format", fmt]))
        out.append((stem + ".simulate.svg", ["simulate", s, "--format", "svg"]))
        out.append((stem + ".plan.md", ["plan", s, "--format", "markdown"]))
    out.append(("scenario.blog_example_a.simulate-trace.html",
                ["simulate", "scenarios/blog_example_a.yaml", "--format", "html", "--trace"]))
    out.append(("scenario.two_volumes.simulate.volume-mup.svg",
                ["simulate", "tests/pictures/two_volumes.yaml", "--format", "svg", "--volume",
                 "\\Device\\Mup"]))
    # compare and import over two captures of the corpus (fltmc filters, !fltkd.frames).
    for cap in ("01-ntdebugging-avlegacy-encryptionlegacy-before", "07-alfarom256-fltkd-frames-win10-single-frame"):
        path = f"tests/corpus/fltmc/{cap}.txt"
        out.append((f"compare.{cap[:2]}.json",
                    ["compare", "scenarios/blog_example_a.yaml", path, "--format", "json"]))
        out.append((f"compare.{cap[:2]}.txt", ["compare", "scenarios/blog_example_a.yaml", path]))
        out.append((f"import.{cap[:2]}.yaml", ["import", path]))
    fixtures = sorted(p for p in (ROOT / "tests" / "check").iterdir() if p.is_dir())
    for rule in fixtures:
        base = rule / "base.yaml"
        for kind in ("fail", "pass"):
            d = rule / kind
            if not d.is_dir():
                continue
            args = [d.relative_to(ROOT).as_posix()]
            if base.exists():
                args += ["--base", base.relative_to(ROOT).as_posix()]
            for fmt, ext in (("json", "json"), ("sarif", "sarif"), ("junit", "xml"),
                             ("markdown", "md")):
                out.append((f"check.{rule.name}.{kind}.{ext}", ["check", *args, "--format", fmt]))
    every_fail = [f"tests/check/{r.name}/fail" for r in fixtures if (r / "fail").is_dir()]
    every_pass = [f"tests/check/{r.name}/pass" for r in fixtures if (r / "pass").is_dir()]
    for fmt, ext in (("json", "json"), ("sarif", "sarif"), ("junit", "xml"), ("text", "txt"),
                     ("markdown", "md")):
        out.append((f"combo.all-fail.{ext}", ["check", *every_fail, "--format", fmt]))
    out.append(("combo.all-fail.linked.md",
                ["check", *every_fail, "--format", "markdown", "--stack-svg", "none",
                 "--link-base", "https://github.com/OWNER/REPO/blob/SHA", "--rules-uri",
                 "https://github.com/OWNER/REPO/blob/SHA/docs/rules.md"]))
    out.append(("combo.all-pass-warning.json",
                ["check", *every_pass, "--fail-on", "warning", "--format", "json"]))
    for fmt, ext in (("json", "json"), ("sarif", "sarif"), ("junit", "xml")):
        out.append((f"combo.base-blog-a.{ext}",
                    ["check", "tests/check/altitude-inversion/pass", "--base",
                     "scenarios/blog_example_a.yaml", "--format", fmt]))
        out.append((f"combo.base-example-c.{ext}",
                    ["check", "tests/check/altitude-collision/fail", "--base",
                     "scenarios/example_c_no_legacy.yaml", "--format", fmt]))
    out.append(("combo.base-blog-b-fail-on-warning.json",
                ["check", "tests/check/order-dependent-outcome/fail", "--base",
                 "scenarios/blog_example_b_fixed.yaml", "--fail-on", "warning", "--format",
                 "json"]))
    out.append(("combo.max-orders-0.json",
                ["check", "tests/check/order-dependent-outcome/fail", "--max-orders", "0",
                 "--format", "json"]))
    # Windows baselines (docs/baselines.md): one check per build with a table of outcomes, a
    # simulation per build, and the bundled list.
    on_builds = ["tests/cli/baselines/unionfs-130850.yaml", "--baseline", "windows-10-22h2",
                 "--baseline", "windows-11-24h2"]
    for fmt, ext in (("text", "txt"), ("json", "json"), ("sarif", "sarif"), ("junit", "xml")):
        out.append((f"baseline.check-22h2-24h2.{ext}", ["check", *on_builds, "--format", fmt]))
    out.append(("baseline.simulate-1809-24h2.fltmc.txt",
                ["simulate", "tests/cli/baselines/on-24h2.yaml", "--baseline", "windows-10-1809",
                 "--baseline", "windows-11-24h2", "--format", "fltmc"]))
    out.append(("baselines.txt", ["baselines"]))
    out.append(("baselines.json", ["baselines", "--format", "json"]))
    return out


# A program to run FLTSIM through (--emulator): wine for fltsim.exe (scripts/test-windows.sh).
EMULATOR = []


def normalise(text, fltsim):
    build = fltsim.resolve().parent.parent.parent  # BUILD/ui/cli/fltsim -> BUILD
    for path, token in ((str(build), "<BUILD>"), (str(ROOT), "<SRC>")):
        if EMULATOR:
            # wine shows the Linux root as drive Z: (Z:/work/x for /work/x), so an absolute path
            # in an output is Z:/work/x and its file URI file:///Z:/work/x where Linux writes
            # file:///work/x (docs/windows.md#paths). Nothing else is normalised.
            text = text.replace("file:///Z:" + path, "file://" + token)
            text = text.replace("Z:" + path, token)
        text = text.replace(path, token)
    if EMULATOR:
        # The build tree links <BUILD>/ui/share/doc/fltsim to docs/ and .../fltsim/scenarios to
        # scenarios/ (ui/common/CMakeLists.txt); Linux resolves the links, wine does not.
        text = text.replace("<BUILD>/ui/share/doc/fltsim", "<SRC>/docs")
        text = text.replace("<BUILD>/ui/share/fltsim/scenarios", "<SRC>/scenarios")
    return text


def run(fltsim, argv):
    env = dict(os.environ, LC_ALL="C", TZ="UTC")
    p = subprocess.run([*EMULATOR, str(fltsim), *argv], cwd=ROOT, env=env, capture_output=True)
    return p.returncode, normalise(p.stdout.decode("utf-8", "surrogateescape"), fltsim)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fltsim", type=Path)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("--emulator", default="",
                    help="run FLTSIM through this program (wine, for fltsim.exe)")
    a = ap.parse_args()
    if a.emulator:
        EMULATOR[:] = a.emulator.split()
    if not a.fltsim.is_file():
        print(f"check-outputs: FAILED: {a.fltsim} is not built", file=sys.stderr)
        return 1
    all_cases = cases()
    codes = []
    failed = []
    for name, argv in all_cases:
        code, text = run(a.fltsim, argv)
        codes.append(f"{code} {name}  <- fltsim {' '.join(argv)}\n")
        path = GOLDEN / name
        if a.update:
            GOLDEN.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogateescape")
        elif not path.exists():
            failed.append(f"{name}: no golden file (run with --update)")
        elif path.read_text(encoding="utf-8", errors="surrogateescape") != text:
            failed.append(f"{name}: output differs from tests/golden/{name} "
                          f"(fltsim {' '.join(argv)})")
    index = GOLDEN / "exit-codes.txt"
    if a.update:
        index.write_text("".join(codes), encoding="utf-8")
        known = {n for n, _ in all_cases} | {"exit-codes.txt", "tests.cmake"}
        for stale in GOLDEN.iterdir():
            if stale.name not in known:
                stale.unlink()
        print(f"check-outputs: wrote {len(all_cases)} golden files")
        return 0
    if not index.exists() or index.read_text(encoding="utf-8") != "".join(codes):
        failed.append("exit codes or case list differ from tests/golden/exit-codes.txt")
    for f in failed:
        print("check-outputs: " + f, file=sys.stderr)
    if failed:
        print(f"check-outputs: FAILED: {len(failed)} of {len(all_cases)} cases", file=sys.stderr)
        return 1
    print(f"check-outputs: {len(all_cases)} outputs identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
