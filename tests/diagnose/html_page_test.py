#!/usr/bin/env python3
"""`fltsim diagnose --format html`: the self-contained page, checked as the other pictures are
(tests/pictures/test_pictures.py) in Debian's headless chromium (scripts/headless_chromium.py):
  * its stack picture is self-contained SVG (no script, image, link, href or url(...): the same
    check as every `simulate --format svg` picture) that parses as XML;
  * it loads with no console error and no request but the file itself (a negative-control page
    that logs an error and fetches an image must be caught);
  * it says what `--format json` says: one filters-table row per filter, in the JSON's order,
    every loaded filter drawn in the picture, the Windows baseline in the text.

Usage: html_page_test.py FLTSIM SOURCE_ROOT
"""
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "pictures"))
from headless_chromium import Chromium  # noqa: E402
from test_pictures import self_contained  # noqa: E402

INPUTS = [
    ["tests/corpus/fltmc/09-win11-26100-xps15-ucpd-bfs-unionfs.txt"],
    ["tests/corpus/fltmc/01-ntdebugging-avlegacy-encryptionlegacy-before.txt"],
    ["tests/corpus/machine/system_small.hiv"],
    ["tests/diagnose/bundles/logscout"],
    ["tests/corpus/fltmc/01-ntdebugging-avlegacy-encryptionlegacy-before.txt",
     "--add", "tests/fleet/fixtures/contoso_av.yaml"],
]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def main():
    fltsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp, Chromium() as browser:
        out = Path(tmp)
        page = browser.new_page(1400, 1000)
        bad = out / "bad.html"
        bad.write_text("<!DOCTYPE html><title>bad</title><img src=\"http://example.invalid/x.png\">"
                       "<script>console.error('boom')</script>", encoding="utf-8")
        page.navigate(bad.as_uri())
        browser.pump(0.3)
        if not page.console_errors or not any(u.startswith("http:") for u in page.requests):
            fail("the console / network watch missed the negative control")
        for k, args in enumerate(INPUTS):
            label = " ".join(args)
            run = lambda fmt: subprocess.run([fltsim, "diagnose", "--format", fmt, *args],
                                             cwd=ROOT, capture_output=True, text=True)
            h, j = run("html"), run("json")
            if h.returncode not in (0, 1) or h.returncode != j.returncode:
                fail(f"{label}: exit {h.returncode} / {j.returncode}: {h.stderr}")
                continue
            data = json.loads(j.stdout)
            m = re.search(r"<svg\b.*?</svg>", h.stdout, re.S)
            if not m:
                fail(f"{label}: no stack picture")
                continue
            svg = out / f"{k}.svg"
            svg.write_text(m.group(0), encoding="utf-8")
            try:
                for p in self_contained(svg):
                    fail(f"{label}: picture not self-contained: {p}")
            except ET.ParseError as e:
                fail(f"{label}: the picture is not XML: {e}")
            html = out / f"{k}.html"
            html.write_text(h.stdout, encoding="utf-8")
            page.console_errors.clear()
            page.requests.clear()
            page.navigate(html.as_uri())
            browser.pump(0.2)
            if page.console_errors:
                fail(f"{label}: console errors {page.console_errors}")
            if page.requests != [html.as_uri()]:
                fail(f"{label}: requests {page.requests}")
            rows = page.evaluate("[...document.querySelector('table').rows].slice(1)"
                                 ".map(r => r.cells[1].textContent)")
            if rows != [f["name"] for f in data["filters"]]:
                fail(f"{label}: table rows {rows}")
            drawn = page.evaluate("document.querySelector('svg').textContent")
            box = page.evaluate("(() => { const b = document.querySelector('svg')"
                                ".getBoundingClientRect(); return [b.width, b.height]; })()")
            if not box or box[0] < 100 or box[1] < 100:
                fail(f"{label}: picture box {box}")
            for f in data["filters"]:
                if f["loaded"] and f["name"] not in drawn:
                    fail(f"{label}: {f['name']} is not in the picture")
            text = page.evaluate("document.body.innerText")
            base = data["windows"]["baseline"]
            if base and f"baseline {base}" not in text:
                fail(f"{label}: baseline {base} not in the page")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print(f"diagnose html: {len(INPUTS)} pages load self-contained and agree with the JSON")
    return 0


if __name__ == "__main__":
    sys.exit(main())
