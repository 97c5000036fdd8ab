package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.testsupport.TestLogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessIT {

  /**
   * Not a requirement: keeps a broken process from hanging the build; generous for a loaded
   * machine.
   */
  private static final Duration SHORT = Duration.ofSeconds(60);

  @Test
  void pipesStdoutAndStderrLineByLineToTheLoggerNamedAfterTheSpec() throws Exception {
    ListAppender<ILoggingEvent> log = TestLogs.capture("it-echo");

    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh("it-echo", "echo 'to stdout {}'; echo to stderr >&2; printf 'no newline'")
                .build());
    ProcessExit exit = process.waitFor(SHORT).orElseThrow();

    assertThat(exit.isSuccess()).isTrue();
    assertThat(log.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactlyInAnyOrder("to stdout {}", "to stderr", "no newline");
    assertThat(log.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.INFO);
    assertThat(log.list)
        .extracting(ILoggingEvent::getThreadName)
        .contains("it-echo-stdout", "it-echo-stderr");
    assertThat(process.lastOutputLines())
        .containsExactlyInAnyOrder("to stdout {}", "to stderr", "no newline");
  }

  @Test
  void keepsOnlyTheLastLines() throws Exception {
    ManagedProcess process =
        ManagedProcess.start(TestSpecs.sh("it-seq", "seq 1 100").keptOutputLines(3).build());
    process.waitFor(SHORT).orElseThrow();

    assertThat(process.lastOutputLines()).containsExactly("98", "99", "100");
  }

  @Test
  void thePidIsTheProgramsOwnNotAWrappers() throws Exception {
    ManagedProcess process = ManagedProcess.start(TestSpecs.sh("it-pid", "echo $$").build());
    process.waitFor(SHORT).orElseThrow();

    assertThat(process.lastOutputLines()).containsExactly(Long.toString(process.pid()));
  }

  @Test
  void theEnvironmentIsExactlyTheSpecs() throws Exception {
    ManagedProcess process =
        ManagedProcess.start(
            ProcessSpec.builder()
                .name("it-env")
                .command("/usr/bin/env")
                .environment(Map.of("ONLY_THIS", "1", "AND_THIS", "two words"))
                .build());
    process.waitFor(SHORT).orElseThrow();

    assertThat(process.lastOutputLines())
        .containsExactlyInAnyOrder("ONLY_THIS=1", "AND_THIS=two words");
  }

  @Test
  void runsInTheWorkingDirectory(@TempDir Path directory) throws Exception {
    ManagedProcess process =
        ManagedProcess.start(TestSpecs.sh("it-pwd", "pwd -P").workingDirectory(directory).build());
    process.waitFor(SHORT).orElseThrow();

    assertThat(process.lastOutputLines()).containsExactly(directory.toRealPath().toString());
  }

  @Test
  void handsTheSecretOverOnStdinWithoutLoggingIt() throws Exception {
    ListAppender<ILoggingEvent> childLog = TestLogs.capture("it-stdin");
    ListAppender<ILoggingEvent> ourLog = TestLogs.capture(ManagedProcess.class.getName());
    String secret = "s3cret-" + System.nanoTime();

    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh(
                    "it-stdin",
                    "read -r line; [ \"$line\" = \"$EXPECTED\" ] && echo match || echo mismatch")
                .putEnvironment("EXPECTED", secret)
                .stdin(Secret.of(secret))
                .build());
    process.waitFor(SHORT).orElseThrow();

    assertThat(process.lastOutputLines()).containsExactly("match");
    assertThat(childLog.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains(secret));
    assertThat(ourLog.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains(secret));
    assertThat(process.command()).noneMatch(argument -> argument.contains(secret));
  }

  @Test
  void withoutStdinTheChildReadsEndOfFile() throws Exception {
    ManagedProcess process = ManagedProcess.start(TestSpecs.sh("it-eof", "cat; echo done").build());

    assertThat(process.waitFor(SHORT)).isPresent();
    assertThat(process.lastOutputLines()).containsExactly("done");
  }

  @Test
  void signalDeathsAreReportedAs128PlusTheSignal() throws Exception {
    assertThat(killWith(PosixSignal.KILL))
        .isEqualTo(new ProcessExit(137, java.util.Optional.of(PosixSignal.KILL)));
    assertThat(killWith(PosixSignal.TERM).exitCode()).isEqualTo(143);
    // HUP goes through kill(1) rather than Process.destroy
    assertThat(killWith(PosixSignal.HUP).signal()).contains(PosixSignal.HUP);
  }

  @Test
  void sigkillAlsoKillsEveryDescendantEvenAStoppedOne() throws Exception {
    ManagedProcess parent =
        ManagedProcess.start(
            TestSpecs.sh("it-tree", "sleep 300 & echo \"child $!\"; wait").build());
    Readiness.await(
        parent,
        "child started",
        p -> p.lastOutputLines().stream().anyMatch(l -> l.startsWith("child ")),
        SHORT);
    long child = Long.parseLong(parent.lastOutputLines().get(0).substring("child ".length()));
    ProcessHandle handle = ProcessHandle.of(child).orElseThrow();
    new ProcessBuilder("kill", "-s", "STOP", Long.toString(child))
        .start()
        .waitFor(); // as a stuck backend

    assertThat(parent.signal(PosixSignal.KILL)).isTrue();

    assertThat(handle.onExit().get(SHORT.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(parent.waitFor(SHORT).map(ProcessExit::exitCode)).contains(137);
  }

  @Test
  void outputWrittenAfterSigtermIsStillRead() throws Exception {
    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh(
                    "it-bye",
                    "trap 'echo shutting down; exit 0' TERM; echo ready; while :; do sleep 0.02; done")
                .build());
    Readiness.await(process, "trap installed", p -> p.lastOutputLines().contains("ready"), SHORT);

    assertThat(process.signal(PosixSignal.TERM)).isTrue();

    assertThat(process.waitFor(SHORT).map(ProcessExit::exitCode)).contains(0);
    assertThat(process.lastOutputLines()).containsExactly("ready", "shutting down");
  }

  @Test
  void signallingAFinishedProcessReportsFalse() throws Exception {
    ManagedProcess process = ManagedProcess.start(TestSpecs.sh("it-done", "exit 0").build());
    process.waitFor(SHORT).orElseThrow();

    assertThat(process.isAlive()).isFalse();
    assertThat(process.signal(PosixSignal.TERM)).isFalse();
    assertThat(process.signal(PosixSignal.HUP)).isFalse();
  }

  @Test
  void childrenStartWithNoBlockedSignalsSoSigquitArrives() throws Exception {
    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh(
                    "it-quit",
                    "trap 'echo got QUIT; exit 3' QUIT; echo ready; while :; do sleep 0.02; done")
                .build());
    Readiness.await(process, "trap installed", p -> p.lastOutputLines().contains("ready"), SHORT);

    // sh blocks every signal for a moment around each fork of sleep: a child born with blocked
    // signals never shows an empty mask, one born without shows it between forks
    Path status = Path.of("/proc/" + process.pid() + "/status");
    Readiness.await(
        process,
        "an empty signal mask",
        p -> uncheckedLines(status).contains("SigBlk:\t0000000000000000"),
        SHORT);
    assertThat(process.signal(PosixSignal.QUIT)).isTrue();
    assertThat(process.waitFor(SHORT).map(ProcessExit::exitCode)).contains(3);
    assertThat(process.lastOutputLines()).contains("got QUIT");
  }

  @Test
  void onExitCompletesWithTheExit() throws Exception {
    ManagedProcess process =
        ManagedProcess.start(TestSpecs.sh("it-exit", "echo last words; exit 4").build());

    ProcessExit exit = process.onExit().get(SHORT.toSeconds(), TimeUnit.SECONDS);

    assertThat(exit.exitCode()).isEqualTo(4);
    assertThat(exit.describe()).isEqualTo("exited with code 4");
    assertThat(process.lastOutputLines()).containsExactly("last words");
    assertThat(process.toString()).isEqualTo("it-exit (pid " + process.pid() + ")");
  }

  @Test
  void aMissingProgramIsAClearError() {
    assertThatThrownBy(
            () ->
                ManagedProcess.start(
                    ProcessSpec.builder().name("ghost").command("/no/such/program").build()))
        .isInstanceOf(PgcontainerException.class)
        .hasMessage("cannot start ghost: /no/such/program does not exist; check the installation");
  }

  @Test
  void aProgramNotOnThePathExitsWith127() throws Exception {
    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh("it-127", "ignored").command("no-such-program-anywhere").build());

    ProcessExit exit = process.waitFor(SHORT).orElseThrow();

    assertThat(exit.exitCode()).isEqualTo(127);
    assertThat(exit.describe()).contains("the program was not found");
    assertThat(process.lastOutputLines())
        .anyMatch(line -> line.contains("no-such-program-anywhere"));
  }

  @Test
  void rootRunsTheChildAsAnotherUserThroughSetpriv() throws Exception {
    assumeTrue(OsUsers.isRoot(), "only root can switch users");
    OsUser postgres = OsUsers.find("postgres").orElseThrow();

    ManagedProcess process =
        ManagedProcess.start(
            TestSpecs.sh("it-setpriv", "id -un; id -u; id -g; echo $$").runAs("postgres").build());
    process.waitFor(SHORT).orElseThrow();

    assertThat(process.lastOutputLines())
        .containsExactly(
            "postgres",
            Integer.toString(postgres.uid()),
            Integer.toString(postgres.gid()),
            Long.toString(process.pid()));
  }

  @Test
  void runAsTheCurrentUserNeedsNoPrivileges() throws Exception {
    String me = OsUsers.currentUser().orElseThrow().name();

    List<String> output = Commands.run(TestSpecs.sh("it-me", "id -un").runAs(me).build(), SHORT);

    assertThat(output).containsExactly(me);
  }

  private static List<String> uncheckedLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProcessExit killWith(PosixSignal signal) throws Exception {
    ManagedProcess process =
        ManagedProcess.start(ProcessSpec.builder().name("it-sleep").command("sleep", "30").build());
    assertThat(process.signal(signal)).isTrue();
    return process.waitFor(SHORT).orElseThrow();
  }
}
