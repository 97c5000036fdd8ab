package dev.pgcontainer.citus;

import java.sql.SQLException;
import java.util.List;

/**
 * One connection's worth of SQL, as the Citus adapter uses it: a statement with positional
 * parameters, its rows as text. The seam between what the adapter decides and the driver, so tests
 * can record the exact SQL sent.
 */
interface SqlSession extends AutoCloseable {

  /**
   * Runs {@code sql} with {@code parameters} bound to its {@code ?} placeholders.
   *
   * @return the rows, each a list of column values as text (null for SQL NULL); empty for a
   *     statement without rows
   */
  List<List<String>> run(String sql, Object... parameters) throws SQLException;

  @Override
  void close() throws SQLException;

  /** Opens a session; the connection is made by the call. */
  @FunctionalInterface
  interface Opener {
    SqlSession open() throws SQLException;
  }
}
