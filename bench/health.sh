#!/usr/bin/env bash
# Health latency against a real launcher, quiet and with the machine loaded (stress-ng --cpu 2, started and stopped
# here), side by side in one run:
#   - `pgcontainer healthcheck postgresql` as the image runs it: asking the launcher through its socket,
#   - the same in a JVM of its own (PGCONTAINER_ASK_LAUNCHER=false), through the launcher's endpoint,
#   - `pg_isready` on the same socket (the classic HEALTHCHECK, the baseline of the ratios),
#   - GET /ready, many requests on one kept-alive connection (as Prometheus and most probes make them): request 1
#     against requests 2..N, also with the JDK's default of Nagle's algorithm (-Dsun.net.httpserver.nodelay=false),
#   - the healthcheck as the image runs it while the launcher is frozen (SIGSTOP): it takes the request and never
#     answers, so the socket client's own 0.9 s deadline answers DOWN,
#   - then with the launcher stopped (no launcher, no server), the healthcheck as the image runs it, and in a JVM (one
#     check, and all of them),
#   - and in a JVM, against programs that accept connections and never say a word: a hung endpoint (HEALTH_LISTEN),
#     and a hung server probed directly (HEALTH_LISTEN empty), where a deadline, the JVM's watchdog or bin/pgcontainer's
#     kill of the JVM answers DOWN.
# For each: median, p99 and max in ms, how many answers took over 1 s (the healthcheck's bound), and how many were
# wrong: DOWN while the server is fine (an orchestrator would restart a healthy container), or UP with nothing running,
# a frozen launcher or a hung program. These are the timings the integration tests leave out (they assert the answers
# and that every run ends, not how fast, which depends on the node's load).
# RUNS (default 30) sets the runs per command and load, HUNG_RUNS (default 10) those against a frozen launcher or a
# hung program (each takes most of the second), REQUESTS (default 100) the requests per connection; the bench takes
# about three minutes and stops by itself. Runs as root, like the image's HEALTHCHECK (the launcher itself drops to the
# postgres user). Needs stress-ng (apt-get install stress-ng).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_app
command -v stress-ng >/dev/null || { echo "bench needs stress-ng: apt-get install stress-ng" >&2; exit 1; }
runs=${RUNS:-30}
hung_runs=${HUNG_RUNS:-10}
requests=${REQUESTS:-100}
port=${PORT:-55498}
health_port=${HEALTH_PORT:-55497}
silent_port=${SILENT_PORT:-55496}
work=$(mktemp -d /tmp/pgc-health-bench.XXXXXX)
chmod 755 "$work"
export PGDATA="$work/data" PGCONFIG="$work/config" PGLOG="$work/log" PGSOCKET="$work/run" POSTGRESQL_PORT=$port \
  POSTGRES_PASSWORD=bench TIMEOUT=30 HEALTH_LISTEN="127.0.0.1:$health_port" HOSTNAME=${HOSTNAME:-bench}
launcher_pid=
load_pid=
silent_pid=
stop_load() {
  if [ -n "$load_pid" ]; then kill -TERM "$load_pid" 2>/dev/null && wait "$load_pid" || true; fi
  load_pid=
}
stop_launcher() { # continued first, should it be frozen
  if [ -n "$launcher_pid" ]; then
    pkill -CONT -P "$launcher_pid" 2>/dev/null || true
    kill -TERM "$launcher_pid" 2>/dev/null && wait "$launcher_pid" || true
  fi
  launcher_pid=
}
stop_silent() {
  if [ -n "$silent_pid" ]; then kill -TERM "$silent_pid" 2>/dev/null && wait "$silent_pid" || true; fi
  silent_pid=
}
cleanup() {
  stop_load
  stop_launcher
  stop_silent
  rm -rf "$work"
}
trap cleanup EXIT

