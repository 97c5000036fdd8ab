package dev.pgcontainer.feature;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ServerSetup;
import dev.pgcontainer.instance.ServerUser;
import java.io.PrintStream;
import java.util.Map;

/**
 * What the launcher gives a {@link Subcommand}: its environment, its output, and settings read as
 * it reads them.
 */
public interface CommandContext {

  Map<String, String> environment();

  PrintStream out();

  /** The settings, validated without the server's catalogue of settings (no binaries needed). */
  Settings offlineSettings();

  /** The installation on this machine, or the one fetched when the environment asks for one. */
  PgInstallation installation();

  /** The settings, validated against {@code installation}'s catalogue of server settings. */
  Settings settings(PgInstallation installation);

  /** The OS user the server runs as, which commands run pgBackRest and postgres as. */
  ServerUser serverUser(Settings settings);

  /**
   * The setup of this server, with the parts of the features {@code settings} enable in its
   * configuration.
   */
  ServerSetup serverSetup(Settings settings, PgInstallation installation);
}
