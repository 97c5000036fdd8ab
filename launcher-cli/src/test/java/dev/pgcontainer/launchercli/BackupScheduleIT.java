package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.backup.BackupInfo;
import dev.pgcontainer.backup.BackupType;
import dev.pgcontainer.process.PosixSignal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Schedules run inside the launcher: with {@code * * * * *} the minute that passed before the start counts as missed
 * (the repository holds no backup yet), so a backup runs right after the start; then the schedule itself runs one at
 * the next minute. The one slow test of the backups (about a minute), as a schedule has minutes for its unit. The
 * launcher's own backups show at once in {@code /health/backup} and on {@code /metrics}.
 */
class BackupScheduleIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The next minute starts within 60 s; the backup of a small cluster takes a few seconds. */
  private static final Duration SCHEDULED_BACKUP_WITHIN = Duration.ofSeconds(80);

  @Test
  void aMissedScheduleRunsAtStartAndTheScheduleRunsWithinAMinute() throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.withInitialisedCluster()) {
      BackupRepository repository = BackupRepository.in(sandbox);
      HealthProbing health = HealthProbing.of(sandbox);
      RunningLauncher launcher = health.start(repository.environment("BACKUP_SCHEDULE_FULL", "* * * * *"));
      launcher.awaitReady();
      Instant ready = Instant.now();

      launcher.awaitOutput("backup done in");
      assertThat(launcher.output()).contains("running the full backup now: missed (BACKUP_SCHEDULE_FULL='* * * * *'");
      awaitBackups(repository, sandbox, 2, ready.plus(SCHEDULED_BACKUP_WITHIN));

      // pgBackRest lists the set a moment before its process ends and the launcher says so
      launcher.awaitOutput("(scheduled (BACKUP_SCHEDULE_FULL='* * * * *'))");
      BackupInfo info = repository.info(sandbox);
      assertThat(info.backups()).extracting(BackupInfo.BackupSet::type).containsOnly(BackupType.FULL);
      BackupInfo.BackupSet scheduled = info.backups().get(1);
      assertThat(scheduled.started().getEpochSecond() % 60)
          .as("a scheduled backup starts in the first seconds of its minute (%s)", scheduled.started())
          .isLessThan(10);
      assertThat(info.backups().get(0).stopped()).as("never two at once").isBeforeOrEqualTo(scheduled.started());

      JsonNode backupCheck = JSON.readTree(health.await("/health/backup",
          response -> response.body().contains("\"backups\":2"), launcher).body()).path("checks").path("backup");
      assertThat(backupCheck.path("status").asText()).isEqualTo("UP");
      assertThat(backupCheck.path("reason").asText()).startsWith("stanza main ready, last backup full " + scheduled.label());
      assertThat(backupCheck.path("details").path("next_full").asText()).isNotEmpty();
      String metrics = health.get("/metrics").body();
      assertThat(gauge(metrics, "pgcontainer_backup_last_completion_timestamp_seconds{type=\"full\"}"))
          .isEqualTo(scheduled.stopped().getEpochSecond());
      assertThat(gauge(metrics, "pgcontainer_backup_last_age_seconds")).isBetween(0.0, 60.0);
      assertThat(gauge(metrics, "pgcontainer_backup_last_size_bytes")).isEqualTo(scheduled.databaseBytes());
      assertThat(gauge(metrics, "pgcontainer_backup_sets{type=\"full\"}")).isEqualTo(2);
      assertThat(gauge(metrics, "pgcontainer_backup_archive_failures")).isZero();
      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    }
  }

  /** The value of the sample {@code series} (name and labels as the text format writes them) in {@code metrics}. */
  private static double gauge(String metrics, String series) {
    return metrics.lines()
        .filter(line -> line.startsWith(series + " "))
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + series + " in /metrics:\n" + metrics));
  }

  private static void awaitBackups(BackupRepository repository, LauncherSandbox sandbox, int count, Instant deadline) {
    while (repository.info(sandbox).backups().size() < count) {
      assertThat(Instant.now())
          .as("%d backups in the repository by %s", count, deadline)
          .isBefore(deadline);
      pause(Duration.ofSeconds(2));
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
