#!/usr/bin/env bash
# Installs the Debian 12 packages fltsim needs, only those that are missing.
# Usage: scripts/install-deps.sh [build|viewer|test|package|fuzz|bench]...  (default: build)
set -euo pipefail

declare -A groups=(
  [build]="cmake g++ make ninja-build pkg-config libboost-graph-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libhivex-dev"
  [viewer]="libimgui-dev libglfw3-dev libgl-dev libstb-dev fonts-dejavu-core"
  [test]="doctest-dev xvfb xauth libgl1-mesa-dri python3 libtinyxml2-dev chromium libxml2-utils python3-markdown python3-yaml libwin-hivex-perl python3-hivex python3-distributed cmark-gfm"
  [package]="dpkg-dev file man-db lintian"
  [fuzz]="clang libclang-rt-14-dev"
  [bench]="libbenchmark-dev"
)

wanted=()
for g in "${@:-build}"; do
  [[ -n "${groups[$g]+x}" ]] || { echo "install-deps: unknown group '$g'" >&2; exit 2; }
  # shellcheck disable=SC2206
  wanted+=(${groups[$g]})
done

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
