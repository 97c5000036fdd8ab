package dev.pgcontainer.patroni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.ServerSettingsValidator;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code PATRONI_*} variables as {@link PatroniRules} read them, with core's. */
class PatroniSettingsTest {

  private static final String HOST = "node-7.example.internal";

  /** Distinctive enough that finding it anywhere in output can only mean a leak. */
  private static final String PASSWORD = "Pw-LeakCanary-7f3c9e1d";

  private static final String REPLICATION_PASSWORD = "Repl-LeakCanary-42ab";

  /** Exactly the given variables. */
  private static Map<String, String> envOf(String... namesAndValues) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  /**
   * The smallest valid environment (external access needs a password), plus the given variables.
   */
  private static Map<String, String> minimalEnv(String... namesAndValues) {
    Map<String, String> env = envOf("POSTGRES_PASSWORD", PASSWORD);
    env.putAll(envOf(namesAndValues));
    return env;
  }

  /** Read as the launcher reads them. */
  private static Settings settings(Map<String, String> env) {
    return Settings.fromEnvironment(
        env,
        HOST,
        ServerSettingsValidator.offline(),
        List.of(new PatroniRules()),
        List.of(),
        List.of());
  }

  private static PatroniSettings load(Map<String, String> env) {
    return PatroniSettings.of(settings(env));
  }

  private static ConfigurationException failure(Map<String, String> env) {
    ConfigurationException failure =
        catchThrowableOfType(ConfigurationException.class, () -> settings(env));
    assertThat(failure).as("ConfigurationException for %s", env.keySet()).isNotNull();
    return failure;
  }

  private static List<ConfigurationProblem> problems(Map<String, String> env) {
    return failure(env).problems();
  }

  private static List<String> problemVariables(Map<String, String> env) {
    return problems(env).stream().map(ConfigurationProblem::variable).collect(Collectors.toList());
  }

  @Test
  void defaults() {
    assertThat(load(minimalEnv()))
        .isEqualTo(
            new PatroniSettings(
                false,
                "postgres-cluster",
                HOST,
                "/service/",
                List.of(new HostPort("localhost", 2379)),
                new HostPort("0.0.0.0", 8008),
                HOST,
                "replicator",
                Optional.empty(),
                30,
                10,
                10,
                false,
                WatchdogMode.OFF,
                Path.of("/dev/watchdog"),
                5));
  }

  @Test
  void withoutTheRulesPatroniIsOff() {
    assertThat(PatroniSettings.of(Settings.fromEnvironment(minimalEnv("PATRONI_ENABLE", "true"))))
        .extracting(PatroniSettings::enabled)
        .isEqualTo(false);
  }

