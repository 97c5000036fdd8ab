package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue #3: SIGTERM and SIGINT to the launcher shut the server down cleanly (exit 0, pg_control
 * says "shut down", committed rows survive a restart), and an open transaction cannot hold the
 * shutdown beyond TIMEOUT. Issue #15: SIGQUIT is an immediate shutdown.
 */
@ExtendWith(SandboxExtension.class)
class RunShutdownIT {

  private LauncherSandbox sandbox;

  @BeforeEach
  void copyInitialisedCluster(Sandbox temporary) {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
  }

  @ParameterizedTest(name = "SIG{0}")
  @EnumSource(
      value = PosixSignal.class,
      names = {"TERM", "INT"})
  void stopSignalShutsDownCleanlyWithExitZeroAndKeepsCommittedRows(PosixSignal signal)
      throws SQLException {
    RunningLauncher launcher = sandbox.start();
    Duration ready = launcher.awaitReady();
    assertThat(OsProcesses.ignores(launcher.pid(), signal))
        .as(
            "the launcher inherited %s as ignored from the test JVM (Maven run under nohup, or as a background job of"
                + " a non-interactive shell?), so it cannot handle it",
            signal.signalName())
        .isFalse();
    try (Connection connection = sandbox.connect()) {
      execute(connection, "CREATE TABLE kept (id int PRIMARY KEY)");
      execute(connection, "INSERT INTO kept SELECT generate_series(1, 1000)");
    }

    Duration shutdown = launcher.stopCleanly(signal, RunningLauncher.HANG_GUARD);

    System.out.printf(
        "[measured] SIG%s: ready after %d ms wall clock (launcher says %d ms), exit %d ms after the"
            + " signal%n",
        signal, ready.toMillis(), launcher.reportedReadyMillis(), shutdown.toMillis());
    assertThat(launcher.output()).doesNotContain("ignored by the");
    assertThat(sandbox.clusterState()).isEqualTo("shut down");
    assertThat(sandbox.queryAfterRestart("SELECT count(*) FROM kept")).isEqualTo("1000");
  }

  @Test
  void sigquitShutsDownImmediatelyAndCommittedRowsSurviveTheCrashRecovery() throws SQLException {
    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();
    try (Connection connection = sandbox.connect()) {
      execute(connection, "CREATE TABLE kept (id int PRIMARY KEY)");
      execute(connection, "INSERT INTO kept SELECT generate_series(1, 1000)");
    }

    launcher.signal(PosixSignal.QUIT);
    int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);

    assertThat(exitCode)
        .as("exit code after an immediate shutdown; output:%n%s", launcher.output())
        .isEqualTo(1);
    assertThat(launcher.output()).contains("shutting down postgres immediately");
    assertThat(sandbox.clusterState()).as("no shutdown checkpoint").isEqualTo("in production");
    assertThat(sandbox.queryAfterRestart("SELECT count(*) FROM kept")).isEqualTo("1000");
  }

  @Test
  void launcherWarnsAtStartWhenItsParentIgnoresSigint() {
    // sleep mode: the warning comes from installing the signal handlers, no server is needed for it
    RunningLauncher launcher = sandbox.startIgnoring(PosixSignal.INT, Map.of("SLEEP_MODE", "true"));
    launcher.awaitOutput("SLEEP_MODE=true");

    assertThat(OsProcesses.ignores(launcher.pid(), PosixSignal.INT)).isTrue();
    assertThat(launcher.output()).containsPattern("WARN .*SIGINT .*ignored by the");
    launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void openTransactionIsEndedByTheFastShutdownStep() throws SQLException {
    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();
    Duration shutdown;
    try (Connection committer = sandbox.connect();
        Connection longTransaction = sandbox.connect()) {
      execute(committer, "CREATE TABLE kept (id int PRIMARY KEY)");
      execute(committer, "INSERT INTO kept SELECT generate_series(1, 100)");
      longTransaction.setAutoCommit(false);
      execute(longTransaction, "INSERT INTO kept SELECT generate_series(101, 200)");

      // a smart shutdown waits for both clients forever; the ladder's fast step ends it (checked
      // below by the server's own words, not by a clock)
      shutdown = launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    }

    System.out.printf(
        "[measured] shutdown with an open transaction: exit %d ms after SIGTERM (TIMEOUT %d s)%n",
        shutdown.toMillis(), LauncherSandbox.TIMEOUT_SECONDS);
    assertThat(launcher.output())
        .contains("stopped by SIGINT"); // the fast step, not smart and not immediate
    assertThat(sandbox.clusterState()).isEqualTo("shut down");
    assertThat(sandbox.queryAfterRestart("SELECT count(*) FROM kept"))
        .as("the committed rows, without the uncommitted ones")
        .isEqualTo("100");
  }
}
