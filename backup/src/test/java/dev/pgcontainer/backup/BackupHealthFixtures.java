package dev.pgcontainer.backup;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Backup states as the launcher's backup thread leaves them, for the tests of {@link BackupProbe}
 * and gauges.
 */
final class BackupHealthFixtures {

  static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /**
   * A full backup that ended an hour before {@link #NOW}, then a diff one that ended 10 minutes
   * before.
   */
  static final BackupInfo TWO_SETS =
      new BackupInfo(
          "main",
          new BackupInfo.Status(0, "ok"),
          List.of(
              set(
                  "20260201-110000F",
                  BackupType.FULL,
                  NOW.minusSeconds(3700),
                  NOW.minusSeconds(3600),
                  31_000_000L,
                  4_100_000L),
              set(
                  "20260201-110000F_20260201-114900D",
                  BackupType.DIFF,
                  NOW.minusSeconds(660),
                  NOW.minusSeconds(600),
                  31_500_000L,
                  300_000L)),
          List.of(
              new BackupInfo.WalArchive(
                  "15-1",
                  Optional.of("000000010000000000000003"),
                  Optional.of("000000010000000000000009"))),
          List.of(new BackupInfo.Database(1, "15", 7_000_000_000_000_000_001L)));

  static final ArchiverStats ARCHIVING =
      new ArchiverStats(
          true,
          7,
          Optional.of("000000010000000000000009"),
          Optional.of(NOW.minusSeconds(30)),
          2,
          Optional.of("000000010000000000000004"),
          Optional.of(NOW.minusSeconds(4000)));

  private BackupHealthFixtures() {}

  static BackupStatus.Snapshot snapshot(
      BackupStatus.Condition condition,
      List<String> problems,
      Optional<BackupInfo> info,
      Optional<ArchiverStats> archiver) {
    return new BackupStatus.Snapshot(
        condition, problems, info, archiver, Optional.empty(), Map.of());
  }

  private static BackupInfo.BackupSet set(
      String label,
      BackupType type,
      Instant started,
      Instant stopped,
      long size,
      long repositorySize) {
    return new BackupInfo.BackupSet(
        label,
        type,
        started,
        stopped,
        size,
        repositorySize,
        repositorySize,
        "000000010000000000000003",
        "000000010000000000000003",
        Optional.empty());
  }
}
