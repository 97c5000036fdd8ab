package dev.pgcontainer.instance;

import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Connections from the launcher to its own server through the Unix socket, authenticated by peer
 * (the socket's OS user is mapped to the superuser in pg_ident.conf): the launcher needs no
 * password and opens no TCP trust.
 */
public final class LocalConnections {

  private final Path socketFile;
  private final String user;

  private LocalConnections(Path socketFile, String user) {
    this.socketFile = socketFile;
    this.user = user;
  }

  /** Connections as the superuser of {@code settings} to the server's socket. */
  public static LocalConnections forSettings(Settings settings) {
    return new LocalConnections(socketFile(settings), settings.superuser().name());
  }

  /** {@code PGSOCKET/.s.PGSQL.<port>}, the file PostgreSQL creates for its socket. */
  public static Path socketFile(Settings settings) {
    return settings.directories().socket().resolve(".s.PGSQL." + settings.port());
  }

  public Path socketFile() {
    return socketFile;
  }

  /**
   * Whether {@code failure} means the session is gone, so that a kept session should be opened
   * anew: a connection failure (SQLSTATE class 08) or a backend ended by an operator or a shutdown
   * (class 57P).
   */
  public static boolean sessionLost(SQLException failure) {
    String state = failure.getSQLState();
    return state == null || state.startsWith("08") || state.startsWith("57P");
  }

  /**
   * Opens a connection to {@code database}, failing within {@code timeout} (also when the server
   * takes the connection but never answers the login). The connection's reads are then unbounded,
   * as pgjdbc's are by default.
   */
  public Connection open(String database, Duration timeout) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("socketFactory", BoundedUnixSocketFactory.class.getName());
    properties.setProperty(
        "socketFactoryArg", BoundedUnixSocketFactory.argument(timeout, socketFile.toString()));
    properties.setProperty("sslmode", "disable");
    properties.setProperty("ApplicationName", "pgcontainer");
    properties.setProperty("assumeMinServerVersion", "10");
    int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    properties.setProperty("connectTimeout", String.valueOf(seconds));
    properties.setProperty("loginTimeout", String.valueOf(seconds));
    // The host part is unused with a socket factory; it only has to be a valid URL.
    Connection connection =
        DriverManager.getConnection(
            "jdbc:postgresql://localhost/" + urlEncode(database), properties);
    try {
      connection.setNetworkTimeout(Runnable::run, 0);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private static String urlEncode(String database) {
    return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
