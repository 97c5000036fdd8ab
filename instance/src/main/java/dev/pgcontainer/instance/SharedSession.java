package dev.pgcontainer.instance;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session with the server kept for callers that ask often (probes, scrapes), so they do not
 * cost a new backend each time: opened on first use, and a use that fails because the session was
 * lost ({@link LocalConnections#sessionLost}) is retried once on a new one. Uses take turns. Close
 * it before the server stops: an idle session keeps a smart shutdown waiting.
 *
 * @param <S> the session
 */
public final class SharedSession<S extends AutoCloseable> implements AutoCloseable {

  /**
   * Made on first use: it only logs when something fails, and a healthy {@code pgcontainer
   * healthcheck} should not pay for starting Logback (about 100 ms of that JVM's life).
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(SharedSession.class);
  }

  /** Opens a new session. */
  @FunctionalInterface
  public interface Opener<S> {
    S open() throws SQLException;
  }

  /** Work done on the session; it returns a value, never null. */
  @FunctionalInterface
  public interface Work<S, T> {
    T apply(S session) throws SQLException;
  }

  private final Opener<S> opener;
  private final ReentrantLock lock = new ReentrantLock();
  private S session; // guarded by lock

  /** Set by {@link #close()} while a use runs: that use discards the session when it ends. */
  private volatile boolean discardAfterUse;

  public SharedSession(Opener<S> opener) {
    this.opener = Objects.requireNonNull(opener, "opener");
  }

  /** Runs {@code work} on the session, opening it when needed, after the uses before it. */
  public <T> T use(Work<S, T> work) throws SQLException {
    lock.lock();
    return useLocked(work);
  }

  /**
   * As {@link #use}, if the session is free within {@code wait}; empty when it stays busy.
   *
   * @throws SQLException also when interrupted while waiting (SQLSTATE 08000)
   */
  public <T> Optional<T> useIfFree(Work<S, T> work, Duration wait) throws SQLException {
    try {
      if (!lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        return Optional.empty();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the shared session", "08000", e);
    }
    return Optional.of(useLocked(work));
  }

  /** Runs {@code work} holding the lock, and releases it. */
  private <T> T useLocked(Work<S, T> work) throws SQLException {
    try {
      while (true) {
        boolean fresh = session == null;
        if (fresh) {
          session = opener.open();
        }
        try {
          return work.apply(session);
        } catch (SQLException e) {
          discard();
          if (fresh || !LocalConnections.sessionLost(e)) {
            throw e;
          }
          Log.LOG.debug(
              "a kept session with the server broke ({}); reconnecting once", e.getMessage());
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
      } catch (Exception e) {
        Log.LOG.debug("closing a broken session with the server failed: {}", e.getMessage());
      }
      session = null;
    }
  }

  /**
   * Closes the session now or, while a use runs, as soon as that use ends: never waits, so that
   * neither a stopping launcher nor an exiting healthcheck is held up by a stuck query. The next
   * use opens a new session.
   */
  @Override
  public void close() {
    discardAfterUse = true; // first, so that a use ending right now cannot miss it
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
