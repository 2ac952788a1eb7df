#!/usr/bin/env bash
# Measures fltsim-view's frame time with a 500-filter stack under Xvfb + Mesa llvmpipe (software
# OpenGL; the numbers in docs/viewer.md come from this script).
#   scrub:  the timeline moves one step every frame: re-simulate to that step, re-layout, redraw
#   static: the final stack redrawn every frame (what an idle window costs)
# Each case runs REPEAT times (default 3) and the row shows the run with the median mean frame
# time, so one disturbed run on a shared machine does not set the number.
# Prints a markdown table (the one in docs/viewer.md); the raw JSON lines go to stderr.
# Usage: scripts/bench-viewer.sh [BUILD_DIR] [FRAMES] [REPEAT]   (default build/release, 300, 3)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
frames=${2:-300}
repeat=${3:-3}
view="$build/ui/viewer/fltsim-view"
[[ -x "$view" ]] || { echo "bench-viewer: build fltsim-view first ($view)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
scripts/gen-large-scenario.py 500 >"$out/large_500.yaml"

run_case() { # label scenario size mode
  local label=$1 scenario=$2 size=$3 mode=$4 i
  : >"$out/case.jsonl"
  for ((i = 0; i < repeat; ++i)); do
    LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1200x24" \
      "$view" "$scenario" --size "$size" --bench-frames "$frames" --bench-mode "$mode" \
      | tee -a "$out/case.jsonl" >&2
  done
  python3 - "$label" "$out/case.jsonl" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
runs = sorted((json.loads(l) for l in open(path) if l.strip()), key=lambda j: j["mean_ms"])
j = runs[len(runs) // 2]
size = f'{j["width"]}×{j["height"]}'
print(f'| {label} | {size} | {j["mode"]} | {j["mean_ms"]:.1f} ms | {j["p95_ms"]:.1f} ms | '
      f'{j["fps_mean"]:.0f} | {j["ui_ms"]:.1f} ms | {j["gl_ms"]:.1f} ms | '
      f'{j["process_cpu_ms"]:.1f} ms | {j["covered_px"] / 1e6:.2f} | {j["load_average"]} |')
PY
}

echo "| scenario | window | mode | mean frame | p95 | fps | viewer work (\`ui_ms\`) | GL + raster (\`gl_ms\`) | process CPU / frame | Mpixel filled | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for size in 1600x1000 1440x900 1280x720; do
  for mode in static scrub; do
    run_case "500 filters" "$out/large_500.yaml" "$size" "$mode"
  done
done
run_case "blog example A (5 drivers)" scenarios/blog_example_a.yaml 1600x1000 static
run_case "blog example A (5 drivers)" scenarios/blog_example_a.yaml 1600x1000 scrub
