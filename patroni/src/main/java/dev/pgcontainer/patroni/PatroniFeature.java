package dev.pgcontainer.patroni;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.instance.ServerManager;
import java.util.Optional;

/** Patroni with {@code PATRONI_ENABLE=true}: Patroni manages this member's postgres ({@link PatroniRun}). */
public final class PatroniFeature implements Feature {

  @Override
  public String name() {
    return "patroni";
  }

  @Override
  public boolean enabled(Settings settings) {
    return settings.patroni().enabled();
  }

  @Override
  public Optional<ServerManager> serverManager() {
    return Optional.of(new PatroniRun());
  }
}
