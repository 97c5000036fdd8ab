package dev.pgcontainer.backup;

import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.EnvironmentReader;
import dev.pgcontainer.core.FeatureSettingsRules;
import dev.pgcontainer.core.Settings.ServerSetting;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code BACKUP_*} and {@code RESTORE_*} variables: their record, the schedules, and the
 * archive settings of the environment that would take WAL away from the backups.
 */
public final class BackupRules implements FeatureSettingsRules<BackupSettings> {

  private static final Pattern STANZA = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");

  private final ScheduleValidator scheduleValidator;

  public BackupRules(ScheduleValidator scheduleValidator) {
    this.scheduleValidator = scheduleValidator;
  }

  /**
   * Parameters the launcher sets when backups are enabled; archive_library would take
   * archive_command's place.
   */
  private static final List<String> ARCHIVE_PARAMETERS_OF_BACKUPS =
      List.of("archive_command", "archive_library");

  /**
   * archive_mode values that keep archiving on (the server also takes the boolean spellings of on).
   */
  private static final List<String> ARCHIVE_MODES_WITH_BACKUPS =
      List.of("on", "always", "true", "yes", "1");

  @Override
  public Class<BackupSettings> settingsType() {
    return BackupSettings.class;
  }

  @Override
  public List<BackupVariable> variables() {
    return List.of(BackupVariable.values());
  }

  @Override
  public List<String> prefixes() {
    return List.of("BACKUP_", "RESTORE_");
  }

  @Override
  public BackupSettings read(EnvironmentReader reader, ReadSoFar readSoFar) {
    BackupSettings backup = backup(reader);
    checkArchivingLeftToBackups(reader, backup, readSoFar.serverSettings());
    return backup;
  }

  private BackupSettings backup(EnvironmentReader reader) {
    boolean enabled = reader.bool(BackupVariable.BACKUP_ENABLED);
    boolean restore = reader.bool(BackupVariable.RESTORE_FROM_BACKUP);
    Optional<String> givenTarget = reader.optional(BackupVariable.RESTORE_TARGET_TIME);
    Optional<OffsetDateTime> target =
        givenTarget.isPresent() ? targetTime(reader, givenTarget.get()) : Optional.empty();
    if (restore && !enabled) {
      reader.problem(
          ConfigurationProblem.of(
              BackupVariable.RESTORE_FROM_BACKUP.name(),
              reader.text(BackupVariable.RESTORE_FROM_BACKUP),
              "restoring needs the backup repository: set BACKUP_ENABLED=true"));
    }
    if (reader.optional(BackupVariable.RESTORE_TARGET_TIME).isPresent() && !(restore && enabled)) {
      reader.problem(
          ConfigurationProblem.of(
              BackupVariable.RESTORE_TARGET_TIME.name(),
              reader.text(BackupVariable.RESTORE_TARGET_TIME),
              "a restore target is only used with BACKUP_ENABLED=true and RESTORE_FROM_BACKUP=true"));
    }
    return new BackupSettings(
        enabled,
        stanza(reader),
        reader.absolutePath(BackupVariable.BACKUP_REPO_PATH),
        reader.positiveInt(BackupVariable.BACKUP_RETENTION_FULL, 9_999_999),
        reader.positiveInt(BackupVariable.BACKUP_RETENTION_DIFF, 9_999_999),
        cron(reader, BackupVariable.BACKUP_SCHEDULE_FULL),
        cron(reader, BackupVariable.BACKUP_SCHEDULE_DIFF),
        cron(reader, BackupVariable.BACKUP_SCHEDULE_INCR),
        restore,
        target);
  }

  private Optional<String> cron(EnvironmentReader reader, BackupVariable variable) {
    Optional<String> value = reader.optional(variable);
    if (value.isEmpty()) {
      return value;
    }
    String v = value.get();
    if (v.split("\\s+").length != 5) {
      reader.problem(
          ConfigurationProblem.of(
              variable.name(),
              v,
              "must be a cron expression of 5 fields (minute hour day-of-month month day-of-week),"
                  + " e.g. '0 2 * * 0'"));
    } else {
      scheduleValidator
          .problem(v)
          .ifPresent(p -> reader.problem(ConfigurationProblem.of(variable.name(), v, p)));
    }
    return value;
  }

  /**
   * The stanza names a section of pgbackrest.conf and a directory of the repository: a plain name
   * only.
   */
  private static String stanza(EnvironmentReader reader) {
    String stanza = reader.nonBlank(BackupVariable.BACKUP_STANZA);
    if (!stanza.isEmpty() && !STANZA.matcher(stanza).matches()) {
      reader.problem(
          ConfigurationProblem.of(
              BackupVariable.BACKUP_STANZA.name(),
              stanza,
              "must be a plain name of letters, digits, '.', '_' and '-', starting with a letter or digit"
                  + " (e.g. main or orders-db)"));
    }
    return stanza;
  }

  /**
   * With backups on, the launcher archives WAL through pgBackRest: an archive setting of the
   * environment would win over it and silently leave the backups without WAL, so it is rejected;
   * archive_timeout and archive_mode=always stay the operator's.
   */
  private static void checkArchivingLeftToBackups(
      EnvironmentReader reader, BackupSettings backup, List<ServerSetting> serverSettings) {
    if (!backup.enabled()) {
      return;
    }
    for (ServerSetting setting : serverSettings) {
      boolean archivingOff =
          setting.name().equals("archive_mode")
              && !ARCHIVE_MODES_WITH_BACKUPS.contains(
                  setting.value().trim().toLowerCase(Locale.ROOT));
      if (ARCHIVE_PARAMETERS_OF_BACKUPS.contains(setting.name()) || archivingOff) {
        reader.problem(
            ConfigurationProblem.of(
                setting.variable(),
                setting.value(),
                "BACKUP_ENABLED=true archives WAL through pgBackRest, which this would "
                    + (archivingOff ? "turn off" : "replace")
                    + ": remove the variable"
                    + (archivingOff ? " (or set it to on or always)" : "")
                    + ", or set BACKUP_ENABLED=false to archive your own way"));
      }
    }
  }

  private static Optional<OffsetDateTime> targetTime(EnvironmentReader reader, String value) {
    try {
      return Optional.of(BackupSettings.parseTargetTime(value));
    } catch (DateTimeParseException e) {
      reader.problem(
          ConfigurationProblem.of(
              BackupVariable.RESTORE_TARGET_TIME.name(),
              value,
              "must be " + BackupSettings.TARGET_TIME_FORM));
      return Optional.empty();
    }
  }
}
