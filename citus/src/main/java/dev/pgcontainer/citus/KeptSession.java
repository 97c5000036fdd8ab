package dev.pgcontainer.citus;

import dev.pgcontainer.process.LocalConnections;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One session kept across uses, for a caller that asks often (a {@code /metrics} scrape every few seconds must not cost
 * the server a new backend each time): opened on first use, kept, and opened afresh after a failure; a statement that
 * fails on a kept session because the connection broke (the server restarted) is retried once on a new one. {@link
 * #open()} lends the kept session; closing the loan keeps it. Thread-safe: statements of concurrent loans take turns.
 *
 * <p>Owners must {@link #close()} it before the server stops: an idle session keeps a smart shutdown waiting.
 */
final class KeptSession implements SqlSession.Opener, AutoCloseable {

  private final SqlSession.Opener opener;
  private final ReentrantLock lock = new ReentrantLock();
  private SqlSession session; // guarded by lock
  /** Set by {@link #close()} while a statement runs: that statement discards the session when it ends. */
  private volatile boolean discardAfterUse;

  KeptSession(SqlSession.Opener opener) {
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  @Override
  public SqlSession open() {
    return new SqlSession() {
      @Override
      public List<List<String>> run(String sql, Object... parameters) throws SQLException {
        return KeptSession.this.run(sql, parameters);
      }

      @Override
      public void close() {
        // the session stays open for the next loan
      }
    };
  }

  private List<List<String>> run(String sql, Object... parameters) throws SQLException {
    lock.lock();
    try {
      while (true) {
        boolean fresh = session == null;
        if (fresh) {
          session = opener.open();
        }
        try {
          return session.run(sql, parameters);
        } catch (SQLException e) {
          discard();
          if (fresh || !LocalConnections.sessionLost(e)) {
            throw e;
          }
        }
      }
    } finally {
      if (discardAfterUse) {
        discardAfterUse = false;
        discard();
      }
      lock.unlock();
    }
  }

  private void discard() {
    if (session != null) {
      try {
        session.close();
      } catch (SQLException e) {
        // it is gone either way
      }
      session = null;
    }
  }

  /**
   * Closes the kept session now or, while a statement runs, as soon as it ends: never waits, so a stopping launcher is
   * not held up by a slow query. The next loan opens a new one.
   */
  @Override
  public void close() {
    discardAfterUse = true;
    if (lock.tryLock()) {
      try {
        discard();
        discardAfterUse = false;
      } finally {
        lock.unlock();
      }
    }
  }
}
