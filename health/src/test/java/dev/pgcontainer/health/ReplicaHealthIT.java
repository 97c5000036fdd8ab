package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.testsupport.FreePorts;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code postgresql} probe and the metrics on a real streaming replica (pg_basebackup -R of a
 * real primary, both on 127.0.0.1): its role, its replay lag while replay is paused, and no lag at
 * all once it caught up with an idle primary, however old the last replayed commit is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@ExtendWith(SandboxExtension.class)
class ReplicaHealthIT {

  private static final Duration DEADLINE = Duration.ofSeconds(5);

  /**
   * Longer than the idle time after which the old measure (age of the last replayed commit) was
   * clearly wrong.
   */
  private static final Duration IDLE = Duration.ofMillis(2500);

  private LocalServer primary;
  private LocalServer replica;

  @BeforeAll
  void startPrimaryAndStreamingReplica(Sandbox sandbox) {
    primary = LocalServer.initdb(sandbox.root().resolve("primary"), sandbox.port());
    primary.start();
    replica = LocalServer.replicaOf(primary, sandbox.root().resolve("replica"), FreePorts.next());
    replica.start();
  }

  @AfterAll
  void stopServers() {
    for (LocalServer server : new LocalServer[] {replica, primary}) {
      if (server != null) {
        server.stopIfRunning();
      }
    }
  }

  @Test
  @Order(1)
  void aReplicaWhoseReplayIsPausedReportsItsLagInBytesAndSeconds() {
    commitOnThePrimaryAndAwaitItsReplay("replayed");
    replica.sql("SELECT pg_wal_replay_pause()");
    try {
      primary.sql("CREATE TABLE paused AS SELECT g FROM generate_series(1, 10000) g");
      Await.until(
          "WAL received but not replayed",
          () ->
              replica
                  .sql("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()")
                  .equals("t"));

      ProbeResult postgresql = probe();
      String metrics = metrics();

      assertThat(postgresql.status()).isEqualTo(ProbeStatus.UP);
      assertThat(postgresql.reason())
          .matches("replica, replay lag [0-9.]+ [KM]iB, [0-9]+\\.[0-9] s behind");
      assertThat(postgresql.details()).containsEntry("role", "replica");
      assertThat((Long) postgresql.details().get("replay_lag_bytes")).isPositive();
      assertThat((Double) postgresql.details().get("replay_lag_seconds")).isPositive();
      assertThat(metrics)
          .contains(
              "pgcontainer_role{role=\"primary\"} 0.0", "pgcontainer_role{role=\"replica\"} 1.0")
          .containsPattern("pgcontainer_replication_lag_bytes [1-9][0-9.E]*\n")
          .containsPattern("pgcontainer_replication_lag_seconds [0-9.E]+\n")
          .doesNotContain("pgcontainer_replication_lag_seconds 0.0\n");
    } finally {
      replica.sql("SELECT pg_wal_replay_resume()");
    }
  }

  @Test
  @Order(2)
  void aCaughtUpReplicaOfAnIdlePrimaryHasNoLag() throws InterruptedException {
    commitOnThePrimaryAndAwaitItsReplay("last_commit");
    Thread.sleep(
        IDLE.toMillis()); // nothing committed meanwhile: the last replayed commit only ages

    ProbeResult postgresql = probe();
    String metrics = metrics();

    assertThat(replica.sql("SELECT now() - pg_last_xact_replay_timestamp() > interval '2 s'"))
        .as("the last replayed commit is older than 2 s")
        .isEqualTo("t");
    assertThat(postgresql.status()).isEqualTo(ProbeStatus.UP);
    assertThat(postgresql.reason()).isEqualTo("replica, replay lag 0 B, 0.0 s behind");
    assertThat(postgresql.details())
        .containsEntry("role", "replica")
        .containsEntry("replay_lag_bytes", 0L)
        .containsEntry("replay_lag_seconds", 0.0);
    assertThat(metrics)
        .contains(
            "pgcontainer_role{role=\"replica\"} 1.0",
            "pgcontainer_replication_lag_seconds 0.0\n",
            "pgcontainer_replication_lag_bytes 0.0\n");
  }

  private ProbeResult probe() {
    try (HealthChecks checks =
        HealthChecks.direct(replica.settings(), DEADLINE, TestChecks.FEATURES)) {
      return checks.check(List.of(PostgresqlProbe.NAME)).checks().get(PostgresqlProbe.NAME);
    }
  }

  /** One scrape of the replica's server metrics, in the text format. */
  private String metrics() {
    try (ServerConnection connection = ServerConnection.forSettings(replica.settings(), DEADLINE)) {
      PrometheusRegistry registry = new PrometheusRegistry();
      registry.register(new ServerMetrics(connection, () -> Phase.RUNNING));
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create().write(text, registry.scrape());
      return text.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Commits on the primary and waits until the replica replayed that commit. */
  private void commitOnThePrimaryAndAwaitItsReplay(String table) {
    primary.sql("CREATE TABLE " + table + " AS SELECT 1 AS one");
    String position = primary.sql("SELECT pg_current_wal_lsn()");
    Await.until(
        "the replica replaying " + position,
        () -> replica.sql("SELECT pg_last_wal_replay_lsn() >= '" + position + "'").equals("t"));
  }
}