start_launcher() { # extra environment, e.g. PGCONTAINER_JAVA_OPTS=...
  env "$@" "$app/bin/pgcontainer" run >>"$work/launcher.log" 2>&1 &
  launcher_pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$health_port/ready"; do
    kill -0 "$launcher_pid" 2>/dev/null || { echo "launcher exited:"; cat "$work/launcher.log"; exit 1; }
    sleep 0.1
  done
}
# A TCP port (the hung endpoint) and a server socket (the hung server) that accept connections and never say a word,
# like a stuck program; bounded in time should this script be killed without its trap
start_silent() {
  mkdir -p "$work/silent"
  timeout 600 perl -MIO::Socket::INET -MIO::Socket::UNIX -MIO::Select -e '
    my $tcp = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0], Listen => 64, ReuseAddr => 1)
      or die "cannot listen on 127.0.0.1:$ARGV[0]: $!\n";
    my $unix = IO::Socket::UNIX->new(Local => $ARGV[1], Listen => 64) or die "cannot listen on $ARGV[1]: $!\n";
    my $listening = IO::Select->new($tcp, $unix);
    my @kept;
    while (my @ready = $listening->can_read) { push @kept, $_->accept for @ready }' \
    "$silent_port" "$work/silent/.s.PGSQL.$port" &
  silent_pid=$!
  until [ -S "$work/silent/.s.PGSQL.$port" ]; do
    kill -0 "$silent_pid" 2>/dev/null || { echo "bench aborted: the silent servers did not start" >&2; exit 1; }
    sleep 0.05
  done
}
# Two CPU hogs on the 2 cores, bounded in time should this script be killed without its trap
start_load() { stress-ng --cpu 2 --timeout 300s --quiet & load_pid=$!; sleep 2; }

now_us() { echo "${EPOCHREALTIME/./}"; } # bash's own clock: no fork
# runs a command RUNS times, appending "ms exit-code" lines to a file named after the case
sample() { # case name, command...
  local name=$1 start code
  shift
  start=$(now_us)
  code=0
  "$@" >/dev/null 2>&1 || code=$?
  echo "$(( ($(now_us) - start) / 1000 )) $code" >>"$work/$name"
}
# p in percent; reads numbers, one a line
percentile() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((p*NR+99)/100); if (i<1) i=1; print a[i]}'; }
baseline=
report() { # case name, which exit code is the truth (0: the server is fine, 1: nothing runs)
  local file="$work/$1" median p99 max over wrong ratio
  median=$(cut -d' ' -f1 "$file" | percentile 50)
  p99=$(cut -d' ' -f1 "$file" | percentile 99)
  max=$(cut -d' ' -f1 "$file" | sort -n | tail -1)
  over=$(awk '$1 > 1000' "$file" | wc -l)
  wrong=$(awk -v truth="$2" '($2 == 0) != (truth == 0)' "$file" | wc -l)
  ratio=$(awk -v m="$median" -v b="${baseline:-0}" 'BEGIN {print (b > 0 ? sprintf("%.3g", m / b) : "-")}')
  printf '%-40s %7s %7s %7s %7s/%-4s %7s %7s\n' "$1" "$median" "$p99" "$max" "$over" "$(wc -l <"$file")" "$wrong" \
    "$ratio"
}
header() {
  printf '%-40s %7s %7s %7s %12s %7s %7s\n' "$1" "median" "p99" "max" "over 1 s" "wrong" "/isready"
}

