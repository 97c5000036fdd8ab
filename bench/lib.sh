# Sourced by the bench scripts: the repository, the launcher's app folder (ensure_app builds it when missing), the
# newest PostgreSQL bin directory unless PG_BINDIR names one, and the timing helpers they share.
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
app="$repo/launcher-cli/target/app"
bindir=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)}

ensure_app() { [ -f "$app/pgcontainer.jar" ] || (cd "$repo" && mvn -B -q -DskipTests package -pl launcher-cli -am); }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
