#!/usr/bin/env bash
# Time from `pgcontainer run` to the first successful connection, against `pg_ctl start` on the same initialised
# PGDATA, side by side in the same script; and the launcher JVM's resident memory while supervising.
# Both starts are timed the same way: launch in the background, poll pg_isready on the socket until it answers.
# Runs as root (like the image): the launcher then starts two JVMs (prepare as root, then run as postgres); with
# AS_SERVER_USER=1 the whole bench runs as user postgres, where the launcher starts one JVM.
# With IMAGE (e.g. IMAGE=localhost/pgcontainer:latest) the same bench runs inside a container of that image, as root
# like the image: its Java runtime, class-data archive and start script (/opt/pgcontainer), its PG_BINDIR; podman's own
# start of the container is not in the timing (vs-official.sh measures that). bench/ is mounted read-only.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ -n "${IMAGE:-}" ]; then
  settings=()
  for name in RUNS PORT POLL AS_SERVER_USER; do [ -z "${!name:-}" ] || settings+=(-e "$name=${!name}"); done
  # no healthcheck: the image's would run beside the measurement every 10 s
  exec podman run --rm --network none --no-healthcheck -v "$repo/bench:/bench:ro" -e APP=/opt/pgcontainer \
    "${settings[@]}" --entrypoint bash "$IMAGE" /bench/startup.sh
fi
ensure_app
runs=${RUNS:-7}
port=${PORT:-55499}
work=$(mktemp -d /tmp/pgc-bench.XXXXXX)
chmod 755 "$work"
as_user=()
if [ "${AS_SERVER_USER:-0}" = 1 ]; then
  chown postgres: "$work"
  as_user=(setpriv --reuid=postgres --regid=postgres --init-groups env HOME=/var/lib/postgresql)
fi
# PG_BINDIR as the image sets it (without it the launcher asks pg_config, one more process start)
export PGDATA="$work/data" PGCONFIG="$work/config" PGLOG="$work/log" PGSOCKET="$work/run" POSTGRESQL_PORT=$port \
  POSTGRES_PASSWORD=bench TIMEOUT=30 PG_BINDIR="$bindir"
launcher_pid=
# from the pid file and /proc: the image has no procps (pgrep, pkill)
cleanup() {
  [ -n "$launcher_pid" ] && kill -9 "$launcher_pid" 2>/dev/null
  if [ -f "$PGDATA/postmaster.pid" ]; then kill -9 "$(head -1 "$PGDATA/postmaster.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# the JVM that supervises the server: the nearest java process above the postmaster
supervising_jvm() {
  local pid
  pid=$(head -1 "$PGDATA/postmaster.pid")
  while pid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status") && [ "$pid" -gt 1 ]; do
    [ "$(cat "/proc/$pid/comm")" != java ] || { echo "$pid"; return 0; }
  done
  echo "no java process above the postmaster (pid $(head -1 "$PGDATA/postmaster.pid"))" >&2
  return 1
}
java=java
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; fi # as bin/pgcontainer
echo "runtime: $("$java" -version 2>&1 | head -1) ($(command -v "$java")); app $app$([ ! -f "$app/pgcontainer.jsa" ] ||
  echo ", with its class-data archive"); as $([ "${AS_SERVER_USER:-0}" = 1 ] && echo "the server user" || echo root)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# Polled every 20 ms (POLL): a pg_isready process costs about 10 ms of CPU, and polling every 5 ms kept half a core
# busy, which slowed the JVM start it measured by 100-200 ms on 2 cores while pg_ctl's time did not move.
wait_ready() { until "$bindir/pg_isready" -q -h "$PGSOCKET" -p "$port"; do sleep "${POLL:-0.02}"; done; }

start_launcher() { "${as_user[@]}" "$app/bin/pgcontainer" run >"$work/launcher.log" 2>&1 & launcher_pid=$!; }
stop_launcher() { kill -TERM "$launcher_pid"; wait "$launcher_pid" || true; launcher_pid=; }

# initialise once, outside the measurement; running a second, as each measured start does, lets the launcher record
# the start it accepted once the server is ready, which a restart then repeats (the fast restart)
start_launcher; wait_ready; sleep 1; stop_launcher

launcher_ms=(); pgctl_ms=(); rss_kb=(); anon_kb=(); fast=0
for _ in $(seq "$runs"); do
  t=$(now_ms); start_launcher; wait_ready; launcher_ms+=($(( $(now_ms) - t )))
  sleep 1
  ! grep -q "^pgcontainer: fast restart: postgres" "$work/launcher.log" || fast=$((fast + 1))
  jvm=$(supervising_jvm)
  rss_kb+=("$(awk '/VmRSS/ {print $2}' "/proc/$jvm/status")")
  anon_kb+=("$(awk '/RssAnon/ {print $2}' "/proc/$jvm/status")")
  stop_launcher

  t=$(now_ms)
  setpriv --reuid=postgres --regid=postgres --init-groups "$bindir/pg_ctl" start -s -D "$PGDATA" \
    -o "-c config_file=$PGCONFIG/pgcontainer.conf" -l "$PGLOG/pgctl.log" >/dev/null
  wait_ready; pgctl_ms+=($(( $(now_ms) - t )))
  setpriv --reuid=postgres --regid=postgres --init-groups "$bindir/pg_ctl" stop -s -m fast -D "$PGDATA" >/dev/null
done

# the floor under any JVM launcher: start and exit, with the same flags and archive (`pgcontainer version`)
version_ms=()
for _ in $(seq "$runs"); do
  t=$(now_ms); "$app/bin/pgcontainer" version >/dev/null; version_ms+=($(( $(now_ms) - t )))
done

l=$(printf '%s\n' "${launcher_ms[@]}" | median)
p=$(printf '%s\n' "${pgctl_ms[@]}" | median)
r=$(printf '%s\n' "${rss_kb[@]}" | median)
echo "time to first connection (median of $runs): pgcontainer run ${l} ms, pg_ctl start ${p} ms," \
  "ratio $(awk "BEGIN {printf \"%.2f\", $l/$p}") (target <= 1.5)"
echo "each run, ms: pgcontainer run ${launcher_ms[*]}; pg_ctl start ${pgctl_ms[*]}" \
  "($fast of the $runs runs were fast restarts: the start script started postgres before the JVM)"
echo "of which the JVM's bare start and exit (pgcontainer version): $(printf '%s\n' "${version_ms[@]}" | median) ms"
a=$(printf '%s\n' "${anon_kb[@]}" | median)
echo "launcher JVM resident memory while supervising: $(( r / 1024 )) MB (target < 50 MB), of which $(( a / 1024 )) MB" \
  "private; the rest are file pages shared with every other JVM start (libjvm, class-data archives)"
echo "load average: $load_before before the runs, $(cut -d' ' -f1-3 /proc/loadavg) after (2 cores shared with other work)"
