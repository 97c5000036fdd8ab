package dev.pgcontainer.core;

import dev.pgcontainer.core.Settings.ServerSetting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parameters an installed PostgreSQL knows, and the judge of {@code POSTGRESQL_*} settings: the
 * server itself reads them as a configuration file, so names, units, ranges and check hooks are
 * exactly the server's. Good settings cost one {@code postgres -C} run, or none when {@link
 * #rememberingIn} knows them; extension parameters (a dot in the name) are checked for spelling
 * only. See docs/internals.md, Judging server settings.
 */
public final class ServerParameterCatalogue implements ServerSettingsValidator {

  private static final Logger LOG = LoggerFactory.getLogger(ServerParameterCatalogue.class);

  private static final String UNKNOWN_NAME = "unrecognized configuration parameter";

  /** The closing FATAL that repeats, without detail, that the messages before it were errors. */
  private static final Pattern SUMMARY =
      Pattern.compile("configuration file \".*\" contains errors.*");

  /**
   * The base unit the server states in a range error, e.g. {@code 0 8kB is outside ...}, {@code
   * -5000 ms is ...}.
   */
  private static final Pattern UNIT_IN_RANGE_ERROR =
      Pattern.compile("^\\S+ (\\S+) is outside the valid range");

  private final String server;
  private final ServerProbe probe;

  /** Loaded on first use: a check of names the server accepted never needs the whole catalogue. */
  private Map<String, ServerParameter> parametersByName;

  private ServerParameterCatalogue(String server, ServerProbe probe) {
    this.server = server;
    this.probe = probe;
  }

  private synchronized Map<String, ServerParameter> parametersByName() {
    if (parametersByName == null) {
      parametersByName = load(probe);
    }
    return parametersByName;
  }

  /**
   * The catalogue of the server in {@code installation}; nothing runs until it is asked something.
   */
  public static ServerParameterCatalogue of(PgInstallation installation) {
    return new ServerParameterCatalogue(
        "PostgreSQL " + installation.version(), new InstalledServerProbe(installation));
  }

  /**
   * As {@link #of}, remembering in {@code directory} the last settings the server accepted, so that
   * a start with the same settings and binary does not judge them again (see {@link
   * AcceptedSettingsMemo}; the memo is written by {@link #rememberAccepted}, and only when the
   * directory exists).
   */
  public static ServerParameterCatalogue rememberingIn(
      PgInstallation installation, Path directory) {
    return new ServerParameterCatalogue(
        "PostgreSQL " + installation.version(),
        AcceptedSettingsMemo.wrapping(
            new InstalledServerProbe(installation), installation.binary("postgres"), directory));
  }

  /**
   * For a catalogue made by {@link #rememberingIn}: writes down the settings the server accepted,
   * once every other check of the configuration passed too (a refused start must change nothing).
   * Does nothing for other catalogues.
   */
  public void rememberAccepted() {
    if (probe instanceof AcceptedSettingsMemo memo) {
      memo.rememberAccepted();
    }
  }

  /**
   * A catalogue answered by {@code probe}, for tests; {@code server} names it in messages, e.g.
   * "PostgreSQL 15.18".
   */
  static ServerParameterCatalogue withProbe(String server, ServerProbe probe) {
    return new ServerParameterCatalogue(server, probe);
  }

  /**
   * The validator for {@link Settings#fromEnvironment(Map, String, ServerSettingsValidator)}: the
   * installation's catalogue, or, without one, a validator that checks only how names are spelled,
   * logs a WARN and reports that the server did not judge the settings.
   */
  public static ServerSettingsValidator validatorFor(Optional<PgInstallation> installation) {
    return installation
        .<ServerSettingsValidator>map(ServerParameterCatalogue::of)
        .orElse(ServerParameterCatalogue::validateWithoutServer);
  }

  /** Every parameter {@code --describe-config} lists (runs it on first use). */
  public List<ServerParameter> parameters() {
    return List.copyOf(parametersByName().values());
  }

  /**
   * The parameter called {@code name}, ignoring case as the server does (runs --describe-config on
   * first use).
   */
  public Optional<ServerParameter> parameter(String name) {
    return Optional.ofNullable(parametersByName().get(name.toLowerCase(Locale.ROOT)));
  }

