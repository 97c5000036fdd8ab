package dev.pgcontainer.launchercli;

import dev.pgcontainer.backup.BackupType;
import dev.pgcontainer.backup.OnDemandBackup;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.embedded.SettingsSource;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code pgcontainer backup [full|diff|incr]}: a pgBackRest backup of the running primary, printed as one line.
 * Without an argument the backup is full: a set that depends on no other one, which is what "back up now" should mean.
 */
final class BackupCommand {

  private final Map<String, String> env;
  private final PrintStream out;

  BackupCommand(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  int execute(List<String> arguments) throws InterruptedException {
    if (arguments.size() > 1) {
      throw new UsageException("backup takes at most one argument, the type: " + BackupType.keywords());
    }
    BackupType type = arguments.isEmpty() ? BackupType.FULL : BackupType.fromKeyword(arguments.get(0))
        .orElseThrow(() -> new UsageException(
            "unknown backup type '" + arguments.get(0) + "': use one of " + BackupType.keywords()));
    Settings settings = SettingsSource.offline(env);
    BackupRequirements.requireBackupsEnabled(settings, "backup");
    OnDemandBackup.Outcome outcome =
        OnDemandBackup.of(settings, env, SettingsSource.serverUser(settings, env)).run(type);
    out.println(outcome.describe());
    return ExitCode.OK;
  }
}
