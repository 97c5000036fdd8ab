package dev.pgcontainer.backup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The server's WAL archiver as {@code pg_stat_archiver} and {@code archive_mode} describe it: how
 * many segments went to the repository, how many attempts failed and when. For health (a failing
 * archiver degrades backups) and metrics.
 *
 * @param archiving whether archive_mode is on (off in a restored cluster, see {@link
 *     RestoreFromRepository})
 */
record ArchiverStats(
    boolean archiving,
    long archivedCount,
    Optional<String> lastArchivedWal,
    Optional<Instant> lastArchivedAt,
    long failedCount,
    Optional<String> lastFailedWal,
    Optional<Instant> lastFailedAt) {

  private static final String QUERY =
      "SELECT current_setting('archive_mode') <> 'off', archived_count, last_archived_wal, last_archived_time,"
          + " failed_count, last_failed_wal, last_failed_time FROM pg_stat_archiver";

  /** Reads the statistics through {@code connection} (any database; the view is cluster-wide). */
  public static ArchiverStats read(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(QUERY)) {
      row.next();
      return new ArchiverStats(
          row.getBoolean(1),
          row.getLong(2),
          Optional.ofNullable(row.getString(3)),
          instant(row.getTimestamp(4)),
          row.getLong(5),
          Optional.ofNullable(row.getString(6)),
          instant(row.getTimestamp(7)));
    }
  }

  /** Whether the archiver's latest attempt failed: a failure newer than the latest success. */
  public boolean isFailing() {
    return lastFailedAt.isPresent()
        && (lastArchivedAt.isEmpty() || lastFailedAt.get().isAfter(lastArchivedAt.get()));
  }

  private static Optional<Instant> instant(Timestamp timestamp) {
    return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
  }
}
