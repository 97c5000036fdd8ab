package dev.pgcontainer.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessIT {

  private static final Duration SHORT = Duration.ofSeconds(5);

  @Test
  void returnsOnceTheCheckPasses(@TempDir Path directory) throws Exception {
    Path marker = directory.resolve("ready");
    ManagedProcess process =
        ManagedProcess.start(TestSpecs.sh("it-ready", "sleep 0.3; touch " + marker + "; exec sleep 30").build());
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

    assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
    // 5, 10, 20, 25, 25 ms ... : a few dozen checks at most, not hundreds
    assertThat(checks.get()).isBetween(4, 40);
    process.signal(PosixSignal.KILL);
  }

  @Test
  void failsFastWhenTheProcessExits() {
    ManagedProcess process =
        ManagedProcess.start(TestSpecs.sh("it-crash", "echo 'FATAL: bad setting' >&2; sleep 0.2; exit 1").build());
    long start = System.nanoTime();

    ProcessFailedException failure =
        catchThrowableOfType(
            ProcessFailedException.class,
            () -> Readiness.await(process, "accepting connections", p -> false, Duration.ofSeconds(10)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(failure.getMessage())
        .startsWith("it-crash exited with code 1 before it was ready (accepting connections)")
        .contains("FATAL: bad setting");
  }

  @Test
  void reportsTheLastCheckAndOutputAtTheDeadlineAndLeavesTheProcessRunning() throws Exception {
    ManagedProcess process =
        ManagedProcess.start(TestSpecs.sh("it-slowpoke", "echo still starting; exec sleep 30").build());

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
        .startsWith("it-slowpoke (pid " + process.pid() + ") was not ready (accepting connections) within 300 ms")
        .contains("last check: Connection refused")
        .contains("still starting");
    assertThat(failure.lastCheckResult()).isEqualTo("Connection refused");
    assertThat(process.isAlive()).isTrue();
    process.signal(PosixSignal.KILL);
    assertThat(process.waitFor(SHORT)).isPresent();
  }
}
