#!/usr/bin/env python3
"""The pictures `fltsim` draws, checked in a real browser (ctest `pictures_svg_html`).

usage: test_pictures.py FLTSIM [--keep DIR]

SVG (`simulate --format svg`, every bundled scenario, each volume of scenarios that name volumes,
and `plan --format svg` of every planner scenario):
  * validates as XML (xmllint, Debian libxml2-utils) and is self-contained: no script, image,
    foreignObject, use, link or style element, no href, no url(...) reference;
  * headless Chromium (Debian's chromium, one browser process for everything) renders it to a
    PNG that scripts/check_screenshot.py (the viewer test's pixel checks) accepts against the
    layout the view model reported (`--layout-json`): not blank, each frame box, minifilter row,
    legacy block and the file system in its colour where the layout put it, each inversion
    connector red along its lane;
  * the checker notices a box that is not where the layout says (negative control).

HTML replay (`simulate --format html --trace`, every bundled scenario), driven through the
DevTools protocol (scripts/headless_chromium.py):
  * loads with no console error and no request but the file itself (a negative control page
    that logs an error and fetches an image must be caught);
  * the step count is the trace's; at every position the one visible step section, the current
    narration item and the highlighted frame are the ones the trace says (focus_of: the frame
    created, grown, raised or registered into);
  * step back / forward buttons, the arrow keys, the scrubber and play change the position;
  * the last step shows the same stack as the SVG: the same frames, filters, legacy blocks and
    connectors at the same coordinates.
"""
import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import check_screenshot  # noqa: E402
from headless_chromium import Chromium, find_chromium  # noqa: E402

SVG_NS = "{http://www.w3.org/2000/svg}"
FORBIDDEN = {"script", "image", "foreignObject", "use", "a", "style", "iframe", "object",
             "embed", "link", "feImage"}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def run(fltsim, *args, ok=(0, 1)):
    p = subprocess.run([str(fltsim), *args], cwd=ROOT, capture_output=True, text=True)
    if p.returncode not in ok:
        raise RuntimeError("fltsim %s: exit %d\n%s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


VOLUMES = "tests/pictures/two_volumes.yaml"


def scenarios():
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "scenarios").rglob("*.yaml"))


def name_of(s):
    return Path(s).stem if s == VOLUMES else s[len("scenarios/"):-len(".yaml")].replace("/", "_")


def self_contained(path):
    """Problems that would make the SVG fetch or run something."""
    problems = []
    root = ET.parse(path).getroot()
    for el in root.iter():
        tag = el.tag.replace(SVG_NS, "")
        if tag in FORBIDDEN:
            problems.append("<%s> element" % tag)
        for k, v in el.attrib.items():
            if k.endswith("href"):
                problems.append("%s attribute on <%s>" % (k, tag))
            if "url(" in v or re.search(r"\b(https?|file|data):", v):
                problems.append("reference %r in %s" % (v, k))
            if k.startswith("on"):
                problems.append("event handler %s" % k)
    return problems


def geometry(root):
    """What a stack picture shows, position by position: frames, filters, legacy blocks (with
    their data-x/y/w/h view coordinates) and connectors (their polyline)."""
    out = []
    for el in root.iter():
        cls = (el.get("class") or "").split()
        if not cls:
            continue
        kind = cls[0]
        if kind in ("frame", "filter", "legacy", "file-system"):
            out.append((kind, el.get("data-id") or el.get("data-driver") or "",
                        el.get("data-x"), el.get("data-y"), el.get("data-w"), el.get("data-h")))
        elif kind == "connector":
            line = next(c for c in el if c.tag.replace(SVG_NS, "") == "polyline")
            out.append((kind, el.get("data-lower") + "-" + el.get("data-upper"),
                        line.get("points")))
    return out


