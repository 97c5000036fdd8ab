package dev.pgcontainer.backup;

import java.util.Optional;

/**
 * Judges a backup schedule ({@code BACKUP_SCHEDULE_*}) beyond its form: {@link BackupRules} checks
 * that it has 5 fields, {@link CronSchedule} parses it with a cron library, so that a bad minute or
 * weekday is a configuration error like any other, reported together with all the others.
 */
@FunctionalInterface
public interface ScheduleValidator {

  /**
   * What is wrong with a 5-field cron expression, as a phrase that says what to write instead;
   * empty when valid.
   */
  Optional<String> problem(String expression);
}
