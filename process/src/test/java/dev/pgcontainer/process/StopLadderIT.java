package dev.pgcontainer.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StopLadderIT {

  private static final Duration SHORT = Duration.ofSeconds(5);
  private static final StopLadder LADDER =
      StopLadder.builder()
          .step(PosixSignal.TERM, Duration.ofMillis(200))
          .step(PosixSignal.INT, Duration.ofMillis(200))
          .step(PosixSignal.QUIT, Duration.ofMillis(200))
          .step(PosixSignal.KILL, Duration.ofSeconds(2))
          .build();

  @Test
  void escalatesToKillWhenTheProcessIgnoresEverythingElse() throws Exception {
    ManagedProcess stubborn =
        startReady("it-stubborn", "trap '' TERM INT QUIT; echo ready; exec sleep 30");

    StopOutcome outcome = LADDER.stop(stubborn);

    assertThat(outcome.endedBy().map(StopStep::signal)).contains(PosixSignal.KILL);
    assertThat(outcome.exit().map(ProcessExit::exitCode)).contains(137);
    assertThat(outcome.elapsed()).isBetween(Duration.ofMillis(600), Duration.ofMillis(2600));
    assertThat(stubborn.isAlive()).isFalse();
  }

  @Test
  void stopsAtTheStepThatTheProcessHonours() throws Exception {
    ManagedProcess polite =
        startReady(
            "it-polite",
            "trap '' TERM; trap 'echo fast shutdown; exit 0' INT; echo ready; while :; do sleep 0.02; done");

    StopOutcome outcome = LADDER.stop(polite);

    assertThat(outcome.endedBy().map(StopStep::signal)).contains(PosixSignal.INT);
    assertThat(outcome.exit().map(ProcessExit::exitCode)).contains(0);
    assertThat(outcome.elapsed()).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    assertThat(polite.lastOutputLines()).contains("fast shutdown");
  }

  @Test
  void aFinishedProcessNeedsNoSignal() throws Exception {
    ManagedProcess finished = ManagedProcess.start(TestSpecs.sh("it-finished", "exit 0").build());
    finished.waitFor(SHORT).orElseThrow();

    StopOutcome outcome = LADDER.stop(finished);

    assertThat(outcome.endedBy()).isEmpty();
    assertThat(outcome.stopped()).isTrue();
  }

  private static ManagedProcess startReady(String name, String script) throws InterruptedException {
    ManagedProcess process = ManagedProcess.start(TestSpecs.sh(name, script).build());
    Readiness.await(process, "traps installed", p -> p.lastOutputLines().contains("ready"), SHORT);
    return process;
  }
}
