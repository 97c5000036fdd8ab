package dev.pgcontainer.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real three-member Patroni cluster on a local etcd: replication, a killed leader, the new
 * leader.
 */
class PgClusterIT {

  @RegisterExtension
  static final PatroniClusterExtension HA =
      PatroniClusterExtension.of(PgCluster.patroni(3).setting("work_mem", "8MB"));

  /** Generous: replay and failover on a loaded two-core machine. */
  private static final Duration DEADLINE = Duration.ofMinutes(2);

  private static boolean inRecovery(PgServer server) throws SQLException {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT pg_is_in_recovery()")) {
      rows.next();
      return rows.getBoolean(1);
    }
  }

  private static boolean hasRow(PgServer server) {
    try (Connection c = server.connect();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM written")) {
      rows.next();
      return rows.getLong(1) == 1;
    } catch (SQLException notReplayedYet) {
      return false;
    }
  }

  private static void awaitRow(PgServer server) throws InterruptedException {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!hasRow(server)) {
      assertThat(System.nanoTime()).as("the row replayed on " + server.port()).isLessThan(end);
      Thread.sleep(100);
    }
  }

  @Test
  void replicasFollowTheLeaderAndANewLeaderTakesOverWhenItIsKilled(PgCluster cluster)
      throws Exception {
    PgCluster.Member leader = cluster.leader();
    assertThat(leader).isSameAs(cluster.members().get(0));
    assertThat(cluster.replicas()).hasSize(2).doesNotContain(leader);
    assertThat(inRecovery(leader.server())).isFalse();
    try (Connection c = cluster.replicas().get(0).server().connect();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SHOW work_mem")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualTo("8MB");
    }
    try (Connection c = leader.server().connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE written (n int); INSERT INTO written VALUES (1)");
    }
    for (PgCluster.Member replica : cluster.replicas()) {
      assertThat(inRecovery(replica.server())).isTrue();
      awaitRow(replica.server());
    }

    leader.kill();
    assertThat(leader.isRunning()).isFalse();
    PgCluster.Member next = cluster.awaitLeader(DEADLINE);
    assertThat(next).isNotSameAs(leader);
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (inRecovery(next.server())) {
      assertThat(System.nanoTime()).as("the new leader promoted").isLessThan(end);
      Thread.sleep(100);
    }
    assertThat(hasRow(next.server())).isTrue();

    PgCluster.Member replica = cluster.replicas().get(0);
    replica.stop();
    assertThat(replica.isRunning()).isFalse();
    assertThat(cluster.replicas()).isEmpty();
    assertThat(cluster.leader()).isSameAs(next);
  }
}
