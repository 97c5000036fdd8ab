package dev.pgcontainer.instance;

import dev.pgcontainer.configrender.ConfigContributor;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.OsUser;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values a server and the programs around it (pgBackRest, Patroni) are made from, which travel together: the
 * settings, the server binaries (absent for a command that only talks to a running server), the OS user the server
 * runs as, the launcher's environment, of which children get a whitelist only, and the enabled features' parts in
 * the server's configuration.
 */
public record ServerSetup(
    Settings settings,
    Optional<PgInstallation> binaries,
    ServerUser user,
    Map<String, String> environment,
    List<ConfigContributor> config) {

  public ServerSetup {
    environment = Map.copyOf(environment);
    config = List.copyOf(config);
  }

  /** A setup without any feature's part in the configuration; see {@link #withConfig}. */
  public static ServerSetup of(
      Settings settings, PgInstallation installation, ServerUser user, Map<String, String> environment) {
    return new ServerSetup(settings, Optional.of(installation), user, environment, List.of());
  }

  /** For what needs no server binaries, e.g. pgBackRest asking a running server for a backup. */
  public static ServerSetup withoutBinaries(Settings settings, ServerUser user, Map<String, String> environment) {
    return new ServerSetup(settings, Optional.empty(), user, environment, List.of());
  }

  /** The same setup with the enabled features' parts in the configuration. */
  public ServerSetup withConfig(List<? extends ConfigContributor> enabled) {
    return new ServerSetup(settings, binaries, user, environment, List.copyOf(enabled));
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
