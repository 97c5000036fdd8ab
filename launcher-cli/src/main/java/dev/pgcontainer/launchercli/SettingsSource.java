package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.ServerSettingsValidator;
import java.util.Map;

/** Where commands get their Settings: offline, or checked against the installed server's catalogue. */
final class SettingsSource {

  private SettingsSource() {}

  static Settings withServerCatalogue(Map<String, String> env) {
    return Settings.fromEnvironment(env, Settings.hostName(env), ServerSettingsValidator.offline());
  }
}
