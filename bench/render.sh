#!/usr/bin/env bash
# Settings + render cost: in-process (cold first call, warm median/p99) and as a whole `pgcontainer render` process,
# side by side with `java -version` (the floor any JVM command pays), run in the same script.
#
# The in-process numbers come from a JVM started as users start the launcher: bin/pgcontainer's own java command line
# (its options and the class-data sharing archive), captured by giving it a JAVA_HOME whose java only prints its
# arguments, with the launcher's main class swapped for RenderBench (compiled beforehand, so javac does not run in
# the measured JVM and warm it up).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ensure_app

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/jdk/bin" "$work/classes"
printf '#!/bin/sh\nprintf "%%s\\n" "$@"\n' >"$work/jdk/bin/java"
chmod +x "$work/jdk/bin/java"
launcher_options=()
while IFS= read -r word; do
  [ "$word" = -jar ] && break
  launcher_options+=("$word")
done < <(JAVA_HOME="$work/jdk" "$app/bin/pgcontainer" render)
javac -d "$work/classes" -cp "$app/pgcontainer.jar" "$repo/bench/RenderBench.java"
java "${launcher_options[@]}" -cp "$app/pgcontainer.jar:$work/classes" RenderBench
grep -q -- '-XX:SharedArchiveFile=' <<<"${launcher_options[*]}" \
  || echo "note: no class-data sharing archive next to the jar ($app/pgcontainer.jsa): numbers without it"

runs=${RUNS:-15}
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
jv=$(for _ in $(seq "$runs"); do time_ms java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -version; done | median)
pr=$(for _ in $(seq "$runs"); do
  time_ms env PGDATA="$work/d" PGCONFIG="$work/c" POSTGRES_PASSWORD=x "$app/bin/pgcontainer" render --out "$work/root"
done | median)
echo "process: java -version median ${jv} ms; pgcontainer render median ${pr} ms; ratio $(awk "BEGIN {printf \"%.2f\", $pr/$jv}")"
