package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StopLadderIT {

  /**
   * Not a requirement: keeps a broken process from hanging the build; generous for a loaded
   * machine.
   */
  private static final Duration SHORT = Duration.ofSeconds(60);

  private static final StopLadder LADDER =
      StopLadder.builder()
          .step(PosixSignal.TERM, Duration.ofMillis(200))
          .step(PosixSignal.INT, Duration.ofMillis(200))
          .step(PosixSignal.QUIT, Duration.ofMillis(200))
          .step(PosixSignal.KILL, Duration.ofSeconds(2))
          .build();

  /**
   * A step far longer than any scheduling delay: ending well before it shows the ladder acted on
   * the death.
   */
  private static final Duration LONG_STEP = Duration.ofSeconds(60);

  @Test
  void escalatesToKillWhenTheProcessIgnoresEverythingElse() throws Exception {
    ManagedProcess stubborn =
        startReady("it-stubborn", "trap '' TERM INT QUIT; echo ready; exec sleep 30");

    StopOutcome outcome = LADDER.stop(stubborn);

    assertThat(outcome.endedBy().map(StopStep::signal)).contains(PosixSignal.KILL);
    assertThat(outcome.exit().map(ProcessExit::exitCode)).contains(137);
    // at least the three steps before KILL; the upper bound only catches a ladder that hangs (a
    // loaded machine may overrun each step by a scheduling delay)
    assertThat(outcome.elapsed()).isBetween(Duration.ofMillis(600), LONG_STEP);
    assertThat(stubborn.isAlive()).isFalse();
  }

  @Test
  void stopsAtTheStepThatTheProcessHonours() throws Exception {
    ManagedProcess polite =
        startReady(
            "it-polite",
            "trap '' TERM; trap 'echo fast shutdown; exit 0' INT; echo ready; while :; do sleep 0.02; done");

    StopLadder ladder =
        StopLadder.builder()
            .step(PosixSignal.TERM, Duration.ofMillis(200))
            .step(PosixSignal.INT, LONG_STEP)
            .step(PosixSignal.KILL, Duration.ofSeconds(2))
            .build();

    StopOutcome outcome = ladder.stop(polite);

    assertThat(outcome.endedBy().map(StopStep::signal)).contains(PosixSignal.INT);
    assertThat(outcome.exit().map(ProcessExit::exitCode)).contains(0);
    // the TERM step waited out; the INT step ended at the exit, long before its own time ran out
    assertThat(outcome.elapsed()).isBetween(Duration.ofMillis(200), LONG_STEP.dividedBy(2));
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
