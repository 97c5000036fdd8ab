#!/usr/bin/env bash
# Settings + render cost: in-process (cold first call, warm median/p99) and as a whole `pgcontainer render` process,
# side by side with `java -version` (the floor any JVM command pays), run in the same script.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_app
cp="$app/pgcontainer.jar:$(ls "$app"/lib/*.jar | tr '\n' ':')"
java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$cp" "$repo/bench/RenderBench.java"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
runs=${RUNS:-15}
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
jv=$(for _ in $(seq "$runs"); do time_ms java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -version; done | median)
pr=$(for _ in $(seq "$runs"); do
  time_ms env PGDATA="$out/d" PGCONFIG="$out/c" POSTGRES_PASSWORD=x "$app/bin/pgcontainer" render --out "$out/root"
done | median)
echo "process: java -version median ${jv} ms; pgcontainer render median ${pr} ms; ratio $(awk "BEGIN {printf \"%.2f\", $pr/$jv}")"
