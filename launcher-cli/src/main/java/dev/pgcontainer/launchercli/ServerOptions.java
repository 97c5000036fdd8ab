package dev.pgcontainer.launchercli;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.ConfigurationProblem;
import dev.pgcontainer.core.PostgresqlConf;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.feature.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The official image's command line, {@code postgres [OPTION...]} (or the options alone): the
 * options postgres takes that set a server parameter become server settings, named after the option
 * as written, e.g. {@code -c shared_buffers} or {@code -B (shared_buffers)}. The settings are
 * judged like {@code POSTGRESQL_*} ones and win over them. Options that would not run a server
 * under the launcher (help, version, single-user mode...) are usage errors.
 */
final class ServerOptions {

  /**
   * The first argument that names the server, as in {@code docker run IMAGE postgres -c fsync=off}.
   */
  static final String SERVER_COMMAND = "postgres";

  /** Short options with a value, as postgres' getopt string says, and the parameter each sets. */
  private static final Map<Character, String> VALUE_OPTIONS =
      Map.of(
          'B', "shared_buffers",
          'D', "data_directory",
          'h', "listen_addresses",
          'k', "unix_socket_directories",
          'N', "max_connections",
          'p', "port",
          'S', "work_mem",
          'W', "post_auth_delay");

  /** Short options without a value, and the setting each makes. */
  private static final Map<Character, String[]> FLAG_OPTIONS =
      Map.of(
          'e', new String[] {"datestyle", "euro"},
          'F', new String[] {"fsync", "off"},
          'i', new String[] {"listen_addresses", "*"},
          'l', new String[] {"ssl", "on"},
          'O', new String[] {"allow_system_table_mods", "on"},
          'P', new String[] {"ignore_system_indexes", "on"},
          's', new String[] {"log_statement_stats", "on"});

  /** {@code -t pa|pl|ex}: which statistics to log. */
  private static final Map<String, String> STATISTICS =
      Map.of("pa", "log_parser_stats", "pl", "log_planner_stats", "ex", "log_executor_stats");

  private final List<ServerSetting> settings = new ArrayList<>();
  private final List<ConfigurationProblem> problems = new ArrayList<>();

  private ServerOptions() {}

  /**
   * Whether {@code firstArgument} asks for the server with options, rather than a pgcontainer
   * command.
   */
  static boolean isServerCommandLine(String firstArgument) {
    return firstArgument.equals(SERVER_COMMAND) || firstArgument.startsWith("-");
  }

  /**
   * The settings {@code arguments} (with or without the leading {@code postgres}) give, in order.
   *
   * @throws UsageException for an option that is unknown, incomplete or makes no sense under the
   *     launcher (exit 2)
   * @throws ConfigurationException for a parameter name that cannot be a setting (exit 78)
   */
  static List<ServerSetting> parse(List<String> arguments) {
    ServerOptions options = new ServerOptions();
    List<String> rest =
        !arguments.isEmpty() && arguments.get(0).equals(SERVER_COMMAND)
            ? arguments.subList(1, arguments.size())
            : arguments;
    for (int i = 0; i < rest.size(); i++) {
      i = options.option(rest, i);
    }
    if (!options.problems.isEmpty()) {
      throw new ConfigurationException(options.problems);
    }
    return List.copyOf(options.settings);
  }

  /** Reads the option at {@code index}; returns the index of the last argument it used. */
  private int option(List<String> arguments, int index) {
    String argument = arguments.get(index);
    if (argument.startsWith("--") && argument.length() > 2) {
      longOption(argument);
      return index;
    }
    if (!argument.startsWith("-") || argument.length() < 2) {
      throw new UsageException(
          "'"
              + argument
              + "' is not a server option: postgres takes options only, e.g."
              + " postgres -c shared_buffers=256MB");
    }
    // getopt style: flags may be grouped (-iF), and a value follows its letter or comes as the next
    // argument
    for (int at = 1; at < argument.length(); at++) {
      char letter = argument.charAt(at);
      String[] flag = FLAG_OPTIONS.get(letter);
      if (flag != null) {
        settings.add(new ServerSetting("-" + letter + " (" + flag[0] + ")", flag[0], flag[1]));
        continue;
      }
      if (!VALUE_OPTIONS.containsKey(letter) && letter != 'c' && letter != 'd' && letter != 't') {
        throw refused("-" + letter);
      }
      boolean attached = at + 1 < argument.length();
      if (!attached && index + 1 >= arguments.size()) {
        throw new UsageException("option -" + letter + " requires a value");
      }
      String value = attached ? argument.substring(at + 1) : arguments.get(index + 1);
      valueOption(letter, value);
      return attached ? index : index + 1;
    }
    return index;
  }

  private void valueOption(char letter, String value) {
    switch (letter) {
      case 'c' -> nameAndValue("-c", value);
      case 'd' ->
          settings.add(
              new ServerSetting("-d (log_min_messages)", "log_min_messages", debugLevel(value)));
      case 't' -> {
        String parameter = STATISTICS.get(value);
        if (parameter == null) {
          throw new UsageException("option -t takes pa, pl or ex, not '" + value + "'");
        }
        settings.add(new ServerSetting("-t (" + parameter + ")", parameter, "on"));
      }
      default -> {
        String parameter = VALUE_OPTIONS.get(letter);
        settings.add(new ServerSetting("-" + letter + " (" + parameter + ")", parameter, value));
      }
    }
  }

  /** {@code -d N} as postgres reads it: debugN for 1 to 5, notice for 0. */
  private static String debugLevel(String value) {
    if (value.length() == 1 && value.charAt(0) >= '0' && value.charAt(0) <= '5') {
      return value.equals("0") ? "notice" : "debug" + value;
    }
    throw new UsageException("option -d takes a debug level from 0 to 5, not '" + value + "'");
  }

  private void longOption(String argument) {
    String body = argument.substring(2);
    String name = body.split("=", 2)[0];
    if (List.of("help", "version", "describe-config", "single", "boot", "check").contains(name)) {
      throw refused(argument);
    }
    nameAndValue("--", body);
  }

  /**
   * {@code name=value}; postgres reads a dash in the name as an underscore, and names in any case.
   */
  private void nameAndValue(String option, String assignment) {
    int equals = assignment.indexOf('=');
    if (equals <= 0) {
      throw new UsageException(
          option
              + (option.equals("--") ? "" : " ")
              + assignment
              + " needs a value: write "
              + option
              + (option.equals("--") ? "" : " ")
              + "name=value, e.g. "
              + option
              + (option.equals("--") ? "" : " ")
              + "shared_buffers=256MB");
    }
    String name = assignment.substring(0, equals).replace('-', '_').toLowerCase(Locale.ROOT);
    String value = assignment.substring(equals + 1);
    String variable = option.equals("--") ? "--" + name : "-c " + name;
    Optional<String> nameProblem = PostgresqlConf.nameProblem(name);
    if (nameProblem.isPresent()) {
      problems.add(ConfigurationProblem.of(variable, value, nameProblem.get()));
    } else {
      settings.add(new ServerSetting(variable, name, value));
    }
  }

  private static UsageException refused(String option) {
    return new UsageException(
        "option "
            + option
            + " is not supported: the launcher runs the server with settings"
            + " only (-c name=value, --name=value, -B, -d, -e, -F, -h, -i, -l, -N, -O, -p, -P, -s, -S, -t, -W); for help,"
            + " versions or single-user mode run the server's binary itself, e.g. pgcontainer bash");
  }
}
