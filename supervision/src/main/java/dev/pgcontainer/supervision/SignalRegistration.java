package dev.pgcontainer.supervision;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Handlers installed by {@link Signals}; closing restores the handlers they replaced (for SIGTERM,
 * SIGINT and SIGHUP that is the JVM's own, which runs shutdown hooks and exits). Registrations of
 * the same signal must be closed in reverse order.
 */
public final class SignalRegistration implements AutoCloseable {

  private final Runnable restorePrevious;
  private final Set<PosixSignal> ignoredByParent;
  private final AtomicBoolean closed = new AtomicBoolean();

  SignalRegistration(Runnable restorePrevious, Set<PosixSignal> ignoredByParent) {
    this.restorePrevious = restorePrevious;
    this.ignoredByParent = Set.copyOf(ignoredByParent);
  }

  /**
   * Signals that were asked for but will never arrive: the process that started this JVM set them
   * to "ignore" (nohup, or a shell starting it in the background), and the JVM then refuses to
   * catch SIGTERM, SIGINT or SIGHUP.
   */
  public Set<PosixSignal> ignoredByParent() {
    return ignoredByParent;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      restorePrevious.run();
    }
  }
}
