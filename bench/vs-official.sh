#!/usr/bin/env bash
# The image side by side with the official postgres image's entrypoint. The official image cannot be pulled here, so
# the script builds its stand-in from the official image's Dockerfile steps, on the same base image as ours and with
# the same Debian PostgreSQL package (the official image has the PGDG build of the same major): the official
# docker-entrypoint.sh, gosu (Debian's package, the official image downloads the release binary), the en_US.UTF-8
# locale, PGDATA=/var/lib/postgresql/data, STOPSIGNAL SIGINT. In one run, interleaved, medians of RUNS:
# `podman run -d` to the first `select 1` over a mapped port on a new volume, `podman start` of the stopped container
# to the first `select 1` (against `pg_ctl -w start` on the same data in a container of the official stand-in),
# `podman stop -t 30` after IDLE seconds idle, the container's memory cgroup then (usage and anonymous memory), the
# launcher's RSS, image sizes with ours per layer, and Testcontainers' PostgreSQLContainer start() on both.
#
#   bench/vs-official.sh CHECKOUT     a checkout of docker-library/postgres (or its MAJOR/RELEASE directory, or the
#                                     docker-entrypoint.sh itself); nothing of it is kept
#
# RUNS (5), IDLE (15 s), IMAGE (localhost/pgcontainer:latest). Needs rootful podman, psql on the host, the image
# (container/ci/build-image.sh), its API socket for Testcontainers, and Debian's mirror for the stand-in's build.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
image=${IMAGE:-localhost/pgcontainer:latest}
runs=${RUNS:-5}
idle=${IDLE:-15}
[ $# -eq 1 ] || { echo "usage: $0 DOCKER_LIBRARY_POSTGRES_CHECKOUT (or its docker-entrypoint.sh)" >&2; exit 2; }
podman image exists "$image" || { echo "no image $image: build it with container/ci/build-image.sh" >&2; exit 1; }
major=$(podman image inspect --format '{{index .Labels "dev.pgcontainer.postgresql.major"}}' "$image")
base=$(podman image inspect --format '{{index .Labels "org.opencontainers.image.base.name"}}' "$image")
release=${base#debian:}; release=${release%-slim}
for entrypoint in "$1" "$1/docker-entrypoint.sh" "$1/$major/$release/docker-entrypoint.sh"; do
  [ -f "$entrypoint" ] && break
done
[ -f "$entrypoint" ] || { echo "no docker-entrypoint.sh in $1 (nor in $1/$major/$release)" >&2; exit 1; }
official=localhost/pgcontainer-vs-official:$$
work=$(mktemp -d /tmp/pgc-vs-official.XXXXXX)
containers=()
cleanup() {
  for c in "${containers[@]}"; do podman rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
  for c in "${containers[@]}"; do podman volume rm -f "$c" >/dev/null 2>&1 || true; done
  podman rmi "$official" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"

# --- the official entrypoint's image
pg_version=$(podman run --rm --entrypoint dpkg-query "$image" -W -f '${Version}' "postgresql-$major" 2>/dev/null)
cp "$entrypoint" "$work/"
ensure_initdb=$(dirname "$entrypoint")/docker-ensure-initdb.sh
if [ -f "$ensure_initdb" ]; then cp "$ensure_initdb" "$work/"; else touch "$work/docker-ensure-initdb.sh"; fi
chmod 755 "$work"/*.sh
cat >"$work/Dockerfile" <<EOF
FROM $base
RUN groupadd -r postgres --gid=999 \\
 && useradd -r -g postgres --uid=999 --home-dir=/var/lib/postgresql --shell=/bin/bash postgres \\
 && install --directory --owner postgres --group postgres --mode 1777 /var/lib/postgresql
RUN sed -i '/\/usr\/share\/locale/d' /etc/dpkg/dpkg.cfg.d/* \\
 && apt-get update \\
 && apt-get install -y --no-install-recommends gnupg less gosu locales libnss-wrapper xz-utils zstd \\
 && echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen && locale-gen \\
 && apt-get install -y --no-install-recommends postgresql-common \\
 && sed -ri 's/#(create_main_cluster) .*\$/\1 = false/' /etc/postgresql-common/createcluster.conf \\
 && apt-get install -y --no-install-recommends postgresql-$major=$pg_version \\
 && rm -rf /var/lib/apt/lists/*
ENV LANG=en_US.utf8 PG_MAJOR=$major PATH=\$PATH:/usr/lib/postgresql/$major/bin PGDATA=/var/lib/postgresql/data
RUN mkdir /docker-entrypoint-initdb.d \\
 && dpkg-divert --add --rename --divert /usr/share/postgresql/postgresql.conf.sample.dpkg \\
      /usr/share/postgresql/$major/postgresql.conf.sample \\
 && cp /usr/share/postgresql/postgresql.conf.sample.dpkg /usr/share/postgresql/postgresql.conf.sample \\
 && ln -s ../postgresql.conf.sample /usr/share/postgresql/$major/ \\
 && sed -ri "s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!" /usr/share/postgresql/postgresql.conf.sample \\
 && install --directory --owner postgres --group postgres --mode 3777 /var/run/postgresql \\
 && install --directory --owner postgres --group postgres --mode 1777 /var/lib/postgresql/data
VOLUME /var/lib/postgresql/data
COPY docker-entrypoint.sh docker-ensure-initdb.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
EOF
echo "building the official entrypoint's image ($base, postgresql-$major $pg_version)..."
podman build -q -t "$official" "$work" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }

# --- one round on IMAGE with container and volume NAME: the times in ms, memory in kB, each as key=value
round() {
  local img=$1 name=$2 port t pid cg
  podman volume create "$name" >/dev/null
  first_query() {
    until PGPASSWORD=bench PGCONNECT_TIMEOUT=2 psql -h 127.0.0.1 -p "$port" -U postgres -Atqc 'select 1' \
      >/dev/null 2>&1; do sleep 0.02; done
  }
  t=$(now_ms)
  # podman's complaint about systemd timers for our HEALTHCHECK goes to stderr on every run: dropped
  podman run -d --name "$name" -e POSTGRES_PASSWORD=bench -p 127.0.0.1::5432 \
    -v "$name:/var/lib/postgresql/data" "$img" >/dev/null 2>&1
  port=$(podman port "$name" 5432 | cut -d: -f2)
  first_query
  echo "fresh=$(( $(now_ms) - t ))"
  podman stop -t 30 "$name" >/dev/null 2>&1
  t=$(now_ms)
  podman start "$name" >/dev/null 2>&1
  port=$(podman port "$name" 5432 | cut -d: -f2)
  first_query
  echo "restart=$(( $(now_ms) - t ))"
  sleep "$idle"
  pid=$(podman inspect --format '{{.State.Pid}}' "$name")
  cg=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" {print $3}' "/proc/$pid/cgroup")
  if [ -f "$cg/memory.usage_in_bytes" ]; then
    echo "mem=$(( $(cat "$cg/memory.usage_in_bytes") / 1024 ))"
    echo "anon=$(( $(awk '$1 == "total_rss" {print $2}' "$cg/memory.stat") / 1024 ))"
  else # cgroup v2
    cg=/sys/fs/cgroup$(awk -F: '$1 == "0" {print $3}' "/proc/$pid/cgroup")
    echo "mem=$(( $(cat "$cg/memory.current") / 1024 ))"
    echo "anon=$(( $(awk '$1 == "anon" {print $2}' "$cg/memory.stat") / 1024 ))"
  fi
  for p in $(pgrep -P "$pid,$(pgrep -d, -P "$pid")"); do # tini's children and grandchildren
    [ "$(cat "/proc/$p/comm")" != java ] || awk '$1 == "VmRSS:" {print "launcher=" $2}' "/proc/$p/status"
  done
  t=$(now_ms)
  podman stop -t 30 "$name" >/dev/null 2>&1
  echo "stop=$(( $(now_ms) - t ))"
  # pg_ctl start on the official stand-in's data (ours keeps its configuration outside PGDATA), in a container of its
  # image without the entrypoint: what a restart costs PostgreSQL itself
  [ "$img" != "$official" ] || echo "pgctl=$(podman run --rm --user postgres --entrypoint bash \
    -v "$name:/var/lib/postgresql/data" "$official" -c '
    t=$(date +%s%N); pg_ctl -s -w -l /tmp/log start >/dev/null; echo $(( ($(date +%s%N) - t) / 1000000 ))
    pg_ctl -s -m fast -w stop >/dev/null' 2>/dev/null)"
  podman rm -f -v -t 0 "$name" >/dev/null 2>&1
  podman volume rm -f "$name" >/dev/null 2>&1
}

declare -A ours theirs
for r in $(seq "$runs"); do
  for side in ours theirs; do
    img=$image; [ $side = theirs ] && img=$official
    name=pgc-vs-official-$RANDOM$RANDOM
    containers+=("$name")
    while IFS== read -r k v; do
      [ $side = ours ] && ours[$k]+="$v " || theirs[$k]+="$v "
    done < <(round "$img" "$name")
  done
  echo "  round $r of $runs done"
done
med() { printf '%s\n' $1 | median; }
ratio() { awk "BEGIN {printf \"%.2f\", $1/$2}"; }
# The median of the per-round ratios of two lists: steadier than the ratio of medians when the load changes.
pair_ratio() { paste -d' ' <(printf '%s\n' $1) <(printf '%s\n' $2) | awk '{printf "%.2f\n", $1/$2}' | median; }
row() { # label key unit divisor decimals
  local o t
  o=$(med "${ours[$2]}"); t=$(med "${theirs[$2]}")
  printf '  %-42s %8s %8s %6s %6s   ours %s / official %s\n' "$1" \
    "$(awk "BEGIN {printf \"%.${5:-0}f\", $o/$4}")$3" "$(awk "BEGIN {printf \"%.${5:-0}f\", $t/$4}")$3" \
    "$(ratio "$o" "$t")" "$(pair_ratio "${ours[$2]}" "${theirs[$2]}")" "${ours[$2]% }" "${theirs[$2]% }"
}
echo "== $image against the official docker-entrypoint.sh ($official), medians of $runs, interleaved"
printf '  %-42s %8s %8s %6s %6s\n' "" ours official ratio "ratio per round (median)"
row "podman run to first select 1, new volume" fresh ' s' 1000 2
row "podman start to first select 1, existing" restart ' s' 1000 2
row "podman stop -t 30 after ${idle} s idle" stop ' s' 1000 2
row "idle memory: cgroup usage" mem ' MB' 1024
row "idle memory: cgroup anonymous" anon ' MB' 1024
launcher=$(med "${ours[launcher]}")
echo "  launcher (java) RSS, idle: $((launcher / 1024)) MB (runs ${ours[launcher]% } kB)"
pgctl=$(med "${theirs[pgctl]}")
echo "  pg_ctl -w start on the official's stopped data, in a container: $pgctl ms (runs ${theirs[pgctl]% })"
echo "  restart / pg_ctl start: ours $(ratio "$(med "${ours[restart]}")" "$pgctl"),"\
  "official $(ratio "$(med "${theirs[restart]}")" "$pgctl")"
so=$(podman image inspect --format '{{.Size}}' "$image"); st=$(podman image inspect --format '{{.Size}}' "$official")
echo "  image size: ours $((so / 1000000)) MB, official entrypoint's $((st / 1000000)) MB:"\
  "+$(( (so - st) / 1000000 )) MB, ratio $(ratio "$so" "$st")"
echo "== layers of $image"
print_layers "$image"
echo "== layers of the official entrypoint's image"
print_layers "$official"
echo "== Testcontainers start() (median of $runs, each on a new container)"
testcontainers_bench "$work" "$image" "$runs" "$official"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
