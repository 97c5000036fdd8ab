package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.ServerParameterCatalogue;
import dev.pgcontainer.core.Settings;
import java.util.Map;
import java.util.Optional;

/** Where commands get their Settings: checked against the installed server's catalogue when there is one. */
final class SettingsSource {

  private SettingsSource() {}

  static Settings withServerCatalogue(Map<String, String> env, Optional<PgInstallation> installation) {
    return Settings.fromEnvironment(env, Settings.hostName(env), ServerParameterCatalogue.validatorFor(installation));
  }
}
