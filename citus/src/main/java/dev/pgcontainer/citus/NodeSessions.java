package dev.pgcontainer.citus;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.instance.LocalConnections;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Where the adapter's SQL goes: this node's own server through its socket (peer authentication, no
 * password), or the coordinator over TCP as {@code POSTGRES_USER} with {@code POSTGRES_PASSWORD},
 * which pgjdbc sends only in the authentication exchange (never in a URL, a log or an exception
 * message).
 */
final class NodeSessions {

  /** What a kept session is called in pg_stat_activity, so operators can tell it apart. */
  static final String KEPT_SESSION_NAME = "pgcontainer-citus";

  private static final String SET_CONFIG = "SELECT pg_catalog.set_config(?, ?, false)";

  private NodeSessions() {}

  /** This node's server, database {@code database}. */
  static SqlSession.Opener local(Settings settings, String database, Duration timeout) {
    LocalConnections connections = LocalConnections.forSettings(settings);
    return () -> JdbcSession.on(connections.open(database, timeout));
  }

  /**
   * As {@link #local}, for a session kept open: each statement is bounded by {@code timeout}
   * (statement_timeout and a network read timeout, so a hung server cannot hold the caller), and
   * the session names itself in pg_stat_activity.
   */
  static SqlSession.Opener localBounded(Settings settings, String database, Duration timeout) {
    LocalConnections connections = LocalConnections.forSettings(settings);
    return () -> {
      Connection connection = connections.open(database, timeout);
      try {
        connection.setNetworkTimeout(Runnable::run, (int) timeout.toMillis());
        SqlSession session = JdbcSession.on(connection);
        session.run(SET_CONFIG, "statement_timeout", String.valueOf(timeout.toMillis()));
        session.run(SET_CONFIG, "application_name", KEPT_SESSION_NAME);
        return session;
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
    };
  }

  /** The coordinator of {@code CITUS_COORDINATOR_HOST:PORT}, database {@code CITUS_DATABASE}. */
  static SqlSession.Opener coordinator(Settings settings, Duration timeout) {
    HostPort coordinator = coordinatorAddress(settings);
    String url =
        "jdbc:postgresql://"
            + coordinator
            + "/"
            + URLEncoder.encode(CitusSettings.of(settings).database(), StandardCharsets.UTF_8)
                .replace("+", "%20");
    String seconds = String.valueOf(Math.max(1, timeout.toSeconds()));
    return () -> {
      Properties properties = new Properties();
      properties.setProperty("user", settings.superuser().name());
      settings
          .superuser()
          .password()
          .ifPresent(password -> properties.setProperty("password", password.reveal()));
      // as citus.node_conninfo: TLS when the coordinator offers it
      properties.setProperty("sslmode", "prefer");
      properties.setProperty("connectTimeout", seconds);
      properties.setProperty("loginTimeout", seconds);
      properties.setProperty("options", "-c statement_timeout=" + timeout.toMillis());
      properties.setProperty("ApplicationName", "pgcontainer-citus");
      properties.setProperty("assumeMinServerVersion", "10");
      return JdbcSession.on(DriverManager.getConnection(url, properties));
    };
  }

  static HostPort coordinatorAddress(Settings settings) {
    return new HostPort(
        CitusSettings.of(settings).coordinatorHost(), CitusSettings.of(settings).coordinatorPort());
  }
}
