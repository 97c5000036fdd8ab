#!/usr/bin/env bash
# Health latency against a real launcher, side by side in one run:
#   - `pgcontainer healthcheck postgresql` as the image runs it: asking the launcher through its socket,
#   - the same in a JVM of its own (PGCONTAINER_ASK_LAUNCHER=false) through the launcher's endpoint,
#   - and in a JVM probing directly (HEALTH_LISTEN empty as well: pgjdbc over the Unix socket),
#   - `pg_isready` on the same socket (the classic HEALTHCHECK), and `pgcontainer version` (the JVM's floor),
#   - GET /ready on the endpoint, one new connection per request as a kubelet makes them (curl's own timer).
# Prints median and p99 of each and the ratios to pg_isready. Targets: CLI median < 300 ms, /ready p99 < 5 ms.
# Only successful answers are timed: a command that fails or a request not answered 200 ends the bench with what it
# said (a fast failure is no latency). RUNS (default 100, the fewest with a meaningful p99) and REQUESTS set the sizes.
# Runs as root, like the image's HEALTHCHECK (the launcher itself drops to the postgres user).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_app
runs=${RUNS:-100}
requests=${REQUESTS:-1000}
port=${PORT:-55498}
health_port=${HEALTH_PORT:-55497}
work=$(mktemp -d /tmp/pgc-health-bench.XXXXXX)
chmod 755 "$work"
export PGDATA="$work/data" PGCONFIG="$work/config" PGLOG="$work/log" PGSOCKET="$work/run" POSTGRESQL_PORT=$port \
  POSTGRES_PASSWORD=bench TIMEOUT=30 HEALTH_LISTEN="127.0.0.1:$health_port" HOSTNAME=${HOSTNAME:-bench}
launcher_pid=
cleanup() {
  if [ -n "$launcher_pid" ]; then kill -TERM "$launcher_pid" 2>/dev/null && wait "$launcher_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# p in percent; reads numbers, one a line
percentile() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((p*NR+99)/100); if (i<1) i=1; print a[i]}'; }
# runs a command that must succeed, keeping what it printed in $output; else says what that was and fails
must() {
  if ! output=$("$@" 2>&1); then
    printf 'bench aborted: %s failed:\n%s\n' "$*" "$output" >&2
    return 1
  fi
}
# the milliseconds a command took, which must succeed
time_ms() { local s e; s=$(date +%s%N); must "$@" || return 1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
summary() { # name, then samples (ms) on stdin
  local samples; samples=$(cat)
  echo "$1 $(percentile 50 <<<"$samples") $(percentile 99 <<<"$samples")"
}

"$app/bin/pgcontainer" run >"$work/launcher.log" 2>&1 &
launcher_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$health_port/ready"; do
  kill -0 "$launcher_pid" 2>/dev/null || { echo "launcher exited:"; cat "$work/launcher.log"; exit 1; }
  sleep 0.1
done
must "$app/bin/pgcontainer" healthcheck postgresql
echo "answer through the socket:   $output"
PGCONTAINER_ASK_LAUNCHER=false must "$app/bin/pgcontainer" healthcheck postgresql
echo "answer through the endpoint: $output"
PGCONTAINER_ASK_LAUNCHER=false HEALTH_LISTEN= must "$app/bin/pgcontainer" healthcheck postgresql
echo "answer probing directly:     $output"

results=()
# interleaved, so that a load change on the machine hits every command alike
socket=(); endpoint=(); direct=(); isready=(); version=()
for _ in $(seq "$runs"); do
  took=$(time_ms "$app/bin/pgcontainer" healthcheck postgresql) || exit 1
  socket+=("$took")
  took=$(PGCONTAINER_ASK_LAUNCHER=false time_ms "$app/bin/pgcontainer" healthcheck postgresql) || exit 1
  endpoint+=("$took")
  took=$(PGCONTAINER_ASK_LAUNCHER=false HEALTH_LISTEN= time_ms "$app/bin/pgcontainer" healthcheck postgresql) || exit 1
  direct+=("$took")
  took=$(time_ms "$bindir/pg_isready" -q -h "$PGSOCKET" -p "$port") || exit 1
  isready+=("$took")
  took=$(time_ms "$app/bin/pgcontainer" version) || exit 1
  version+=("$took")
done
results+=("$(printf '%s\n' "${socket[@]}" | summary "healthcheck_socket")")
results+=("$(printf '%s\n' "${endpoint[@]}" | summary "healthcheck_jvm_endpoint")")
results+=("$(printf '%s\n' "${direct[@]}" | summary "healthcheck_jvm_direct")")
results+=("$(printf '%s\n' "${isready[@]}" | summary "pg_isready")")
results+=("$(printf '%s\n' "${version[@]}" | summary "pgcontainer_version")")

# one curl process, a new connection per request; time_total is curl's own timer (seconds). Every answer must be a
# 200: a 503 or a refused connection (code 000) ends the bench.
url_list() { for _ in $(seq "$requests"); do printf 'url = "http://127.0.0.1:%s%s"\noutput = "/dev/null"\n' "$health_port" "$1"; done; }
request_ms() {
  url_list "$1" | curl -s -K - -H 'Connection: close' -w '%{http_code} %{time_total}\n' | awk -v page="$1" '
    $1 != 200 { printf "bench aborted: GET %s answered %s\n", page, $1 > "/dev/stderr"; failed = 1; exit 1 }
    { printf "%.3f\n", $2 * 1000 }
    END { if (NR == 0 && !failed) { print "bench aborted: no answer to GET " page > "/dev/stderr"; exit 1 } }'
}
request_ms /ready >/dev/null # warm the endpoint's handler
ready=$(request_ms /ready)
results+=("$(summary "GET_/ready" <<<"$ready")")
health=$(request_ms /health)
results+=("$(summary "GET_/health" <<<"$health")")
isready_median=$(printf '%s\n' "${isready[@]}" | percentile 50)

echo
echo "health latency ($runs runs of each command, $requests requests per page; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
printf '%-22s %10s %10s %12s\n' "" "median ms" "p99 ms" "/ pg_isready"
for line in "${results[@]}"; do
  read -r name median p99 <<<"$line"
  printf '%-22s %10s %10s %12s\n' "${name//_/ }" "$median" "$p99" "$(awk "BEGIN {printf \"%.3g\", $median/$isready_median}")"
done
socket_median=$(printf '%s\n' "${socket[@]}" | percentile 50)
endpoint_median=$(printf '%s\n' "${endpoint[@]}" | percentile 50)
direct_median=$(printf '%s\n' "${direct[@]}" | percentile 50)
version_median=$(printf '%s\n' "${version[@]}" | percentile 50)
echo "a healthcheck's JVM's own cost over a bare JVM command (medians): through the endpoint" \
  "+$((endpoint_median - version_median)) ms, probing directly +$((direct_median - version_median)) ms"
ready_p99=$(percentile 99 <<<"$ready")
echo "targets: healthcheck median ${socket_median} ms (< 300 ms; ${endpoint_median} ms in a JVM of its own)," \
  "GET /ready p99 ${ready_p99} ms (< 5 ms)"
