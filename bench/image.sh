#!/usr/bin/env bash
# The image: its size (and the size of each layer), cold start to ready (`podman run` to the launcher's /ready
# answering 200, with initdb on a new volume, and again on the initialised volume), `podman stop` time, and the
# image build: full (no cache) against incremental (one launcher source file touched, `mvn package` timed apart).
#
#   bench/image.sh                    everything (the full build downloads every package again: minutes)
#   BUILDS=0 bench/image.sh           size, start and stop only
#
# Needs rootful podman and the image (container/ci/build-image.sh). Builds run from a private copy of the app folder,
# so that Maven builds running meanwhile cannot change what is measured.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
image=${IMAGE:-localhost/pgcontainer:latest}
runs=${RUNS:-5}
builds=${BUILDS:-1}
build_args=(--build-arg DEBIAN_RELEASE="${DEBIAN_RELEASE:-bookworm}" --build-arg PG_MAJOR="${PG_MAJOR:-15}"
  --build-arg JAVA_MAJOR="${JAVA_MAJOR:-17}")
bench_tag=localhost/pgcontainer-bench:latest
work=$(mktemp -d /tmp/pgc-image-bench.XXXXXX)
containers=()
cleanup() {
  for c in "${containers[@]}"; do podman rm -f -v -t 0 "$c" >/dev/null 2>&1 || true; done
  podman volume rm -f pgc-image-bench >/dev/null 2>&1 || true
  podman rmi "$bench_tag" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

podman image exists "$image" || { echo "no image $image: build it with container/ci/build-image.sh" >&2; exit 1; }
mb() { awk "BEGIN {printf \"%.0f MB\", $1/1000000}"; }

echo "== size of $image: $(mb "$(podman image inspect --format '{{.Size}}' "$image")")"
print_layers "$image"

# Starts a container with the health port on a free host port; prints its name.
start_container() {
  local name=pgc-image-bench-$RANDOM$RANDOM
  containers+=("$name")
  podman run -d --name "$name" -e POSTGRES_PASSWORD=bench -p 127.0.0.1::8080 "$@" "$image" >/dev/null 2>&1
  echo "$name"
}
await_ready() {
  local port
  port=$(podman port "$1" 8080 | cut -d: -f2)
  until curl -fs -o /dev/null "http://127.0.0.1:$port/ready"; do sleep 0.05; done
}

first_ms=(); restart_ms=(); stop_ms=()
for _ in $(seq "$runs"); do
  t=$(now_ms); c=$(start_container); await_ready "$c"; first_ms+=($(( $(now_ms) - t )))
  t=$(now_ms); podman stop "$c" >/dev/null 2>&1; stop_ms+=($(( $(now_ms) - t )))
  podman rm -v "$c" >/dev/null 2>&1

  # a cluster made and cleanly stopped, then the timed start on it
  podman volume create pgc-image-bench >/dev/null
  c=$(start_container -v pgc-image-bench:/usr/local/pgsql/data); await_ready "$c"; podman stop "$c" >/dev/null 2>&1
  podman rm "$c" >/dev/null 2>&1
  t=$(now_ms); c=$(start_container -v pgc-image-bench:/usr/local/pgsql/data); await_ready "$c"
  restart_ms+=($(( $(now_ms) - t )))
  podman stop "$c" >/dev/null 2>&1; podman rm "$c" >/dev/null 2>&1; podman volume rm pgc-image-bench >/dev/null
done
echo "== start and stop (median of $runs)"
echo "  cold start to ready, new volume (initdb): $(printf '%s\n' "${first_ms[@]}" | median) ms"
echo "  start to ready on an initialised volume:  $(printf '%s\n' "${restart_ms[@]}" | median) ms"
echo "  podman stop of a ready container:         $(printf '%s\n' "${stop_ms[@]}" | median) ms (grace 10000 ms)"

[ "$builds" = 1 ] || exit 0

# The build context as container/ci/build-image.sh has it, from a copy of the app folder.
stage_context() {
  rm -rf "$work/context"
  mkdir -p "$work/context/launcher-cli/target" "$work/context/container"
  cp -a "$app" "$work/context/launcher-cli/target/"
  cp "$repo/container/Dockerfile" "$work/context/container/"
  cp "$repo/.dockerignore" "$work/context/"
}
# Builds; prints seconds, cached steps and the steps that ran.
timed_build() {
  local t log=$work/build.log
  t=$(now_ms)
  podman build --format docker --layers "$@" -t "$bench_tag" -f "$work/context/container/Dockerfile" \
    "${build_args[@]}" "$work/context" >"$log" 2>&1 || { tail -20 "$log"; exit 1; }
  echo "$(( ($(now_ms) - t) / 1000 )) s, $(grep -c '^--> Using cache' "$log") of $(grep -c 'STEP [0-9]' "$log") steps cached"
  awk '/STEP [0-9]+\/[0-9]+: / {step = $0; cached = 0} /^--> Using cache/ {cached = 1}
       /^--> [0-9a-f]+$/ {if (!cached && step ~ /: (RUN|COPY)/) print "    ran: " substr(step, 1, 90); step = ""}' "$log"
}

stage_context
echo "== image build"
echo "  full, no cache: $(timed_build --no-cache)"
echo "  again, nothing changed: $(timed_build)"
touch "$repo/launcher-cli/src/main/java/dev/pgcontainer/launchercli/Main.java"
t=$(now_ms)
(cd "$repo" && mvn -B -q -o -DskipTests package -pl launcher-cli -am)
echo "  (host: mvn package after touching Main.java: $(( ($(now_ms) - t) / 1000 )) s)"
stage_context
echo "  incremental, Main.java touched: $(timed_build)"
