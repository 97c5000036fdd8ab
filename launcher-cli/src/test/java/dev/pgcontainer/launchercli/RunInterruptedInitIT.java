package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
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
 * Issue #3: a stop signal while initdb runs ends the launcher promptly, leaves nothing running and
 * nothing that looks like a cluster, and the next start initialises from scratch and works.
 */
@ExtendWith(SandboxExtension.class)
class RunInterruptedInitIT {

  private LauncherSandbox sandbox;

  @BeforeEach
  void createEmptySandbox(Sandbox temporary) {
    sandbox = LauncherSandbox.in(temporary);
  }

  @Test
  void sigtermDuringInitdbStopsPromptlyAndTheNextStartInitialisesCleanly() throws SQLException {
    RunningLauncher interrupted = sandbox.start();
    long initdb = sandbox.awaitInitdb(interrupted);

    long sent = System.nanoTime();
    interrupted.signal(PosixSignal.TERM);
    int exitCode = interrupted.awaitExit(RunningLauncher.HANG_GUARD);

    System.out.printf(
        "[measured] launcher exit %d ms after SIGTERM during initdb%n",
        Duration.ofNanos(System.nanoTime() - sent).toMillis());
    assertThat(exitCode).as("exit code; output:%n%s", interrupted.output()).isZero();
    assertThat(interrupted.output()).contains("SIGTERM received during initdb");
    assertThat(ProcessHandle.of(initdb).filter(ProcessHandle::isAlive))
        .as("initdb (pid %d)", initdb)
        .isEmpty();
    assertThat(sandbox.data().resolve("PG_VERSION"))
        .as("a half-made cluster must not look complete")
        .doesNotExist();
    sandbox.awaitNoProcessInside("after the launcher exited"); // initdb's helpers were sent SIGKILL

    RunningLauncher next = sandbox.start();
    next.awaitReady();
    try (Connection connection = sandbox.connect()) {
      execute(connection, "CREATE TABLE written (id int)");
      execute(connection, "INSERT INTO written VALUES (1)");
      assertThat(queryValue(connection, "SELECT count(*) FROM written")).isEqualTo("1");
    }
    next.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }
}
