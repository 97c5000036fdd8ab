package dev.pgcontainer.embedded;

import dev.pgcontainer.backup.BackupFeature;
import dev.pgcontainer.citus.CitusFeature;
import dev.pgcontainer.core.EnvironmentVariable;
import dev.pgcontainer.core.FeatureSettingsRules;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Variable;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.feature.Subcommand;
import dev.pgcontainer.health.FeatureCheck;
import dev.pgcontainer.instance.FeatureParts;
import dev.pgcontainer.instance.Leftover;
import dev.pgcontainer.instance.PostgresRun;
import dev.pgcontainer.instance.ServerManager;
import dev.pgcontainer.patroni.PatroniFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one list of the features the launcher and the library know, in the order their parts join a
 * run.
 */
public final class Features {

  private static final List<Feature> ALL =
      List.of(new PatroniFeature(), new BackupFeature(), new CitusFeature());

  private Features() {}

  public static List<Feature> all() {
    return ALL;
  }

  // Loops, not streams: every launcher command passes here in a cold JVM, where each lambda costs
  // its first call.

  /** How every feature's own variables read, in the order of {@link #all()}. */
  public static List<FeatureSettingsRules<?>> settingsRules() {
    List<FeatureSettingsRules<?>> rules = new ArrayList<>(ALL.size());
    for (Feature feature : ALL) {
      Optional<FeatureSettingsRules<?>> featureRules = feature.settingsRules();
      if (featureRules.isPresent()) {
        rules.add(featureRules.get());
      }
    }
    return rules;
  }

  /** Core's variables and every feature's, e.g. to know which accept a {@code _FILE}. */
  public static List<EnvironmentVariable> variables() {
    List<EnvironmentVariable> variables = new ArrayList<>(List.of(Variable.values()));
    for (FeatureSettingsRules<?> rules : settingsRules()) {
      variables.addAll(rules.variables());
    }
    return variables;
  }

  /** The features {@code settings} enable, in the order of {@link #all()}. */
  public static List<Feature> enabled(Settings settings) {
    List<Feature> enabled = new ArrayList<>(ALL.size());
    for (Feature feature : ALL) {
      if (feature.enabled(settings)) {
        enabled.add(feature);
      }
    }
    return enabled;
  }

  /**
   * What the features add to the server: the enabled ones' configuration and directories, every
   * one's leftovers.
   */
  public static FeatureParts parts(Settings settings) {
    List<Feature> enabled = enabled(settings);
    List<FeatureParts.Directory> directories = new ArrayList<>();
    for (Feature feature : enabled) {
      directories.addAll(feature.directories(settings));
    }
    List<Leftover> leftovers = new ArrayList<>();
    for (Feature feature : ALL) {
      leftovers.addAll(feature.leftovers(settings));
    }
    return new FeatureParts(new ArrayList<>(enabled), directories, leftovers);
  }

  /**
   * The manager an enabled feature supplies (Patroni), or {@code standalone} (the launcher runs
   * postgres itself).
   */
  public static ServerManager serverManager(Settings settings, PostgresRun standalone) {
    for (Feature feature : enabled(settings)) {
      Optional<ServerManager> manager = feature.serverManager();
      if (manager.isPresent()) {
        return manager.get();
      }
    }
    return standalone;
  }

  /**
   * Every feature's health check (a disabled feature's says so), in the order of {@link #all()}.
   */
  public static List<FeatureCheck> checks() {
    List<FeatureCheck> checks = new ArrayList<>(ALL.size());
    for (Feature feature : ALL) {
      Optional<FeatureCheck> check = feature.check();
      if (check.isPresent()) {
        checks.add(check.get());
      }
    }
    return checks;
  }

  /** Every feature's subcommands, in the order of {@link #all()}. */
  public static List<Subcommand> subcommands() {
    List<Subcommand> subcommands = new ArrayList<>();
    for (Feature feature : ALL) {
      subcommands.addAll(feature.subcommands());
    }
    return subcommands;
  }
}
