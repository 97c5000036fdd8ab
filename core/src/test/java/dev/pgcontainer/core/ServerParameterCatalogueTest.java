package dev.pgcontainer.core;

import static dev.pgcontainer.core.ServerLogMessageTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pgcontainer.core.ServerProbe.ConfigFileVerdict;
import dev.pgcontainer.core.ServerSettingsValidator.Result;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.testsupport.TestLogs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The judging logic, with the server's answers recorded from PostgreSQL 15.18 and 17.9. */
class ServerParameterCatalogueTest {

  private static final String DESCRIBE_CONFIG = resource("describe-config-15.tsv");

  @Test
  void parsesTheRecordedCatalogue() {
    var parameters =
        ServerParameterCatalogue.parseDescribeConfig(DESCRIBE_CONFIG + "not\ta\trecord\n");

    assertThat(parameters).hasSize(37);
    assertThat(parameters.get("shared_buffers"))
        .isEqualTo(
            new ServerParameter(
                "shared_buffers",
                "postmaster",
                "Resource Usage / Memory",
                ServerParameter.Type.INTEGER,
                Optional.of("16"),
                Optional.of("1073741823"),
                "Sets the number of shared memory buffers used by the server."));
    assertThat(parameters.get("enable_seqscan").type()).isEqualTo(ServerParameter.Type.BOOLEAN);
    assertThat(parameters.get("enable_seqscan").minimum()).isEmpty();
    assertThat(parameters.get("datestyle").name()).isEqualTo("DateStyle");
  }

