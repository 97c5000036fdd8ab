package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.CitusNodes.awaitValue;
import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue "Citus ... also under Patroni": with PATRONI_ENABLE=true, Patroni's own Citus support makes
 * the extension and registers the worker group's leader with the coordinator; the launcher
 * registers nothing itself. Needs citus.so.
 */
class CitusPatroniIT {

  /**
   * Patroni's coordinator registers a worker group's leader within a loop or two of seeing it in
   * etcd.
   */
  private static final Duration REGISTRATION_BOUND = Duration.ofSeconds(90);

  private static final Map<String, String> CLUSTER_ENVIRONMENT =
      Map.of(
          "PATRONI_TTL",
          "10",
          "PATRONI_LOOP_WAIT",
          "2",
          "PATRONI_RETRY_TIMEOUT",
          "4",
          "PATRONI_NAMESPACE",
          "/pgcontainer-citus-it/",
          "CITUS_ENABLE",
          "true");

  private EtcdServer etcd;
  private PatroniMember coordinator;
  private PatroniMember worker;

  /** Per test, not per class: each test is then reported as skipped, with the reason. */
  @BeforeEach
  void requireCitus() {
    Assumptions.assumeTrue(CitusNodes.CITUS_INSTALLED, CitusNodes.SKIP_REASON);
  }

  @AfterEach
  void stopEverything() {
    Cleanup.closeAll(worker, coordinator, etcd);
  }

  @Test
  void patroniRegistersTheWorkerGroupOnceAndTheLauncherLeavesItToPatroni() throws Exception {
    startCoordinatorAndWorker();

    awaitValue(
        coordinator.sandbox(),
        "SELECT count(*) FROM pg_dist_node WHERE groupid = 1 AND nodeport = " + worker.port(),
        "1",
        REGISTRATION_BOUND);
    try (Connection connection = coordinator.sandbox().connect()) {
      assertThat(queryValue(connection, "SELECT count(*) FROM pg_dist_node WHERE groupid <> 0"))
          .isEqualTo("1");
      // the coordinator logs in to the worker with the password Patroni's Citus bootstrap put into
      // pg_dist_authinfo
      assertThat(
              queryValue(
                  connection,
                  "SELECT count(*) FROM pg_dist_authinfo WHERE authinfo LIKE 'password=%'"))
          .isEqualTo("1");
      execute(connection, "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric)");
      execute(connection, "SELECT create_distributed_table('orders', 'id')");
      execute(connection, "INSERT INTO orders SELECT g, g * 1.5 FROM generate_series(1, 2000) g");
      assertThat(queryValue(connection, "SELECT count(*) FROM orders")).isEqualTo("2000");
      assertThat(
              queryValue(
                  connection,
                  "SELECT count(DISTINCT shardid) > 0 FROM citus_shards"
                      + " WHERE table_name = 'orders'::regclass AND nodeport = "
                      + worker.port()))
          .isEqualTo("t");
    }
    assertThat(worker.launcher().output())
        .contains("CITUS_AUTO_REGISTER_WORKERS=true is ignored with PATRONI_ENABLE=true")
        .contains("CITUS_COORDINATOR_HOST is ignored with PATRONI_ENABLE=true");
    CitusNodes.CommandResult status =
        CitusNodes.command(worker.sandbox(), worker.environment(), "citus", "status")
            .assertSucceeded();
    assertThat(status.output())
        .contains("role: worker")
        .contains(
            "coordinator: found by Patroni in etcd; this node's pg_dist_node lists this worker as 127.0.0.1:"
                + worker.port())
        .contains("registration: registered");
    assertThat(worker.health().get("/metrics").body())
        .contains("pgcontainer_citus_registration{state=\"managed_by_patroni\"} 1.0")
        .contains("pgcontainer_citus_registration{state=\"not_registered\"} 0.0");
    assertThat(worker.health().get("/health/citus", "text/plain").body())
        .startsWith("citus UP registration is Patroni's");
    for (PatroniMember member : List.of(coordinator, worker)) {
      assertThat(member.launcher().output())
          .as("the launcher of %s", member.name())
          .doesNotContain("is registered with the coordinator")
          .doesNotContain("[WorkerRegistration]")
          .doesNotContain(LauncherSandbox.PASSWORD);
    }
    assertThat(Files.readString(coordinator.sandbox().config().resolve("patroni.yml")))
        .contains("citus:\n  group: 0\n  database: \"postgres\"");
    assertThat(Files.readString(worker.sandbox().config().resolve("patroni.yml")))
        .contains("citus:\n  group: 1\n");
  }

  @Test
  void aChangedPostgresPasswordReachesPgDistAuthinfoOnTheLeaderOfEachGroupAndNoLog()
      throws Exception {
    startCoordinatorAndWorker();
    awaitValue(
        coordinator.sandbox(),
        "SELECT count(*) FROM pg_dist_node WHERE groupid = 1 AND nodeport = " + worker.port(),
        "1",
        REGISTRATION_BOUND);
    String changed = "Changed-Pw-'5\\d";

    for (PatroniMember member : List.of(worker, coordinator)) {
      member.launcher().stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      member.start(Map.of("POSTGRES_PASSWORD", changed)).awaitReady();
    }

    for (PatroniMember member : List.of(coordinator, worker)) {
      try (Connection connection = member.sandbox().connect(changed)) {
        assertThat(queryValue(connection, "SELECT authinfo FROM pg_dist_authinfo WHERE nodeid = 0"))
            .as("pg_dist_authinfo on %s", member.name())
            .isEqualTo("password='Changed-Pw-\\'5\\\\d'");
      }
    }
    try (Connection connection = coordinator.sandbox().connect(changed)) {
      execute(connection, "CREATE TABLE accounts (id bigint PRIMARY KEY)");
      execute(connection, "SELECT create_distributed_table('accounts', 'id')");
      execute(connection, "INSERT INTO accounts SELECT g FROM generate_series(1, 100) g");
      assertThat(queryValue(connection, "SELECT count(*) FROM accounts"))
          .as("a query the worker answers")
          .isEqualTo("100");
    }
    for (PatroniMember member : List.of(coordinator, worker)) {
      assertThat(member.launcher().output())
          .as("the launcher of %s", member.name())
          .doesNotContain(changed)
          .contains("Citus: changed the password in pg_dist_authinfo");
      try (Stream<Path> logs = Files.walk(member.sandbox().log())) {
        for (Path log : logs.filter(Files::isRegularFile).toList()) {
          assertThat(Files.readString(log)).as("server log %s", log).doesNotContain(changed);
        }
      }
    }
  }

  private void startCoordinatorAndWorker() {
    etcd = EtcdServer.start();
    String scope = "citus-" + UUID.randomUUID().toString().substring(0, 8);
    coordinator =
        PatroniMember.create(
            "coordinator-a",
            scope,
            etcd,
            CitusNodes.with(CLUSTER_ENVIRONMENT, "CITUS_ROLE", "coordinator"));
    worker =
        PatroniMember.create(
            "worker-1a",
            scope,
            etcd,
            CitusNodes.with(
                CLUSTER_ENVIRONMENT,
                "CITUS_ROLE",
                "worker",
                "CITUS_GROUP",
                "1",
                "CITUS_COORDINATOR_HOST",
                "127.0.0.1",
                "CITUS_AUTO_REGISTER_WORKERS",
                "true"));

    coordinator.start();
    worker.start();
    coordinator.launcher().awaitReady();
    worker.launcher().awaitReady();
  }
}
