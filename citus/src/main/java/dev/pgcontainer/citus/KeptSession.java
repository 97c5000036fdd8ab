package dev.pgcontainer.citus;

import dev.pgcontainer.instance.SharedSession;
import java.sql.SQLException;
import java.util.List;

/**
 * One session kept across uses ({@link SharedSession}), for a caller that asks often: a {@code
 * /metrics} scrape every few seconds must not cost the server a new backend each time. {@link
 * #open()} lends the kept session; closing the loan keeps it. Thread-safe: statements of concurrent
 * loans take turns.
 *
 * <p>Owners must {@link #close()} it before the server stops: an idle session keeps a smart
 * shutdown waiting.
 */
final class KeptSession implements SqlSession.Opener, AutoCloseable {

  private final SharedSession<SqlSession> shared;

  KeptSession(SqlSession.Opener opener) {
    this.shared = new SharedSession<>(opener::open);
  }

  @Override
  public SqlSession open() {
    return new SqlSession() {
      @Override
      public List<List<String>> run(String sql, Object... parameters) throws SQLException {
        return shared.use(session -> session.run(sql, parameters));
      }

      @Override
      public void close() {
        // the session stays open for the next loan
      }
    };
  }

  /**
   * Closes the kept session now or, while a statement runs, as soon as it ends: never waits, so a
   * stopping launcher is not held up by a slow query. The next loan opens a new one.
   */
  @Override
  public void close() {
    shared.close();
  }
}
