package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Parses the command line and dispatches to a command; maps outcomes to the contract's exit codes. Everything it needs
 * from the outside (environment, output streams) is passed in, so tests run it in-process.
 */
final class Cli {

  static final String USAGE =
      String.join(
          "\n",
          "usage: pgcontainer COMMAND",
          "  run                        validate, initialise, start (direct | patroni | sleep), supervise",
          "  validate                   print every problem in the environment and config files",
          "  render [--out DIR]         write every config file from the environment alone (DIR mirrors /)",
          "  healthcheck [all|postgresql|patroni|disk|process|backup|citus]   one line per check",
          "  backup [full|diff|incr]    pgBackRest backup of the running primary",
          "  restore [--target-time T]  restore PGDATA from the repository (server stopped)",
          "  citus status               Citus role, registered and active workers of the running node",
          "  version                    print the version");

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Function<Map<String, String>, Optional<PgInstallation>> installations;

  Cli(Map<String, String> env, PrintStream out, PrintStream err) {
    this(env, out, err, PgInstallation::discover);
  }

  /**
   * As {@link #Cli(Map, PrintStream, PrintStream)}, with the server binaries of {@code validate} and {@code render} found by {@code
   * installations} instead of {@link PgInstallation#discover}: unit tests run it without any.
   */
  Cli(Map<String, String> env, PrintStream out, PrintStream err,
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
      switch (args[0]) {
        case "version":
        case "--version":
          return version(rest);
        case "validate":
          return new ValidateCommand(env, out, installations).execute(rest);
        case "render":
          return new RenderCommand(env, out, installations).execute(rest);
        case "run":
          return new RunCommand(env).run(rest);
        case "prepare":
          return new RunCommand(env).prepare(rest);
        case "backup":
          return new BackupCommand(env, out).execute(rest);
        case "restore":
          return new RestoreCommand(env, out).execute(rest);
        case "citus":
          return new CitusCommand(env, out).execute(rest);
        case "healthcheck":
          return HealthcheckCommand.forThisProcess(env, out, err).execute(rest);
        case "help":
        case "--help":
        case "-h":
          out.println(USAGE);
          return ExitCode.OK;
        default:
          err.println("pgcontainer: unknown command '" + args[0] + "'\n" + USAGE);
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
      // Looked up here, not in a static field: version and healthcheck then never pay for starting Logback.
      LoggerFactory.getLogger("pgcontainer").error("{}", e.getMessage());
      err.println("pgcontainer " + args[0] + ": " + e.getMessage());
      return ExitCode.FAILURE;
    }
  }

  private void printProblems(List<ConfigurationProblem> problems) {
    err.println("pgcontainer: the configuration has " + problems.size() + " problem(s); nothing was changed:");
    for (ConfigurationProblem problem : problems) {
      err.println("  - " + problem);
    }
  }

  private int version(List<String> rest) {
    UsageException.requireNoArguments(rest);
    out.println("pgcontainer " + versionString());
    return ExitCode.OK;
  }

  static String versionString() {
    String version = Cli.class.getPackage().getImplementationVersion();
    return version != null ? version : "development";
  }
}
