#!/usr/bin/env bash
# Builds the .deb (CPack), unpacks it into a scratch root and runs what it installed with the
# source and build trees out of reach (a private mount namespace lays an empty tmpfs over them),
# so an installed fltsim or fltsim-view that still needed the checkout would fail here:
#   * lintian reports no error on the .deb (its warnings are printed; the copyright file, the
#     changelog, compressed man pages, the maintainer and the description are checked there);
#   * the package's dependencies are Debian runtime packages, not -dev ones;
#   * no path of the build machine is in an installed file;
#   * `fltsim simulate` and `fltsim check --format sarif` on the installed scenarios, with help
#     links into the installed docs; `fltsim-view --screenshot` under Xvfb, checked like the
#     viewer render test; both man pages are there and render.
# Usage: scripts/test-package.sh BUILD_DIR   (./test.sh passes its build directory)
set -euo pipefail
build=$(cd "${1:?usage: scripts/test-package.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
src=$(pwd)
fail() { echo "test-package: FAILED: $*" >&2; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps unshare xvfb-run python3 lintian; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh package test)"
done
[[ $(id -u) -eq 0 ]] || fail "needs root for a private mount namespace (unshare --mount)"

work=$(mktemp -d /tmp/fltsim-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(find "$work/out" -maxdepth 1 -name 'fltsim_*.deb' | head -n 1)
[[ -n "$deb" ]] || fail "cpack wrote no .deb"
echo "test-package: $(basename "$deb"), $(stat -c %s "$deb") bytes"

# lintian: no error (E:). Warnings stay visible in the log but do not fail the test.
lintian --fail-on none "$deb" >"$work/lintian.txt" 2>"$work/lintian.err" ||
  { cat "$work/lintian.err" >&2; fail "lintian did not run"; }
lint_errors=$(grep -c '^E: ' "$work/lintian.txt" || true)
lint_warnings=$(grep -c '^W: ' "$work/lintian.txt" || true)
echo "test-package: lintian: $lint_errors errors, $lint_warnings warnings"
grep -E '^[EW]: ' "$work/lintian.txt" | sed 's/^/test-package:   /' || true
[[ $lint_errors -eq 0 ]] || fail "lintian reports $lint_errors errors on the .deb"

depends=$(dpkg-deb -f "$deb" Depends)
echo "test-package: Depends: $depends"
[[ $depends == *libyaml-cpp* ]] || fail "Depends does not name libyaml-cpp"
[[ $depends == *fonts-dejavu-core* ]] || fail "Depends does not name fonts-dejavu-core"
if grep -qE -- '-dev\b' <<<"$depends"; then fail "Depends names a -dev package"; fi

root="$work/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/fltsim usr/bin/fltsim-view usr/share/man/man1/fltsim.1.gz \
  usr/share/man/man1/fltsim-view.1.gz usr/share/doc/fltsim/model.md usr/share/doc/fltsim/rules.md \
  usr/share/doc/fltsim/copyright usr/share/doc/fltsim/changelog.gz \
  usr/share/fltsim/scenarios/blog_example_a.yaml; do
  [[ -e "$root/$f" ]] || fail "the package has no $f"
done
if grep -rlaF -e "$src" -e "$build" "$root" >"$work/leaks"; then
  fail "installed files name the build machine's paths: $(tr '\n' ' ' <"$work/leaks")"
fi

# The checks run inside the namespace; the screenshot checker comes along in the scratch dir.
cp scripts/check_screenshot.py "$work/"
cat >"$work/inside.sh" <<'INNER'
set -uo pipefail
root=$1 work=$2 src=$3
fail=0
bad() { echo "test-package: FAILED: $*" >&2; fail=1; }
[[ -z "$(ls -A "$src")" ]] || bad "the source tree is still visible"
cd "$work"
bin=$root/usr/bin
scen=$root/usr/share/fltsim/scenarios
"$bin/fltsim" --version >/dev/null || bad "fltsim --version"
"$bin/fltsim" simulate "$scen/blog_example_a.yaml" >simulate.txt
rc=$?
[[ $rc -eq 1 ]] || bad "simulate blog_example_a exited $rc, expected 1 (the blog's inversion)"
grep -q 'error\[altitude-inversion\]: AVMiniFilter' simulate.txt || bad "simulate: no inversion"
grep -q 'Frame 0 \[0 - 329998.99\]' simulate.txt || bad "simulate: Frame 0 not raised"
"$bin/fltsim" simulate "$scen/blog_example_b_fixed.yaml" >/dev/null || bad "simulate fixed"
printf 'name: NewAV\ngroup: FSFilter Anti-Virus\nstart: boot\naltitude: 328010\n' >newav.yaml
"$bin/fltsim" check newav.yaml --base "$scen/blog_example_a.yaml" --format sarif -o check.sarif \
  2>check.err
rc=$?
[[ $rc -eq 1 ]] || { cat check.err; bad "check exited $rc, expected 1 (NewAV lands below a legacy filter)"; }
grep -q '"altitude-inversion"' check.sarif || bad "check: no altitude-inversion result"
python3 - "$root" check.sarif <<'PY' || bad "SARIF help links"
import json, sys, os
root, log = sys.argv[1], json.load(open(sys.argv[2]))
rules = log["runs"][0]["tool"]["driver"]["rules"]
want = "file://" + os.path.join(root, "usr/share/doc/fltsim/rules.md")
uris = {r["helpUri"].split("#")[0] for r in rules}
assert uris == {want}, (uris, want)
PY
xvfb-run -a -s "-screen 0 1280x800x24" "$bin/fltsim-view" "$scen/blog_example_a.yaml" \
  --size 1280x800 --screenshot view.png --layout-json view.json >view.log 2>&1 ||
  { cat view.log; bad "fltsim-view --screenshot"; }
python3 check_screenshot.py view.png view.json --size 1280x800 || bad "screenshot check"
for page in fltsim fltsim-view; do
  zcat "$root/usr/share/man/man1/$page.1.gz" | grep -q '^\.SH SYNOPSIS' || bad "$page.1 has no SYNOPSIS"
  if command -v man >/dev/null; then
    man -l "$root/usr/share/man/man1/$page.1.gz" 2>/dev/null | grep -q "$page" || bad "man $page.1.gz"
  fi
done
exit $fail
INNER
hide=("$src")
[[ $build == "$src"/* ]] || hide+=("$build")
mounts=""
for d in "${hide[@]}"; do mounts+="mount -t tmpfs tmpfs '$d' && "; done
unshare --mount --propagation private bash -c \
  "${mounts} bash '$work/inside.sh' '$root' '$work' '$src'" || fail "the installed tools"
echo "test-package: installed fltsim and fltsim-view ran with the source tree out of reach"
