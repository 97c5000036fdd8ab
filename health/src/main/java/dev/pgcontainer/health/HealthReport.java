package dev.pgcontainer.health;

import dev.pgcontainer.instance.Phase;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One round of checks, with the phase they were made in.
 *
 * @param phase where the launcher's lifecycle was
 * @param status the worst status of all checks
 * @param live false only when the launcher is ending or its server process died: restarting the
 *     container would help
 * @param ready true when clients can use the server now: phase RUNNING and every server-facing
 *     check UP or DEGRADED
 * @param checkedAt when the round started
 * @param checks by probe name, in the order of {@link HealthChecks#names}
 */
public record HealthReport(
    Phase phase,
    ProbeStatus status,
    boolean live,
    boolean ready,
    Instant checkedAt,
    Map<String, ProbeResult> checks) {

  public HealthReport {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(checkedAt, "checkedAt");
    checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
  }

  /** What {@code pgcontainer healthcheck} exits 0 for (see {@link ProbeStatus#isHealthy()}). */
  public boolean isHealthy() {
    return status.isHealthy();
  }

  /** One line per check, e.g. {@code postgresql UP primary, 1.2 ms}. */
  public List<String> lines() {
    return checks.entrySet().stream()
        .map(check -> check.getKey() + " " + check.getValue().describe())
        .toList();
  }

  /** This report narrowed to one check; its status is that check's. */
  public HealthReport only(String name) {
    ProbeResult result = checks.get(name);
    if (result == null) {
      throw new IllegalArgumentException(
          "no check named '" + name + "'; there are " + checks.keySet());
    }
    return new HealthReport(phase, result.status(), live, ready, checkedAt, Map.of(name, result));
  }
}
