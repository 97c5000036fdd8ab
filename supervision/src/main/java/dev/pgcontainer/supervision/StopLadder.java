package dev.pgcontainer.supervision;

import dev.pgcontainer.core.PgcontainerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a process by escalating signals: each step sends its signal and waits up to its grace for
 * the exit. The budget bounds the whole ladder with the last step's grace reserved in it, so the
 * last step (normally SIGKILL) always gets its full grace; a step left with no time is skipped.
 *
 * @param steps in order; the last one is the final resort
 * @param budget the most the whole ladder may take, at least the last step's grace
 */
public record StopLadder(List<StopStep> steps, Duration budget) {

  private static final Logger LOG = LoggerFactory.getLogger(StopLadder.class);

  /**
   * How long to wait for the exit of a process that turned out to be gone already (its output is
   * still drained).
   */
  private static final Duration ALREADY_EXITED_WAIT = ManagedProcess.DRAIN_GRACE.multipliedBy(2);

  public StopLadder {
    steps = List.copyOf(steps);
    Objects.requireNonNull(budget, "budget");
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a stop ladder needs at least one step");
    }
    Duration lastGrace = steps.get(steps.size() - 1).grace();
    if (budget.compareTo(lastGrace) < 0) {
      throw new IllegalArgumentException(
          "the budget ("
              + budget
              + ") must cover at least the last step's grace ("
              + lastGrace
              + ")");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * PostgreSQL's shutdown modes within {@code timeout}: SIGTERM (smart) for min(1 s, 10%) only,
   * because a smart shutdown waits for every client to disconnect and an idle client never does;
   * SIGINT (fast) for the rest; SIGQUIT (immediate, crash recovery at next start) for min(2 s,
   * 10%); SIGKILL with min(1 s, 10%) to see it die. For 30 s: 1 s, 26 s, 2 s, 1 s.
   */
  public static StopLadder postgres(Duration timeout) {
    requirePositive(timeout);
    Duration tenth = timeout.dividedBy(10);
    Duration smart = min(Duration.ofSeconds(1), tenth);
    Duration immediate = min(Duration.ofSeconds(2), tenth);
    Duration kill = min(Duration.ofSeconds(1), tenth);
    Duration fast = timeout.minus(smart).minus(immediate).minus(kill);
    return builder()
        .step(PosixSignal.TERM, smart)
        .step(PosixSignal.INT, fast)
        .step(PosixSignal.QUIT, immediate)
        .step(PosixSignal.KILL, kill)
        .budget(timeout)
        .build();
  }

  /**
   * A program with one way to stop (e.g. a manager such as Patroni, which stops its PostgreSQL on
   * SIGTERM) within {@code timeout}: SIGTERM for all but min(1 s, 10%); then SIGKILL for the rest.
   * For 30 s: 29 s, 1 s. A second SIGTERM would mean nothing more to it.
   */
  public static StopLadder termThenKill(Duration timeout) {
    requirePositive(timeout);
    Duration kill = min(Duration.ofSeconds(1), timeout.dividedBy(10));
    return builder()
        .step(PosixSignal.TERM, timeout.minus(kill))
        .step(PosixSignal.KILL, kill)
        .budget(timeout)
        .build();
  }

  /**
   * An immediate shutdown: this ladder from its first SIGQUIT or SIGKILL step on, within those
   * steps' graces. For postgres: SIGQUIT (immediate), then SIGKILL; for {@link #termThenKill}:
   * SIGKILL.
   */
  public StopLadder immediate() {
    return from(Set.of(PosixSignal.QUIT, PosixSignal.KILL));
  }

  /**
   * A fast shutdown: this ladder from its first SIGINT, SIGQUIT or SIGKILL step on, within those
   * steps' graces. For postgres: SIGINT (fast, as {@code pg_ctl -m fast}), SIGQUIT, SIGKILL,
   * without the smart shutdown's wait for clients to leave.
   */
  public StopLadder fast() {
    return from(Set.of(PosixSignal.INT, PosixSignal.QUIT, PosixSignal.KILL));
  }

  /** This ladder from its first step sending one of {@code signals} on (or its last step). */
  private StopLadder from(Set<PosixSignal> signals) {
    int first = 0;
    while (first < steps.size() - 1 && !signals.contains(steps.get(first).signal())) {
      first++;
    }
    List<StopStep> rest = steps.subList(first, steps.size());
    return new StopLadder(
        rest, rest.stream().map(StopStep::grace).reduce(Duration.ZERO, Duration::plus));
  }

  /** Runs the ladder until the process has exited or every step is spent. */
  public StopOutcome stop(ManagedProcess process) throws InterruptedException {
    return stop(process, System::nanoTime);
  }

  StopOutcome stop(StopTarget target, LongSupplier nanoClock) throws InterruptedException {
    long start = nanoClock.getAsLong();
    int lastIndex = steps.size() - 1;
    long lastGrace = steps.get(lastIndex).grace().toNanos();
    long earlierStepsDeadline = start + budget.toNanos() - lastGrace;
    Optional<StopStep> previous = Optional.empty();
    for (int index = 0; index <= lastIndex; index++) {
      StopStep step = steps.get(index);
      long wait =
          index == lastIndex
              ? lastGrace
              : Math.min(step.grace().toNanos(), earlierStepsDeadline - nanoClock.getAsLong());
      if (wait <= 0 && index < lastIndex) {
        LOG.info(
            "stopping {}: skipping {}, its share of the {} budget is used up",
            target,
            step.signal().signalName(),
            Durations.human(budget));
        continue;
      }
      LOG.info(
          "stopping {}: {}, waiting up to {}",
          target,
          step.signal().signalName(),
          Durations.human(Duration.ofNanos(wait)));
      boolean sent;
      try {
        sent = target.signal(step.signal());
      } catch (PgcontainerException e) {
        // the ladder must still reach its last step
        LOG.warn("stopping {}: {}; going on with the next step", target, e.getMessage());
        continue;
      }
      if (!sent) {
        Optional<ProcessExit> exit = target.waitFor(ALREADY_EXITED_WAIT);
        if (exit.isPresent()) {
          return finish(target, new StopOutcome(previous, elapsedSince(start, nanoClock), exit));
        }
      }
      Optional<ProcessExit> exit = target.waitFor(Duration.ofNanos(Math.max(0, wait)));
      if (exit.isPresent()) {
        return finish(
            target, new StopOutcome(Optional.of(step), elapsedSince(start, nanoClock), exit));
      }
      previous = Optional.of(step);
    }
    return finish(
        target,
        new StopOutcome(Optional.empty(), elapsedSince(start, nanoClock), Optional.empty()));
  }

  private static StopOutcome finish(StopTarget target, StopOutcome outcome) {
    if (outcome.stopped()) {
      LOG.info("{} {}", target, outcome.describe());
    } else {
      LOG.error("{} is {}", target, outcome.describe());
    }
    return outcome;
  }

  private static Duration elapsedSince(long start, LongSupplier nanoClock) {
    return Duration.ofNanos(nanoClock.getAsLong() - start);
  }

  private static void requirePositive(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the shutdown timeout must be positive: " + timeout);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Collects steps in order; the budget defaults to the sum of the graces. */
  public static final class Builder {

    private final List<StopStep> steps = new ArrayList<>();
    private Duration budget;

    private Builder() {}

    public Builder step(PosixSignal signal, Duration grace) {
      steps.add(StopStep.of(signal, grace));
      return this;
    }

    public Builder budget(Duration budget) {
      this.budget = budget;
      return this;
    }

    public StopLadder build() {
      Duration total =
          budget != null
              ? budget
              : steps.stream().map(StopStep::grace).reduce(Duration.ZERO, Duration::plus);
      return new StopLadder(steps, total);
    }
  }
}
