#!/usr/bin/env bash
# Exec-storm benchmark for the agent's process probe (run as root on the target kernel).
# Runs the same storm (a bash loop exec'ing a uniquely named copy of /bin/true with marker argv) with:
#   none       no tracer (baseline wall time)
#   agent      vigil-agent run --policy P --stdout --probe ebpf, one rule matching every storm exec
#   execsnoop  Debian libbpf-tools' execsnoop (reference eBPF tool)
#   bpftrace   a one-line sched_process_exec tracer (memory reference)
# and prints, per tracer: capture share (events with the exact path and argv), CPU per exec (tracer's own
# utime+stime over the storm and drain), slowdown of the storm vs none, peak RSS.
#   scripts/bench-exec-storm.sh [N]     N execs (default 5000). STORM_PROBE=audit|proc_connector to bench a fallback.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
PROBE=${STORM_PROBE:-ebpf}
[ "$(id -u)" = 0 ] || { echo "bench-exec-storm.sh: run as root (eBPF)" >&2; exit 1; }
need=()
[ -x /usr/sbin/execsnoop ] || need+=(libbpf-tools)
command -v bpftrace >/dev/null || need+=(bpftrace)
if [ ${#need[@]} -gt 0 ]; then apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; fi
mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing

dotnet build src/Agent -c Release -v q -nologo >/dev/null
agent_dll=src/Agent/bin/Release/net10.0/Vigil.Agent.dll
work=$(mktemp -d /tmp/vigil-storm.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp /bin/true "$work/xtrue"
cat > "$work/storm.policy" <<POLICY
rules:
  - id: storm_exec
    expression: exec.file.path == "$work/xtrue"
    every: 0s
POLICY

storm() { # prints wall seconds
  local start end
  start=$(date +%s.%N)
  for ((i = 1; i <= N; i++)); do "$work/xtrue" "storm-arg-$i" foo bar; done
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
peak_rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
wait_stable() { # file, counter: waits until all N storm execs are counted or the count stops growing for 3 s (max 120 s)
  local last=-1 now same=0
  for _ in $(seq 1 120); do
    now=$($2 "$1")
    [ "$now" -ge "$N" ] && return
    if [ "$now" = "$last" ]; then same=$((same + 1)); [ $same -ge 3 ] && return; else same=0; fi
    last=$now; sleep 1
  done
}
wait_for() { for _ in $(seq 1 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "timed out waiting for $2 in $1" >&2; return 1; }
hz=$(getconf CLK_TCK)
results=()

# Each tracer: start, wait until ready, storm, drain, measure, stop.
run_tracer() { # name, count-command
  local name=$1 pid=$2 out=$3 counter=$4 before wall after rss captured
  before=$(cpu_ticks "$pid")
  wall=$(storm)
  wait_stable "$out" "$counter"
  after=$(cpu_ticks "$pid")
  rss=$(peak_rss_kb "$pid")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true  # SIGINT is ignored by background jobs of a script
  captured=$($counter "$out")
  results+=("$(printf '%-10s %8s %9.1f%% %12.1f %9.2fx %9.1f' "$name" "$captured/$N" "$(echo "100 * $captured / $N" | bc -l)" \
    "$(echo "($after - $before) * 1000000 / $hz / $N" | bc -l)" "$(echo "$wall / $base" | bc -l)" "$(echo "$rss / 1024" | bc -l)")")
}
count_agent() {
  python3 - "$1" "$work/xtrue" <<'PY'
import json, re, sys
seen = set()
for line in open(sys.argv[1]):
    try: e = json.loads(line)
    except ValueError: continue
    p = e.get("process", {})
    a = p.get("args", [])
    if p.get("executable", {}).get("path") == sys.argv[2] and len(a) == 3 and re.fullmatch(r"storm-arg-\d+", a[0]) and a[1:] == ["foo", "bar"]:
        seen.add(a[0])
print(len(seen))
PY
}
count_execsnoop() { grep -oE "$work/xtrue storm-arg-[0-9]+ foo bar *$" "$1" | sort -u | wc -l; }
count_bpftrace() { grep -c "^$work/xtrue$" "$1" || true; }

echo "storm: $N execs of $work/xtrue (baseline first)"
base=$(storm)
results+=("$(printf '%-10s %8s %10s %12s %9.2fx %9s' none - - - 1 -)")

dotnet "$agent_dll" run --policy "$work/storm.policy" --stdout --probe "$PROBE" > "$work/agent.out" 2> "$work/agent.err" &
agent=$!
wait_for "$work/agent.err" "process: $PROBE running"
run_tracer "agent/$PROBE" "$agent" "$work/agent.out" count_agent

/usr/sbin/execsnoop > "$work/execsnoop.out" 2>&1 &
snoop=$!
wait_for "$work/execsnoop.out" "PCOMM"
run_tracer execsnoop "$snoop" "$work/execsnoop.out" count_execsnoop

bpftrace -e 'tracepoint:sched:sched_process_exec { printf("%s\n", str(args->filename)); }' > "$work/bpftrace.out" 2>&1 &
bt=$!
wait_for "$work/bpftrace.out" "Attaching"
run_tracer bpftrace "$bt" "$work/bpftrace.out" count_bpftrace

printf '\n%-10s %8s %10s %12s %10s %9s\n' tracer captured share "CPU µs/exec" slowdown "RSS MiB"
printf '%s\n' "${results[@]}"
echo "baseline storm: $(printf '%.2f' "$base") s; capture = events with the exact path and argv (bpftrace: path only)"
