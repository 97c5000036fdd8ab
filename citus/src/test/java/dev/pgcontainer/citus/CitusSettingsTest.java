package dev.pgcontainer.citus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.ServerSettingsValidator;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.patroni.PatroniRules;
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
    return Settings.fromEnvironment(
        env,
        HOST,
        ServerSettingsValidator.offline(),
        List.of(new PatroniRules(), new CitusRules()),
        List.of(),
        List.of());
  }

  private static CitusSettings citus(Map<String, String> env) {
    return CitusSettings.of(load(env));
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

    assertThat(CitusSettings.of(settings).group()).isEqualTo(OptionalInt.of(1));
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
            citus(underPatroni("CITUS_ROLE", role, "CITUS_GROUP", String.valueOf(group))).group())
        .isEqualTo(OptionalInt.of(group));
  }

  @Test
  void aCoordinatorUnderPatroniWithoutAGroupIsGroupZero() {
    assertThat(citus(underPatroni("CITUS_ROLE", "coordinator")).group())
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
    assertThat(citus(env("CITUS_NODE_HOST", value)).nodeHost()).isEqualTo(value);
  }

  @Test
  void theNodeHostDefaultsToTheHostName() {
    assertThat(citus(env()).nodeHost()).isEqualTo(HOST);
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

    assertThat(citus(env).nodeHost()).isEqualTo(nodeHost);
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

    assertThat(CitusSettings.of(settings).enabled()).isFalse();
    assertThat(List.copyOf(settings.warnings())).noneMatch(warning -> warning.contains("CITUS_"));
  }

  @Test
  void badPatroniEnableIsReportedOnceEvenWhenTheCitusRulesReadIt() {
    assertThat(
            onlyProblem(
                env(
                    "PATRONI_ENABLE", "yes",
                    "CITUS_ENABLE", "true",
                    "CITUS_ROLE", "worker",
                    "CITUS_COORDINATOR_HOST", "coord")))
        .isEqualTo(ConfigurationProblem.of("PATRONI_ENABLE", "yes", "must be true or false"));
  }

  @Test
  void defaults() {
    assertThat(citus(env()))
        .isEqualTo(
            new CitusSettings(
                false,
                CitusRole.STANDALONE,
                "localhost",
                5432,
                false,
                HOST,
                "postgres",
                OptionalInt.of(0)));
  }

  @Test
  void everyVariableReachesItsSetting() {
    assertThat(
            citus(
                env(
                    "CITUS_ENABLE", "true",
                    "CITUS_ROLE", "Worker",
                    "CITUS_COORDINATOR_HOST", "coord.svc",
                    "CITUS_COORDINATOR_PORT", "6432",
                    "CITUS_AUTO_REGISTER_WORKERS", "true",
                    "CITUS_NODE_HOST", "worker-1.svc",
                    "CITUS_DATABASE", "analytics",
                    "CITUS_GROUP", "2")))
        .isEqualTo(
            new CitusSettings(
                true,
                CitusRole.WORKER,
                "coord.svc",
                6432,
                true,
                "worker-1.svc",
                "analytics",
                OptionalInt.of(2)));
  }

  @Test
  void theDatabaseDefaultsToPostgresDbAndThatToTheUser() {
    assertThat(citus(env("POSTGRES_USER", "app")).database()).isEqualTo("app");
    assertThat(citus(env("POSTGRES_USER", "app", "POSTGRES_DB", "shop")).database())
        .isEqualTo("shop");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void aBlankNodeHostFallsBackToTheHostName(String blank) {
    assertThat(citus(env("CITUS_NODE_HOST", blank)).nodeHost()).isEqualTo(HOST);
  }

  @Test
  void theHostNameComesFromTheHostnameVariable() {
    assertThat(CitusSettings.of(TestSettings.of(env("HOSTNAME", "pod-3"))).nodeHost())
        .isEqualTo("pod-3");
  }

  @ParameterizedTest
  @CsvSource({"standalone, 0", "coordinator, 0", "worker, -1"})
  void theGroupDefaultsToZeroExceptForWorkers(String role, int group) {
    assertThat(citus(env("CITUS_ROLE", role)).group())
        .isEqualTo(group < 0 ? OptionalInt.empty() : OptionalInt.of(group));
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "TRUE", "True"})
  void booleansInAnyCase(String spelling) {
    CitusSettings citus =
        citus(env("CITUS_ENABLE", spelling, "CITUS_AUTO_REGISTER_WORKERS", spelling));

    assertThat(List.of(citus.enabled(), citus.autoRegisterWorkers())).containsOnly(true);
  }

  @ParameterizedTest
  @CsvSource({
    "CITUS_ENABLE, yes, must be true or false",
    "CITUS_AUTO_REGISTER_WORKERS, ' true ', 'must be true or false, without spaces around it'",
    "CITUS_ROLE, primary, 'must be one of standalone, coordinator, worker'"
  })
  void aBadValueIsAProblemNamingVariableAndValue(String variable, String value, String message) {
    assertThat(onlyProblem(env(variable, value)))
        .isEqualTo(ConfigurationProblem.of(variable, value, message));
  }

  @ParameterizedTest
  @CsvSource({
    "CITUS_COORDINATOR_PORT, 0",
    "CITUS_COORDINATOR_PORT, 65536",
    "CITUS_COORDINATOR_PORT, http",
    "CITUS_COORDINATOR_PORT, 0x1538",
    "CITUS_COORDINATOR_PORT, +5432",
    "CITUS_GROUP, -1"
  })
  void outOfRangeOrNonNumericIsAProblemNamingVariableAndValue(String variable, String value) {
    ConfigurationProblem problem = onlyProblem(env(variable, value));

    assertThat(problem.variable()).isEqualTo(variable);
    assertThat(problem.value()).contains(value);
    assertThat(problem.message()).startsWith("must be a whole number from ");
  }

  @Test
  void theDatabaseIsAnIdentifierOfAtMost63Bytes() {
    assertThat(citus(env("CITUS_DATABASE", "n".repeat(63))).database()).isEqualTo("n".repeat(63));
    assertThat(onlyProblem(env("CITUS_DATABASE", "n".repeat(64))).variable())
        .isEqualTo("CITUS_DATABASE");
    assertThat(onlyProblem(env("CITUS_DATABASE", "two\nlines")).variable())
        .isEqualTo("CITUS_DATABASE");
  }

  @Test
  void aBlankCoordinatorHostIsAProblem() {
    assertThat(onlyProblem(env("CITUS_COORDINATOR_HOST", "  ")).variable())
        .isEqualTo("CITUS_COORDINATOR_HOST");
  }

  @ParameterizedTest
  @CsvSource({"CITUS_ENABLED, true, CITUS_ENABLE", "CITUS_ROLE, workr, worker"})
  void aNearMissSuggestsTheRightSpelling(String variable, String value, String suggestion) {
    ConfigurationProblem problem = onlyProblem(env(variable, value));

    assertThat(problem.variable()).isEqualTo(variable);
    assertThat(problem.message()).contains("did you mean " + suggestion + "?");
  }

  @Test
  void aFarOffNameUnderTheCitusPrefixIsAWarning() {
    assertThat(load(env("CITUS_SHARD_COUNT", "x")).warnings())
        .containsExactly("CITUS_SHARD_COUNT is not a pgcontainer variable and is ignored");
  }

  @Test
  void aWorkerUnderPatroniWithoutAGroupIsAProblem() {
    assertThat(onlyProblem(underPatroni("CITUS_ROLE", "worker", "CITUS_COORDINATOR_HOST", "coord")))
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("CITUS_GROUP");
              assertThat(problem.message()).contains("group number");
            });
  }
}
