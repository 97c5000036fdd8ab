package dev.pgcontainer.backup;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.LocalConnections;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * What the backup side asks its own server, each question on a short-lived connection through the
 * socket (peer authentication as the superuser), so no idle session is left to hold up a smart
 * shutdown.
 */
final class LocalServer {

  /** What a cluster is, as the stanza records it. */
  record Identity(String majorVersion, long systemId) {}

  /**
   * What the server is to backups.
   *
   * @param inRecovery a standby (or a restore still replaying), not the primary
   * @param archiving archive_mode is not off (it is off in a restored copy)
   */
  record Role(boolean inRecovery, boolean archiving) {}

  private final Settings settings;
  private final Duration timeout;

  private LocalServer(Settings settings, Duration timeout) {
    this.settings = settings;
    this.timeout = timeout;
  }

  static LocalServer forSettings(Settings settings) {
    return new LocalServer(settings, settings.timeout());
  }

  /** Both answers from one connection. */
  Role role() {
    return query(
        "SELECT pg_is_in_recovery(), current_setting('archive_mode') <> 'off'",
        rows -> new Role(rows.getBoolean(1), rows.getBoolean(2)));
  }

  Identity identity() {
    return query(
        "SELECT current_setting('server_version_num')::int / 10000, system_identifier FROM pg_control_system()",
        rows -> new Identity(String.valueOf(rows.getInt(1)), rows.getLong(2)));
  }

  ArchiverStats archiver() {
    try (Connection connection = open()) {
      return ArchiverStats.read(connection);
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  /** Runs statements that return nothing, in order. */
  void execute(String... statements) {
    try (Connection connection = open();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rows) throws SQLException;
  }

  private <T> T query(String sql, Row<T> row) {
    try (Connection connection = open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return row.read(rows);
    } catch (SQLException e) {
      throw unreachable(e);
    }
  }

  private Connection open() throws SQLException {
    return LocalConnections.forSettings(settings).open(settings.superuser().database(), timeout);
  }

  private PgcontainerException unreachable(SQLException e) {
    return new PgcontainerException(
        "cannot ask the server through "
            + LocalConnections.socketFile(settings)
            + " ("
            + e.getMessage()
            + "): is it running? Start it with pgcontainer run",
        e);
  }
}
