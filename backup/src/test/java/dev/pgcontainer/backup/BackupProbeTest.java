package dev.pgcontainer.backup;

import static dev.pgcontainer.backup.BackupHealthFixtures.ARCHIVING;
import static dev.pgcontainer.backup.BackupHealthFixtures.CLOCK;
import static dev.pgcontainer.backup.BackupHealthFixtures.TWO_SETS;
import static dev.pgcontainer.backup.BackupHealthFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.backup.BackupStatus.Condition;
import dev.pgcontainer.health.ProbeResult;
import dev.pgcontainer.health.ProbeStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupProbeTest {

  @Test
  void aReadyStanzaIsUpWithTheLastBackupAndItsAge() {
    ProbeResult result =
        new BackupProbe(
                () ->
                    snapshot(
                        Condition.OK, List.of(), Optional.of(TWO_SETS), Optional.of(ARCHIVING)),
                CLOCK)
            .check();

    assertThat(result.status()).isEqualTo(ProbeStatus.UP);
    assertThat(result.reason())
        .isEqualTo(
            "stanza main ready, last backup diff 20260201-110000F_20260201-114900D 600 s ago");
    assertThat(result.details())
        .containsEntry("condition", "ok")
        .containsEntry("stanza", "main")
        .containsEntry("backups", 2)
        .containsEntry("last_backup_type", "diff")
        .containsEntry("last_backup_age_seconds", 600L)
        .containsEntry("archive_failures", 2L);
  }

  @Test
  void problemsDegradeWithEveryReason() {
    ProbeResult result =
        new BackupProbe(
                () ->
                    snapshot(
                        Condition.DEGRADED,
                        List.of(
                            "stanza main in /repo: ERROR: [047]: unable to create path",
                            "archiving WAL fails"),
                        Optional.empty(),
                        Optional.empty()),
                CLOCK)
            .check();

    assertThat(result.status()).isEqualTo(ProbeStatus.DEGRADED);
    assertThat(result.reason())
        .isEqualTo(
            "stanza main in /repo: ERROR: [047]: unable to create path; archiving WAL fails");
    assertThat(result.details())
        .containsEntry("condition", "degraded")
        .doesNotContainKey("last_backup");
  }

  @Test
  void aStandbyAndAStanzaNotCheckedYetAreUp() {
    ProbeResult standby =
        new BackupProbe(
                () -> snapshot(Condition.STANDBY, List.of(), Optional.empty(), Optional.empty()),
                CLOCK)
            .check();
    ProbeResult unchecked =
        new BackupProbe(
                () ->
                    snapshot(Condition.NOT_CHECKED, List.of(), Optional.empty(), Optional.empty()),
                CLOCK)
            .check();

    assertThat(standby.status()).isEqualTo(ProbeStatus.UP);
    assertThat(standby.reason()).isEqualTo("standby: the stanza and the backups are the primary's");
    assertThat(unchecked.status()).isEqualTo(ProbeStatus.UP);
    assertThat(unchecked.reason()).startsWith("stanza not checked yet");
  }

  @Test
  void aStanzaWithoutBackupsSaysSo() {
    ProbeResult result =
        new BackupProbe(
                () ->
                    snapshot(
                        Condition.OK,
                        List.of(),
                        Optional.of(
                            new dev.pgcontainer.backup.BackupInfo(
                                "main",
                                new dev.pgcontainer.backup.BackupInfo.Status(2, "no valid backups"),
                                List.of(),
                                List.of(),
                                List.of())),
                        Optional.empty()),
                CLOCK)
            .check();

    assertThat(result.reason()).isEqualTo("stanza main ready, no backup yet");
  }
}
