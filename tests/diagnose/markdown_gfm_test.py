#!/usr/bin/env python3
"""`fltsim diagnose --format markdown` is valid GitHub-flavoured Markdown that says what
`--format json` says: rendered by cmark-gfm (the GFM reference implementation, Debian's
cmark-gfm), its tables, headings and lists are read back with html.parser and compared with the
JSON of the same run.

Usage: markdown_gfm_test.py FLTSIM CMARK_GFM SOURCE_ROOT
"""
import html.parser
import json
import os
import subprocess
import sys

INPUTS = [
    ["tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt"],
    ["tests/corpus/fltmc/01-ntdebugging-avlegacy-encryptionlegacy-before.txt"],
    ["tests/corpus/observed/01-en-fltmc-prompt.txt",
     "tests/corpus/observed/01-en-fltmc-prompt.events.txt"],
    ["tests/corpus/machine/system_small.hiv"],
    ["tests/corpus/machine/system_small.reg"],
    ["tests/corpus/observed/24-ntobject-get-filterdriver.json"],
    ["tests/diagnose/bundles/logscout"],
    ["tests/diagnose/bundles/hive-and-capture"],
    ["tests/corpus/machine/system_small.reg",
     "tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt"],
    ["tests/corpus/observed/61-both-legacy-and-minifilter.txt"],
    ["tests/corpus/observed/58-timesync-wiki-company-annotations.md"],
    ["tests/corpus/fltmc/08-epic-horde-test-cbfsconnect2017-legacy.txt",
     "--add", "tests/diagnose/changes/legacy_av.yaml"],
    ["tests/corpus/fltmc/01-ntdebugging-avlegacy-encryptionlegacy-before.txt",
     "--add", "tests/fleet/fixtures/contoso_av.yaml"],
]


class Reader(html.parser.HTMLParser):
    """Headings, tables (rows of cell texts) and list items of the rendered page."""

    def __init__(self):
        super().__init__()
        self.headings, self.tables, self.items, self.paragraphs = [], [], [], []
        self.ordered = []  # items of <ol> lists
        self.stack, self.text = [], None

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        if tag in ("h1", "h2", "td", "th", "li", "p"):
            self.text = ""

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
        if self.text is None:
            return
        if tag in ("h1", "h2"):
            self.headings.append(self.text.strip())
        elif tag in ("td", "th"):
            self.tables[-1][-1].append(self.text.strip())
        elif tag == "li":
            self.items.append(self.text.strip())
            if "ol" in self.stack:
                self.ordered.append(self.text.strip())
        elif tag == "p":
            self.paragraphs.append(self.text.strip())
        else:
            return
        self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text += data


