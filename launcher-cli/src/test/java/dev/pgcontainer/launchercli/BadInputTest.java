package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's promise for a bad environment: exit 78, the offending variable named on stderr,
 * and nothing on disk changed. Each row is one realistic operator mistake on top of an otherwise
 * valid environment.
 */
class BadInputTest {

  /** sysexits' EX_CONFIG, as the spec's CLI section fixes it. */
  private static final int CONFIGURATION_ERROR = 78;

  /** Distinctive enough that finding it in any output can only mean a leak. */
  private static final String PASSWORD = "Pw-LeakCanary-c4f2e8b1";

  private static final String OTHER_PASSWORD = "Repl-LeakCanary-9d7a";

  /**
   * A directory that exists on every machine: a secret "file" mounted as a directory is a classic
   * mistake.
   */
  private static final String A_DIRECTORY = System.getProperty("java.io.tmpdir");

  /**
   * One mistake: the variables it sets (over the valid base) and removes, and the variable the
   * error must name.
   */
  record Mistake(String description, String variable, Map<String, String> set, Set<String> unset) {

    Mistake without(String... names) {
      return new Mistake(description, variable, set, Set.of(names));
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private static Mistake mistake(String description, String variable, String... namesAndValues) {
    Map<String, String> set = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      set.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return new Mistake(description, variable, Map.copyOf(set), Set.of());
  }

  static Stream<Mistake> mistakes() {
    return Stream.of(
        mistake("boolean written as yes", "SLEEP_MODE", "SLEEP_MODE", "yes"),
        mistake("boolean written as 1", "PATRONI_ENABLE", "PATRONI_ENABLE", "1"),
        mistake("boolean written as on", "BACKUP_ENABLED", "BACKUP_ENABLED", "on"),
        mistake("boolean with a space after it", "SLEEP_MODE", "SLEEP_MODE", "false "),
        mistake("unknown log level", "LOG_LEVEL", "LOG_LEVEL", "VERBOSE"),
        mistake("log level with a zero for an O", "LOG_LEVEL", "LOG_LEVEL", "INF0"),
        mistake("unknown log format", "LOG_FORMAT", "LOG_FORMAT", "logfmt"),
        mistake("relative PGDATA", "PGDATA", "PGDATA", "pgdata"),
        mistake("relative backup repository", "BACKUP_REPO_PATH", "BACKUP_REPO_PATH", "backups"),
        mistake("server port out of range", "POSTGRESQL_PORT", "POSTGRESQL_PORT", "70000"),
        mistake(
            "coordinator port not a number",
            "CITUS_COORDINATOR_PORT",
            "CITUS_COORDINATOR_PORT",
            "postgres"),
        mistake("HEALTH_LISTEN without host", "HEALTH_LISTEN", "HEALTH_LISTEN", "8080"),
        mistake(
            "HEALTH_LISTEN with unbracketed IPv6", "HEALTH_LISTEN", "HEALTH_LISTEN", "::1:8080"),
        mistake("disk threshold over 100%", "HEALTH_DISK_MIN_FREE", "HEALTH_DISK_MIN_FREE", "150%"),
        mistake(
            "disk threshold in lower-case unit",
            "HEALTH_DISK_MIN_FREE",
            "HEALTH_DISK_MIN_FREE",
            "500mb"),
        mistake(
            "password given both directly and as a file",
            "POSTGRES_PASSWORD",
            "POSTGRES_PASSWORD_FILE",
            "/run/secrets/postgres-password"),
        mistake(
                "password file that does not exist",
                "POSTGRES_PASSWORD_FILE",
                "POSTGRES_PASSWORD_FILE",
                "/nonexistent/pgcontainer/postgres-password")
            .without("POSTGRES_PASSWORD"),
        mistake(
            "replication password file is the secret's directory",
            "PATRONI_REPLICATION_PASSWORD_FILE",
            "PATRONI_REPLICATION_PASSWORD_FILE",
            A_DIRECTORY),
        mistake(
            "PATRONI_ENABLED instead of PATRONI_ENABLE",
            "PATRONI_ENABLED",
            "PATRONI_ENABLED",
            "true"),
        mistake(
            "BACKUP_ENABLE instead of BACKUP_ENABLED", "BACKUP_ENABLE", "BACKUP_ENABLE", "true"),
        mistake("password under a misspelt name", "POSTGRES_PASWORD", "POSTGRES_PASWORD", PASSWORD)
            .without("POSTGRES_PASSWORD"),
        mistake("misspelt Citus role", "CITUS_ROLE", "CITUS_ROLE", "workr"),
        mistake(
            "Citus worker without coordinator",
            "CITUS_COORDINATOR_HOST",
            "CITUS_ENABLE",
            "true",
            "CITUS_ROLE",
            "worker"),
        mistake(
            "Citus worker under Patroni without group",
            "CITUS_GROUP",
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            OTHER_PASSWORD,
            "CITUS_ENABLE",
            "true",
            "CITUS_ROLE",
            "worker",
            "CITUS_COORDINATOR_HOST",
            "coordinator"),
        mistake("negative Citus group", "CITUS_GROUP", "CITUS_GROUP", "-1"),
        mistake(
            "Citus worker under Patroni in the coordinator's group 0",
            "CITUS_GROUP",
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            OTHER_PASSWORD,
            "CITUS_ENABLE",
            "true",
            "CITUS_ROLE",
            "worker",
            "CITUS_GROUP",
            "0"),
        mistake(
            "Citus coordinator under Patroni in a worker group",
            "CITUS_GROUP",
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            OTHER_PASSWORD,
            "CITUS_ENABLE",
            "true",
            "CITUS_ROLE",
            "coordinator",
            "CITUS_GROUP",
            "2"),
        mistake(
            "Citus node host with a port", "CITUS_NODE_HOST", "CITUS_NODE_HOST", "worker-1:5432"),
        mistake(
            "Citus worker other nodes cannot reach (external access off)",
            "EXTERNAL_ACCESS_ENABLE",
            "CITUS_ENABLE",
            "true",
            "CITUS_ROLE",
            "worker",
            "CITUS_COORDINATOR_HOST",
            "coordinator",
            "EXTERNAL_ACCESS_ENABLE",
            "false"),
        mistake(
            "watchdog required without Patroni",
            "PATRONI_WATCHDOG_MODE",
            "PATRONI_WATCHDOG_MODE",
            "required"),
        mistake(
            "restore target without backup",
            "RESTORE_TARGET_TIME",
            "RESTORE_TARGET_TIME",
            "2026-01-31T14:05:00+01:00"),
        mistake(
            "restore target time without offset",
            "RESTORE_TARGET_TIME",
            "BACKUP_ENABLED",
            "true",
            "RESTORE_FROM_BACKUP",
            "true",
            "RESTORE_TARGET_TIME",
            "2026-01-31 14:05:00"),
        mistake("restore without backup", "RESTORE_FROM_BACKUP", "RESTORE_FROM_BACKUP", "true"),
        mistake(
            "cron schedule with four fields",
            "BACKUP_SCHEDULE_FULL",
            "BACKUP_SCHEDULE_FULL",
            "0 2 * *"),
        mistake(
            "cron schedule with a seconds field",
            "BACKUP_SCHEDULE_INCR",
            "BACKUP_SCHEDULE_INCR",
            "0 0 */4 * * *"),
        mistake("retention of zero backups", "BACKUP_RETENTION_FULL", "BACKUP_RETENTION_FULL", "0"),
        mistake(
            "cron schedule with an hour of 25",
            "BACKUP_SCHEDULE_DIFF",
            "BACKUP_SCHEDULE_DIFF",
            "0 25 * * *"),
        mistake(
            "cron schedule with a minute of 60",
            "BACKUP_SCHEDULE_FULL",
            "BACKUP_SCHEDULE_FULL",
            "60 2 * * 0"),
        mistake("stanza name with a space", "BACKUP_STANZA", "BACKUP_STANZA", "main db"),
        mistake(
            "restore under Patroni",
            "RESTORE_FROM_BACKUP",
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            OTHER_PASSWORD,
            "BACKUP_ENABLED",
            "true",
            "RESTORE_FROM_BACKUP",
            "true"),
        mistake(
            "own archive_command while backups archive",
            "POSTGRESQL_ARCHIVE_COMMAND",
            "BACKUP_ENABLED",
            "true",
            "POSTGRESQL_ARCHIVE_COMMAND",
            "cp %p /archive/%f"),
        mistake("server setting name starting with __", "POSTGRESQL__X", "POSTGRESQL__X", "1"),
        mistake(
            "server setting name in lower case",
            "POSTGRESQL_shared_buffers",
            "POSTGRESQL_shared_buffers",
            "512MB"),
        mistake("TIMEOUT of zero", "TIMEOUT", "TIMEOUT", "0"),
        mistake("TIMEOUT not a number", "TIMEOUT", "TIMEOUT", "abc"),
        mistake(
            "password timeout with a unit",
            "TIMEOUT_CHANGE_PASSWORD",
            "TIMEOUT_CHANGE_PASSWORD",
            "5s"),
        mistake(
            "Patroni TTL shorter than loop_wait + 2 * retry_timeout",
            "PATRONI_TTL",
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            OTHER_PASSWORD,
            "PATRONI_TTL",
            "20"),
        mistake(
            "Patroni without replication password",
            "PATRONI_REPLICATION_PASSWORD",
            "PATRONI_ENABLE",
            "true"),
        mistake(
            "etcd host given as URL",
            "PATRONI_ETCD_HOSTS",
            "PATRONI_ETCD_HOSTS",
            "http://etcd:2379"),
        mistake(
            "etcd hosts without ports", "PATRONI_ETCD_HOSTS", "PATRONI_ETCD_HOSTS", "etcd1,etcd2"),
        mistake("empty POSTGRES_USER", "POSTGRES_USER", "POSTGRES_USER", ""),
        mistake(
            "superuser name with a line break (a second pg_hba line)",
            "POSTGRES_USER",
            "POSTGRES_USER",
            "admin\nhost all all 0.0.0.0/0 trust"),
        mistake(
            "replication user with a line break under Patroni",
            "PATRONI_REPLICATION_USER",
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            OTHER_PASSWORD,
            "PATRONI_REPLICATION_USER",
            "replicator\r"),
        mistake("server port in hexadecimal", "POSTGRESQL_PORT", "POSTGRESQL_PORT", "0x1538"),
        mistake(
            "PGLOG with a line break",
            "PGLOG",
            "BACKUP_ENABLED",
            "true",
            "PGLOG",
            "/var/log/pg\nrepo1-path=/x"),
        mistake("64-byte POSTGRES_DB", "POSTGRES_DB", "POSTGRES_DB", "d".repeat(64)),
        mistake(
            "unclosed quote in initdb arguments",
            "POSTGRES_INITDB_ARGS",
            "POSTGRES_INITDB_ARGS",
            "--locale='en_US.UTF-8"),
        mistake(
            "-D in initdb arguments",
            "POSTGRES_INITDB_ARGS",
            "POSTGRES_INITDB_ARGS",
            "--data-checksums -D /var/lib/postgresql/data"),
        mistake(
            "trust as external access method",
            "EXTERNAL_ACCESS_METHOD",
            "EXTERNAL_ACCESS_METHOD",
            "trust"),
        mistake("external access without any password", "POSTGRES_PASSWORD")
            .without("POSTGRES_PASSWORD"),
        mistake("PGDATA naming a regular file", "PGDATA", "PGDATA", "/etc/passwd"),
        mistake("PGCONFIG below a regular file", "PGCONFIG", "PGCONFIG", "/etc/passwd/config"),
        mistake(
            "carriage return in a server setting",
            "POSTGRESQL_WORK_MEM",
            "POSTGRESQL_WORK_MEM",
            "4MB\rx"),
        mistake(
            "line break in listen_addresses",
            "POSTGRESQL_LISTEN_ADDRESSES",
            "POSTGRESQL_LISTEN_ADDRESSES",
            "localhost\nx"),
        mistake("superuser name PostgreSQL reserves", "POSTGRES_USER", "POSTGRES_USER", "pg_evil"),
        mistake("superuser name with a double quote", "POSTGRES_USER", "POSTGRES_USER", "a\"b"),
        mistake(
            "server setting name with a hyphen",
            "POSTGRESQL_WORK-MEM",
            "POSTGRESQL_WORK-MEM",
            "4MB"),
        mistake(
            "Patroni's minimum max_connections",
            "POSTGRESQL_MAX_CONNECTIONS",
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            OTHER_PASSWORD,
            "POSTGRESQL_MAX_CONNECTIONS",
            "10"),
        mistake(
            "required watchdog missing under Patroni",
            "PATRONI_WATCHDOG_MODE",
            "PATRONI_ENABLE",
            "true",
            "PATRONI_REPLICATION_PASSWORD",
            OTHER_PASSWORD,
            "PATRONI_WATCHDOG_MODE",
            "required",
            "PATRONI_WATCHDOG_DEVICE",
            "/nonexistent/pgcontainer/watchdog"));
  }

  /** The two commands that read the environment without a server; both must refuse alike. */
  enum Command {
    RENDER {
      @Override
      String[] arguments(Path outputDirectory) {
        return new String[] {"render", "--out", outputDirectory.toString()};
      }
    },
    VALIDATE {
      @Override
      String[] arguments(Path outputDirectory) {
        return new String[] {"validate"};
      }
    };

    abstract String[] arguments(Path outputDirectory);
  }

  static Stream<Arguments> commandsAndMistakes() {
    List<Mistake> mistakes = mistakes().collect(Collectors.toList());
    return Arrays.stream(Command.values())
        .flatMap(c -> mistakes.stream().map(m -> Arguments.of(c, m)));
  }

  /**
   * A valid environment whose every directory lies under {@code stateRoot} (and does not exist
   * yet).
   */
  private static Map<String, String> validEnvironment(Path stateRoot) {
    Map<String, String> env = new HashMap<>();
    env.put("PGDATA", stateRoot.resolve("data").toString());
    env.put("PGCONFIG", stateRoot.resolve("config").toString());
    env.put("PGLOG", stateRoot.resolve("log").toString());
    env.put("PGSOCKET", stateRoot.resolve("socket").toString());
    env.put("POSTGRES_PASSWORD", PASSWORD);
    env.put("HOSTNAME", "bad-input-test");
    return env;
  }

  /** What one run of the CLI left behind. */
  private record Outcome(int exitCode, String stdout, String stderr) {}

  private static Outcome run(Map<String, String> env, String... arguments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // No server binaries: a unit test must not run the installed postgres to judge settings.
    int exitCode =
        new Cli(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                environment -> Optional.empty())
            .execute(arguments);
    return new Outcome(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<Path> contents(Path directory) throws IOException {
    try (Stream<Path> entries = Files.walk(directory)) {
      return entries.filter(p -> !p.equals(directory)).collect(Collectors.toList());
    }
  }

  @Test
  void baseEnvironmentIsValid(@TempDir Path stateRoot) {
    Outcome outcome = run(validEnvironment(stateRoot), "validate");

    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
  }

  @Test
  void serverSettingsAreCheckedForFormOnlyAndValidateSaysSo(@TempDir Path stateRoot) {
    Map<String, String> env = validEnvironment(stateRoot);
    env.put("POSTGRESQL_WORK_MEM", "4MB");

    Outcome outcome = run(env, "validate");

    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    assertThat(outcome.stdout()).contains("warning: server settings not checked: ");
  }

  @Test
  void tableHoldsAtLeast25DistinctMistakes() {
    List<Mistake> mistakes = mistakes().collect(Collectors.toList());

    assertThat(mistakes).hasSizeGreaterThanOrEqualTo(25);
    assertThat(mistakes).extracting(Mistake::description).doesNotHaveDuplicates();
    assertThat(mistakes).extracting(m -> List.of(m.set(), m.unset())).doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void validateAndRenderReportTheSameProblems(
      Mistake mistake, @TempDir Path outputDirectory, @TempDir Path stateRoot) {
    Map<String, String> env = validEnvironment(stateRoot);
    env.keySet().removeAll(mistake.unset());
    env.putAll(mistake.set());
    // and one more problem, which must neither hide the mistake nor be hidden by it
    env.put("PATRONI_WATCHDOG_SAFETY_MARGIN", "-1");

    List<String> validate =
        problemLines(run(env, Command.VALIDATE.arguments(outputDirectory)).stderr());
    List<String> render =
        problemLines(run(env, Command.RENDER.arguments(outputDirectory)).stderr());

    assertThat(render).isEqualTo(validate);
    assertThat(validate)
        .anyMatch(line -> line.startsWith("PATRONI_WATCHDOG_SAFETY_MARGIN="))
        .anyMatch(
            line ->
                line.startsWith(mistake.variable() + "=")
                    || line.startsWith(mistake.variable() + ":"));
  }

  private static List<String> problemLines(String stderr) {
    return stderr
        .lines()
        .filter(line -> line.startsWith("  - "))
        .map(line -> line.substring(4))
        .sorted()
        .collect(Collectors.toList());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("commandsAndMistakes")
  void mistakeExits78NamingTheVariableAndChangesNothing(
      Command command, Mistake mistake, @TempDir Path outputDirectory, @TempDir Path stateRoot)
      throws IOException {
    Map<String, String> env = validEnvironment(stateRoot);
    env.keySet().removeAll(mistake.unset());
    env.putAll(mistake.set());

    Outcome outcome = run(env, command.arguments(outputDirectory));

    assertThat(outcome.exitCode()).as(outcome.stderr()).isEqualTo(CONFIGURATION_ERROR);
    assertThat(outcome.stderr())
        .containsPattern("(?m)^\\s*- " + Pattern.quote(mistake.variable()) + "[=:]");
    assertThat(outcome.stdout() + outcome.stderr())
        .doesNotContain(PASSWORD)
        .doesNotContain(OTHER_PASSWORD);
    assertThat(contents(outputDirectory)).as("created under --out").isEmpty();
    assertThat(contents(stateRoot)).as("created under PGDATA/PGCONFIG/PGLOG/PGSOCKET").isEmpty();
  }
}
