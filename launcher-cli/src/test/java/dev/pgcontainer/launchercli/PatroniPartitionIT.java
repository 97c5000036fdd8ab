package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue "Partitions, not just kills", its first scenario in every build: etcd and three members on
 * hosts of their own ({@link TestNetwork}), the leader's host cut off from etcd and the replicas
 * while clients still reach it. It must stop acknowledging writes, a replica takes over without an
 * acknowledged row lost and without two members accepting writes at once, the old leader's health
 * stops calling it a writable primary, and after healing it rejoins as a replica. The other
 * scenarios are {@link PatroniPartitionScenarios} (bench/partition.sh).
 */
class PatroniPartitionIT extends OnPartitionedCluster {

  @Test
  void theLeaderCutOffStopsTakingWritesAReplicaTakesOverAndTheOldLeaderRejoinsAsAReplica()
      throws SQLException {
    PartitionedCluster.Outcome outcome =
        cluster.leaderCutOff(Duration.ofSeconds(3L * PartitionedCluster.TTL));

    assertThat(outcome.firstWriteOnNewLeader())
        .as("a write acknowledged by another member")
        .isPresent();
    assertThat(outcome.writableInTurn())
        .as("members that took writes, in turn")
        .hasSize(2)
        .doesNotHaveDuplicates();
    assertThat(outcome.overlap()).isEqualTo(Duration.ZERO);
  }
}
