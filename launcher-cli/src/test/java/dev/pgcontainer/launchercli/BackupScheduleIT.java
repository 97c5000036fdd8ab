package dev.pgcontainer.launchercli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgcontainer.backup.BackupInfo;
import dev.pgcontainer.backup.BackupType;
import dev.pgcontainer.supervision.PosixSignal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Schedules run inside the launcher: with {@code * * * * *} the minute that passed before the start
 * counts as missed (the repository holds no backup yet), so a backup runs right after the start;
 * then the schedule itself runs one at the next minute. The one slow test of the backups (about a
 * minute), as a schedule has minutes for its unit. The launcher's own backups show at once in
 * {@code /health/backup} and on {@code /metrics}.
 */
class BackupScheduleIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Not a requirement: keeps a broken schedule from hanging the build. The next minute starts
   * within 60 s of the first backup's end; the backups of a small cluster take a few seconds, many
   * more on a loaded machine.
   */
  private static final Duration SCHEDULED_BACKUP_WITHIN = Duration.ofSeconds(180);

  /** The launcher's announcement of the next scheduled backup, with its due time. */
  private static final Pattern NEXT_BACKUP = Pattern.compile("next backup: full at (\\S+)");

  @Test
  void aMissedScheduleRunsAtStartAndTheScheduleRunsWithinAMinute() throws Exception {
    try (LauncherSandbox sandbox = LauncherSandbox.withInitialisedCluster()) {
      BackupRepository repository = BackupRepository.in(sandbox);
      HealthProbing health = HealthProbing.of(sandbox);
      RunningLauncher launcher =
          health.start(repository.environment("BACKUP_SCHEDULE_FULL", "* * * * *"));
      launcher.awaitReady();
      Instant ready = Instant.now();

      launcher.awaitOutput("backup done in");
      assertThat(launcher.output())
          .contains("running the full backup now: missed (BACKUP_SCHEDULE_FULL='* * * * *'");
      awaitBackups(repository, sandbox, 2, ready.plus(SCHEDULED_BACKUP_WITHIN));

      // pgBackRest lists the set a moment before its process ends and the launcher says so
      launcher.awaitOutput("(scheduled (BACKUP_SCHEDULE_FULL='* * * * *'))");
      BackupInfo info = repository.info(sandbox);
      assertThat(info.backups())
          .extracting(BackupInfo.BackupSet::type)
          .containsOnly(BackupType.FULL);
      BackupInfo.BackupSet scheduled = info.backups().get(1);
      // the schedule's minute, as the launcher announced it, and not earlier (a clock on a loaded
      // machine only delays the start, so no upper bound but the minute that follows)
      ZonedDateTime due = lastAnnouncedDueBy(launcher.output(), scheduled.started());
      assertThat(due.getSecond())
          .as("a '* * * * *' run is due at the start of a minute: %s", due)
          .isZero();
      assertThat(scheduled.started())
          .as("start of the scheduled backup, due %s", due)
          .isAfterOrEqualTo(due.toInstant())
          .isBefore(due.toInstant().plus(Duration.ofMinutes(1)));
      assertThat(info.backups().get(0).stopped())
          .as("never two at once")
          .isBeforeOrEqualTo(scheduled.started());

      JsonNode backupCheck =
          JSON.readTree(
                  health
                      .await(
                          "/health/backup",
                          response -> response.body().contains("\"backups\":2"),
                          launcher)
                      .body())
              .path("checks")
              .path("backup");
      assertThat(backupCheck.path("status").asText()).isEqualTo("UP");
      assertThat(backupCheck.path("reason").asText())
          .startsWith("stanza main ready, last backup full " + scheduled.label());
      assertThat(backupCheck.path("details").path("next_full").asText()).isNotEmpty();
      String metrics = health.get("/metrics").body();
      assertThat(
              gauge(metrics, "pgcontainer_backup_last_completion_timestamp_seconds{type=\"full\"}"))
          .isEqualTo(scheduled.stopped().getEpochSecond());
      // no older than the run itself (a fixed bound would depend on how fast a loaded machine gets
      // here)
      assertThat(gauge(metrics, "pgcontainer_backup_last_age_seconds"))
          .isBetween(0.0, Duration.between(ready, Instant.now()).toSeconds() + 1.0);
      assertThat(gauge(metrics, "pgcontainer_backup_last_size_bytes"))
          .isEqualTo(scheduled.databaseBytes());
      assertThat(gauge(metrics, "pgcontainer_backup_sets{type=\"full\"}")).isEqualTo(2);
      assertThat(gauge(metrics, "pgcontainer_backup_archive_failures")).isZero();
      launcher.stopCleanly(PosixSignal.TERM, RunningLauncher.HANG_GUARD);
    }
  }

  /**
   * The value of the sample {@code series} (name and labels as the text format writes them) in
   * {@code metrics}.
   */
  private static double gauge(String metrics, String series) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + series + " in /metrics:\n" + metrics));
  }

  /** The due time of the last "next backup" line announcing a run due by {@code started}. */
  private static ZonedDateTime lastAnnouncedDueBy(String output, Instant started) {
    ZonedDateTime last = null;
    Matcher announced = NEXT_BACKUP.matcher(output);
    while (announced.find()) {
      ZonedDateTime due = ZonedDateTime.parse(announced.group(1));
      if (!due.toInstant().isAfter(started)) {
        last = due;
      }
    }
    assertThat(last)
        .as("a 'next backup: full at ...' line due by %s in:%n%s", started, output)
        .isNotNull();
    return last;
  }

  private static void awaitBackups(
      BackupRepository repository, LauncherSandbox sandbox, int count, Instant deadline) {
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
