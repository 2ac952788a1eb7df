#!/usr/bin/env bash
# Builds the release artefacts into dist/ (docs/windows.md, "Release"):
#   fltsim-VERSION-windows-x64.zip  fltsim.exe (static, mingw-w64), the bundled scenarios, the
#                                   documentation, LICENSE and THIRD-PARTY-NOTICES.txt (the
#                                   licences of everything linked into fltsim.exe)
#   fltsim_VERSION_amd64.deb        the Debian package (CPack; its copyright file is the package's)
#   SHA256SUMS                      sha256sum of both
# Usage: scripts/release.sh [DIST_DIR]   (default dist/)
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
version=$(sed -n 's/^project(fltsim VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[[ -n $version ]] || { echo "release: no version in CMakeLists.txt" >&2; exit 2; }
[[ -f LICENSE ]] || { echo "release: FAILED: no LICENSE at the repository root" >&2; exit 1; }
rm -rf "$dist"
mkdir -p "$dist"
t0=$SECONDS

# --- Windows zip ---------------------------------------------------------------------------------
win_build=build/release-windows
scripts/build-windows.sh "$win_build" --target fltsim
name=fltsim-$version-windows-x64
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cmake --install "$win_build" --prefix "$stage/$name" --strip >/dev/null
cp LICENSE "$stage/$name/LICENSE.txt"
{
  echo "fltsim.exe is statically linked with the libraries below; their licences follow."
  echo "Each section is the Debian copyright file of the package fltsim.exe was built from."
  notice() { # title, file
    echo
    echo "================================================================================"
    echo "$1"
    echo "================================================================================"
    cat "$2"
  }
  yaml_src=$(ls -d build/windows-deps/src/yaml-cpp-*/ | head -1)
  notice "yaml-cpp (Debian source package yaml-cpp, cross-built)" "$yaml_src/debian/copyright"
  notice "Boost (Boost.Graph, header-only; Debian libboost1.74-dev)" \
    /usr/share/doc/libboost1.74-dev/copyright
  notice "JSON for Modern C++ (nlohmann-json3-dev)" /usr/share/doc/nlohmann-json3-dev/copyright
  notice "CLI11 (libcli11-dev)" /usr/share/doc/libcli11-dev/copyright
  notice "GCC runtime: libstdc++, libgcc (g++-mingw-w64-x86-64-posix; GPL-3 with the GCC Runtime Library Exception)" \
    /usr/share/doc/gcc-mingw-w64-base/copyright
  notice "mingw-w64 runtime and winpthreads (mingw-w64-x86-64-dev)" \
    /usr/share/doc/mingw-w64-x86-64-dev/copyright
} >"$stage/$name/THIRD-PARTY-NOTICES.txt"
# Windows readers: CRLF for the text files at the top of the zip.
for f in LICENSE.txt THIRD-PARTY-NOTICES.txt; do
  sed -i 's/\r\{0,1\}$/\r/' "$stage/$name/$f"
done
(cd "$stage" && python3 -m zipfile -c "$OLDPWD/$dist/$name.zip" "$name")
echo "release: $dist/$name.zip"

# --- Debian package ------------------------------------------------------------------------------
deb_build=build/release-linux
scripts/install-deps.sh build viewer package
cmake -S . -B "$deb_build" -DCMAKE_BUILD_TYPE=Release -DFLTSIM_BUILD_TESTS=OFF >/dev/null
cmake --build "$deb_build" -j "$(nproc)" >/dev/null
(cd "$deb_build" && cpack -G DEB -B "$PWD/package" >/dev/null)
cp "$deb_build"/package/fltsim_*.deb "$dist/"
echo "release: $(ls "$dist"/*.deb)"

(cd "$dist" && sha256sum -- *.zip *.deb >SHA256SUMS)
echo "release: $dist/SHA256SUMS ($((SECONDS - t0)) s)"
