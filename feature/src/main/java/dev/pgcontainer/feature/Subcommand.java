package dev.pgcontainer.feature;

import java.util.List;

/** A launcher subcommand a feature answers, e.g. {@code pgcontainer backup full}. */
public interface Subcommand {

  /** The first word on the command line. */
  String name();

  /**
   * Its lines in the launcher's usage, e.g. {@code backup [full|diff|incr] pgBackRest backup ...}.
   */
  List<String> usage();

  /**
   * Runs the subcommand (exit 0 when it returns); a wrong command line throws {@link
   * UsageException}, a configuration problem {@code ConfigurationException}, any other failure
   * {@code PgcontainerException}.
   */
  void execute(CommandContext context, List<String> arguments) throws InterruptedException;
}
