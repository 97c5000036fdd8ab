package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.supervision.PosixSignal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the start script's fast restart. An unchanged restart has postgres started by the
 * script and adopted by the launcher, which supervises it as its own; a changed variable, a changed
 * file in the configuration directory and a bad setting each take the normal way, the bad one with
 * exit 78 before anything is started or changed.
 */
class RunFastRestartIT {

  private static final String ADOPTED = "fast restart: adopted postgres";
  private static final String STARTED_BY_SCRIPT = "pgcontainer: fast restart: postgres (pid";

  private LauncherSandbox sandbox;
  private Map<String, String> environment;

  @BeforeEach
  void copyInitialisedCluster() {
    sandbox = LauncherSandbox.withInitialisedCluster();
    environment = new HashMap<>();
    // the start script offers the fast way only with PG_BINDIR, as the image sets it
    environment.put(
        "PG_BINDIR", PgInstallation.discover(System.getenv()).orElseThrow().binDir().toString());
  }

  @AfterEach
  void killLeftoversAndDeleteSandbox() {
    sandbox.close();
  }

  @Test
  void unchangedRestartAdoptsTheServerTheScriptStartedAndStopsItGracefully() throws Exception {
    RunningLauncher first = sandbox.start(environment);
    first.awaitReady();
    first.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    assertThat(first.output()).doesNotContain(STARTED_BY_SCRIPT);
    Path record = sandbox.config().resolve(".pgcontainer-fast-restart");
    assertThat(Files.getPosixFilePermissions(record))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(record, StandardCharsets.ISO_8859_1))
        .doesNotContain(LauncherSandbox.PASSWORD);

    RunningLauncher second = sandbox.start(environment);
    second.awaitReady();
    assertThat(second.output())
        .contains(STARTED_BY_SCRIPT, ADOPTED)
        .doesNotContain("started postgres (pid");
    long postmaster = second.postmasterPid(); // a child of the launcher's JVM, as one it started
    try (Connection connection = sandbox.connect()) {
      assertThat(LauncherSandbox.queryValue(connection, "SELECT pg_backend_pid() <> " + postmaster))
          .isEqualTo("t");
    }
    second.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    assertThat(second.output())
        .contains("postgres (pid " + postmaster + ") stopped by SIGTERM", "exited with code 0");
    assertThat(sandbox.clusterState()).isEqualTo("shut down");
  }

  @Test
  void changedVariableChangedFileAndBadSettingTakeTheNormalWay() throws IOException, SQLException {
    RunningLauncher accepted = sandbox.start(environment);
    accepted.awaitReady();
    accepted.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);

    environment.put("POSTGRESQL_WORK_MEM", "8MB");
    assertNormalStart("a changed variable", "8MB");
    Files.writeString(sandbox.config().resolve("postgresql.conf"), "work_mem = '6MB'\n");
    environment.remove("POSTGRESQL_WORK_MEM");
    RunningLauncher withFile = sandbox.start(environment);
    withFile.awaitReady();
    withFile.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    Files.writeString(sandbox.config().resolve("postgresql.conf"), "work_mem = '7MB'\n");
    assertNormalStart("a changed file in PGCONFIG", "7MB");

    Map<String, String> before = contents(sandbox.config());
    environment.put("POSTGRESQL_WORK_MEM", "lots");
    RunningLauncher bad = sandbox.start(environment);
    int exitCode = bad.awaitExit(RunningLauncher.HANG_GUARD);

    assertThat(exitCode)
        .as("a bad setting; output:%n%s", bad.output())
        .isEqualTo(ExitCode.CONFIGURATION);
    assertThat(bad.output())
        .contains("POSTGRESQL_WORK_MEM")
        .doesNotContain(STARTED_BY_SCRIPT, "started postgres");
    assertThat(sandbox.data().resolve("postmaster.pid")).doesNotExist();
    assertThat(contents(sandbox.config())).as("the configuration directory").isEqualTo(before);
    assertThat(sandbox.clusterState()).isEqualTo("shut down");
  }

  /**
   * A start after the change: the launcher starts postgres itself, which runs with {@code workMem}.
   */
  private void assertNormalStart(String change, String workMem) throws SQLException {
    RunningLauncher launcher = sandbox.start(environment);
    launcher.awaitReady();
    assertThat(launcher.output())
        .as("after %s", change)
        .doesNotContain(STARTED_BY_SCRIPT, ADOPTED)
        .contains("started postgres (pid");
    try (Connection connection = sandbox.connect()) {
      assertThat(LauncherSandbox.queryValue(connection, "SHOW work_mem")).isEqualTo(workMem);
    }
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  private static Map<String, String> contents(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.collect(
          Collectors.toMap(
              file -> file.getFileName().toString(),
              file -> {
                try {
                  return Files.readString(file, StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
  }
}
