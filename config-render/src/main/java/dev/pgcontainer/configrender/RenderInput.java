package dev.pgcontainer.configrender;

import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the configuration files are rendered from.
 *
 * @param settings the validated environment
 * @param serverOsUser the operating-system user the server runs as (a runtime fact; the offline
 *     {@code render} command passes {@code postgres}); pg_ident.conf maps it to the superuser
 * @param serverBinDir the directory of the server binaries when known (a runtime fact, or {@code
 *     PG_BINDIR}); Patroni runs initdb, pg_ctl and pg_rewind from it
 * @param contributors the enabled features' parts, in the order the launcher lists the features
 */
public record RenderInput(
    Settings settings,
    String serverOsUser,
    Optional<Path> serverBinDir,
    List<ConfigContributor> contributors) {

  public RenderInput {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(serverOsUser, "serverOsUser");
    Objects.requireNonNull(serverBinDir, "serverBinDir");
    contributors = List.copyOf(contributors);
    if (serverOsUser.isBlank()) {
      throw new IllegalArgumentException("the server's OS user must be a user name, e.g. postgres");
    }
  }

  /**
   * The input for {@code settings}, with the server binaries of {@code PG_BINDIR} if it is set, and
   * no feature's part.
   */
  public static RenderInput of(Settings settings, String serverOsUser) {
    return new RenderInput(settings, serverOsUser, settings.directories().binaries(), List.of());
  }

  /** The same input with the server binaries found at run time. */
  public RenderInput withServerBinDir(Path binDir) {
    return new RenderInput(settings, serverOsUser, Optional.of(binDir), contributors);
  }

  /** The same input with the parts of the enabled features. */
  public RenderInput withContributors(List<? extends ConfigContributor> enabled) {
    return new RenderInput(settings, serverOsUser, serverBinDir, List.copyOf(enabled));
  }
}
