#!/usr/bin/env bash
# The image as a drop-in for the official postgres image: first start to ready on a new volume WITH init scripts in
# /docker-entrypoint-initdb.d (a .sql, a .sql.gz and a .sh), against the same start without them (the baseline: the
# official image cannot be pulled here, so it is not measured); and Testcontainers' start() (TestcontainersBench.java:
# PostgreSQLContainer on the image, PgContainer with and without fsync=off, and the engine's own floor).
#
#   bench/dropin.sh                   RUNS (5) of each, interleaved
#
# Needs rootful podman, the image (container/ci/build-image.sh; IMAGE names another) and its API socket.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
image=${IMAGE:-localhost/pgcontainer:latest}
runs=${RUNS:-5}
work=$(mktemp -d /tmp/pgc-dropin-bench.XXXXXX)
containers=()
cleanup() {
  for c in "${containers[@]}"; do podman rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
podman image exists "$image" || { echo "no image $image: build it with container/ci/build-image.sh" >&2; exit 1; }

# What init scripts typically do: a schema with some rows, compressed seed data, a shell step that uses psql.
mkdir -p "$work/initdb"
cat >"$work/initdb/01-schema.sql" <<'SQL'
CREATE TABLE item (id int PRIMARY KEY, name text);
INSERT INTO item SELECT n, 'item ' || n FROM generate_series(1, 10000) n;
SQL
echo "CREATE TABLE seed AS SELECT n FROM generate_series(1, 10000) n;" | gzip >"$work/initdb/02-seed.sql.gz"
cat >"$work/initdb/03-role.sh" <<'SH'
#!/bin/bash
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -c "CREATE ROLE reader LOGIN"
SH
chmod -R a+rX "$work/initdb"

# podman run (new anonymous volume) to the launcher's /ready answering 200; prints milliseconds.
time_first_start() {
  local name=pgc-dropin-bench-$RANDOM$RANDOM t port
  containers+=("$name")
  t=$(now_ms)
  # podman's complaint about systemd timers for the HEALTHCHECK goes to stderr on every run: dropped
  podman run -d --name "$name" -e POSTGRES_PASSWORD=bench -p 127.0.0.1::8080 "$@" "$image" >/dev/null 2>&1
  port=$(podman port "$name" 8080 | cut -d: -f2)
  until curl -fs -o /dev/null "http://127.0.0.1:$port/ready"; do sleep 0.05; done
  echo $(( $(now_ms) - t ))
  podman rm -f -v -t 5 "$name" >/dev/null 2>&1
}

plain=(); scripts=()
for _ in $(seq "$runs"); do
  plain+=($(time_first_start))
  scripts+=($(time_first_start -v "$work/initdb:/docker-entrypoint-initdb.d:ro"))
done
p=$(printf '%s\n' "${plain[@]}" | median)
s=$(printf '%s\n' "${scripts[@]}" | median)
echo "== first start to ready, new volume (median of $runs, podman run to /ready 200)"
echo "  without init scripts (baseline):     $p ms (runs ${plain[*]})"
echo "  with 3 init scripts (.sql .sql.gz .sh): $s ms (runs ${scripts[*]}), ratio $(awk "BEGIN {printf \"%.2f\", $s/$p}")"

echo "== Testcontainers start() (median of $runs, each on a new container)"
testcontainers_bench "$work" "$image" "$runs"
