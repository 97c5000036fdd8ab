package dev.pgcontainer.launchercli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A client that tries to commit a row on every member directly, each from its own thread, one
 * attempt per member every {@link #PACE}: whichever members accept writes, it records which one
 * acknowledged each row and when. Where {@link LeaderFollowingWriter} follows the leader as an
 * application would, this one sees split brain: a member that still commits after another has
 * started to is an overlap. A row whose commit failed or timed out is not acknowledged (it may or
 * may not exist); replicas refuse every attempt.
 */
final class EveryMemberWriter implements AutoCloseable {

  static final Duration PACE = Duration.ofMillis(100);

  /**
   * An acknowledged row: when its commit returned ({@link System#nanoTime()}) and the member that
   * took it.
   */
  record Ack(long id, long nanos, String member) implements Acknowledgements.Timed {}

  private static final String READ_ONLY_TRANSACTION = "25006";

  private final String table;
  private final Acknowledgements<Ack> acks = new Acknowledgements<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  private EveryMemberWriter(String table) {
    this.table = table;
  }

  /**
   * Creates {@code table} on {@code leader} and starts a writer thread for each of {@code members}.
   */
  static EveryMemberWriter start(List<PatroniMember> members, PatroniMember leader, String table)
      throws SQLException {
    EveryMemberWriter writer = new EveryMemberWriter(table);
    try (Connection connection = leader.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, member text)");
    }
    for (PatroniMember member : members) {
      Thread thread =
          new Thread(() -> writer.write(member), "writer-" + table + "-" + member.name());
      thread.setDaemon(true);
      writer.threads.add(thread);
    }
    writer.threads.forEach(Thread::start);
    return writer;
  }

  private void write(PatroniMember member) {
    Connection connection = null;
    while (running) {
      long attempt = System.nanoTime();
      long id = ids.incrementAndGet();
      try {
        if (connection == null) {
          connection =
              DriverManager.getConnection(
                  "jdbc:postgresql://" + member.address() + ":" + member.port() + "/postgres",
                  properties());
        }
        try (Statement insert = connection.createStatement()) {
          insert.executeUpdate(
              "INSERT INTO " + table + " VALUES (" + id + ", '" + member.name() + "')");
        }
        acks.add(new Ack(id, System.nanoTime(), member.name()));
      } catch (SQLException e) {
        if (!READ_ONLY_TRANSACTION.equals(
            e.getSQLState())) { // a replica's refusal keeps its session
          acks.failed(member.name() + ": " + e);
          Acknowledgements.closeQuietly(connection);
          connection = null;
        }
      }
      if (!Acknowledgements.restUntilNext(attempt, PACE)) {
        break;
      }
    }
    Acknowledgements.closeQuietly(connection);
  }

  private static Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("user", LauncherSandbox.SUPERUSER);
    properties.setProperty("password", LauncherSandbox.PASSWORD);
    properties.setProperty("connectTimeout", "1");
    properties.setProperty("loginTimeout", "2");
    properties.setProperty(
        "socketTimeout", "2"); // a commit waiting for a synchronous standby it cannot reach
    properties.setProperty("sslmode", "disable");
    properties.setProperty("ApplicationName", "every-member-writer");
    return properties;
  }

  /** Every acknowledgement so far, in the order of their times. */
  List<Ack> acknowledged() {
    return acks.inOrder();
  }

  List<Long> acknowledgedIds() {
    return acknowledged().stream().map(Ack::id).toList();
  }

  void awaitAcknowledged(int count, Duration bound) {
    acks.awaitCount(count, bound);
  }

  Ack awaitAckAfter(long nanos, Duration bound, Predicate<Ack> wanted) {
    return acks.awaitAfter(nanos, bound, wanted);
  }

  /** Time without a writable primary: see {@link Acknowledgements#longestGapFrom}. */
  Duration longestGapFrom(long fromNanos) {
    return acks.longestGapFrom(fromNanos);
  }

  /**
   * The members that acknowledged writes, in the order they took over (one entry per run of
   * acknowledgements).
   */
  List<String> writableMembersInTurn() {
    List<String> turns = new ArrayList<>();
    for (Ack ack : acknowledged()) {
      if (turns.isEmpty() || !turns.get(turns.size() - 1).equals(ack.member())) {
        turns.add(ack.member());
      }
    }
    return turns;
  }

  /**
   * How long two members accepted writes at once: each member's span from its first to its last
   * acknowledgement, intersected pairwise. 0 when each took writes only after the previous one's
   * last; a member that leads twice (A, B, A) counts as overlapping the one between, which {@link
   * #writableMembersInTurn()} tells apart.
   */
  Duration overlap() {
    Map<String, long[]> spans = new LinkedHashMap<>();
    for (Ack ack : acknowledged()) {
      spans.computeIfAbsent(ack.member(), member -> new long[] {ack.nanos(), ack.nanos()})[1] =
          ack.nanos();
    }
    List<long[]> all = List.copyOf(spans.values());
    long overlap = 0;
    for (int i = 0; i < all.size(); i++) {
      for (int j = i + 1; j < all.size(); j++) {
        overlap +=
            Math.max(
                0, Math.min(all.get(i)[1], all.get(j)[1]) - Math.max(all.get(i)[0], all.get(j)[0]));
      }
    }
    return Duration.ofNanos(overlap);
  }

  String table() {
    return table;
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
