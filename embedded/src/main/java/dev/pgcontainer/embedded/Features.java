package dev.pgcontainer.embedded;

import dev.pgcontainer.backup.BackupFeature;
import dev.pgcontainer.citus.CitusFeature;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.instance.PostgresRun;
import dev.pgcontainer.instance.ServerManager;
import dev.pgcontainer.patroni.PatroniFeature;
import java.util.List;

/** The one list of the features the launcher and the library know, in the order their parts join a run. */
public final class Features {

  private static final List<Feature> ALL = List.of(new PatroniFeature(), new BackupFeature(), new CitusFeature());

  private Features() {}

  public static List<Feature> all() {
    return ALL;
  }

  /** The features {@code settings} enable, in the order of {@link #all()}. */
  public static List<Feature> enabled(Settings settings) {
    return ALL.stream().filter(feature -> feature.enabled(settings)).toList();
  }

  /** The manager an enabled feature supplies (Patroni), or {@code standalone} (the launcher runs postgres itself). */
  public static ServerManager serverManager(Settings settings, PostgresRun standalone) {
    return enabled(settings).stream()
        .flatMap(feature -> feature.serverManager().stream())
        .findFirst()
        .orElse(standalone);
  }
}
