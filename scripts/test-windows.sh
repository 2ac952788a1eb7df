#!/usr/bin/env bash
# The Windows build, tested under wine (docs/windows.md): builds fltsim.exe and the doctest suites
# with mingw-w64 (scripts/build-windows.sh), then, under wine 8 with one wineserver kept up for
# the whole run (`wineserver -p`, so no command pays wine's start-up):
#   1. the doctest suites that test libraries (ctest; CMAKE_CROSSCOMPILING_EMULATOR=wine runs each);
#   2. the golden outputs (scripts/check-outputs.py --emulator wine): byte-identical to Linux's
#      after the one normalisation docs/windows.md documents (wine's drive Z: for /);
#   3. SARIF file URIs of a Windows run are RFC 8089 (file:///Z:/...), and validate when the SARIF
#      Multitool scripts/test-sarif.sh installs is there;
#   4. `fltsim.exe snapshot` on a wine registry loaded with a corpus .reg export (`wine regedit /s`)
#      writes a machine folder that the Linux build imports to the same scenario as the .reg.
# Usage: scripts/test-windows.sh [LINUX_BUILD_DIR]   (test.sh --full passes its build directory;
#        without one, step 4 compares with nothing and is skipped)
# Each step prints its time; ./test.sh --full calls this last.
set -euo pipefail
cd "$(dirname "$0")/.."
linux_build=${1:-}
build=${FLTSIM_WIN_BUILD_DIR:-build/mingw}
t0=$SECONDS
step() { echo "== test-windows: $1"; }
done_step() { echo "== test-windows: $1: passed in $(($SECONDS - $2)) s"; }

t=$SECONDS
# The suites run below and the CLI only (not the CLI's own suites, which the goldens cover).
suites=(sim manifest scenarios check_lib planner machine io observed baselines fleet inputs viewer_model
  diagnose)
targets=(fltsim "${suites[@]/#/test_}")
FLTSIM_WIN_TESTS=ON scripts/build-windows.sh "$build" --target "${targets[@]}" >"${TMPDIR:-/tmp}/fltsim-win-build.$$.log" 2>&1 ||
  { tail -60 "${TMPDIR:-/tmp}/fltsim-win-build.$$.log" >&2; exit 1; }
rm -f "${TMPDIR:-/tmp}/fltsim-win-build.$$.log"
done_step "cross-build (mingw-w64, static fltsim.exe and the suites)" "$t"
exe=$build/ui/cli/fltsim.exe
[[ -f $exe ]] || { echo "test-windows: FAILED: $exe was not built" >&2; exit 1; }

# One private wine prefix per build directory, never the user's ~/.wine.
export WINEPREFIX=$PWD/$build/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
t=$SECONDS
[[ -f $WINEPREFIX/system.reg ]] || wineboot -i >/dev/null 2>&1 || true
wineserver -p 2>/dev/null || true # persistent (or already up): later wine commands reuse it
# Start wine's own services (services.exe, explorer.exe, ...) now, with their standard streams on
# /dev/null: started by the first test command instead, they would inherit its stdout pipe and
# keep it open after the command ends, and the harness would wait for EOF forever.
wineboot </dev/null >/dev/null 2>&1 || true
trap 'wineserver -k 2>/dev/null || true' EXIT
done_step "wine prefix and wineserver -p" "$t"

t=$SECONDS
step "doctest suites under wine"
regex=$(IFS='|'; echo "${suites[*]}")
# Not the fleet suite's CLI cases ("fleet cli:"): they run Linux tools (python3 scripts/gen-fleet.py)
# through a POSIX shell; what they check of the CLI, the goldens below check of fltsim.exe.
ctest --test-dir "$build" --output-on-failure --no-tests=error -j 2 -R "^test_($regex)[:_]" \
  -E '^test_fleet:fleet cli:'
done_step "doctest suites under wine" "$t"

t=$SECONDS
step "golden outputs of fltsim.exe"
python3 scripts/check-outputs.py "$exe" --emulator wine
done_step "golden outputs of fltsim.exe" "$t"

