package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.LocalConnections;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.PostgresRun;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.instance.ServerRun;
import dev.pgcontainer.supervision.Supervisor;
import dev.pgcontainer.testsupport.FreePorts;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import dev.pgcontainer.testsupport.ServerBinaries;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Probes, endpoint and metrics against a real PostgreSQL 15 run by {@link PostgresRun} in this JVM
 * (as the launcher does), in one lifecycle: held in INITIALISING by a step before the start, then
 * running, then stopped by SIGTERM to this JVM, which the run's supervisor handles while it runs
 * (and gives back to the JVM when it ends), as in the launcher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@ExtendWith(SandboxExtension.class)
class ServerHealthIT {

  /** Not a requirement: keeps a broken run from hanging the build. */
  private static final Duration HANG_GUARD = Await.HANG_GUARD;

  private static final HealthTimings FAST_REFRESH =
      HealthTimings.builder()
          .probeDeadline(Duration.ofSeconds(2))
          .refreshInterval(Duration.ofMillis(200))
          .build();

  /**
   * Debian's interpreter, where python3-prometheus-client is installed (a pyenv python3 on PATH
   * lacks it).
   */
  private static final String PYTHON = "/usr/bin/python3";

  private static final String PARSE_METRICS =
      String.join(
          "\n",
          "import sys",
          "from prometheus_client.parser import text_string_to_metric_families",
          "for family in text_string_to_metric_families(sys.stdin.read()):",
          "    for sample in family.samples:",
          "        labels = ','.join(k + '=' + v for k, v in sorted(sample.labels.items()))",
          "        print(family.name, family.type, sample.name + '{' + labels + '}', sample.value)");