  @Test
  void correctSettingsCostOneServerRunAndNoCatalogue() {
    FakeServer server = new FakeServer(new ConfigFileVerdict(0, ""));

    Result result =
        server
            .catalogue()
            .validate(
                settings(
                    "SHARED_BUFFERS=512MB", "WAL_LEVEL=replica", "PG_STAT_STATEMENTS__MAX=5000"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.skippedReason()).isEmpty();
    assertThat(server.files)
        .containsExactly(
            List.of(
                "shared_buffers = '512MB'",
                "wal_level = 'replica'",
                "pg_stat_statements.max = '5000'"));
    assertThat(server.describeConfigRuns).isZero();
  }

  @Test
  void noSettingsNeedNoServer() {
    FakeServer server = new FakeServer();

    assertThat(server.catalogue().validate(List.of()).problems()).isEmpty();
    assertThat(server.files).isEmpty();
  }

  @Test
  void unknownNamesGetTheClosestKnownVariableAndTheRestIsJudgedAgain() {
    FakeServer server =
        new FakeServer(
            new ConfigFileVerdict(1, resource("server-log-unknown-names-15.txt")),
            new ConfigFileVerdict(
                1,
                "LOG:  invalid value for parameter \"work_mem\": \"4XB\"\n"
                    + "HINT:  Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".\n"
                    + "FATAL:  configuration file \"/tmp/x/postgresql.conf\" contains errors\n"));

    Result result =
        server
            .catalogue()
            .validate(
                settings(
                    "SHARED_BUFFER=512MB",
                    "MAX_CONNECTION=200",
                    "WORK_MEM=4XB",
                    "FOO_BAR=1",
                    "PG_STAT_STATEMENTS__MAX=5000"));

    assertThat(result.problems())
        .extracting(ConfigurationProblem::variable)
        .containsExactly(
            "POSTGRESQL_SHARED_BUFFER",
            "POSTGRESQL_MAX_CONNECTION",
            "POSTGRESQL_WORK_MEM",
            "POSTGRESQL_FOO_BAR");
    assertThat(result.problems().get(0).message())
        .isEqualTo(
            "PostgreSQL 15.18 has no parameter 'shared_buffer': did you mean POSTGRESQL_SHARED_BUFFERS"
                + " (shared_buffers)?");
    assertThat(result.problems().get(0).value()).contains("512MB");
    assertThat(result.problems().get(1).message())
        .contains("did you mean POSTGRESQL_MAX_CONNECTIONS");
    assertThat(result.problems().get(2).message()).contains("\"4XB\"").contains("Valid units");
    assertThat(result.problems().get(3).message())
        .contains("has no parameter 'foo_bar'")
        .contains("postgres --describe-config");
    assertThat(server.files.get(1))
        .containsExactly("work_mem = '4XB'", "pg_stat_statements.max = '5000'");
  }

  @Test
  void everyRejectedValueNamesItsVariableTheValueAndWhatIsAccepted() {
    FakeServer server =
        new FakeServer(new ConfigFileVerdict(1, resource("server-log-bad-values-15.txt")));

    Result result = server.catalogue().validate(badValues());

    assertThat(result.problems())
        .extracting(ConfigurationProblem::variable)
        .containsExactly(
            "POSTGRESQL_WORK_MEM",
            "POSTGRESQL_WAL_LEVEL",
            "POSTGRESQL_ENABLE_SEQSCAN",
            "POSTGRESQL_MAX_CONNECTIONS",
            "POSTGRESQL_RANDOM_PAGE_COST",
            "POSTGRESQL_STATEMENT_TIMEOUT",
            "POSTGRESQL_MAINTENANCE_WORK_MEM",
            "POSTGRESQL_DATESTYLE",
            "POSTGRESQL_SEARCH_PATH",
            "POSTGRESQL_LOG_MIN_MESSAGES",
            "POSTGRESQL_TEMP_BUFFERS",
            "POSTGRESQL_ARCHIVE_MODE");
    assertThat(messageFor(result, "POSTGRESQL_WORK_MEM"))
        .isEqualTo(
            "rejected by PostgreSQL 15.18: invalid value for parameter \"work_mem\": \"4XB\". Valid units for this"
                + " parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\". Accepted: an integer from 64 to"
                + " 2147483647.");
    assertThat(messageFor(result, "POSTGRESQL_WAL_LEVEL"))
        .endsWith("Available values: minimal, replica, logical.");
    assertThat(messageFor(result, "POSTGRESQL_ENABLE_SEQSCAN"))
        .endsWith("requires a Boolean value. Accepted: on, off, true, false, yes, no, 1 or 0.");
    assertThat(messageFor(result, "POSTGRESQL_MAX_CONNECTIONS"))
        .endsWith("-5 is outside the valid range for parameter \"max_connections\" (1 .. 262143).");
    assertThat(messageFor(result, "POSTGRESQL_RANDOM_PAGE_COST"))
        .endsWith("Accepted: a number from 0 to 1.79769e+308.");
    assertThat(messageFor(result, "POSTGRESQL_STATEMENT_TIMEOUT"))
        .endsWith("Accepted: an integer from 0 to 2147483647 ms.");
    assertThat(messageFor(result, "POSTGRESQL_TEMP_BUFFERS"))
        .endsWith("Accepted: an integer from 100 to 1073741823 (in units of 8kB).");
    assertThat(messageFor(result, "POSTGRESQL_ARCHIVE_MODE"))
        .endsWith("Give the value without surrounding quotes: pgcontainer quotes it.");
    assertThat(result.problems()).allSatisfy(problem -> assertThat(problem.value()).isPresent());
    assertThat(server.files).hasSize(1);
  }

  @Test
  void rangesThatAlreadyCarryTheirUnitAreNotRepeated() {
    FakeServer server =
        new FakeServer(new ConfigFileVerdict(1, resource("server-log-bad-values-17.txt")));

    Result result = server.catalogue().validate(badValues());

    assertThat(messageFor(result, "POSTGRESQL_STATEMENT_TIMEOUT"))
        .isEqualTo(
            "rejected by PostgreSQL 15.18: -5000 ms is outside the valid range for parameter \"statement_timeout\""
                + " (0 ms .. 2147483647 ms).");
    assertThat(result.problems()).hasSize(12);
  }

  @Test
  void namesThatCannotBeWrittenAreProblemsBeforeTheServerIsAsked() {
    FakeServer server = new FakeServer(new ConfigFileVerdict(0, ""));

    Result result =
        server.catalogue().validate(settings("A____B=1", "INCLUDE=/etc/passwd", "WORK_MEM=4MB"));

    assertThat(result.problems())
        .extracting(ConfigurationProblem::variable)
        .containsExactly("POSTGRESQL_A____B", "POSTGRESQL_INCLUDE");
    assertThat(server.files).containsExactly(List.of("work_mem = '4MB'"));
  }

  @Test
  void aMessageNamingOnlyAFileLineIsAboutTheSettingOnThatLine() {
    FakeServer server =
        new FakeServer(
            new ConfigFileVerdict(
                1,
                "LOG:  syntax error in file \"/tmp/x/postgresql.conf\" line 2, near token \"x\"\n"
                    + "FATAL:  configuration file \"/tmp/x/postgresql.conf\" contains errors\n"));

    Result result =
        server.catalogue().validate(settings("WORK_MEM=4MB", "ARCHIVE_COMMAND=x", "PORT=5433"));

    assertThat(result.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("POSTGRESQL_ARCHIVE_COMMAND");
              assertThat(problem.message()).contains("syntax error in file");
            });
  }

