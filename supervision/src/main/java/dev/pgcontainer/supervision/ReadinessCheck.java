package dev.pgcontainer.supervision;

/**
 * Says whether a started process is ready to serve, like a Testcontainers {@code WaitStrategy}
 * reduced to one probe. {@link Readiness#await} calls it repeatedly; it should answer quickly and
 * bound its own I/O (e.g. a connect timeout well below a second), since a hanging check cannot be
 * interrupted.
 */
@FunctionalInterface
public interface ReadinessCheck {

  /**
   * @return true when ready; false, or an exception (whose message is reported if the deadline
   *     passes), when not yet
   */
  boolean isReady(ManagedProcess process) throws Exception;
}
