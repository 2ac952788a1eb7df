#!/usr/bin/env python3
"""Every rule citation in the tree must resolve to an anchor in docs/model.md.

Usage: check-citations.py [ROOT]     check the tree at ROOT (default: this script's repository)
       check-citations.py --self-test

What counts as a citation (one line at a time; a parenthesis may wrap onto the next line):
  * rule ids inside parentheses: "(R5)", "(R5, R6)", "(L3, Q4)", "(A1/A3)", "(rules E3)",
    "(R4.3)", and ranges "(R1-R7)" / "(E1–E12)", which cite every id in between; in Markdown, also
    a table cell that holds only rule ids ("| L1, L5 |"). R4.3 resolves to the anchor r4-3: lower
    case, '.' becomes '-'.
  * section references "§3.1", "§9 Q4", "§4-§5", "rules 3.2" (anchor s3-1, s9, ...). A "§" right
    after another document's name ("architecture.md §7") cites that document and is skipped.
  * explicit links "docs/model.md#anchor" (or "model.md#anchor"), and "](#anchor)" links inside
    docs/model.md itself.

Anchors are the id="..." attributes in docs/model.md plus its headings' GitHub-style slugs.
Files scanned: `git ls-files` when ROOT is the top of a git work tree, else every file under ROOT;
only C/C++ sources and headers, Markdown, YAML, shell, Python, *.cmake and CMakeLists.txt, and
not this script (its examples are not citations).
A citation without an anchor prints "file:line: cited X has no anchor in docs/model.md"; the exit
status is then 1 (0 when everything resolves, 2 on a usage error). Python 3 standard library only.
"""

import os
import re
import subprocess
import sys
import tempfile

MODEL = "docs/model.md"
SELF = "scripts/check-citations.py"  # its examples and self-test fixtures are not citations
SUFFIXES = (".c", ".cc", ".cpp", ".cxx", ".h", ".hh", ".hpp", ".hxx", ".ipp", ".inl",
            ".md", ".markdown", ".yaml", ".yml", ".sh", ".bash", ".py", ".cmake")
NAMES = ("CMakeLists.txt",)

# A rule id, optionally a range to a second id of the same letter ("R1-R7", "E1–E12", "R3-7");
# never inside a word, a path, an escape or a percent-encoded byte ("%A9").
RULE_ID = re.compile(
    r"(?<![\w.#/\\%-])([RLAEQ])(\d+(?:\.\d+)*)(?:\s*[-\u2013]\s*(?:\1)?(\d+))?(?![\w])")
# "§3.1", "§ 9", "§4-§5", "§4–5".
SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)(?:\s*[-\u2013]\s*§?\s*(\d+(?:\.\d+)*))?")
RULES_SECTION = re.compile(r"\brules\s+(\d+\.\d+(?:\.\d+)*)\b")
# The document a "§" belongs to when one is named right before it.
DOC_BEFORE = re.compile(r"([\w./-]+\.md)\s*,?\s*$")
# A Markdown table cell that holds nothing but rule ids: "| L1, L5 |", "| R3, A5 |".
ID_CELL = re.compile(r"^\s*(?:[RLAEQ]\d+(?:\.\d+)*(?:\s*[-\u2013]\s*[RLAEQ]?\d+)?"
                     r"\s*(?:[,/;]|\band\b)?\s*)+$")
MODEL_LINK = re.compile(r"model\.md#([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)")
LOCAL_LINK = re.compile(r"\]\(#([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\)")
ANCHOR_ATTR = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$")


def anchor_of(rule_id):
    """R4.3 -> r4-3, §3.1 -> s3-1."""
    return rule_id.lower().replace(".", "-")


def heading_slug(text):
    """GitHub's heading anchor: tags dropped, lower case, punctuation removed, spaces to '-'."""
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"[`*_]", "", text)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def model_anchors(text):
    anchors = set(ANCHOR_ATTR.findall(text))
    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        m = None if in_fence else HEADING.match(line)
        if m:
            slug = heading_slug(m.group(1))
            if slug:
                anchors.add(slug)
    return anchors


