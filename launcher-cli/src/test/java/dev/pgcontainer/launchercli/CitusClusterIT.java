package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.CitusNodes.awaitValue;
import static dev.pgcontainer.launchercli.CitusNodes.with;
import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue "Citus: standalone, coordinator and worker roles with safe worker auto-registration": real
 * launchers on 127.0.0.1, one sandbox (PGDATA, port) per node. Needs citus.so in the installed
 * server; skipped with the reason otherwise.
 */
class CitusClusterIT {

  /** Workers may start before the coordinator and retry with waits of up to 10 s. */
  private static final Duration REGISTRATION_BOUND = Duration.ofSeconds(60);

  private static final String WORKERS_ON_COORDINATOR =
      "SELECT count(*) FROM pg_dist_node WHERE groupid <> 0 AND isactive";

  private final List<LauncherSandbox> sandboxes = new ArrayList<>();

  /** Per test, not per class: each test is then reported as skipped, with the reason. */
  @BeforeEach
  void requireCitus() {
    Assumptions.assumeTrue(CitusNodes.CITUS_INSTALLED, CitusNodes.SKIP_REASON);
  }

  @AfterEach
  void killLeftoversAndDeleteSandboxes() {
    sandboxes.forEach(LauncherSandbox::close);
  }

  @Test
  void twoWorkersRegisterWithTheCoordinatorAndADistributedTableSpreadsOverBothAndCountsRight()
      throws Exception {
    LauncherSandbox coordinator = sandbox(LauncherSandbox.empty());
    LauncherSandbox first = sandbox(LauncherSandbox.withInitialisedCluster());
    LauncherSandbox second = sandbox(LauncherSandbox.withInitialisedCluster());
    RunningLauncher coordinatorRun = coordinator.start(CitusNodes.coordinator());
    RunningLauncher firstRun = first.start(CitusNodes.worker(coordinator.port()));
    second.start(CitusNodes.worker(coordinator.port())).awaitReady();
    coordinatorRun.awaitReady();
    firstRun.awaitReady();

    awaitValue(coordinator, WORKERS_ON_COORDINATOR, "2", REGISTRATION_BOUND);
    try (Connection connection = coordinator.connect()) {
      execute(connection, "CREATE TABLE events (id bigint PRIMARY KEY, payload text)");
      execute(connection, "SELECT create_distributed_table('events', 'id')");
      execute(
          connection,
          "INSERT INTO events SELECT g, 'event ' || g FROM generate_series(1, 10000) g");
      assertThat(queryValue(connection, "SELECT count(*) FROM events")).isEqualTo("10000");
      assertThat(
              queryValue(
                  connection,
                  "SELECT string_agg(DISTINCT nodeport::text, ',' ORDER BY nodeport::text)"
                      + " FROM citus_shards WHERE table_name = 'events'::regclass"))
          .as("shards on both workers")
          .isEqualTo(
              String.join(
                  ",",
                  Stream.of(first.port(), second.port()).map(String::valueOf).sorted().toList()));
    }
    CitusNodes.CommandResult status =
        CitusNodes.command(coordinator, CitusNodes.coordinator(), "citus", "status")
            .assertSucceeded();
    assertThat(status.output())
        .contains("role: coordinator")
        .contains("group 0 127.0.0.1:" + coordinator.port() + " primary active")
        .contains("127.0.0.1:" + first.port() + " primary active")
        .contains("127.0.0.1:" + second.port() + " primary active")
        .contains("registered workers: 2")
        .contains("active workers: 2");
    assertThat(coordinatorRun.output() + firstRun.output())
        .doesNotContain(LauncherSandbox.PASSWORD);
    Path passwordFile = coordinator.config().resolve("citus.pgpass");
    assertThat(Files.getPosixFilePermissions(passwordFile))
        .as("the inter-node password file")
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getOwner(passwordFile).getName()).isEqualTo("postgres");
  }

  @Test
  void aRestartedWorkerIsNotAddedTwiceAndKeepsItsShards() throws Exception {
    LauncherSandbox coordinator = sandbox(LauncherSandbox.withInitialisedCluster());
    LauncherSandbox worker = sandbox(LauncherSandbox.withInitialisedCluster());
    coordinator.start(CitusNodes.coordinator()).awaitReady();
    RunningLauncher firstRun = worker.start(CitusNodes.worker(coordinator.port()));
    firstRun.awaitOutput(
        "is registered with the coordinator at 127.0.0.1:"
            + coordinator.port()
            + " (added as node");
    try (Connection connection = coordinator.connect()) {
      execute(connection, "CREATE TABLE items (id int PRIMARY KEY)");
      execute(connection, "SELECT create_distributed_table('items', 'id')");
      execute(connection, "INSERT INTO items SELECT generate_series(1, 500)");
    }

    firstRun.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    RunningLauncher secondRun = worker.start(CitusNodes.worker(coordinator.port()));
    secondRun.awaitOutput(
        "is registered with the coordinator at 127.0.0.1:"
            + coordinator.port()
            + " (already listed as node");

    try (Connection connection = coordinator.connect()) {
      assertThat(
              queryValue(
                  connection,
                  "SELECT count(*) FROM pg_dist_node WHERE nodeport = " + worker.port()))
          .isEqualTo("1");
      assertThat(queryValue(connection, "SELECT count(*) FROM items")).isEqualTo("500");
    }
    assertThat(secondRun.output()).doesNotContain("added as node");
  }

  @Test
  void aWorkerStartedBeforeItsCoordinatorRegistersOnceTheCoordinatorIsUp() throws Exception {
    LauncherSandbox coordinator = sandbox(LauncherSandbox.withInitialisedCluster());
    LauncherSandbox worker = sandbox(LauncherSandbox.withInitialisedCluster());
    RunningLauncher workerRun = worker.start(CitusNodes.worker(coordinator.port()));
    workerRun.awaitReady();
    workerRun.awaitOutput(
        "cannot register with the coordinator at 127.0.0.1:" + coordinator.port() + " yet");

    coordinator.start(CitusNodes.coordinator()).awaitReady();

    workerRun.awaitOutput(
        "is registered with the coordinator at 127.0.0.1:"
            + coordinator.port()
            + " (added as node");
    awaitValue(coordinator, WORKERS_ON_COORDINATOR, "1", REGISTRATION_BOUND);
    CitusNodes.CommandResult status =
        CitusNodes.command(worker, CitusNodes.worker(coordinator.port()), "citus", "status")
            .assertSucceeded();
    assertThat(status.output())
        .contains("role: worker")
        .contains(
            "coordinator: 127.0.0.1:"
                + coordinator.port()
                + ", lists this worker as 127.0.0.1:"
                + worker.port());
  }

  @Test
  void anUnreachableCoordinatorLeavesTheWorkerRunningAndNotRegistered() throws Exception {
    LauncherSandbox worker = sandbox(LauncherSandbox.withInitialisedCluster());
    int nobodyListens = FreePorts.next();
    int health = FreePorts.next();
    RunningLauncher workerRun =
        worker.start(
            with(
                CitusNodes.worker(nobodyListens),
                "TIMEOUT",
                "2",
                "HEALTH_LISTEN",
                "127.0.0.1:" + health));
    workerRun.awaitReady();

    workerRun.awaitOutput(
        "could not register with the coordinator at 127.0.0.1:"
            + nobodyListens
            + " within 20 s (TIMEOUT x 10)");

    assertThat(workerRun.output())
        .contains("This worker keeps running, unregistered")
        .contains("SELECT citus_add_node('127.0.0.1', " + worker.port() + ") on the coordinator")
        .doesNotContain(LauncherSandbox.PASSWORD);
    assertThat(workerRun.isAlive()).isTrue();
    try (Connection connection = worker.connect()) {
      assertThat(queryValue(connection, "SELECT extname FROM pg_extension WHERE extname = 'citus'"))
          .isEqualTo("citus");
    }
    String metrics = CitusNodes.httpGet(health, "/metrics", "*/*");
    assertThat(metrics)
        .contains("pgcontainer_citus_registration{state=\"failed\"} 1.0")
        .contains("pgcontainer_citus_registration{state=\"registered\"} 0.0")
        .contains("pgcontainer_citus_role{role=\"worker\"} 1.0")
        .contains("pgcontainer_citus_registered_workers 0.0");
    // the endpoint's report may be up to a second older than the log line: failed, or still trying
    // the last time
    assertThat(CitusNodes.httpGet(health, "/health/citus", "text/plain"))
        .startsWith("citus DEGRADED not registered: ")
        .contains("Connection to 127.0.0.1:" + nobodyListens + " refused");
    CitusNodes.CommandResult status =
        CitusNodes.command(
                worker, with(CitusNodes.worker(nobodyListens), "TIMEOUT", "2"), "citus", "status")
            .assertSucceeded();
    assertThat(status.output())
        .contains("registration: unknown, as the coordinator could not be asked");
  }

  /**
   * /metrics with Citus: every scrape reads pg_dist_node over the one session the launcher keeps
   * for it.
   */
  @Test
  void scrapesReuseOneSessionOfTheLauncher() throws Exception {
    LauncherSandbox coordinator = sandbox(LauncherSandbox.withInitialisedCluster());
    int health = FreePorts.next();
    coordinator
        .start(with(CitusNodes.coordinator(), "HEALTH_LISTEN", "127.0.0.1:" + health))
        .awaitReady();
    String sessions =
        "SELECT count(*) || ' ' || coalesce(min(pid), 0) FROM pg_stat_activity"
            + " WHERE application_name = 'pgcontainer-citus'";

    List<String> seen = new ArrayList<>();
    for (int scrape = 0; scrape < 3; scrape++) {
      assertThat(CitusNodes.httpGet(health, "/metrics", "*/*"))
          .contains("pgcontainer_citus_registered_workers 0.0");
      try (Connection connection = coordinator.connect()) {
        seen.add(queryValue(connection, sessions));
      }
    }

    assertThat(seen)
        .as("count and pid of the launcher's Citus sessions after each scrape")
        .hasSize(3)
        .containsOnly(seen.get(0));
    assertThat(seen.get(0)).startsWith("1 ");
  }

  @Test
  void aWorkerBackUnderAnotherNameIsNotAddedTwiceAndTheLogSaysWhatToDo() throws Exception {
    LauncherSandbox coordinator = sandbox(LauncherSandbox.withInitialisedCluster());
    LauncherSandbox worker = sandbox(LauncherSandbox.withInitialisedCluster());
    coordinator.start(CitusNodes.coordinator()).awaitReady();
    RunningLauncher firstRun = worker.start(CitusNodes.worker(coordinator.port()));
    firstRun.awaitOutput(
        "is registered with the coordinator at 127.0.0.1:"
            + coordinator.port()
            + " (added as node");
    firstRun.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

    RunningLauncher renamed =
        worker.start(with(CitusNodes.worker(coordinator.port()), "CITUS_NODE_HOST", "localhost"));

    renamed.awaitOutput(
        "worker localhost:"
            + worker.port()
            + " was added to the coordinator at 127.0.0.1:"
            + coordinator.port()
            + " before, under another name: the coordinator lists this worker's group as node");
    assertThat(renamed.output())
        .contains("at 127.0.0.1:" + worker.port() + ", not at CITUS_NODE_HOST=localhost")
        .contains("set CITUS_NODE_HOST to a name that stays")
        .contains("SELECT citus_update_node(")
        .doesNotContain("added as node");
    assertThat(renamed.isAlive()).isTrue();
    try (Connection connection = coordinator.connect()) {
      assertThat(
              queryValue(
                  connection,
                  "SELECT count(*) FROM pg_dist_node WHERE nodeport = " + worker.port()))
          .isEqualTo("1");
    }
  }

  @Test
  void aStandaloneNodeIsItsOwnCoordinatorAndRunsDistributedTablesAlone() throws Exception {
    LauncherSandbox standalone = sandbox(LauncherSandbox.withInitialisedCluster());
    standalone.start(Map.of("CITUS_ENABLE", "true")).awaitReady();

    try (Connection connection = standalone.connect()) {
      assertThat(Integer.parseInt(queryValue(connection, "SHOW max_prepared_transactions")))
          .as("raised by Citus from 0 to twice max_connections")
          .isEqualTo(2 * Integer.parseInt(queryValue(connection, "SHOW max_connections")));
      assertThat(queryValue(connection, "SHOW wal_level")).isEqualTo("logical");
      assertThat(queryValue(connection, "SHOW citus.node_conninfo")).isEqualTo("sslmode=prefer");
      assertThat(
              queryValue(
                  connection,
                  "SELECT nodename || ':' || nodeport FROM pg_dist_node WHERE groupid = 0"))
          .isEqualTo("localhost:" + standalone.port());
      assertThat(queryValue(connection, "SHOW shared_preload_libraries")).startsWith("citus");
      execute(connection, "CREATE TABLE readings (id int, value float8)");
      execute(connection, "SELECT create_distributed_table('readings', 'id')");
      execute(connection, "INSERT INTO readings SELECT g, g FROM generate_series(1, 1000) g");
      assertThat(queryValue(connection, "SELECT count(*) FROM readings")).isEqualTo("1000");
    }
  }

  private LauncherSandbox sandbox(LauncherSandbox sandbox) {
    sandboxes.add(sandbox);
    return sandbox;
  }
}
