package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules of CITUS_*: what each role needs with and without Patroni, CITUS_GROUP,
 * CITUS_NODE_HOST, reachability.
 */
class CitusSettingsTest {

  private static final String HOST = "node-7.example.internal";
  private static final String PASSWORD = "Pw-LeakCanary-5e1b";
  private static final String REPLICATION_PASSWORD = "Repl-LeakCanary-77c0";

  /** A valid environment with a password, plus {@code namesAndValues}. */
  private static Map<String, String> env(String... namesAndValues) {
    Map<String, String> env = new HashMap<>(Map.of("POSTGRES_PASSWORD", PASSWORD));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  /** As {@link #env}, as a Citus node under Patroni. */
  private static Map<String, String> underPatroni(String... namesAndValues) {
    Map<String, String> env = env(namesAndValues);
    env.putAll(
        Map.of(
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            REPLICATION_PASSWORD,
            "CITUS_ENABLE",
            "true"));
    return env;
  }

  private static Settings load(Map<String, String> env) {
    return Settings.fromEnvironment(env, HOST, ServerSettingsValidator.offline());
  }

  private static ConfigurationProblem onlyProblem(Map<String, String> env) {
    ConfigurationException failure =
        catchThrowableOfType(ConfigurationException.class, () -> load(env));
    assertThat(failure).as("ConfigurationException for %s", env.keySet()).isNotNull();
    assertThat(failure.problems()).hasSize(1);
    return failure.problems().get(0);
  }

  @Test
  void aWorkerUnderPatroniNeedsNoCoordinatorHostAsPatroniFindsTheCoordinatorInEtcd() {
    Settings settings = load(underPatroni("CITUS_ROLE", "worker", "CITUS_GROUP", "1"));

    assertThat(settings.citus().group()).isEqualTo(OptionalInt.of(1));
    assertThat(settings.warnings()).noneMatch(warning -> warning.contains("CITUS_"));
  }

  @Test
  void aCoordinatorHostGivenToAWorkerUnderPatroniIsIgnoredWithAWarning() {
    Settings settings =
        load(
            underPatroni(
                "CITUS_ROLE", "worker", "CITUS_GROUP", "1", "CITUS_COORDINATOR_HOST", "c"));

    assertThat(settings.warnings())
        .anySatisfy(
            warning ->
                assertThat(warning)
                    .startsWith("CITUS_COORDINATOR_HOST is ignored with PATRONI_ENABLE=true"));
  }

  @Test
  void autoRegistrationUnderPatroniIsIgnoredWithAWarning() {
    Settings settings =
        load(
            underPatroni(
                "CITUS_ROLE", "worker", "CITUS_GROUP", "2", "CITUS_AUTO_REGISTER_WORKERS", "true"));

    assertThat(settings.warnings())
        .anySatisfy(
            warning ->
                assertThat(warning)
                    .startsWith(
                        "CITUS_AUTO_REGISTER_WORKERS=true is ignored with PATRONI_ENABLE=true")
                    .contains("PATRONI_CONNECT_ADDRESS"));
  }

  @Test
  void aWorkerWithoutPatroniStillNeedsItsCoordinator() {
    ConfigurationProblem problem = onlyProblem(env("CITUS_ENABLE", "true", "CITUS_ROLE", "worker"));

    assertThat(problem.variable()).isEqualTo("CITUS_COORDINATOR_HOST");
  }

  @ParameterizedTest
  @CsvSource({
    "worker, 0, 'a worker''s group is 1 or more (group 0 is the coordinator''s)'",
    "coordinator, 1, 'a coordinator is group 0: set CITUS_GROUP=0 or leave it unset'",
    "standalone, 3, 'a standalone is group 0'"
  })
  void aGroupThatDoesNotFitTheRoleUnderPatroniIsAProblemNamingGroupAndValue(
      String role, String group, String why) {
    ConfigurationProblem problem =
        onlyProblem(underPatroni("CITUS_ROLE", role, "CITUS_GROUP", group));

    assertThat(problem.variable()).isEqualTo("CITUS_GROUP");
    assertThat(problem.value()).contains(group);
    assertThat(problem.message()).contains(why);
    assertThat(problem.toString()).startsWith("CITUS_GROUP='" + group + "': ");
  }

  @ParameterizedTest
  @CsvSource({"worker, 1", "worker, 12", "coordinator, 0", "standalone, 0"})
  void aGroupThatFitsTheRoleUnderPatroniIsAccepted(String role, int group) {
    assertThat(
            load(underPatroni("CITUS_ROLE", role, "CITUS_GROUP", String.valueOf(group)))
                .citus()
                .group())
        .isEqualTo(OptionalInt.of(group));
  }

  @Test
  void aCoordinatorUnderPatroniWithoutAGroupIsGroupZero() {
    assertThat(load(underPatroni("CITUS_ROLE", "coordinator")).citus().group())
        .isEqualTo(OptionalInt.of(0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "w1:5432",
        "worker-1:5432",
        "[fd00::5]",
        "[::1]:5432",
        "http://worker-1",
        "worker 1",
        "-worker",
        "worker-.svc",
        "worker..svc",
        "w1/0",
        "1:5432"
      })
  void aNodeHostThatIsNoPlainHostIsAProblemNamingIt(String value) {
    ConfigurationProblem problem = onlyProblem(env("CITUS_NODE_HOST", value));

    assertThat(problem.variable()).isEqualTo("CITUS_NODE_HOST");
    assertThat(problem.value()).contains(value);
    assertThat(problem.message()).startsWith("must be a host name or an IP address without a port");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "worker-1",
        "worker-1.db.svc.cluster.local",
        "10.0.0.5",
        "fd00::5",
        "::1",
        "pg_worker_1",
        "W1"
      })
  void aPlainHostNameOrAddressIsAcceptedAsNodeHost(String value) {
    assertThat(load(env("CITUS_NODE_HOST", value)).citus().nodeHost()).isEqualTo(value);
  }

  @Test
  void theNodeHostDefaultsToTheHostName() {
    assertThat(load(env()).citus().nodeHost()).isEqualTo(HOST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"coordinator", "worker"})
  void aCoordinatorOrWorkerWithoutExternalAccessIsAProblemAsNoOtherNodeCouldReachIt(String role) {
    ConfigurationProblem problem =
        onlyProblem(
            env(
                "CITUS_ENABLE",
                "true",
                "CITUS_ROLE",
                role,
                "CITUS_COORDINATOR_HOST",
                "coordinator",
                "CITUS_NODE_HOST",
                "node-a",
                "EXTERNAL_ACCESS_ENABLE",
                "false"));

    assertThat(problem.variable()).isEqualTo("EXTERNAL_ACCESS_ENABLE");
    assertThat(problem.value()).isEqualTo(Optional.of("false"));
    assertThat(problem.message())
        .contains(
            "a Citus "
                + role
                + " is reached by the other nodes over TCP at"
                + " CITUS_NODE_HOST=node-a")
        .contains("set EXTERNAL_ACCESS_ENABLE=true");
  }

  @Test
  void withoutExternalAccessTheNodeHostDefaultIsJudgedToo() {
    assertThat(
            onlyProblem(
                    env(
                        "CITUS_ENABLE",
                        "true",
                        "CITUS_ROLE",
                        "coordinator",
                        "EXTERNAL_ACCESS_ENABLE",
                        "false"))
                .message())
        .contains("CITUS_NODE_HOST=" + HOST);
  }

  @ParameterizedTest
  @CsvSource({
    "coordinator, 127.0.0.1, false",
    "worker, localhost, false",
    "worker, ::1, false",
    "standalone, node-a, false",
    "coordinator, node-a, true"
  })
  void nodesOnOneHostAStandaloneNodeOrPatroniNeedNoExternalAccess(
      String role, String nodeHost, boolean patroni) {
    Map<String, String> env =
        env(
            "CITUS_ENABLE",
            "true",
            "CITUS_ROLE",
            role,
            "CITUS_COORDINATOR_HOST",
            "127.0.0.1",
            "CITUS_NODE_HOST",
            nodeHost,
            "EXTERNAL_ACCESS_ENABLE",
            "false");
    if (patroni) {
      env.putAll(underPatroni());
    }

    assertThat(load(env).citus().nodeHost()).isEqualTo(nodeHost);
  }

  @Test
  void withCitusOffNoCitusRuleApplies() {
    Settings settings =
        load(
            env(
                "CITUS_ROLE",
                "worker",
                "CITUS_GROUP",
                "0",
                "PATRONI_ENABLE",
                "true",
                "PATRONI_REPLICATION_PASSWORD",
                REPLICATION_PASSWORD,
                "EXTERNAL_ACCESS_ENABLE",
                "false"));

    assertThat(settings.citus().enabled()).isFalse();
    assertThat(List.copyOf(settings.warnings())).noneMatch(warning -> warning.contains("CITUS_"));
  }
}
