#!/usr/bin/env bash
# Failover time of a three-member Patroni cluster run by pgcontainer launchers on one etcd, all on 127.0.0.1:
# SIGKILL to the leader's launcher, Patroni and postgres at once (a machine dying), then the time until a client that
# follows the leader (libpq, target_session_attrs=read-write, one attempt every 50 ms) commits its first row.
# Two profiles side by side in the same script: the issue's fast timings (ttl 10, loop_wait 2, retry_timeout 4) and
# Patroni's defaults (ttl 30, loop_wait 10, retry_timeout 10). RUNS kills per profile (default 3); the killed member is
# started again and rejoins before the next kill. Then, with the fast timings, SIGTERM to the leader's launcher (a
# graceful stop, which releases the leader key) and the time to the first write on another member. Each median is
# printed with its bound and the ratio to it: ttl + loop_wait after a kill, ttl after a graceful stop (an expired key
# would take the ttl at least). The tests (PatroniClusterIT, PatroniDefaultTimingsIT) print their one run but assert
# no time: on a loaded machine only a bench can say whether a time is the software's or the scheduler's.
# Runs as root, like the image (launchers drop to user postgres).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_app
runs=${RUNS:-3}
base=${PORT_BASE:-56400} # etcd base..base+1, member i: postgres base+10+i, REST API base+20+i
password=bench-super
work=$(mktemp -d /tmp/pgc-failover.XXXXXX)
chmod 755 "$work"

