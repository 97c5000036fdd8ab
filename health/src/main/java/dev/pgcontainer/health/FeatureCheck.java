package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import java.time.Duration;

/**
 * A check a feature adds to every report, enabled or not (a disabled feature's check says so): its
 * name, its place among the checks, and its probe unless the run supplies its own. It looks at the
 * server, so outside the RUNNING phase the phase answers for it.
 */
public interface FeatureCheck {

  /**
   * The name users select it by, e.g. {@code backup}; the run's own probe for it has the same name.
   */
  String name();

  /**
   * Its place in reports, which list checks by rank: the built-in ones are {@value
   * HealthChecks#POSTGRESQL_RANK} (postgresql), {@value HealthChecks#DISK_RANK} (disk) and {@value
   * HealthChecks#PROCESS_RANK} (process).
   */
  int rank();

  /**
   * Its probe where the run supplies none: probing directly (a healthcheck that could not ask the
   * endpoint), or an endpoint without the run's probe (see {@link LauncherStandInProbe}).
   */
  Probe probe(Settings settings, Duration deadline);
}
