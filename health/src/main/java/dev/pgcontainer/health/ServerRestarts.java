package dev.pgcontainer.health;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Restarts of the postmaster, as the {@code postgresql} probe sees them: the server's incarnation
 * changed since the probe last saw it. The launcher never restarts postgres itself, but Patroni
 * does, an operator may, and after a crashed backend the postmaster restarts all its processes in
 * place. Several restarts between two checks count once; a server that is down is not looked at.
 */
final class ServerRestarts {

  /**
   * The incarnation: the postmaster's start time, and its checkpointer's, which a crash restart
   * replaces while the postmaster (and so its start time) stays. One text, read in the probe's
   * round trip.
   */
  static final String INCARNATION =
      "pg_postmaster_start_time()::text || ' '"
          + " || coalesce((SELECT min(backend_start) FROM pg_stat_activity WHERE backend_type = 'checkpointer')::text, '')";

  private final AtomicReference<String> lastSeen = new AtomicReference<>();
  private final AtomicInteger restarts = new AtomicInteger();

  /** Notes the incarnation a check saw; a different one than the last seen is a restart. */
  void observe(String incarnation) {
    Objects.requireNonNull(incarnation, "incarnation");
    String before = lastSeen.getAndSet(incarnation);
    if (before != null && !before.equals(incarnation)) {
      restarts.incrementAndGet();
    }
  }

  /** Restarts seen so far. */
  int count() {
    return restarts.get();
  }
}
