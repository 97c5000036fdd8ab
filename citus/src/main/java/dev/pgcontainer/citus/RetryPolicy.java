package dev.pgcontainer.citus;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a worker keeps trying to register: waits that double from {@code firstDelay} up to
 * {@code maxDelay}, until {@code budget} has passed since the first attempt. The last wait is cut
 * short so that one attempt falls on the end of the budget; none comes after it.
 */
record RetryPolicy(Duration firstDelay, Duration maxDelay, Duration budget) {

  /** The spec's budget, TIMEOUT×10 (5 minutes by default). */
  static final int BUDGET_TIMEOUTS = 10;

  /**
   * Short first waits, as the coordinator is often just starting too; at most 10 s between
   * attempts, so a worker finds a coordinator that came up within seconds (an attempt costs the
   * coordinator one refused or short login).
   */
  static final Duration FIRST_DELAY = Duration.ofMillis(500);

  static final Duration MAX_DELAY = Duration.ofSeconds(10);

  RetryPolicy {
    Objects.requireNonNull(firstDelay, "firstDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(budget, "budget");
    if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
      throw new IllegalArgumentException(
          "delays must be positive and the first no longer than the longest");
    }
  }

  static RetryPolicy forTimeout(Duration timeout) {
    return new RetryPolicy(FIRST_DELAY, MAX_DELAY, timeout.multipliedBy(BUDGET_TIMEOUTS));
  }

  /**
   * The wait after the {@code failures}-th failed attempt (1 for the first), before the budget cuts
   * it.
   */
  Duration delayAfter(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException(
          "a wait follows a failure, failures must be at least 1: " + failures);
    }
    Duration delay = firstDelay;
    for (int i = 1; i < failures && delay.compareTo(maxDelay) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
