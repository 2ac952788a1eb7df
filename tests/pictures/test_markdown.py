#!/usr/bin/env python3
"""`check --format markdown` and `plan --format markdown`, read back through a Markdown parser
(ctest `pictures_markdown`).

usage: test_markdown.py FLTSIM

The Markdown is rendered with Python-Markdown (Debian python3-markdown, with its `tables`
extension, the GitHub table syntax) and the HTML is compared with the JSON report of the same run,
so what is checked is what a reader sees, not the bytes:
  * check: the heading says passed / failed / input errors as the exit code does; the findings
    table has one row per finding with severity, rule, the file:line text linking to
    `<link-base>/<file>#L<line>` (rules linking to `<rules-uri>#<rule>` when given), and the
    message as plain text (no stray emphasis, links or HTML from the message's own brackets,
    underscores, pipes or angle brackets); the stack picture is an inline <svg> inside <details>
    that parses as XML and shows the simulated frames; `--stack-svg none` leaves it out and
    `--stack-svg URL` shows an <img> instead;
  * plan: the status heading, one dummy table row per dummy with name and altitude, the
    findings before/after tables, and the before/after <svg> with one panel per stack.
"""
import html.parser
import json
import os
import subprocess
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

try:
    import markdown
except ImportError:  # a Python outside Debian's (pyenv, venv): use Debian's, which has it
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    print("test_markdown: python3-markdown missing (scripts/install-deps.sh test)")
    sys.exit(1)

ROOT = Path(__file__).resolve().parents[2]
SVG_NS = "{http://www.w3.org/2000/svg}"
BASE = "https://github.example/o/r/blob/0123abc"
RULES = "https://example.test/docs/rules.md"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


