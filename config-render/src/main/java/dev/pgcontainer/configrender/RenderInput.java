package dev.pgcontainer.configrender;

import dev.pgcontainer.core.Settings;
import java.util.Objects;

/**
 * Everything the configuration files are rendered from.
 *
 * @param settings the validated environment
 * @param serverOsUser the operating-system user the server runs as (a runtime fact; the offline {@code render} command
 *     passes {@code postgres}); pg_ident.conf maps it to the superuser
 */
public record RenderInput(Settings settings, String serverOsUser) {

  public RenderInput {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(serverOsUser, "serverOsUser");
    if (serverOsUser.isBlank()) {
      throw new IllegalArgumentException("the server's OS user must be a user name, e.g. postgres");
    }
  }

  public static RenderInput of(Settings settings, String serverOsUser) {
    return new RenderInput(settings, serverOsUser);
  }
}
