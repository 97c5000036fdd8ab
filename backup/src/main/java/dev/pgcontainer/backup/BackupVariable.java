package dev.pgcontainer.backup;

import dev.pgcontainer.core.EnvironmentVariable;
import java.util.Optional;

/** The backups' variables of the contract (see the spec's tables), with their defaults. */
public enum BackupVariable implements EnvironmentVariable {
  BACKUP_ENABLED("false"),
  BACKUP_STANZA("default"),
  BACKUP_REPO_PATH("/var/lib/pgbackrest"),
  BACKUP_RETENTION_FULL("2"),
  BACKUP_RETENTION_DIFF("6"),
  BACKUP_SCHEDULE_FULL(null),
  BACKUP_SCHEDULE_DIFF(null),
  BACKUP_SCHEDULE_INCR(null),
  RESTORE_FROM_BACKUP("false"),
  RESTORE_TARGET_TIME(null);

  private final String defaultValue;

  BackupVariable(String defaultValue) {
    this.defaultValue = defaultValue;
  }

  @Override
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }
}
