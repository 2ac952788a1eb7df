#!/usr/bin/env bash
# Draws the README's pictures with fltsim itself: the blog's stack before and after (example A
# with the planner's fix; example B as the blog fixed it), as SVG in docs/img/. The ctest
# `pictures_readme_images` runs it with --check: the committed files must be what the tool draws
# now, so a change to the picture is a deliberate, reviewed regeneration.
# Usage: scripts/render-readme-images.sh [--check] [FLTSIM]   (default FLTSIM: build/dev/ui/cli/fltsim)
set -euo pipefail
check=0
if [[ ${1:-} == --check ]]; then check=1; shift; fi
cd "$(dirname "$0")/.."
fltsim=${1:-build/dev/ui/cli/fltsim}
[[ -x $fltsim ]] || { echo "render-readme-images: $fltsim is not built" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name, then the fltsim command line (exit 1 = findings is expected for the "before" pictures).
render() {
  local name=$1
  shift
  local rc=0
  "$fltsim" "$@" >"$tmp/$name" || rc=$?
  if [[ $rc -gt 1 ]]; then echo "render-readme-images: fltsim $* exited $rc" >&2; exit 1; fi
}
render blog-a-before.svg simulate scenarios/blog_example_a.yaml --format svg
render blog-b-fixed.svg simulate scenarios/blog_example_b_fixed.yaml --format svg
render blog-a-plan.svg plan scenarios/blog_example_a.yaml --format svg

fail=0
for f in "$tmp"/*.svg; do
  name=$(basename "$f")
  if [[ $check -eq 1 ]]; then
    if ! cmp -s "$f" "docs/img/$name"; then
      echo "render-readme-images: docs/img/$name is not what fltsim draws now" \
           "(run scripts/render-readme-images.sh and commit the result)" >&2
      fail=1
    fi
  else
    cp "$f" "docs/img/$name.tmp" && mv "docs/img/$name.tmp" "docs/img/$name"
    echo "wrote docs/img/$name"
  fi
done
[[ $check -eq 1 && $fail -eq 0 ]] && echo "render-readme-images: docs/img/*.svg match fltsim's output"
exit $fail
