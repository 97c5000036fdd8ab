package dev.pgcontainer.citus;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.core.Secret;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.patroni.PatroniSettings;
import java.util.Optional;

/**
 * The password file the server's own connections to other Citus nodes read ({@code PGPASSFILE}, see
 * {@link CitusExtension}): one line, any host and port, the Citus database, the superuser and its
 * password. Mode 0600, in PGCONFIG, rewritten on every start, so it follows a changed {@code
 * POSTGRES_PASSWORD}.
 */
final class PasswordFile {

  /**
   * {@code citus.pgpass} in the configuration directory, which the server's own libpq connections
   * to other nodes read through {@code PGPASSFILE}; written on every start without Patroni.
   */
  static final String FILE = "citus.pgpass";

  private PasswordFile() {}

  /**
   * The file a run of {@code settings} writes before the server starts, and {@code render} with it:
   * with {@code CITUS_ENABLE=true}, without Patroni (whose own Citus support authenticates
   * otherwise) and with a superuser password; empty otherwise.
   */
  public static Optional<RenderedFile> of(Settings settings) {
    if (!CitusSettings.of(settings).enabled() || PatroniSettings.of(settings).enabled()) {
      return Optional.empty();
    }
    return settings.superuser().password().map(password -> render(settings, password));
  }

  static RenderedFile render(Settings settings, Secret password) {
    String line =
        "*:*:"
            + escape(CitusSettings.of(settings).database())
            + ":"
            + escape(settings.superuser().name())
            + ":"
            + escape(password.reveal())
            + "\n";
    return RenderedFile.secret(ConfigLayout.of(settings).file(PasswordFile.FILE), line);
  }

  /** libpq's rule for a field: a backslash or a colon is preceded by a backslash. */
  static String escape(String field) {
    return field.replace("\\", "\\\\").replace(":", "\\:");
  }
}
