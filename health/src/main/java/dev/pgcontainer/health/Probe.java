package dev.pgcontainer.health;

/**
 * One health check, like a Testcontainers {@code WaitStrategy} reduced to a single look: it answers
 * what it sees now. Probes are run by {@link HealthChecks} on a small executor with a hard
 * deadline, so a probe need not time itself out; it should still bound its own I/O (connect and
 * read timeouts), because a thread stuck past the deadline is not reused until it returns. An
 * exception is reported as {@link ProbeStatus#DOWN} with its message, so messages must never
 * contain secrets.
 */
public interface Probe {

  /** The name users select it by, e.g. {@code postgresql}. */
  String name();

  /** Looks once. */
  ProbeResult check() throws Exception;
}
