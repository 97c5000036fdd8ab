package dev.pgcontainer.launchercli;

import static dev.pgcontainer.launchercli.LauncherSandbox.execute;
import static dev.pgcontainer.launchercli.LauncherSandbox.queryValue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.backup.BackupInfo;
import dev.pgcontainer.backup.BackupType;
import dev.pgcontainer.supervision.PosixSignal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole pgBackRest story through the real launcher: backups enabled on a new cluster, full and
 * diff backups with {@code pgcontainer backup}, rows written around a time T, then restores from
 * the same repository into fresh PGDATAs (RESTORE_FROM_BACKUP=true) to T and to the end of the
 * archive, and {@code pgcontainer restore --target-time T} in place of the original cluster. The
 * last rows come back only because the graceful stop archived the last WAL segment.
 */
class BackupPointInTimeRecoveryIT {

  @Test
  void restoresExactlyTheRowsUpToTheTargetTimeAndAllRowsToTheLatest() throws Exception {
    try (LauncherSandbox original = LauncherSandbox.empty()) {
      BackupRepository repository = BackupRepository.in(original);
      Map<String, String> backups = repository.environment();
      RunningLauncher launcher = original.start(backups);
      launcher.awaitReady();
      launcher.awaitOutput("stanza main is ready");
      assertThat(repository.info(original).status().stanzaExists()).isTrue();

      LauncherSandbox.CommandOutcome full = original.command(backups, "backup", "full");
      assertThat(full.exitCode()).as(full.describe()).isZero();
      assertThat(full.stdout()).startsWith("full backup ").contains("stanza main");
      OffsetDateTime target;
      String lastSegment;
      try (Connection connection = original.connect()) {
        execute(
            connection,
            "CREATE TABLE rows_written (id int PRIMARY KEY, at timestamptz DEFAULT clock_timestamp())");
        execute(connection, "INSERT INTO rows_written (id) SELECT generate_series(1, 100)");
        LauncherSandbox.CommandOutcome diff = original.command(backups, "backup", "diff");
        assertThat(diff.exitCode()).as(diff.describe()).isZero();
        assertThat(diff.stdout()).startsWith("diff backup ");
        execute(connection, "INSERT INTO rows_written (id) SELECT generate_series(101, 200)");
        target =
            OffsetDateTime.parse(
                queryValue(
                    connection,
                    "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"));
        Thread.sleep(300);
        execute(connection, "INSERT INTO rows_written (id) SELECT generate_series(201, 300)");
        lastSegment = queryValue(connection, "SELECT pg_walfile_name(pg_current_wal_lsn())");
      }
      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      assertThat(repository.archivedFiles())
          .as("the segment of the last commit, archived by the graceful stop")
          .contains(lastSegment);
      BackupInfo info = repository.info(original);
      assertThat(info.backups())
          .extracting(BackupInfo.BackupSet::type)
          .containsExactly(BackupType.FULL, BackupType.DIFF);

      try (LauncherSandbox toTarget = LauncherSandbox.empty()) {
        RunningLauncher restored =
            toTarget.start(
                repository.environment(
                    "RESTORE_FROM_BACKUP", "true", "RESTORE_TARGET_TIME", target.toString()));
        restored.awaitReady();
        restored.awaitOutput("archiving is off");
        assertRows(toTarget, 200);
        try (Connection connection = toTarget.connect()) {
          assertThat(queryValue(connection, "SHOW archive_mode")).isEqualTo("off");
        }
        restored.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      }
      assertThat(repository.archivedFiles())
          .as("the restored copy pushed no new timeline into the stanza")
          .noneMatch(name -> name.startsWith("00000002"));

      try (LauncherSandbox toLatest = LauncherSandbox.empty()) {
        RunningLauncher restored =
            toLatest.start(repository.environment("RESTORE_FROM_BACKUP", "true"));
        restored.awaitReady();
        assertRows(toLatest, 300);
        restored.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
      }

      LauncherSandbox.CommandOutcome inPlace =
          original.command(backups, "restore", "--target-time", target.toString());
      assertThat(inPlace.exitCode()).as(inPlace.describe()).isZero();
      assertThat(inPlace.stdout()).contains("restored " + original.data());
      assertThat(original.data().resolve(".pgcontainer-previous")).doesNotExist();
      assertThat(Files.exists(original.data().resolve("PG_VERSION"))).isTrue();
      RunningLauncher again = original.start(backups);
      again.awaitReady();
      assertRows(original, 200);
      again.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    }
  }

  private static void assertRows(LauncherSandbox sandbox, int expected) throws SQLException {
    try (Connection connection = sandbox.connect()) {
      assertThat(
              queryValue(
                  connection, "SELECT count(*) || ' rows, ids 1 to ' || max(id) FROM rows_written"))
          .isEqualTo(expected + " rows, ids 1 to " + expected);
    }
  }
}
