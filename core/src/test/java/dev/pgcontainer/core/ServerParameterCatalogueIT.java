package dev.pgcontainer.core;

import static dev.pgcontainer.core.ServerParameterCatalogueTest.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.ServerSettingsValidator.Result;
import dev.pgcontainer.testsupport.ServerBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real PostgreSQL 15 judges the settings. */
class ServerParameterCatalogueIT {

  private static ServerParameterCatalogue catalogue;

  @BeforeAll
  static void findServer() {
    catalogue = ServerParameterCatalogue.of(PgInstallation.at(ServerBinaries.binDir()));
  }

  @Test
  void acceptsGoodValues() {
    Result result =
        catalogue.validate(
            settings(
                "SHARED_BUFFERS=512MB",
                "MAX_CONNECTIONS=200",
                "ENABLE_SEQSCAN=on",
                "ENABLE_HASHJOIN=off",
                "FSYNC=true",
                "WAL_LEVEL=replica",
                "PG_STAT_STATEMENTS__MAX=5000",
                "WORK_MEM=4MB",
                "LISTEN_ADDRESSES=0.0.0.0",
                "PORT=5433",
                "SEARCH_PATH=\"$user\", public",
                "TIMEZONE=UTC",
                "ARCHIVE_COMMAND=test ! -f '/archive/%f' && cp \"%p\" /archive/%f\\\nexit 0",
                "ZERO_DAMAGED_PAGES=off"));

    assertThat(result.problems()).isEmpty();
    assertThat(result.skippedReason()).isEmpty();
  }

  @Test
  void unknownNameGetsTheClosestKnownName() {
    Result result = catalogue.validate(settings("SHARED_BUFFER=512MB"));

    assertThat(result.problems())
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.variable()).isEqualTo("POSTGRESQL_SHARED_BUFFER");
              assertThat(problem.value()).contains("512MB");
              assertThat(problem.message())
                  .matches(
                      "PostgreSQL 15\\.\\d+ has no parameter 'shared_buffer': did you mean POSTGRESQL_SHARED_BUFFERS"
                          + " \\(shared_buffers\\)\\?");
            });
  }

  @Test
  void badValuesAreRejectedNamingTheirVariable() {
    Result result =
        catalogue.validate(
            settings(
                "WORK_MEM=4XB", "WAL_LEVEL=bogus", "ENABLE_SEQSCAN=maybe", "MAX_CONNECTIONS=-5"));

    assertThat(result.problems())
        .extracting(ConfigurationProblem::toString)
        .satisfiesExactly(
            workMem ->
                assertThat(workMem)
                    .startsWith("POSTGRESQL_WORK_MEM='4XB': rejected by PostgreSQL 15.")
                    .contains(
                        "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\"."),
            walLevel ->
                assertThat(walLevel)
                    .startsWith("POSTGRESQL_WAL_LEVEL='bogus'")
                    .contains("Available values: minimal, replica, logical."),
            seqscan ->
                assertThat(seqscan)
                    .startsWith("POSTGRESQL_ENABLE_SEQSCAN='maybe'")
                    .contains("requires a Boolean value")
                    .contains("on, off, true, false"),
            connections ->
                assertThat(connections)
                    .startsWith("POSTGRESQL_MAX_CONNECTIONS='-5'")
                    .contains("outside the valid range")
                    .contains("(1 .. 262143)"));
  }

  @Test
  void everyProblemIsReportedInOneGo() {
    Result result =
        catalogue.validate(
            settings(
                "SHARED_BUFFER=512MB",
                "WORK_MEM=4XB",
                "WAL_LEVEL=bogus",
                "PG_STAT_STATEMENTS__MAX=5000",
                "ENABLE_SEQSCAN=maybe",
                "MAX_CONNECTIONS=-5",
                "A__B__C=1",
                "PORT=5433"));

    assertThat(result.problems())
        .extracting(ConfigurationProblem::variable)
        .containsExactly(
            "POSTGRESQL_SHARED_BUFFER",
            "POSTGRESQL_WORK_MEM",
            "POSTGRESQL_WAL_LEVEL",
            "POSTGRESQL_ENABLE_SEQSCAN",
            "POSTGRESQL_MAX_CONNECTIONS",
            "POSTGRESQL_A__B__C");
  }

  @Test
  void valuesAreJudgedWithoutBeingAppliedToTheMessagesWeRead() {
    // a log_destination of syslog or a foreign lc_messages in the file must not hide or reword what
    // we parse
    Result result =
        catalogue.validate(
            settings(
                "LOG_DESTINATION=syslog",
                "LOG_LINE_PREFIX=%m [%p] ",
                "LOG_MIN_MESSAGES=panic",
                "LC_MESSAGES=xx_XX.UTF-8",
                "WAL_LEVEL=bogus"));

    assertThat(result.problems())
        .extracting(ConfigurationProblem::variable)
        .containsExactly("POSTGRESQL_LC_MESSAGES", "POSTGRESQL_WAL_LEVEL");
  }

  @Test
  void leavesNoTemporaryFilesBehind() throws IOException {
    List<Path> before = checkDirectories();

    catalogue.validate(settings("WORK_MEM=4XB", "SHARED_BUFFER=1"));

    assertThat(checkDirectories()).isEqualTo(before);
  }

  @Test
  void cataloguesTheServersParameters() {
    assertThat(catalogue.parameter("shared_buffers"))
        .hasValueSatisfying(
            parameter -> {
              assertThat(parameter.type()).isEqualTo(ServerParameter.Type.INTEGER);
              assertThat(parameter.context()).isEqualTo("postmaster");
              assertThat(parameter.minimum()).contains("16");
            });
    assertThat(catalogue.parameters()).hasSizeGreaterThan(300);
  }

  private static List<Path> checkDirectories() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .filter(path -> path.getFileName().toString().startsWith("pgcontainer-settings-check-"))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
