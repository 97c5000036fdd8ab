package dev.pgcontainer.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A template database, migrated once, and the databases copied from it: {@code CREATE DATABASE ...
 * TEMPLATE}, with the file-copy strategy by default (on PostgreSQL 15 and later; for small
 * databases it is faster than WAL-logging every block, see bench/embedded.sh).
 */
public final class DatabaseTemplate implements AutoCloseable {

  /** How PostgreSQL 15 and later copy a template; older servers always copy files. */
  public enum Strategy {
    FILE_COPY,
    WAL_LOG
  }

  /**
   * What makes the template's schema and data once, e.g. {@code t ->
   * Flyway.configure().dataSource(t.jdbcUrl(), t.user(), t.password()).load().migrate()}, or SQL on
   * {@code t.connect()}; it must close what it opens.
   */
  @FunctionalInterface
  public interface Migration {
    void migrate(PgDatabase template) throws Exception;
  }

  private final PgServer server;
  private final String name;
  private final Strategy strategy;
  private final boolean strategySupported;
  private final AtomicLong copies = new AtomicLong();
  // Copies are made ahead and dropped behind, each on a thread with its own connection (kept open:
  // a new connection, with its password exchange, costs more than the copy of a small template), so
  // that a test waits for neither.
  private final Worker maker;
  private final Worker dropper;
  private CompletableFuture<PgDatabase> next;

  private DatabaseTemplate(
      PgServer server, String name, Strategy strategy, boolean strategySupported) {
    this.server = server;
    this.name = name;
    this.strategy = strategy;
    this.strategySupported = strategySupported;
    this.maker = new Worker(server, name + "-maker");
    this.dropper = new Worker(server, name + "-dropper");
  }

  /**
   * Makes database {@code name} on {@code server}, runs {@code migration} on it, and marks it a
   * template nobody connects to (a template in use cannot be copied).
   */
  public static DatabaseTemplate create(
      PgServer server, String name, Migration migration, Strategy strategy) throws SQLException {
    boolean strategySupported;
    try (Connection admin = server.connect();
        Statement statement = admin.createStatement()) {
      strategySupported = admin.getMetaData().getDatabaseMajorVersion() >= 15;
      statement.execute("CREATE DATABASE " + quoted(name));
    }
    try {
      migration.migrate(
          new PgDatabase(name, server.jdbcUrl(name), server.user(), server.password()));
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException("the migration of template " + name + " failed: " + e.getMessage(), e);
    }
    try (Connection admin = server.connect();
        Statement statement = admin.createStatement()) {
      statement.execute(
          "ALTER DATABASE " + quoted(name) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }
    return new DatabaseTemplate(server, name, strategy, strategySupported);
  }

  public String name() {
    return name;
  }

  /**
   * A new database copied from the template, named after it with a sequence number; the one after
   * it is copied meanwhile.
   */
  public synchronized PgDatabase copy() throws SQLException {
    CompletableFuture<PgDatabase> ready = next != null ? next : makeCopy();
    next = makeCopy();
    try {
      return ready.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof SQLException sql
          ? sql
          : new SQLException(e.getCause().getMessage(), e.getCause());
    }
  }

  private CompletableFuture<PgDatabase> makeCopy() {
    String copy = name + "_" + copies.incrementAndGet();
    return maker.submit(
        admin -> {
          try (Statement statement = admin.createStatement()) {
            statement.execute(
                "CREATE DATABASE "
                    + quoted(copy)
                    + " TEMPLATE "
                    + quoted(name)
                    + (strategySupported ? " STRATEGY " + strategy.name() : ""));
          }
          return new PgDatabase(copy, server.jdbcUrl(copy), server.user(), server.password());
        });
  }

  /**
   * Drops {@code database} in the background, ending the sessions a test left open; {@link #close}
   * waits for the drops.
   */
  public void drop(PgDatabase database) {
    dropper.submit(
        admin -> {
          try (Statement statement = admin.createStatement()) {
            statement.execute(
                "DROP DATABASE IF EXISTS " + quoted(database.name()) + " WITH (FORCE)");
          }
          return null;
        });
  }

  /**
   * Drops the copy made ahead, waits for the drops, and closes the connections; the template stays.
   */
  @Override
  public synchronized void close() {
    if (next != null) {
      try {
        drop(next.join());
      } catch (CompletionException notMade) {
        // nothing to drop
      }
    }
    maker.close();
    dropper.close();
  }

  /**
   * A thread with its own connection to the server's superuser database, doing one statement after
   * the other.
   */
  private static final class Worker implements AutoCloseable {

    private final PgServer server;
    private final ExecutorService thread;
    private Connection connection;

    Worker(PgServer server, String name) {
      this.server = server;
      this.thread =
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread worker = new Thread(runnable, name);
                worker.setDaemon(true);
                return worker;
              });
    }

    <T> CompletableFuture<T> submit(SqlWork<T> work) {
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              if (connection == null || connection.isClosed()) {
                connection = server.connect();
              }
              return work.run(connection);
            } catch (SQLException e) {
              throw new CompletionException(e);
            }
          },
          thread);
    }

    @Override
    public void close() {
      thread.shutdown();
      try {
        thread.awaitTermination(1, TimeUnit.MINUTES);
        if (connection != null) {
          connection.close();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (SQLException e) {
        // the server may be stopping; the connection goes with it
      }
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection admin) throws SQLException;
  }

  static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