  @Test
  void everyVariableReachesItsSetting() {
    assertThat(
            load(
                minimalEnv(
                    "PATRONI_ENABLE", "true",
                    "PATRONI_SCOPE", "shop-cluster",
                    "PATRONI_NAME", "member-1",
                    "PATRONI_NAMESPACE", "/db/",
                    "PATRONI_ETCD_HOSTS", "etcd1:2379, [fd00::3]:2380",
                    "PATRONI_RESTAPI_LISTEN", "[::]:8009",
                    "PATRONI_CONNECT_ADDRESS", "10.0.0.7",
                    "PATRONI_REPLICATION_USER", "standby",
                    "PATRONI_REPLICATION_PASSWORD", REPLICATION_PASSWORD,
                    "PATRONI_TTL", "40",
                    "PATRONI_LOOP_WAIT", "5",
                    "PATRONI_RETRY_TIMEOUT", "15",
                    "PATRONI_SYNCHRONOUS_MODE", "true",
                    "PATRONI_WATCHDOG_MODE", "required",
                    "PATRONI_WATCHDOG_DEVICE", "/dev/watchdog1",
                    "PATRONI_WATCHDOG_SAFETY_MARGIN", "0")))
        .isEqualTo(
            new PatroniSettings(
                true,
                "shop-cluster",
                "member-1",
                "/db/",
                List.of(new HostPort("etcd1", 2379), new HostPort("fd00::3", 2380)),
                new HostPort("::", 8009),
                "10.0.0.7",
                "standby",
                Optional.of(Secret.of(REPLICATION_PASSWORD)),
                40,
                5,
                15,
                true,
                WatchdogMode.REQUIRED,
                Path.of("/dev/watchdog1"),
                0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void blankHostDerivedNamesFallBackToTheHostName(String blank) {
    PatroniSettings custom =
        load(minimalEnv("PATRONI_NAME", blank, "PATRONI_CONNECT_ADDRESS", blank));

    assertThat(List.of(custom.name(), custom.connectAddress())).containsOnly(HOST);
  }

  @Test
  void theHostNameComesFromTheHostnameVariable() {
    Map<String, String> env = minimalEnv("HOSTNAME", "pod-3");

    assertThat(
            PatroniSettings.of(Settings.fromEnvironment(env, List.of(new PatroniRules()))).name())
        .isEqualTo("pod-3");
  }

  @Nested
  class Values {

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True"})
    void booleansInAnyCase(String spelling) {
      PatroniSettings patroni =
          load(
              minimalEnv(
                  "PATRONI_ENABLE", spelling,
                  "PATRONI_SYNCHRONOUS_MODE", spelling,
                  "PATRONI_REPLICATION_PASSWORD", REPLICATION_PASSWORD));

      assertThat(List.of(patroni.enabled(), patroni.synchronousMode())).containsOnly(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", " true "})
    void otherBooleanSpellingsAreAProblemForEachVariable(String spelling) {
      assertThat(
              problemVariables(
                  minimalEnv("PATRONI_ENABLE", spelling, "PATRONI_SYNCHRONOUS_MODE", spelling)))
          .containsExactlyInAnyOrder("PATRONI_ENABLE", "PATRONI_SYNCHRONOUS_MODE");
    }

    @ParameterizedTest
    @CsvSource({
      "PATRONI_TTL, 0",
      "PATRONI_LOOP_WAIT, ten",
      "PATRONI_RETRY_TIMEOUT, -1",
      "PATRONI_WATCHDOG_SAFETY_MARGIN, -1"
    })
    void outOfRangeOrNonNumericIsAProblemNamingVariableAndValue(String variable, String value) {
      assertThat(problems(minimalEnv(variable, value)))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.value()).contains(value);
                assertThat(problem.message()).startsWith("must be a whole number from ");
              });
    }

    @ParameterizedTest
    @CsvSource({"[::1]:2379, ::1, 2379", "localhost:8008, localhost, 8008"})
    void restApiListenIsAHostAndPort(String value, String host, int port) {
      assertThat(load(minimalEnv("PATRONI_RESTAPI_LISTEN", value)).restApiListen())
          .isEqualTo(new HostPort(host, port))
          .hasToString(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", "[::1]", "http://localhost:8080"})
    void malformedRestApiListenIsAProblem(String value) {
      assertThat(problemVariables(minimalEnv("PATRONI_RESTAPI_LISTEN", value)))
          .containsExactly("PATRONI_RESTAPI_LISTEN");
    }

    @Test
    void etcdHostsAreACommaSeparatedListInOrder() {
      assertThat(
              load(minimalEnv("PATRONI_ETCD_HOSTS", "etcd2:2379, etcd1:2379,,[::1]:2379,"))
                  .etcdHosts())
          .containsExactly(
              new HostPort("etcd2", 2379), new HostPort("etcd1", 2379), new HostPort("::1", 2379));
    }

    @Test
    void everyBadEtcdHostIsReported() {
      assertThat(problems(minimalEnv("PATRONI_ETCD_HOSTS", "etcd1:2379,etcd2,http://etcd3:2379")))
          .extracting(ConfigurationProblem::variable, ConfigurationProblem::value)
          .containsExactly(
              tuple("PATRONI_ETCD_HOSTS", Optional.of("etcd2")),
              tuple("PATRONI_ETCD_HOSTS", Optional.of("http://etcd3:2379")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , "})
    void noEtcdHostAtAllIsAProblem(String value) {
      assertThat(problemVariables(minimalEnv("PATRONI_ETCD_HOSTS", value)))
          .containsExactly("PATRONI_ETCD_HOSTS");
    }

    @ParameterizedTest
    @CsvSource({"off, OFF", "automatic, AUTOMATIC"})
    void watchdogMode(String value, WatchdogMode mode) {
      assertThat(load(minimalEnv("PATRONI_WATCHDOG_MODE", value)).watchdogMode()).isEqualTo(mode);
    }

    @Test
    void unknownWatchdogModeListsTheAcceptedValues() {
      assertThat(problems(minimalEnv("PATRONI_WATCHDOG_MODE", "on")))
          .singleElement()
          .isEqualTo(
              ConfigurationProblem.of(
                  "PATRONI_WATCHDOG_MODE", "on", "must be one of off, automatic, required"));
    }

    @Test
    void replicationUserOf63BytesIsAccepted() {
      assertThat(load(minimalEnv("PATRONI_REPLICATION_USER", "n".repeat(63))).replicationUser())
          .isEqualTo("n".repeat(63));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two\nlines", "pg_evil"})
    void badReplicationUserIsAProblem(String value) {
      assertThat(problemVariables(minimalEnv("PATRONI_REPLICATION_USER", value)))
          .containsExactly("PATRONI_REPLICATION_USER");
      assertThat(problemVariables(minimalEnv("PATRONI_REPLICATION_USER", "n".repeat(64))))
          .containsExactly("PATRONI_REPLICATION_USER");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATRONI_SCOPE", "PATRONI_NAMESPACE"})
    void blankRequiredNameIsAProblem(String variable) {
      assertThat(problemVariables(minimalEnv(variable, "  "))).containsExactly(variable);
    }
  }

  @Nested
  class Secrets {

    @TempDir Path directory;

    private Path writeFile(String content) throws IOException {
      return Files.writeString(
          Files.createTempFile(directory, "value", ".txt"), content, StandardCharsets.UTF_8);
    }

    @Test
    void replicationPasswordComesFromItsFile() throws IOException {
      Map<String, String> env =
          minimalEnv("PATRONI_REPLICATION_PASSWORD_FILE", writeFile("Repl-from-file\n").toString());

      assertThat(load(env).replicationPassword().map(Secret::reveal)).contains("Repl-from-file");
    }

    @Test
    void settingsToStringRedactsBothPasswords() {
      Settings settings =
          settings(
              minimalEnv(
                  "PATRONI_ENABLE", "true", "PATRONI_REPLICATION_PASSWORD", REPLICATION_PASSWORD));

      assertThat(settings.toString())
          .contains("<redacted>")
          .doesNotContain(PASSWORD)
          .doesNotContain(REPLICATION_PASSWORD);
    }

    static Stream<Arguments> environmentsWithASecretAndAProblem() {
      return Stream.of(
          Arguments.of(
              "Patroni rules fail",
              envOf("POSTGRES_PASSWORD", PASSWORD, "PATRONI_ENABLE", "true", "PATRONI_TTL", "5")),
          Arguments.of(
              "replication password both ways",
              envOf(
                  "POSTGRES_PASSWORD", "x",
                  "PATRONI_REPLICATION_PASSWORD", PASSWORD,
                  "PATRONI_REPLICATION_PASSWORD_FILE", "/run/secrets/repl")),
          Arguments.of(
              "replication password typo",
              envOf("POSTGRES_PASSWORD", "x", "PATRONI_REPLICATON_PASWORD", PASSWORD)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentsWithASecretAndAProblem")
    void configurationProblemsNeverContainTheSecret(String situation, Map<String, String> env) {
      ConfigurationException failure = failure(env);

      assertThat(failure.getMessage()).doesNotContain(PASSWORD);
      assertThat(failure.problems())
          .allSatisfy(problem -> assertThat(problem.toString()).doesNotContain(PASSWORD));
    }

    /**
     * Both set means no password was read; "no password is set" would send the operator the wrong
     * way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"POSTGRES_PASSWORD", "PATRONI_REPLICATION_PASSWORD"})
    void passwordGivenTwiceIsOneProblemNotAlsoAMissingPassword(String variable) throws IOException {
      Map<String, String> env =
          minimalEnv(
              "PATRONI_ENABLE",
              "true",
              "PATRONI_REPLICATION_PASSWORD",
              REPLICATION_PASSWORD,
              variable + "_FILE",
              writeFile("from-file").toString());
      env.put(variable, "direct");

      assertThat(problems(env))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.message()).contains("are set: keep only one");
              });
    }
  }

  @Nested
  class Rules {

    /**
     * 20/10/10 breaks the TTL rule, but while one of the three is unreadable the rule cannot be
     * judged: only the unreadable value is reported, never a stand-in number.
     */
    @ParameterizedTest
    @ValueSource(strings = {"PATRONI_TTL", "PATRONI_LOOP_WAIT", "PATRONI_RETRY_TIMEOUT"})
    void badTimingIsReportedOnceWithTheValueGiven(String variable) {
      assertThat(
              problems(
                  minimalEnv(
                      "PATRONI_ENABLE",
                      "true",
                      "PATRONI_REPLICATION_PASSWORD",
                      REPLICATION_PASSWORD,
                      "PATRONI_TTL",
                      "20",
                      "PATRONI_LOOP_WAIT",
                      "10",
                      "PATRONI_RETRY_TIMEOUT",
                      "10",
                      variable,
                      "abc")))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.value()).contains("abc");
              });
    }

    static Stream<Arguments> violations() {
      return Stream.of(
          Arguments.of(
              "watchdog required without Patroni",
              minimalEnv("PATRONI_WATCHDOG_MODE", "required"),
              "PATRONI_WATCHDOG_MODE",
              "PATRONI_ENABLE=true"),
          Arguments.of(
              "Patroni without replication password",
              minimalEnv("PATRONI_ENABLE", "true"),
              "PATRONI_REPLICATION_PASSWORD",
              "PATRONI_REPLICATION_PASSWORD_FILE"),
          Arguments.of(
              "Patroni without superuser password",
              envOf(
                  "EXTERNAL_ACCESS_ENABLE", "false",
                  "PATRONI_ENABLE", "true",
                  "PATRONI_REPLICATION_PASSWORD", REPLICATION_PASSWORD),
              "POSTGRES_PASSWORD",
              "pg_rewind"),
          Arguments.of(
              "TTL shorter than loop wait plus two retries",
              minimalEnv(
                  "PATRONI_ENABLE", "true",
                  "PATRONI_REPLICATION_PASSWORD", REPLICATION_PASSWORD,
                  "PATRONI_TTL", "29"),
              "PATRONI_TTL",
              "(30)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void violationIsTheOnlyProblem(
        String situation, Map<String, String> env, String variable, String messageFragment) {
      assertThat(problems(env))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.message()).contains(messageFragment);
              });
    }

    static Stream<Arguments> satisfiedRules() {
      return Stream.of(
          Arguments.of(
              "watchdog required with Patroni",
              minimalEnv(
                  "PATRONI_ENABLE", "true",
                  "PATRONI_REPLICATION_PASSWORD", REPLICATION_PASSWORD,
                  "PATRONI_WATCHDOG_MODE", "required")),
          Arguments.of(
              "TTL exactly loop wait plus two retries",
              minimalEnv(
                  "PATRONI_ENABLE", "true",
                  "PATRONI_REPLICATION_PASSWORD", REPLICATION_PASSWORD,
                  "PATRONI_TTL", "20",
                  "PATRONI_LOOP_WAIT", "4",
                  "PATRONI_RETRY_TIMEOUT", "8")),
          Arguments.of("short TTL while Patroni is off", minimalEnv("PATRONI_TTL", "5")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("satisfiedRules")
    void satisfiedRuleIsNoProblem(String situation, Map<String, String> env) {
      assertThat(load(env)).isNotNull();
    }
  }

  @Nested
  class Typos {

    @ParameterizedTest
    @CsvSource({
      "PATRONI_ENABLED, true, PATRONI_ENABLE",
      "PATRONI_ENALBE, true, PATRONI_ENABLE",
      "PATRONI_WATCHDOG_MODE, automatc, automatic"
    })
    void nearMissSuggestsTheRightSpelling(String variable, String value, String suggestion) {
      assertThat(problems(minimalEnv(variable, value)))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.message()).contains("did you mean " + suggestion + "?");
              });
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATRONI_LOG_LEVEL", "PATRONI_RESTAPI_USERNAME"})
    void patroniOwnVariablesAreIgnoredSilently(String variable) {
      assertThat(settings(minimalEnv(variable, "x")).warnings()).isEmpty();
    }
  }
}
