#!/usr/bin/env bash
# ASan + UBSan build of every test suite, then the whole ctest run. Part of `./test.sh --full`.
# Any sanitizer report fails the test that triggered it.
# Usage: scripts/test-sanitizers.sh [MAIN_BUILD_DIR]   (the argument is accepted and unused)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FLTSIM_ASAN_BUILD_DIR:-build/asan}
jobs=$(nproc)
# -O1: sanitized tests run fast enough and compile quicker than -O2; -g1 (line tables) is enough
# for file:line in every report and compiles and links faster than -g.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DFLTSIM_SANITIZE=ON -DFLTSIM_BUILD_TESTS=ON -DFLTSIM_BUILD_VIEWER=OFF \
  -DFLTSIM_WARNINGS_AS_ERRORS=ON >/dev/null
start=$SECONDS
cmake --build "$build" -j "$jobs"
echo "test-sanitizers: built in $((SECONDS - start)) s"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
start=$SECONDS
ctest --test-dir "$build" --output-on-failure -j "$jobs"
echo "test-sanitizers: tests passed under ASan+UBSan in $((SECONDS - start)) s"
