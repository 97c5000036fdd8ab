package dev.pgcontainer.supervision;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link StopLadder} went.
 *
 * @param endedBy the step during whose grace the process exited; empty when it had exited before
 *     the first signal, or survived every step
 * @param elapsed from the start of the ladder until the exit was seen, or until the ladder gave up
 * @param exit how the process ended; empty when it survived every step
 */
public record StopOutcome(
    Optional<StopStep> endedBy, Duration elapsed, Optional<ProcessExit> exit) {

  public StopOutcome {
    Objects.requireNonNull(endedBy, "endedBy");
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(exit, "exit");
  }

  public boolean stopped() {
    return exit.isPresent();
  }

  /** E.g. {@code stopped by SIGINT after 120 ms: exited with code 0}. */
  public String describe() {
    if (exit.isEmpty()) {
      return "still running after every stop step (" + Durations.human(elapsed) + ")";
    }
    String how =
        endedBy
            .map(step -> "stopped by " + step.signal().signalName())
            .orElse("had already exited");
    return how + " after " + Durations.human(elapsed) + ": " + exit.get().describe();
  }
}
