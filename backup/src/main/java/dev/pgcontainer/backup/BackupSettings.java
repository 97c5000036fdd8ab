package dev.pgcontainer.backup;

import dev.pgcontainer.core.Settings;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * pgBackRest settings; schedules are 5-field cron expressions checked for form and parsed by {@link
 * CronSchedule}.
 */
public record BackupSettings(
    boolean enabled,
    String stanza,
    Path repositoryPath,
    int retentionFull,
    int retentionDiff,
    Optional<String> scheduleFull,
    Optional<String> scheduleDiff,
    Optional<String> scheduleIncr,
    boolean restoreFromBackup,
    Optional<OffsetDateTime> restoreTargetTime) {

  /**
   * What a recovery target must look like, for messages about {@code RESTORE_TARGET_TIME} and its
   * CLI option.
   */
  public static final String TARGET_TIME_FORM =
      "an ISO-8601 time with an offset, e.g. 2026-01-31T14:05:00+01:00 or 2026-01-31T13:05:00Z";

  /** The variables' defaults: backups off, as for settings read without the backups' rule set. */
  private static final BackupSettings DEFAULTS =
      new BackupSettings(
          false,
          BackupVariable.BACKUP_STANZA.defaultValue().orElseThrow(),
          Path.of(BackupVariable.BACKUP_REPO_PATH.defaultValue().orElseThrow()),
          Integer.parseInt(BackupVariable.BACKUP_RETENTION_FULL.defaultValue().orElseThrow()),
          Integer.parseInt(BackupVariable.BACKUP_RETENTION_DIFF.defaultValue().orElseThrow()),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          false,
          Optional.empty());

  /**
   * The backups' settings in {@code settings}; their defaults when {@link BackupRules} did not read
   * them.
   */
  public static BackupSettings of(Settings settings) {
    return settings.feature(BackupSettings.class).orElse(DEFAULTS);
  }

  /**
   * A recovery target as {@code RESTORE_TARGET_TIME} takes it: ISO-8601 with an offset (a time
   * without one would mean a different instant on every machine); a space may stand for the {@code
   * T}.
   *
   * @throws java.time.format.DateTimeParseException when it is not of the form {@link
   *     #TARGET_TIME_FORM}
   */
  public static OffsetDateTime parseTargetTime(String text) {
    return OffsetDateTime.parse(text.trim().replace(' ', 'T'));
  }
}
