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

  /** {@code pgcontainer.conf}: the file the server is started with, as {@code -c config_file=...}. */
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

  /** {@code patroni.yml}: Patroni's configuration, rendered when {@code PATRONI_ENABLE=true}. It holds no password. */
  public Path patroniConfigFile() {
    return directory.resolve("patroni.yml");
  }

  /**
   * {@code patroni.pgpass}: the password file Patroni itself writes (mode 0600) before it runs pg_basebackup or
   * pg_rewind; here because the server's OS user owns this directory.
   */
  public Path patroniPasswordFile() {
    return directory.resolve("patroni.pgpass");
  }

  /**
   * {@code citus.pgpass}: the password file (mode 0600) the server's own libpq connections to other Citus nodes read,
   * through {@code PGPASSFILE}; written on every start with {@code CITUS_ENABLE=true} without Patroni.
   */
  public Path citusPasswordFile() {
    return directory.resolve("citus.pgpass");
  }

  /**
   * {@code pgbackrest.conf}: pgBackRest's configuration, rendered by the backup module when {@code BACKUP_ENABLED=true};
   * every pgBackRest command of the launcher and of the server's {@code archive_command} names it with {@code --config}.
   */
  public Path pgBackRestConfigFile() {
    return directory.resolve("pgbackrest.conf");
  }

  /** Whether {@code path} is the user's own file, which pgcontainer must never write. */
  public boolean isUserConfigFile(Path path) {
    return path.toAbsolutePath().normalize().equals(userConfigFile());
  }
}