class Tree(html.parser.HTMLParser):
    """Just enough of the rendered HTML: tables (cells as text + links), headings, images,
    <details> bodies (raw), and every element name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.headings, self.images, self.tags = [], [], [], []
        self.cell = None
        self.heading = None
        self.em = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = {"text": "", "links": [], "tag": tag}
        elif tag == "a" and self.cell is not None:
            self.cell["links"].append(a.get("href"))
        elif tag in ("h1", "h2", "h3"):
            self.heading = ""
        elif tag == "img":
            self.images.append(a)
        elif tag in ("em", "strong", "code") and self.cell is not None:
            self.cell.setdefault("markup", []).append(tag)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(self.cell)
            self.cell = None
        elif tag in ("h1", "h2", "h3") and self.heading is not None:
            self.headings.append(self.heading)
            self.heading = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
        if self.heading is not None:
            self.heading += data


def render(md):
    body = markdown.markdown(md, extensions=["tables"])
    t = Tree()
    t.feed(body)
    return body, t


def svg_of(body):
    start, end = body.find("<svg"), body.find("</svg>")
    if start < 0 or end < 0:
        return None
    return ET.fromstring(body[start:end + len("</svg>")])


def run(fltsim, *args):
    p = subprocess.run([str(fltsim), *args], cwd=ROOT, capture_output=True, text=True)
    return p.returncode, p.stdout


def check_case(fltsim, args, label):
    code, md = run(fltsim, *args, "--format", "markdown", "--link-base", BASE + "/",
                   "--rules-uri", RULES)
    jcode, js = run(fltsim, *args, "--format", "json")
    report = json.loads(js)
    if code != jcode:
        fail("%s: markdown exit %d, json exit %d" % (label, code, jcode))
    body, t = render(md)
    want_head = {0: "passed", 1: "failed", 2: "input errors"}[code]
    if not t.headings or t.headings[0] != "fltsim check: " + want_head:
        fail("%s: heading %r, expected 'fltsim check: %s'" % (label, t.headings[:1], want_head))
    findings = report["findings"]
    if not findings:
        if t.tables:
            fail("%s: a findings table without findings" % label)
    elif len(t.tables) != 1:
        fail("%s: %d tables for %d findings" % (label, len(t.tables), len(findings)))
    else:
        head, *rows = t.tables[0]
        if [c["text"] for c in head] != ["Severity", "Rule", "Where", "Message"]:
            fail("%s: table header %r" % (label, [c["text"] for c in head]))
        if len(rows) != len(findings):
            fail("%s: %d rows for %d findings" % (label, len(rows), len(findings)))
        for row, f in zip(rows, findings):
            sev, rule, where, msg = row
            want_where = "" if f["file"] is None else f["file"] + (
                ":%d" % f["line"] if f["line"] else "")
            want_link = None if f["file"] is None else BASE + "/" + urllib.parse.quote(
                f["file"]) + ("#L%d" % f["line"] if f["line"] else "")
            message = f["message"] if f["message"].endswith(".") else f["message"] + "."
            problems = []
            if sev["text"] != f["severity"]:
                problems.append("severity %r" % sev["text"])
            if rule["text"] != f["code"] or rule["links"] != [RULES + "#" + f["code"]]:
                problems.append("rule %r -> %r" % (rule["text"], rule["links"]))
            if where["text"] != want_where or where["links"] != ([want_link] if want_link else []):
                problems.append("where %r -> %r, expected %r -> %r"
                                % (where["text"], where["links"], want_where, want_link))
            if msg["text"] != message or msg["links"] or msg.get("markup"):
                problems.append("message %r (links %r, markup %r)"
                                % (msg["text"], msg["links"], msg.get("markup")))
            if problems:
                fail("%s: %s: %s" % (label, f["code"], "; ".join(problems)))
    # The stack picture, inline.
    if "details" not in t.tags or "summary" not in t.tags:
        fail("%s: no <details> block for the stack" % label)
    svg = svg_of(body)
    if svg is None:
        fail("%s: no inline <svg>" % label)
    elif code != 2 and not svg.findall(".//%sg[@class='file-system']" % SVG_NS):
        fail("%s: the inline SVG has no stack" % label)
    # --stack-svg none / URL.
    _, md_none = run(fltsim, *args, "--format", "markdown", "--stack-svg", "none")
    body, t = render(md_none)
    if "<svg" in body or t.images:
        fail("%s: --stack-svg none still shows a picture" % label)
    _, md_img = run(fltsim, *args, "--format", "markdown", "--stack-svg",
                    "https://example.test/stack (1).svg")
    body, t = render(md_img)
    if "<svg" in body or [i.get("src") for i in t.images] != [
            "https://example.test/stack%20%281%29.svg"]:
        fail("%s: --stack-svg URL gives images %r" % (label, t.images))


def check_plan(fltsim, scenario):
    code, md = run(fltsim, "plan", scenario, "--format", "markdown")
    _, js = run(fltsim, "plan", scenario, "--format", "json")
    p = json.loads(js)
    body, t = render(md)
    label = "plan " + scenario
    if not t.headings or not t.headings[0].startswith("fltsim plan: " + p["status"]):
        fail("%s: heading %r, status %s" % (label, t.headings[:1], p["status"]))
    tables = {}
    # Tables follow their h3 headings in order; map them by the headings that have tables.
    heads = [h for h in t.headings[1:] if h in ("Dummy minifilters", "Findings before",
                                                "Findings after")]
    with_table = [h for h in heads if h == "Dummy minifilters"
                  or (h == "Findings before" and p["before_findings"])
                  or (h == "Findings after" and p["after_findings"])]
    if len(with_table) != len(t.tables):
        fail("%s: %d tables under %r" % (label, len(t.tables), heads))
        return
    tables = dict(zip(with_table, t.tables))
    if p["status"] == "fixed":
        rows = tables.get("Dummy minifilters", [])[1:]
        got = [(r[1]["text"], r[4]["text"]) for r in rows]
        want = [(d["name"], d["altitude"]) for d in p["dummies"]]
        if got != want:
            fail("%s: dummies %r, expected %r" % (label, got, want))
    for key, head in (("before_findings", "Findings before"), ("after_findings", "Findings after")):
        if key == "after_findings" and p["status"] != "fixed":
            continue
        rows = tables.get(head, [[]])[1:]
        got = [(r[1]["text"], r[2]["text"]) for r in rows]
        want = [(f["code"], f["message"]) for f in p[key]]
        if got != want:
            fail("%s: %s %r, expected %r" % (label, head, got, want))
    svg = svg_of(body)
    panels = 0 if svg is None else len(svg.findall(".//%sg[@class='panel']" % SVG_NS))
    if panels != (2 if p["status"] == "fixed" else 1):
        fail("%s: %d panels in the inline SVG (status %s)" % (label, panels, p["status"]))


def main():
    fltsim = Path(sys.argv[1]).resolve()
    cases = 0
    fixtures = sorted(p for p in (ROOT / "tests" / "check").iterdir() if p.is_dir())
    for rule in fixtures:
        for kind in ("fail", "pass"):
            d = rule / kind
            if not d.is_dir():
                continue
            args = ["check", d.relative_to(ROOT).as_posix()]
            if (rule / "base.yaml").exists():
                args += ["--base", (rule / "base.yaml").relative_to(ROOT).as_posix()]
            check_case(fltsim, args, "%s/%s" % (rule.name, kind))
            cases += 1
    every_fail = [f"tests/check/{r.name}/fail" for r in fixtures if (r / "fail").is_dir()]
    check_case(fltsim, ["check", *every_fail], "all fixtures")
    check_case(fltsim, ["check", "tests/check/altitude-inversion/pass", "--base",
                        "scenarios/blog_example_a.yaml"], "base blog A")
    check_case(fltsim, ["check", "tests/no/such/dir"], "missing path")
    cases += 3
    for s in sorted((ROOT / "scenarios").rglob("*.yaml")):
        rel = s.relative_to(ROOT).as_posix()
        if run(fltsim, "simulate", rel, "--format", "json")[0] == 2:
            continue
        check_plan(fltsim, rel)
        cases += 1
    if failures:
        print("test_markdown: FAILED: %d problem(s) in %d cases" % (len(failures), cases))
        return 1
    print("test_markdown: %d Markdown reports read back through Python-Markdown %s" %
          (cases, markdown.__version__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