GEOMETRY_JS = r"""
(function (root) {
  var out = [];
  root.querySelectorAll("g").forEach(function (g) {
    var kind = (g.getAttribute("class") || "").split(" ")[0];
    if (["frame", "filter", "legacy", "file-system"].indexOf(kind) >= 0)
      out.push([kind, g.getAttribute("data-id") || g.getAttribute("data-driver") || "",
                g.getAttribute("data-x"), g.getAttribute("data-y"), g.getAttribute("data-w"),
                g.getAttribute("data-h")]);
    else if (kind === "connector")
      out.push([kind, g.getAttribute("data-lower") + "-" + g.getAttribute("data-upper"),
                g.querySelector("polyline").getAttribute("points")]);
  });
  return out;
})(document.querySelector("#stage section.step:not([hidden]) svg"))
"""

STATE_JS = r"""
(function () {
  var shown = document.querySelectorAll("#stage section.step:not([hidden])");
  var cur = document.querySelectorAll("#steps li.current");
  var hi = shown.length ? shown[0].querySelectorAll("g.frame.highlighted") : [];
  return {position: fltsimReplay.position(),
          shown: Array.prototype.map.call(shown, function (s) { return +s.dataset.step; }),
          current: Array.prototype.map.call(cur, function (l) { return +l.dataset.step; }),
          aria: document.querySelectorAll("#steps li[aria-current=step]").length,
          highlighted: Array.prototype.map.call(hi, function (g) { return +g.dataset.id; }),
          frames: shown.length ? shown[0].querySelectorAll("g.frame").length : -1,
          narration: document.getElementById("narration").textContent,
          scrub: +document.getElementById("scrub").value};
})()
"""

# Trace events whose step highlights a frame (fltsim/viewer/stack_view.hpp: focus_of).
HIGHLIGHTS = {"fltmgr-start", "frame-create", "frame-grow", "frame-raise", "register",
              "instance-fail", "unload"}


def check_svgs(fltsim, out, browser):
    cases = []  # (name, svg path, layout path or None)
    for s in scenarios() + [VOLUMES]:
        name = name_of(s)
        p = subprocess.run([str(fltsim), "simulate", s, "--format", "svg", "--layout-json",
                            str(out / (name + ".json"))], cwd=ROOT, capture_output=True,
                           text=True)
        if p.returncode == 2:
            # An invalid scenario (input errors) draws nothing: exit 2 and a located message.
            if p.stdout or ":" not in p.stderr:
                fail("%s: exit 2 should print no picture and say where: %r" % (s, p.stderr))
            continue
        if p.returncode not in (0, 1):
            fail("%s: simulate --format svg exited %d: %s" % (s, p.returncode, p.stderr))
            continue
        (out / (name + ".svg")).write_text(p.stdout, encoding="utf-8")
        cases.append((name, out / (name + ".svg"), out / (name + ".json")))
        text = (ROOT / s).read_text(encoding="utf-8")
        m = re.search(r"^volumes:\s*\[(.*)\]", text, re.M)
        for v in ([x.strip().strip("\"'") for x in m.group(1).split(",")] if m else []):
            vname = "%s_vol_%s" % (name, re.sub(r"[^A-Za-z0-9]", "_", v))
            svg = run(fltsim, "simulate", s, "--format", "svg", "--volume", v, "--layout-json",
                      str(out / (vname + ".json")))
            (out / (vname + ".svg")).write_text(svg, encoding="utf-8")
            cases.append((vname, out / (vname + ".svg"), out / (vname + ".json")))
            # Only the minifilters with an instance on the volume (docs/model.md#volumes).
            names = {f["name"] for fr in json.loads((out / (vname + ".json")).read_text())["frames"]
                     for f in fr["filters"]}
            want = {"C:": {"FileInfo", "luafv", "AVMiniFilter"},
                    "\\Device\\Mup": {"FileInfo", "luafv", "CloudSync"}}.get(v)
            if s == VOLUMES and names != want:
                fail("%s: volume %s shows %r, expected %r" % (s, v, sorted(names), sorted(want)))
    for s in scenarios():
        if not s.startswith("scenarios/planner/") and "blog_example" not in s:
            continue
        name = "plan_" + s[len("scenarios/"):-len(".yaml")].replace("/", "_")
        svg = run(fltsim, "plan", s, "--format", "svg")
        (out / (name + ".svg")).write_text(svg, encoding="utf-8")
        cases.append((name, out / (name + ".svg"), None))

    # XML: one xmllint for all of them.
    p = subprocess.run(["xmllint", "--noout", *[str(c[1]) for c in cases]], capture_output=True,
                       text=True)
    if p.returncode != 0:
        fail("xmllint rejected SVG output:\n" + p.stderr)
    for name, svg, _ in cases:
        for problem in self_contained(svg):
            fail("%s.svg is not self-contained: %s" % (name, problem))

    page = None
    checked = 0
    for name, svg, layout_path in cases:
        root = ET.parse(svg).getroot()
        w, h = int(root.get("width")), int(root.get("height"))
        if page is None:
            page = browser.new_page(w, h)
        page.resize(w, h)
        page.navigate(svg.as_uri())
        png = out / (name + ".png")
        png.write_bytes(page.screenshot())
        if layout_path is not None:
            if check_screenshot.main(["check_screenshot.py", str(png), str(layout_path),
                                      "--size", "%dx%d" % (w, h)]) != 0:
                fail("%s: the rendered PNG does not match the layout" % name)
        else:
            # plan: both panels drawn, as many frame boxes as the two stacks have.
            img = check_screenshot.Image(str(png))
            colours = {img.pixel(x, y) for y in range(0, img.height, 7)
                       for x in range(0, img.width, 7)}
            frames = len(root.findall(".//%sg[@class='frame']" % SVG_NS))
            panels = len(root.findall(".//%sg[@class='panel']" % SVG_NS))
            if len(colours) < 16 or frames < panels or panels < 1:
                fail("%s: %d colours, %d frames in %d panels" % (name, len(colours), frames,
                                                                  panels))
        checked += 1
    if page is not None and cases and cases[0][2] is not None:
        # Negative control: a frame probe moved off its box must be caught.
        name, _, layout_path = cases[0]
        j = json.loads(layout_path.read_text())
        if j["frames"]:
            j["frames"][0]["probe"][0] += 300
            moved = out / "moved.json"
            moved.write_text(json.dumps(j))
            with contextlib.redirect_stdout(io.StringIO()):
                accepted = check_screenshot.main(["check_screenshot.py",
                                                  str(out / (name + ".png")), str(moved)]) == 0
            if accepted:
                fail("the pixel check accepted a frame box moved away from its pixels")
    print("svg: %d pictures validated, rendered in chromium and checked" % checked)
    return {c[0]: c[1] for c in cases}


