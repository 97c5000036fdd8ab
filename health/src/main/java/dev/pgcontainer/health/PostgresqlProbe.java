package dev.pgcontainer.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code postgresql}: a real query on the shared connection ({@code SELECT 1} plus the recovery
 * state and the server's incarnation in the same round trip): UP as {@code primary}, or as {@code
 * replica} with its replay lag. Restarts it notices are counted in {@link ServerRestarts}.
 */
final class PostgresqlProbe implements Probe {

  static final String NAME = "postgresql";

  private static final String SOCKET_PREFIX = ".s.PGSQL.";

  /**
   * On a replica, the WAL it received but has not replayed yet; NULL when it receives none (fed
   * from the archive only, or on a primary). Never negative: streaming may resume at a segment
   * start behind what was already replayed.
   */
  static final String REPLAY_LAG_BYTES =
      "CASE WHEN pg_last_wal_receive_lsn() IS NULL THEN NULL"
          + " ELSE greatest(0, pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())) END";

  /**
   * On a replica, how far behind it is in seconds: 0 when everything received has been replayed,
   * else the age of the last replayed commit. Not that age alone: on an idle primary nothing new is
   * committed, so it would grow forever on a replica that is fully caught up. A replica fed from
   * the archive only cannot tell it is caught up and always gets that age. NULL on a primary, or
   * before a replica replayed its first commit.
   */
  static final String REPLAY_LAG_SECONDS =
      "CASE WHEN NOT pg_is_in_recovery() THEN NULL"
          + " WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0"
          + " ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp()) END";

  private static final String QUERY =
      "SELECT 1, pg_is_in_recovery(), "
          + REPLAY_LAG_BYTES
          + ", "
          + REPLAY_LAG_SECONDS
          + ", "
          + ServerRestarts.INCARNATION;

  private final ServerConnection connection;
  private final Path socketFile;
  private final ServerRestarts restarts;

  /** {@code restarts} learns of every server incarnation the probe sees. */
  PostgresqlProbe(ServerConnection connection, Path socketFile, ServerRestarts restarts) {
    this.connection = connection;
    this.socketFile = socketFile;
    this.restarts = restarts;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ProbeResult check() throws IOException {
    // checked first because it is cheap and tells a stopped server from a wrong port precisely
    if (!Files.exists(socketFile)) {
      return ProbeResult.down(missingSocketReason());
    }
    try {
      return connection.use(
          c -> {
            try (Statement statement = c.createStatement();
                ResultSet row = statement.executeQuery(QUERY)) {
              row.next();
              if (row.getInt(1) != 1) {
                return ProbeResult.down("SELECT 1 answered " + row.getInt(1));
              }
              restarts.observe(row.getString(5));
              return row.getBoolean(2)
                  ? replica(row)
                  : ProbeResult.up("primary").withDetails(Map.of("role", "primary"));
            }
          });
    } catch (SQLException e) {
      return ProbeResult.down(describe(e)).withDetails(Map.of("socket", socketFile.toString()));
    }
  }

  /**
   * The driver's message, its cause (e.g. "Connection refused"), the SQLSTATE and, for login
   * failures, what to do.
   */
  static String describe(SQLException e) {
    StringBuilder text = new StringBuilder(ProbeRunner.messageOf(e));
    Throwable cause = e.getCause();
    if (cause != null
        && cause.getMessage() != null
        && !text.toString().contains(cause.getMessage())) {
      text.append(" (").append(cause.getMessage()).append(')');
    }
    if (e.getSQLState() != null) {
      text.append(" [SQLSTATE ").append(e.getSQLState()).append(']');
    }
    if (e.getSQLState() != null && e.getSQLState().startsWith("28")) {
      text.append(
          "; local connections log in by OS user: run the healthcheck as root or the server's OS user");
    }
    return text.toString();
  }

  private static ProbeResult replica(ResultSet row) throws SQLException {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("role", "replica");
    StringBuilder reason = new StringBuilder("replica");
    long lagBytes = row.getLong(3);
    if (!row.wasNull()) {
      details.put("replay_lag_bytes", lagBytes);
      reason.append(", replay lag ").append(Sizes.human(lagBytes));
    }
    double lagSeconds = row.getDouble(4);
    if (!row.wasNull()) {
      details.put("replay_lag_seconds", lagSeconds);
      reason.append(String.format(Locale.ROOT, ", %.1f s behind", lagSeconds));
    }
    return ProbeResult.up(reason.toString()).withDetails(details);
  }

  private String missingSocketReason() throws IOException {
    Path directory = socketFile.getParent();
    List<String> others = List.of();
    if (Files.isDirectory(directory)) {
      try (Stream<Path> entries = Files.list(directory)) {
        others =
            entries
                .map(entry -> entry.getFileName().toString())
                .filter(name -> name.startsWith(SOCKET_PREFIX) && !name.endsWith(".lock"))
                .map(name -> name.substring(SOCKET_PREFIX.length()))
                .sorted()
                .toList();
      }
    }
    if (others.isEmpty()) {
      return "no server socket at "
          + socketFile
          + ": postgres is not running (see the launcher's log)";
    }
    return "no server socket at "
        + socketFile
        + ", but one for port "
        + String.join(", ", others)
        + ": does POSTGRESQL_PORT match the running server?";
  }
}
