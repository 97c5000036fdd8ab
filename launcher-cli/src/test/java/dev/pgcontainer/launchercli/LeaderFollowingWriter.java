package dev.pgcontainer.launchercli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A client that commits one row every {@link #PACE} into its own table, through pgjdbc's multi-host
 * URL with {@code targetServerType=primary}: it follows the leader across failovers as an
 * application would. Every acknowledged row is remembered with the time of its acknowledgement; a
 * row whose commit failed or timed out is not acknowledged (it may or may not exist).
 */
final class LeaderFollowingWriter implements AutoCloseable {

  static final Duration PACE = Duration.ofMillis(50);

  /**
   * An acknowledged row, when the commit returned ({@link System#nanoTime()}) and the port of the
   * server that took it.
   */
  record Ack(long id, long nanos, int port) implements Acknowledgements.Timed {}

  private final String url;
  private final Properties properties;
  private final String table;
  private final Acknowledgements<Ack> acks = new Acknowledgements<>();
  private final Thread thread;
  private volatile boolean running = true;

  private LeaderFollowingWriter(List<PatroniMember> members, String table) {
    this.url =
        "jdbc:postgresql://"
            + members.stream()
                .map(m -> m.address() + ":" + m.port())
                .collect(Collectors.joining(","))
            + "/postgres";
    this.table = table;
    properties = new Properties();
    properties.setProperty("user", LauncherSandbox.SUPERUSER);
    properties.setProperty("password", LauncherSandbox.PASSWORD);
    properties.setProperty("targetServerType", "primary");
    properties.setProperty(
        "hostRecheckSeconds", "0"); // never trust a cached "primary": that is the point
    properties.setProperty("connectTimeout", "1");
    properties.setProperty("loginTimeout", "2");
    properties.setProperty("socketTimeout", "2"); // a commit waiting on a dead synchronous standby
    properties.setProperty("sslmode", "disable");
    properties.setProperty("ApplicationName", "leader-following-writer");
    thread = new Thread(this::write, "writer-" + table);
    thread.setDaemon(true);
  }

  /** Creates {@code table} on the current leader and starts writing. */
  static LeaderFollowingWriter start(List<PatroniMember> members, String table)
      throws SQLException {
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
            connection.prepareStatement(
                "INSERT INTO " + table + " VALUES (?) RETURNING inet_server_port()")) {
          insert.setLong(1, id);
          try (ResultSet returned = insert.executeQuery()) {
            returned.next();
            port = returned.getInt(1);
          }
        }
        acks.add(new Ack(id, System.nanoTime(), port));
      } catch (SQLException | RuntimeException e) {
        acks.failed(e.toString());
        Acknowledgements.closeQuietly(connection);
        connection = null;
      }
      if (!Acknowledgements.restUntilNext(attempt, PACE)) {
        break;
      }
    }
    Acknowledgements.closeQuietly(connection);
  }

  List<Ack> acknowledged() {
    return acks.inOrder();
  }

  void awaitAcknowledged(int count, Duration bound) {
    acks.awaitCount(count, bound);
  }

  /** The first row acknowledged after {@code nanos}, waiting up to {@code bound} for one. */
  Ack awaitAckAfter(long nanos, Duration bound) {
    return acks.awaitAfter(nanos, bound, ack -> true);
  }

  /**
   * The first row acknowledged after {@code nanos} by a server on another port than {@code
   * oldPort}.
   */
  Ack awaitAckElsewhereAfter(long nanos, int oldPort, Duration bound) {
    return acks.awaitAfter(nanos, bound, ack -> ack.port() != oldPort);
  }

  /** Time without a writable primary: see {@link Acknowledgements#longestGapFrom}. */
  Duration longestGapFrom(long fromNanos) {
    return acks.longestGapFrom(fromNanos);
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
}
