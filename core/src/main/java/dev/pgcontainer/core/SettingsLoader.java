package dev.pgcontainer.core;

import dev.pgcontainer.core.Settings.AuthMethod;
import dev.pgcontainer.core.Settings.DiskThreshold;
import dev.pgcontainer.core.Settings.LogFormat;
import dev.pgcontainer.core.Settings.LogLevel;
import dev.pgcontainer.core.Settings.ServerSetting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the environment map once, collecting every problem before failing: the generic variables
 * here, the server settings, the features' through their rule sets ({@link FeatureSettingsRules}),
 * all with one {@link EnvironmentReader}.
 *
 * <p>Every launcher command starts here, in a cold JVM: the way through valid settings uses loops
 * and conditionals, not lambdas, method references or streams, as each of those costs the first
 * call a fraction of a millisecond to link.
 */
final class SettingsLoader {

  /** Prefixes of our own variables: an unknown name under one of them is most likely a typo. */
  private static final List<String> OWN_PREFIXES =
      List.of("HEALTH_", "POSTGRES_", "EXTERNAL_ACCESS_", "LOG_", "TIMEOUT", "SLEEP_");

  private static final Pattern SIZE = Pattern.compile("^(\\d+)\\s*(B|kB|KB|MB|GB|TB)?$");
  private static final Pattern PERCENT = Pattern.compile("^(\\d+)\\s*%$");

  private final Map<String, String> env;
  private final String hostName;
  private final EnvironmentReader reader;
  private final List<FeatureSettingsRules<?>> features;
  private final List<SettingsRule> rules;
  private final ServerSettingsRules serverSettingsRules;

  private SettingsLoader(
      Map<String, String> env,
      String hostName,
      ServerSettingsValidator serverSettingsValidator,
      List<FeatureSettingsRules<?>> features,
      List<SettingsRule> rules,
      List<ServerSetting> commandLineSettings) {
    this.env = env;
    this.hostName = hostName;
    this.reader = new EnvironmentReader(env);
    this.features = List.copyOf(features);
    this.rules = List.copyOf(rules);
    this.serverSettingsRules =
        new ServerSettingsRules(reader, serverSettingsValidator, List.copyOf(commandLineSettings));
  }

  /**
   * Reads {@code env} with the variables of {@code features}; server settings of the command line
   * ({@code postgres -c name=value}) are judged like {@code POSTGRESQL_*} ones and placed after
   * them: the last one wins, so they win over the environment, as on the official image.
   */
  static Settings load(
      Map<String, String> env,
      String hostName,
      ServerSettingsValidator serverSettingsValidator,
      List<FeatureSettingsRules<?>> features,
      List<SettingsRule> rules,
      List<ServerSetting> commandLineSettings) {
    return new SettingsLoader(
            env, hostName, serverSettingsValidator, features, rules, commandLineSettings)
        .load();
  }

