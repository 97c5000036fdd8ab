package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** {@code pgcontainer validate}: every problem at once, exit 0 or 78; changes nothing. */
final class ValidateCommand {

  private final Map<String, String> env;
  private final PrintStream out;

  ValidateCommand(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  int execute(List<String> arguments) {
    UsageException.requireNoArguments(arguments);
    Settings settings = SettingsSource.withServerCatalogue(env, PgInstallation.discover(env));
    settings.warnings().forEach(w -> out.println("warning: " + w));
    out.println("configuration is valid");
    return ExitCode.OK;
  }
}
