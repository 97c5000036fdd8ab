package dev.pgcontainer.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A database of a {@link PgServer} and how to reach it: a test's own copy of the template, or the
 * template while it is migrated (e.g. {@code Flyway.configure().dataSource(db.jdbcUrl(), db.user(),
 * db.password())}).
 */
public final class PgDatabase {

  private final String name;
  private final String jdbcUrl;
  private final String user;
  private final String password;

  PgDatabase(String name, String jdbcUrl, String user, String password) {
    this.name = name;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** A new connection to this database; the caller closes it. */
  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  @Override
  public String toString() {
    return name + " (" + jdbcUrl + ", user " + user + ")";
  }
}