launcher_runs() { # load name
  for _ in $(seq "$runs"); do # interleaved, so that a change of load hits every command alike
    sample "healthcheck_socket_$1" "$app/bin/pgcontainer" healthcheck postgresql
    sample "healthcheck_jvm_$1" env PGCONTAINER_ASK_LAUNCHER=false "$app/bin/pgcontainer" healthcheck postgresql
    sample "pg_isready_$1" "$bindir/pg_isready" -q -h "$PGSOCKET" -p "$port"
  done
}
frozen_runs() { # load name
  # the JVM that answers the socket, a child of the start script (which stays for the signals it passes on)
  local jvm
  jvm=$(pgrep -P "$launcher_pid" -f 'pgcontainer[.]jar')
  kill -STOP "$jvm"
  for _ in $(seq "$hung_runs"); do
    sample "frozen_launcher_socket_$1" "$app/bin/pgcontainer" healthcheck postgresql
  done
  kill -CONT "$jvm"
}
stopped_runs() { # load name
  for _ in $(seq "$runs"); do
    sample "no_launcher_healthcheck_$1" "$app/bin/pgcontainer" healthcheck postgresql
    sample "no_launcher_jvm_$1" env PGCONTAINER_ASK_LAUNCHER=false "$app/bin/pgcontainer" healthcheck postgresql
    sample "no_launcher_jvm_all_$1" env PGCONTAINER_ASK_LAUNCHER=false "$app/bin/pgcontainer" healthcheck
  done
  for _ in $(seq "$hung_runs"); do
    sample "hung_endpoint_jvm_$1" env PGCONTAINER_ASK_LAUNCHER=false HEALTH_LISTEN="127.0.0.1:$silent_port" \
      "$app/bin/pgcontainer" healthcheck postgresql
    sample "hung_server_jvm_$1" env PGCONTAINER_ASK_LAUNCHER=false HEALTH_LISTEN= PGSOCKET="$work/silent" \
      "$app/bin/pgcontainer" healthcheck postgresql
  done
}
# REQUESTS GETs of /ready on one connection (curl reuses it): "ms new-connections" a line, in order
keep_alive() { # case name
  for _ in $(seq "$requests"); do
    printf 'url = "http://127.0.0.1:%s/ready"\noutput = "/dev/null"\n' "$health_port"
  done | curl -s -K - -w '%{http_code} %{num_connects} %{time_total}\n' | awk '
    $1 != 200 { print "bench aborted: GET /ready answered " $1 > "/dev/stderr"; exit 1 }
    { printf "%.3f %d\n", $3 * 1000, $2 }' >"$work/$1"
  [ "$(wc -l <"$work/$1")" = "$requests" ] || { echo "bench aborted: not every GET /ready was answered" >&2; exit 1; }
}
keep_alive_report() { # case name
  local file="$work/$1" first rest reconnects
  first=$(head -1 "$file" | cut -d' ' -f1)
  rest=$(tail -n +2 "$file" | cut -d' ' -f1)
  reconnects=$(tail -n +2 "$file" | awk '$2 != 0' | wc -l)
  printf '%-40s %9s %9s %9s %9s %11s\n' "$1" "$first" "$(percentile 50 <<<"$rest")" "$(percentile 99 <<<"$rest")" \
    "$(sort -n <<<"$rest" | tail -1)" "$reconnects"
}

start_launcher
echo "launcher ready; $runs runs of each command per load, $requests requests per connection"
"$app/bin/pgcontainer" healthcheck postgresql >/dev/null # a first run of each, untimed
PGCONTAINER_ASK_LAUNCHER=false "$app/bin/pgcontainer" healthcheck postgresql >/dev/null
load_quiet=$(cut -d' ' -f1 /proc/loadavg)
launcher_runs quiet
keep_alive keep_alive_quiet
frozen_runs quiet
start_load
load_loaded=$(cut -d' ' -f1 /proc/loadavg)
launcher_runs loaded
keep_alive keep_alive_loaded
frozen_runs loaded
stop_load
stop_launcher
start_launcher PGCONTAINER_JAVA_OPTS=-Dsun.net.httpserver.nodelay=false
keep_alive keep_alive_quiet_with_nagle
stop_launcher
start_silent
stopped_runs quiet
start_load
stopped_runs loaded
stop_load
stop_silent

echo
echo "$(nproc) cores; load average before the quiet runs $load_quiet, at the start of the loaded ones $load_loaded" \
  "(stress-ng --cpu 2 on top of whatever else runs)"
echo
header "server running (truth: UP), ms"
for load in quiet loaded; do
  baseline=$(cut -d' ' -f1 "$work/pg_isready_$load" | percentile 50)
  report "healthcheck_socket_$load" 0
  report "healthcheck_jvm_$load" 0
  report "pg_isready_$load" 0
done
baseline=
echo
header "frozen launcher (truth: DOWN), ms"
for load in quiet loaded; do report "frozen_launcher_socket_$load" 1; done
echo
header "no launcher, no server (truth: DOWN), ms"
for load in quiet loaded; do
  report "no_launcher_healthcheck_$load" 1
  report "no_launcher_jvm_$load" 1
  report "no_launcher_jvm_all_$load" 1
done
echo
header "hung program, in a JVM (truth: DOWN), ms"
for load in quiet loaded; do
  report "hung_endpoint_jvm_$load" 1
  report "hung_server_jvm_$load" 1
done
echo
printf '%-40s %9s %9s %9s %9s %11s\n' "GET /ready kept alive, ms" "request 1" "2.. med" "2.. p99" "2.. max" \
  "reconnects"
for name in keep_alive_quiet keep_alive_loaded keep_alive_quiet_with_nagle; do keep_alive_report "$name"; done
