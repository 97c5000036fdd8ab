#!/usr/bin/env bash
# Partitions of a three-member Patroni cluster (synchronous mode, ttl 10 / loop_wait 2 / retry_timeout 4): etcd and
# each member on a test host of its own (network namespaces, veths and bridges the test makes and removes; see
# TestNetwork), a client trying to commit on every member every 100 ms throughout. Runs PatroniPartitionScenarios
# through the reactor (no install) and prints its [partition] lines, one per scenario: time without a writable
# primary, time to the first write on a new leader, rows acknowledged / present on the primary at the end, the overlap
# of two writable primaries (must be 0) and the members that took writes in turn; then each scenario's time without a
# writable primary as a ratio to the baseline run first in the same cluster, a kill -9 of the leader.
# Needs root (ip netns), iproute2 and nftables; one run at a time (fixed names and subnet 10.213.77-78.0/24).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
log=$(mktemp /tmp/pgc-partition.XXXXXX)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
status=0
(cd "$repo" && mvn -B -pl launcher-cli -am verify -Dit.test=PatroniPartitionScenarios -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false) >"$log" 2>&1 || status=$?
report="$repo/launcher-cli/target/failsafe-reports/dev.pgcontainer.launchercli.PatroniPartitionScenarios-output.txt"
lines=$(grep -h '^\[partition\]' "$report" 2>/dev/null || true)
echo "$lines"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$lines" | awk -F': ' '/without a writable primary/ {
  match($0, /without a writable primary [0-9]+ ms/); ms = substr($0, RSTART + 27, RLENGTH - 30) + 0
  name = substr($1, 13)
  if (base == "") { base = ms; print name ": " ms " ms without a writable primary" }
  else printf "%s: %d ms without a writable primary, %.2fx the baseline\n", name, ms, (base > 0 ? ms / base : 0)
}'
if [ $status -ne 0 ]; then
  grep -E 'Tests run:|FAIL|expected|Expecting|not within' "$log" | head -20 >&2
  echo "failed (exit $status); the whole log: $log" >&2
  exit $status
fi
rm -f "$log"