def parenthesised(lines):
    """Yields (line number, text inside parentheses) for every line, following a parenthesis
    that is still open at the end of a line onto the next one."""
    open_from_previous = False
    for number, line in enumerate(lines, 1):
        depth = 1 if open_from_previous else 0
        start = 0
        for i, ch in enumerate(line):
            if ch == "(":
                if depth == 0:
                    start = i + 1
                depth += 1
            elif ch == ")" and depth > 0:
                depth -= 1
                if depth == 0:
                    yield number, line[start:i]
        if depth > 0:
            yield number, line[start:]
        open_from_previous = depth > 0


def rule_citations(inner):
    """Rule ids cited in the text of one parenthesis, ranges expanded."""
    out = []
    for m in RULE_ID.finditer(inner):
        letter, number, range_end = m.group(1), m.group(2), m.group(3)
        if range_end is not None and "." not in number:
            first, last = int(number), int(range_end)
            if first <= last and last - first <= 100:
                out.extend(f"{letter}{n}" for n in range(first, last + 1))
                continue
        out.append(letter + number)
        if range_end is not None:
            out.append(letter + range_end)
    return out


def section_citations(line):
    out = []
    for m in SECTION.finditer(line):
        doc = DOC_BEFORE.search(line[:m.start()])
        if doc and os.path.basename(doc.group(1)) not in ("model.md", "fltmgr-rules.md"):
            continue  # a section of another document
        out.append("§" + m.group(1))
        if m.group(2):
            out.append("§" + m.group(2))
    for m in RULES_SECTION.finditer(line):
        out.append("§" + m.group(1))
    return out


def citations(path, text):
    """Yields (line number, what is cited as written, anchor it needs)."""
    lines = text.splitlines()
    for number, inner in parenthesised(lines):
        for rid in rule_citations(inner):
            yield number, rid, anchor_of(rid)
    is_model = path.replace(os.sep, "/") == MODEL
    is_markdown = path.endswith((".md", ".markdown"))
    for number, line in enumerate(lines, 1):
        if is_markdown and line.lstrip().startswith("|"):
            for cell in line.strip().strip("|").split("|"):
                if ID_CELL.match(cell):
                    for rid in rule_citations(cell):
                        yield number, rid, anchor_of(rid)
        for sec in section_citations(line):
            yield number, sec, "s" + anchor_of(sec[1:])
        for m in MODEL_LINK.finditer(line):
            yield number, MODEL + "#" + m.group(1), m.group(1)
        if is_model:
            for m in LOCAL_LINK.finditer(line):
                yield number, "#" + m.group(1), m.group(1)


def tracked_files(root):
    try:
        top = subprocess.run(["git", "-C", root, "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
        if os.path.realpath(top) == os.path.realpath(root):
            listed = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True,
                                    check=True).stdout.decode("utf-8", "replace")
            return sorted(p for p in listed.split("\0") if p)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "build")
        for name in filenames:
            found.append(os.path.relpath(os.path.join(dirpath, name), root))
    return sorted(found)


def scanned(path):
    name = os.path.basename(path)
    return name in NAMES or name.endswith(SUFFIXES)


def check(root, out=sys.stdout):
    """Prints one line per unresolved citation; returns the number of them."""
    model_path = os.path.join(root, MODEL)
    try:
        with open(model_path, encoding="utf-8", errors="replace") as f:
            anchors = model_anchors(f.read())
    except OSError:
        print(f"{MODEL}: missing, so no citation can resolve", file=out)
        return 1
    misses = files = cites = 0
    for rel in tracked_files(root):
        if not scanned(rel) or rel.replace(os.sep, "/") == SELF:
            continue
        try:
            with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue  # tracked but deleted in the work tree
        files += 1
        seen = set()
        for number, what, anchor in sorted(citations(rel, text), key=lambda c: c[0]):
            cites += 1
            if anchor not in anchors and (number, what) not in seen:
                seen.add((number, what))
                misses += 1
                print(f"{rel}:{number}: cited {what} has no anchor in {MODEL}", file=out)
    if misses == 0:
        print(f"check-citations: {cites} citations in {files} files, every one has an anchor in "
              f"{MODEL}", file=out)
    return misses