  private Settings load() {
    checkUnknownVariables();
    Settings.Directories directories =
        new Settings.Directories(
            reader.absolutePath(Variable.PGDATA),
            reader.absolutePath(Variable.PGCONFIG),
            reader.absolutePath(Variable.PGLOG),
            reader.absolutePath(Variable.PGSOCKET),
            reader.optional(Variable.PG_BINDIR).isPresent()
                ? Optional.of(reader.absolutePath(Variable.PG_BINDIR))
                : Optional.empty());
    Settings.Logging logging =
        new Settings.Logging(
            reader.choice(Variable.LOG_LEVEL, LogLevel.class, LogLevel.INFO),
            reader.choice(Variable.LOG_FORMAT, LogFormat.class, LogFormat.TEXT));
    Duration timeout = Duration.ofSeconds(reader.positiveInt(Variable.TIMEOUT, 3600));
    Duration passwordTimeout =
        Duration.ofSeconds(reader.positiveInt(Variable.TIMEOUT_CHANGE_PASSWORD, 3600));
    boolean sleepMode = reader.bool(Variable.SLEEP_MODE);

    // Without a value (both X and X_FILE set, or an unreadable file) that problem is reported; the
    // default avoids a follow-up problem about a name the operator never wrote.
    String user =
        reader.roleName(
            Variable.POSTGRES_USER,
            reader
                .textOrFile(Variable.POSTGRES_USER)
                .orElse(Variable.POSTGRES_USER.defaultValue().orElseThrow()));
    Optional<Secret> password = reader.secret(Variable.POSTGRES_PASSWORD);
    Optional<String> givenDatabase = reader.textOrFile(Variable.POSTGRES_DB);
    String database =
        givenDatabase.isPresent()
            ? reader.identifier(Variable.POSTGRES_DB, givenDatabase.get())
            : user;
    List<String> initdbArguments = new ArrayList<>(initdbArguments());
    Optional<String> walDirectory = reader.optional(Variable.POSTGRES_INITDB_WALDIR);
    if (walDirectory.isPresent()) {
      initdbArguments.add("--waldir=" + reader.absolutePath(Variable.POSTGRES_INITDB_WALDIR));
    }
    Settings.Superuser superuser =
        new Settings.Superuser(user, password, database, initdbArguments);

    Settings.ExternalAccess access =
        new Settings.ExternalAccess(
            reader.bool(Variable.EXTERNAL_ACCESS_ENABLE), externalAccessMethod());
    if (access.enabled() && access.method() == AuthMethod.TRUST) {
      reader.warn(TRUST_WARNING);
    }
    if (access.enabled()
        && access.method() != AuthMethod.TRUST
        && password.isEmpty()
        && !reader.reported(Variable.POSTGRES_PASSWORD.name())) {
      reader.problem(
          ConfigurationProblem.missing(
              Variable.POSTGRES_PASSWORD.name(),
              "external access is enabled with method "
                  + access.method().keyword()
                  + " but no password is set, so no client could log in: set POSTGRES_PASSWORD or"
                  + " POSTGRES_PASSWORD_FILE, or EXTERNAL_ACCESS_ENABLE=false (or, as on the official image,"
                  + " POSTGRES_HOST_AUTH_METHOD=trust to let anyone in without a password)"));
    }

    List<ServerSetting> serverSettings = serverSettingsRules.read();
    Map<Class<?>, Object> featureSettings = new HashMap<>();
    FeatureSettingsRules.ReadSoFar readSoFar =
        new FeatureSettingsRules.ReadSoFar(
            hostName, superuser, access, serverSettings, featureSettings);
    for (FeatureSettingsRules<?> feature : features) {
      featureSettings.put(feature.settingsType(), feature.read(reader, readSoFar));
    }
    Settings.Health health =
        new Settings.Health(
            reader.text(Variable.HEALTH_LISTEN).isBlank()
                ? Optional.empty()
                : Optional.of(
                    reader.hostPort(Variable.HEALTH_LISTEN, reader.text(Variable.HEALTH_LISTEN))),
            diskThreshold());

    // Built even with problems, values with a problem holding their defaults, so that the rules run
    // on the rest.
    Settings settings =
        new Settings(
            directories,
            logging,
            timeout,
            passwordTimeout,
            sleepMode,
            superuser,
            access,
            serverSettings,
            health,
            featureSettings,
            reader.warnings());
    for (SettingsRule rule : rules) {
      rule.problems(settings).stream()
          .filter(p -> !reader.reported(p.variable()))
          .forEach(reader::problem);
    }
    reader.throwIfProblems();
    return settings;
  }

  /**
   * As the official image prints it, for the same reason: trust lets anyone who reaches the port
   * in.
   */
  private static final String TRUST_WARNING =
      String.join(
          "\n",
          "********************************************************************************",
          "WARNING: POSTGRES_HOST_AUTH_METHOD has been set to \"trust\". This allows",
          "         anyone with access to the PostgreSQL port to log in as any role without",
          "         a password, even if POSTGRES_PASSWORD is set. In Docker's default",
          "         configuration, that is any other container on the same host.",
          "         Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) and leave the method",
          "         at its default (scram-sha-256) instead.",
          "********************************************************************************");

  /**
   * The method of the external-access pg_hba rule: the official image's {@code
   * POSTGRES_HOST_AUTH_METHOD} and our {@code EXTERNAL_ACCESS_METHOD} mean the same thing, so
   * either may be set; both with different methods is an error.
   */
  private AuthMethod externalAccessMethod() {
    // trust only as the official image's variable says it, with its warning: our own takes password
    // methods only
    AuthMethod ours =
        reader.choice(
            Variable.EXTERNAL_ACCESS_METHOD,
            AuthMethod.class,
            List.of(AuthMethod.MD5, AuthMethod.PASSWORD, AuthMethod.SCRAM_SHA_256),
            AuthMethod.SCRAM_SHA_256);
    if (reader.optional(Variable.POSTGRES_HOST_AUTH_METHOD).isEmpty()) {
      return ours;
    }
    Optional<AuthMethod> official =
        reader.validChoice(Variable.POSTGRES_HOST_AUTH_METHOD, AuthMethod.class);
    boolean bothGiven = reader.optional(Variable.EXTERNAL_ACCESS_METHOD).isPresent();
    if (official.isPresent() && bothGiven && ours != official.get()) {
      reader.problem(
          ConfigurationProblem.of(
              Variable.POSTGRES_HOST_AUTH_METHOD.name(),
              reader.text(Variable.POSTGRES_HOST_AUTH_METHOD),
              "EXTERNAL_ACCESS_METHOD="
                  + reader.text(Variable.EXTERNAL_ACCESS_METHOD).trim()
                  + " says otherwise:"
                  + " both set the method of external clients, keep only one"));
    }
    return official.orElse(AuthMethod.SCRAM_SHA_256);
  }

