#!/usr/bin/env python3
"""Every repository path docs/where-things-go.md names must exist.

Usage: scripts/check-where-things-go.py [ROOT [DOC...]]   (ctest: where_things_go)
       scripts/check-where-things-go.py --self-test        (ctest: where_things_go_self_test)

ROOT defaults to this script's repository, DOC to docs/where-things-go.md (relative to ROOT).

What counts as a path: a whitespace-separated word inside a `code span` that contains '/' and
either ends in '/' (a directory) or whose last component has an extension (".cpp", ".md", ...),
after dropping a "#anchor". It is checked relative to ROOT, except:
  * a header named as code includes it, "fltsim/<module>/x.hpp", or without the "fltsim/"
    ("planner/dummy_inf.hpp"), is looked for under every "*/include/" and "ui/*/include/";
  * a word with a placeholder ("<rule-id>"), a glob ("*", "?", "[...]") or a brace list
    ("{fail,pass}") stands for files that need not exist yet: only the directories before the
    first such component are checked ("check/src/rules/<rule-id>.cpp" needs check/src/rules/);
  * a one-word directory ("include/") not at ROOT may be one inside the tree, as in "that
    module's `include/`": some directory of that name must exist (build/ and .git/ aside);
  * "BUILD/...", absolute paths, "../..." and URLs ("https://...") are not the repository's.
A missing path prints "DOC:LINE: `PATH` does not exist" (or "... its directory DIR does not
exist" for a placeholder); the exit status is then 1 (0 when all exist, 2 on a usage error).
Python 3 standard library only.
"""

import os
import re
import sys
import tempfile
from pathlib import Path

DEFAULT_DOC = "docs/where-things-go.md"
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
EXTENSION = re.compile(r"\.[A-Za-z0-9]+$")
WILD = re.compile(r"[<>*?\[\]{}]")


def candidate(word):
    """The path a word of a code span names, or None when it names none."""
    word = word.strip()
    # Punctuation around a word inside a span ("(ui/cli/x.cpp)"); a directory's trailing '/',
    # a glob's ']' and a brace list's '}' stay.
    while word and word[-1] in "(),;:\"'":
        word = word[:-1]
    while word and word[0] in "(,;:\"'":
        word = word[1:]
    if "/" not in word or "://" in word:
        return None
    word = word.split("#", 1)[0]
    if not word or word.startswith(("/", "../", "BUILD/", "~")):
        return None
    if word.endswith("/"):
        return word
    last = word.rsplit("/", 1)[1]
    if EXTENSION.search(last) and not last.endswith("..."):
        return word
    return None


def spans(text):
    """(line, content) of each code span of a Markdown text; fenced blocks are skipped."""
    out = []
    fenced = False
    kept = []
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            kept.append("\n" if line.endswith("\n") else "")
        else:
            kept.append(("\n" if line.endswith("\n") else "") if fenced else line)
    body = "".join(kept)
    for m in CODE_SPAN.finditer(body):
        out.append((body.count("\n", 0, m.start()) + 1, m.group(2)))
    return out


def header_exists(root, path):
    """A public header named by its include name ("fltsim/check/rules.hpp", "check/rules.hpp")."""
    if not path.endswith((".hpp", ".h")):
        return False
    bases = list(root.glob("*/include")) + list(root.glob("*/*/include"))
    return any((b / path).is_file() or (b / "fltsim" / path).is_file() for b in bases)


def dir_in_tree(root, name):
    """True when a directory `name` exists somewhere under root (build trees and .git aside)."""
    for _, dirs, _ in os.walk(root):
        if name in dirs:
            return True
        dirs[:] = [d for d in dirs if d not in (".git", "build") and not d.startswith("build-")]
    return False


def check_path(root, path):
    """None when the path is there, else the message."""
    parts = path.rstrip("/").split("/")
    wild = next((i for i, p in enumerate(parts) if WILD.search(p)), None)
    if wild is not None:
        fixed = "/".join(parts[:wild])
        if fixed and not (root / fixed).is_dir():
            return f"`{path}`: its directory {fixed}/ does not exist"
        return None
    if (root / path).exists():
        if path.endswith("/") and not (root / path).is_dir():
            return f"`{path}` is not a directory"
        return None
    if header_exists(root, path):
        return None
    if path.endswith("/") and path.count("/") == 1 and dir_in_tree(root, path[:-1]):
        return None
    return f"`{path}` does not exist"


