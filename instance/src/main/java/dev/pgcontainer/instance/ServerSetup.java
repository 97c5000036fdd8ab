package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.OsUser;
import java.util.Map;
import java.util.Optional;

/**
 * The values a server and the programs around it (pgBackRest, Patroni) are made from, which travel
 * together: the settings, the server binaries (absent for a command that only talks to a running
 * server), the OS user the server runs as, the launcher's environment, of which children get a
 * whitelist only, and the enabled features' parts.
 */
public record ServerSetup(
    Settings settings,
    Optional<PgInstallation> binaries,
    ServerUser user,
    Map<String, String> environment,
    FeatureParts features) {

  public ServerSetup {
    environment = Map.copyOf(environment);
  }

  /** A setup without any feature's part; see {@link #withFeatures}. */
  public static ServerSetup of(
      Settings settings,
      PgInstallation installation,
      ServerUser user,
      Map<String, String> environment) {
    return new ServerSetup(
        settings, Optional.of(installation), user, environment, FeatureParts.NONE);
  }

  /** For what needs no server binaries, e.g. pgBackRest asking a running server for a backup. */
  public static ServerSetup withoutBinaries(
      Settings settings, ServerUser user, Map<String, String> environment) {
    return new ServerSetup(settings, Optional.empty(), user, environment, FeatureParts.NONE);
  }

  /** The same setup with the enabled features' parts. */
  public ServerSetup withFeatures(FeatureParts enabled) {
    return new ServerSetup(settings, binaries, user, environment, enabled);
  }

  /** The server binaries, which whoever made this setup for a server found. */
  public PgInstallation installation() {
    return binaries.orElseThrow(
        () -> new IllegalStateException("this setup was made without server binaries"));
  }

  /**
   * The OS user to switch to when the launcher is root; empty when children run as the launcher's
   * own user.
   */
  public Optional<OsUser> switchTo() {
    return user.switchesUser() ? Optional.of(user.account()) : Optional.empty();
  }
}
