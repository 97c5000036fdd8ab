package dev.pgcontainer.health;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.LocalConnections;
import dev.pgcontainer.instance.SharedSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one connection health probes and metrics share ({@link SharedSession}), over the server's
 * Unix socket (peer authentication, no password). Every use is bounded: waiting for the connection
 * and every network read time out after {@code timeout}.
 *
 * <p>Callers must {@link #close()} it when the server is about to stop: an idle client keeps a
 * smart shutdown waiting.
 */
final class ServerConnection implements AutoCloseable {

  /** Shown in pg_stat_activity, so operators can tell the launcher's own session apart. */
  static final String APPLICATION_NAME = "pgcontainer-health";

  private final LocalConnections connections;
  private final String database;
  private final Duration timeout;
  private final SharedSession<Connection> shared = new SharedSession<>(this::open);

  /**
   * {@link System#nanoTime()} after which no read may wait, for a connection made for one check;
   * else empty.
   */
  private final OptionalLong endNanos;

  private ServerConnection(
      LocalConnections connections, String database, Duration timeout, OptionalLong endNanos) {
    this.connections = connections;
    this.database = database;
    this.timeout = timeout;
    this.endNanos = endNanos;
  }

  static ServerConnection forSettings(Settings settings, Duration timeout) {
    return new ServerConnection(
        LocalConnections.forSettings(settings),
        settings.superuser().database(),
        timeout,
        OptionalLong.empty());
  }

  /**
   * For one check that must end within {@code deadline} from now: opening the connection and its
   * reads end by then, however late they start, so that no thread stays blocked in a read past it
   * (a healthcheck's JVM would wait for it on exit).
   */
  static ServerConnection forOneCheck(Settings settings, Duration deadline) {
    return new ServerConnection(
        LocalConnections.forSettings(settings),
        settings.superuser().database(),
        deadline,
        OptionalLong.of(System.nanoTime() + deadline.toNanos()));
  }

  /** Work done on the connection. */
  @FunctionalInterface
  interface Work<T> extends SharedSession.Work<Connection, T> {}

  /**
   * Runs {@code work} on the shared connection, opening it when needed, waiting up to the timeout
   * for it.
   */
  <T> T use(Work<T> work) throws SQLException {
    return useIfFree(work, timeout)
        .orElseThrow(
            () ->
                new SQLException(
                    "the health connection stayed busy for " + timeout.toMillis() + " ms",
                    "08000"));
  }

  /**
   * Runs {@code work} as {@link #use} does if the connection is free within {@code wait}; empty
   * when it stays busy. For work that must not keep a probe waiting, such as a metrics scrape,
   * which can serve its last values instead.
   */
  <T> Optional<T> useIfFree(Work<T> work, Duration wait) throws SQLException {
    return shared.useIfFree(work, wait);
  }

  /** The bound of every use: waiting for the connection, every network read, every statement. */
  Duration timeout() {
    return timeout;
  }

  private Connection open() throws SQLException {
    Duration bound =
        endNanos.isEmpty()
            ? timeout
            : Duration.ofNanos(
                Math.max(Duration.ofMillis(1).toNanos(), endNanos.getAsLong() - System.nanoTime()));
    Connection opened = connections.open(database, bound);
    try {
      opened.setNetworkTimeout(Runnable::run, (int) Math.max(1, bound.toMillis()));
      try (Statement statement = opened.createStatement()) {
        statement.execute(
            "SET application_name = '"
                + APPLICATION_NAME
                + "'; SET statement_timeout = "
                + timeout.toMillis());
      }
    } catch (SQLException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  /**
   * Closes the connection now, or, while a use runs, as soon as that use ends: never waits, so
   * neither a stopping launcher nor an exiting healthcheck is held up by a stuck query. The next
   * use opens a new connection.
   */
  @Override
  public void close() {
    shared.close();
  }
}
