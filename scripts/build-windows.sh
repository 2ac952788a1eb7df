#!/usr/bin/env bash
# Cross-builds a static fltsim.exe (64-bit Windows) on Debian 12 with mingw-w64, from a clean clone.
#   scripts/build-windows.sh [BUILD_DIR] [cmake --build arguments...]
#     BUILD_DIR defaults to build/mingw; with no further arguments it builds the target fltsim.
#   FLTSIM_WIN_TESTS=ON  also configures the doctest suites (scripts/test-windows.sh sets it)
# What it does, each step only when not already done:
#   1. installs g++-mingw-w64-x86-64-posix, wine, wine64, dpkg-dev and the header-only libraries
#      (scripts/install-deps.sh: Boost.Graph, nlohmann-json, CLI11, doctest);
#   2. adds a deb-src entry mirroring the first deb entry of /etc/apt/sources.list.d/debian.sources
#      (or sources.list) when apt has none, then `apt-get source yaml-cpp`;
#   3. cross-builds yaml-cpp (and, with FLTSIM_WIN_TESTS=ON, tinyxml2) static into
#      build/windows-deps/prefix;
#   4. makes build/windows-deps/prefix/include a folder of links to Debian's header-only libraries
#      (never -I/usr/include: glibc's headers would shadow mingw's) with a CMake config for each;
#   5. configures BUILD_DIR with cmake/toolchain-mingw-w64.cmake and builds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${1:-build/mingw}
shift || true
deps=$root/build/windows-deps
prefix=$deps/prefix
tests=${FLTSIM_WIN_TESTS:-OFF}
t0=$SECONDS

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; else
    command -v sudo >/dev/null || { echo "build-windows: need root or sudo for: $*" >&2; exit 2; }
    sudo "$@"
  fi
}

# 1. packages
scripts/install-deps.sh build test
missing=()
for p in g++-mingw-w64-x86-64-posix wine wine64 dpkg-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "build-windows: installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# 2-3. yaml-cpp (the product) and tinyxml2 (the test suites' XML reader) from Debian's source
# packages, cross-built static into the prefix.
ensure_deb_src() {
  apt-get source --print-uris yaml-cpp >/dev/null 2>&1 && return 0
  local list=/etc/apt/sources.list.d/fltsim-deb-src.sources
  echo "build-windows: no deb-src entry; adding $list"
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    # Every stanza of the deb822 file, as source entries.
    sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      as_root tee "$list" >/dev/null
  elif [[ -f /etc/apt/sources.list ]]; then
    grep -E '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
      as_root tee /etc/apt/sources.list.d/fltsim-deb-src.list >/dev/null
  else
    echo "build-windows: no apt sources found to mirror as deb-src" >&2
    exit 2
  fi
  as_root apt-get update -qq
}
cross_build() { # source package, installed library, cmake options...
  local pkg=$1 lib=$2
  shift 2
  [[ -f $prefix/lib/$lib && -f $deps/$pkg-build/install_manifest.txt ]] && return 0
  local src
  src=$(ls -d "$deps/src/$pkg"-*/ 2>/dev/null | head -1 || true)
  if [[ -z $src ]]; then
    ensure_deb_src
    mkdir -p "$deps/src"
    (cd "$deps/src" && apt-get source -qq "$pkg" >"$deps/$pkg-source.log" 2>&1) ||
      { cat "$deps/$pkg-source.log" >&2; echo "build-windows: apt-get source $pkg failed" >&2; exit 2; }
    src=$(ls -d "$deps/src/$pkg"-*/ | head -1)
  fi
  echo "build-windows: cross-building $pkg from $src"
  local t=$SECONDS
  cmake -S "$src" -B "$deps/$pkg-build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw-w64.cmake" -DFLTSIM_WIN_DEPS="$prefix" \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)" "$@" \
    >"$deps/$pkg-configure.log" 2>&1 || { cat "$deps/$pkg-configure.log" >&2; exit 1; }
  nice -n 10 cmake --build "$deps/$pkg-build" -j2 --target install >"$deps/$pkg-build.log" 2>&1 ||
    { tail -40 "$deps/$pkg-build.log" >&2; exit 1; }
  echo "build-windows: $pkg built in $((SECONDS - t)) s"
}
cross_build yaml-cpp libyaml-cpp.a -DYAML_BUILD_SHARED_LIBS=OFF -DYAML_CPP_BUILD_TESTS=OFF \
  -DYAML_CPP_BUILD_TOOLS=OFF -DYAML_CPP_BUILD_CONTRIB=OFF -DYAML_CPP_INSTALL=ON
