package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.supervision.PosixSignal;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Issue "Patroni high availability on etcd": three real launchers with {@code PATRONI_ENABLE=true}
 * on one etcd, all on 127.0.0.1. One cluster serves every scenario in order (each starts from a
 * healthy cluster: one leader, two streaming replicas, one of them its synchronous standby),
 * because bootstrapping one costs more than the scenarios themselves. Synchronous mode throughout
 * (the last scenario turns it off), with the leader-key timings of the issue (ttl 10, loop_wait 2,
 * retry_timeout 4); {@link PatroniDefaultTimingsIT} fails over with Patroni's defaults. Times are
 * printed ({@code [measured]}), never asserted: the failover's bound (ttl + loop_wait) is checked
 * by {@code bench/failover.sh}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniClusterIT {

  private static final int TTL = 10;
  private static final int LOOP_WAIT = 2;

  /**
   * Not a requirement: keeps a broken cluster from hanging the build. Generous, as on a loaded
   * 2-core machine an initdb, two pg_basebackups or a pg_rewind with a rejoin take their time.
   */
  private static final Duration CLUSTER_GUARD = Duration.ofSeconds(180);

  private static final Map<String, String> CLUSTER_ENVIRONMENT =
      Map.of(
          "PATRONI_TTL", String.valueOf(TTL),
          "PATRONI_LOOP_WAIT", String.valueOf(LOOP_WAIT),
          "PATRONI_RETRY_TIMEOUT", "4",
          "PATRONI_SYNCHRONOUS_MODE", "true",
          "PATRONI_NAMESPACE", "/pgcontainer-it/",
          "POSTGRESQL_MAX_CONNECTIONS", "120",
          "POSTGRES_DB", "app");

  private static final ObjectMapper JSON = new ObjectMapper();

  private PatroniCluster cluster;
  private List<PatroniMember> members;

  @RegisterExtension
  final TestWatcher printMembersOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          cluster.printMembers();
        }
      };

  @BeforeAll
  void startEtcdAndCreateThreeMembers() {
    cluster = PatroniCluster.create(CLUSTER_ENVIRONMENT);
    members = cluster.members();
  }

  @AfterAll
  void killEverythingAndStopEtcd() {
    cluster.close();
  }

  @Test
  @Order(1)
  void bootstrapElectsOneLeaderWithTwoStreamingReplicasAndReplicatesWrites() throws Exception {
    long started = System.nanoTime();
    members.forEach(PatroniMember::start);
    PatroniMember leader = cluster.awaitLeaderWithTwoStreamingReplicas(CLUSTER_GUARD);
    long healthy = System.nanoTime();

    members.forEach(member -> member.launcher().awaitReady());
    System.out.printf(
        "[measured] bootstrap: one leader and two streaming replicas %d ms after starting three"
            + " launchers; ready as each launcher says (from its run sequence's start): %s%n",
        millis(healthy - started),
        members.stream()
            .map(
                member ->
                    member.name()
                        + (member == leader ? " (leader) " : " ")
                        + member.launcher().reportedReadyMillis()
                        + " ms")
            .collect(Collectors.joining(", ")));
    try (Connection connection = leader.sandbox().connect()) {
      execute(connection, "CREATE TABLE bootstrap_check (note text)");
      execute(connection, "INSERT INTO bootstrap_check VALUES ('written on the leader')");
    }
    for (PatroniMember replica : cluster.replicasOf(leader)) {
      cluster.awaitUntil(
          replica.name() + " has the leader's row",
          CLUSTER_GUARD,
          () ->
              PatroniCluster.queryOn(replica, "SELECT count(*) FROM bootstrap_check").equals("1"));
      assertThat(PatroniCluster.queryOn(replica, "SELECT note FROM bootstrap_check"))
          .isEqualTo("written on the leader");
    }
    for (PatroniMember member : members) {
      assertThat(PatroniCluster.queryOn(member, "SHOW max_connections"))
          .as(
              "POSTGRESQL_MAX_CONNECTIONS, cluster-wide through bootstrap.dcs, on %s",
              member.name())
          .isEqualTo("120");
      // made on the leader after its bootstrap: a replica has it once it has replayed that far
      cluster.awaitUntil(
          "POSTGRES_DB on " + member.name(),
          CLUSTER_GUARD,
          () ->
              PatroniCluster.queryOn(
                      member, "SELECT count(*) FROM pg_database WHERE datname = 'app'")
                  .equals("1"));
    }
    assertHealthShowsRoles(leader);
  }

  @Test
  @Order(2)
  void passwordsReachPatroniOnlyThroughItsEnvironmentAndNeverArgvLogsOrFilesOthersCanRead()
      throws Exception {
    cluster.awaitHealthy(CLUSTER_GUARD);
    List<String> secrets = List.of(LauncherSandbox.PASSWORD, PatroniMember.REPLICATION_PASSWORD);

    for (long pid : OsProcesses.allPids()) {
      String commandLine = OsProcesses.commandLineText(pid);
      assertThat(secrets).as("argv of pid %d", pid).noneMatch(commandLine::contains);
    }
    for (PatroniMember member : members) {
      String patroniEnvironment = environmentOf(member.patroniPid());
      assertThat(patroniEnvironment)
          .contains("PATRONI_SUPERUSER_PASSWORD=", "PATRONI_REPLICATION_PASSWORD=")
          .as("a PGPASSWORD would override Patroni's pgpass")
          .doesNotContain("PGPASSWORD=");
      List<Long> postgres =
          member.sandbox().processesInside().stream()
              .filter(
                  pid ->
                      OsProcesses.workingDirectory(pid)
                          .filter(member.sandbox().data()::equals)
                          .isPresent())
              .toList();
      assertThat(postgres).as("postgres processes of %s", member.name()).isNotEmpty();
      for (long pid : postgres) {
        assertThat(secrets)
            .as("environment of postgres pid %d", pid)
            .noneMatch(environmentOf(pid)::contains);
      }
      assertThat(member.sandbox().allOutput())
          .as("%s's launcher output", member.name())
          .doesNotContain(secrets.get(0))
          .doesNotContain(secrets.get(1));
      for (Path file : filesUnder(member.sandbox().config())) {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (secrets.stream().anyMatch(content::contains)) {
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
              .as("%s holds a password", file)
              .isEqualTo("rw-------");
        }
      }
      assertThat(Files.readString(member.sandbox().config().resolve("patroni.yml")))
          .doesNotContain(secrets.get(0))
          .doesNotContain(secrets.get(1));
    }
    assertThat(members)
        .as("replicas made by pg_basebackup have Patroni's password file")
        .anyMatch(member -> Files.exists(member.passwordFile()));
  }

  @Test
  @Order(3)
  void switchoverThroughTheRestApiMovesTheLeadershipToTheSynchronousStandby() throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(CLUSTER_GUARD);
    PatroniMember candidate =
        cluster.replicasOf(leader).stream()
            .filter(PatroniMember::isSynchronousStandby)
            .findFirst()
            .orElseThrow();

    try (LeaderFollowingWriter writer = LeaderFollowingWriter.start(members, "switchover_writes")) {
      writer.awaitAcknowledged(PatroniCluster.WARM_UP_WRITES, CLUSTER_GUARD);
      long requested = System.nanoTime();
      String answer = leader.switchover(leader.name(), candidate.name());
      assertThat(answer).as("POST /switchover").startsWith("200");
      cluster.awaitUntil(
          candidate.name() + " leads and " + leader.name() + " follows",
          CLUSTER_GUARD,
          () -> candidate.isLeader() && leader.isReplica());
      writer.awaitAckElsewhereAfter(requested, leader.port(), CLUSTER_GUARD);
      assertHealthShowsRoles(candidate);

      System.out.printf(
          "[measured] switchover %s -> %s: longest time without an acknowledged write %d ms%n",
          leader.name(), candidate.name(), writer.longestGapFrom(requested).toMillis());
      writer.close();
      PatroniCluster.assertAcknowledgedRowsPresent(candidate, writer, "switchover_writes");
    }
  }

  @Test
  @Order(4)
  void patroniDyingEndsItsLauncherWith137AfterItsPostgresIsGoneAndTheMemberRejoins() {
    PatroniMember replica = cluster.replicasOf(cluster.awaitHealthy(CLUSTER_GUARD)).get(0);
    long patroni = replica.patroniPid();
    long postmaster = replica.postmasterPid();

    long killed = System.nanoTime();
    OsProcesses.send(PosixSignal.KILL, patroni);
    int exitCode = replica.launcher().awaitExit(RunningLauncher.HANG_GUARD);

    System.out.printf(
        "[measured] launcher exit %d ms after SIGKILL to Patroni%n",
        millis(System.nanoTime() - killed));
    assertThat(exitCode).as("128 + SIGKILL").isEqualTo(128 + PosixSignal.KILL.number());
    replica.sandbox().awaitNoProcessInside("of " + replica.name() + " after its launcher exited");
    assertThat(OsProcesses.isRunning(postmaster))
        .as("Patroni's postgres, which outlived it, runs")
        .isFalse();
    assertThat(replica.launcher().output()).contains("outlived Patroni");

    replica.start().awaitReady();
    cluster.awaitHealthy(CLUSTER_GUARD);
  }

  @Test
  @Order(5)
  void patroniExitingCleanlyWithoutTheLauncherAskingEndsTheLauncherWithOne() {
    PatroniMember replica = cluster.replicasOf(cluster.awaitHealthy(CLUSTER_GUARD)).get(0);

    OsProcesses.send(PosixSignal.TERM, replica.patroniPid()); // Patroni stops postgres and exits 0
    int exitCode = replica.launcher().awaitExit(RunningLauncher.HANG_GUARD);

    assertThat(exitCode)
        .as("a stop the launcher did not ask for, so that a restart policy acts")
        .isEqualTo(1);
    assertThat(replica.launcher().output())
        .contains("ended without the launcher asking it to (exited with code 0");
    replica.sandbox().awaitNoProcessInside("of " + replica.name() + " after its launcher exited");

    replica.start().awaitReady();
    cluster.awaitHealthy(CLUSTER_GUARD);
  }

  @Test
  @Order(6)
  void aPatroniThatIgnoresSigtermIsKilledWithItsPostgresWhenTimeoutRunsOut() {
    PatroniMember replica = cluster.replicasOf(cluster.awaitHealthy(CLUSTER_GUARD)).get(0);
    long postmaster = replica.postmasterPid();
    OsProcesses.send(
        PosixSignal.STOP, replica.patroniPid()); // a hung Patroni: it cannot act on SIGTERM

    long signalled = System.nanoTime();
    replica.launcher().signal(PosixSignal.TERM);
    int exitCode = replica.launcher().awaitExit(RunningLauncher.HANG_GUARD);

    System.out.printf(
        "[measured] stop of a hung Patroni: launcher exit %d ms after SIGTERM (TIMEOUT %d s)%n",
        millis(System.nanoTime() - signalled), LauncherSandbox.TIMEOUT_SECONDS);
    assertThat(exitCode).as("an unclean stop").isEqualTo(1);
    assertThat(replica.launcher().output()).contains("SIGKILL");
    replica.sandbox().awaitNoProcessInside("of " + replica.name() + " after its launcher exited");
    assertThat(OsProcesses.isRunning(postmaster)).as("Patroni's postgres runs").isFalse();

    replica.start().awaitReady();
    cluster.awaitHealthy(CLUSTER_GUARD);
  }

  @Test
  @Order(7)
  void sigtermToTheLeadersLauncherHandsOverWithoutLosingAnAcknowledgedRowAndTheOldLeaderRejoins()
      throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(CLUSTER_GUARD);
    try (LeaderFollowingWriter writer = LeaderFollowingWriter.start(members, "graceful_writes")) {
      writer.awaitAcknowledged(PatroniCluster.WARM_UP_WRITES, CLUSTER_GUARD);

      long signalled = System.nanoTime();
      Duration stop = leader.launcher().stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      LeaderFollowingWriter.Ack first =
          writer.awaitAckElsewhereAfter(signalled, leader.port(), CLUSTER_GUARD);
      PatroniMember newLeader = cluster.awaitLeader(CLUSTER_GUARD);

      Duration handover = Duration.ofNanos(first.nanos() - signalled);
      System.out.printf(
          "[measured] graceful handover %s -> %s: launcher exit %d ms, first write on the new leader"
              + " %d ms after SIGTERM (ttl %d s)%n",
          leader.name(), newLeader.name(), stop.toMillis(), handover.toMillis(), TTL);
      assertThat(newLeader).isNotSameAs(leader);
      // a clean stop (exit 0: no escalation, checked by stopCleanly) in which Patroni shut postgres
      // down and released the leader key instead of leaving it to expire; how long the handover
      // takes is bench/failover.sh's to measure
      assertThat(leader.launcher().output())
          .as("%s's launcher output", leader.name())
          .doesNotContain("leader key not removed");
      writer.close();
      PatroniCluster.assertAcknowledgedRowsPresent(newLeader, writer, "graceful_writes");
    }

    leader.start().awaitReady();
    PatroniMember after = cluster.awaitHealthy(CLUSTER_GUARD);
    assertThat(after).isNotSameAs(leader);
    assertThat(leader.isReplica()).as("%s rejoined as a replica", leader.name()).isTrue();
  }

  @Test
  @Order(8)
  void killingTheLeadersWholeProcessTreeFailsOverWithoutLosingAnAcknowledgedRow()
      throws SQLException {
    PatroniMember leader = cluster.awaitHealthy(CLUSTER_GUARD);
    String systemIdentifier = leader.sandbox().systemIdentifier();

    PatroniCluster.Failover failover =
        cluster.killLeaderWhileWriting(leader, "failover_writes", CLUSTER_GUARD);

    // the time is printed, not asserted: bench/failover.sh checks it against ttl + loop_wait
    System.out.printf(
        "[measured] failover after SIGKILL to %s's launcher, Patroni and postgres: first write on %s"
            + " %d ms later (ttl %d s, loop_wait %d s)%n",
        leader.name(),
        failover.newLeader().name(),
        failover.firstWrite().toMillis(),
        TTL,
        LOOP_WAIT);

    leader.start().awaitReady();
    cluster.awaitHealthy(CLUSTER_GUARD);
    assertThat(leader.isReplica()).as("%s rejoined as a replica", leader.name()).isTrue();
    assertThat(leader.launcher().output())
        .as("Patroni's log of the rejoin")
        .contains("pg_rewind exit code=0");
    assertThat(leader.sandbox().systemIdentifier())
        .as("PGDATA's system identifier: rewound, not re-cloned")
        .isEqualTo(systemIdentifier);
  }

  @Test
  @Order(9)
  void
      changedClusterWideSettingsAndPatroniTimingsOnALaterStartArePatchedIntoPatronisConfiguration() {
    PatroniMember leader = cluster.awaitHealthy(CLUSTER_GUARD);
    PatroniMember replica = cluster.replicasOf(leader).get(0);
    replica.launcher().stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

    // the last scenario: it may leave the cluster with other timings and without synchronous mode
    RunningLauncher restarted =
        replica.start(
            Map.of(
                "POSTGRESQL_MAX_CONNECTIONS",
                "130",
                "PATRONI_TTL",
                String.valueOf(TTL + 2),
                "PATRONI_SYNCHRONOUS_MODE",
                "false"));
    restarted.awaitReady();

    // the patch goes through etcd, and the leader's REST API serves the configuration of its last
    // loop: read until the change has reached it, then look at the whole of it
    cluster.awaitUntil(
        "GET /config on the leader shows max_connections 130",
        CLUSTER_GUARD,
        () ->
            leader
                .clusterConfig()
                .at("/postgresql/parameters/max_connections")
                .asText()
                .equals("130"));
    JsonNode config = leader.clusterConfig();
    assertThat(config.path("ttl").asInt()).as("ttl in GET /config").isEqualTo(TTL + 2);
    assertThat(config.path("synchronous_mode").asBoolean(true))
        .as("synchronous_mode in GET /config")
        .isFalse();
    assertThat(config.path("loop_wait").asInt()).as("loop_wait, unchanged").isEqualTo(LOOP_WAIT);
    assertThat(restarted.output())
        .contains("changed cluster-wide settings")
        .contains("max_connections 120 -> 130")
        .contains(
            "changed Patroni's cluster-wide configuration: synchronous_mode true -> false, ttl 10 -> 12");
    cluster.awaitUntil(
        "the leader reports the restart the new value needs",
        CLUSTER_GUARD,
        () ->
            leader
                .status()
                .map(status -> status.path("pending_restart").asBoolean())
                .orElse(false));
    JsonNode patroniCheck =
        check(
            leader
                .health()
                .await(
                    "/health/patroni",
                    response ->
                        check(response, "patroni")
                            .path("details")
                            .path("pending_restart")
                            .asBoolean(),
                    leader.launcher()),
            "patroni");
    assertThat(patroniCheck.path("status").asText())
        .as("health of a leader with a pending restart")
        .isEqualTo("DEGRADED");
  }

  /**
   * Every member's health endpoint shows the role Patroni gave it: {@code /health/patroni} UP with
   * role and state from Patroni, {@code /health/postgresql} from the server itself, and the {@code
   * pgcontainer_role} gauge. The endpoint refreshes its probes every second and a member may still
   * be starting in its new role, so each answer is awaited (at most {@link
   * RunningLauncher#HANG_GUARD}).
   */
  private void assertHealthShowsRoles(PatroniMember leader) {
    for (PatroniMember member : members) {
      String role = member == leader ? "primary" : "replica";
      HealthProbing health = member.health();
      JsonNode patroni =
          check(
              health.await(
                  "/health/patroni",
                  response -> isUpAs(check(response, "patroni"), role),
                  member.launcher()),
              "patroni");
      assertThat(patroni.path("details").path("state").asText()).isEqualTo("running");
      assertThat(patroni.path("details").path("pending_restart").isBoolean())
          .as("pending_restart in %s", patroni)
          .isTrue();
      JsonNode postgresql =
          check(
              health.await(
                  "/health/postgresql",
                  response -> isUpAs(check(response, "postgresql"), role),
                  member.launcher()),
              "postgresql");
      assertThat(postgresql.path("reason").asText()).startsWith(role);
      health.await(
          "/metrics",
          response -> response.body().contains("pgcontainer_role{role=\"" + role + "\"} 1.0"),
          member.launcher());
    }
  }

  /**
   * UP in {@code role}; a member on its way there (a demoted leader restarts as a replica) is
   * STARTING a while.
   */
  private static boolean isUpAs(JsonNode check, String role) {
    return check.path("status").asText().equals("UP")
        && check.path("details").path("role").asText().equals(role);
  }

  /** One check of a {@code /health/...} answer. */
  private static JsonNode check(HttpResponse<String> response, String name) {
    try {
      return JSON.readTree(response.body()).path("checks").path(name);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static String environmentOf(long pid) {
    return OsProcesses.environment(pid)
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .orElse("");
  }

  private static List<Path> filesUnder(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