  /** One problem per setting the server rejects, in the order of {@code settings}. */
  @Override
  public Result validate(List<ServerSetting> settings) {
    long started = System.nanoTime();
    List<ConfigurationProblem> problems = new ArrayList<>();
    List<ServerSetting> writable = writable(settings, problems);
    int serverRuns = writable.isEmpty() ? 0 : judge(writable, problems);
    LOG.debug(
        "{} judged {} POSTGRESQL_* settings in {} ms ({} rounds): {} problems",
        server,
        settings.size(),
        (System.nanoTime() - started) / 1_000_000,
        serverRuns,
        problems.size());
    problems.sort(
        Comparator.comparingInt(problem -> indexOfVariable(settings, problem.variable())));
    return Result.checked(problems);
  }

  private static Result validateWithoutServer(List<ServerSetting> settings) {
    if (settings.isEmpty()) {
      return Result.checked(List.of());
    }
    List<ConfigurationProblem> problems = new ArrayList<>();
    writable(settings, problems);
    String reason =
        "no PostgreSQL server binaries were found (set PG_BINDIR to their directory), so the names and values of "
            + settings.size()
            + " POSTGRESQL_* settings are judged only when the server starts";
    LOG.warn(reason);
    return new Result(problems, Optional.of(reason));
  }

  /** The settings that can be written to a configuration file; a problem for each other one. */
  private static List<ServerSetting> writable(
      List<ServerSetting> settings, List<ConfigurationProblem> problems) {
    List<ServerSetting> writable = new ArrayList<>();
    for (ServerSetting setting : settings) {
      Optional<String> nameProblem = PostgresqlConf.nameProblem(setting.name());
      if (nameProblem.isPresent()) {
        problems.add(
            ConfigurationProblem.of(setting.variable(), setting.value(), nameProblem.get()));
      } else if (setting.value().indexOf('\0') >= 0) {
        problems.add(
            ConfigurationProblem.of(
                setting.variable(), null, "a value cannot contain a NUL character"));
      } else {
        writable.add(setting);
      }
    }
    return writable;
  }

  /**
   * Lets the server read {@code settings} and adds a problem for each it rejects. The server
   * reports every unknown name and then stops, so after unknown names the rest is judged again.
   * Returns how many server runs it took.
   */
  private int judge(List<ServerSetting> settings, List<ConfigurationProblem> problems) {
    List<String> lines =
        settings.stream()
            .map(s -> PostgresqlConf.line(s.name(), s.value()))
            .collect(Collectors.toList());
    ServerProbe.ConfigFileVerdict verdict = probe.readConfigFile(lines);
    if (verdict.exitCode() == 0) {
      return 1;
    }
    Map<String, ServerSetting> byName = new HashMap<>();
    settings.forEach(setting -> byName.put(setting.name().toLowerCase(Locale.ROOT), setting));
    List<ServerSetting> unknown = new ArrayList<>();
    List<ServerLogMessage> unexplained = new ArrayList<>();
    int problemsBefore = problems.size();
    for (ServerLogMessage message : ServerLogMessage.parse(verdict.log())) {
      Optional<ServerSetting> about = settingOf(message, settings, byName);
      if (about.isEmpty()) {
        if (!SUMMARY.matcher(message.text()).matches()) {
          unexplained.add(message);
        }
      } else if (message.text().startsWith(UNKNOWN_NAME)) {
        unknown.add(about.get());
        problems.add(unknownName(about.get()));
      } else {
        problems.add(rejectedValue(about.get(), message));
      }
    }
    if (problems.size() == problemsBefore) {
      throw new PgcontainerException(
          server
              + " could not check the POSTGRESQL_* settings (exit "
              + verdict.exitCode()
              + "): "
              + verdict.log().strip());
    }
    unexplained.forEach(message -> LOG.warn("{} also said: {}", server, message.sentences()));
    List<ServerSetting> known = new ArrayList<>(settings);
    known.removeAll(unknown);
    return unknown.isEmpty() || known.isEmpty() ? 1 : 1 + judge(known, problems);
  }

