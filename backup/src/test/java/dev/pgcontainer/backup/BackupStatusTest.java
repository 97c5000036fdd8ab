package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupStatusTest {

  private final BackupStatus status = new BackupStatus();

  @Test
  void isNotCheckedUntilTheStanzaIs() {
    assertThat(status.snapshot().condition()).isEqualTo(BackupStatus.Condition.NOT_CHECKED);

    status.stanzaChecked(Optional.empty());

    assertThat(status.snapshot().condition()).isEqualTo(BackupStatus.Condition.OK);
    assertThat(status.snapshot().problems()).isEmpty();
  }

  @Test
  void eachProblemDegradesUntilASuccessAboutTheSameThingClearsIt() {
    status.stanzaChecked(Optional.of("the stanza belongs to another cluster"));
    status.archivingChecked(Optional.of("archiving is off"));
    status.backupAttempted(attempt(Optional.of("ERROR: [047]: unable to create path")));

    BackupStatus.Snapshot degraded = status.snapshot();
    assertThat(degraded.condition()).isEqualTo(BackupStatus.Condition.DEGRADED);
    assertThat(degraded.problems()).containsExactly(
        "the stanza belongs to another cluster",
        "archiving is off",
        "the scheduled (BACKUP_SCHEDULE_FULL='0 2 * * 0') full backup failed: ERROR: [047]: unable to create path");

    status.stanzaChecked(Optional.empty());
    status.archivingChecked(Optional.empty());
    assertThat(status.snapshot().problems()).hasSize(1);
    status.backupAttempted(attempt(Optional.empty()));
    assertThat(status.snapshot().condition()).isEqualTo(BackupStatus.Condition.OK);
    assertThat(status.snapshot().lastAttempt()).hasValueSatisfying(a -> assertThat(a.succeeded()).isTrue());
  }

  @Test
  void keepsTheLatestInfoAndTheNextRuns() {
    BackupInfo info = new BackupInfo("main", new BackupInfo.Status(2, "no valid backups"), List.of(), List.of(),
        List.of());
    ZonedDateTime sunday = ZonedDateTime.parse("2026-02-01T02:00Z");

    status.infoRead(info);
    status.scheduled(Map.of(BackupType.FULL, sunday));

    assertThat(status.snapshot().info()).contains(info);
    assertThat(status.snapshot().nextRuns()).containsExactly(Map.entry(BackupType.FULL, sunday));
  }

  private static BackupStatus.BackupAttempt attempt(Optional<String> failure) {
    Instant now = Instant.parse("2026-01-25T02:00:00Z");
    return new BackupStatus.BackupAttempt(BackupType.FULL, "scheduled (BACKUP_SCHEDULE_FULL='0 2 * * 0')", now,
        now.plusSeconds(30), failure);
  }
}
