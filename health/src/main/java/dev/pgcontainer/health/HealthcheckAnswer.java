package dev.pgcontainer.health;

import java.util.List;
import java.util.Optional;

/**
 * What {@code pgcontainer healthcheck} prints and exits with.
 *
 * @param healthy exit 0 when true, 1 otherwise
 * @param lines one per check, e.g. {@code postgresql UP primary, 1.2 ms}
 * @param source who answered
 * @param endpointProblem why the endpoint was not asked although HEALTH_LISTEN names one (it was
 *     unreachable)
 */
public record HealthcheckAnswer(
    boolean healthy, List<String> lines, Source source, Optional<String> endpointProblem) {

  public HealthcheckAnswer {
    lines = List.copyOf(lines);
  }

  public enum Source {
    /** The running launcher's endpoint answered from its latest report. */
    ENDPOINT,
    /** This process ran the probes itself. */
    DIRECT
  }
}
