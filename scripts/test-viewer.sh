#!/usr/bin/env bash
# Renders every bundled scenario with the real viewer (GLFW + OpenGL 3.3 core) under Xvfb and
# Mesa's software renderer, and checks each PNG against the layout the view model reported
# (scripts/check_screenshot.py): right size, not blank, frame boxes / legacy blocks / rows /
# inversion connectors in their colours where the model put them.
# Usage: scripts/test-viewer.sh BUILD_DIR   (./test.sh passes its build directory)
set -euo pipefail
build=${1:?usage: scripts/test-viewer.sh BUILD_DIR}
cd "$(dirname "$0")/.."
view="$build/ui/viewer/fltsim-view"
if [[ ! -x "$view" ]]; then
  echo "test-viewer: $view was not built (FLTSIM_BUILD_VIEWER=OFF?); skipped"
  exit 0
fi
for tool in xvfb-run python3; do
  command -v "$tool" >/dev/null || { echo "test-viewer: $tool missing (scripts/install-deps.sh test)" >&2; exit 1; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One X server for all renders; the loop runs inside it.
cat >"$out/run.sh" <<'INNER'
set -uo pipefail
view=$1 out=$2
fail=0
# Two renders at a time (2 cores): each writes NAME.ok or NAME.failed, counted at the end.
render() { # name, size, extra args...
  local name=$1 size=$2
  shift 2
  local rc=0
  "$view" "$@" --size "$size" --screenshot "$out/$name.png" --layout-json "$out/$name.json" \
    >"$out/$name.log" 2>&1 || rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "FAIL $name: fltsim-view exited with $rc"; sed 's/^/  /' "$out/$name.log"
    touch "$out/$name.failed"; return
  fi
  if python3 scripts/check_screenshot.py "$out/$name.png" "$out/$name.json" --size "$size"; then
    touch "$out/$name.ok"
  else
    touch "$out/$name.failed"
  fi
}
launched=0
in_background() { # command...: runs it as a job, at most two at once
  launched=$((launched + 1))
  while (($(jobs -rp | wc -l) >= 2)); do wait -n; done
  "$@" &
}
while IFS= read -r s; do
  name=${s#scenarios/}; name=${name%.yaml}; name=${name//\//_}
  in_background render "$name" 1280x800 "$s"
done < <(find scenarios -name '*.yaml' | sort)
# The replay as of earlier steps, another size, and the planner's fixed stack.
for step in 0 1 5 7; do
  in_background render "blog_a_step$step" 1024x768 scenarios/blog_example_a.yaml --step "$step"
done
in_background render blog_b_step5 1600x1000 scenarios/blog_example_b_fixed.yaml --step 5 --tab trace
in_background render blog_a_planned 1280x800 scenarios/blog_example_a.yaml --apply-plan --tab planner
wait
rendered=$(find "$out" -maxdepth 1 -name '*.ok' | wc -l)
[[ -z $(find "$out" -maxdepth 1 -name '*.failed') ]] || fail=1
if [[ $rendered -ne $launched ]]; then
  echo "FAIL $rendered of $launched renders passed their check"; fail=1
fi
# The checker itself must notice a box that is not where the layout says.
python3 - "$out/blog_example_a.json" "$out/moved.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j["frames"][0]["probe"][0] += 200  # into the canvas, right of the tower
json.dump(j, open(sys.argv[2], "w"))
PY
if python3 scripts/check_screenshot.py "$out/blog_example_a.png" "$out/moved.json" >/dev/null; then
  echo "FAIL checker accepted a frame box moved away from its pixels"; fail=1
fi
# Nothing lost (README "Exit codes"): a screenshot over its own scenario is refused with exit 2
# and the scenario is untouched; a directory that does not exist is an exit-2 error, not a crash.
cp scenarios/blog_example_a.yaml "$out/own.yaml"
rc=0; "$view" "$out/own.yaml" --screenshot "$out/own.yaml" >"$out/own.log" 2>&1 || rc=$?
if [[ $rc -ne 2 ]] || ! cmp -s scenarios/blog_example_a.yaml "$out/own.yaml" ||
   ! grep -q "refusing to overwrite input file" "$out/own.log"; then
  echo "FAIL screenshot over its scenario: exit $rc"; sed 's/^/  /' "$out/own.log"; fail=1
fi
# The other outputs are checked before anything is rendered: a refused --layout-json or
# --bench-json leaves no screenshot behind and does not run the benchmark first.
rc=0; "$view" "$out/own.yaml" --screenshot "$out/own-shot.png" --layout-json "$out/own.yaml" \
  >"$out/own-layout.log" 2>&1 || rc=$?
if [[ $rc -ne 2 ]] || [[ -e "$out/own-shot.png" ]] || ! cmp -s scenarios/blog_example_a.yaml "$out/own.yaml" ||
   ! grep -q "refusing to overwrite input file" "$out/own-layout.log"; then
  echo "FAIL --layout-json over its scenario: exit $rc"; sed 's/^/  /' "$out/own-layout.log"; fail=1
fi
rc=0; "$view" "$out/own.yaml" --bench-frames 5 --bench-json "$out/own.yaml" >"$out/own-bench.log" 2>&1 || rc=$?
if [[ $rc -ne 2 ]] || grep -q mean_ms "$out/own-bench.log" || ! cmp -s scenarios/blog_example_a.yaml "$out/own.yaml"; then
  echo "FAIL --bench-json over its scenario: exit $rc"; sed 's/^/  /' "$out/own-bench.log"; fail=1
fi
rc=0; "$view" scenarios/blog_example_a.yaml --screenshot "$out/no/such/dir.png" >"$out/nodir.log" 2>&1 || rc=$?
if [[ $rc -ne 2 ]] || [[ -e "$out/no" ]]; then
  echo "FAIL screenshot into a missing directory: exit $rc"; sed 's/^/  /' "$out/nodir.log"; fail=1
fi
echo "test-viewer: $rendered screenshots rendered and checked"
exit $fail
INNER
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1200x24" bash "$out/run.sh" "$view" "$out"
