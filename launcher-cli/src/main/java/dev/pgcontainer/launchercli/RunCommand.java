package dev.pgcontainer.launchercli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** {@code pgcontainer run}: validate, initialise, start and supervise. */
final class RunCommand {

  private final Map<String, String> env;
  private final PrintStream out;

  RunCommand(Map<String, String> env, PrintStream out) {
    this.env = env;
    this.out = out;
  }

  int execute(List<String> arguments) {
    UsageException.requireNoArguments(arguments);
    SettingsSource.withServerCatalogue(env);
    out.println("run is not wired yet");
    return ExitCode.FAILURE;
  }
}
