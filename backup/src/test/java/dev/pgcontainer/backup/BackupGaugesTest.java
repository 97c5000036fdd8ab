package dev.pgcontainer.backup;

import static dev.pgcontainer.backup.BackupHealthFixtures.ARCHIVING;
import static dev.pgcontainer.backup.BackupHealthFixtures.CLOCK;
import static dev.pgcontainer.backup.BackupHealthFixtures.NOW;
import static dev.pgcontainer.backup.BackupHealthFixtures.TWO_SETS;
import static dev.pgcontainer.backup.BackupHealthFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.backup.BackupStatus.Condition;
import dev.pgcontainer.health.GaugeSource.Reading;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupGaugesTest {

  @Test
  void theRepositoryAndTheArchiverAsGauges() {
    List<Reading> readings =
        new BackupGauges(
                () ->
                    snapshot(
                        Condition.OK, List.of(), Optional.of(TWO_SETS), Optional.of(ARCHIVING)),
                CLOCK)
            .read();

    assertThat(value(readings, "pgcontainer_backup_last_age_seconds", Map.of())).isEqualTo(600);
    assertThat(value(readings, "pgcontainer_backup_last_size_bytes", Map.of()))
        .isEqualTo(31_500_000);
    assertThat(value(readings, "pgcontainer_backup_last_repository_size_bytes", Map.of()))
        .isEqualTo(300_000);
    assertThat(
            value(
                readings,
                "pgcontainer_backup_last_completion_timestamp_seconds",
                Map.of("type", "full")))
        .isEqualTo(NOW.getEpochSecond() - 3600);
    assertThat(
            value(
                readings,
                "pgcontainer_backup_last_completion_timestamp_seconds",
                Map.of("type", "diff")))
        .isEqualTo(NOW.getEpochSecond() - 600);
    assertThat(readings)
        .as("no incr backup, no incr timestamp")
        .noneMatch(
            reading ->
                reading.name().equals("pgcontainer_backup_last_completion_timestamp_seconds")
                    && reading.labels().equals(Map.of("type", "incr")));
    assertThat(value(readings, "pgcontainer_backup_sets", Map.of("type", "incr"))).isZero();
    assertThat(value(readings, "pgcontainer_backup_sets", Map.of("type", "full"))).isEqualTo(1);
    assertThat(value(readings, "pgcontainer_backup_condition", Map.of("condition", "ok")))
        .isEqualTo(1);
    assertThat(value(readings, "pgcontainer_backup_condition", Map.of("condition", "degraded")))
        .isZero();
    assertThat(value(readings, "pgcontainer_backup_archive_failures", Map.of())).isEqualTo(2);
    assertThat(value(readings, "pgcontainer_backup_archived_wal_files", Map.of())).isEqualTo(7);
    assertThat(
            value(
                readings,
                "pgcontainer_backup_wal_archive_range",
                Map.of(
                    "id",
                    "15-1",
                    "first",
                    "000000010000000000000003",
                    "last",
                    "000000010000000000000009")))
        .isEqualTo(1);
  }

  @Test
  void beforeAnythingIsReadOnlyTheConditionIsThere() {
    List<Reading> readings =
        new BackupGauges(
                () ->
                    snapshot(Condition.NOT_CHECKED, List.of(), Optional.empty(), Optional.empty()),
                CLOCK)
            .read();

    assertThat(readings).extracting(Reading::name).containsOnly("pgcontainer_backup_condition");
    assertThat(value(readings, "pgcontainer_backup_condition", Map.of("condition", "not_checked")))
        .isEqualTo(1);
  }

  private static double value(List<Reading> readings, String name, Map<String, String> labels) {
    return readings.stream()
        .filter(reading -> reading.name().equals(name) && reading.labels().equals(labels))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + labels + " in " + readings))
        .value();
  }
}
