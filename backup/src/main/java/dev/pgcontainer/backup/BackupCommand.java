package dev.pgcontainer.backup;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.feature.CommandContext;
import dev.pgcontainer.feature.Subcommand;
import dev.pgcontainer.feature.UsageException;
import dev.pgcontainer.instance.ServerSetup;
import java.util.List;

/**
 * {@code pgcontainer backup [full|diff|incr]}: a pgBackRest backup of the running primary, printed
 * as one line. Without an argument the backup is full: a set that depends on no other one, which is
 * what "back up now" should mean.
 */
final class BackupCommand implements Subcommand {

  @Override
  public String name() {
    return "backup";
  }

  @Override
  public List<String> usage() {
    return List.of("backup [full|diff|incr]    pgBackRest backup of the running primary");
  }

  @Override
  public void execute(CommandContext context, List<String> arguments) throws InterruptedException {
    if (arguments.size() > 1) {
      throw new UsageException(
          "backup takes at most one argument, the type: " + BackupType.keywords());
    }
    BackupType type =
        arguments.isEmpty()
            ? BackupType.FULL
            : BackupType.fromKeyword(arguments.get(0))
                .orElseThrow(
                    () ->
                        new UsageException(
                            "unknown backup type '"
                                + arguments.get(0)
                                + "': use one of "
                                + BackupType.keywords()));
    Settings settings = context.offlineSettings();
    BackupRequirements.requireBackupsEnabled(settings, "backup");
    OnDemandBackup.Outcome outcome =
        OnDemandBackup.of(
                ServerSetup.withoutBinaries(
                    settings, context.serverUser(settings), context.environment()))
            .run(type);
    context.out().println(outcome.describe());
  }
}
