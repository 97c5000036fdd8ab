package dev.pgcontainer.feature;

import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ServerManager;
import java.util.List;
import java.util.Optional;

/**
 * One feature of the launcher (Patroni, pgBackRest, Citus) with everything it adds: the manager of the server when it
 * runs postgres itself, its part in a run (run hooks, health probes, gauges, its requests on the launcher's socket),
 * its rendered files and its subcommands. The launcher composes the enabled ones in one loop, in the order it lists them.
 */
public interface Feature {

  /** The feature's name, e.g. {@code citus}. */
  String name();

  /** Whether {@code settings} enable this feature. */
  boolean enabled(Settings settings);

  /** The manager of the server when this feature runs postgres (at most one enabled feature does). */
  default Optional<ServerManager> serverManager() {
    return Optional.empty();
  }

  /**
   * This feature's part in a run that starts the server (not in sleep mode): its hooks, in the order they run, its
   * probes and its gauges.
   */
  default RunContribution join(FeatureRun run) {
    return RunContribution.NONE;
  }

  /**
   * Files of this feature that {@code pgcontainer render} writes besides the server's configuration (a run writes
   * them in its own steps).
   */
  default List<RenderedFile> renderedFiles(Settings settings) {
    return List.of();
  }

  /** The launcher's subcommands this feature answers, e.g. {@code backup}. */
  default List<Subcommand> subcommands() {
    return List.of();
  }
}
