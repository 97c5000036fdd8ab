package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pgcontainer.testsupport.TestLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsIT {

  /**
   * Not a requirement: keeps a broken process from hanging the build; generous for a loaded
   * machine.
   */
  /**
   * Long enough for a shell on a loaded machine to write its pid file and a line before it is
   * killed.
   */
  private static final Duration OVERRUN_LIMIT = Duration.ofSeconds(3);

  private static final Duration SHORT = Duration.ofSeconds(60);

  @Test
  void returnsEveryStdoutLineAndLogsStderr() throws Exception {
    ListAppender<ILoggingEvent> log = TestLogs.capture("it-cmd");

    List<String> output =
        Commands.run(
            TestSpecs.sh("it-cmd", "seq 1 80; echo warning >&2").keptOutputLines(5).build(), SHORT);

    assertThat(output).hasSize(80).startsWith("1", "2").endsWith("80").doesNotContain("warning");
    assertThat(log.list)
        .filteredOn(event -> event.getLevel() == Level.INFO)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("warning");
  }

  @Test
  void aFailingCommandThrowsWithItsExitCommandAndOutput() {
    ProcessFailedException failure =
        catchThrowableOfType(
            ProcessFailedException.class,
            () ->
                Commands.run(
                    TestSpecs.sh("it-fail", "echo starting; echo 'boom: bad flag' >&2; exit 3")
                        .build(),
                    SHORT));

    assertThat(failure.exit().map(ProcessExit::exitCode)).contains(3);
    assertThat(failure.lastOutputLines()).containsExactlyInAnyOrder("starting", "boom: bad flag");
    assertThat(failure.command())
        .containsExactly("sh", "-c", "echo starting; echo 'boom: bad flag' >&2; exit 3");
    assertThat(failure.getMessage())
        .startsWith("it-fail failed: exited with code 3")
        .contains("command: sh -c 'echo starting;")
        .contains("boom: bad flag");
  }

  @Test
  void anOverrunningCommandIsKilledWithItsDescendants(@TempDir Path directory) throws Exception {
    Path grandchildPid = directory.resolve("grandchild.pid");
    long start = System.nanoTime();

    ProcessFailedException failure =
        catchThrowableOfType(
            ProcessFailedException.class,
            () ->
                Commands.run(
                    TestSpecs.sh(
                            "it-slow",
                            "sleep 120 & echo $! > " + grandchildPid + "; echo waiting; wait")
                        .build(),
                    OVERRUN_LIMIT));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("killed at the limit, not waited for (120 s)").isLessThan(SHORT);
    assertThat(failure.getMessage())
        .startsWith("it-slow did not finish within 3.0 s and was killed");
    assertThat(failure.exit().flatMap(ProcessExit::signal)).contains(PosixSignal.KILL);
    assertThat(failure.lastOutputLines()).containsExactly("waiting");
    long grandchild = Long.parseLong(Files.readString(grandchildPid).trim());
    assertThat(diesWithin(grandchild, SHORT)).isTrue();
  }

  /**
   * SIGKILL is asynchronous, and the orphan is reaped by PID 1 only later: a zombie counts as dead.
   */
  private static boolean diesWithin(long pid, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Path stat = Path.of("/proc/" + pid + "/stat");
    while (System.nanoTime() < deadline) {
      if (!Files.exists(stat)) {
        return true;
      }
      try {
        String content = Files.readString(stat);
        if (content.substring(content.lastIndexOf(')') + 2).startsWith("Z")) {
          return true;
        }
      } catch (java.nio.file.NoSuchFileException gone) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }
}
