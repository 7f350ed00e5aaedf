#!/usr/bin/env bash
# Active Protection latency per mechanism: spawns a miner-named canary (its first instructions create a marker
# file) N times under each mechanism and prints p50/p99 of spawn → end (exit, SIGKILL or EPERM as the parent sees
# it), the agent's exec → action latency, and how many canaries ran their first instruction.
#   scripts/bench-protection.sh [N]      (root; default N=200)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
if [ "$(id -u)" != 0 ]; then echo "bench-protection.sh: run as root (eBPF, fanotify)" >&2; exit 2; fi
dotnet build src/Agent -c Release -v quiet -nologo >/dev/null
echo "kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet src/Agent/bin/Release/net10.0/Vigil.Agent.dll protect bench --runs "$runs"
