# Sourced by the bench scripts: the repository, the launcher's app folder (the build's unless APP names another, such as
# the image's; ensure_app builds it when missing), the newest PostgreSQL bin directory unless PG_BINDIR names one, and
# the timing helpers they share.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
app=${APP:-$repo/launcher-cli/target/app}
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}

ensure_app() { [ -f "$app/pgcontainer.jar" ] || (cd "$repo" && mvn -B -q -DskipTests package -pl launcher-cli -am); }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The layers of IMAGE that add bytes, newest first: size and the instruction that made it.
print_layers() {
  podman history --no-trunc --format '{{.Size}}\t{{.CreatedBy}}' "$1" | awk -F'\t' '$1 != "0 B" {
    sub(/^\|[0-9]+ .* \/bin\/sh -c /, "RUN ", $2); sub(/^\/bin\/sh -c #\(nop\) /, "", $2)
    sub(/^\/bin\/sh -c /, "RUN ", $2); gsub(/  +/, " ", $2)
    printf "  %9s  %s\n", $1, substr($2, 1, 100)}'
}
# Runs TestcontainersBench.java (its arguments: image, runs, and optionally an image to compare with) against podman's
# API socket; WORK is a scratch directory.
testcontainers_bench() {
  local work=$1; shift
  (cd "$repo" && mvn -B -q -o compile dependency:build-classpath -pl container -Dmdep.outputFile="$work/classpath" \
    -Dmdep.includeScope=test >"$work/mvn.log" 2>&1) || { cat "$work/mvn.log" >&2; return 1; }
  DOCKER_HOST=${DOCKER_HOST:-unix://${PODMAN_SOCKET:-/run/podman/podman.sock}} TESTCONTAINERS_RYUK_DISABLED=true \
    TESTCONTAINERS_HOST_OVERRIDE=localhost \
    java -cp "$(cat "$work/classpath"):$repo/container/target/classes" "$repo/bench/TestcontainersBench.java" \
    "$@" 2> >(grep -v '^SLF4J' >&2)
}
