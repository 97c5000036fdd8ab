package dev.pgcontainer.backup;

import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The backup schedules of the environment ({@code BACKUP_SCHEDULE_FULL}, {@code _DIFF}, {@code
 * _INCR}) and the two questions the launcher asks them: when is the next backup due, and was one
 * missed while no launcher ran. When several types fall on the same minute, the most complete one
 * runs: it covers the others.
 */
final class BackupSchedule {

  /**
   * A backup the schedule asks for.
   *
   * @param at the time the schedule names
   * @param reason why, for logs and health, e.g. {@code scheduled (BACKUP_SCHEDULE_FULL='0 2 * *
   *     0')}
   */
  public record Run(BackupType type, ZonedDateTime at, String reason) {}

  private final Map<BackupType, CronSchedule> schedules;

  private BackupSchedule(Map<BackupType, CronSchedule> schedules) {
    this.schedules = schedules;
  }

  /**
   * The schedules of {@code backup}; validation has parsed them already.
   *
   * @throws IllegalArgumentException for an expression {@link CronSchedule#parse} rejects
   */
  public static BackupSchedule of(BackupSettings backup) {
    Map<BackupType, CronSchedule> schedules = new EnumMap<>(BackupType.class);
    backup
        .scheduleFull()
        .ifPresent(expression -> schedules.put(BackupType.FULL, CronSchedule.parse(expression)));
    backup
        .scheduleDiff()
        .ifPresent(expression -> schedules.put(BackupType.DIFF, CronSchedule.parse(expression)));
    backup
        .scheduleIncr()
        .ifPresent(expression -> schedules.put(BackupType.INCR, CronSchedule.parse(expression)));
    return new BackupSchedule(schedules);
  }

  public boolean isEmpty() {
    return schedules.isEmpty();
  }

  /**
   * The next backup due after {@code after}: the earliest scheduled time, the most complete type
   * due then.
   */
  public Optional<Run> next(ZonedDateTime after) {
    Map<BackupType, ZonedDateTime> next = nextRuns(after);
    return next.entrySet().stream()
        .min(
            Map.Entry.<BackupType, ZonedDateTime>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey()))
        .map(
            entry ->
                new Run(
                    entry.getKey(),
                    entry.getValue(),
                    "scheduled (" + describe(entry.getKey()) + ")"));
  }

  /** The next scheduled time of each type, for health. */
  public Map<BackupType, ZonedDateTime> nextRuns(ZonedDateTime after) {
    Map<BackupType, ZonedDateTime> next = new EnumMap<>(BackupType.class);
    schedules.forEach(
        (type, schedule) -> schedule.nextAfter(after).ifPresent(time -> next.put(type, time)));
    return next;
  }

  /**
   * The backup to run now because its last scheduled time passed with no launcher to run it: a type
   * whose schedule named a time before {@code now} after which no backup covering it (of that type
   * or a more complete one) started. Of several, the most complete; it covers the others.
   */
  public Optional<Run> missed(BackupInfo info, ZonedDateTime now) {
    return schedules.entrySet().stream()
        .flatMap(
            entry ->
                entry.getValue().lastBefore(now).stream()
                    .filter(
                        scheduled ->
                            info.latestCovering(entry.getKey())
                                .map(set -> set.started().isBefore(scheduled.toInstant()))
                                .orElse(true))
                    .map(
                        scheduled ->
                            new Run(
                                entry.getKey(),
                                scheduled,
                                "missed ("
                                    + describe(entry.getKey())
                                    + " named "
                                    + scheduled
                                    + ")")))
        .min(Comparator.comparing(Run::type));
  }

  private String describe(BackupType type) {
    BackupVariable variable =
        switch (type) {
          case FULL -> BackupVariable.BACKUP_SCHEDULE_FULL;
          case DIFF -> BackupVariable.BACKUP_SCHEDULE_DIFF;
          case INCR -> BackupVariable.BACKUP_SCHEDULE_INCR;
        };
    return variable.name() + "='" + schedules.get(type) + "'";
  }
}
