package dev.pgcontainer.health;

import java.util.Collection;

/**
 * A probe's verdict, from best to worst: the overall status of several probes is the worst of
 * theirs.
 */
public enum ProbeStatus {
  /** Working as it should. */
  UP,
  /** Working, but something needs attention (e.g. a restart is pending). */
  DEGRADED,
  /** SLEEP_MODE: nothing runs on purpose. */
  SLEEPING,
  /** Initialising or starting: not serving yet, but on its way. */
  STARTING,
  /** Not working, or no answer within the deadline. */
  DOWN;

  /**
   * Whether {@code pgcontainer healthcheck} exits 0 for it. SLEEPING counts as healthy: sleep mode
   * keeps a container up for maintenance on purpose, and an orchestrator that replaces unhealthy
   * containers must not end it.
   */
  public boolean isHealthy() {
    return this == UP || this == DEGRADED || this == SLEEPING;
  }

  /** Whether clients can use what it checks: UP or DEGRADED. */
  public boolean isServing() {
    return this == UP || this == DEGRADED;
  }

  /** The worst of {@code statuses}; UP when there are none. */
  public static ProbeStatus worstOf(Collection<ProbeStatus> statuses) {
    return statuses.stream().max(Enum::compareTo).orElse(UP);
  }
}
