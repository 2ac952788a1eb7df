#!/usr/bin/env python3
"""The walkthroughs in the docs still say what fltsim prints.

For each `<a id="walkthrough">` section named on the command line (FILE.md), in a scratch folder
with `fltsim` on PATH: a ```yaml block right after a line that names a file in backticks and ends
with ':' is written to that file; each `$ COMMAND` line of a ```console block is run with bash
from the repository's root copy of the inputs, and every line the doc shows under it (except '...')
must be printed by the command (stdout or stderr), the stdout lines in the doc's order. The doc's
outputs were written from a real run; this test only keeps them true.

Usage: walkthrough_test.py SOURCE_ROOT FLTSIM DOC.md...   Exit 0 when every walkthrough holds.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def section(text):
    start = text.find('<a id="walkthrough"></a>')
    if start < 0:
        return None
    end = text.find("\n## ", start)
    return text[start:end if end >= 0 else len(text)]


def blocks(sec):
    """(kind, name, lines): the fenced blocks of the section, with the file a yaml block is for."""
    out, lines, i = [], sec.split("\n"), 0
    while i < len(lines):
        m = re.match(r"^```(\w+)\s*$", lines[i])
        if not m:
            i += 1
            continue
        kind, body, j = m.group(1), [], i + 1
        while j < len(lines) and lines[j] != "```":
            body.append(lines[j])
            j += 1
        before = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        named = re.search(r"`([\w.-]+)`:\s*$", before)
        out.append((kind, named.group(1) if named else None, body))
        i = j + 1
    return out


def check_doc(root, fltsim, doc, failures):
    sec = section((root / doc).read_text(encoding="utf-8"))
    if sec is None:
        failures.append(f"{doc}: no walkthrough section")
        return
    with tempfile.TemporaryDirectory(prefix="fltsim-walkthrough-") as tmp:
        work = Path(tmp)
        bindir = work / "bin"
        bindir.mkdir()
        os.symlink(fltsim, bindir / "fltsim")
        (work / "tests").symlink_to(root / "tests")
        env = dict(os.environ, PATH=f"{bindir}:{os.environ['PATH']}")
        ran = 0
        for kind, name, body in blocks(sec):
            if kind == "yaml" and name:
                (work / name).write_text("\n".join(body) + "\n", encoding="utf-8")
            if kind != "console":
                continue
            cmds = []
            for line in body:
                if line.startswith("$ "):
                    cmds.append((line[2:], []))
                elif cmds and line.strip() != "...":
                    cmds[-1][1].append(line.rstrip())
            for cmd, shown in cmds:
                r = subprocess.run(["bash", "-c", cmd], cwd=work, env=env, capture_output=True,
                                   text=True)
                ran += 1
                if r.returncode > 1:
                    failures.append(f"{doc}: `{cmd}` exited {r.returncode}:\n{r.stderr}")
                    continue
                out = [l.rstrip() for l in r.stdout.split("\n")]
                err = [l.rstrip() for l in r.stderr.split("\n")]
                at = 0
                for want in shown:
                    if want in out[at:]:
                        at = out.index(want, at) + 1
                    elif want not in err:
                        failures.append(f"{doc}: `{cmd}` no longer prints (in this order): {want}")
        if ran == 0:
            failures.append(f"{doc}: the walkthrough runs no command")


def main():
    root, fltsim = Path(sys.argv[1]).resolve(), str(Path(sys.argv[2]).resolve())
    failures = []
    for doc in sys.argv[3:]:
        check_doc(root, fltsim, doc, failures)
    for f in failures:
        print(f"walkthrough_test: FAILED: {f}", file=sys.stderr)
    if not failures:
        print(f"walkthrough_test: ok ({', '.join(sys.argv[3:])})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