def check(root, docs):
    errors = []
    for doc in docs:
        f = root / doc
        if not f.is_file():
            errors.append(f"{doc}: the document itself does not exist")
            continue
        for line, content in spans(f.read_text(encoding="utf-8")):
            for word in content.split():
                path = candidate(word)
                if path is None:
                    continue
                problem = check_path(root, path)
                if problem:
                    errors.append(f"{doc}:{line}: {problem}")
    return errors


def self_test():
    """A small tree whose document names each kind of path, once present and once missing."""
    doc = (
        "# Where\n"
        "* Present: `a/b.cpp`, `a/`, `docs/x.md#anchor`, `tool.py a/b.cpp --flag`.\n"
        "* Headers: `fltsim/m/h.hpp`, `m/h.hpp` (in a module's `include/`); a placeholder `a/src/<id>.cpp`; a glob `a/*_test.cpp`;\n"
        "  `tests/{x,y}/`, `scenarios/**.yaml`; `BUILD/ui/fltsim`, `/usr/bin/x.sh`, `../z/q.md`,\n"
        "  `https://e.org/p.html`; no path: `fltsim check`, `sim::Driver`, `a/b`, `x.cpp`.\n"
        "```\nmissing/in/fence.cpp\n```\n"
        "* Missing: `a/gone.cpp`,\n"
        "  `nodir/`, `a/b.cpp/`, `fltsim/m/gone.hpp`, `m/gone.hpp`, `q/src/<id>.cpp`, `(w/v.md)`, `nothere/*.py`.\n"
    )
    expected = [
        "docs/w.md:9: `a/gone.cpp` does not exist",
        "docs/w.md:10: `nodir/` does not exist",
        "docs/w.md:10: `a/b.cpp/` is not a directory",
        "docs/w.md:10: `fltsim/m/gone.hpp` does not exist",
        "docs/w.md:10: `m/gone.hpp` does not exist",
        "docs/w.md:10: `q/src/<id>.cpp`: its directory q/src/ does not exist",
        "docs/w.md:10: `w/v.md` does not exist",
        "docs/w.md:10: `nothere/*.py`: its directory nothere/ does not exist",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for d in ("a/src", "docs", "m/include/fltsim/m", "tests", "scenarios"):
            (root / d).mkdir(parents=True)
        (root / "a/b.cpp").write_text("")
        (root / "docs/x.md").write_text("")
        (root / "m/include/fltsim/m/h.hpp").write_text("")
        (root / "docs/w.md").write_text(doc)
        got = check(root, ["docs/w.md"])
        if got != expected:
            print("check-where-things-go self-test: FAILED", file=sys.stderr)
            print("  expected:\n    " + "\n    ".join(expected), file=sys.stderr)
            print("  got:\n    " + "\n    ".join(got), file=sys.stderr)
            return 1
        # Once every named path exists, the document passes.
        for p in ("a/gone.cpp", "w/v.md", "m/include/fltsim/m/gone.hpp"):
            (root / p).parent.mkdir(parents=True, exist_ok=True)
            (root / p).write_text("")
        for d in ("nodir", "q/src", "nothere"):
            (root / d).mkdir(parents=True)
        (root / "docs/w.md").write_text(doc.replace("`a/b.cpp/`", "`a/src/`"))
        got = check(root, ["docs/w.md"])
        if got:
            print(f"check-where-things-go self-test: FAILED: a clean tree was reported: {got}",
                  file=sys.stderr)
            return 1
    print("check-where-things-go self-test: ok")
    return 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if any(a.startswith("-") for a in argv):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    docs = argv[1:] or [DEFAULT_DOC]
    errors = check(root, docs)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check-where-things-go: FAILED: {len(errors)} named paths do not exist",
              file=sys.stderr)
        return 1
    print(f"check-where-things-go: every path {', '.join(docs)} names exists")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
