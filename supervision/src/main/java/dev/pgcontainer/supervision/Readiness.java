package dev.pgcontainer.supervision;

import java.time.Duration;
import java.util.Optional;

/** Waits for a started process to become ready, failing fast when it exits first. */
public final class Readiness {

  static final Duration FIRST_PAUSE = Duration.ofMillis(5);
  static final Duration MAX_PAUSE = Duration.ofMillis(25);

  private Readiness() {}

  /**
   * Polls {@code check} until it says ready, 5 ms doubling to 25 ms (a postmaster starts in about
   * 150 ms, so slack is start-up time), waiting on the process's exit in between, so a process that
   * dies is reported at once.
   *
   * @param condition what "ready" means, for messages, e.g. {@code accepting connections on port
   *     5432}
   * @return how long it took
   * @throws ProcessFailedException when the process exits before it is ready
   * @throws ProcessNotReadyException when {@code timeout} passes; the process is left running
   */
  public static Duration await(
      ManagedProcess process, String condition, ReadinessCheck check, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Duration pause = FIRST_PAUSE;
    String lastCheckResult = "never checked";
    while (true) {
      try {
        if (check.isReady(process)) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
        lastCheckResult = "not ready";
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        lastCheckResult = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0 && process.isAlive()) {
        throw new ProcessNotReadyException(
            process, condition, timeout, lastCheckResult, process.lastOutputLines());
      }
      // past the deadline a dead process is still reported as dead: that explains more than "not
      // ready"
      Duration wait =
          remaining <= 0
              ? ManagedProcess.DRAIN_GRACE
              : Duration.ofNanos(Math.min(pause.toNanos(), remaining));
      Optional<ProcessExit> exit = process.waitFor(wait);
      if (exit.isPresent()) {
        throw ProcessFailedException.exitedBeforeReady(
            process.name(), process.command(), condition, exit.get(), process.lastOutputLines());
      }
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
    }
  }
}
