package dev.pgcontainer.feature;

import dev.pgcontainer.configrender.ConfigContributor;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.FeatureSettingsRules;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.health.FeatureCheck;
import dev.pgcontainer.instance.FeatureParts;
import dev.pgcontainer.instance.Leftover;
import dev.pgcontainer.instance.ServerManager;
import java.util.List;
import java.util.Optional;

/**
 * One feature of the launcher (Patroni, pgBackRest, Citus) with everything it adds: the manager of
 * the server when it runs postgres itself, its part in a run (run hooks, health probes, gauges, its
 * requests on the launcher's socket), its health check, its lines in the server's configuration and
 * its own files ({@link ConfigContributor}), and its subcommands. The launcher composes the enabled
 * ones in one loop, in the order it lists them.
 */
public interface Feature extends ConfigContributor {

  /** The feature's name, e.g. {@code citus}. */
  String name();

  /** Whether {@code settings} enable this feature. */
  boolean enabled(Settings settings);

  /**
   * How the feature's own variables read, when it has any; their record is the feature's to find in
   * Settings.
   */
  default Optional<FeatureSettingsRules<?>> settingsRules() {
    return Optional.empty();
  }

  /**
   * The manager of the server when this feature runs postgres (at most one enabled feature does).
   */
  default Optional<ServerManager> serverManager() {
    return Optional.empty();
  }

  /**
   * This feature's part in a run that starts the server (not in sleep mode): its hooks, in the
   * order they run, its probes and its gauges.
   */
  default RunContribution join(FeatureRun run) {
    return RunContribution.NONE;
  }

  /**
   * Files of this feature that {@code pgcontainer render} writes besides the configuration (a run
   * writes them in its own steps), e.g. a password file.
   */
  default List<RenderedFile> renderedFiles(Settings settings) {
    return List.of();
  }

  /** Directories this feature needs besides the server's, made with them (e.g. a repository). */
  default List<FeatureParts.Directory> directories(Settings settings) {
    return List.of();
  }

  /**
   * Its programs that a killed launcher may have left running on {@code settings}' PGDATA, enabled
   * or not.
   */
  default List<Leftover> leftovers(Settings settings) {
    return List.of();
  }

  /** Whether the Java library runs this feature's part too (it leaves backups to the container). */
  default boolean runsInLibrary() {
    return true;
  }

  /** The check this feature adds to every health report, enabled or not. */
  default Optional<FeatureCheck> check() {
    return Optional.empty();
  }

  /** The launcher's subcommands this feature answers, e.g. {@code backup}. */
  default List<Subcommand> subcommands() {
    return List.of();
  }
}