# every process whose working directory is under $1 (launcher: its node directory; Patroni; postgres: PGDATA)
pids_under() {
  local pid cwd
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null) || continue
    case "$cwd" in "$1"|"$1"/*) echo "$pid" ;; esac
  done
}
kill_under() { local p; p=$(pids_under "$1"); [ -z "$p" ] || kill -9 $p 2>/dev/null || true; }
cleanup() {
  for node in "$work"/node*; do [ -d "$node" ] && kill_under "$node"; done
  [ -f "$work/etcd.pid" ] && kill -9 "$(cat "$work/etcd.pid")" 2>/dev/null
  [ -e "$work/keep" ] || rm -rf "$work"
}
trap cleanup EXIT

status_code() { curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$1/$2" || true; }
rest_port() { echo $(( base + 20 + $1 )); }
pg_port() { echo $(( base + 10 + $1 )); }
writer_url="host=127.0.0.1,127.0.0.1,127.0.0.1 port=$(pg_port 1),$(pg_port 2),$(pg_port 3) user=postgres dbname=postgres"
writer_url="$writer_url target_session_attrs=read-write connect_timeout=1"
write_once() { PGPASSWORD=$password psql -X -q "$writer_url" -c "INSERT INTO failover_bench DEFAULT VALUES" \
  >/dev/null 2>&1; }
# one write; prints the port of the server that took it (nothing when none did)
write_port() { PGPASSWORD=$password psql -X -q -t -A "$writer_url" \
  -c "INSERT INTO failover_bench DEFAULT VALUES RETURNING inet_server_port()" 2>/dev/null || true; }

etcd --name bench --data-dir "$work/etcd" \
  --listen-client-urls "http://127.0.0.1:$base" --advertise-client-urls "http://127.0.0.1:$base" \
  --listen-peer-urls "http://127.0.0.1:$((base + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((base + 1))" \
  --initial-cluster "bench=http://127.0.0.1:$((base + 1))" >"$work/etcd.log" 2>&1 &
echo $! >"$work/etcd.pid"
disown # its SIGKILL at the end is the plan, not news
until curl -s -m 1 "http://127.0.0.1:$base/health" | grep -q true; do sleep 0.1; done

# start_member PROFILE I TTL LOOP_WAIT RETRY_TIMEOUT
start_member() {
  local node="$work/node$2"
  mkdir -p "$node" && chmod 755 "$node"
  (cd "$node" && env -i PATH="$PATH" LANG=C.UTF-8 ${JAVA_HOME:+JAVA_HOME=$JAVA_HOME} \
    PGDATA="$node/data" PGCONFIG="$node/config" PGLOG="$node/log" PGSOCKET="$node/socket" TIMEOUT=30 HEALTH_LISTEN= \
    POSTGRES_PASSWORD=$password POSTGRESQL_PORT="$(pg_port "$2")" POSTGRESQL_LISTEN_ADDRESSES=127.0.0.1 \
    PATRONI_ENABLE=true PATRONI_SCOPE="bench-$1" PATRONI_NAME="member$2" PATRONI_ETCD_HOSTS="127.0.0.1:$base" \
    PATRONI_RESTAPI_LISTEN="127.0.0.1:$(rest_port "$2")" PATRONI_CONNECT_ADDRESS=127.0.0.1 \
    PATRONI_REPLICATION_PASSWORD=bench-repl PATRONI_TTL="$3" PATRONI_LOOP_WAIT="$4" PATRONI_RETRY_TIMEOUT="$5" \
    "$app/bin/pgcontainer" run >>"$node/launcher.log" 2>&1 &)
}
leader() { local i; for i in 1 2 3; do [ "$(status_code "$(rest_port $i)" leader)" = 200 ] && echo $i; done; }
healthy() { # one leader, two running replicas
  local i leaders=0 replicas=0
  for i in 1 2 3; do
    [ "$(status_code "$(rest_port $i)" leader)" = 200 ] && leaders=$((leaders + 1))
    [ "$(status_code "$(rest_port $i)" replica)" = 200 ] && replicas=$((replicas + 1))
  done
  [ $leaders = 1 ] && [ $replicas = 2 ]
}
await_healthy() {
  local deadline=$(( $(now_ms) + 180000 ))
  until healthy; do
    if [ "$(now_ms)" -ge $deadline ]; then
      echo "cluster not healthy within 180 s; see $work" >&2
      # profile runs in a $(...) subshell: a trap change there cannot spare $work from the main shell's cleanup
      touch "$work/keep"
      exit 1
    fi
    sleep 0.2
  done
}

# the launcher of member $1: the JVM among the processes in its directory (Patroni is python, the rest postgres)
launcher_pid() {
  local pid
  for pid in $(pids_under "$work/node$1"); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ] && echo "$pid"
  done
}

# profile NAME TTL LOOP_WAIT RETRY_TIMEOUT [graceful]: prints one failover time in ms per line ("kill MS"), and with
# "graceful" then one handover time per run after SIGTERM to the leader's launcher ("term MS")
profile() {
  local i run killed doomed stopped port t0
  for i in 1 2 3; do start_member "$1" $i "$2" "$3" "$4"; done
  await_healthy
  PGPASSWORD=$password psql -X -q "$writer_url" -c "CREATE TABLE failover_bench (id bigserial PRIMARY KEY)" >/dev/null
  for run in $(seq "$runs"); do
    killed=$(leader)
    doomed=$(pids_under "$work/node$killed")
    t0=$(now_ms)
    kill -9 $doomed
    until write_once; do sleep 0.05; done
    echo "kill $(( $(now_ms) - t0 ))"
    start_member "$1" "$killed" "$2" "$3" "$4"
    await_healthy
  done
  if [ "${5:-}" = graceful ]; then
    for run in $(seq "$runs"); do
      stopped=$(leader)
      t0=$(now_ms)
      kill -TERM "$(launcher_pid "$stopped")"
      # the first write another member takes (the stopping leader may take a few more first)
      until port=$(write_port) && [ -n "$port" ] && [ "$port" != "$(pg_port "$stopped")" ]; do sleep 0.05; done
      echo "term $(( $(now_ms) - t0 ))"
      while [ -n "$(pids_under "$work/node$stopped")" ]; do sleep 0.1; done
      start_member "$1" "$stopped" "$2" "$3" "$4"
      await_healthy
    done
  fi
  for i in 1 2 3; do kill_under "$work/node$i"; done
  rm -rf "$work"/node*
}

times_of() { awk -v kind="$1" '$1 == kind {print $2}'; }
# verdict LABEL MEDIAN_MS BOUND_MS: the median against its bound
verdict() {
  awk -v label="$1" -v m="$2" -v b="$3" 'BEGIN {
    printf "%s: median %d ms, bound %d ms, median/bound %.2f (%s)\n", label, m, b, m / b, m <= b ? "within" : "OVER" }'
}

fast=$(profile fast 10 2 4 graceful)
echo "ttl 10 / loop_wait 2 / retry_timeout 4: kill -9 of the leader to first write, ms:" $(times_of kill <<<"$fast")
echo "ttl 10 / loop_wait 2 / retry_timeout 4: SIGTERM to the leader's launcher to first write elsewhere, ms:" \
  $(times_of term <<<"$fast")
default=$(profile default 30 10 10)
echo "ttl 30 / loop_wait 10 / retry_timeout 10 (defaults): kill -9 of the leader to first write, ms:" \
  $(times_of kill <<<"$default")
f=$(times_of kill <<<"$fast" | median)
g=$(times_of term <<<"$fast" | median)
d=$(times_of kill <<<"$default" | median)
echo "medians of $runs runs each:"
verdict "fast, kill -9 (bound ttl + loop_wait)" "$f" 12000
verdict "fast, SIGTERM (bound ttl: the key was released, not left to expire)" "$g" 10000
verdict "defaults, kill -9 (bound ttl + loop_wait)" "$d" 40000
echo "defaults/fast (kill -9): $(awk "BEGIN {printf \"%.2f\", $d/$f}")"
