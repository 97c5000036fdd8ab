package dev.pgcontainer.supervision;

import java.time.Duration;
import java.util.Objects;

/**
 * One rung of a {@link StopLadder}: send {@code signal}, then wait up to {@code grace} for the
 * process to exit.
 *
 * @param signal what to send
 * @param grace how long to wait for the exit before the next step
 */
public record StopStep(PosixSignal signal, Duration grace) {

  public StopStep {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException(
          "the grace after " + signal.signalName() + " must not be negative: " + grace);
    }
  }

  public static StopStep of(PosixSignal signal, Duration grace) {
    return new StopStep(signal, grace);
  }
}
