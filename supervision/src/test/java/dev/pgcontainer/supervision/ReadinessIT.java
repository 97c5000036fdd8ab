package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessIT {

  /**
   * Not a requirement: keeps a broken process from hanging the build; generous for a loaded
   * machine.
   */
  private static final Duration SHORT = Duration.ofSeconds(60);

  @Test
  void returnsOnceTheCheckPasses(@TempDir Path directory) throws Exception {
    Path marker = directory.resolve("ready");
    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh("it-ready", "sleep 0.3; touch " + marker + "; exec sleep 30").build());
    AtomicInteger checks = new AtomicInteger();

    Duration took =
        Readiness.await(
            process,
            "marker file exists",
            p -> {
              checks.incrementAndGet();
              return Files.exists(marker);
            },
            SHORT);

    // no lower bound on the time: on a loaded machine the script may be well into its sleep before
    // the wait begins
    assertThat(Files.exists(marker)).as("the check held when the wait returned").isTrue();
    // pauses of 5, 10, 20, then 25 ms (never shorter, often longer on a loaded machine): at most
    // one check per 25 ms after the first few, not hundreds
    assertThat(checks.get())
        .isBetween(1, 5 + (int) (took.toMillis() / Readiness.MAX_PAUSE.toMillis()));
    process.signal(PosixSignal.KILL);
  }

  @Test
  void failsFastWhenTheProcessExits() {
    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh("it-crash", "echo 'FATAL: bad setting' >&2; sleep 0.2; exit 1").build());
    long start = System.nanoTime();

    ProcessFailedException failure =
        catchThrowableOfType(
            ProcessFailedException.class,
            () -> Readiness.await(process, "accepting connections", p -> false, SHORT));

    // the exit ends the wait, not the deadline
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SHORT.dividedBy(2));
    assertThat(failure.getMessage())
        .startsWith("it-crash exited with code 1 before it was ready (accepting connections)")
        .contains("FATAL: bad setting");
  }

  @Test
  void reportsTheLastCheckAndOutputAtTheDeadlineAndLeavesTheProcessRunning() throws Exception {
    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh("it-slowpoke", "echo still starting; exec sleep 120").build());
    Readiness.await(
        process, "its first line", p -> p.lastOutputLines().contains("still starting"), SHORT);

    ProcessNotReadyException failure =
        catchThrowableOfType(
            ProcessNotReadyException.class,
            () ->
                Readiness.await(
                    process,
                    "accepting connections",
                    p -> {
                      throw new java.net.ConnectException("Connection refused");
                    },
                    Duration.ofMillis(300)));

    assertThat(failure.getMessage())
        .startsWith(
            "it-slowpoke (pid "
                + process.pid()
                + ") was not ready (accepting connections) within 300 ms")
        .contains("last check: Connection refused")
        .contains("still starting");
    assertThat(failure.lastCheckResult()).isEqualTo("Connection refused");
    assertThat(process.isAlive()).isTrue();
    process.signal(PosixSignal.KILL);
    assertThat(process.waitFor(SHORT)).isPresent();
  }
}
