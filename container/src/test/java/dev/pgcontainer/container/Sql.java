package dev.pgcontainer.container;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.containers.JdbcDatabaseContainer;

/**
 * SQL from the host to a container, over the mapped port with the password: as an application would
 * connect.
 */
final class Sql {

  private Sql() {}

  static void execute(JdbcDatabaseContainer<?> container, String sql) throws SQLException {
    try (Connection connection = connect(container);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** The first column of the first row, as text. */
  static String queryOne(JdbcDatabaseContainer<?> container, String sql) throws SQLException {
    try (Connection connection = connect(container);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      if (!result.next()) {
        throw new AssertionError("no row from: " + sql);
      }
      return result.getString(1);
    }
  }

  static Connection connect(JdbcDatabaseContainer<?> container) throws SQLException {
    return DriverManager.getConnection(
        container.getJdbcUrl(), container.getUsername(), container.getPassword());
  }
}
