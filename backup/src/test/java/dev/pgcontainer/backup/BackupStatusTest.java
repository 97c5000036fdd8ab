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
    assertThat(degraded.problems())
        .containsExactly(
            "the stanza belongs to another cluster",
            "archiving is off",
            "the scheduled (BACKUP_SCHEDULE_FULL='0 2 * * 0') full backup failed: ERROR: [047]: unable to create path");

    status.stanzaChecked(Optional.empty());
    status.archivingChecked(Optional.empty());
    assertThat(status.snapshot().problems()).hasSize(1);
    status.backupAttempted(attempt(Optional.empty()));
    assertThat(status.snapshot().condition()).isEqualTo(BackupStatus.Condition.OK);
    assertThat(status.snapshot().lastAttempt())
        .hasValueSatisfying(a -> assertThat(a.succeeded()).isTrue());
  }

  @Test
  void aStandbyIsNeitherOkNorDegradedUntilItIsThePrimaryAgain() {
    status.stanzaChecked(Optional.of("the stanza belongs to another cluster"));
    status.roleSeen(true);

    assertThat(status.snapshot().condition()).isEqualTo(BackupStatus.Condition.STANDBY);

    status.roleSeen(false);
    assertThat(status.snapshot().condition()).isEqualTo(BackupStatus.Condition.DEGRADED);
  }

  @Test
  void aFailingArchiverDegradesUntilItArchivesAgainAndArchivingOffDegrades() {
    Instant now = Instant.parse("2026-01-25T02:00:00Z");
    status.stanzaChecked(Optional.empty());
    status.archiverRead(
        new ArchiverStats(
            true,
            5,
            Optional.of("000000010000000000000005"),
            Optional.of(now.minusSeconds(60)),
            3,
            Optional.of("000000010000000000000006"),
            Optional.of(now)));

    assertThat(status.snapshot().condition()).isEqualTo(BackupStatus.Condition.DEGRADED);
    assertThat(status.snapshot().problems())
        .singleElement()
        .asString()
        .startsWith(
            "archiving WAL fails (3 failures, the last at 2026-01-25T02:00:00Z for 000000010000000000000006)");
    assertThat(status.snapshot().archiver())
        .hasValueSatisfying(a -> assertThat(a.failedCount()).isEqualTo(3));

    status.archiverRead(
        new ArchiverStats(
            true,
            6,
            Optional.of("000000010000000000000006"),
            Optional.of(now.plusSeconds(1)),
            3,
            Optional.of("000000010000000000000006"),
            Optional.of(now)));
    assertThat(status.snapshot().condition()).isEqualTo(BackupStatus.Condition.OK);

    status.archiverRead(
        new ArchiverStats(
            false, 0, Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty()));
    assertThat(status.snapshot().problems()).containsExactly(StanzaSetup.ARCHIVING_OFF);
  }

  @Test
  void keepsTheLatestInfoAndTheNextRuns() {
    BackupInfo info =
        new BackupInfo(
            "main", new BackupInfo.Status(2, "no valid backups"), List.of(), List.of(), List.of());
    ZonedDateTime sunday = ZonedDateTime.parse("2026-02-01T02:00Z");

    status.infoRead(info);
    status.scheduled(Map.of(BackupType.FULL, sunday));

    assertThat(status.snapshot().info()).contains(info);
    assertThat(status.snapshot().nextRuns()).containsExactly(Map.entry(BackupType.FULL, sunday));
  }

  private static BackupStatus.BackupAttempt attempt(Optional<String> failure) {
    Instant now = Instant.parse("2026-01-25T02:00:00Z");
    return new BackupStatus.BackupAttempt(
        BackupType.FULL,
        "scheduled (BACKUP_SCHEDULE_FULL='0 2 * * 0')",
        now,
        now.plusSeconds(30),
        failure);
  }
}