def check_harness(browser, out):
    """The console / network watch really catches a page that logs and fetches."""
    bad = out / "bad.html"
    bad.write_text("<!DOCTYPE html><title>bad</title><img src=\"http://example.invalid/x.png\">"
                   "<script>console.error('boom')</script>", encoding="utf-8")
    page = browser.new_page(200, 100)
    page.navigate(bad.as_uri())
    browser.pump(0.3)
    if not page.console_errors:
        fail("the console watch missed console.error")
    if not any(u.startswith("http:") for u in page.requests):
        fail("the network watch missed a fetch: %r" % page.requests)


def check_replays(fltsim, out, browser, svgs):
    page = browser.new_page(1280, 900)
    replays = 0
    for s in scenarios() + [VOLUMES]:
        name = name_of(s)
        if name not in svgs:
            continue  # invalid scenario, no picture
        html = out / (name + ".html")
        html.write_text(run(fltsim, "simulate", s, "--format", "html", "--trace"),
                        encoding="utf-8")
        trace = json.loads(run(fltsim, "simulate", s, "--format", "json", "--trace"))["trace"]
        page.console_errors.clear()
        page.requests.clear()
        page.navigate(html.as_uri())
        label = "%s.html" % name
        count = page.evaluate("fltsimReplay.count")
        if count != len(trace):
            fail("%s: %s steps, the trace has %d" % (label, count, len(trace)))
            continue
        st = page.evaluate(STATE_JS)
        if st["position"] != count or st["shown"] != [count]:
            fail("%s: opens at %r, expected the last step %d" % (label, st, count))
        # Every position: one section shown, its narration item current, the right frame lit.
        for p in range(count, -1, -1):
            page.evaluate("fltsimReplay.seek(%d)" % p)
            st = page.evaluate(STATE_JS)
            want_hi = []
            if p > 0 and trace[p - 1]["event"] in HIGHLIGHTS and trace[p - 1]["frame"] is not None \
                    and trace[p - 1]["frame"] >= 0:
                want_hi = [trace[p - 1]["frame"]]
            want_text = trace[p - 1]["text"] if p > 0 else None
            if (st["position"] != p or st["shown"] != [p] or st["scrub"] != p
                    or st["current"] != ([p] if p > 0 else []) or st["aria"] != (1 if p else 0)
                    or st["highlighted"] != want_hi
                    or (want_text is not None and st["narration"] != want_text)):
                fail("%s: at step %d: %r (expected highlighted %r)" % (label, p, st, want_hi))
                break
            if p == 0 and st["frames"] != 0:
                fail("%s: step 0 (before fltmgr) shows %d frames" % (label, st["frames"]))
        # The controls.
        page.evaluate("document.getElementById('last').click()")
        page.evaluate("document.getElementById('back').click()")
        if count >= 1 and page.evaluate("fltsimReplay.position()") != count - 1:
            fail("%s: 'Step back' did not go to step %d" % (label, count - 1))
        page.evaluate("document.getElementById('first').click()")
        page.key("ArrowRight", keycode=39)
        if count >= 1 and page.evaluate(STATE_JS)["current"] != [1]:
            fail("%s: the right arrow did not highlight step 1" % label)
        page.evaluate("document.getElementById('fwd').click()")
        if count >= 2 and page.evaluate("fltsimReplay.position()") != 2:
            fail("%s: 'Step forward' did not go to step 2" % label)
        page.evaluate("var s = document.getElementById('scrub'); s.value = '1';"
                      "s.dispatchEvent(new Event('input'))")
        if count >= 1 and page.evaluate("fltsimReplay.position()") != 1:
            fail("%s: the scrubber did not seek" % label)
        if count >= 3 and name == "blog_example_a":
            page.evaluate("document.getElementById('speed').value = '10';"
                          "document.getElementById('first').click();"
                          "document.getElementById('play').click()")
            browser.pump(0.45)
            moved = page.evaluate("fltsimReplay.position()")
            playing = page.evaluate("fltsimReplay.playing()")
            page.evaluate("document.getElementById('play').click()")
            if moved < 2 or not playing or page.evaluate("fltsimReplay.playing()"):
                fail("%s: play advanced to %d (playing %r)" % (label, moved, playing))
        # The last step: the same stack as the SVG.
        page.evaluate("fltsimReplay.seek(fltsimReplay.count)")
        shown = [tuple(x) for x in page.evaluate(GEOMETRY_JS)]
        want = geometry(ET.parse(svgs[name]).getroot())
        if shown != want:
            fail("%s: the last step's stack differs from %s.svg:\n  html %r\n  svg  %r"
                 % (label, name, shown, want))
        if page.console_errors:
            fail("%s: console errors: %r" % (label, page.console_errors))
        fetched = [u for u in page.requests if u != html.as_uri()]
        if fetched:
            fail("%s: fetched %r" % (label, fetched))
        replays += 1
    print("html: %d replays driven in chromium" % replays)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fltsim", type=Path)
    ap.add_argument("--keep", type=Path, help="keep the pictures in this directory")
    a = ap.parse_args()
    for tool in ("xmllint",):
        if not shutil.which(tool):
            print("test_pictures: %s missing (scripts/install-deps.sh test)" % tool)
            return 1
    if not find_chromium():
        print("test_pictures: chromium missing (scripts/install-deps.sh test)")
        return 1
    out = a.keep or Path(tempfile.mkdtemp(prefix="fltsim-pictures-"))
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    try:
        with Chromium() as browser:
            svgs = check_svgs(a.fltsim.resolve(), out, browser)
            check_harness(browser, out)
            check_replays(a.fltsim.resolve(), out, browser, svgs)
    finally:
        if not a.keep:
            shutil.rmtree(out, ignore_errors=True)
    print("test_pictures: %.1f s" % (time.monotonic() - start))
    if failures:
        print("test_pictures: FAILED: %d problem(s)" % len(failures))
        return 1
    print("test_pictures: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