t=$SECONDS
step "SARIF of a Windows run: RFC 8089 file URIs"
work=$(mktemp -d)
trap 'rm -rf "$work"; wineserver -k 2>/dev/null || true' EXIT
mkdir -p "$work/outside"
cp tests/check/altitude-collision/fail/* "$work/outside/"
# An input outside --srcroot: its artifact URI is an absolute file URI with wine's drive letter.
wine "$exe" check "$work/outside" --srcroot tests --format sarif >"$work/out.sarif" || [[ $? == 1 ]]
python3 - "$work/out.sarif" <<'PY'
import json, re, sys
log = json.load(open(sys.argv[1], encoding="utf-8"))
uris = [l["physicalLocation"]["artifactLocation"]["uri"]
        for run in log["runs"] for r in run["results"] for l in r.get("locations", [])]
base = log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
bad = [u for u in uris + [base] if not re.fullmatch(r"file:///[A-Z]:/[^\\]*", u)]
if not uris or bad:
    sys.exit(f"test-windows: FAILED: not RFC 8089 file URIs with a drive letter: {bad or 'no results'}")
print(f"test-windows: {len(uris)} result URIs and %SRCROOT% are file:///Z:/... URIs")
PY
multitool=build/tools/node_modules/.bin/sarif-multitool
if [[ -x $multitool ]]; then
  "$multitool" validate "$work/out.sarif" -o "$work/validation.sarif" -j \
    build/tools/node_modules/@microsoft/sarif-multitool-linux/sarif-2.1.0.json \
    --log ForceOverwrite >/dev/null 2>&1 || true # non-zero on warnings too; errors are read below
  [[ -s $work/validation.sarif ]] || { echo "test-windows: FAILED: the SARIF Multitool wrote no result" >&2; exit 1; }
  python3 - "$work/validation.sarif" <<'PY'
import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8-sig"))
errors = [r for run in v["runs"] for r in run.get("results", []) if r.get("level") == "error"]
if errors:
    sys.exit("test-windows: FAILED: the Windows SARIF does not validate: " +
             "; ".join(r["message"].get("text", "") for r in errors[:5]))
print("test-windows: the Windows SARIF validates (SARIF Multitool)")
PY
else
  echo "test-windows: SARIF Multitool not installed (scripts/test-sarif.sh installs it); schema check skipped"
fi
done_step "SARIF of a Windows run" "$t"

if [[ -n $linux_build && -x $linux_build/ui/cli/fltsim ]]; then
  t=$SECONDS
  step "fltsim.exe snapshot of a wine registry loaded with a corpus .reg"
  reg=tests/corpus/machine/system_small.reg
  wine regedit /s "$reg"
  wine "$exe" snapshot --output "$work/machine" >"$work/snapshot.out" 2>&1 || {
    cat "$work/snapshot.out" >&2
    echo "test-windows: FAILED: fltsim.exe snapshot" >&2
    exit 1
  }
  # Wine has no Filter Manager: the snapshot must say so instead of stopping (or crashing on a stub).
  grep -q "running under wine, whose fltlib.dll has only stubs" "$work/machine/snapshot.txt" || {
    echo "test-windows: FAILED: snapshot.txt does not say why the Filter Manager was not read" >&2
    exit 1
  }
  "$linux_build/ui/cli/fltsim" import "$reg" >"$work/from-reg.yaml"
  "$linux_build/ui/cli/fltsim" import "$work/machine/system.reg" >"$work/from-snapshot.yaml"
  # Only the two lines naming the input file may differ; notes, drivers, groups, policies may not.
  named='^(# Scenario imported by|scenario: machine import of)'
  if ! diff <(grep -v -E "$named" "$work/from-reg.yaml") \
    <(grep -v -E "$named" "$work/from-snapshot.yaml"); then
    echo "test-windows: FAILED: the snapshot imports to another scenario than $reg" >&2
    exit 1
  fi
  done_step "snapshot under wine imports like the .reg" "$t"
fi
echo "test-windows: all passed in $((SECONDS - t0)) s"
