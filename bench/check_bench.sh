#!/usr/bin/env bash
# Benchmark: `fltsim check` over a directory of N generated manifests (the target: 1,000
# manifests "well under a second"). Results are recorded in docs/check.md.
#
# Usage: bench/check_bench.sh [FLTSIM] [N]
#   FLTSIM  the fltsim binary (default build/release/ui/cli/fltsim, built by ./run.sh)
#   N       number of manifests (default 1000)
# Environment: RUNS (default 7) timed runs per format; TIES=1 leaves the boot/system minifilters
# untagged, so they tie inside their groups without changing the stack: the worst case for the
# order-dependent-outcome exploration, which then simulates every order its budget allows.
#
# The manifests: 7 in 10 YAML, 2 in 10 INF, 1 in 10 .reg exports (INF and .reg ones demand
# start, like the WDK samples), over 10 FSFilter groups; 1 in 20 boot start, 1 in 20 system start
# (tagged unless TIES=1), the rest demand start, loaded after boot by `check`; 1 in 100 a
# boot-start legacy filter (Activity Monitor or Anti-Virus). Altitudes are distinct; some fall on
# Microsoft-allocated altitudes, so there are altitude-allocated-elsewhere findings, as in a real
# fleet.
set -euo pipefail
cd "$(dirname "$0")/.."
fltsim=${1:-build/release/ui/cli/fltsim}
n=${2:-1000}
runs=${RUNS:-7}
ties=${TIES:-0}
[[ -x /usr/bin/time ]] || { echo "check_bench: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
[[ -x "$fltsim" ]] || { echo "check_bench: $fltsim is not built (try ./run.sh --version)" >&2; exit 2; }
((n <= 5000)) || { echo "check_bench: at most 5000 manifests (altitudes must stay in range)" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
groups=("FSFilter Activity Monitor" "FSFilter Anti-Virus" "FSFilter Replication"
  "FSFilter Continuous Backup" "FSFilter Content Screener" "FSFilter HSM" "FSFilter Encryption"
  "FSFilter Virtualization" "FSFilter Open File" "FSFilter Bottom")
lows=(360000 320000 300000 280000 260000 180000 140000 130000 100000 40000)

inf() { # name group start altitude
  cat <<EOF
[Version]
Signature   = "\$Windows NT\$"
Class       = "ActivityMonitor"
ClassGuid   = {b86dff51-a31e-4bac-b3cf-e8cfe75c9fc2}
Provider    = %ProviderString%
DriverVer   = 06/16/2007,1.0.0.1

[DefaultInstall.NTamd64.Services]
AddService          = %ServiceName%,,MiniFilter.Service

[MiniFilter.Service]
DisplayName      = %ServiceName%
ServiceBinary    = %12%\\%ServiceName%.sys
Dependencies     = "FltMgr"
ServiceType      = 2
StartType        = $3
ErrorControl     = 1
LoadOrderGroup   = "$2"
AddReg           = MiniFilter.AddRegistry

[MiniFilter.AddRegistry]
HKR,"Instances","DefaultInstance",0x00000000,%DefaultInstance%
HKR,"Instances\\"%Instance1.Name%,"Altitude",0x00000000,%Instance1.Altitude%
HKR,"Instances\\"%Instance1.Name%,"Flags",0x00010001,0x0

[Strings]
ProviderString   = "fltsim bench"
ServiceName      = "$1"
DefaultInstance  = "$1 Instance"
Instance1.Name   = "$1 Instance"
Instance1.Altitude = "$4"
EOF
}

reg() { # name group start altitude
  local key="HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\$1"
  printf 'Windows Registry Editor Version 5.00\r\n\r\n[%s]\r\n"Start"=dword:%08x\r\n' "$key" "$3"
  printf '"Group"="%s"\r\n"Type"=dword:00000002\r\n\r\n' "$2"
  printf '[%s\\Instances]\r\n"DefaultInstance"="%s Instance"\r\n\r\n' "$key" "$1"
  printf '[%s\\Instances\\%s Instance]\r\n"Altitude"="%s"\r\n"Flags"=dword:00000000\r\n' \
    "$key" "$1" "$4"
}

for ((i = 0; i < n; i++)); do
  g=$((i % 10))
  start=3
  tag=""
  if ((i % 20 == 0)); then start=0 g=$(((i / 20) % 10)); fi
  if ((i % 20 == 10)); then start=1 g=$(((i / 20) % 10)); fi
  if ((i % 100 == 50)); then g=$(((i / 100) % 2)); fi
  group=${groups[$g]}
  alt=$((lows[g] + 5 + i)) # distinct: every group spans more than N altitudes
  name=$(printf 'Bench%04d' "$i")
  if ((i % 100 == 50)); then start=0; fi
  if ((start != 3 && (ties == 0 || i % 100 == 50))); then tag=$((i + 1)); fi
  sub="$dir/vendor$((i % 7))"
  mkdir -p "$sub"
  if ((i % 100 == 50)); then
    printf 'name: %s\nkind: legacy\ngroup: %s\nstart: boot\n%s' "$name" "$group" \
      "${tag:+tag: $tag$'\n'}" >"$sub/$name.yaml"
  elif ((i % 5 == 3)); then
    inf "$name" "$group" "$start" "$alt" >"$sub/$name.inf"
  elif ((i % 10 == 6)); then
    reg "$name" "$group" "$start" "$alt" >"$sub/$name.reg"
  else
    printf 'name: %s\ngroup: %s\nstart: %s\n%saltitude: %s\n' "$name" "$group" "$start" \
      "${tag:+tag: $tag$'\n'}" "$alt" >"$sub/$name.yaml"
  fi
done

echo "fltsim check benchmark: $n manifests ($(find "$dir" -name '*.inf' | wc -l) INF, $(find "$dir" -name '*.reg' | wc -l) .reg, $(find "$dir" -name '*.yaml' | wc -l) YAML), ties=$ties, $runs runs per format"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "fltsim: $("$fltsim" --version), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
set +e
"$fltsim" check "$dir" >"$dir.summary" 2>&1
code=$?
set -e
echo "result: exit $code, $(tail -n 1 "$dir.summary")"
rm -f "$dir.summary"
# Wall time depends on what else the machine runs; CPU time (user + sys) much less so.
printf '%-6s %12s %15s %12s %15s\n' format wall_min_ms wall_median_ms cpu_min_ms cpu_median_ms
for fmt in text json sarif junit; do
  walls=()
  cpus=()
  for ((r = 0; r < runs; r++)); do
    /usr/bin/time -f '%e %U %S' -o "$dir.time" "$fltsim" check "$dir" --format "$fmt" \
      >/dev/null 2>&1 || true
    read -r wall user sys < <(tail -n 1 "$dir.time") # after "Command exited with ..."
    walls+=("$(awk -v w="$wall" 'BEGIN { printf "%d", w * 1000 }')")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')")
  done
  mapfile -t w < <(printf '%s\n' "${walls[@]}" | sort -n)
  mapfile -t c < <(printf '%s\n' "${cpus[@]}" | sort -n)
  printf '%-6s %12s %15s %12s %15s\n' "$fmt" "${w[0]}" "${w[$((runs / 2))]}" "${c[0]}" "${c[$((runs / 2))]}"
done
rm -f "$dir.time"