# yaml-cpp installs its CMake config under CMake/ on Windows targets; one place for the toolchain.
if [[ -d $prefix/CMake && ! -e $prefix/lib/cmake/yaml-cpp ]]; then
  mkdir -p "$prefix/lib/cmake" && ln -sfn ../../CMake "$prefix/lib/cmake/yaml-cpp"
fi
if [[ $tests == ON ]]; then
  cross_build tinyxml2 libtinyxml2.a -Dtinyxml2_BUILD_TESTING=OFF -DBUILD_TESTING=OFF
fi

# 4. header-only libraries through links, each with a minimal CMake config
mkdir -p "$prefix/include"
for h in boost nlohmann CLI doctest; do
  [[ -e /usr/include/$h ]] || { echo "build-windows: /usr/include/$h missing" >&2; exit 2; }
  ln -sfn "/usr/include/$h" "$prefix/include/$h"
done
write_config() { # package, version, target names...
  local pkg=$1 version=$2 dir=$prefix/lib/cmake/$1
  shift 2
  mkdir -p "$dir"
  {
    echo "# Written by scripts/build-windows.sh: Debian's header-only $pkg $version, reached through"
    echo "# the links in ../../../include (never /usr/include itself)."
    for target in "$@"; do
      echo "if(NOT TARGET $target)"
      echo "  add_library($target INTERFACE IMPORTED)"
      echo "  set_target_properties($target PROPERTIES INTERFACE_INCLUDE_DIRECTORIES \"$prefix/include\")"
      echo "endif()"
    done
  } >"$dir/${pkg}Config.cmake"
  cat >"$dir/${pkg}ConfigVersion.cmake" <<VERSION
set(PACKAGE_VERSION "$version")
if(PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
else()
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
  if(PACKAGE_FIND_VERSION STREQUAL PACKAGE_VERSION)
    set(PACKAGE_VERSION_EXACT TRUE)
  endif()
endif()
VERSION
}
deb_version() { dpkg-query -W -f='${Version}' "$1" | sed -E 's/^[0-9]+://; s/[+~-].*//'; }
boost_version=$(sed -n 's/^#define BOOST_VERSION \([0-9]*\)$/\1/p' /usr/include/boost/version.hpp)
write_config Boost "$((boost_version / 100000)).$((boost_version / 100 % 1000)).$((boost_version % 100))" Boost::boost Boost::headers
write_config nlohmann_json "$(deb_version nlohmann-json3-dev)" nlohmann_json::nlohmann_json
write_config CLI11 "$(deb_version libcli11-dev)" CLI11::CLI11
write_config doctest "$(deb_version doctest-dev)" doctest::doctest
# doctest's include(doctest) / doctest_discover_tests come from Debian's CMake scripts.
echo 'list(APPEND CMAKE_MODULE_PATH "/usr/lib/cmake/doctest")' >>"$prefix/lib/cmake/doctest/doctestConfig.cmake"

# 5. fltsim. Building the suites runs each one under wine to list its tests (doctest's discovery,
# CMAKE_CROSSCOMPILING_EMULATOR): in a private prefix beside the build, never ~/.wine.
mkdir -p "$build"
export WINEPREFIX=${WINEPREFIX:-$(cd "$build" && pwd)/wineprefix} WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
# Configured every time (seconds on an existing directory), so that a directory first configured
# without FLTSIM_WIN_TESTS=ON gets the suites when a later run asks for them.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-mingw-w64.cmake" -DFLTSIM_WIN_DEPS="$prefix" \
  -DFLTSIM_BUILD_VIEWER=OFF -DFLTSIM_BUILD_TESTS="$tests" -DFLTSIM_WARNINGS_AS_ERRORS=ON \
  -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)" >/dev/null
[[ $# -gt 0 ]] || set -- --target fltsim
nice -n 10 cmake --build "$build" -j2 "$@"
echo "build-windows: $build built in $((SECONDS - t0)) s"
