package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.instance.LocalConnections;
import dev.pgcontainer.instance.RunState;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Restarts of a real server under a probe that keeps checking it, as the launcher's refresher does:
 * a pg_ctl restart (a new postmaster, as Patroni or an operator restarts it) and a crash restart (a
 * killed server process makes the postmaster restart all the others in place) each count once, in
 * the process probe and in {@code /metrics}.
 */
@ExtendWith(SandboxExtension.class)
class ServerRestartIT {

  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private LocalServer server;
  private ServerConnection connection;
  private ServerRestarts restarts;
  private PostgresqlProbe postgresql;
  private ProcessProbe process;
  private HealthMetrics metrics;

  @BeforeEach
  void startServerUnderProbes(Sandbox sandbox) {
    server = LocalServer.initdb(sandbox.root().resolve("server"), sandbox.port());
    server.start();
    connection = ServerConnection.forSettings(server.settings(), DEADLINE);
    restarts = new ServerRestarts();
    postgresql =
        new PostgresqlProbe(connection, LocalConnections.socketFile(server.settings()), restarts);
    RunState state = new RunState();
    process = new ProcessProbe(state, restarts);
    metrics = new HealthMetrics(state, connection, restarts);
  }

  @AfterEach
  void stopServer() {
    connection.close();
    server.stopIfRunning();
  }

  @Test
  void aServerCheckedRepeatedlyWithoutARestartCountsNone() throws IOException {
    for (int i = 0; i < 3; i++) {
      assertThat(postgresql.check().status()).isEqualTo(ProbeStatus.UP);
    }

    assertThat(process.check().details()).containsEntry("restarts", 0);
    assertThat(scrape()).contains("pgcontainer_server_restarts_total 0.0\n");
  }

  @Test
  void aPgCtlRestartAndACrashRestartCountOneEach() throws IOException {
    assertThat(postgresql.check().status()).isEqualTo(ProbeStatus.UP);

    server.restart();
    awaitRestarts(1);
    String afterPgCtlRestart = scrape();
    // a server process killed -9 makes the postmaster end and restart all the others
    String pid =
        server.sql("SELECT pid FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher'");
    kill9(pid);
    awaitRestarts(2);

    assertThat(afterPgCtlRestart).contains("pgcontainer_server_restarts_total 1.0\n");
    assertThat(scrape()).contains("pgcontainer_server_restarts_total 2.0\n");
    assertThat(process.check().details()).containsEntry("restarts", 2);
  }

  /**
   * Checks as the refresher does until the probe is UP again having counted {@code expected}
   * restarts.
   */
  private void awaitRestarts(int expected) {
    Await.until(
        expected + " restarts counted",
        () -> {
          try {
            return postgresql.check().status() == ProbeStatus.UP && restarts.count() == expected;
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private String scrape() {
    return new String(metrics.scrape(), StandardCharsets.UTF_8);
  }

  private static void kill9(String pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-9", pid).redirectErrorStream(true).start();
      assertThat(kill.waitFor()).as("exit code of kill -9 %s", pid).isZero();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