  /**
   * The setting a message is about: by the parameter it names (always before any echoed value),
   * else by the file line it names (a syntax error names only the line).
   */
  private static Optional<ServerSetting> settingOf(
      ServerLogMessage message, List<ServerSetting> settings, Map<String, ServerSetting> byName) {
    Optional<ServerSetting> byParameter =
        message.parameterName().map(name -> byName.get(name.toLowerCase(Locale.ROOT)));
    OptionalInt line = message.fileLine();
    if (byParameter.isEmpty()
        && line.isPresent()
        && line.getAsInt() >= 1
        && line.getAsInt() <= settings.size()) {
      return Optional.of(settings.get(line.getAsInt() - 1));
    }
    return byParameter;
  }

  private ConfigurationProblem unknownName(ServerSetting setting) {
    String advice =
        Suggestions.closest(setting.name(), parametersByName().keySet())
            .map(this::spelledAsServerDoes)
            .map(name -> "did you mean " + variableFor(name) + " (" + name + ")?")
            .orElse(
                "`postgres --describe-config` lists the names it knows; an extension's parameter is its prefix, a"
                    + " double underscore and the name, e.g. POSTGRESQL_PG_STAT_STATEMENTS__MAX");
    return ConfigurationProblem.of(
        setting.variable(),
        setting.value(),
        server + " has no parameter '" + setting.name() + "': " + advice);
  }

  private ConfigurationProblem rejectedValue(ServerSetting setting, ServerLogMessage message) {
    StringBuilder text =
        new StringBuilder("rejected by ").append(server).append(": ").append(message.sentences());
    Matcher unitMatcher = UNIT_IN_RANGE_ERROR.matcher(message.text());
    Optional<String> unit =
        unitMatcher.find() ? Optional.of(unitMatcher.group(1)) : Optional.empty();
    if (!statesRangeWithUnit(message.text(), unit)) {
      parameter(setting.name())
          .flatMap(parameter -> parameter.acceptedValues(unit))
          .ifPresent(accepted -> text.append(" Accepted: ").append(accepted).append('.'));
    }
    String value = setting.value();
    if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
      text.append(" Give the value without surrounding quotes: pgcontainer quotes it.");
    }
    return ConfigurationProblem.of(setting.variable(), value, text.toString());
  }

  /**
   * Whether a range error already says all the catalogue could (from 16 on the range carries the
   * unit).
   */
  private static boolean statesRangeWithUnit(String text, Optional<String> unit) {
    int range = text.lastIndexOf(" (");
    return text.contains("outside the valid range")
        && unit.map(u -> range >= 0 && text.substring(range).contains(u)).orElse(true);
  }

  private String spelledAsServerDoes(String lowerCaseName) {
    return parametersByName().get(lowerCaseName).name();
  }

  /**
   * The variable that sets {@code parameter}: {@code pg_stat_statements.max} →
   * POSTGRESQL_PG_STAT_STATEMENTS__MAX.
   */
  private static String variableFor(String parameter) {
    return Variable.SERVER_SETTING_PREFIX + parameter.toUpperCase(Locale.ROOT).replace(".", "__");
  }

  private static int indexOfVariable(List<ServerSetting> settings, String variable) {
    for (int i = 0; i < settings.size(); i++) {
      if (settings.get(i).variable().equals(variable)) {
        return i;
      }
    }
    return settings.size();
  }

  /**
   * Parses --describe-config output, keyed by lower-case name; lines that are no parameter record
   * are skipped.
   */
  static Map<String, ServerParameter> parseDescribeConfig(String output) {
    Map<String, ServerParameter> parameters = new LinkedHashMap<>();
    output
        .lines()
        .map(ServerParameter::fromDescribeConfigLine)
        .flatMap(Optional::stream)
        .forEach(parameter -> parameters.put(parameter.name().toLowerCase(Locale.ROOT), parameter));
    return Collections.unmodifiableMap(parameters);
  }

  private static Map<String, ServerParameter> load(ServerProbe probe) {
    return parseDescribeConfig(probe.describeConfig());
  }
}