  @Test
  void aFailureNoMessageExplainsIsAnErrorCarryingTheServersWords() {
    FakeServer server =
        new FakeServer(new ConfigFileVerdict(2, "FATAL:  could not access directory \"/x\"\n"));

    assertThatThrownBy(() -> server.catalogue().validate(settings("WORK_MEM=4MB")))
        .isInstanceOf(PgcontainerException.class)
        .hasMessageContaining("could not check the POSTGRESQL_* settings (exit 2)")
        .hasMessageContaining("could not access directory");
  }

  @Test
  void withoutAnInstallationTheCheckIsSkippedLoudly() {
    ListAppender<ILoggingEvent> log = capture(ServerParameterCatalogue.class);

    Result result =
        ServerParameterCatalogue.validatorFor(Optional.empty())
            .validate(settings("WORK_MEM=4XB", "X__9Y=1"));

    assertThat(result.skippedReason())
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("PG_BINDIR").contains("2 POSTGRESQL_* settings"));
    assertThat(result.problems())
        .extracting(ConfigurationProblem::variable)
        .containsExactly("POSTGRESQL_X__9Y");
    assertThat(log.list)
        .anySatisfy(
            event -> {
              assertThat(event.getLevel()).isEqualTo(Level.WARN);
              assertThat(event.getFormattedMessage())
                  .isEqualTo(result.skippedReason().orElseThrow());
            });
  }

  @Test
  void withoutAnInstallationNoSettingsIsNothingSkipped() {
    Result result = ServerParameterCatalogue.validatorFor(Optional.empty()).validate(List.of());

    assertThat(result.skippedReason()).isEmpty();
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void looksUpParametersIgnoringCase() {
    ServerParameterCatalogue catalogue = new FakeServer().catalogue();

    assertThat(catalogue.parameter("TIMEZONE")).map(ServerParameter::name).contains("TimeZone");
    assertThat(catalogue.parameter("no_such_thing")).isEmpty();
    assertThat(catalogue.parameters()).hasSize(37);
  }

  private static List<ServerSetting> badValues() {
    return settings(
        "SHARED_BUFFERS=512MB",
        "WORK_MEM=4XB",
        "WAL_LEVEL=bogus",
        "ENABLE_SEQSCAN=maybe",
        "MAX_CONNECTIONS=-5",
        "RANDOM_PAGE_COST=abc",
        "STATEMENT_TIMEOUT=-5s",
        "MAINTENANCE_WORK_MEM=9TB",
        "DATESTYLE=foo",
        "SEARCH_PATH=\"unterminated",
        "LOG_MIN_MESSAGES=a\nb",
        "TEMP_BUFFERS=1kB",
        "ARCHIVE_MODE='on'",
        "PG_STAT_STATEMENTS__MAX=abc");
  }

  private static String messageFor(Result result, String variable) {
    return result.problems().stream()
        .filter(problem -> problem.variable().equals(variable))
        .map(ConfigurationProblem::message)
        .findFirst()
        .orElseThrow();
  }

  /** {@code "WORK_MEM=4MB"} → the setting of POSTGRESQL_WORK_MEM. */
  static List<ServerSetting> settings(String... assignments) {
    return Arrays.stream(assignments)
        .map(
            assignment -> {
              String variable =
                  Variable.SERVER_SETTING_PREFIX + assignment.substring(0, assignment.indexOf('='));
              String value = assignment.substring(assignment.indexOf('=') + 1);
              return new ServerSetting(variable, ServerSetting.parameterName(variable), value);
            })
        .collect(Collectors.toList());
  }

  private static ListAppender<ILoggingEvent> capture(Class<?> type) {
    return TestLogs.capture(type.getName());
  }

  /**
   * Answers config-file runs in order with recorded verdicts and records the files it was given.
   */
  private static final class FakeServer implements ServerProbe {
    private final Deque<ConfigFileVerdict> verdicts;
    private final List<List<String>> files = new ArrayList<>();
    private int describeConfigRuns;

    FakeServer(ConfigFileVerdict... verdicts) {
      this.verdicts = new ArrayDeque<>(List.of(verdicts));
    }

    ServerParameterCatalogue catalogue() {
      return ServerParameterCatalogue.withProbe("PostgreSQL 15.18", this);
    }

    @Override
    public String describeConfig() {
      describeConfigRuns++;
      return DESCRIBE_CONFIG;
    }

    @Override
    public ConfigFileVerdict readConfigFile(List<String> lines) {
      files.add(List.copyOf(lines));
      return verdicts.removeFirst();
    }
  }
}
