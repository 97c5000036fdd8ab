package dev.pgcontainer.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A template database, migrated once, and the databases copied from it: {@code CREATE DATABASE ... TEMPLATE}, with
 * the file-copy strategy by default (on PostgreSQL 15 and later; for small databases it is faster than WAL-logging
 * every block, see bench/embedded.sh).
 */
public final class DatabaseTemplate implements AutoCloseable {

  /** How PostgreSQL 15 and later copy a template; older servers always copy files. */
  public enum Strategy {
    FILE_COPY,
    WAL_LOG
  }

  /** What makes the template's schema and data, e.g. Flyway or Liquibase run on the connection it is given. */
  @FunctionalInterface
  public interface Migration {
    void migrate(Connection template) throws Exception;
  }

  private final PgServer server;
  private final String name;
  private final Strategy strategy;
  private final boolean strategySupported;
  private final AtomicLong copies = new AtomicLong();
  /** Kept open: a new connection (with its password exchange) would cost more than the copy of a small template. */
  private Connection admin;

  private DatabaseTemplate(PgServer server, String name, Strategy strategy, boolean strategySupported) {
    this.server = server;
    this.name = name;
    this.strategy = strategy;
    this.strategySupported = strategySupported;
  }

  /**
   * Makes database {@code name} on {@code server}, runs {@code migration} on it, and marks it a template nobody
   * connects to (a template in use cannot be copied).
   */
  public static DatabaseTemplate create(PgServer server, String name, Migration migration, Strategy strategy)
      throws SQLException {
    boolean strategySupported;
    try (Connection admin = server.connect(); Statement statement = admin.createStatement()) {
      strategySupported = admin.getMetaData().getDatabaseMajorVersion() >= 15;
      statement.execute("CREATE DATABASE " + quoted(name));
    }
    try (Connection template = server.connect(name)) {
      migration.migrate(template);
    } catch (SQLException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SQLException("the migration of template " + name + " failed: " + e.getMessage(), e);
    }
    try (Connection admin = server.connect(); Statement statement = admin.createStatement()) {
      statement.execute("ALTER DATABASE " + quoted(name) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
    }
    return new DatabaseTemplate(server, name, strategy, strategySupported);
  }

  public String name() {
    return name;
  }

  /** A new database copied from the template, named after it with a sequence number. */
  public synchronized TestDatabase copy() throws SQLException {
    String copy = name + "_" + copies.incrementAndGet();
    try (Statement statement = admin().createStatement()) {
      statement.execute("CREATE DATABASE " + quoted(copy) + " TEMPLATE " + quoted(name)
          + (strategySupported ? " STRATEGY " + strategy.name() : ""));
    }
    return new TestDatabase(copy, server.jdbcUrl(copy), server.user(), server.password());
  }

  /** Drops {@code database}, ending the sessions a test left open. */
  public synchronized void drop(TestDatabase database) throws SQLException {
    try (Statement statement = admin().createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + quoted(database.name()) + " WITH (FORCE)");
    }
  }

  private Connection admin() throws SQLException {
    if (admin == null || admin.isClosed()) {
      admin = server.connect();
    }
    return admin;
  }

  /** Closes the connection the copies were made on; the template and the copies stay. */
  @Override
  public synchronized void close() throws SQLException {
    if (admin != null) {
      admin.close();
    }
  }

  static String quoted(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
