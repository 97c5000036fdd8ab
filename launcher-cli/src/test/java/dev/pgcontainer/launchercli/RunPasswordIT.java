package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #3: POSTGRES_PASSWORD is the superuser's password from the first start on, a new value
 * replaces it at the next start, and the plain text never shows: not in the launcher's output
 * (which carries the server log), not in any file under PGLOG, PGCONFIG or PGDATA, not in any
 * process's command line, not in the server processes' environment.
 */
@ExtendWith(SandboxExtension.class)
class RunPasswordIT {

  private static final String FIRST_PASSWORD = "First-Pw-LeakCanary-7f3a9c2e";
  private static final String SECOND_PASSWORD = "Second-Pw-LeakCanary-b81d44e0";

  /**
   * SQLSTATE invalid_password: the server refused the password (not "unreachable", not "no such
   * role").
   */
  private static final String INVALID_PASSWORD = "28P01";

  private LauncherSandbox sandbox;

  @BeforeEach
  void createEmptySandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
  }

  @Test
  void passwordIsSetAtFirstStartReplacedAtRestartAndNeverExposed() throws Exception {
    SecretWatch watch = SecretWatch.start(sandbox, FIRST_PASSWORD, SECOND_PASSWORD);
    try (watch) {
      // the server logs to stderr, i.e. into the launcher's output
      RunningLauncher first =
          sandbox.start(loggingAllStatements("POSTGRES_PASSWORD", FIRST_PASSWORD));
      first.awaitReady();
      assertLoginWorks(FIRST_PASSWORD);
      assertLoginRefused(SECOND_PASSWORD);
      first.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      assertThat(first.output())
          .as("statements logged by the server")
          .contains("SELECT current_user");

      // the server logs to PGLOG/postgresql.log
      RunningLauncher second =
          sandbox.start(
              loggingAllStatements(
                  "POSTGRESQL_LOGGING_COLLECTOR", "on", "POSTGRES_PASSWORD", SECOND_PASSWORD));
      second.awaitReady();
      assertLoginWorks(SECOND_PASSWORD);
      assertLoginRefused(FIRST_PASSWORD);
      second.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    }

    assertThat(watch.leaks()).isEmpty();
    assertThat(watch.serverProcessesExamined())
        .as("server processes whose environment was read")
        .anyMatch(process -> process.endsWith("/postgres"))
        .anyMatch(process -> process.endsWith("/initdb"));
    assertThat(sandbox.allOutput()).doesNotContain(FIRST_PASSWORD).doesNotContain(SECOND_PASSWORD);
    assertThat(Files.readString(sandbox.log().resolve("postgresql.log")))
        .as("statements logged by the server")
        .contains("SELECT current_user");
    assertThat(
            filesHolding(
                List.of(sandbox.log(), sandbox.config(), sandbox.data()),
                FIRST_PASSWORD,
                SECOND_PASSWORD))
        .isEmpty();
  }

  @Test
  void aPasswordWithQuotesBackslashesAndLineBreaksIsTheOneSetAtFirstStart() throws Exception {
    // the single-user backend reads the statement that sets it up to the first line break
    String password = "it's \\ \"quoted\"\nover\r\nlines;";
    RunningLauncher first = sandbox.start(Map.of("POSTGRES_PASSWORD", password));
    first.awaitReady();

    assertLoginWorks(password);
    assertLoginRefused(password.substring(0, password.indexOf('\n')));
    first.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  /**
   * {@code namesAndValues} plus every statement in the server log, so a password in a statement
   * could not hide.
   */
  private static Map<String, String> loggingAllStatements(String... namesAndValues) {
    Map<String, String> variables =
        new HashMap<>(
            Map.of(
                "POSTGRESQL_LOG_STATEMENT", "all", "POSTGRESQL_LOG_MIN_DURATION_STATEMENT", "0"));
    for (int i = 0; i < namesAndValues.length; i += 2) {
      variables.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return variables;
  }

  private void assertLoginWorks(String password) throws SQLException {
    try (Connection connection = sandbox.connect(password)) {
      assertThat(queryValue(connection, "SELECT current_user"))
          .isEqualTo(LauncherSandbox.SUPERUSER);
    }
  }

  private void assertLoginRefused(String password) {
    assertThatExceptionOfType(SQLException.class)
        .as("login with a password that is not the current one")
        .isThrownBy(() -> sandbox.connect(password).close())
        .satisfies(
            refused ->
                assertThat(refused.getSQLState())
                    .as("SQLSTATE of: %s", refused.getMessage())
                    .isEqualTo(INVALID_PASSWORD));
  }

  /** Every regular file under {@code roots} whose bytes hold one of {@code secrets}. */
  private static List<String> filesHolding(List<Path> roots, String... secrets) throws IOException {
    List<byte[]> needles =
        Stream.of(secrets).map(secret -> secret.getBytes(StandardCharsets.UTF_8)).toList();
    List<String> holding = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.exists(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          byte[] content = Files.readAllBytes(file);
          if (needles.stream().anyMatch(needle -> SecretWatch.indexOf(content, needle) >= 0)) {
            holding.add(file.toString());
          }
        }
      }
    }
    return holding;
  }
}