  private Path root;
  private Settings settings;
  private ServerRun run;
  private HealthEndpoint endpoint;
  private InetSocketAddress address;
  private Thread runThread;
  private final AtomicInteger exitCode = new AtomicInteger(-1);
  private final CountDownLatch heldBeforeStart = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeAll
  void startRunHeldBeforeTheServerStarts(Sandbox sandbox) {
    root = sandbox.root();
    settings =
        TestSettings.under(
            root,
            sandbox.port(),
            Map.of("HEALTH_LISTEN", "127.0.0.1:" + FreePorts.next(), "TIMEOUT", "10"));
    PgInstallation installation = PgInstallation.at(ServerBinaries.binDir());
    run =
        ServerRun.of(settings, installation, System.getenv(), PostgresRun.standalone())
            .withExtension(
                new RunExtension() {
                  @Override
                  public void beforeStart(
                      PostgresInstance instance, Supervisor supervisor, boolean newCluster) {
                    heldBeforeStart.countDown();
                    try {
                      release.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                });
    endpoint = TestEndpoints.start(settings, run.state(), FAST_REFRESH);
    address = endpoint.address().orElseThrow();
    runThread = new Thread(() -> exitCode.set(run.run()), "postgres-run");
    runThread.start();
  }

  @AfterAll
  void stopRunAndEndpoint() throws InterruptedException, IOException {
    release.countDown();
    if (runThread.isAlive()) {
      runThread.interrupt(); // a failed test's cleanup: quicker than a graceful stop
      runThread.join(HANG_GUARD.toMillis());
    }
    endpoint.close();
  }

  @Test
  @Order(1)
  void whileInitialisingTheServerIsStartingLiveAndNotReadyThenReadyOnceRunning() throws Exception {
    assertThat(heldBeforeStart.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS))
        .as("run reached the step")
        .isTrue();
    Await.until(
        "a report of the INITIALISING phase",
        () -> HttpProbe.get(address, "/health").body().contains("\"phase\":\"INITIALISING\""));

    assertThat(HttpProbe.get(address, "/live").statusCode()).isEqualTo(200);
    assertThat(HttpProbe.get(address, "/ready").statusCode()).isEqualTo(503);
    JsonNode starting = healthJson();
    assertThat(starting.path("status").asText()).isEqualTo("STARTING");
    assertThat(starting.at("/checks/postgresql/status").asText()).isEqualTo("STARTING");
    assertThat(starting.at("/checks/postgresql/reason").asText())
        .isEqualTo("initialising: the server is not started yet");

    release.countDown();
    Await.until("/ready 200", () -> HttpProbe.get(address, "/ready").statusCode() == 200);
    assertThat(run.state().phase()).isEqualTo(Phase.RUNNING);
  }

  @Test
  @Order(2)
  void everyProbeIsUpOnAHealthyServer() throws IOException {
    awaitRunning();
    JsonNode health = healthJson();

    assertThat(health.path("status").asText()).isEqualTo("UP");
    assertThat(health.path("ready").asBoolean()).isTrue();
    assertThat(health.at("/checks/postgresql/status").asText()).isEqualTo("UP");
    assertThat(health.at("/checks/postgresql/reason").asText()).isEqualTo("primary");
    // a feature's check (e.g. patroni) comes with the feature: none is given here
    assertThat(health.at("/checks/patroni").isMissingNode()).isTrue();
    assertThat(health.at("/checks/disk/status").asText()).isEqualTo("UP");
    assertThat(health.at("/checks/disk/details/wal_bytes").asLong()).isPositive();
    assertThat(health.at("/checks/process/status").asText()).isEqualTo("UP");
    assertThat(health.at("/checks/process/reason").asText())
        .matches("postgres \\(pid \\d+\\) alive, started once");
  }

  @Test
  @Order(3)
  void metricsParseWithPrometheusOwnParser() throws Exception {
    awaitRunning();
    String text = HttpProbe.get(address, "/metrics").body();

    List<String> samples = parseWithPrometheusClient(text);

    assertThat(samples)
        .contains(
            "pgcontainer_up gauge pgcontainer_up{} 1.0",
            "pgcontainer_phase gauge pgcontainer_phase{phase=running} 1.0",
            "pgcontainer_role gauge pgcontainer_role{role=primary} 1.0",
            "pgcontainer_role gauge pgcontainer_role{role=replica} 0.0",
            "pgcontainer_replication_lag_seconds gauge pgcontainer_replication_lag_seconds{} 0.0",
            "pgcontainer_replication_lag_bytes gauge pgcontainer_replication_lag_bytes{} 0.0",
            "pgcontainer_server_starts counter pgcontainer_server_starts_total{} 1.0",
            "pgcontainer_server_restarts counter pgcontainer_server_restarts_total{} 0.0");
    assertThat(samples)
        .anyMatch(
            s ->
                s.matches(
                    "pgcontainer_connections gauge pgcontainer_connections\\{state=active} [1-9].*"));
    assertThat(samples)
        .anyMatch(
            s ->
                s.startsWith("pgcontainer_connections gauge pgcontainer_connections{state=idle} "));
    assertThat(samples)
        .anyMatch(
            s ->
                s.matches(
                    "pgcontainer_database_size_bytes gauge "
                        + "pgcontainer_database_size_bytes\\{datname=postgres} [1-9].*"));
    assertThat(samples)
        .anyMatch(
            s ->
                s.matches(
                    "pgcontainer_xact_commit counter "
                        + "pgcontainer_xact_commit_total\\{datname=postgres} [1-9].*"));
    assertThat(samples)
        .anyMatch(
            s ->
                s.startsWith(
                    "pgcontainer_xact_rollback counter "
                        + "pgcontainer_xact_rollback_total{datname=postgres} "));
    assertThat(samples)
        .anyMatch(
            s ->
                s.matches("pgcontainer_wal_bytes counter pgcontainer_wal_bytes_total\\{} [1-9].*"));
    assertThat(samples)
        .anyMatch(
            s ->
                s.matches(
                    "pgcontainer_wal_directory_bytes gauge "
                        + "pgcontainer_wal_directory_bytes\\{} [1-9].*"));
    assertThat(samples)
        .anyMatch(
            s ->
                s.matches(
                    "pgcontainer_probe_last_success_timestamp_seconds gauge "
                        + "pgcontainer_probe_last_success_timestamp_seconds\\{probe=postgresql} 1[0-9]{9}(\\.[0-9]+)?"));
  }

  @Test
  @Order(4)
  void probesAndMetricsShareOneConnection() throws SQLException, InterruptedException {
    awaitRunning();
    for (int i = 0; i < 3; i++) {
      HttpProbe.get(address, "/metrics");
    }
    Thread.sleep(
        3 * FAST_REFRESH.refreshInterval().toMillis()); // a few background probes happen meanwhile

    assertThat(healthBackends()).as("backends of %s", ServerConnection.APPLICATION_NAME).hasSize(1);
  }

  @Test
  @Order(5)
  void aKilledHealthConnectionIsReplacedWithoutAnyDownAnswer() throws Exception {
    awaitRunning();
    HttpProbe.get(address, "/metrics"); // makes sure the connection exists
    List<Integer> before = healthBackends();
    assertThat(before).hasSize(1);

    try (Connection admin = adminConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("SELECT pg_terminate_backend(" + before.get(0) + ")");
    }
    String metricsRightAfter = HttpProbe.get(address, "/metrics").body();
    List<String> postgresqlAnswers = new ArrayList<>();
    long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < until) {
      postgresqlAnswers.add(HttpProbe.get(address, "/health/postgresql", "text/plain").body());
      Thread.sleep(50);
    }

    assertThat(metricsRightAfter).contains("pgcontainer_up 1.0");
    assertThat(postgresqlAnswers).allMatch(line -> line.startsWith("postgresql UP primary"));
    // the terminated backend leaves pg_stat_activity once it has exited, and the next probe opens
    // the new one: both in their own time
    Await.until(
        "one health connection, not the terminated one",
        () -> {
          try {
            List<Integer> now = healthBackends();
            return now.size() == 1 && !before.contains(now.get(0));
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  @Order(6)
  void aScrapeWhileAProbeHoldsTheConnectionServesTheLastValuesAtOnce() throws Exception {
    awaitRunning();
    try (ServerConnection connection =
        ServerConnection.forSettings(settings, FAST_REFRESH.probeDeadline())) {
      ServerMetrics metrics = new ServerMetrics(connection, () -> Phase.RUNNING);
      String first = text(metrics.collect());
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch letGo = new CountDownLatch(1);
      Thread probe =
          new Thread(
              () -> {
                try {
                  connection.use(
                      c -> {
                        held.countDown();
                        return awaitQuietly(letGo);
                      });
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              },
              "holding-probe");
      probe.start();
      assertThat(held.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      String whileHeld = text(metrics.collect()); // with the connection held until after it
      letGo.countDown();
      probe.join();

      assertThat(first).contains("pgcontainer_up 1.0");
      assertThat(whileHeld).isEqualTo(first);
    }
  }

  @Test
  @Order(7)
  void theWrongPortIsDownNamingThePortThatDoesExist() {
    awaitRunning();
    Settings wrongPort = TestSettings.under(root, settings.port() + 1, Map.of());

    ProbeResult postgresql = checkDirectly(wrongPort, "postgresql");

    assertThat(postgresql.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(postgresql.reason())
        .endsWith(
            ", but one for port "
                + settings.port()
                + ": does POSTGRESQL_PORT match the running server?");
  }

  @Test
  @Order(8)
  void aDiskThresholdAboveWhatIsFreeIsDown() {
    awaitRunning();
    Settings demanding =
        TestSettings.under(root, settings.port(), Map.of("HEALTH_DISK_MIN_FREE", "100%"));

    ProbeResult disk = checkDirectly(demanding, "disk");

    assertThat(disk.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(disk.reason())
        .startsWith("PGDATA " + root.resolve("data") + " has ")
        .contains("less than HEALTH_DISK_MIN_FREE=100%");
  }

  @Test
  @Order(9)
  void directProbesOfTheRunningServerAreUp() {
    awaitRunning();
    try (HealthChecks checks =
        HealthChecks.direct(settings, FAST_REFRESH.probeDeadline(), TestChecks.FEATURES)) {
      HealthReport report = checks.check();

      assertThat(report.lines()).hasSize(HealthChecks.names(TestChecks.FEATURES).size());
      assertThat(report.checks().values())
          .allMatch(result -> result.status() == ProbeStatus.UP, "all UP");
      assertThat(report.checks().get("process").reason())
          .matches("postgres \\(pid \\d+\\) alive, ready");
    }
  }

  @Test
  @Order(10)
  void aStoppedServerIsDownNotLiveAndNotReady() throws InterruptedException {
    awaitRunning();
    sigtermToThisJvm();
    runThread.join(HANG_GUARD.toMillis());

    assertThat(exitCode.get()).as("exit code of the run").isZero();
    assertThat(run.state().phase()).isEqualTo(Phase.STOPPED);
    Await.until("/live 503", () -> HttpProbe.get(address, "/live").statusCode() == 503);
    assertThat(HttpProbe.get(address, "/ready").statusCode()).isEqualTo(503);
    ProbeResult postgresql = checkDirectly(settings, "postgresql");
    ProbeResult process = checkDirectly(settings, "process");
    assertThat(postgresql.status()).isEqualTo(ProbeStatus.DOWN);
    assertThat(postgresql.reason())
        .isEqualTo(
            "no server socket at "
                + LocalConnections.socketFile(settings)
                + ": postgres is not running (see the launcher's log)");
    assertThat(process.reason())
        .isEqualTo("no " + root.resolve("data/postmaster.pid") + ": postgres is not running");
  }

  private static void sigtermToThisJvm() {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", "TERM", String.valueOf(ProcessHandle.current().pid()))
              .start();
      assertThat(kill.waitFor()).as("exit code of kill").isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static ProbeResult checkDirectly(Settings settings, String name) {
    try (HealthChecks checks =
        HealthChecks.direct(settings, FAST_REFRESH.probeDeadline(), TestChecks.FEATURES)) {
      return checks.check(List.of(name)).checks().get(name);
    }
  }

  private void awaitRunning() {
    release.countDown();
    Await.until("/ready 200", () -> HttpProbe.get(address, "/ready").statusCode() == 200);
  }

  private JsonNode healthJson() throws IOException {
    return new ObjectMapper().readTree(HttpProbe.get(address, "/health").body());
  }

  private Connection adminConnection() throws SQLException {
    return LocalConnections.forSettings(settings).open("postgres", Duration.ofSeconds(10));
  }

  /** Pids of the health connection's backends, from another connection. */
  private List<Integer> healthBackends() throws SQLException {
    List<Integer> pids = new ArrayList<>();
    try (Connection admin = adminConnection();
        Statement statement = admin.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE application_name = '"
                    + ServerConnection.APPLICATION_NAME
                    + "'")) {
      while (rows.next()) {
        pids.add(rows.getInt(1));
      }
    }
    return pids;
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String text(MetricSnapshots snapshots) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(text, snapshots);
    return text.toString(StandardCharsets.UTF_8);
  }

  /**
   * One line per sample, {@code FAMILY TYPE NAME{LABELS} VALUE}, as prometheus_client parsed them.
   */
  private static List<String> parseWithPrometheusClient(String exposition)
      throws IOException, InterruptedException {
    Process python =
        new ProcessBuilder(PYTHON, "-c", PARSE_METRICS).redirectErrorStream(true).start();
    try (var stdin = python.getOutputStream()) {
      stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor())
        .as("prometheus_client's parser on:%n%s%nsaid:%n%s", exposition, output)
        .isZero();
    return output.lines().toList();
  }
}
