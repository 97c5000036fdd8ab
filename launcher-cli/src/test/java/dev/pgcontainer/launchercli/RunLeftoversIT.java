package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pgcontainer.supervision.PosixSignal;
import dev.pgcontainer.testsupport.Sandbox;
import dev.pgcontainer.testsupport.SandboxExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #15 items 1 and 2: nothing of a server outlives the stop ladder, and what a killed launcher
 * left running on PGDATA (postgres, a stuck backend, initdb) neither blocks the next start nor
 * survives it. The stuck backend is a real one stopped with SIGSTOP; the launcher is killed with a
 * real SIGKILL (its JVM only, as the OOM killer would).
 */
@ExtendWith(SandboxExtension.class)
class RunLeftoversIT {

  private LauncherSandbox sandbox;

  @Test
  void aStoppedBackendDoesNotSurviveTheLadderNorBlockTheNextStart(Sandbox temporary)
      throws Exception {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
    RunningLauncher launcher = sandbox.start(Map.of("TIMEOUT", "6"));
    launcher.awaitReady();
    try (Connection sleeper = sandbox.connect()) {
      long backend = stopBackendInSleep(sleeper);

      launcher.signal(PosixSignal.TERM);
      int exitCode = launcher.awaitExit(RunningLauncher.HANG_GUARD);

      assertThat(exitCode)
          .as("exit code after a ladder that needed SIGKILL; output:%n%s", launcher.output())
          .isEqualTo(1);
      awaitGone(backend, "the stopped backend");
    }
    RunningLauncher next = sandbox.start();
    next.awaitReady();
    next.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void postgresOfAKilledLauncherDoesNotBlockTheNextStartAndKeepsCommittedRows(Sandbox temporary)
      throws SQLException {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
    RunningLauncher killed = sandbox.start();
    killed.awaitReady();
    long postmaster = killed.postmasterPid();
    try (Connection connection = sandbox.connect()) {
      execute(connection, "CREATE TABLE kept (id int PRIMARY KEY)");
      execute(connection, "INSERT INTO kept SELECT generate_series(1, 1000)");
    }

    OsProcesses.send(PosixSignal.KILL, killed.jvmPid()); // the JVM, as the OOM killer would
    killed.awaitExit(RunningLauncher.HANG_GUARD);
    awaitGone(
        postmaster,
        "the postmaster of the killed launcher JVM"); // its parent-death signal: a fast shutdown
    assertThat(sandbox.clusterState()).isEqualTo("shut down");

    RunningLauncher next = sandbox.start();
    next.awaitReady();
    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SELECT count(*) FROM kept")).isEqualTo("1000");
    }
    next.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  @Test
  void sigkillOfTheStartScriptStopsTheServerCleanly(Sandbox temporary) {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
    RunningLauncher launcher = sandbox.start();
    launcher.awaitReady();
    long jvm = launcher.jvmPid();
    long postmaster = launcher.postmasterPid();

    OsProcesses.send(PosixSignal.KILL, launcher.pid());

    awaitGone(jvm, "the launcher JVM");
    awaitGone(postmaster, "the postmaster");
    assertThat(sandbox.clusterState()).isEqualTo("shut down");
  }

  @Test
  void anOrphanStuckOnAStoppedBackendIsStoppedByTheNextStart(Sandbox temporary) throws Exception {
    sandbox = LauncherSandbox.withInitialisedCluster(temporary);
    RunningLauncher killed = sandbox.start(Map.of("TIMEOUT", "6"));
    killed.awaitReady();
    long postmaster = killed.postmasterPid();
    try (Connection sleeper = sandbox.connect()) {
      long backend = stopBackendInSleep(sleeper);
      OsProcesses.send(PosixSignal.KILL, killed.jvmPid()); // the JVM, as the OOM killer would
      killed.awaitExit(RunningLauncher.HANG_GUARD);

      RunningLauncher next = sandbox.start(Map.of("TIMEOUT", "6"));
      next.awaitReady();

      assertThat(OsProcesses.isRunning(backend))
          .as("the stopped backend (pid %d)", backend)
          .isFalse();
      assertThat(OsProcesses.isRunning(postmaster))
          .as("the old postmaster (pid %d)", postmaster)
          .isFalse();
      assertThat(next.output()).contains("left by a launcher that is gone");
      next.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    }
  }

  @Test
  void aStuckInitdbOfAKilledLauncherIsStoppedByTheNextStart(Sandbox temporary) throws SQLException {
    sandbox = LauncherSandbox.in(temporary);
    RunningLauncher killed = sandbox.start();
    long initdb = sandbox.awaitInitdb(killed);
    OsProcesses.send(
        PosixSignal.STOP, initdb); // stuck: it neither finishes nor notices its launcher's end
    OsProcesses.send(PosixSignal.KILL, killed.jvmPid()); // the JVM, as the OOM killer would
    killed.awaitExit(RunningLauncher.HANG_GUARD);

    RunningLauncher next = sandbox.start();
    next.awaitReady();

    assertThat(OsProcesses.isRunning(initdb)).as("the old initdb (pid %d)", initdb).isFalse();
    try (Connection connection = sandbox.connect()) {
      assertThat(queryValue(connection, "SELECT 1")).isEqualTo("1");
    }
    next.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
  }

  /**
   * Starts {@code pg_sleep(120)} on {@code sleeper}, waits until its backend runs it, stops that
   * backend: its pid.
   */
  private long stopBackendInSleep(Connection sleeper) throws Exception {
    long backend = Long.parseLong(queryValue(sleeper, "SELECT pg_backend_pid()"));
    CompletableFuture.runAsync(
        () -> {
          try {
            execute(sleeper, "SELECT pg_sleep(120)");
          } catch (SQLException expected) {
            // the server goes away under it
          }
        });
    try (Connection observer = sandbox.connect()) {
      long deadline = System.nanoTime() + RunningLauncher.HANG_GUARD.toNanos();
      while (!queryValue(
              observer,
              "SELECT count(*) FROM pg_stat_activity WHERE pid = "
                  + backend
                  + " AND state = 'active' AND query LIKE '%pg_sleep%'")
          .equals("1")) {
        if (System.nanoTime() > deadline) {
          fail("backend %d did not start pg_sleep", backend);
        }
        RunningLauncher.pause();
      }
    }
    OsProcesses.send(PosixSignal.STOP, backend);
    return backend;
  }

  private static void awaitGone(long pid, String what) {
    long deadline = System.nanoTime() + RunningLauncher.HANG_GUARD.toNanos();
    while (OsProcesses.isRunning(pid) && System.nanoTime() < deadline) {
      RunningLauncher.pause();
    }
    assertThat(OsProcesses.isRunning(pid)).as("%s (pid %d) still runs", what, pid).isFalse();
  }
}
