package dev.pgcontainer.backup;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.feature.CommandContext;
import dev.pgcontainer.feature.Subcommand;
import dev.pgcontainer.feature.UsageException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code pgcontainer restore [--target-time T]}: PGDATA restored from the repository while no
 * server runs, to T (or {@code RESTORE_TARGET_TIME} when the option is not given) or to the end of
 * the archive.
 */
final class RestoreCommand implements Subcommand {

  private static final String TARGET_OPTION = "--target-time";

  @Override
  public String name() {
    return "restore";
  }

  @Override
  public List<String> usage() {
    return List.of(
        "restore [--target-time T]  restore PGDATA from the repository (server stopped)");
  }

  @Override
  public void execute(CommandContext context, List<String> arguments) throws InterruptedException {
    Optional<OffsetDateTime> option = targetTime(arguments);
    PgInstallation binaries = context.installation();
    Settings settings = context.settings(binaries);
    BackupRequirements.requireBackupsEnabled(settings, "restore");
    Optional<OffsetDateTime> target =
        option.or(() -> BackupSettings.of(settings).restoreTargetTime());
    BackupInfo.BackupSet set =
        OfflineRestore.of(context.serverSetup(settings, binaries)).run(target);
    context
        .out()
        .println(
            "restored "
                + settings.directories().data()
                + " from backup "
                + set.label()
                + " to "
                + target.map(Object::toString).orElse("the end of the WAL archive")
                + "; start it with pgcontainer run. It does not archive into stanza "
                + BackupSettings.of(settings).stanza()
                + " until you run ALTER SYSTEM RESET archive_mode and restart (only when it replaces the original cluster)");
  }

  private static Optional<OffsetDateTime> targetTime(List<String> arguments) {
    Optional<String> value = Optional.empty();
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (argument.equals(TARGET_OPTION) && i + 1 < arguments.size()) {
        value = Optional.of(arguments.get(++i));
      } else if (argument.startsWith(TARGET_OPTION + "=")) {
        value = Optional.of(argument.substring(TARGET_OPTION.length() + 1));
      } else {
        throw new UsageException(
            "unexpected argument '" + argument + "' (restore takes only " + TARGET_OPTION + " T)");
      }
    }
    try {
      return value.map(BackupSettings::parseTargetTime);
    } catch (DateTimeParseException e) {
      throw new UsageException(
          TARGET_OPTION + " '" + value.get() + "' must be " + BackupSettings.TARGET_TIME_FORM);
    }
  }
}
