package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Settings for a server whose directories all live under one root (nothing needs to exist). */
final class TestSettings {

  private TestSettings() {}

  static Map<String, String> environment(Path root, int port) {
    Map<String, String> env = new HashMap<>();
    env.put("PGDATA", root.resolve("data").toString());
    env.put("PGCONFIG", root.resolve("config").toString());
    env.put("PGLOG", root.resolve("log").toString());
    env.put("PGSOCKET", root.resolve("socket").toString());
    env.put("POSTGRESQL_PORT", String.valueOf(port));
    env.put("EXTERNAL_ACCESS_ENABLE", "false");
    env.put("HEALTH_LISTEN", "");
    env.put("HOSTNAME", "health-test");
    return env;
  }

  /** {@link #environment} with {@code overrides}. */
  static Settings under(Path root, int port, Map<String, String> overrides) {
    Map<String, String> env = environment(root, port);
    env.putAll(overrides);
    return Settings.fromEnvironment(env);
  }
}
