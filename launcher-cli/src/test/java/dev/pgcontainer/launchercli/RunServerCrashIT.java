package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #3: when the postmaster dies (SIGKILL from outside, the OOM killer), the launcher exits at
 * once with 128+9 and says why, so the restart policy acts; the next start recovers the cluster
 * without losing a committed row. A server that ends cleanly but unasked ends the launcher with 1
 * too.
 */
@ExtendWith(SandboxExtension.class)
class RunServerCrashIT {

  private static final int COMMITTED_ROWS = 50;

  private LauncherSandbox sandbox;

  @BeforeEach
  void copyInitialisedCluster(Sandbox temporary) {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
  }

  @Test
  void sigkillToThePostmasterEndsTheLauncherWith137AndTheNextStartLosesNoCommittedRow()
      throws SQLException {
    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();
    long postmaster = launcher.postmasterPid();
    try (Connection connection = sandbox.connect()) {
      execute(connection, "CREATE TABLE kept (id int PRIMARY KEY)");
      for (int id = 1; id <= COMMITTED_ROWS; id++) {
        execute(
            connection,
            "INSERT INTO kept VALUES (" + id + ")"); // each its own committed transaction
      }
    }

    long killed = System.nanoTime();
    OsProcesses.send(PosixSignal.KILL, postmaster);
    // the launcher learns of the death from the child's exit, an event: no clock in this test
    int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);

    System.out.printf(
        "[measured] launcher exit %d ms after SIGKILL to the postmaster%n",
        Duration.ofNanos(System.nanoTime() - killed).toMillis());
    assertThat(exitCode).as("128 + SIGKILL's number").isEqualTo(128 + PosixSignal.KILL.number());
    assertThat(launcher.output()).contains("SIGKILL");

    sandbox.killLeftovers(); // a restarted container starts without the old one's processes
    assertThat(sandbox.queryAfterRestart("SELECT count(*) FROM kept"))
        .isEqualTo(String.valueOf(COMMITTED_ROWS));
    assertThat(sandbox.allOutput()).contains("automatic recovery in progress");
  }

  @Test
  void aPostmasterStoppedCleanlyBehindTheLaunchersBackEndsItWithOneNotZero() {
    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();

    // what pg_ctl stop -m fast does: exit code 0. Not smart (SIGTERM): that waits for every session
    // to end, the launcher's own health connection included, so whether it ever ended depended on
    // whether that connection was open yet (under load it was, and the server stayed up)
    OsProcesses.send(PosixSignal.INT, launcher.postmasterPid());

    int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);
    assertThat(exitCode)
        .as("a stop the launcher did not ask for; output:%n%s", launcher.output())
        .isEqualTo(1);
    assertThat(launcher.output())
        .contains("ended without the launcher asking it to (exited with code 0");
  }
}