def agree(cmark, label, data, markdown):
    """What in the rendered Markdown differs from the JSON: a list of failures."""
    out = []

    def check(cond, what):
        if not cond:
            out.append(what)

    page = subprocess.run([cmark, "--extension", "table", "--validate-utf8"],
                          input=markdown, capture_output=True, text=True, check=True).stdout
    r = Reader()
    r.feed(page)
    for c in "*_[]<>|#~`":
        check("\\" + c not in page, f"{label}: the escape \\{c} was not taken by the renderer")
    check(r.headings[0] == "fltsim diagnose: " + data["machine"], f"{label}: title {r.headings[:1]}")
    for h in ("Evidence", "Which Windows", "Filters", "The stack explained",
              "Against the baseline"):
        check(h in r.headings, f"{label}: heading {h}")
    # The filters table says what the JSON's filters say, row by row.
    check(len(r.tables) >= 1, f"{label}: no table rendered")
    table = r.tables[0]
    check(table[0][:3] == ["#", "Filter", "Company"], f"{label}: header {table[0]}")
    rows = table[1:]
    check(len(rows) == len(data["filters"]), f"{label}: {len(rows)} rows, "
          f"{len(data['filters'])} filters")
    for row, f in zip(rows, data["filters"]):
        check(row[1] == f["name"], f"{label}: {row[1]} != {f['name']}")
        check(row[2] == (f["company"] or "(not in the allocated list)"),
              f"{label}: company of {f['name']}: {row[2]}")
        check(row[3] == f["origin"], f"{label}: origin of {f['name']}: {row[3]}")
        check(row[4] == f["kind"], f"{label}: kind of {f['name']}")
        check(row[5] == (f["altitude"] or "-"), f"{label}: altitude of {f['name']}")
        check(row[7].split(" ")[0] == f["allocation"], f"{label}: allocation of {f['name']}")
        if f["position"] is not None:
            check(row[0] == str(f["position"]), f"{label}: position of {f['name']}")
    # Which Windows.
    text = "\n".join(r.paragraphs + r.items)
    w = data["windows"]
    if w["baseline"]:
        check(f"baseline {w['baseline']}" in text, f"{label}: baseline {w['baseline']}")
        check(f"confidence: {w['confidence']}" in text, f"{label}: confidence")
    else:
        check("Unknown: no bundled Windows baseline fits" in text, f"{label}: unknown")
    for e in w["evidence"]:
        check(e in r.items, f"{label}: evidence item {e!r}")
    # Findings, frames and the baseline's differences.
    for f in data["findings"]:
        check(f"{f['severity']} {f['code']}: {f['message']}" in r.items,
              f"{label}: finding {f['code']}")
    for fr in data["frames"]:
        if "reason" in fr:
            check(fr["reason"]["text"] in r.items, f"{label}: frame {fr['id']} reason")
    if data["baseline"]:
        added = ", ".join(data["baseline"]["added"]) or "none"
        check(f"Added (not in {data['baseline']['id']}): {added}" in r.items,
              f"{label}: added")
    if data["what_if"]:
        check(f"Outcome (as fltsim fleet classifies this machine): "
              f"{data['what_if']['outcome']}." in r.paragraphs, f"{label}: what-if outcome")
        if data["what_if"]["fix"]:
            check(any(p.startswith("The planner's fix") and
                      p.endswith(data["what_if"]["fix"]["status"] + ".")
                      for p in r.paragraphs), f"{label}: fix status")
    if data["comparison"]:
        c = data["comparison"]
        check(("They agree: the configuration predicts what the capture shows." in r.paragraphs)
              == c["match"], f"{label}: comparison verdict")
        for x in c["differences"]:
            check(f"{x['kind']}: {x['message']}" in r.items, f"{label}: difference {x['message']}")
    if data["load_order"]:
        check(r.ordered == data["load_order"]["observed"], f"{label}: load order {r.ordered}")
    summary = r.paragraphs[0]
    check(("exit 1" in summary) == data["needs_attention"], f"{label}: summary {summary}")
    return out


def main():
    fltsim, cmark, root = sys.argv[1:4]
    os.chdir(root)
    failures = []
    first = None
    for args in INPUTS:
        label = " ".join(args)
        js = subprocess.run([fltsim, "diagnose", "--format", "json", *args],
                            capture_output=True, text=True)
        md = subprocess.run([fltsim, "diagnose", "--format", "markdown", *args],
                            capture_output=True, text=True)
        if js.returncode not in (0, 1) or js.returncode != md.returncode:
            failures.append(f"{label}: exit {js.returncode} / {md.returncode}: {js.stderr}")
            continue
        data = json.loads(js.stdout)
        failures += agree(cmark, label, data, md.stdout)
        first = first or (label, data, md.stdout)
    # Negative control: a report whose table says another origin must be caught.
    label, data, markdown = first
    name = data["filters"][0]["name"]
    wrong = markdown.replace(f"| {name} | ", f"| {name}x | ", 1)
    if not agree(cmark, label, data, wrong):
        failures.append("the checker missed a filter renamed in the Markdown table")
    for f in failures:
        print("FAIL:", f)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"diagnose markdown: {len(INPUTS)} runs rendered by cmark-gfm agree with the JSON")
    return 0


if __name__ == "__main__":
    sys.exit(main())
