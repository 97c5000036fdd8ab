package dev.pgcontainer.health;

import dev.pgcontainer.instance.Phase;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics, read on every scrape with one batch of queries (one round trip) over the
 * health connection the probes share. Outside the RUNNING phase the server is not asked and only
 * {@code pgcontainer_up 0} is reported.
 *
 * <p>A scrape never makes the {@code postgresql} probe miss its deadline (which would make {@code
 * /ready} flap): it waits only {@link #CONNECTION_WAIT} for the connection and serves its last
 * values when a probe holds it, and its statements may take half the probe deadline, so a probe
 * waiting behind a slow scrape still has the other half.
 */
final class ServerMetrics implements MultiCollector {

  private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);

  /**
   * How long a scrape waits for the shared connection: a probe's round trip holds it a millisecond
   * or two.
   */
  static final Duration CONNECTION_WAIT = Duration.ofMillis(50);

  private static final String QUERIES =
      String.join(
          ";\n",
          "SELECT pg_is_in_recovery(),"
              + " pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
              + " ELSE pg_current_wal_lsn() END, '0/0'),"
              + " coalesce("
              + PostgresqlProbe.REPLAY_LAG_SECONDS
              + ", 0),"
              + " coalesce("
              + PostgresqlProbe.REPLAY_LAG_BYTES
              + ", 0)",
          "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
              + " GROUP BY 1",
          "SELECT d.datname, pg_database_size(d.oid), coalesce(s.xact_commit, 0), coalesce(s.xact_rollback, 0)"
              + " FROM pg_database d LEFT JOIN pg_stat_database s ON s.datid = d.oid ORDER BY 1");

  /** pg_stat_activity's states, reported even at zero so that series do not appear and vanish. */
  private static final List<String> CONNECTION_STATES =
      List.of(
          "active",
          "idle",
          "idle in transaction",
          "idle in transaction (aborted)",
          "fastpath function call",
          "disabled");

  private final ServerConnection connection;
  private final Supplier<Phase> phase;

  /** The batch, in a transaction whose statements may take half the probe deadline. */
  private final String batch;

  private final AtomicReference<Statistics> last = new AtomicReference<>();

  ServerMetrics(ServerConnection connection, Supplier<Phase> phase) {
    this.connection = connection;
    this.phase = phase;
    this.batch =
        "BEGIN;\nSET LOCAL statement_timeout = "
            + Math.max(1, connection.timeout().toMillis() / 2)
            + ";\n"
            + QUERIES
            + ";\nCOMMIT";
  }

  @Override
  public MetricSnapshots collect() {
    if (phase.get() != Phase.RUNNING) {
      return MetricSnapshots.of(up(false));
    }
    Statistics statistics;
    try {
      Statistics previous = last.get();
      // with no values to serve yet, waiting for a probe to finish is better than saying nothing
      statistics =
          previous == null
              ? connection.use(this::read)
              : connection.useIfFree(this::read, CONNECTION_WAIT).orElse(previous);
    } catch (SQLException e) {
      LOG.debug("metrics query failed: {}", e.getMessage());
      return MetricSnapshots.of(up(false));
    }
    last.set(statistics);
    List<MetricSnapshot> snapshots = new ArrayList<>();
    snapshots.add(up(true));
    snapshots.add(
        gauge(
            "pgcontainer_role",
            "The server's role: 1 for the current one",
            List.of(
                point(statistics.inRecovery() ? 0 : 1, "role", "primary"),
                point(statistics.inRecovery() ? 1 : 0, "role", "replica"))));
    snapshots.add(
        gauge(
            "pgcontainer_connections",
            "Client connections by state (pg_stat_activity)",
            statistics.connectionsByState().entrySet().stream()
                .map(state -> point(state.getValue(), "state", state.getKey()))
                .toList()));
    snapshots.add(
        gauge(
            "pgcontainer_database_size_bytes",
            "Size of each database (pg_database_size)",
            statistics.databases().stream()
                .map(db -> point(db.sizeBytes(), "datname", db.name()))
                .toList()));
    snapshots.add(
        gauge(
            "pgcontainer_replication_lag_seconds",
            "On a replica, 0 when it replayed all it received, else seconds since the last replayed transaction was"
                + " committed on the primary; 0 on a primary",
            List.of(point(statistics.lagSeconds()))));
    snapshots.add(
        gauge(
            "pgcontainer_replication_lag_bytes",
            "On a replica, WAL received but not replayed yet; 0 on a primary",
            List.of(point(statistics.lagBytes()))));
    snapshots.add(
        counter(
            "pgcontainer_xact_commit",
            "Committed transactions per database (pg_stat_database)",
            statistics.databases().stream()
                .map(db -> counterPoint(db.commits(), "datname", db.name()))
                .toList()));
    snapshots.add(
        counter(
            "pgcontainer_xact_rollback",
            "Rolled back transactions per database (pg_stat_database)",
            statistics.databases().stream()
                .map(db -> counterPoint(db.rollbacks(), "datname", db.name()))
                .toList()));
    snapshots.add(
        counter(
            "pgcontainer_wal_bytes",
            "WAL position in bytes: pg_current_wal_lsn on a primary, the replay position on a replica",
            List.of(counterPoint(statistics.walBytes()))));
    return new MetricSnapshots(snapshots);
  }

  private Statistics read(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(batch);
      nextResultSet(statement); // after BEGIN and SET
      boolean inRecovery;
      long walBytes;
      double lagSeconds;
      long lagBytes;
      try (ResultSet row = statement.getResultSet()) {
        row.next();
        inRecovery = row.getBoolean(1);
        walBytes = row.getLong(2);
        lagSeconds = row.getDouble(3);
        lagBytes = row.getLong(4);
      }
      Map<String, Long> connections = new LinkedHashMap<>();
      CONNECTION_STATES.forEach(state -> connections.put(state, 0L));
      nextResultSet(statement);
      try (ResultSet rows = statement.getResultSet()) {
        while (rows.next()) {
          connections.put(rows.getString(1), rows.getLong(2));
        }
      }
      List<Database> databases = new ArrayList<>();
      nextResultSet(statement);
      try (ResultSet rows = statement.getResultSet()) {
        while (rows.next()) {
          databases.add(
              new Database(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4)));
        }
      }
      return new Statistics(inRecovery, walBytes, lagSeconds, lagBytes, connections, databases);
    }
  }

  /**
   * Moves {@code statement} on to its next result that is a result set (past update counts and the
   * current one).
   */
  private static void nextResultSet(Statement statement) throws SQLException {
    do {
      if (!statement.getMoreResults() && statement.getUpdateCount() == -1) {
        throw new SQLException("the metrics batch returned fewer results than it has queries");
      }
    } while (statement.getResultSet() == null);
  }

  private static GaugeSnapshot up(boolean answered) {
    return gauge(
        "pgcontainer_up",
        "1 when the server answered the latest metrics queries (this scrape's, or when a"
            + " probe held the connection, the previous one's)",
        List.of(point(answered ? 1 : 0)));
  }

  private static GaugeSnapshot gauge(
      String name, String help, List<GaugeDataPointSnapshot> points) {
    GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
    points.forEach(builder::dataPoint);
    return builder.build();
  }

  private static GaugeDataPointSnapshot point(double value, String... labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }

  private static CounterSnapshot counter(
      String name, String help, List<CounterDataPointSnapshot> points) {
    CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
    points.forEach(builder::dataPoint);
    return builder.build();
  }

  private static CounterDataPointSnapshot counterPoint(double value, String... labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
  }

  private record Statistics(
      boolean inRecovery,
      long walBytes,
      double lagSeconds,
      long lagBytes,
      Map<String, Long> connectionsByState,
      List<Database> databases) {}

  private record Database(String name, long sizeBytes, long commits, long rollbacks) {}
}
