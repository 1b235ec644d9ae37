#!/usr/bin/env bash
# Token-endpoint polls per second for auth-service: see README.md. No arguments; settings via BENCH_* variables.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
COMMAND="bench/token-polls/run.sh"
for v in BENCH_GRANTS BENCH_LEVELS BENCH_WARMUP_S BENCH_DURATION_S BENCH_HTTP_PORT BENCH_MGMT_PORT; do
  if [[ -n "${!v:-}" ]]; then COMMAND="$v=${!v} $COMMAND"; fi
done
# The whole run (setup, every level, shutdown) is bounded by this many seconds.
BUDGET="${BENCH_TIMEOUT_S:-170}"

WORK="$(mktemp -d /tmp/infershield-token-polls.XXXXXX)"
BENCH_PID=""

stop_pid() { # pid, signal, seconds to wait
  local pid="$1" sig="$2" wait_s="$3" i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null || true
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # The benchmark JVM stops auth-service and PostgreSQL itself (finally block and shutdown hook) ...
  stop_pid "$BENCH_PID" TERM 20
  # ... and whatever survived it (e.g. after a SIGKILL) is stopped here by the pids it recorded.
  if [[ -f "$WORK/auth-service.pid" ]]; then
    stop_pid "$(cat "$WORK/auth-service.pid")" TERM 10
  fi
  if [[ -f "$WORK/pgdata.path" ]]; then
    local pgdata
    pgdata="$(cat "$WORK/pgdata.path")"
    if [[ -f "$pgdata/postmaster.pid" ]]; then
      stop_pid "$(head -n1 "$pgdata/postmaster.pid")" INT 10 # SIGINT: PostgreSQL's fast shutdown
    fi
    case "$pgdata" in /tmp/*) rm -rf "$pgdata" ;; esac
  fi
  if [[ "${BENCH_KEEP_WORK:-0}" == 1 ]]; then
    echo "bench: work files kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$ROOT"
if [[ ! -f auth-service/target/quarkus-app/quarkus-run.jar ]]; then
  echo "bench: packaging auth-service"
  mvn -B -o -q -pl auth-service package -DskipTests
fi
if [[ ! -d testkit/target/classes/io/infershield/testkit/infra ]]; then
  echo "bench: testkit/target/classes is missing: build the project first (./mvnw -DskipTests package)" >&2
  exit 1
fi
mvn -B -o -q -pl testkit dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$WORK/testkit.cp" >/dev/null
CP="$ROOT/testkit/target/classes:$(cat "$WORK/testkit.cp")"

export BENCH_ROOT="$ROOT" BENCH_WORK="$WORK" BENCH_RESULTS="$HERE/results.md" BENCH_COMMAND="$COMMAND"
export BENCH_NPROC="$(nproc)"
export BENCH_JAVA_VERSION="$(java -version 2>&1)"

# timeout bounds the run; its TERM reaches the JVM, whose shutdown hook stops auth-service and PostgreSQL.
timeout -k 20 "$BUDGET" java -Xmx512m -cp "$CP" "$HERE/Bench.java" &
BENCH_PID=$!
set +e
wait "$BENCH_PID"
rc=$?
set -e
BENCH_PID=""
if [[ $rc -eq 124 ]]; then
  echo "bench: the run exceeded ${BUDGET} s and was stopped" >&2
fi
exit "$rc"
