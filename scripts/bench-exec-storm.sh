#!/usr/bin/env bash
# Exec-storm benchmark for the agent's process probe (run as root on the target kernel).
# Runs the same storm (a bash loop exec'ing a uniquely named copy of /bin/true with marker argv) with:
#   none       no tracer (baseline wall time)
#   agent      vigil-agent run --policy P --stdout --probe ebpf, one rule matching every storm exec
#   execsnoop  Debian libbpf-tools' execsnoop (reference eBPF tool)
#   bpftrace   a one-line sched_process_exec tracer (memory reference)
# and prints, per tracer: capture share (events with the exact path and argv), CPU per exec (tracer's own
# utime+stime over the storm and drain, start-up excluded), slowdown of the storm vs none, peak RSS.
# The agent is published as it ships (dotnet publish -r linux-x64: precompiled, deploy/vigil-agent.service) and run
# with the unit's environment. It gets two storms: the first (cold: code still being compiled or tiered counts) and
# a second one on the same process (warm: the steady per-exec cost). Its start-up CPU is printed apart.
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

work=$(mktemp -d /tmp/vigil-storm.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet publish src/Agent -c Release -r linux-x64 --self-contained false -o "$work/agent" -v q -nologo >/dev/null
agent_dll=$work/agent/Vigil.Agent.dll
agent_env=$(sed -n 's/^Environment=//p' deploy/vigil-agent.service)
cp /bin/true "$work/xtrue"
cat > "$work/storm.policy" <<POLICY
rules:
  - id: storm_exec
    expression: exec.file.path == "$work/xtrue"
    every: 0s
POLICY

storm() { # [marker]: prints wall seconds
  local start end marker=${1:-storm}
  start=$(date +%s.%N)
  for ((i = 1; i <= N; i++)); do "$work/xtrue" "$marker-arg-$i" foo bar; done
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

# Each tracer: start, wait until ready, storm, drain, measure (CPU of the storm window only), stop.
declare -A cpu_us share_pct rss_mib
measure_storm() { # name, pid, output, count-command, marker
  local name=$1 pid=$2 out=$3 counter=$4 marker=$5 before wall after rss captured
  before=$(cpu_ticks "$pid")
  wall=$(storm "$marker")
  MARKER=$marker wait_stable "$out" "$counter"
  after=$(cpu_ticks "$pid")
  rss=$(peak_rss_kb "$pid")
  captured=$(MARKER=$marker $counter "$out")
  cpu_us[$name]=$(echo "($after - $before) * 1000000 / $hz / $N" | bc -l)
  share_pct[$name]=$(echo "100 * $captured / $N" | bc -l)
  rss_mib[$name]=$(echo "$rss / 1024" | bc -l)
  results+=("$(printf '%-14s %8s %9.1f%% %12.1f %9.2fx %9.1f' "$name" "$captured/$N" "${share_pct[$name]}" "${cpu_us[$name]}" \
    "$(echo "$wall / $base" | bc -l)" "${rss_mib[$name]}")")
}
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }  # SIGINT is ignored by background jobs of a script
count_agent() {
  python3 - "$1" "$work/xtrue" "${MARKER:-storm}" <<'PY'
import json, re, sys
seen = set()
for line in open(sys.argv[1]):
    try: e = json.loads(line)
    except ValueError: continue
    p = e.get("process", {})
    a = p.get("args", [])
    if p.get("executable", {}).get("path") == sys.argv[2] and len(a) == 3 and re.fullmatch(sys.argv[3] + r"-arg-\d+", a[0]) and a[1:] == ["foo", "bar"]:
        seen.add(a[0])
print(len(seen))
PY
}
count_execsnoop() { grep -oE "$work/xtrue ${MARKER:-storm}-arg-[0-9]+ foo bar *$" "$1" | sort -u | wc -l; }
count_bpftrace() { grep -c "^$work/xtrue$" "$1" || true; }

echo "storm: $N execs of $work/xtrue (baseline first)"
base=$(storm)
results+=("$(printf '%-14s %8s %10s %12s %9.2fx %9s' none - - - 1 -)")

echo "agent: published with ReadyToRun, environment: ${agent_env:-none}"
# shellcheck disable=SC2086 # the unit's VAR=value words
env $agent_env dotnet "$agent_dll" run --policy "$work/storm.policy" --stdout --probe "$PROBE" > "$work/agent.out" 2> "$work/agent.err" &
agent=$!
wait_for "$work/agent.err" "process: $PROBE running"
startup_ms=$(echo "$(cpu_ticks "$agent") * 1000 / $hz" | bc)
measure_storm "agent/$PROBE" "$agent" "$work/agent.out" count_agent storm
measure_storm "agent warm" "$agent" "$work/agent.out" count_agent warm
stop "$agent"
agent_lost=$(grep -oE "process: $PROBE .*lost [0-9]+" "$work/agent.err" | tail -1 | grep -oE "[0-9]+$" || echo "?")
self_test=$(grep -m1 "self-test:" "$work/agent.err" | sed 's/^vigil-agent: //')

/usr/sbin/execsnoop > "$work/execsnoop.out" 2>&1 &
snoop=$!
wait_for "$work/execsnoop.out" "PCOMM"
measure_storm execsnoop "$snoop" "$work/execsnoop.out" count_execsnoop storm
stop "$snoop"

bpftrace -e 'tracepoint:sched:sched_process_exec { printf("%s\n", str(args->filename)); }' > "$work/bpftrace.out" 2>&1 &
bt=$!
wait_for "$work/bpftrace.out" "Attaching"
measure_storm bpftrace "$bt" "$work/bpftrace.out" count_bpftrace storm
stop "$bt"

printf '\n%-14s %8s %10s %12s %10s %9s\n' tracer captured share "CPU µs/exec" slowdown "RSS MiB"
printf '%s\n' "${results[@]}"
echo "baseline storm: $(printf '%.2f' "$base") s; capture = events with the exact path and argv (bpftrace: path only)"
echo "CPU per exec = the tracer's utime+stime from the storm's start until its events stopped arriving, / N; start-up is not in it."
echo "agent start-up (load, attach, /proc snapshot, self-test): $startup_ms ms CPU; ring-buffer and queue losses: $agent_lost; $self_test"
verdict() { if [ "$(echo "$1" | bc -l)" = 1 ]; then echo PASS; else echo MISS; fi; }
snoop_cpu=${cpu_us[execsnoop]}
echo "$(verdict "${share_pct[agent/$PROBE]} >= 99.5 && ${share_pct[agent/$PROBE]} >= ${share_pct[execsnoop]}") capture >= 99.5 % and >= execsnoop's: $(printf '%.1f %% vs %.1f %%' "${share_pct[agent/$PROBE]}" "${share_pct[execsnoop]}")"
for run in "agent/$PROBE" "agent warm"; do
  echo "$(verdict "${cpu_us[$run]} <= 1.5 * $snoop_cpu") CPU per exec <= 1.5 x execsnoop's ($run): $(printf '%.1f' "$(echo "${cpu_us[$run]} / $snoop_cpu" | bc -l)") x"
done
echo "$(verdict "${rss_mib[agent warm]} <= 0.75 * ${rss_mib[bpftrace]}") peak RSS <= 0.75 x bpftrace's: $(printf '%.2f' "$(echo "${rss_mib[agent warm]} / ${rss_mib[bpftrace]}" | bc -l)") x"
