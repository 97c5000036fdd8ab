package dev.pgcontainer.citus;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.patroni.PatroniRules;
import java.util.List;
import java.util.Map;

/** Settings read as the launcher reads them for Citus: with Patroni's rules first, then Citus'. */
final class TestSettings {

  private TestSettings() {}

  static Settings of(Map<String, String> env) {
    return Settings.fromEnvironment(env, List.of(new PatroniRules(), new CitusRules()));
  }
}
