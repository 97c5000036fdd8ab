package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A client that commits one row every {@link #PACE} into its own table, through pgjdbc's multi-host URL with {@code
 * targetServerType=primary}: it follows the leader across failovers as an application would. Every acknowledged row is
 * remembered with the time of its acknowledgement; a row whose commit failed or timed out is not acknowledged (it may
 * or may not exist).
 */
final class LeaderFollowingWriter implements AutoCloseable {

  static final Duration PACE = Duration.ofMillis(50);

  /**
   * An acknowledged row, when the commit returned ({@link System#nanoTime()}) and the port of the server that took it.
   */
  record Ack(long id, long nanos, int port) {}

  private final String url;
  private final Properties properties;
  private final String table;
  private final List<Ack> acks = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile String lastFailure = "none";

  private LeaderFollowingWriter(List<PatroniMember> members, String table) {
    this.url = "jdbc:postgresql://"
        + members.stream().map(m -> m.address() + ":" + m.port()).collect(Collectors.joining(",")) + "/postgres";
    this.table = table;
    properties = new Properties();
    properties.setProperty("user", LauncherSandbox.SUPERUSER);
    properties.setProperty("password", LauncherSandbox.PASSWORD);
    properties.setProperty("targetServerType", "primary");
    properties.setProperty("hostRecheckSeconds", "0"); // never trust a cached "primary": that is the point
    properties.setProperty("connectTimeout", "1");
    properties.setProperty("loginTimeout", "2");
    properties.setProperty("socketTimeout", "2"); // a commit waiting on a dead synchronous standby
    properties.setProperty("sslmode", "disable");
    properties.setProperty("ApplicationName", "leader-following-writer");
    thread = new Thread(this::write, "writer-" + table);
    thread.setDaemon(true);
  }

  /** Creates {@code table} on the current leader and starts writing. */
  static LeaderFollowingWriter start(List<PatroniMember> members, String table) throws SQLException {
    LeaderFollowingWriter writer = new LeaderFollowingWriter(members, table);
    try (Connection connection = DriverManager.getConnection(writer.url, writer.properties);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY)");
    }
    writer.thread.start();
    return writer;
  }

  private void write() {
    Connection connection = null;
    long id = 0;
    while (running) {
      long attempt = System.nanoTime();
      id++;
      try {
        if (connection == null) {
          connection = DriverManager.getConnection(url, properties);
        }
        int port;
        try (PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + table + " VALUES (?) RETURNING inet_server_port()")) {
          insert.setLong(1, id);
          try (ResultSet returned = insert.executeQuery()) {
            returned.next();
            port = returned.getInt(1);
          }
        }
        synchronized (acks) {
          acks.add(new Ack(id, System.nanoTime(), port));
        }
      } catch (SQLException | RuntimeException e) {
        lastFailure = e.toString();
        closeQuietly(connection);
        connection = null;
      }
      long rest = PACE.toNanos() - (System.nanoTime() - attempt);
      if (rest > 0) {
        try {
          Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    closeQuietly(connection);
  }

  List<Ack> acknowledged() {
    synchronized (acks) {
      return List.copyOf(acks);
    }
  }

  /** Waits until {@code count} rows are acknowledged, so that an event falls among steady writes. */
  void awaitAcknowledged(int count, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (acknowledged().size() < count) {
      if (System.nanoTime() > deadline) {
        fail("only %d of %d writes acknowledged within %s; the writer's last failure: %s", acknowledged().size(),
            count, bound, lastFailure);
      }
      RunningLauncher.pause();
    }
  }

  /** The first row acknowledged after {@code nanos}, waiting up to {@code bound} for one. */
  Ack awaitAckAfter(long nanos, Duration bound) {
    return awaitAckAfter(nanos, bound, ack -> true);
  }

  /** The first row acknowledged after {@code nanos} by a server on another port than {@code oldPort}. */
  Ack awaitAckElsewhereAfter(long nanos, int oldPort, Duration bound) {
    return awaitAckAfter(nanos, bound, ack -> ack.port() != oldPort);
  }

  private Ack awaitAckAfter(long nanos, Duration bound, Predicate<Ack> wanted) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Ack> first =
          acknowledged().stream().filter(ack -> ack.nanos() > nanos).filter(wanted).findFirst();
      if (first.isPresent()) {
        return first.get();
      }
      RunningLauncher.pause();
    }
    return fail("no write was acknowledged within %s after the event; the writer's last failure: %s", bound,
        lastFailure);
  }

  /** The longest stretch without an acknowledgement from {@code fromNanos} on; the first one starts there. */
  Duration longestGapFrom(long fromNanos) {
    long previous = fromNanos;
    long longest = 0;
    for (Ack ack : acknowledged()) {
      if (ack.nanos() > fromNanos) {
        longest = Math.max(longest, ack.nanos() - previous);
        previous = ack.nanos();
      }
    }
    return Duration.ofNanos(longest);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // the server is gone; nothing to close
    }
  }
}
