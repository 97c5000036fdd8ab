package dev.pgcontainer.feature;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ServerRun;
import java.util.Map;

/**
 * What a feature joins: the run's settings, the launcher's environment and the run itself (its
 * server user, its state, the launcher's socket for the feature's requests).
 */
public record FeatureRun(Settings settings, Map<String, String> environment, ServerRun run) {

  public FeatureRun {
    environment = Map.copyOf(environment);
  }
}
