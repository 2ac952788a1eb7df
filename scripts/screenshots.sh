#!/usr/bin/env bash
# Regenerates the README's viewer screenshots with `fltsim-view --screenshot` (offscreen, under
# Xvfb + Mesa), never by hand:
#   docs/img/blog-before.png  scenarios/blog_example_a.yaml: the blog's stack, AVMiniFilter stuck
#                             below EncryptionLegacy (red connector), Findings tab open
#   docs/img/blog-after.png   the same scenario with the planner's fix applied (--apply-plan),
#                             Planner tab open with the stacks before and after side by side.
#                             Without the planner module: scenarios/blog_example_b_fixed.yaml.
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default build/release; builds fltsim-view)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build viewer test
build=${1:-build/release}
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFLTSIM_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j "$(nproc)" --target fltsim-view >/dev/null
view="$build/ui/viewer/fltsim-view"
size=1280x760
mkdir -p docs/img
shoot() { LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1200x24" "$view" "$@" --size "$size"; }

shoot scenarios/blog_example_a.yaml --tab findings --screenshot docs/img/blog-before.png
if ! shoot scenarios/blog_example_a.yaml --apply-plan --tab planner \
  --screenshot docs/img/blog-after.png; then
  echo "screenshots: no planner fix available; using the blog's own fix (example B)" >&2
  shoot scenarios/blog_example_b_fixed.yaml --screenshot docs/img/blog-after.png
fi
