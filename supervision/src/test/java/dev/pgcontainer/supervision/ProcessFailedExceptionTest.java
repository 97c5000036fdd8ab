package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessFailedExceptionTest {

  private static final List<String> INITDB =
      List.of("/opt/postgresql/15/bin/initdb", "-D", "/data dir");

  @Test
  void showsWhatHappenedTheCommandAndTheLastLines() {
    ProcessFailedException failure =
        ProcessFailedException.exited(
            "initdb",
            INITDB,
            ProcessExit.ofExitValue(1),
            List.of(
                "initdb: error: directory \"/data dir\" exists but is not empty",
                "initdb: hint: remove it"));

    assertThat(failure)
        .hasMessage(
            "initdb failed: exited with code 1\n"
                + "  command: /opt/postgresql/15/bin/initdb -D '/data dir'\n"
                + "  last 2 output lines:\n"
                + "    initdb: error: directory \"/data dir\" exists but is not empty\n"
                + "    initdb: hint: remove it");
    assertThat(failure.processName()).isEqualTo("initdb");
    assertThat(failure.command()).isEqualTo(INITDB);
    assertThat(failure.exit().map(ProcessExit::exitCode)).contains(1);
    assertThat(failure.lastOutputLines()).hasSize(2);
  }

  @Test
  void timeoutSaysHowLongAndWhatBecameOfIt() {
    ProcessFailedException killed =
        ProcessFailedException.timedOut(
            "initdb",
            INITDB,
            Duration.ofSeconds(30),
            Optional.of(ProcessExit.ofExitValue(137)),
            List.of());
    ProcessFailedException stuck =
        ProcessFailedException.timedOut(
            "initdb", INITDB, Duration.ofMillis(200), Optional.empty(), List.of());

    assertThat(killed.getMessage())
        .startsWith("initdb did not finish within 30.0 s and was killed\n")
        .contains("(no output)");
    assertThat(killed.exit().flatMap(ProcessExit::signal)).contains(PosixSignal.KILL);
    assertThat(stuck.getMessage())
        .startsWith("initdb did not finish within 200 ms and is still running after SIGKILL");
  }

  @Test
  void exitBeforeReadyNamesTheCondition() {
    ProcessFailedException failure =
        ProcessFailedException.exitedBeforeReady(
            "postgres",
            List.of("postgres"),
            "accepting connections",
            ProcessExit.ofExitValue(1),
            List.of("FATAL: x"));

    assertThat(failure.getMessage())
        .startsWith("postgres exited with code 1 before it was ready (accepting connections)")
        .contains("FATAL: x");
  }

  @Test
  void quotesArgumentsThatAShellWouldSplit() {
    assertThat(CommandLines.render(List.of("sh", "-c", "echo it's", "a=b", "--x=/y")))
        .isEqualTo("sh -c 'echo it'\\''s' a=b --x=/y");
  }
}
