package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.supervision.PosixSignal;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * Issue 15, item 12: members with different environments no longer fight over Patroni's
 * cluster-wide configuration. Three real launchers on one etcd change {@code
 * POSTGRESQL_MAX_CONNECTIONS} one at a time, as a rolling change does; the value a member patches
 * stays, whatever the members still on the old environment say at their restarts, and a change made
 * with {@code PATCH /config} (what {@code patronictl edit-config} sends) survives restarts and
 * SIGHUP of members whose environment did not change. Each member's {@code GET /config} answers
 * from its own view of etcd, so every check of the DCS waits until all three agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniRollingChangeIT {

  /** Not a requirement: keeps a broken cluster from hanging the build on a loaded machine. */
  private static final Duration CLUSTER_GUARD = Duration.ofSeconds(120);

  private static final String OLD = "100";
  private static final String NEW = "110";
  private static final String EDITED = "120";

  private static final Map<String, String> CLUSTER_ENVIRONMENT =
      Map.of(
          "PATRONI_TTL", "10",
          "PATRONI_LOOP_WAIT", "2",
          "PATRONI_RETRY_TIMEOUT", "4",
          "PATRONI_NAMESPACE", "/pgcontainer-rolling-it/",
          "POSTGRESQL_MAX_CONNECTIONS", OLD);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATCHED = "changed cluster-wide settings";
  private static final String MEMORY_FILE = "pgcontainer-cluster-wide.json";

  private PatroniCluster cluster;
  private PatroniMember a;
  private PatroniMember b;
  private PatroniMember c;

  @RegisterExtension
  final TestWatcher printMembersOnFailure =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          cluster.printMembers();
        }
      };

  @BeforeAll
  void startEtcdAndThreeMembers() {
    cluster = PatroniCluster.create(CLUSTER_ENVIRONMENT);
    List<PatroniMember> members = cluster.members();
    a = members.get(0);
    b = members.get(1);
    c = members.get(2);
    members.forEach(PatroniMember::start);
  }

  @AfterAll
  void killEverythingAndStopEtcd() {
    cluster.close();
  }

  @Test
  @Order(1)
  void eachMemberRemembersInItsPgdataTheValuesItStartedWith() throws IOException {
    cluster.awaitHealthy(CLUSTER_GUARD);
    cluster.members().forEach(member -> member.launcher().awaitReady());

    awaitClusterValue(OLD);
    for (PatroniMember member : cluster.members()) {
      JsonNode memory = JSON.readTree(member.sandbox().data().resolve(MEMORY_FILE).toFile());
      assertThat(memory.path("member").asText())
          .as("the memory's member in %s's PGDATA", member.name())
          .isEqualTo(member.name());
      assertThat(memory.at("/parameters/max_connections").asText()).isEqualTo(OLD);
      assertThat(memory.at("/patroni/ttl").asText()).isEqualTo("10");
      assertThat(member.launcher().output()).doesNotContain(PATCHED);
    }
  }

  @Test
  @Order(2)
  void aRollingChangeIsPatchedByTheFirstMemberAndNotUndoneByMembersStillOnTheOldEnvironment() {
    RunningLauncher first = restart(a, NEW);
    assertThat(first.output()).contains(PATCHED, "max_connections " + OLD + " -> " + NEW);
    awaitClusterValue(NEW);

    for (PatroniMember late : List.of(b, c)) {
      RunningLauncher old = restart(late, OLD);
      assertThat(old.output())
          .as("%s, restarted with the old environment", late.name())
          .doesNotContain(PATCHED)
          .contains(
              "the cluster-wide configuration stays as the cluster has it, max_connections "
                  + NEW
                  + " where the environment says "
                  + OLD);
      awaitClusterValue(NEW);
    }

    for (PatroniMember late : List.of(b, c)) {
      RunningLauncher caughtUp = restart(late, NEW);
      assertThat(caughtUp.output())
          .as("%s, restarted with the new environment", late.name())
          .doesNotContain(PATCHED)
          .doesNotContain("stays as the cluster has it");
      awaitClusterValue(NEW);
      cluster.awaitUntil(
          late.name() + " runs with max_connections " + NEW,
          CLUSTER_GUARD,
          () -> PatroniCluster.queryOn(late, "SHOW max_connections").equals(NEW));
    }
  }

  @Test
  @Order(3)
  void aChangeMadeWithPatchConfigSurvivesRestartsAndSighupOfMembersWhoseEnvironmentDidNotChange() {
    cluster.awaitHealthy(CLUSTER_GUARD);
    assertThat(
            a.patchClusterConfig(
                "{\"postgresql\": {\"parameters\": {\"max_connections\": " + EDITED + "}}}"))
        .startsWith("200 ");
    awaitClusterValue(EDITED);

    String standing =
        "the cluster-wide configuration stays as the cluster has it, max_connections "
            + EDITED
            + " where the environment says "
            + NEW;
    RunningLauncher restarted = restart(c, NEW);
    assertThat(restarted.output()).doesNotContain(PATCHED).contains(standing);
    awaitClusterValue(EDITED);

    restarted.signal(PosixSignal.HUP);
    cluster.awaitUntil(
        "the launcher of " + c.name() + " compares again after SIGHUP",
        CLUSTER_GUARD,
        () -> occurrences(restarted.output(), standing) == 2);
    assertThat(restarted.output()).doesNotContain(PATCHED);
    awaitClusterValue(EDITED);
  }

  /**
   * Stops {@code member}'s launcher cleanly, starts it with max_connections {@code value}, awaits
   * ready and health.
   */
  private RunningLauncher restart(PatroniMember member, String value) {
    member.launcher().stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    RunningLauncher launcher = member.start(Map.of("POSTGRESQL_MAX_CONNECTIONS", value));
    launcher.awaitReady();
    cluster.awaitHealthy(CLUSTER_GUARD);
    return launcher;
  }

  /** Waits until every member's {@code GET /config} holds max_connections {@code value}. */
  private void awaitClusterValue(String value) {
    cluster.awaitUntil(
        "max_connections " + value + " in every member's GET /config",
        CLUSTER_GUARD,
        () ->
            cluster.members().stream()
                .allMatch(member -> maxConnectionsInConfig(member).equals(Optional.of(value))));
  }

  private static Optional<String> maxConnectionsInConfig(PatroniMember member) {
    try {
      return Optional.of(
          member.clusterConfig().at("/postgresql/parameters/max_connections").asText());
    } catch (AssertionError | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static int occurrences(String text, String part) {
    Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }
}
