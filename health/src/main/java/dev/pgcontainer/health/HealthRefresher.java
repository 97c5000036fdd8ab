package dev.pgcontainer.health;

import dev.pgcontainer.instance.Phase;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a recent {@link HealthReport} so that {@code /ready}, {@code /live} and {@code /health}
 * answer from memory (microseconds) instead of probing per request: a flood of requests then costs
 * the server nothing, and a slow probe never slows an answer. It checks every {@code
 * refreshInterval}, and at once when the phase changes (looked at every {@value #PHASE_POLL_MILLIS}
 * ms), so readiness follows a start or a shutdown within about that time.
 */
final class HealthRefresher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HealthRefresher.class);

  static final long PHASE_POLL_MILLIS = 100;

  private final HealthChecks checks;
  private final Supplier<Phase> phase;
  private final HealthTimings timings;
  private final Consumer<HealthReport> listener;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("health-refresh"));
  private volatile Snapshot latest;
  private String lastFailure = ""; // only the refresher's thread (and start) use it

  private HealthRefresher(
      HealthChecks checks,
      Supplier<Phase> phase,
      HealthTimings timings,
      Consumer<HealthReport> listener) {
    this.checks = checks;
    this.phase = phase;
    this.timings = timings;
    this.listener = listener;
  }

  /** Checks once now, then keeps checking in the background; {@code listener} gets every report. */
  static HealthRefresher start(
      HealthChecks checks,
      Supplier<Phase> phase,
      HealthTimings timings,
      Consumer<HealthReport> listener) {
    HealthRefresher refresher = new HealthRefresher(checks, phase, timings, listener);
    refresher.refresh();
    refresher.scheduler.scheduleWithFixedDelay(
        refresher::refreshWhenDue, PHASE_POLL_MILLIS, PHASE_POLL_MILLIS, TimeUnit.MILLISECONDS);
    return refresher;
  }

  HealthReport latest() {
    return latest.report();
  }

  /**
   * What {@code /health} and the healthcheck answer: the latest report, or, when the refresher is
   * stuck, the same checks DOWN saying so (an old round's UP would be a lie).
   */
  HealthReport current() {
    HealthReport report = latest();
    Optional<String> stuck = stuck();
    if (stuck.isEmpty()) {
      return report;
    }
    Map<String, ProbeResult> down = new LinkedHashMap<>();
    report.checks().keySet().forEach(name -> down.put(name, ProbeResult.down(stuck.get())));
    return new HealthReport(
        report.phase(), ProbeStatus.DOWN, false, false, report.checkedAt(), down);
  }

  /** Ready per the latest report, if that report is of the current phase and not stale. */
  boolean isReady() {
    Snapshot snapshot = latest;
    return snapshot.report().ready()
        && snapshot.report().phase() == phase.get()
        && snapshot.age().compareTo(timings.staleAfter()) < 0;
  }

  /**
   * Why the refresher is stuck, when its latest report is older than {@link
   * HealthTimings#stuckAfter()}.
   */
  Optional<String> stuck() {
    Duration age = latest.age();
    return age.compareTo(timings.stuckAfter()) < 0
        ? Optional.empty()
        : Optional.of(
            "no health check for "
                + age.toMillis()
                + " ms: the launcher's health refresher is stuck");
  }

  /** Why not ready, for the body of a 503. */
  String notReadyReason() {
    Snapshot snapshot = latest;
    if (snapshot.age().compareTo(timings.staleAfter()) >= 0) {
      return "no health check for " + snapshot.age().toMillis() + " ms";
    }
    Phase current = phase.get();
    if (current != Phase.RUNNING) {
      return "phase " + current;
    }
    return String.join("; ", snapshot.report().lines());
  }

  private void refreshWhenDue() {
    Snapshot snapshot = latest;
    if (snapshot.report().phase() != phase.get()
        || snapshot.age().compareTo(timings.refreshInterval()) >= 0) {
      refresh();
    }
  }

  private void refresh() {
    try {
      long started = System.nanoTime();
      HealthReport report = checks.check();
      latest = new Snapshot(report, started);
      listener.accept(report);
    } catch (RuntimeException e) {
      // a failing round must not end the schedule; the report then goes stale and readiness says
      // so. Said once per distinct failure: the next round comes within 100 ms.
      String failure = e.toString();
      if (!failure.equals(lastFailure)) {
        LOG.warn("health check round failed: {}", failure, e);
      }
      lastFailure = failure;
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private record Snapshot(HealthReport report, long startedNanos) {
    Duration age() {
      return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
  }
}
