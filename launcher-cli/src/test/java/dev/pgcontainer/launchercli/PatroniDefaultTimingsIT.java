package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue "Patroni high availability on etcd": the failover after SIGKILL to the leader's whole
 * process tree with Patroni's default timings (ttl 30, loop_wait 10, retry_timeout 10: no
 * PATRONI_TTL, PATRONI_LOOP_WAIT or PATRONI_RETRY_TIMEOUT), in synchronous mode so that every
 * acknowledged row must survive. {@link PatroniClusterIT} does the same with the short
 * timings. The time is printed, not asserted: {@code bench/failover.sh} takes the median of several
 * runs of both and checks it against ttl + loop_wait.
 */
class PatroniDefaultTimingsIT {

  /** Patroni's defaults, which the launcher's defaults are. */
  private static final int TTL = 30;

  private static final int LOOP_WAIT = 10;

  /**
   * Not a requirement: keeps a broken cluster from hanging the build; far above ttl + loop_wait, as
   * a loaded 2-core machine also has to start, clone and promote servers.
   */
  private static final Duration CLUSTER_GUARD = Duration.ofSeconds(240);

  private PatroniCluster cluster;

  @AfterEach
  void killEverythingAndStopEtcd() {
    Cleanup.closeAll(cluster);
  }

  @Test
  void killingTheLeadersWholeProcessTreeFailsOverWithDefaultTimingsWithoutLosingAnAcknowledgedRow()
      throws SQLException {
    cluster =
        PatroniCluster.create(
            Map.of(
                "PATRONI_SYNCHRONOUS_MODE",
                "true",
                "PATRONI_NAMESPACE",
                "/pgcontainer-defaults-it/"));
    cluster.members().forEach(PatroniMember::start);
    try {
      PatroniMember leader = cluster.awaitHealthy(CLUSTER_GUARD);
      assertThat(leader.clusterConfig().path("ttl").asInt())
          .as("ttl in GET /config")
          .isEqualTo(TTL);
      assertThat(leader.clusterConfig().path("loop_wait").asInt())
          .as("loop_wait in GET /config")
          .isEqualTo(LOOP_WAIT);

      PatroniCluster.Failover failover =
          cluster.killLeaderWhileWriting(leader, "failover_writes", CLUSTER_GUARD);

      System.out.printf(
          "[measured] failover with default timings after SIGKILL to %s's launcher, Patroni and"
              + " postgres: first write on %s %d ms later (ttl %d s, loop_wait %d s)%n",
          leader.name(),
          failover.newLeader().name(),
          failover.firstWrite().toMillis(),
          TTL,
          LOOP_WAIT);
      assertThat(failover.newLeader()).isNotSameAs(leader);
    } catch (AssertionError | RuntimeException | SQLException e) {
      cluster.printMembers(); // before the cleanup deletes the launchers' output
      throw e;
    }
  }
}
