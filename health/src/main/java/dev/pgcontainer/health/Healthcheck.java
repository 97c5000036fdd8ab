package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code pgcontainer healthcheck} in a JVM: asks the running launcher's endpoint first (it answers
 * from a cached report) and probes directly when HEALTH_LISTEN is empty or nothing answers there,
 * all within the caller's budget. It logs nothing, so it never pays for starting Logback. How the
 * budget is split: docs/internals.md, Healthcheck in a JVM.
 */
public final class Healthcheck {

  /**
   * Enough for a loopback connect, also on a loaded machine; a remote address that drops packets
   * costs no more.
   */
  static final Duration MAX_CONNECT = Duration.ofMillis(150);

  /** Kept from the endpoint's share for printing its answer, or the stuck verdict. */
  static final Duration ANSWER_RESERVE = Duration.ofMillis(20);

  private final Settings settings;
  private final List<FeatureCheck> features;
  private final List<String> names;

  private Healthcheck(Settings settings, List<FeatureCheck> features) {
    this.settings = settings;
    this.features = features;
    this.names = HealthChecks.names(features);
  }

  /** The healthcheck of {@code settings}' server, with the features' checks. */
  public static Healthcheck forSettings(Settings settings, List<? extends FeatureCheck> features) {
    return new Healthcheck(settings, List.copyOf(features));
  }

  /**
   * Checks one probe, or all when {@code only} is empty, within {@code budget}.
   *
   * @throws IllegalArgumentException when {@code only} names no probe
   */
  public HealthcheckAnswer run(Optional<String> only, Duration budget) {
    only.filter(name -> !names.contains(name))
        .ifPresent(
            name -> {
              throw new IllegalArgumentException(
                  "no check named '" + name + "'; there are " + names);
            });
    List<String> checks = only.map(List::of).orElse(names);
    long end = System.nanoTime() + budget.toNanos();
    Optional<String> endpointProblem = Optional.empty();
    if (settings.health().listen().isPresent()) {
      EndpointClient client =
          new EndpointClient(
              settings.health().listen().get(), min(MAX_CONNECT, budget.dividedBy(4)));
      try {
        return client.ask(only, checks, end - ANSWER_RESERVE.toNanos());
      } catch (IOException e) {
        endpointProblem =
            Optional.of(
                "no answer from the health endpoint at "
                    + client.base()
                    + " ("
                    + ProbeRunner.messageOf(e)
                    + "); probed directly");
      }
    }
    Duration left = Duration.ofNanos(Math.max(1, end - System.nanoTime()));
    Duration deadline = min(HealthTimings.forSettings(settings).probeDeadline(), left);
    try (HealthChecks direct = HealthChecks.direct(settings, deadline, features)) {
      HealthReport report = direct.check(checks);
      return new HealthcheckAnswer(
          report.isHealthy(), report.lines(), HealthcheckAnswer.Source.DIRECT, endpointProblem);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
