#!/usr/bin/env bash
# Installs what is missing, builds everything with tests and runs every test suite.
#   ./test.sh          build (Release, -Werror), every ctest suite, the viewer render tests, the
#                      SARIF validation and the package test (about 4 minutes on 2 idle cores)
#   ./test.sh --full   adds the ASan+UBSan build and its ctest run, the libFuzzer runs (clang,
#                      -Werror), the planner's differential test on 5,000 random stacks and the
#                      Windows build tested under wine (scripts/test-windows.sh); .ci/run calls this
# Each part prints how long it took (docs/reliability.md records the times).
set -euo pipefail
cd "$(dirname "$0")"
full=0
for arg in "$@"; do
  case "$arg" in
    --full) full=1 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown argument '$arg' (expected --full)" >&2; exit 2 ;;
  esac
done
started=$SECONDS
groups=(build viewer test package)
[[ $full == 1 ]] && groups+=(fuzz)
scripts/install-deps.sh "${groups[@]}"
jobs=$(nproc)
echo "== installs: $((SECONDS - started)) s"

part() { # name, command...: runs one part and prints its time
  local name=$1 t=$SECONDS
  shift
  echo "== $name"
  "$@"
  echo "== $name: passed in $((SECONDS - t)) s"
}

# New build directories use Ninja: unlike the Makefile generator it compiles a target's files
# while the libraries it links are still being built, which keeps both cores busy to the end
# (docs/reliability.md, "Build time"). A build directory configured earlier keeps its generator.
export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}
build=${FLTSIM_BUILD_DIR:-build/test}
t=$SECONDS
scripts/quiet-build.sh "$build/configure.log" "configure (Release, -Werror)" \
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFLTSIM_BUILD_TESTS=ON \
  -DFLTSIM_WARNINGS_AS_ERRORS=ON
scripts/quiet-build.sh "$build/build.log" "build" cmake --build "$build" -j "$jobs"
echo "== build: $((SECONDS - t)) s"
part ctest ctest --test-dir "$build" --output-on-failure -j "$jobs"
part scripts/test-viewer.sh scripts/test-viewer.sh "$build"
part scripts/test-sarif.sh scripts/test-sarif.sh "$build"
part scripts/test-package.sh scripts/test-package.sh "$build"
if [[ $full == 1 ]]; then
  # The differential test's stack count (tests/planner/differential_test.cpp); ctest above ran
  # its default.
  part "planner differential test, 5,000 random stacks and the kept seeds" \
    env FLTSIM_PLANNER_DIFF_STACKS="${FLTSIM_PLANNER_DIFF_STACKS:-5000}" \
    ctest --test-dir "$build" --output-on-failure -R 'differential'
  # tests/fleet/fleet_cli_test.cpp on a generated fleet of 100,000 machines (ctest above: 3,000):
  # each machine's outcome equals `simulate` of it alone, and the records and summary hash to
  # what the fleet wrote before the speed work (docs/performance.md#fleet-cpu).
  part "fleet outcomes vs simulate alone and the recorded bytes, 100,000 generated machines" \
    env FLTSIM_FLEET_MACHINES=100000 \
    ctest --test-dir "$build" --output-on-failure \
    -R 'per-machine outcomes equal simulate|byte-identical to those of the recorded baseline'
  part scripts/test-sanitizers.sh scripts/test-sanitizers.sh "$build"
  part scripts/test-fuzz.sh scripts/test-fuzz.sh "$build"
  # fltsim.exe (mingw-w64) under wine: its suites, the goldens, SARIF URIs, `snapshot`
  # (docs/windows.md).
  part scripts/test-windows.sh scripts/test-windows.sh "$build"
fi
echo "test.sh: all tests passed in $SECONDS s"
