package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code pgcontainer healthcheck}: asks the running launcher's endpoint first (cheap: its answer is a cached report),
 * and probes directly when HEALTH_LISTEN is empty or the endpoint does not answer. Everything fits in the caller's
 * budget: the endpoint gets a small share of it, the direct probes the rest (capped at the usual probe deadline), so a
 * hanging endpoint and a hanging server together still end in time, as DOWN.
 *
 * <p>It logs nothing: the answer says it all, and a healthcheck that never touches SLF4J never pays for starting
 * Logback (about 100 ms of its JVM's life).
 *
 * <p>Measured on the 2-core test machine (see bench/health.sh): through the endpoint a healthcheck costs about a JVM
 * start plus one local HTTP request; probing directly adds loading pgjdbc and its first connection, about 0.4 s more.
 */
public final class Healthcheck {

  /** Enough for a loopback connect, also on a loaded machine; a remote address that drops packets costs no more. */
  static final Duration MAX_CONNECT = Duration.ofMillis(150);

  /** The endpoint answers from memory in about a millisecond; this much means it is stuck. */
  static final Duration MAX_READ = Duration.ofMillis(250);

  private final Settings settings;

  private Healthcheck(Settings settings) {
    this.settings = settings;
  }

  public static Healthcheck forSettings(Settings settings) {
    return new Healthcheck(settings);
  }

  /**
   * Checks one probe, or all when {@code only} is empty, within {@code budget}.
   *
   * @throws IllegalArgumentException when {@code only} names no probe
   */
  public HealthcheckAnswer run(Optional<String> only, Duration budget) {
    only.filter(name -> !HealthChecks.NAMES.contains(name)).ifPresent(name -> {
      throw new IllegalArgumentException("no check named '" + name + "'; there are " + HealthChecks.NAMES);
    });
    long end = System.nanoTime() + budget.toNanos();
    Optional<String> endpointProblem = Optional.empty();
    if (settings.health().listen().isPresent()) {
      EndpointClient client = new EndpointClient(settings.health().listen().get(),
          min(MAX_CONNECT, budget.dividedBy(4)), min(MAX_READ, budget.dividedBy(3)));
      try {
        return client.ask(only);
      } catch (IOException e) {
        endpointProblem = Optional.of("no answer from the health endpoint at " + client.describe() + " ("
            + ProbeRunner.messageOf(e) + ")");
      }
    }
    Duration left = Duration.ofNanos(Math.max(1, end - System.nanoTime()));
    Duration deadline = min(HealthTimings.forSettings(settings).probeDeadline(), left);
    try (HealthChecks checks = HealthChecks.direct(settings, deadline)) {
      HealthReport report = checks.check(only.map(List::of).orElse(HealthChecks.NAMES));
      return new HealthcheckAnswer(report.isHealthy(), report.lines(), HealthcheckAnswer.Source.DIRECT,
          endpointProblem);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
