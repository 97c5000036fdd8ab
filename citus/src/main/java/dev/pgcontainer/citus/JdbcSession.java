package dev.pgcontainer.citus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A {@link SqlSession} on a pgjdbc connection, which it closes. */
final class JdbcSession implements SqlSession {

  private final Connection connection;

  private JdbcSession(Connection connection) {
    this.connection = connection;
  }

  static JdbcSession on(Connection connection) {
    return new JdbcSession(connection);
  }

  @Override
  public List<List<String>> run(String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      if (!statement.execute()) {
        return List.of();
      }
      List<List<String>> rows = new ArrayList<>();
      try (ResultSet result = statement.getResultSet()) {
        int columns = result.getMetaData().getColumnCount();
        while (result.next()) {
          String[] row = new String[columns];
          for (int column = 0; column < columns; column++) {
            row[column] = result.getString(column + 1);
          }
          rows.add(Collections.unmodifiableList(Arrays.asList(row)));
        }
      }
      return rows;
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
