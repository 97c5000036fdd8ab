package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.embedded.SettingsSource;
import dev.pgcontainer.feature.UsageException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** {@code pgcontainer validate}: every problem at once, exit 0 or 78; changes nothing. */
final class ValidateCommand {

  private final Map<String, String> env;
  private final PrintStream out;
  private final Function<Map<String, String>, Optional<PgInstallation>> installations;

  /**
   * @param installations finds the server whose catalogue judges the settings, when there is one
   */
  ValidateCommand(
      Map<String, String> env,
      PrintStream out,
      Function<Map<String, String>, Optional<PgInstallation>> installations) {
    this.env = env;
    this.out = out;
    this.installations = installations;
  }

  int execute(List<String> arguments) {
    UsageException.requireNoArguments(arguments);
    Settings settings =
        SettingsSource.withServerCatalogue(env, SettingsSource.installation(env, installations));
    settings.warnings().forEach(w -> out.println("warning: " + w));
    out.println("configuration is valid");
    return ExitCode.OK;
  }
}
