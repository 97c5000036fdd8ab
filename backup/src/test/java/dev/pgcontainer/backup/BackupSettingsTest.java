package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.ServerSettingsValidator;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.ServerSetting;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code BACKUP_*} and {@code RESTORE_*} variables as {@link BackupRules} read them, with
 * core's.
 */
class BackupSettingsTest {

  private static final String HOST = "node-7.example.internal";
  private static final String PASSWORD = "Pw-LeakCanary-7f3c9e1d";

  /**
   * The smallest valid environment (external access needs a password), plus the given variables.
   */
  private static Map<String, String> minimalEnv(String... namesAndValues) {
    Map<String, String> env = new HashMap<>(Map.of("POSTGRES_PASSWORD", PASSWORD));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      env.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return env;
  }

  /** Read as the launcher reads them. */
  private static Settings settings(Map<String, String> env) {
    return Settings.fromEnvironment(
        env,
        HOST,
        ServerSettingsValidator.offline(),
        List.of(new BackupRules(CronSchedule::problem)),
        List.of(),
        List.of());
  }

  private static BackupSettings load(Map<String, String> env) {
    return BackupSettings.of(settings(env));
  }

  private static List<ConfigurationProblem> problems(Map<String, String> env) {
    ConfigurationException failure =
        catchThrowableOfType(ConfigurationException.class, () -> settings(env));
    assertThat(failure).as("ConfigurationException for %s", env.keySet()).isNotNull();
    return failure.problems();
  }

  /** Every variable paired with every value, for tables that check each combination. */
  private static Stream<Arguments> combinations(List<String> variables, List<String> values) {
    return variables.stream()
        .flatMap(variable -> values.stream().map(value -> Arguments.of(variable, value)));
  }

  @Test
  void defaultsAreThoseOfSettingsReadWithoutTheBackupsRules() {
    BackupSettings defaults =
        new BackupSettings(
            false,
            "default",
            Path.of("/var/lib/pgbackrest"),
            2,
            6,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty());

    assertThat(load(minimalEnv())).isEqualTo(defaults);
    assertThat(BackupSettings.of(Settings.fromEnvironment(minimalEnv()))).isEqualTo(defaults);
  }

  @Test
  void everyVariableReachesItsSetting() {
    BackupSettings backup =
        load(
            minimalEnv(
                "BACKUP_ENABLED", "true",
                "BACKUP_STANZA", "main",
                "BACKUP_REPO_PATH", "/backups",
                "BACKUP_RETENTION_FULL", "4",
                "BACKUP_RETENTION_DIFF", "8",
                "BACKUP_SCHEDULE_FULL", "0 2 * * 0",
                "BACKUP_SCHEDULE_DIFF", " 0 2 * * 1-6 ",
                "BACKUP_SCHEDULE_INCR", "0 */4 * * *",
                "RESTORE_FROM_BACKUP", "true",
                "RESTORE_TARGET_TIME", "2026-01-31T14:05:00+01:00"));

    assertThat(backup)
        .isEqualTo(
            new BackupSettings(
                true,
                "main",
                Path.of("/backups"),
                4,
                8,
                Optional.of("0 2 * * 0"),
                Optional.of("0 2 * * 1-6"),
                Optional.of("0 */4 * * *"),
                true,
                Optional.of(OffsetDateTime.of(2026, 1, 31, 14, 5, 0, 0, ZoneOffset.ofHours(1)))));
  }

