package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.embedded.Features;
import dev.pgcontainer.embedded.SettingsSource;
import dev.pgcontainer.feature.CommandContext;
import dev.pgcontainer.instance.EmbeddedBinaries;
import dev.pgcontainer.instance.ServerSetup;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.supervision.OsUsers;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * What a feature's subcommand gets from the launcher: settings read and binaries found as the run
 * finds them.
 */
record LauncherCommandContext(Map<String, String> environment, PrintStream out)
    implements CommandContext {

  @Override
  public Settings offlineSettings() {
    return SettingsSource.offline(environment);
  }

  @Override
  public PgInstallation installation() {
    return PgInstallation.discover(environment)
        .orElseGet(() -> EmbeddedBinaries.forEnvironment(environment, OsUsers.isRoot()).obtain());
  }

  @Override
  public Settings settings(PgInstallation installation) {
    return SettingsSource.withServerCatalogue(environment, Optional.of(installation));
  }

  @Override
  public ServerUser serverUser(Settings settings) {
    return SettingsSource.serverUser(settings, environment);
  }

  @Override
  public ServerSetup serverSetup(Settings settings, PgInstallation installation) {
    return ServerSetup.of(settings, installation, serverUser(settings), environment)
        .withFeatures(Features.parts(settings));
  }
}
