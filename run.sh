#!/usr/bin/env bash
# Installs what is missing, builds Release, and runs fltsim on the bundled default scenario (the
# NTDebugging blog's stack). Extra arguments replace the default command:
#   ./run.sh                                   # simulate the blog scenario, with the narrated trace
#   ./run.sh plan scenarios/blog_example_a.yaml
# The build prints one progress line; the compiler's output is kept in $build/build.log and shown
# only when the build fails.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh build
# Ninja for a new build directory (test.sh says why); an existing one keeps its generator.
export CMAKE_GENERATOR=${CMAKE_GENERATOR:-Ninja}
build=${FLTSIM_BUILD_DIR:-build/release}
mkdir -p "$build"
log="$build/build.log"  # the configure step writes configure.log beside it
scripts/quiet-build.sh "$build/configure.log" "configure (Release)" \
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFLTSIM_BUILD_TESTS=OFF \
  -DFLTSIM_BUILD_VIEWER=OFF || exit 2
scripts/quiet-build.sh "$log" "build fltsim (Release)" \
  cmake --build "$build" -j "$(nproc)" --target fltsim || exit 2
fltsim="$build/ui/cli/fltsim"
if [[ $# -gt 0 ]]; then
  exec "$fltsim" "$@"
fi
set +e
"$fltsim" simulate scenarios/blog_example_a.yaml --trace
code=$?
set -e
if [[ $code -eq 1 ]]; then
  echo
  echo "(exit code 1: the scenario has error findings - the blog's altitude inversion. Try:"
  echo "   ./run.sh plan scenarios/blog_example_a.yaml)"
  exit 0
fi
exit $code
