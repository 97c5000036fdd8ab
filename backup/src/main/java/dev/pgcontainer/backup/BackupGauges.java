package dev.pgcontainer.backup;

import dev.pgcontainer.health.GaugeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * pgBackRest on {@code /metrics} with {@code BACKUP_ENABLED=true}, from the launcher's {@link
 * BackupStatus}: the repository's info as last read (after the stanza check, after each of the
 * launcher's backups and every minute), the archiver's statistics likewise, and the age of the last
 * backup computed at the scrape. A scrape never runs pgBackRest nor asks the server. Gauges whose
 * source has not been read yet are left out.
 */
final class BackupGauges implements GaugeSource {

  private final Supplier<BackupStatus.Snapshot> status;
  private final Clock clock;

  /**
   * @param status the backups' state now, e.g. {@code BackupStatus::snapshot}
   */
  BackupGauges(Supplier<BackupStatus.Snapshot> status, Clock clock) {
    this.status = status;
    this.clock = clock;
  }

  @Override
  public List<Reading> read() {
    BackupStatus.Snapshot snapshot = status.get();
    List<Reading> readings = new ArrayList<>();
    for (BackupStatus.Condition condition : BackupStatus.Condition.values()) {
      readings.add(
          Reading.labelled(
              "pgcontainer_backup_condition",
              "The backups' health check: 1 for the current condition (degraded: see /health/backup)",
              "condition",
              condition.name().toLowerCase(Locale.ROOT),
              condition == snapshot.condition() ? 1 : 0));
    }
    snapshot.info().ifPresent(info -> repository(info, readings));
    snapshot.archiver().ifPresent(archiver -> archiver(archiver, readings));
    return readings;
  }

  private void repository(BackupInfo info, List<Reading> readings) {
    info.latest()
        .ifPresent(
            last -> {
              readings.add(
                  Reading.of(
                      "pgcontainer_backup_last_age_seconds",
                      "Seconds since the last successful backup (of any type) ended",
                      ageSeconds(last, clock)));
              readings.add(
                  Reading.of(
                      "pgcontainer_backup_last_size_bytes",
                      "The cluster's size as the last backup saw it",
                      last.databaseBytes()));
              readings.add(
                  Reading.of(
                      "pgcontainer_backup_last_repository_size_bytes",
                      "What the last backup set takes in the repository, compressed",
                      last.repositoryBytes()));
            });
    for (BackupType type : BackupType.values()) {
      String keyword = type.keyword();
      info.latest(type)
          .ifPresent(
              set ->
                  readings.add(
                      Reading.labelled(
                          "pgcontainer_backup_last_completion_timestamp_seconds",
                          "When the newest backup set of each type ended (Unix time)",
                          "type",
                          keyword,
                          seconds(set.stopped()))));
      readings.add(
          Reading.labelled(
              "pgcontainer_backup_sets",
              "Backup sets of each type in the repository",
              "type",
              keyword,
              info.backups().stream().filter(set -> set.type() == type).count()));
    }
    for (BackupInfo.WalArchive archive : info.archives()) {
      if (archive.first().isPresent() && archive.last().isPresent()) {
        readings.add(
            new Reading(
                "pgcontainer_backup_wal_archive_range",
                "The WAL segments the repository holds for each cluster history entry: 1, the range in labels",
                Map.of(
                    "id",
                    archive.id(),
                    "first",
                    archive.first().get(),
                    "last",
                    archive.last().get()),
                1));
      }
    }
  }

  private static void archiver(ArchiverStats archiver, List<Reading> readings) {
    readings.add(
        Reading.of(
            "pgcontainer_backup_archived_wal_files",
            "WAL files the server archived since its statistics were reset (pg_stat_archiver)",
            archiver.archivedCount()));
    readings.add(
        Reading.of(
            "pgcontainer_backup_archive_failures",
            "Failed attempts to archive WAL since the server's statistics were reset (pg_stat_archiver)",
            archiver.failedCount()));
    archiver
        .lastArchivedAt()
        .ifPresent(
            at ->
                readings.add(
                    Reading.of(
                        "pgcontainer_backup_last_archived_timestamp_seconds",
                        "When the server last archived a WAL file (Unix time)",
                        seconds(at))));
  }

  /** Seconds from the end of {@code set} to now; never negative, should the clocks disagree. */
  static long ageSeconds(BackupInfo.BackupSet set, Clock clock) {
    return Math.max(0, Duration.between(set.stopped(), clock.instant()).toSeconds());
  }

  private static double seconds(Instant at) {
    return at.toEpochMilli() / 1000.0;
  }
}
