package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.embedded.Features;
import dev.pgcontainer.feature.Subcommand;
import dev.pgcontainer.feature.UsageException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Parses the command line and dispatches to a command; maps outcomes to the contract's exit codes.
 * Everything it needs from the outside (environment, output streams) is passed in, so tests run it
 * in-process.
 */
final class Cli {

  /** The features' subcommands, listed in {@link #USAGE} after the launcher's own. */
  private static final List<Subcommand> SUBCOMMANDS = Features.subcommands();

  static final String USAGE = usage();

  /**
   * The commands of the launcher itself; the start script executes any other first argument as a
   * command (except {@code postgres} and options), so its list must stay this one (see CliTest).
   */
  static final Set<String> COMMANDS = commands();

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Function<Map<String, String>, Optional<PgInstallation>> installations;

  Cli(Map<String, String> env, PrintStream out, PrintStream err) {
    this(env, out, err, PgInstallation::discover);
  }

  /**
   * As {@link #Cli(Map, PrintStream, PrintStream)}, with the server binaries of {@code validate}
   * and {@code render} found by {@code installations} instead of {@link PgInstallation#discover}:
   * unit tests run it without any.
   */
  Cli(
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      Function<Map<String, String>, Optional<PgInstallation>> installations) {
    this.env = Map.copyOf(env);
    this.out = out;
    this.err = err;
    this.installations = installations;
  }

  static Cli standard(Map<String, String> env) {
    return new Cli(env, System.out, System.err);
  }

  int execute(String[] args) {
    if (args.length == 0) {
      err.println(USAGE);
      return ExitCode.USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      if (runsServer(args) && !args[0].equals("run")) {
        return new RunCommand(env, ServerOptions.parse(Arrays.asList(args))).run();
      }
      switch (args[0]) {
        case "version":
        case "--version":
          return version(rest);
        case "validate":
          return new ValidateCommand(env, out, installations).execute(rest);
        case "render":
          return new RenderCommand(env, out, installations).execute(rest);
        case "run":
          UsageException.requireNoArguments(rest);
          return new RunCommand(env, List.of()).run();
        case "prepare":
          return prepare(rest);
        case "cluster-template":
          return new ClusterTemplateCommand(env, out).execute(rest);
        case "healthcheck":
          return HealthcheckCommand.forThisProcess(env, out, err).execute(rest);
        case "help":
        case "--help":
        case "-h":
          out.println(USAGE);
          return ExitCode.OK;
        default:
          for (Subcommand subcommand : SUBCOMMANDS) {
            if (subcommand.name().equals(args[0])) {
              subcommand.execute(new LauncherCommandContext(env, out), rest);
              return ExitCode.OK;
            }
          }
          err.println(
              "pgcontainer: unknown command '"
                  + args[0]
                  + "' (the start script, bin/pgcontainer, executes"
                  + " commands other than pgcontainer's)\n"
                  + USAGE);
          return ExitCode.USAGE;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("pgcontainer " + args[0] + ": interrupted");
      return ExitCode.FAILURE;
    } catch (UsageException e) {
      err.println("pgcontainer " + args[0] + ": " + e.getMessage() + "\n" + USAGE);
      return ExitCode.USAGE;
    } catch (ConfigurationException e) {
      printProblems(e.problems());
      return ExitCode.CONFIGURATION;
    } catch (PgcontainerException e) {
      // Looked up here, not in a static field: version and healthcheck then never pay for starting
      // Logback.
      LoggerFactory.getLogger("pgcontainer").error("{}", e.getMessage());
      err.println("pgcontainer " + args[0] + ": " + e.getMessage());
      return ExitCode.FAILURE;
    }
  }

  /**
   * Whether {@code args} run the server: {@code run}, {@code postgres [OPTION...]}, or options,
   * except the launcher's own {@code --help}, {@code --version} and {@code -h} alone ({@code -h
   * HOST} is postgres' listen address).
   */
  static boolean runsServer(String[] args) {
    if (args.length == 0) {
      return false;
    }
    String first = args[0];
    if (first.equals("run") || first.equals(ServerOptions.SERVER_COMMAND)) {
      return true;
    }
    if (first.equals("-h")) {
      return args.length > 1;
    }
    return first.startsWith("-") && !COMMANDS.contains(first);
  }

  /**
   * {@code prepare [USER [run | postgres [OPTION...] | OPTION...]]}: the run's command line is
   * validated too.
   */
  private int prepare(List<String> arguments) {
    List<String> user = arguments.isEmpty() ? List.of() : arguments.subList(0, 1);
    List<String> runLine =
        arguments.size() > 1 ? arguments.subList(1, arguments.size()) : List.of();
    if (!runLine.isEmpty()
        && !runLine.equals(List.of("run"))
        && !ServerOptions.isServerCommandLine(runLine.get(0))) {
      throw new UsageException(
          "prepare USER takes the run's command line after the user: run, or postgres"
              + " [OPTION...]; not '"
              + runLine.get(0)
              + "'");
    }
    List<ServerSetting> commandLine =
        runLine.isEmpty() || runLine.equals(List.of("run"))
            ? List.of()
            : ServerOptions.parse(runLine);
    return new RunCommand(env, commandLine).prepare(user);
  }

  private void printProblems(List<ConfigurationProblem> problems) {
    err.println(
        "pgcontainer: the configuration has "
            + problems.size()
            + " problem(s); nothing was changed:");
    for (ConfigurationProblem problem : problems) {
      err.println("  - " + problem);
    }
  }

  private int version(List<String> rest) {
    UsageException.requireNoArguments(rest);
    out.println("pgcontainer " + versionString());
    return ExitCode.OK;
  }

  // Loops, not streams: every command builds these in a cold JVM, where each lambda costs its first
  // call.
  private static String usage() {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "usage: pgcontainer COMMAND",
                "  run                        validate, initialise, start (direct | patroni | sleep), supervise",
                "  validate                   print every problem in the environment and config files",
                "  render [--out DIR]         write every config file from the environment alone (DIR mirrors /)",
                "  healthcheck [all|"
                    + String.join("|", HealthcheckCommand.CHECKS)
                    + "]   one line per check"));
    for (Subcommand subcommand : SUBCOMMANDS) {
      for (String line : subcommand.usage()) {
        lines.add("  " + line);
      }
    }
    lines.addAll(
        List.of(
            "  cluster-template           make the cluster a first run of this environment would make, into",
            "                             PGCONTAINER_CLUSTER_TEMPLATES, for first runs to copy instead of initdb",
            "  version                    print the version",
            "  postgres [OPTION...]       as the official postgres image: run, with these server options",
            "                             (-c name=value, --name=value, -B, -N, -p, -F, ...), which win over the",
            "                             environment; a first argument starting with '-' means the same",
            "  OTHER [ARG...]             any other command is executed as given by the start script (bash, psql...)"));
    return String.join("\n", lines);
  }

  private static Set<String> commands() {
    Set<String> commands =
        new HashSet<>(
            Set.of(
                "run",
                "prepare",
                "validate",
                "render",
                "healthcheck",
                "cluster-template",
                "version",
                "help",
                "--version",
                "--help",
                "-h"));
    for (Subcommand subcommand : SUBCOMMANDS) {
      commands.add(subcommand.name());
    }
    return Set.copyOf(commands);
  }

  static String versionString() {
    String version = Cli.class.getPackage().getImplementationVersion();
    return version != null ? version : "development";
  }
}
