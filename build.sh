#!/usr/bin/env bash
# Vigil's one entry point for people and CI.
#   ./build.sh run        start the whole platform in one process (embedded: SQLite, in-memory bus and jobs)
#   ./build.sh test       install and start PostgreSQL, RabbitMQ and Chromium if needed, then run every test
#   ./build.sh services   only install/start PostgreSQL and RabbitMQ on 127.0.0.1 (local development)
#   ./build.sh migrate    apply database migrations to the configured PostgreSQL (production step)
#   ./build.sh build      restore and build the solution
#   ./build.sh bench-pipeline [options]   services, Release build, end-to-end ingest benchmark (--help, --quick)
#   ./build.sh bench-explorer [--quick]   services, Release build, Signals Explorer facet-click benchmark
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

configuration=${CONFIGURATION:-Release}

need_dotnet() {
  command -v dotnet >/dev/null || { echo "build.sh: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 1; }
}

build() {
  need_dotnet
  dotnet restore Platform.sln
  dotnet build Platform.sln --no-restore -c "$configuration"
}

services() {
  if [ "$(id -u)" = 0 ]; then
    bash scripts/services.sh
  else
    sudo -E bash scripts/services.sh
  fi
}

run() {
  need_dotnet
  mkdir -p data
  # The content root is the Server project (its appsettings.json); data/ stays under the repository root.
  exec dotnet run --project src/Server -c "$configuration" --no-launch-profile -- --contentRoot "$PWD/src/Server" "$@"
}

migrate() {
  need_dotnet
  : "${ConnectionStrings__Postgres:=Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database=vigil}"
  export ConnectionStrings__Postgres
  dotnet run --project src/Api -c "$configuration" --no-launch-profile -- migrate
}

test_all() {
  need_dotnet
  services
  build
  local results=artifacts/test-results
  rm -rf "$results"; mkdir -p "$results"
  export VIGIL_TEST_POSTGRES=${VIGIL_TEST_POSTGRES:-"Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database=postgres"}
  export VIGIL_TEST_RABBITMQ=${VIGIL_TEST_RABBITMQ:-"amqp://vigil:vigil@127.0.0.1:5672/"}
  export VIGIL_TEST_RABBITMQ_MANAGEMENT=${VIGIL_TEST_RABBITMQ_MANAGEMENT:-"http://vigil:vigil@127.0.0.1:15672/"}
  export VIGIL_TEST_CHROMIUM=${VIGIL_TEST_CHROMIUM:-/usr/bin/chromium}
  local status=0 project name rc
  # One project at a time: each gets its own TRX file, and the 2-core machines are not oversubscribed.
  # A test that makes no progress for 5 minutes ends its project's run (no dump: taking one starts a process,
  # and a hang may be one where processes cannot start); the run is then counted as a failure below.
  for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    echo "=== $name"
    rc=0
    dotnet test "$project" --no-build -c "$configuration" --results-directory "$results" \
      --blame-hang-timeout 5m --blame-hang-dump-type none \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" || rc=$?
    [ "$rc" = 0 ] || { status=$rc; echo "$name" >> "$results/nonzero-exit"; }
  done
  summarize "$results" || status=1
  return $status
}

# COPY ceiling, naive baseline, the pipeline and detection latency against the real PostgreSQL and RabbitMQ;
# prints one table and a PASS/MISS line per target (docs/benchmarks.md). Extra arguments go to the harness.
bench_pipeline() {
  need_dotnet
  services
  local project=tests/Vigil.Benchmarks.Pipeline/Vigil.Benchmarks.Pipeline.csproj
  dotnet build "$project" -c Release
  export VIGIL_TEST_POSTGRES=${VIGIL_TEST_POSTGRES:-"Host=127.0.0.1;Port=5432;Username=vigil;Password=vigil;Database=postgres"}
  export VIGIL_TEST_RABBITMQ=${VIGIL_TEST_RABBITMQ:-"amqp://vigil:vigil@127.0.0.1:5672/"}
  export VIGIL_TEST_RABBITMQ_MANAGEMENT=${VIGIL_TEST_RABBITMQ_MANAGEMENT:-"http://vigil:vigil@127.0.0.1:15672/"}
  dotnet run --project "$project" -c Release --no-build -- "$@"
}

# Seeds 10,000 signals over 100 hosts and times a Signals Explorer facet click against the Api (target < 300 ms).
bench_explorer() {
  need_dotnet
  services
  local project=tests/Vigil.Benchmarks.Explorer/Vigil.Benchmarks.Explorer.csproj
  dotnet build "$project" -c Release
  dotnet run --project "$project" -c Release --no-build -- "$@"
}

# Names every failed test with the first line of its error, so the end of a CI log says what broke.
list_failures() {
  local trx
  for trx in "$1"/*.trx; do
    [ -e "$trx" ] || continue
    if command -v python3 >/dev/null; then
      python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") == "Failed":
        m = r.find("t:Output/t:ErrorInfo/t:Message", ns)
        first = (m.text or "").strip().splitlines()[0][:300] if m is not None and m.text else ""
        print(f"FAILED: {r.get('testName')} -- {first}")
PY
    else
      grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*' "$trx" | sed -n 's/.*testName="\([^"]*\)".*/FAILED: \1/p'
    fi
  done
}

# Sums the counters of every test project's TRX file into the one line CI reads. A project whose run failed
# although no test in its TRX did (an aborted run: a hang or a crashed test host) counts as one failed test.
summarize() {
  local passed=0 failed=0 files=0 counters p f name
  for trx in "$1"/*.trx; do
    [ -e "$trx" ] || continue
    files=$((files + 1))
    counters=$(grep -o '<Counters [^>]*' "$trx" | head -n 1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
    f=0
    for attr in failed error timeout aborted; do
      n=$(sed -n "s/.* $attr=\"\([0-9]*\)\".*/\1/p" <<<"$counters")
      f=$((f + ${n:-0}))
    done
    name=$(basename "$trx" .trx)
    if [ "$f" = 0 ] && grep -qx "$name" "$1/nonzero-exit" 2>/dev/null; then
      echo "FAILED: $name -- the run ended early (a test hung or the test host crashed); the log above names the test"
      f=1
    fi
    passed=$((passed + ${p:-0})); failed=$((failed + f))
  done
  for name in $(cat "$1/nonzero-exit" 2>/dev/null); do
    [ -e "$1/$name.trx" ] || { echo "FAILED: $name -- no results were written"; failed=$((failed + 1)); }
  done
  echo "$files test projects reported"
  list_failures "$1"
  echo "$passed passed, $failed failed"
  [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}

case "${1:-help}" in
  run) shift; run "$@" ;;
  test) test_all ;;
  services) services ;;
  migrate) migrate ;;
  build) build ;;
  bench-pipeline) shift; bench_pipeline "$@" ;;
  bench-explorer) shift; bench_explorer "$@" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; [ "${1:-help}" = help ] ;;
esac
