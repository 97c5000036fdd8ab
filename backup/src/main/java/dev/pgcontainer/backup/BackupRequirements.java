package dev.pgcontainer.backup;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.Settings;
import java.util.List;

/** What the backup and restore commands need from the environment before they touch anything. */
final class BackupRequirements {

  private BackupRequirements() {}

  /**
   * The repository is configured only with backups enabled: without them the command has nothing to
   * work on.
   */
  static void requireBackupsEnabled(Settings settings, String command) {
    if (!BackupSettings.of(settings).enabled()) {
      throw new ConfigurationException(
          List.of(
              ConfigurationProblem.missing(
                  BackupVariable.BACKUP_ENABLED.name(),
                  "pgcontainer "
                      + command
                      + " works on the pgBackRest repository, which is configured only with"
                      + " BACKUP_ENABLED=true: run it with the environment of the server (BACKUP_ENABLED, BACKUP_REPO_PATH,"
                      + " BACKUP_STANZA)")));
    }
  }
}
