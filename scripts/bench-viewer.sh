#!/usr/bin/env bash
# Measures fltsim-view's frame time with a 500-filter stack under Xvfb + Mesa llvmpipe (software
# OpenGL; the numbers in docs/viewer.md come from this script).
#   scrub:  the timeline moves one step every frame: re-simulate to that step, re-layout, redraw
#   static: the final stack redrawn every frame (what an idle window costs)
# Usage: scripts/bench-viewer.sh [BUILD_DIR] [FRAMES]   (default build/release, 300 frames)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
frames=${2:-300}
view="$build/ui/viewer/fltsim-view"
[[ -x "$view" ]] || { echo "bench-viewer: build fltsim-view first ($view)" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
scenario="$out/large_500.yaml"
scripts/gen-large-scenario.py 500 >"$scenario"
for mode in static scrub; do
  LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1200x24" \
    "$view" "$scenario" --size 1600x1000 --bench-frames "$frames" --bench-mode "$mode"
done
