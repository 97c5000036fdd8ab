package dev.pgcontainer.health;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one probe found.
 *
 * @param status the verdict
 * @param reason a short phrase for operators, e.g. {@code primary} or {@code no answer within 500
 *     ms}
 * @param duration how long the probe took (set by the runner, zero until then)
 * @param details machine-readable facts (numbers, strings, booleans), in insertion order; shown in
 *     {@code /health}
 */
public record ProbeResult(
    ProbeStatus status, String reason, Duration duration, Map<String, Object> details) {

  public ProbeResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(duration, "duration");
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static ProbeResult of(ProbeStatus status, String reason) {
    return new ProbeResult(status, reason, Duration.ZERO, Map.of());
  }

  public static ProbeResult up(String reason) {
    return of(ProbeStatus.UP, reason);
  }

  public static ProbeResult down(String reason) {
    return of(ProbeStatus.DOWN, reason);
  }

  /** This result with {@code more} details added (later keys win). */
  public ProbeResult withDetails(Map<String, ?> more) {
    Map<String, Object> merged = new LinkedHashMap<>(details);
    merged.putAll(more);
    return new ProbeResult(status, reason, duration, merged);
  }

  public ProbeResult withDuration(Duration took) {
    return new ProbeResult(status, reason, took, details);
  }

  /** One line for people: {@code UP primary, 1.2 ms}. */
  public String describe() {
    return status
        + " "
        + reason
        + ", "
        + String.format(Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
  }
}
