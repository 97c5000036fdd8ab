#!/usr/bin/env bash
# Partitions of a three-member Patroni cluster (synchronous mode, ttl 10 / loop_wait 2 / retry_timeout 4): etcd and
# each member on a test host of its own (network namespaces, veths and bridges the test makes and removes; see
# TestNetwork), a client writing to every member throughout. Runs PatroniPartitionScenarios through the reactor
# (no install) and prints its [partition] lines, one per scenario: time without a writable primary, time to the first
# write on a new leader, rows acknowledged / present on the primary at the end, the overlap of two writable primaries
# (must be 0) and the members that took writes in turn. The baseline in the same run is the kill -9 figure the
# cluster gives with these timings (bench/failover.sh, about ttl); a partitioned leader should cost about the same.
# Needs root (ip netns), iproute2 and nftables; SCENARIOS narrows it (e.g. SCENARIOS='PatroniPartitionScenarios#leaderCutOff').
set -euo pipefail
. "$(dirname "$0")/lib.sh"
scenarios=${SCENARIOS:-PatroniPartitionScenarios}
log=$(mktemp /tmp/pgc-partition.XXXXXX.log)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
status=0
(cd "$repo" && mvn -B -pl launcher-cli -am verify -Dit.test="$scenarios" -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false) >"$log" 2>&1 || status=$?
grep -h '^\[partition\]' "$log" || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $status -ne 0 ]; then
  grep -E 'Tests run:|FAIL|expected|Expecting' "$log" | head -20 >&2
  echo "failed (exit $status); the whole log: $log" >&2
  exit $status
fi
rm -f "$log"
