package dev.pgcontainer.health;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in ITs for what real servers do in their own time. */
final class Await {

  /**
   * Not a requirement: keeps a broken server from hanging the build; generous for a loaded 2-core
   * machine.
   */
  static final Duration HANG_GUARD = Duration.ofSeconds(120);

  private Await() {}

  /** Polls {@code condition} every 50 ms until it holds; the hang guard fails the test. */
  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + HANG_GUARD.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("no " + what + " within " + HANG_GUARD);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
