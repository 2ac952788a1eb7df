#!/usr/bin/env python3
"""Runs the fltsim steps of the documented GitHub Actions workflow (docs/examples/fltsim-check.yml,
docs/ci.md) the way the runner would, against fltsim's own fixtures (ctest `pictures_ci_example`).

usage: test_ci_example.py FLTSIM

The workflow is parsed as YAML (Debian python3-yaml); every step whose `run:` calls fltsim is run
with bash -e in a scratch directory holding a copy of a failing check fixture and a base scenario,
with the workflow's env, GITHUB_* variables as the runner sets them and fltsim on PATH. Then:
  * the check step records exit code 1 in $GITHUB_OUTPUT (a finding) and writes fltsim.sarif, a
    SARIF 2.1.0 log with the finding;
  * the summary step appends Markdown to $GITHUB_STEP_SUMMARY that Python-Markdown renders to a
    findings table whose file:line links point at $GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA;
  * the last step fails the job with that code; with a passing fixture everything exits 0.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import markdown
    import yaml
except ImportError:  # a Python outside Debian's (pyenv, venv): use Debian's, which has both
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    print("test_ci_example: python3-yaml or python3-markdown missing "
          "(scripts/install-deps.sh test)")
    sys.exit(1)

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "docs" / "examples" / "fltsim-check.yml"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def run_workflow(fltsim, fixture, base, tmp):
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = wf["jobs"]["fltsim"]
    work = tmp / fixture.replace("/", "_")
    shutil.copytree(ROOT / fixture, work / "drivers")
    (work / "fleet").mkdir()
    shutil.copy(ROOT / base, work / "fleet" / "windows10.yaml")
    out, summary = work / "github_output", work / "step_summary"
    out.write_text("")
    summary.write_text("")
    env = dict(os.environ)
    env.update({k: str(v) for k, v in wf["env"].items()})
    env.update({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/drivers",
                "GITHUB_SHA": "0123456789abcdef", "GITHUB_OUTPUT": str(out),
                "GITHUB_STEP_SUMMARY": str(summary),
                "PATH": str(fltsim.parent) + os.pathsep + env["PATH"]})
    outputs = {}
    codes = {}
    for step in job["steps"]:
        script = step.get("run", "")
        if "fltsim check" not in script and "steps.check.outputs" not in script:
            continue
        script = script.replace("${{ steps.check.outputs.code }}", outputs.get("code", ""))
        p = subprocess.run(["bash", "-e", "-c", script], cwd=work, env=env, capture_output=True,
                           text=True)
        codes[step.get("id") or step.get("name")] = p.returncode
        for line in out.read_text().splitlines():
            k, _, v = line.partition("=")
            outputs[k] = v
    return work, outputs, codes, summary.read_text(encoding="utf-8")


def main():
    fltsim = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="fltsim-ci-example-") as t:
        tmp = Path(t)
        # A failing fixture: an altitude-inversion on a fleet without legacy filters (E1).
        work, outputs, codes, summary = run_workflow(
            fltsim, "tests/check/altitude-inversion/fail", "scenarios/edge/e1_no_legacy.yaml",
            tmp)
        if outputs.get("code") != "1":
            fail("check step recorded code=%r, expected 1 (a finding)" % outputs.get("code"))
        if codes.get("check") != 0 or codes.get("Job summary") != 0:
            fail("the check and summary steps must not fail the job themselves: %r" % codes)
        if codes.get("Fail on findings") != 1:
            fail("the last step exited %r, expected 1" % codes.get("Fail on findings"))
        sarif = json.loads((work / "fltsim.sarif").read_text())
        results = sarif["runs"][0]["results"]
        if sarif.get("version") != "2.1.0" or not any(r["ruleId"] == "altitude-inversion"
                                                      for r in results):
            fail("fltsim.sarif has no altitude-inversion result")
        body = markdown.markdown(summary, extensions=["tables"])
        if "<table>" not in body or "<svg" in body:
            fail("the job summary has no findings table, or an inline SVG GitHub would strip")
        want = 'href="https://github.com/acme/drivers/blob/0123456789abcdef/drivers/'
        if want not in body:
            fail("the job summary's links do not point at the commit: %s" % body[:600])
        if 'href="https://github.com/YOUR-ORG/fltsim/blob/main/docs/rules.md#altitude-inversion"' \
                not in body:
            fail("the rule is not linked to fltsim's docs/rules.md")
        # A passing fixture: everything exits 0 and the summary says so.
        _, outputs, codes, summary = run_workflow(
            fltsim, "tests/check/altitude-inversion/pass", "scenarios/edge/e1_no_legacy.yaml",
            tmp)
        if outputs.get("code") != "0" or codes.get("Fail on findings") != 0:
            fail("passing fixture: code=%r, last step %r" % (outputs.get("code"), codes))
        if "<h2>fltsim check: passed</h2>" not in markdown.markdown(summary, extensions=["tables"]):
            fail("passing fixture: summary %r" % summary[:200])
    if failures:
        print("test_ci_example: FAILED")
        return 1
    print("test_ci_example: the example workflow's fltsim steps behave as docs/ci.md says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
