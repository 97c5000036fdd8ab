package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * How often and how long health is checked.
 *
 * @param probeDeadline the longest any probe may take before it counts as DOWN ("no answer within
 *     ...")
 * @param refreshInterval how often the endpoint's background refresher probes; {@code /ready} and
 *     {@code /health} answer from its latest report
 */
public record HealthTimings(Duration probeDeadline, Duration refreshInterval) {

  /**
   * Probe deadlines derive from TIMEOUT: a thirtieth of it (1 s for the default 30 s), within these
   * bounds.
   */
  static final Duration MIN_DEADLINE = Duration.ofMillis(500);

  static final Duration MAX_DEADLINE = Duration.ofSeconds(5);

  static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

  public HealthTimings {
    requirePositive(probeDeadline, "probeDeadline");
    requirePositive(refreshInterval, "refreshInterval");
  }

  /** The timings for {@code settings}: deadline from TIMEOUT, refreshed every second. */
  public static HealthTimings forSettings(Settings settings) {
    Duration share = settings.timeout().dividedBy(30);
    Duration deadline =
        share.compareTo(MIN_DEADLINE) < 0
            ? MIN_DEADLINE
            : share.compareTo(MAX_DEADLINE) > 0 ? MAX_DEADLINE : share;
    return builder().probeDeadline(deadline).refreshInterval(DEFAULT_REFRESH).build();
  }

  /**
   * A report older than this is not trusted for readiness: the refresher missed two rounds and a
   * whole deadline, so it is stuck.
   */
  public Duration staleAfter() {
    return refreshInterval.multipliedBy(2).plus(probeDeadline);
  }

  /**
   * A report older than this means the refresher itself is stuck (five rounds missed, each allowed
   * its deadline): the launcher is then no longer live, since restarting it is what would help.
   */
  public Duration stuckAfter() {
    return refreshInterval.multipliedBy(5).plus(probeDeadline);
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }

  public static final class Builder {
    private Duration probeDeadline = MIN_DEADLINE;
    private Duration refreshInterval = DEFAULT_REFRESH;

    private Builder() {}

    public Builder probeDeadline(Duration probeDeadline) {
      this.probeDeadline = probeDeadline;
      return this;
    }

    public Builder refreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
      return this;
    }

    public HealthTimings build() {
      return new HealthTimings(probeDeadline, refreshInterval);
    }
  }
}
