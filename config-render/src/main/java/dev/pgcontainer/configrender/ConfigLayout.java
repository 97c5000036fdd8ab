package dev.pgcontainer.configrender;

import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the configuration files live: all of them in {@code $PGCONFIG}.
 *
 * @param directory the configuration directory ({@code PGCONFIG})
 */
public record ConfigLayout(Path directory) {

  public ConfigLayout {
    Objects.requireNonNull(directory, "directory");
    directory = directory.toAbsolutePath().normalize();
  }

  public static ConfigLayout of(Settings settings) {
    return new ConfigLayout(settings.directories().config());
  }

  /**
   * {@code pgcontainer.conf}: the file the server is started with, as {@code -c config_file=...}.
   */
  public Path mainConfigFile() {
    return directory.resolve("pgcontainer.conf");
  }

  /** {@code pgcontainer-env.conf}: the {@code POSTGRESQL_*} settings, included last so they win. */
  public Path environmentConfigFile() {
    return directory.resolve("pgcontainer-env.conf");
  }

  /** {@code postgresql.conf}: the user's own optional, mounted file. It is read, never written. */
  public Path userConfigFile() {
    return directory.resolve("postgresql.conf");
  }

  public Path hbaFile() {
    return directory.resolve("pg_hba.conf");
  }

  public Path identFile() {
    return directory.resolve("pg_ident.conf");
  }

  /** A file of a feature in this directory, e.g. its program's configuration. */
  public Path file(String name) {
    return directory.resolve(name);
  }

  /** Whether {@code path} is the user's own file, which pgcontainer must never write. */
  public boolean isUserConfigFile(Path path) {
    return path.toAbsolutePath().normalize().equals(userConfigFile());
  }
}
