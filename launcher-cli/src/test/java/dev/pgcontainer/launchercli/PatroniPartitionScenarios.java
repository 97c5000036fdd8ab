package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The partition scenarios too long for every build (several minutes on a loaded machine), run by
 * bench/partition.sh ({@code -Dit.test=PatroniPartitionScenarios}; the name keeps failsafe from
 * picking it otherwise). One cluster on its own {@link TestNetwork} serves all, each starting from
 * a healthy cluster; the first, a kill -9 of the leader, is the baseline the bench compares with.
 * Each asserts that every acknowledged row is on the primary at the end and that no two members
 * accepted writes at once, and that the members' health tells what they are; the times go to {@code
 * [partition]} lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniPartitionScenarios extends OnPartitionedCluster {

  private static final Duration LONGER_THAN_TTL = Duration.ofSeconds(3L * PartitionedCluster.TTL);

  @Test
  @Order(0)
  void baselineLeaderKilled() throws SQLException {
    assertThat(cluster.leaderKilled().writableInTurn()).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  @Order(1)
  void leaderCutOff() throws SQLException {
    assertThat(cluster.leaderCutOff(LONGER_THAN_TTL).writableInTurn())
        .hasSize(2)
        .doesNotHaveDuplicates();
  }

  @Test
  @Order(2)
  void etcdUnreachableWithoutFailsafeMode() throws SQLException {
    assertThat(cluster.etcdUnreachable(LONGER_THAN_TTL, false).overlap()).isEqualTo(Duration.ZERO);
  }

  @Test
  @Order(3)
  void etcdUnreachableWithFailsafeMode() throws SQLException {
    assertThat(cluster.etcdUnreachable(LONGER_THAN_TTL, true).overlap()).isEqualTo(Duration.ZERO);
  }

  @Test
  @Order(4)
  void synchronousStandbyCutOff() throws SQLException {
    assertThat(cluster.replicaCutOff(LONGER_THAN_TTL).writableInTurn())
        .as("the leader kept taking writes")
        .hasSize(1);
  }

  @Test
  @Order(5)
  void lossOnTheLeadersLink() throws SQLException {
    assertThat(
            cluster.leaderLossy(30, Duration.ofSeconds(6L * PartitionedCluster.TTL)).acknowledged())
        .isPositive();
  }
}
