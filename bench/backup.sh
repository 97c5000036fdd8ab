#!/usr/bin/env bash
# Full-backup time of a `pgbench -i -s 20` database through `pgcontainer backup full` against a bare
# `pgbackrest backup --type=full` with the same pgbackrest.conf, side by side in the same script: after one unmeasured
# backup (it pays for flushing what pgbench wrote), pairs alternate which goes first, so both see the same machine
# load; prints every time, the medians and their ratio (target: within 5%, ratio <= 1.05).
# The difference is the launcher's own work. A launcher runs the server here, as in the image, so `pgcontainer backup`
# asks it through its socket and the launcher runs pgbackrest, piping its output (the command's client is a Perl
# one-off; without a launcher the command would start a JVM of its own, about 300 ms more). Runs as root, like the
# image: the server and pgBackRest run as user postgres in both cases.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_app
runs=${RUNS:-5}
scale=${SCALE:-20}
port=${PORT:-55498}
work=$(mktemp -d /tmp/pgc-bench-backup.XXXXXX)
chmod 755 "$work"
export PGDATA="$work/data" PGCONFIG="$work/config" PGLOG="$work/log" PGSOCKET="$work/run" POSTGRESQL_PORT=$port \
  POSTGRES_PASSWORD=bench TIMEOUT=30 HEALTH_LISTEN= BACKUP_ENABLED=true BACKUP_REPO_PATH="$work/repo" \
  BACKUP_STANZA=bench BACKUP_RETENTION_FULL=2
launcher_pid=
cleanup() {
  if [ -n "$launcher_pid" ]; then kill -TERM "$launcher_pid" 2>/dev/null || true; wait "$launcher_pid" || true; fi
  if [ -f "$PGDATA/postmaster.pid" ]; then kill -9 "$(head -1 "$PGDATA/postmaster.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

"$app/bin/pgcontainer" run >"$work/launcher.log" 2>&1 & launcher_pid=$!
until grep -q "stanza bench is ready" "$work/launcher.log"; do
  kill -0 "$launcher_pid" 2>/dev/null || { cat "$work/launcher.log"; exit 1; }
  sleep 0.2
done
as_postgres "$bindir/pgbench" -q -i -s "$scale" -h "$PGSOCKET" -p "$port" -U postgres postgres >/dev/null 2>&1
size=$(as_postgres "$bindir/psql" -Atq -h "$PGSOCKET" -p "$port" -U postgres postgres \
  -c "SELECT pg_size_pretty(sum(pg_database_size(oid))) FROM pg_database")
echo "cluster: pgbench scale $scale, $size; $runs full backups each way, alternating"

launcher_backup() {
  "$app/bin/pgcontainer" backup full >"$work/backup.out" 2>"$work/backup.err" || { cat "$work/backup.err"; exit 1; }
}
bare_backup() { as_postgres pgbackrest --config="$PGCONFIG/pgbackrest.conf" --stanza=bench backup --type=full; }
bare_backup
launcher_ms=(); bare_ms=(); own_ms=()
for i in $(seq "$runs"); do
  for which in $( ((i % 2)) && echo "launcher bare" || echo "bare launcher"); do
    t=$(now_ms); "${which}_backup"; elapsed=$(( $(now_ms) - t ))
    if [ "$which" = launcher ]; then
      launcher_ms+=("$elapsed")
      # the launcher's own share of this run: its wall time minus the pgbackrest time it reports ("done in 8.4 s")
      inner=$(sed -n 's/.* done in \([0-9.]*\) s.*/\1/p' "$work/backup.out" | awk '{printf "%d", $1 * 1000}')
      own_ms+=($(( elapsed - inner )))
    else
      bare_ms+=("$elapsed")
    fi
  done
done

l=$(printf '%s\n' "${launcher_ms[@]}" | median)
b=$(printf '%s\n' "${bare_ms[@]}" | median)
# each pair ran back to back, under about the same load: its difference is the launcher's cost in that moment
d=$(for i in $(seq 0 $((runs - 1))); do echo $(( launcher_ms[i] - bare_ms[i] )); done | median)
echo "pgcontainer backup full: ${launcher_ms[*]} ms (median $l)"
echo "pgbackrest backup:       ${bare_ms[*]} ms (median $b)"
echo "load average during the runs: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; other work on the machine skews both)"
echo "full backup median: pgcontainer backup ${l} ms, bare pgbackrest ${b} ms, ratio" \
  "$(awk "BEGIN {printf \"%.3f\", $l/$b}") (target <= 1.05)"
echo "median difference within a pair: $d ms ($(awk "BEGIN {printf \"%.1f\", 100*$d/$b}")% of the bare median)"
o=$(printf '%s\n' "${own_ms[@]}" | median)
echo "the launcher's own time per backup (wall minus the pgbackrest time it reports): ${own_ms[*]} ms, median $o ms" \
  "($(awk "BEGIN {printf \"%.1f\", 100*$o/$b}")% of the bare median)"
