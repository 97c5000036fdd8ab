package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.OsUser;
import java.util.Map;
import java.util.Optional;

/**
 * The values a server and the programs around it (pgBackRest, Patroni) are made from, which travel together: the
 * settings, the server binaries (absent for a command that only talks to a running server), the OS user the server
 * runs as, and the launcher's environment, of which children get a whitelist only.
 */
public record ServerSetup(
    Settings settings, Optional<PgInstallation> binaries, ServerUser user, Map<String, String> environment) {

  public ServerSetup {
    environment = Map.copyOf(environment);
  }

  public static ServerSetup of(
      Settings settings, PgInstallation installation, ServerUser user, Map<String, String> environment) {
    return new ServerSetup(settings, Optional.of(installation), user, environment);
  }

  /** For what needs no server binaries, e.g. pgBackRest asking a running server for a backup. */
  public static ServerSetup withoutBinaries(Settings settings, ServerUser user, Map<String, String> environment) {
    return new ServerSetup(settings, Optional.empty(), user, environment);
  }

  /** The server binaries, which whoever made this setup for a server found. */
  public PgInstallation installation() {
    return binaries.orElseThrow(() -> new IllegalStateException("this setup was made without server binaries"));
  }

  /** The OS user to switch to when the launcher is root; empty when children run as the launcher's own user. */
  public Optional<OsUser> switchTo() {
    return user.switchesUser() ? Optional.of(user.account()) : Optional.empty();
  }
}