  private void checkUnknownVariables() {
    for (String name : new TreeMap<>(env).keySet()) {
      String base =
          name.endsWith(Variable.FILE_SUFFIX) ? name.substring(0, name.length() - 5) : name;
      Optional<EnvironmentVariable> variable = variable(name);
      Optional<EnvironmentVariable> fileOf = variable(base);
      if (variable.isPresent()
          || (fileOf.isPresent() && fileOf.get().acceptsFile())
          || !hasOwnPrefix(name)) {
        continue;
      }
      List<String> known = new ArrayList<>();
      for (Variable core : Variable.values()) {
        known.add(core.name());
      }
      for (FeatureSettingsRules<?> feature : features) {
        for (EnvironmentVariable featureVariable : feature.variables()) {
          known.add(featureVariable.name());
        }
      }
      Optional<String> suggestion = Suggestions.closest(name, known);
      if (suggestion.isPresent()) {
        // The value is never shown: a mistyped name cannot tell whether it holds a secret.
        reader.problem(
            new ConfigurationProblem(
                name,
                Optional.empty(),
                "unknown variable: did you mean " + suggestion.get() + "?"));
      } else if (!isProgramVariable(name)) {
        reader.warn(name + " is not a pgcontainer variable and is ignored");
      }
    }
  }

  /** Core's variable or a feature's called {@code name}. */
  private Optional<EnvironmentVariable> variable(String name) {
    Optional<Variable> core = Variable.byName(name);
    if (core.isPresent()) {
      return Optional.of(core.get());
    }
    for (FeatureSettingsRules<?> feature : features) {
      for (EnvironmentVariable variable : feature.variables()) {
        if (variable.name().equals(name)) {
          return Optional.of(variable);
        }
      }
    }
    return Optional.empty();
  }

  private boolean hasOwnPrefix(String name) {
    for (String prefix : OWN_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    for (FeatureSettingsRules<?> feature : features) {
      for (String prefix : feature.prefixes()) {
        if (name.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isProgramVariable(String name) {
    for (FeatureSettingsRules<?> feature : features) {
      for (String prefix : feature.programPrefixes()) {
        if (name.startsWith(prefix)) {
          return true;
        }
      }
    }
    return false;
  }

  private DiskThreshold diskThreshold() {
    String value = reader.text(Variable.HEALTH_DISK_MIN_FREE).trim();
    Matcher percent = PERCENT.matcher(value);
    if (percent.matches()) {
      String digits = percent.group(1).replaceFirst("^0+(?=\\d)", "");
      if (digits.length() <= 3 && Integer.parseInt(digits) <= 100) {
        return DiskThreshold.ofPercent(Integer.parseInt(digits));
      }
      reader.problem(
          ConfigurationProblem.of(
              Variable.HEALTH_DISK_MIN_FREE.name(),
              value,
              "a percentage is the share of the file system that must stay free, from 0% to 100% (e.g. 5%);"
                  + " or give a size (500MB, 2GB)"));
      return DiskThreshold.ofPercent(0);
    }
    Matcher size = SIZE.matcher(value);
    if (size.matches()) {
      try {
        return DiskThreshold.ofBytes(
            Math.multiplyExact(Long.parseLong(size.group(1)), unit(size.group(2))));
      } catch (ArithmeticException | NumberFormatException e) {
        // reported below
      }
    }
    reader.problem(
        ConfigurationProblem.of(
            Variable.HEALTH_DISK_MIN_FREE.name(),
            value,
            "must be a percentage (5%) or a size (500MB, 2GB)"));
    return DiskThreshold.ofPercent(0);
  }

  private static long unit(String unit) {
    if (unit == null || unit.equals("B")) {
      return 1;
    }
    switch (unit.toUpperCase(Locale.ROOT)) {
      case "KB":
        return 1L << 10;
      case "MB":
        return 1L << 20;
      case "GB":
        return 1L << 30;
      default:
        return 1L << 40;
    }
  }

  private List<String> initdbArguments() {
    Optional<String> raw = reader.textOrFile(Variable.POSTGRES_INITDB_ARGS);
    if (raw.isEmpty()) {
      return List.of();
    }
    try {
      List<String> arguments = ShellWords.split(raw.get());
      for (String argument : arguments) {
        // initdb takes "--pgdata=DIR" and, like getopt, "-DDIR" with the value attached
        String option =
            argument.startsWith("--")
                ? argument.split("=", 2)[0]
                : argument.substring(0, Math.min(2, argument.length()));
        if (List.of("-D", "--pgdata", "-U", "--username", "--pwfile", "-W", "--pwprompt")
            .contains(option)) {
          reader.problem(
              ConfigurationProblem.of(
                  Variable.POSTGRES_INITDB_ARGS.name(),
                  raw.get(),
                  option
                      + " is set by the launcher: use PGDATA, POSTGRES_USER and POSTGRES_PASSWORD instead"));
        }
      }
      return arguments;
    } catch (IllegalArgumentException e) {
      reader.problem(
          ConfigurationProblem.of(Variable.POSTGRES_INITDB_ARGS.name(), raw.get(), e.getMessage()));
      return List.of();
    }
  }
}
