package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue #14: the official image's command line, through the real start script and server. */
@ExtendWith(SandboxExtension.class)
class OfficialCommandLineIT {

  private LauncherSandbox sandbox;

  @BeforeEach
  void createEmptySandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
  }

  @Test
  void serverOptionsOfTheCommandLineWinOverTheEnvironment() throws SQLException {
    RunningLauncher launcher =
        sandbox.startWith(
            Map.of("POSTGRESQL_MAX_CONNECTIONS", "200"),
            "postgres",
            "-c",
            "max_connections=42",
            "--work-mem=5MB",
            "-F");
    launcher.awaitReady();

    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SHOW max_connections")).isEqualTo("42");
      assertThat(queryValue(connection, "SHOW work_mem")).isEqualTo("5MB");
      assertThat(queryValue(connection, "SHOW fsync")).isEqualTo("off");
    }
    // as on the official image, which Testcontainers' PostgreSQLContainer waits for: twice on a
    // first start
    String output = launcher.output();
    assertThat(output.split("database system is ready to accept connections", -1)).hasSize(3);
    // and the second means clients can log in: the password was set on the first, socket-only
    // server
    assertThat(output.indexOf("set the password of " + LauncherSandbox.SUPERUSER))
        .isPositive()
        .isLessThan(output.lastIndexOf("database system is ready to accept connections"));
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void optionsAloneRunTheServerAsWell() throws SQLException {
    RunningLauncher launcher = sandbox.startWith(Map.of(), "-c", "shared_buffers=24MB");
    launcher.awaitReady();

    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SHOW shared_buffers")).isEqualTo("24MB");
    }
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void aSettingTheServerRejectsExits78NamingTheOptionAndMakesNoCluster() {
    LauncherSandbox.CommandOutcome outcome =
        sandbox.command(
            Map.of(), "postgres", "-c", "max_connectionz=42", "-c", "shared_buffers=lots");

    assertThat(outcome.exitCode()).as(outcome.describe()).isEqualTo(78);
    assertThat(outcome.stderr()).contains("-c max_connectionz", "-c shared_buffers='lots'");
    // The root step before the run judges settings by form only (the server refuses root), so it
    // may have made the directories; the server's judgement comes before any cluster or
    // configuration file.
    assertThat(sandbox.data().resolve("PG_VERSION")).doesNotExist();
    assertThat(sandbox.config().resolve("postgresql.conf")).doesNotExist();
  }

  @Test
  void aSettingNameThatCannotBeExits78AndTouchesNothing() {
    LauncherSandbox.CommandOutcome outcome =
        sandbox.command(Map.of(), "postgres", "-c", "max connections=42");

    assertThat(outcome.exitCode()).as(outcome.describe()).isEqualTo(78);
    assertThat(outcome.stderr()).contains("-c max connections");
    assertThat(sandbox.data()).as("PGDATA").doesNotExist();
    assertThat(sandbox.config()).as("PGCONFIG").doesNotExist();
  }

  @Test
  void anOptionThatRunsNoServerIsAUsageError() {
    LauncherSandbox.CommandOutcome outcome = sandbox.command(Map.of(), "postgres", "--single");

    assertThat(outcome.exitCode()).as(outcome.describe()).isEqualTo(2);
    assertThat(outcome.stderr()).contains("--single is not supported");
    assertThat(Files.exists(sandbox.data())).isFalse();
  }

  @Test
  void aPasswordFileOnlyRootCanReadIsHandedOverWithoutTheEnvironmentOrCommandLine()
      throws IOException, SQLException {
    Path secret =
        Files.writeString(
            sandbox.root().resolve("password-secret"), LauncherSandbox.PASSWORD + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Map<String, String> overrides = new HashMap<>();
    overrides.put("POSTGRES_PASSWORD", null);
    overrides.put("POSTGRES_PASSWORD_FILE", secret.toString());

    RunningLauncher launcher = sandbox.startWith(overrides, "postgres");
    launcher.awaitReady();

    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SELECT current_user"))
          .isEqualTo(LauncherSandbox.SUPERUSER);
    }
    String environ =
        Files.readString(
            Path.of("/proc/" + launcher.jvmPid() + "/environ"), StandardCharsets.UTF_8);
    String commandLine =
        Files.readString(
            Path.of("/proc/" + launcher.jvmPid() + "/cmdline"), StandardCharsets.UTF_8);
    assertThat(environ)
        .contains("POSTGRES_PASSWORD_FILE=")
        .doesNotContain(LauncherSandbox.PASSWORD);
    assertThat(commandLine).contains("pgcontainer.jar").doesNotContain(LauncherSandbox.PASSWORD);
    assertThat(launcher.output()).doesNotContain(LauncherSandbox.PASSWORD);
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void anyOtherCommandIsExecutedAsGiven() {
    LauncherSandbox.CommandOutcome echo = sandbox.command(Map.of(), "echo", "hello", "world");
    LauncherSandbox.CommandOutcome failing = sandbox.command(Map.of(), "sh", "-c", "exit 3");

    assertThat(echo.exitCode()).as(echo.describe()).isZero();
    assertThat(echo.stdout()).isEqualTo("hello world\n");
    assertThat(failing.exitCode()).isEqualTo(3);
  }
}
