package dev.pgcontainer.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pgcontainer.core.PgcontainerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StopLadderTest {

  private static final StopLadder LADDER =
      StopLadder.builder()
          .step(PosixSignal.TERM, Duration.ofSeconds(1))
          .step(PosixSignal.INT, Duration.ofSeconds(10))
          .step(PosixSignal.QUIT, Duration.ofSeconds(2))
          .step(PosixSignal.KILL, Duration.ofSeconds(1))
          .build();

  @Test
  void postgresLadderSplitsTheTimeout() {
    StopLadder ladder = StopLadder.postgres(Duration.ofSeconds(30));

    assertThat(ladder.steps())
        .containsExactly(
            StopStep.of(PosixSignal.TERM, Duration.ofSeconds(1)),
            StopStep.of(PosixSignal.INT, Duration.ofSeconds(26)),
            StopStep.of(PosixSignal.QUIT, Duration.ofSeconds(2)),
            StopStep.of(PosixSignal.KILL, Duration.ofSeconds(1)));
    assertThat(ladder.budget()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shortPostgresTimeoutsGiveEveryStepATenth() {
    StopLadder ladder = StopLadder.postgres(Duration.ofSeconds(5));

    assertThat(ladder.steps())
        .extracting(StopStep::grace)
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofMillis(3500),
            Duration.ofMillis(500),
            Duration.ofMillis(500));
    assertThatThrownBy(() -> StopLadder.postgres(Duration.ZERO))
        .hasMessageContaining("must be positive");
  }

  @Test
  void termThenKillGivesSigtermAllButTheKillStepsShare() {
    assertThat(StopLadder.termThenKill(Duration.ofSeconds(30)).steps())
        .containsExactly(
            StopStep.of(PosixSignal.TERM, Duration.ofSeconds(29)),
            StopStep.of(PosixSignal.KILL, Duration.ofSeconds(1)));
    assertThat(StopLadder.termThenKill(Duration.ofSeconds(5)).steps())
        .extracting(StopStep::grace)
        .containsExactly(Duration.ofMillis(4500), Duration.ofMillis(500));
    assertThat(StopLadder.termThenKill(Duration.ofSeconds(5)).budget())
        .isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> StopLadder.termThenKill(Duration.ZERO))
        .hasMessageContaining("must be positive");
  }

  @Test
  void anImmediateShutdownIsTheLadderFromItsQuitOrKillStepOn() {
    StopLadder postgres = StopLadder.postgres(Duration.ofSeconds(30)).immediate();
    StopLadder patroni = StopLadder.termThenKill(Duration.ofSeconds(30)).immediate();

    assertThat(postgres.steps())
        .containsExactly(
            StopStep.of(PosixSignal.QUIT, Duration.ofSeconds(2)),
            StopStep.of(PosixSignal.KILL, Duration.ofSeconds(1)));
    assertThat(postgres.budget()).isEqualTo(Duration.ofSeconds(3));
    assertThat(patroni.steps())
        .containsExactly(StopStep.of(PosixSignal.KILL, Duration.ofSeconds(1)));
    assertThat(patroni.budget()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aFastShutdownIsThePostgresLadderFromItsIntStepOn() {
    StopLadder fast = StopLadder.postgres(Duration.ofSeconds(30)).fast();

    assertThat(fast.steps())
        .containsExactly(
            StopStep.of(PosixSignal.INT, Duration.ofSeconds(26)),
            StopStep.of(PosixSignal.QUIT, Duration.ofSeconds(2)),
            StopStep.of(PosixSignal.KILL, Duration.ofSeconds(1)));
    assertThat(fast.budget()).isEqualTo(Duration.ofSeconds(29));
  }

  @Test
  void budgetDefaultsToTheSumOfGracesAndMustCoverTheLastStep() {
    assertThat(LADDER.budget()).isEqualTo(Duration.ofSeconds(14));
    assertThatThrownBy(
            () ->
                StopLadder.builder()
                    .step(PosixSignal.KILL, Duration.ofSeconds(2))
                    .budget(Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("must cover at least the last step's grace");
    assertThatThrownBy(() -> StopLadder.builder().build())
        .hasMessageContaining("at least one step");
    assertThatThrownBy(() -> StopStep.of(PosixSignal.TERM, Duration.ofSeconds(-1)))
        .hasMessageContaining("negative");
  }

  @Test
  void stopsAtTheFirstSignalThatWorks() throws InterruptedException {
    FakeProcess process = new FakeProcess().diesAfter(PosixSignal.INT, Duration.ofMillis(300));

    StopOutcome outcome = LADDER.stop(process, process::now);

    assertThat(process.received).containsExactly(PosixSignal.TERM, PosixSignal.INT);
    assertThat(outcome.endedBy().map(StopStep::signal)).contains(PosixSignal.INT);
    assertThat(outcome.elapsed()).isEqualTo(Duration.ofMillis(1300));
    assertThat(outcome.exit()).contains(ProcessExit.ofExitValue(0));
    assertThat(outcome.describe()).isEqualTo("stopped by SIGINT after 1.3 s: exited with code 0");
  }

  @Test
  void escalatesToKillWhenEverythingElseIsIgnored() throws InterruptedException {
    FakeProcess process = new FakeProcess().diesAfter(PosixSignal.KILL, Duration.ZERO);

    StopOutcome outcome = LADDER.stop(process, process::now);

    assertThat(process.received)
        .containsExactly(PosixSignal.TERM, PosixSignal.INT, PosixSignal.QUIT, PosixSignal.KILL);
    assertThat(outcome.endedBy().map(StopStep::signal)).contains(PosixSignal.KILL);
    assertThat(outcome.elapsed()).isEqualTo(Duration.ofSeconds(13));
    assertThat(outcome.exit().flatMap(ProcessExit::signal)).contains(PosixSignal.KILL);
  }

  @Test
  void theBudgetCutsEarlierStepsButKeepsTheLastStepsGrace() throws InterruptedException {
    StopLadder tight =
        StopLadder.builder()
            .step(PosixSignal.TERM, Duration.ofSeconds(10))
            .step(PosixSignal.INT, Duration.ofSeconds(10))
            .step(PosixSignal.KILL, Duration.ofSeconds(2))
            .budget(Duration.ofSeconds(5))
            .build();
    FakeProcess process = new FakeProcess(); // ignores even SIGKILL

    StopOutcome outcome = tight.stop(process, process::now);

    // TERM gets the 3 s left before KILL's reserved 2 s; INT has nothing left and is skipped
    assertThat(process.received).containsExactly(PosixSignal.TERM, PosixSignal.KILL);
    assertThat(outcome.elapsed()).isEqualTo(Duration.ofSeconds(5));
    assertThat(outcome.stopped()).isFalse();
    assertThat(outcome.endedBy()).isEmpty();
    assertThat(outcome.describe()).isEqualTo("still running after every stop step (5.0 s)");
  }

  @Test
  void aProcessThatIsAlreadyGoneIsReportedWithoutSignals() throws InterruptedException {
    FakeProcess process = new FakeProcess();
    process.exitedAlready = true;

    StopOutcome outcome = LADDER.stop(process, process::now);

    assertThat(process.received).isEmpty();
    assertThat(outcome.endedBy()).isEmpty();
    assertThat(outcome.stopped()).isTrue();
    assertThat(outcome.describe()).startsWith("had already exited after 0 ms");
  }

  @Test
  void aSignalThatCannotBeSentDoesNotStopTheLadder() throws InterruptedException {
    FakeProcess process = new FakeProcess().diesAfter(PosixSignal.KILL, Duration.ZERO);
    process.failing = PosixSignal.QUIT;

    StopOutcome outcome = LADDER.stop(process, process::now);

    assertThat(process.received)
        .containsExactly(PosixSignal.TERM, PosixSignal.INT, PosixSignal.KILL);
    assertThat(outcome.endedBy().map(StopStep::signal)).contains(PosixSignal.KILL);
    assertThat(outcome.elapsed()).isEqualTo(Duration.ofSeconds(11));
  }

  /**
   * A process on a fake clock: waiting advances the clock, and it dies a set time after a chosen
   * signal.
   */
  private static final class FakeProcess implements StopTarget {

    final List<PosixSignal> received = new ArrayList<>();
    final Map<PosixSignal, Duration> deathDelays = new EnumMap<>(PosixSignal.class);
    boolean exitedAlready;
    PosixSignal failing;
    long nanos;
    Long diesAt;
    PosixSignal fatal;

    @Override
    public String name() {
      return "fake";
    }

    FakeProcess diesAfter(PosixSignal signal, Duration delay) {
      deathDelays.put(signal, delay);
      return this;
    }

    long now() {
      return nanos;
    }

    @Override
    public boolean signal(PosixSignal signal) {
      if (exitedAlready || (diesAt != null && diesAt <= nanos)) {
        return false;
      }
      if (signal == failing) {
        throw new PgcontainerException("kill said: no");
      }
      received.add(signal);
      Duration delay = deathDelays.get(signal);
      if (delay != null && diesAt == null) {
        diesAt = nanos + delay.toNanos();
        fatal = signal;
      }
      return true;
    }

    @Override
    public Optional<ProcessExit> waitFor(Duration timeout) {
      if (exitedAlready) {
        return Optional.of(ProcessExit.ofExitValue(0));
      }
      if (diesAt != null && diesAt <= nanos + timeout.toNanos()) {
        nanos = Math.max(nanos, diesAt);
        return Optional.of(ProcessExit.ofExitValue(fatal == PosixSignal.KILL ? 137 : 0));
      }
      nanos += timeout.toNanos();
      return Optional.empty();
    }
  }
}
