package dev.pgcontainer.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pgcontainer.core.Settings;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {

  /** A Wednesday. */
  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-01-28T12:00:30Z");

  private static final String SUNDAYS_AT_TWO = "0 2 * * 0";
  private static final String DAILY_AT_TWO = "0 2 * * *";
  private static final String HOURLY = "0 * * * *";

  @Test
  void noScheduleMeansNothingIsEverDue() {
    BackupSchedule schedule = schedule(null, null, null);

    assertThat(schedule.isEmpty()).isTrue();
    assertThat(schedule.next(NOW)).isEmpty();
    assertThat(schedule.missed(info(), NOW)).isEmpty();
  }

  @Test
  void nextIsTheEarliestScheduledTime() {
    BackupSchedule schedule = schedule(SUNDAYS_AT_TWO, DAILY_AT_TWO, HOURLY);

    assertThat(schedule.next(NOW))
        .hasValueSatisfying(
            run -> {
              assertThat(run.type()).isEqualTo(BackupType.INCR);
              assertThat(run.at()).isEqualTo(ZonedDateTime.parse("2026-01-28T13:00Z"));
              assertThat(run.reason()).isEqualTo("scheduled (BACKUP_SCHEDULE_INCR='0 * * * *')");
            });
    assertThat(schedule.nextRuns(NOW))
        .containsOnlyKeys(BackupType.FULL, BackupType.DIFF, BackupType.INCR);
  }

  @Test
  void whenTypesFallOnTheSameMinuteTheMostCompleteRuns() {
    ZonedDateTime saturdayNight = ZonedDateTime.parse("2026-01-31T23:30Z");

    Optional<BackupSchedule.Run> next =
        schedule(SUNDAYS_AT_TWO, DAILY_AT_TWO, "0 2 * * *").next(saturdayNight);

    assertThat(next).map(BackupSchedule.Run::type).contains(BackupType.FULL);
    assertThat(next).map(BackupSchedule.Run::at).contains(ZonedDateTime.parse("2026-02-01T02:00Z"));
  }

  @Test
  void aRepositoryWithoutBackupsHasMissedEveryScheduleAndTheFullBackupCoversTheRest() {
    assertThat(schedule(SUNDAYS_AT_TWO, DAILY_AT_TWO, HOURLY).missed(info(), NOW))
        .hasValueSatisfying(
            run -> {
              assertThat(run.type()).isEqualTo(BackupType.FULL);
              assertThat(run.at()).isEqualTo(ZonedDateTime.parse("2026-01-25T02:00Z"));
              assertThat(run.reason())
                  .startsWith("missed (BACKUP_SCHEDULE_FULL='0 2 * * 0' named 2026-01-25T02:00Z");
            });
  }

  @Test
  void aBackupStartedAtOrAfterThePreviousScheduledTimeMeansNothingWasMissed() {
    BackupInfo info =
        info(
            set(BackupType.FULL, "2026-01-25T02:00:00Z"),
            set(BackupType.DIFF, "2026-01-28T02:00:01Z"));

    assertThat(schedule(SUNDAYS_AT_TWO, DAILY_AT_TWO, null).missed(info, NOW)).isEmpty();
  }

  @Test
  void aMoreCompleteBackupCoversAMissedLessCompleteOne() {
    BackupInfo fullThisMorning = info(set(BackupType.FULL, "2026-01-28T03:00:00Z"));

    assertThat(schedule(null, DAILY_AT_TWO, HOURLY).missed(fullThisMorning, NOW))
        .map(BackupSchedule.Run::type)
        .as("the 12:00 incr is missed; the 02:00 diff is covered by the full at 03:00")
        .contains(BackupType.INCR);
  }

  @Test
  void ofSeveralMissedTypesTheMostCompleteRunsOnce() {
    BackupInfo lastWeek =
        info(
            set(BackupType.FULL, "2026-01-18T02:00:00Z"),
            set(BackupType.INCR, "2026-01-28T11:00:00Z"));

    assertThat(schedule(SUNDAYS_AT_TWO, DAILY_AT_TWO, HOURLY).missed(lastWeek, NOW))
        .map(BackupSchedule.Run::type)
        .contains(BackupType.FULL);
  }

  @Test
  void backupTypesCoverTheLessCompleteOnes() {
    assertThat(BackupType.INCR.isCoveredBy(BackupType.FULL)).isTrue();
    assertThat(BackupType.INCR.isCoveredBy(BackupType.DIFF)).isTrue();
    assertThat(BackupType.DIFF.isCoveredBy(BackupType.DIFF)).isTrue();
    assertThat(BackupType.DIFF.isCoveredBy(BackupType.INCR)).isFalse();
    assertThat(BackupType.FULL.isCoveredBy(BackupType.DIFF)).isFalse();
  }

  private static BackupSchedule schedule(String full, String diff, String incr) {
    Map<String, String> env =
        new HashMap<>(Map.of("POSTGRES_PASSWORD", "pw", "BACKUP_ENABLED", "true"));
    putIfGiven(env, "BACKUP_SCHEDULE_FULL", full);
    putIfGiven(env, "BACKUP_SCHEDULE_DIFF", diff);
    putIfGiven(env, "BACKUP_SCHEDULE_INCR", incr);
    return BackupSchedule.of(
        BackupSettings.of(
            Settings.fromEnvironment(env, List.of(new BackupRules(CronSchedule::problem)))));
  }

  private static void putIfGiven(Map<String, String> env, String variable, String value) {
    if (value != null) {
      env.put(variable, value);
    }
  }

  private static BackupInfo info(BackupInfo.BackupSet... sets) {
    return new BackupInfo(
        "main",
        new BackupInfo.Status(sets.length == 0 ? 2 : 0, "ok"),
        List.of(sets),
        List.of(),
        List.of());
  }

  private static BackupInfo.BackupSet set(BackupType type, String started) {
    Instant start = Instant.parse(started);
    return new BackupInfo.BackupSet(
        "label-" + started,
        type,
        start,
        start.plusSeconds(60),
        1,
        1,
        1,
        "000000010000000000000001",
        "000000010000000000000002",
        Optional.empty());
  }
}