  @Test
  void repositoryPathIsTrimmedAndNormalised() {
    assertThat(load(minimalEnv("BACKUP_REPO_PATH", " /srv/./pg/x/../data/ ")).repositoryPath())
        .isEqualTo(Path.of("/srv/pg/data"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"data", "./data", "../data", "~/data"})
  void relativeRepositoryPathIsAProblem(String value) {
    assertThat(problems(minimalEnv("BACKUP_REPO_PATH", value)))
        .extracting(ConfigurationProblem::variable, ConfigurationProblem::value)
        .containsExactly(tuple("BACKUP_REPO_PATH", Optional.of(value)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/srv/a\nb", "/srv/a\rb"})
  void lineBreakInTheRepositoryPathIsAProblem(String value) {
    assertThat(problems(minimalEnv("BACKUP_REPO_PATH", value)))
        .singleElement()
        .isEqualTo(
            ConfigurationProblem.of(
                "BACKUP_REPO_PATH",
                value,
                "must not contain a line break: pgbackrest.conf has one setting a line"));
  }

  @Test
  void emptyRepositoryPathIsAProblem() {
    assertThat(problems(minimalEnv("BACKUP_REPO_PATH", "")))
        .extracting(ConfigurationProblem::variable)
        .containsExactly("BACKUP_REPO_PATH");
  }

  @Test
  void blankStanzaIsAProblem() {
    assertThat(problems(minimalEnv("BACKUP_STANZA", "  ")))
        .extracting(ConfigurationProblem::variable)
        .containsExactly("BACKUP_STANZA");
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "TRUE", "True", "false", "FALSE", "False"})
  void booleansInAnyCase(String spelling) {
    BackupSettings backup =
        load(minimalEnv("BACKUP_ENABLED", spelling, "RESTORE_FROM_BACKUP", spelling));

    boolean expected = Boolean.parseBoolean(spelling);
    assertThat(List.of(backup.enabled(), backup.restoreFromBackup())).containsOnly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "no", "1", "0", "on", "t", "enabled", ""})
  void otherSpellingsOfABooleanAreAProblemForEachVariable(String spelling) {
    assertThat(problems(minimalEnv("BACKUP_ENABLED", spelling, "RESTORE_FROM_BACKUP", spelling)))
        .extracting(
            ConfigurationProblem::variable,
            ConfigurationProblem::value,
            ConfigurationProblem::message)
        .containsExactlyInAnyOrderElementsOf(
            Stream.of("BACKUP_ENABLED", "RESTORE_FROM_BACKUP")
                .map(name -> tuple(name, Optional.of(spelling), "must be true or false"))
                .collect(Collectors.toList()));
  }

  @ParameterizedTest
  @CsvSource({"BACKUP_RETENTION_FULL, 0", "BACKUP_RETENTION_DIFF, 10000000"})
  void outOfRangeRetentionIsAProblemNamingVariableAndValue(String variable, String value) {
    assertThat(problems(minimalEnv(variable, value)))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo(variable);
              assertThat(problem.value()).contains(value);
              assertThat(problem.message()).startsWith("must be a whole number from ");
            });
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        Arguments.of(
            "restore target without backup",
            minimalEnv("RESTORE_TARGET_TIME", "2026-01-31T14:05:00+01:00"),
            "RESTORE_TARGET_TIME",
            "BACKUP_ENABLED=true"),
        Arguments.of(
            "restore target without restore",
            minimalEnv("BACKUP_ENABLED", "true", "RESTORE_TARGET_TIME", "2026-01-31T14:05:00Z"),
            "RESTORE_TARGET_TIME",
            "RESTORE_FROM_BACKUP=true"),
        Arguments.of(
            "restore without backup",
            minimalEnv("RESTORE_FROM_BACKUP", "true"),
            "RESTORE_FROM_BACKUP",
            "BACKUP_ENABLED=true"));
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

  @Test
  void restoreWithBackupAndTargetIsNoProblem() {
    assertThat(
            load(
                minimalEnv(
                    "BACKUP_ENABLED",
                    "true",
                    "RESTORE_FROM_BACKUP",
                    "true",
                    "RESTORE_TARGET_TIME",
                    "2026-01-31T14:05:00Z")))
        .isNotNull();
  }