# ---- self-test ------------------------------------------------------------------------------

SELF_TEST_MODEL = """# Model
<a id="r5"></a><a id="r6"></a><a id="r4-3"></a><a id="l3"></a><a id="q4"></a>
<a id="s3-1"></a><a id="groups"></a>
## <a id="e3"></a>E3 Edge Case
See [R5](#r5) and [the groups](#groups), but not [this](#dangling-local).
"""

SELF_TEST_SOURCE = """// Clean: (R5, R6) (L3/Q4) (rules R4.3) (E3) §3.1 docs/model.md#groups docs/model.md#e3-edge-case.
// Another document's section is not ours: architecture.md §7.
// Not citations: (0xA1, FE12) (Frame 0 [0, 49999]) foo(bar) R9 outside parentheses.
int x = f(1); // (R8)
// (R5-R7) and a wrapped one (see L3, and
// also Q9) plus §9 Q4 and "rules 3.2"
// docs/model.md#nowhere.
"""

SELF_TEST_DOC = """# Doc
| field | rule |
|---|---|
| a | L3, Q4 |
| b | R5, R9 |
| c | not R9 |
"""

SELF_TEST_EXPECTED = [
    "docs/doc.md:5: cited R9 has no anchor in docs/model.md",
    "docs/model.md:5: cited #dangling-local has no anchor in docs/model.md",
    "src/a.cpp:4: cited R8 has no anchor in docs/model.md",
    "src/a.cpp:5: cited R7 has no anchor in docs/model.md",
    "src/a.cpp:6: cited Q9 has no anchor in docs/model.md",
    "src/a.cpp:6: cited §9 has no anchor in docs/model.md",
    "src/a.cpp:6: cited §3.2 has no anchor in docs/model.md",
    "src/a.cpp:7: cited docs/model.md#nowhere has no anchor in docs/model.md",
]


def write_tree(root, files):
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def self_test():
    failures = []
    script = os.path.abspath(__file__)
    with tempfile.TemporaryDirectory() as tmp:
        dirty = os.path.join(tmp, "dirty")
        write_tree(dirty, {MODEL: SELF_TEST_MODEL, "src/a.cpp": SELF_TEST_SOURCE,
                           "docs/doc.md": SELF_TEST_DOC, "data/ignored.csv": "(R99)\n"})
        run = subprocess.run([sys.executable, script, dirty], capture_output=True, text=True)
        got = run.stdout.splitlines()
        if run.returncode != 1:
            failures.append(f"dangling citations: exit {run.returncode}, expected 1")
        if got != SELF_TEST_EXPECTED:
            failures.append("dangling citations: output differs\n  expected:\n    " +
                            "\n    ".join(SELF_TEST_EXPECTED) + "\n  got:\n    " +
                            "\n    ".join(got))
        clean = os.path.join(tmp, "clean")
        write_tree(clean, {MODEL: SELF_TEST_MODEL.replace("(#dangling-local)", "(#r6)"),
                           "src/a.cpp": SELF_TEST_SOURCE.split("int x")[0]})
        run = subprocess.run([sys.executable, script, clean], capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"clean tree: exit {run.returncode}, expected 0\n{run.stdout}")
        missing = os.path.join(tmp, "no-model")
        write_tree(missing, {"src/a.cpp": "// (R5)\n"})
        run = subprocess.run([sys.executable, script, missing], capture_output=True, text=True)
        if run.returncode != 1:
            failures.append(f"no docs/model.md: exit {run.returncode}, expected 1")
    for f in failures:
        print("self-test FAILED: " + f)
    if not failures:
        print("check-citations self-test: passed")
    return 1 if failures else 0


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print("usage: check-citations.py [ROOT] | --self-test", file=sys.stderr)
        return 2
    root = argv[1] if len(argv) == 2 else os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))
    if not os.path.isdir(root):
        print(f"check-citations: {root}: not a directory", file=sys.stderr)
        return 2
    return 1 if check(root) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
