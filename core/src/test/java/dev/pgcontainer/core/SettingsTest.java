package dev.pgcontainer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgcontainer.core.Settings.AuthMethod;
import dev.pgcontainer.core.Settings.Directories;
import dev.pgcontainer.core.Settings.DiskThreshold;
import dev.pgcontainer.core.Settings.ExternalAccess;
import dev.pgcontainer.core.Settings.Health;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.core.Settings.LogFormat;
import dev.pgcontainer.core.Settings.LogLevel;
import dev.pgcontainer.core.Settings.Logging;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.core.Settings.Superuser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

  private static final String HOST = "node-7.example.internal";

  /** Distinctive enough that finding it anywhere in output can only mean a leak. */
  private static final String PASSWORD = "Pw-LeakCanary-7f3c9e1d";

  // ---- helpers ----

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

  private static Settings load(Map<String, String> env) {
    return Settings.fromEnvironment(env, HOST, ServerSettingsValidator.offline());
  }

  private static ConfigurationException failure(Map<String, String> env) {
    ConfigurationException failure =
        catchThrowableOfType(ConfigurationException.class, () -> load(env));
    assertThat(failure).as("ConfigurationException for %s", env.keySet()).isNotNull();
    return failure;
  }

  private static List<ConfigurationProblem> problems(Map<String, String> env) {
    return failure(env).problems();
  }

  private static List<String> problemVariables(Map<String, String> env) {
    return problems(env).stream().map(ConfigurationProblem::variable).collect(Collectors.toList());
  }

  /** Every variable paired with every value, for tables that check each combination. */
  private static Stream<Arguments> combinations(List<String> variables, List<String> values) {
    return variables.stream()
        .flatMap(variable -> values.stream().map(value -> Arguments.of(variable, value)));
  }

  private static Path writeFile(Path directory, String content) throws IOException {
    return Files.writeString(
        Files.createTempFile(directory, "value", ".txt"), content, StandardCharsets.UTF_8);
  }

  @Nested
  class Defaults {

    private final Settings settings = load(minimalEnv());

    @Test
    void directoriesAndLogging() {
      assertThat(settings.directories())
          .isEqualTo(
              new Directories(
                  Path.of("/usr/local/pgsql/data"),
                  Path.of("/usr/local/pgsql/config"),
                  Path.of("/usr/local/pgsql/log"),
                  Path.of("/var/run/postgresql"),
                  Optional.empty()));
      assertThat(settings.logging()).isEqualTo(new Logging(LogLevel.INFO, LogFormat.TEXT));
      assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(settings.passwordChangeTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(settings.sleepMode()).isFalse();
    }

    @Test
    void superuserAndAccess() {
      assertThat(settings.superuser())
          .isEqualTo(
              new Superuser("postgres", Optional.of(Secret.of(PASSWORD)), "postgres", List.of()));
      assertThat(settings.externalAccess())
          .isEqualTo(new ExternalAccess(true, AuthMethod.SCRAM_SHA_256));
      assertThat(settings.serverSettings()).isEmpty();
      assertThat(settings.port()).isEqualTo(5432);
      assertThat(settings.warnings()).isEmpty();
    }

    @Test
    void health() {
      assertThat(settings.health())
          .isEqualTo(
              new Health(Optional.of(new HostPort("0.0.0.0", 8080)), DiskThreshold.ofPercent(5)));
    }

    @Test
    void databaseDefaultsToTheUser() {
      Settings custom = load(minimalEnv("POSTGRES_USER", "app"));

      assertThat(custom.superuser().database()).isEqualTo("app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void blankBinaryDirectoryMeansNone(String blank) {
      assertThat(load(minimalEnv("PG_BINDIR", blank)).directories().binaries()).isEmpty();
    }
  }

  @Nested
  class EveryVariable {

    private final Map<String, String> env =
        envOf(
            "PGDATA", "/data/pg/",
            "PGCONFIG", "/data/config",
            "PGLOG", "/data/log/../logs",
            "PGSOCKET", "/run/pg",
            "PG_BINDIR", "/usr/lib/postgresql/17/bin",
            "LOG_LEVEL", "debug",
            "LOG_FORMAT", "JSON",
            "TIMEOUT", "90",
            "TIMEOUT_CHANGE_PASSWORD", "12",
            "SLEEP_MODE", "True",
            "POSTGRES_USER", "app",
            "POSTGRES_PASSWORD", PASSWORD,
            "POSTGRES_DB", "shop",
            "POSTGRES_INITDB_ARGS", "--data-checksums --locale='en_US.UTF-8'",
            "POSTGRES_INITDB_WALDIR", "/data/wal",
            "POSTGRES_HOST_AUTH_METHOD", "MD5",
            "EXTERNAL_ACCESS_ENABLE", "TRUE",
            "EXTERNAL_ACCESS_METHOD", "md5",
            "HEALTH_LISTEN", "127.0.0.1:9187",
            "HEALTH_DISK_MIN_FREE", "2GB");

    @Test
    void coversEveryKnownVariable() {
      assertThat(env)
          .containsKeys(
              Arrays.stream(Variable.values()).map(Variable::name).toArray(String[]::new));
    }

    @Test
    void everyVariableReachesItsSetting() {
      Settings settings = load(env);

      SoftAssertions.assertSoftly(
          softly -> {
            softly
                .assertThat(settings.directories())
                .isEqualTo(
                    new Directories(
                        Path.of("/data/pg"),
                        Path.of("/data/config"),
                        Path.of("/data/logs"),
                        Path.of("/run/pg"),
                        Optional.of(Path.of("/usr/lib/postgresql/17/bin"))));
            softly
                .assertThat(settings.logging())
                .isEqualTo(new Logging(LogLevel.DEBUG, LogFormat.JSON));
            softly.assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(90));
            softly.assertThat(settings.passwordChangeTimeout()).isEqualTo(Duration.ofSeconds(12));
            softly.assertThat(settings.sleepMode()).isTrue();
            softly
                .assertThat(settings.superuser())
                .isEqualTo(
                    new Superuser(
                        "app",
                        Optional.of(Secret.of(PASSWORD)),
                        "shop",
                        List.of("--data-checksums", "--locale=en_US.UTF-8", "--waldir=/data/wal")));
            softly
                .assertThat(settings.externalAccess())
                .isEqualTo(new ExternalAccess(true, AuthMethod.MD5));
            softly
                .assertThat(settings.health())
                .isEqualTo(
                    new Health(
                        Optional.of(new HostPort("127.0.0.1", 9187)),
                        DiskThreshold.ofBytes(2L << 30)));
          });
    }
  }

  @Nested
  class Paths {

    static Stream<Arguments> pathVariables() {
      return Stream.of(
          Arguments.of("PGDATA", (Function<Settings, Path>) s -> s.directories().data()),
          Arguments.of("PGCONFIG", (Function<Settings, Path>) s -> s.directories().config()),
          Arguments.of("PGLOG", (Function<Settings, Path>) s -> s.directories().log()),
          Arguments.of("PGSOCKET", (Function<Settings, Path>) s -> s.directories().socket()),
          Arguments.of(
              "PG_BINDIR",
              (Function<Settings, Path>) s -> s.directories().binaries().orElseThrow()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathVariables")
    void absolutePathIsTrimmedAndNormalised(String variable, Function<Settings, Path> path) {
      assertThat(path.apply(load(minimalEnv(variable, " /srv/./pg/x/../data/ "))))
          .isEqualTo(Path.of("/srv/pg/data"));
    }

    static Stream<Arguments> relativePaths() {
      return combinations(
          List.of("PGDATA", "PGCONFIG", "PGLOG", "PGSOCKET", "PG_BINDIR"),
          List.of("data", "./data", "../data", "~/data"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("relativePaths")
    void relativePathIsAProblem(String variable, String value) {
      assertThat(problems(minimalEnv(variable, value)))
          .extracting(ConfigurationProblem::variable, ConfigurationProblem::value)
          .containsExactly(tuple(variable, Optional.of(value)));
    }

    static Stream<Arguments> pathsWithALineBreak() {
      return combinations(
          List.of("PGDATA", "PGCONFIG", "PGLOG", "PGSOCKET", "PG_BINDIR"),
          List.of("/srv/a\nb", "/srv/a\rb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathsWithALineBreak")
    void lineBreakInAPathIsAProblem(String variable, String value) {
      assertThat(problems(minimalEnv(variable, value)))
          .singleElement()
          .isEqualTo(
              ConfigurationProblem.of(
                  variable,
                  value,
                  "must not contain a line break: pgbackrest.conf has one setting a line"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PGDATA", "PGCONFIG", "PGLOG", "PGSOCKET"})
    void emptyRequiredPathIsAProblem(String variable) {
      assertThat(problemVariables(minimalEnv(variable, ""))).containsExactly(variable);
    }
  }

  @Nested
  class Booleans {

    private static final Map<String, Predicate<Settings>> BOOLEANS =
        Map.of(
            "SLEEP_MODE",
            Settings::sleepMode,
            "EXTERNAL_ACCESS_ENABLE",
            s -> s.externalAccess().enabled());

    /** Every boolean set to {@code spelling}. */
    private Map<String, String> allBooleans(String spelling) {
      Map<String, String> env = minimalEnv();
      BOOLEANS.keySet().forEach(name -> env.put(name, spelling));
      return env;
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True"})
    void trueInAnyCase(String spelling) {
      Settings settings = load(allBooleans(spelling));

      assertThat(BOOLEANS)
          .allSatisfy((name, value) -> assertThat(value.test(settings)).as(name).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "False"})
    void falseInAnyCase(String spelling) {
      Settings settings = load(allBooleans(spelling));

      assertThat(BOOLEANS)
          .allSatisfy((name, value) -> assertThat(value.test(settings)).as(name).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "t", "enabled", ""})
    void otherSpellingsAreAProblemForEachVariable(String spelling) {
      assertThat(problems(allBooleans(spelling)))
          .extracting(
              ConfigurationProblem::variable,
              ConfigurationProblem::value,
              ConfigurationProblem::message)
          .containsExactlyInAnyOrderElementsOf(
              BOOLEANS.keySet().stream()
                  .map(name -> tuple(name, Optional.of(spelling), "must be true or false"))
                  .collect(Collectors.toList()));
    }

    @ParameterizedTest
    @ValueSource(strings = {" true ", "TRUE ", "\tfalse", "false\n"})
    void spacesAroundTheValueAreAProblemThatSaysSo(String spelling) {
      assertThat(problems(allBooleans(spelling)))
          .extracting(
              ConfigurationProblem::variable,
              ConfigurationProblem::value,
              ConfigurationProblem::message)
          .containsExactlyInAnyOrderElementsOf(
              BOOLEANS.keySet().stream()
                  .map(
                      name ->
                          tuple(
                              name,
                              Optional.of(spelling),
                              "must be true or false, without spaces around it"))
                  .collect(Collectors.toList()));
    }
  }

  @Nested
  class Numbers {

    static Stream<Arguments> timeouts() {
      Function<Settings, Duration> timeout = Settings::timeout;
      Function<Settings, Duration> passwordChange = Settings::passwordChangeTimeout;
      return Stream.of(
          Arguments.of("TIMEOUT", " 1 ", timeout, Duration.ofSeconds(1)),
          Arguments.of("TIMEOUT", "3600", timeout, Duration.ofHours(1)),
          Arguments.of("TIMEOUT_CHANGE_PASSWORD", "1", passwordChange, Duration.ofSeconds(1)),
          Arguments.of("TIMEOUT_CHANGE_PASSWORD", "45", passwordChange, Duration.ofSeconds(45)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("timeouts")
    void timeoutsAreWholeSeconds(
        String variable, String value, Function<Settings, Duration> setting, Duration expected) {
      assertThat(setting.apply(load(minimalEnv(variable, value)))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
      "TIMEOUT, 0",
      "TIMEOUT, -5",
      "TIMEOUT, 3601",
      "TIMEOUT, abc",
      "TIMEOUT, 30s",
      "TIMEOUT, 1.5",
      "TIMEOUT, 99999999999",
      "TIMEOUT_CHANGE_PASSWORD, 0",
      "TIMEOUT, ٥"
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
  }

  @Nested
  class HostPorts {

    @ParameterizedTest
    @CsvSource({
      "127.0.0.1:9000, 127.0.0.1, 9000",
      "[::1]:2379, ::1, 2379",
      "[::]:8080, ::, 8080",
      "[fd00::a:1]:1, fd00::a:1, 1",
      "db.example.com:65535, db.example.com, 65535",
      "localhost:8008, localhost, 8008"
    })
    void hostAndPortIncludingBracketedIpv6(String value, String host, int port) {
      Settings settings = load(minimalEnv("HEALTH_LISTEN", value));

      assertThat(settings.health().listen()).contains(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "8080",
          "localhost",
          ":8080",
          "localhost:",
          "localhost:0",
          "localhost:65536",
          "localhost:http",
          "::1:2379",
          "[::1]",
          "[::1:2379",
          "[db.example.com]:80",
          "http://localhost:8080"
        })
    void malformedHostPortIsAProblem(String value) {
      assertThat(problemVariables(minimalEnv("HEALTH_LISTEN", value)))
          .containsExactly("HEALTH_LISTEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyHealthListenDisablesTheEndpoint(String value) {
      assertThat(load(minimalEnv("HEALTH_LISTEN", value)).health().listen()).isEmpty();
    }
  }

  @Nested
  class DiskThresholds {

    @ParameterizedTest
    @CsvSource({"0%, 0", "5%, 5", "100%, 100", "' 7 % ', 7"})
    void percentage(String value, int percent) {
      assertThat(load(minimalEnv("HEALTH_DISK_MIN_FREE", value)).health().diskMinFree())
          .isEqualTo(DiskThreshold.ofPercent(percent));
    }

    @ParameterizedTest
    @CsvSource({
      "1024, 1024",
      "512B, 512",
      "64kB, 65536",
      "64KB, 65536",
      "500MB, 524288000",
      "500 MB, 524288000",
      "2GB, 2147483648",
      "1TB, 1099511627776"
    })
    void sizeInBinaryUnits(String value, long bytes) {
      assertThat(load(minimalEnv("HEALTH_DISK_MIN_FREE", value)).health().diskMinFree())
          .isEqualTo(DiskThreshold.ofBytes(bytes));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "101%",
          "-5%",
          "5.5%",
          "5 percent",
          "500mb",
          "2 PB",
          "lots",
          "99999999999TB"
        })
    void anythingElseIsAProblem(String value) {
      assertThat(problems(minimalEnv("HEALTH_DISK_MIN_FREE", value)))
          .singleElement()
          .extracting(ConfigurationProblem::variable)
          .isEqualTo("HEALTH_DISK_MIN_FREE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"150%", "101%", "99999999999%"})
    void aPercentageAbove100SaysTheRange(String value) {
      assertThat(problems(minimalEnv("HEALTH_DISK_MIN_FREE", value)))
          .singleElement()
          .extracting(ConfigurationProblem::toString)
          .asString()
          .contains(value)
          .contains("from 0% to 100%");
    }

    @ParameterizedTest
    @CsvSource({
      "10%, 10, 100, true",
      "10%, 9, 100, false",
      "10%, 0, 0, true",
      "1kB, 1024, 1, true",
      "1kB, 1023, 999999, false"
    })
    void thresholdIsMetWhenEnoughIsFree(String value, long free, long total, boolean met) {
      DiskThreshold threshold =
          load(minimalEnv("HEALTH_DISK_MIN_FREE", value)).health().diskMinFree();

      assertThat(threshold.isMet(free, total)).isEqualTo(met);
    }
  }

  @Nested
  class Choices {

    @ParameterizedTest
    @CsvSource({"debug, DEBUG", "Info, INFO", "WARN, WARN", " error , ERROR"})
    void logLevelIgnoresCase(String value, LogLevel level) {
      assertThat(load(minimalEnv("LOG_LEVEL", value)).logging().level()).isEqualTo(level);
    }

    @ParameterizedTest
    @CsvSource({"text, TEXT", "JSON, JSON"})
    void logFormat(String value, LogFormat format) {
      assertThat(load(minimalEnv("LOG_FORMAT", value)).logging().format()).isEqualTo(format);
    }

    @ParameterizedTest
    @CsvSource({
      "debug, json, DEBUG, JSON",
      "' Warn ', TEXT, WARN, TEXT",
      "VERBOSE, xml, INFO, TEXT",
      "'', '', INFO, TEXT"
    })
    void loggingBeforeSettingsReadsTheSameValuesAndFallsBackToTheDefaults(
        String level, String format, LogLevel expectedLevel, LogFormat expectedFormat) {
      assertThat(
              Logging.fromEnvironmentOrDefaults(Map.of("LOG_LEVEL", level, "LOG_FORMAT", format)))
          .isEqualTo(new Logging(expectedLevel, expectedFormat));
      assertThat(Logging.fromEnvironmentOrDefaults(Map.of()))
          .isEqualTo(new Logging(LogLevel.INFO, LogFormat.TEXT));
    }

    @ParameterizedTest
    @CsvSource({
      "md5, MD5",
      "password, PASSWORD",
      "scram-sha-256, SCRAM_SHA_256",
      "SCRAM-SHA-256, SCRAM_SHA_256"
    })
    void externalAccessMethod(String value, AuthMethod method) {
      assertThat(load(minimalEnv("EXTERNAL_ACCESS_METHOD", value)).externalAccess().method())
          .isEqualTo(method);
    }

    @ParameterizedTest
    @CsvSource({
      "LOG_LEVEL, VERBOSE, 'must be one of DEBUG, INFO, WARN, ERROR'",
      "LOG_FORMAT, xml, 'must be one of text, json'",
      "EXTERNAL_ACCESS_METHOD, trust, 'must be one of md5, password, scram-sha-256'"
    })
    void unknownChoiceListsTheAcceptedValues(String variable, String value, String message) {
      assertThat(problems(minimalEnv(variable, value)))
          .singleElement()
          .isEqualTo(ConfigurationProblem.of(variable, value, message));
    }
  }

  @Nested
  class Names {

    @ParameterizedTest
    @ValueSource(strings = {"POSTGRES_USER", "POSTGRES_DB"})
    void identifierOf63BytesIsAccepted(String variable) {
      assertThat(load(minimalEnv(variable, "n".repeat(63))).toString()).contains("n".repeat(63));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POSTGRES_USER", "POSTGRES_DB"})
    void identifierOver63BytesIsAProblem(String variable) {
      assertThat(problemVariables(minimalEnv(variable, "n".repeat(64)))).containsExactly(variable);
      assertThat(problemVariables(minimalEnv(variable, "é".repeat(32)))).containsExactly(variable);
    }

    static Stream<Arguments> identifiersWithALineBreak() {
      return combinations(
          List.of("POSTGRES_USER", "POSTGRES_DB"), List.of("two\nlines", "two\rlines"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("identifiersWithALineBreak")
    void lineBreakInANameIsAProblem(String variable, String value) {
      assertThat(problems(minimalEnv(variable, value)))
          .singleElement()
          .isEqualTo(
              ConfigurationProblem.of(
                  variable,
                  value,
                  "must not contain a line break: pg_hba.conf, pg_ident.conf and password files have one entry a"
                      + " line"));
    }

    @Test
    void lineBreakInAUserNameFromItsFileIsAProblem(@TempDir Path directory) throws IOException {
      Path file = writeFile(directory, "two\nlines\n");

      assertThat(problemVariables(minimalEnv("POSTGRES_USER_FILE", file.toString())))
          .containsExactly("POSTGRES_USER");
    }

    @Test
    void tooLongUserIsReportedOnlyForTheUserNotForTheDatabaseDerivedFromIt() {
      assertThat(problemVariables(minimalEnv("POSTGRES_USER", "u".repeat(64))))
          .containsExactly("POSTGRES_USER");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POSTGRES_USER"})
    void roleNameBeginningWithPgUnderscoreIsAProblem(String variable) {
      assertThat(problems(minimalEnv(variable, "pg_evil")))
          .singleElement()
          .satisfies(
              problem ->
                  assertThat(problem.toString())
                      .startsWith(variable + "='pg_evil': PostgreSQL reserves"));
      assertThat(load(minimalEnv(variable, "PG_fine")).toString()).contains("PG_fine");
    }

    @Test
    void superuserNameWithADoubleQuoteIsAProblemAsInitdbCannotCreateIt() {
      assertThat(problems(minimalEnv("POSTGRES_USER", "a\"b")))
          .singleElement()
          .satisfies(problem -> assertThat(problem.message()).contains("double quote"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POSTGRES_USER", "POSTGRES_DB"})
    void emptyIdentifierIsAProblem(String variable) {
      assertThat(problemVariables(minimalEnv(variable, ""))).containsExactly(variable);
    }
  }

  @Nested
  class InitdbArguments {

    @Test
    void areSplitLikeAShell() {
      Settings settings =
          load(
              minimalEnv(
                  "POSTGRES_INITDB_ARGS", "--data-checksums  --auth-local='peer map' -E \"UTF8\""));

      assertThat(settings.superuser().initdbArguments())
          .containsExactly("--data-checksums", "--auth-local=peer map", "-E", "UTF8");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "-D /tmp/other",
          "--pgdata=/tmp/other",
          "--pgdata /tmp/other",
          "-U admin",
          "--username=admin",
          "--pwfile=/tmp/pw",
          "-W",
          "--pwprompt",
          "-D/tmp/other",
          "-Uadmin",
          "--data-checksums -D /tmp/other"
        })
    void optionsTheLauncherSetsAreAProblem(String value) {
      assertThat(problems(minimalEnv("POSTGRES_INITDB_ARGS", value)))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo("POSTGRES_INITDB_ARGS");
                assertThat(problem.message()).contains("is set by the launcher");
              });
    }

    @Test
    void unclosedQuoteIsAProblem() {
      assertThat(problems(minimalEnv("POSTGRES_INITDB_ARGS", "--locale='en_US")))
          .singleElement()
          .isEqualTo(
              ConfigurationProblem.of(
                  "POSTGRES_INITDB_ARGS", "--locale='en_US", "has an unclosed ' quote"));
    }
  }

  @Nested
  class ServerSettings {

    private final Map<String, String> settingsEnv =
        minimalEnv(
            "POSTGRESQL_WORK_MEM", "4MB",
            "POSTGRESQL_PG_STAT_STATEMENTS__MAX", "5000",
            "POSTGRESQL_MAX_CONNECTIONS", "200",
            "POSTGRESQL_PORT", "5433");

    private final List<ServerSetting> expected =
        List.of(
            new ServerSetting("POSTGRESQL_MAX_CONNECTIONS", "max_connections", "200"),
            new ServerSetting(
                "POSTGRESQL_PG_STAT_STATEMENTS__MAX", "pg_stat_statements.max", "5000"),
            new ServerSetting("POSTGRESQL_PORT", "port", "5433"),
            new ServerSetting("POSTGRESQL_WORK_MEM", "work_mem", "4MB"));

    @ParameterizedTest
    @ValueSource(strings = {"4MB\rx", "localhost\nx", "4MB\u001b[2J", "4MB\u007f"})
    void controlCharacterInAValueIsAProblemBeforeTheServerIsAsked(String value) {
      List<List<ServerSetting>> asked = new ArrayList<>();
      ServerSettingsValidator server =
          settings -> {
            asked.add(settings);
            return ServerSettingsValidator.Result.checked(List.of());
          };

      ConfigurationException failure =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  Settings.fromEnvironment(minimalEnv("POSTGRESQL_WORK_MEM", value), HOST, server));

      assertThat(failure.problems())
          .singleElement()
          .satisfies(
              problem ->
                  assertThat(problem.message()).startsWith("must not contain a control character"));
      assertThat(asked).containsExactly(List.of());
    }

    @Test
    void tabInAValueIsKept() {
      assertThat(
              load(minimalEnv("POSTGRESQL_APPLICATION_NAME", "a\tb"))
                  .serverSetting("application_name"))
          .contains("a\tb");
    }

    @Test
    void arePassedThroughLowerCasedWithDoubleUnderscoreAsDotSortedByVariable() {
      Settings settings = load(settingsEnv);

      assertThat(settings.serverSettings()).isEqualTo(expected);
      assertThat(settings.serverSetting("pg_stat_statements.max")).contains("5000");
      assertThat(settings.port()).isEqualTo(5433);
    }

    @Test
    void orderDoesNotDependOnTheEnvironmentsOrder() {
      List<Map.Entry<String, String>> entries = new ArrayList<>(settingsEnv.entrySet());
      for (int rotation = 0; rotation < entries.size(); rotation++) {
        Collections.rotate(entries, 1);
        Map<String, String> reordered = new LinkedHashMap<>();
        entries.forEach(e -> reordered.put(e.getKey(), e.getValue()));

        assertThat(load(reordered).serverSettings()).isEqualTo(expected);
      }
    }

    @Test
    void offlineLoadWarnsThatTheyWereNotChecked() {
      assertThat(load(settingsEnv).warnings())
          .singleElement()
          .asString()
          .startsWith("server settings not checked");
    }

    @Test
    void valueIsKeptExactlyAsGiven() {
      assertThat(
              load(minimalEnv("POSTGRESQL_SEARCH_PATH", " \"$user\", public "))
                  .serverSetting("search_path"))
          .contains(" \"$user\", public ");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "POSTGRESQL__X",
          "POSTGRESQL_",
          "POSTGRESQL_X_",
          "POSTGRESQL_A___B",
          "POSTGRESQL_shared_buffers",
          "POSTGRESQL_WORK-MEM",
          "POSTGRESQL_1ST"
        })
    void malformedNameIsAProblemNamingTheVariable(String variable) {
      assertThat(problems(minimalEnv(variable, "1")))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.message()).startsWith("not a server setting name");
              });
    }

    @Test
    void nulInValueIsAProblem() {
      assertThat(problemVariables(minimalEnv("POSTGRESQL_APPLICATION_NAME", "a\0b")))
          .containsExactly("POSTGRESQL_APPLICATION_NAME");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "abc", "0x1538", "+5432", "5432.0"})
    void offlineBadPortIsAProblem(String port) {
      assertThat(problems(minimalEnv("POSTGRESQL_PORT", port)))
          .singleElement()
          .isEqualTo(
              ConfigurationProblem.of(
                  "POSTGRESQL_PORT", port, "must be a whole number from 1 to 65535"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x1538", "0", "65536"})
    void portTheServerWouldTakeButTheLauncherCannotReadIsAProblemAndNotAskedAbout(String port) {
      List<List<ServerSetting>> seen = new ArrayList<>();
      ServerSettingsValidator acceptingCatalogue =
          settings -> {
            seen.add(settings);
            return ServerSettingsValidator.Result.checked(List.of());
          };
      Map<String, String> env = minimalEnv("POSTGRESQL_PORT", port);
      env.put("POSTGRESQL_WORK_MEM", "4MB");

      ConfigurationException failure =
          catchThrowableOfType(
              ConfigurationException.class,
              () -> Settings.fromEnvironment(env, HOST, acceptingCatalogue));

      assertThat(failure.problems())
          .containsExactly(
              ConfigurationProblem.of(
                  "POSTGRESQL_PORT", port, "must be a whole number from 1 to 65535"));
      assertThat(seen)
          .containsExactly(List.of(new ServerSetting("POSTGRESQL_WORK_MEM", "work_mem", "4MB")));
    }

    @Test
    void decimalPortIsAskedAboutAndRead() {
      Settings settings =
          Settings.fromEnvironment(
              minimalEnv("POSTGRESQL_PORT", " 6543 "),
              HOST,
              s -> ServerSettingsValidator.Result.checked(List.of()));

      assertThat(settings.port()).isEqualTo(6543);
    }

    @Test
    void catalogueProblemsAreReportedWithAllOthers() {
      List<List<ServerSetting>> seen = new ArrayList<>();
      ConfigurationProblem unknown =
          ConfigurationProblem.of(
              "POSTGRESQL_WORK_MEM", "4MB", "unknown setting (from the catalogue)");
      ServerSettingsValidator catalogue =
          settings -> {
            seen.add(settings);
            return ServerSettingsValidator.Result.checked(List.of(unknown));
          };
      Map<String, String> env = new HashMap<>(settingsEnv);
      env.put("LOG_LEVEL", "LOUD");

      ConfigurationException failure =
          catchThrowableOfType(
              ConfigurationException.class, () -> Settings.fromEnvironment(env, HOST, catalogue));

      assertThat(seen).containsExactly(expected);
      assertThat(failure.problems())
          .extracting(ConfigurationProblem::variable)
          .containsExactlyInAnyOrder("LOG_LEVEL", "POSTGRESQL_WORK_MEM");
    }

    @Test
    void catalogueThatCheckedAddsNoWarning() {
      Settings settings =
          Settings.fromEnvironment(
              settingsEnv, HOST, s -> ServerSettingsValidator.Result.checked(List.of()));

      assertThat(settings.warnings()).isEmpty();
      assertThat(settings.serverSettings()).isEqualTo(expected);
    }
  }

  @Nested
  class ValueFiles {

    @TempDir Path directory;

    static Stream<Arguments> fileVariables() {
      return Stream.of(
          Arguments.of(
              "POSTGRES_PASSWORD", "Pw-from-file", secretText(s -> s.superuser().password())),
          Arguments.of(
              "POSTGRES_USER", "file_user", (Function<Settings, String>) s -> s.superuser().name()),
          Arguments.of(
              "POSTGRES_DB", "file_db", (Function<Settings, String>) s -> s.superuser().database()),
          Arguments.of(
              "POSTGRES_INITDB_ARGS",
              "--data-checksums",
              (Function<Settings, String>) s -> String.join(" ", s.superuser().initdbArguments())));
    }

    private static Function<Settings, String> secretText(
        Function<Settings, Optional<Secret>> secret) {
      return s -> secret.apply(s).map(Secret::reveal).orElse("<none>");
    }

    /** A valid environment in which {@code variable} comes from a file holding {@code content}. */
    private Map<String, String> envWithFile(String variable, String content) throws IOException {
      Map<String, String> env =
          minimalEnv(variable + "_FILE", writeFile(directory, content).toString());
      env.remove(variable);
      return env;
    }

    @ParameterizedTest(name = "{0}_FILE")
    @MethodSource("fileVariables")
    void valueComesFromTheFile(String variable, String value, Function<Settings, String> setting)
        throws IOException {
      assertThat(setting.apply(load(envWithFile(variable, value + "\n")))).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}_FILE")
    @MethodSource("fileVariables")
    void settingBothIsAProblemWithoutEchoingEither(String variable) throws IOException {
      Map<String, String> env = envWithFile(variable, "from-file");
      env.put(variable, "direct-value");

      List<ConfigurationProblem> problems = problems(env);

      assertThat(problems)
          .filteredOn(problem -> problem.message().contains(variable + "_FILE are set"))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.value()).isEmpty();
              });
      assertThat(problems.toString()).doesNotContain("from-file").doesNotContain("direct-value");
    }

    static Stream<Arguments> fileContents() {
      return Stream.of(
          Arguments.of("secret", "secret"),
          Arguments.of("secret\n", "secret"),
          Arguments.of("secret\r\n", "secret"),
          Arguments.of("secret\n\n", "secret\n"),
          Arguments.of("secret\r\n\r\n", "secret\r\n"),
          Arguments.of("secret \n", "secret "),
          Arguments.of("\nsecret\n", "\nsecret"),
          Arguments.of("two\nlines\n", "two\nlines"),
          Arguments.of("secret\r", "secret\r"));
    }

    @ParameterizedTest
    @MethodSource("fileContents")
    void exactlyOneTrailingNewlineIsRemoved(String content, String value) throws IOException {
      Settings settings = load(envWithFile("POSTGRES_PASSWORD", content));

      assertThat(settings.superuser().password()).contains(Secret.of(value));
    }

    @Test
    void missingFileIsAProblemNamingTheFileVariable() {
      String location = directory.resolve("absent").toString();

      assertThat(problems(envOf("POSTGRES_PASSWORD_FILE", location)))
          .filteredOn(problem -> problem.variable().equals("POSTGRES_PASSWORD_FILE"))
          .singleElement()
          .satisfies(problem -> assertThat(problem.value()).contains(location));
    }

    @Test
    void directoryInsteadOfFileIsAProblem() {
      assertThat(problemVariables(envOf("POSTGRES_PASSWORD_FILE", directory.toString())))
          .contains("POSTGRES_PASSWORD_FILE");
    }

    @Test
    void undecodableFileIsAProblemThatDoesNotContainTheSecret() throws IOException {
      Path file = directory.resolve("password");
      byte[] secret = PASSWORD.getBytes(StandardCharsets.UTF_8);
      byte[] content = Arrays.copyOf(secret, secret.length + 1);
      content[secret.length] = (byte) 0xff;
      Files.write(file, content);

      ConfigurationException failure = failure(envOf("POSTGRES_PASSWORD_FILE", file.toString()));

      assertThat(failure.problems())
          .extracting(ConfigurationProblem::variable)
          .contains("POSTGRES_PASSWORD_FILE");
      assertThat(failure.getMessage()).doesNotContain(PASSWORD);
    }
  }

  @Nested
  class SecretsNeverPrinted {

    @TempDir Path directory;

    @Test
    void settingsToStringRedactsThePassword() {
      Settings settings = load(minimalEnv("POSTGRES_PASS", "Another-LeakCanary-99"));

      assertThat(settings.toString())
          .contains("<redacted>")
          .doesNotContain(PASSWORD)
          .doesNotContain("Another-LeakCanary-99");
      assertThat(settings.warnings()).singleElement().asString().contains("POSTGRES_PASS");
    }

    @Test
    void secretReadFromFileIsRedactedToo() throws IOException {
      Settings settings =
          load(envOf("POSTGRES_PASSWORD_FILE", writeFile(directory, PASSWORD + "\n").toString()));

      assertThat(settings.toString()).doesNotContain(PASSWORD);
    }

    static Stream<Arguments> environmentsWithASecretAndAProblem() {
      return Stream.of(
          Arguments.of(
              "problem elsewhere", envOf("POSTGRES_PASSWORD", PASSWORD, "LOG_LEVEL", "LOUD")),
          Arguments.of(
              "both value and file",
              envOf("POSTGRES_PASSWORD", PASSWORD, "POSTGRES_PASSWORD_FILE", "/run/secrets/pw")),
          Arguments.of("typo dropping a letter", envOf("POSTGRES_PASWORD", PASSWORD)),
          Arguments.of("typo swapping letters", envOf("POSTGRES_PASSWROD", PASSWORD)),
          Arguments.of(
              "typo near a non-secret name",
              envOf("POSTGRES_PASSWORD", "x", "POSTGRES_PW", PASSWORD)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environmentsWithASecretAndAProblem")
    void configurationProblemsNeverContainTheSecret(String situation, Map<String, String> env) {
      ConfigurationException failure = failure(env);

      assertThat(failure.getMessage()).doesNotContain(PASSWORD);
      assertThat(failure.problems())
          .allSatisfy(problem -> assertThat(problem.toString()).doesNotContain(PASSWORD));
    }
  }

  @Nested
  class ProblemsAtOnce {

    @TempDir Path directory;

    @Test
    void fourIndependentProblemsAreReportedTogether() {
      Map<String, String> env =
          minimalEnv(
              "PGDATA", "data",
              "LOG_LEVEL", "LOUD",
              "TIMEOUT", "0",
              "HEALTH_LISTEN", "8080");

      ConfigurationException failure = failure(env);

      assertThat(failure.problems())
          .extracting(ConfigurationProblem::variable, ConfigurationProblem::value)
          .containsExactlyInAnyOrder(
              tuple("PGDATA", Optional.of("data")),
              tuple("LOG_LEVEL", Optional.of("LOUD")),
              tuple("TIMEOUT", Optional.of("0")),
              tuple("HEALTH_LISTEN", Optional.of("8080")));
      assertThat(failure.getMessage()).startsWith("4 configuration problems:");
    }

    /**
     * Both set means no password was read; "no password is set" would send the operator the wrong
     * way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"POSTGRES_PASSWORD"})
    void passwordGivenTwiceIsOneProblemNotAlsoAMissingPassword(String variable) throws IOException {
      Map<String, String> env =
          minimalEnv(variable + "_FILE", writeFile(directory, "from-file").toString());
      env.put(variable, "direct");

      assertThat(problems(env))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.message()).contains("are set: keep only one");
              });
    }

    @Test
    void unreadablePasswordFileIsOneProblemNotAlsoAMissingPassword() {
      Map<String, String> env = envOf("POSTGRES_PASSWORD_FILE", "/nonexistent/secret");

      assertThat(problemVariables(env)).containsExactly("POSTGRES_PASSWORD_FILE");
    }

    @Test
    void rulesRunDespiteOtherProblemsAndTheirProblemsComeWithThem() {
      List<Settings> judged = new ArrayList<>();
      SettingsRule rule =
          settings -> {
            judged.add(settings);
            return List.of(
                ConfigurationProblem.of("SLEEP_MODE", "true", "not here"),
                ConfigurationProblem.missing("POSTGRES_PASSWORD", "a problem of its own"),
                ConfigurationProblem.missing("TIMEOUT", "a follow-up of the reported problem"));
          };
      Map<String, String> env =
          minimalEnv("SLEEP_MODE", "true", "TIMEOUT", "0", "LOG_LEVEL", "LOUD");

      ConfigurationException failure =
          catchThrowableOfType(
              ConfigurationException.class,
              () ->
                  Settings.fromEnvironment(
                      env,
                      HOST,
                      ServerSettingsValidator.offline(),
                      List.of(),
                      List.of(rule),
                      List.of()));

      assertThat(judged)
          .singleElement()
          .satisfies(
              settings -> {
                assertThat(settings.sleepMode()).isTrue();
                assertThat(settings.logging().level())
                    .as("the default for the bad value")
                    .isEqualTo(LogLevel.INFO);
              });
      assertThat(failure.problems())
          .extracting(ConfigurationProblem::variable)
          .containsExactlyInAnyOrder("TIMEOUT", "LOG_LEVEL", "SLEEP_MODE", "POSTGRES_PASSWORD");
    }

    @Test
    void rulesSeeTheDefaultPortWhenThePortIsAProblem() {
      List<Integer> ports = new ArrayList<>();
      SettingsRule rule =
          settings -> {
            ports.add(settings.port());
            return List.of();
          };

      catchThrowableOfType(
          ConfigurationException.class,
          () ->
              Settings.fromEnvironment(
                  minimalEnv("POSTGRESQL_PORT", "0x1538"),
                  HOST,
                  ServerSettingsValidator.offline(),
                  List.of(),
                  List.of(rule),
                  List.of()));

      assertThat(ports).containsExactly(Settings.DEFAULT_PORT);
    }
  }

  @Nested
  class CrossFieldRules {

    static Stream<Arguments> violations() {
      return Stream.of(
          Arguments.of(
              "external access with password method and no password",
              envOf("EXTERNAL_ACCESS_METHOD", "password"),
              "POSTGRES_PASSWORD",
              "external access is enabled with method password"),
          Arguments.of(
              "external access by default and an empty password",
              envOf("POSTGRES_PASSWORD", ""),
              "POSTGRES_PASSWORD",
              "no client could log in"));
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
              "no password without external access", envOf("EXTERNAL_ACCESS_ENABLE", "false")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("satisfiedRules")
    void satisfiedRuleIsNoProblem(String situation, Map<String, String> env) {
      assertThat(load(env)).isNotNull();
    }
  }

  @Nested
  class Typos {

    static Stream<Arguments> typos() {
      return Stream.of(
          Arguments.of(minimalEnv("TIMEOUTS", "30"), "TIMEOUTS", "TIMEOUT"),
          Arguments.of(
              minimalEnv("POSTGRES_PASWORD", "x"), "POSTGRES_PASWORD", "POSTGRES_PASSWORD"),
          Arguments.of(minimalEnv("LOG_LEVEL", "INF0"), "LOG_LEVEL", "INFO"),
          Arguments.of(
              minimalEnv("EXTERNAL_ACCESS_METHOD", "scram-sha256"),
              "EXTERNAL_ACCESS_METHOD",
              "scram-sha-256"));
    }

    @ParameterizedTest(name = "{1} -> {2}")
    @MethodSource("typos")
    void nearMissSuggestsTheRightSpelling(
        Map<String, String> env, String variable, String suggestion) {
      assertThat(problems(env))
          .singleElement()
          .satisfies(
              problem -> {
                assertThat(problem.variable()).isEqualTo(variable);
                assertThat(problem.message()).contains("did you mean " + suggestion + "?");
              });
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEALTH_PORT", "POSTGRES_EXTENSIONS"})
    void farOffNameUnderAnOwnPrefixIsAWarning(String variable) {
      assertThat(load(minimalEnv(variable, "x")).warnings())
          .containsExactly(variable + " is not a pgcontainer variable and is ignored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATRONI_LOG_LEVEL", "CITUS_SHARD_COUNT", "HOSTNAME", "PATH", "PGPORT"})
    void featuresAndForeignVariablesAreIgnoredSilentlyWithoutTheirRules(String variable) {
      assertThat(load(minimalEnv(variable, "x")).warnings()).isEmpty();
    }
  }
}