  @Test
  void nearMissSuggestsTheBackupsVariable() {
    assertThat(problems(minimalEnv("BACKUP_ENABLE", "true")))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("BACKUP_ENABLE");
              assertThat(problem.message()).contains("did you mean BACKUP_ENABLED?");
            });
  }

  @Test
  void farOffNameUnderTheBackupsPrefixIsAWarning() {
    assertThat(settings(minimalEnv("BACKUP_COMPRESSION", "x")).warnings())
        .containsExactly("BACKUP_COMPRESSION is not a pgcontainer variable and is ignored");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  "})
  void blankScheduleMeansNone(String blank) {
    BackupSettings backup =
        load(
            minimalEnv(
                "BACKUP_SCHEDULE_FULL",
                blank,
                "BACKUP_SCHEDULE_DIFF",
                blank,
                "BACKUP_SCHEDULE_INCR",
                blank));

    assertThat(List.of(backup.scheduleFull(), backup.scheduleDiff(), backup.scheduleIncr()))
        .containsOnly(Optional.empty());
  }

  static Stream<Arguments> badSchedules() {
    return combinations(
        List.of("BACKUP_SCHEDULE_FULL", "BACKUP_SCHEDULE_DIFF", "BACKUP_SCHEDULE_INCR"),
        List.of("0 2 * *", "0 0 2 * * 0", "@daily"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badSchedules")
  void scheduleNeedsFiveFields(String variable, String value) {
    assertThat(problems(minimalEnv(variable, value)))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo(variable);
              assertThat(problem.message()).contains("5 fields");
            });
  }

  @ParameterizedTest
  @CsvSource({
    "2026-01-31T14:05:00+01:00, 2026-01-31T13:05:00Z, +01:00",
    "2026-01-31T13:05:00Z, 2026-01-31T13:05:00Z, Z",
    "2026-01-31 09:05:00.5-04:00, 2026-01-31T13:05:00.500Z, -04:00"
  })
  void restoreTargetTimeKeepsItsOffset(String value, String instant, String offset) {
    BackupSettings backup =
        load(
            minimalEnv(
                "BACKUP_ENABLED",
                "true",
                "RESTORE_FROM_BACKUP",
                "true",
                "RESTORE_TARGET_TIME",
                value));

    OffsetDateTime target = backup.restoreTargetTime().orElseThrow();
    assertThat(target.toInstant()).hasToString(instant);
    assertThat(target.getOffset()).isEqualTo(ZoneOffset.of(offset));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-01-31T14:05:00", "2026-01-31", "yesterday", "1738328700"})
  void restoreTargetTimeWithoutOffsetIsAProblem(String value) {
    assertThat(
            problems(
                minimalEnv(
                    "BACKUP_ENABLED",
                    "true",
                    "RESTORE_FROM_BACKUP",
                    "true",
                    "RESTORE_TARGET_TIME",
                    value)))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("RESTORE_TARGET_TIME");
              assertThat(problem.message()).contains("offset");
            });
  }

  @Test
  void scheduleValidatorJudgesFiveFieldExpressionsOnlyAndIsReportedWithOtherProblems() {
    List<String> judged = new ArrayList<>();
    ScheduleValidator validator =
        expression -> {
          judged.add(expression);
          return expression.startsWith("61")
              ? Optional.of("minute 61 does not exist")
              : Optional.empty();
        };
    Map<String, String> env =
        minimalEnv(
            "BACKUP_SCHEDULE_FULL", "61 2 * * 0",
            "BACKUP_SCHEDULE_DIFF", "0 2 * *",
            "BACKUP_SCHEDULE_INCR", "0 */4 * * *",
            "LOG_LEVEL", "LOUD");

    ConfigurationException failure =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                Settings.fromEnvironment(
                    env,
                    HOST,
                    ServerSettingsValidator.offline(),
                    List.of(new BackupRules(validator)),
                    List.of(),
                    List.of()));

    assertThat(judged).containsExactlyInAnyOrder("61 2 * * 0", "0 */4 * * *");
    assertThat(failure.problems())
        .contains(
            ConfigurationProblem.of(
                "BACKUP_SCHEDULE_FULL", "61 2 * * 0", "minute 61 does not exist"))
        .extracting(ConfigurationProblem::variable)
        .containsExactlyInAnyOrder("BACKUP_SCHEDULE_FULL", "BACKUP_SCHEDULE_DIFF", "LOG_LEVEL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"main db", "[main]", "-main", "main/db", "main=db"})
  void stanzaMustBeAPlainName(String stanza) {
    assertThat(problems(minimalEnv("BACKUP_STANZA", stanza)))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("BACKUP_STANZA");
              assertThat(problem.message()).contains("letters, digits");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"main", "orders-db.eu_1", "7"})
  void plainStanzaNamesAreAccepted(String stanza) {
    assertThat(load(minimalEnv("BACKUP_STANZA", stanza)).stanza()).isEqualTo(stanza);
  }

  @ParameterizedTest
  @CsvSource({
    "POSTGRESQL_ARCHIVE_COMMAND, cp %p /archive/%f",
    "POSTGRESQL_ARCHIVE_LIBRARY, basic_archive",
    "POSTGRESQL_ARCHIVE_MODE, off",
    "POSTGRESQL_ARCHIVE_MODE, False"
  })
  void archivingOfTheEnvironmentIsRejectedWhenBackupsArchive(String variable, String value) {
    assertThat(problems(minimalEnv("BACKUP_ENABLED", "true", variable, value)))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo(variable);
              assertThat(problem.message()).contains("pgBackRest").contains("BACKUP_ENABLED=false");
            });
  }

  @ParameterizedTest
  @CsvSource({
    "true, POSTGRESQL_ARCHIVE_MODE, always",
    "true, POSTGRESQL_ARCHIVE_MODE, ON",
    "true, POSTGRESQL_ARCHIVE_TIMEOUT, 60s",
    "false, POSTGRESQL_ARCHIVE_COMMAND, cp %p /archive/%f"
  })
  void archivingThatLeavesBackupsIntactIsTheOperators(
      String backups, String variable, String value) {
    Settings settings = settings(minimalEnv("BACKUP_ENABLED", backups, variable, value));

    assertThat(settings.serverSettings())
        .extracting(ServerSetting::variable)
        .containsExactly(variable);
  }

  @Test
  void targetTimeParserIsTheOneOfTheVariable() {
    assertThat(BackupSettings.parseTargetTime(" 2026-01-31 09:05:00-04:00 ").toInstant())
        .hasToString("2026-01-31T13:05:00Z");
    assertThatThrownBy(() -> BackupSettings.parseTargetTime("2026-01-31 09:05:00"))
        .isInstanceOf(java.time.format.DateTimeParseException.class);
  }
}
