package dev.pgcontainer.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The whole environment-variable contract, parsed once into typed, immutable values. Build it with
 * {@link #fromEnvironment(Map)} (tests and embedders pass a map, the CLI passes {@code
 * System.getenv()}); every problem in the map is reported at once as a {@link
 * ConfigurationException}. A feature reads its own variables through its {@link
 * FeatureSettingsRules}, and finds its record with {@link #feature(Class)}.
 *
 * <p>Server settings ({@code POSTGRESQL_*}) are checked here for form only; their names and values
 * are checked against the real server's catalogue by a {@link ServerSettingsValidator} when
 * binaries are available.
 */
public record Settings(
    Directories directories,
    Logging logging,
    Duration timeout,
    Duration passwordChangeTimeout,
    boolean sleepMode,
    Superuser superuser,
    ExternalAccess externalAccess,
    List<ServerSetting> serverSettings,
    Health health,
    Map<Class<?>, Object> features,
    List<String> warnings) {

  /** PostgreSQL's own default port, used unless {@code POSTGRESQL_PORT} says otherwise. */
  public static final int DEFAULT_PORT = 5432;

  public Settings {
    serverSettings = List.copyOf(serverSettings);
    features = Map.copyOf(features);
    warnings = List.copyOf(warnings);
  }

  /**
   * The settings record of a feature whose rule set was read (see {@link FeatureSettingsRules}), by
   * its type.
   */
  public <T> Optional<T> feature(Class<T> type) {
    return Optional.ofNullable(type.cast(features.get(type)));
  }

  /**
   * Parses and validates {@code env} offline, core's variables only (the features' records are
   * their defaults): server settings are checked for form only. The host name for defaults comes
   * from {@code HOSTNAME} or the system.
   */
  public static Settings fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, HostName.fromEnvironment(env), ServerSettingsValidator.offline());
  }

  /** As {@link #fromEnvironment(Map)}, with the variables of {@code features} read too. */
  public static Settings fromEnvironment(
      Map<String, String> env, List<FeatureSettingsRules<?>> features) {
    return SettingsLoader.load(
        env,
        HostName.fromEnvironment(env),
        ServerSettingsValidator.offline(),
        features,
        List.of(),
        List.of());
  }

  /**
   * Parses and validates {@code env}, asking {@code serverSettingsValidator} (e.g. the installed
   * server's catalogue) about every {@code POSTGRESQL_*} variable, so its problems are reported
   * together with all others.
   */
  public static Settings fromEnvironment(
      Map<String, String> env, String hostName, ServerSettingsValidator serverSettingsValidator) {
    return SettingsLoader.load(
        env, hostName, serverSettingsValidator, List.of(), List.of(), List.of());
  }

  /**
   * As {@link #fromEnvironment(Map, String, ServerSettingsValidator)}, with the variables of {@code
   * features} read and {@code rules} judging the settings as well, so that their problems are
   * reported with all others; and the server settings of the command line ({@code postgres -c
   * name=value}, {@link ServerSetting#variable()} naming the option as given) judged like {@code
   * POSTGRESQL_*} ones; they come last, so they win over the environment.
   */
  public static Settings fromEnvironment(
      Map<String, String> env,
      String hostName,
      ServerSettingsValidator serverSettingsValidator,
      List<FeatureSettingsRules<?>> features,
      List<SettingsRule> rules,
      List<ServerSetting> commandLineSettings) {
    return SettingsLoader.load(
        env, hostName, serverSettingsValidator, features, rules, commandLineSettings);
  }

  /**
   * The host name defaults are derived from: {@code HOSTNAME} as containers set it, else the
   * system's.
   */
  public static String hostName(Map<String, String> env) {
    return HostName.fromEnvironment(env);
  }

  /** The server setting passed through for {@code name} (lower case, dotted), if any. */
  public Optional<String> serverSetting(String name) {
    // The last one wins, as in postgresql.conf. A loop rather than a stream: rendering asks this in
    // a cold JVM.
    Optional<String> value = Optional.empty();
    for (ServerSetting setting : serverSettings) {
      if (setting.name().equals(name)) {
        value = Optional.of(setting.value());
      }
    }
    return value;
  }

  /** The port the server listens on: {@code POSTGRESQL_PORT} or 5432. */
  public int port() {
    Optional<String> port = serverSetting("port");
    return port.isPresent() ? Integer.parseInt(port.get().trim()) : DEFAULT_PORT;
  }

  /** Where the launcher writes and reads its files. */
  public record Directories(
      Path data, Path config, Path log, Path socket, Optional<Path> binaries) {}

  public record Logging(LogLevel level, LogFormat format) {

    /**
     * {@code LOG_LEVEL} and {@code LOG_FORMAT} read by the same rules as {@link
     * #fromEnvironment(Map)}, an invalid value giving its default: logging starts before, and must
     * work without, valid Settings (validation reports the value).
     */
    public static Logging fromEnvironmentOrDefaults(Map<String, String> env) {
      return new Logging(
          EnvironmentReader.parseChoice(env, Variable.LOG_LEVEL, LogLevel.class)
              .orElse(LogLevel.INFO),
          EnvironmentReader.parseChoice(env, Variable.LOG_FORMAT, LogFormat.class)
              .orElse(LogFormat.TEXT));
    }
  }

  public enum LogLevel {
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  public enum LogFormat {
    TEXT,
    JSON
  }

  /**
   * The superuser initdb creates and the database made at init.
   *
   * @param initdbArguments {@code POSTGRES_INITDB_ARGS} split like a shell would, then {@code
   *     --waldir} of {@code POSTGRES_INITDB_WALDIR}
   */
  public record Superuser(
      String name, Optional<Secret> password, String database, List<String> initdbArguments) {
    private static final String WALDIR_OPTION = "--waldir=";

    public Superuser {
      initdbArguments = List.copyOf(initdbArguments);
    }

    /**
     * The WAL directory initdb is told to use (POSTGRES_INITDB_WALDIR, or --waldir in
     * POSTGRES_INITDB_ARGS).
     */
    public Optional<Path> walDirectory() {
      Optional<Path> directory = Optional.empty();
      for (String argument : initdbArguments) {
        if (argument.startsWith(WALDIR_OPTION)) {
          directory = Optional.of(Path.of(argument.substring(WALDIR_OPTION.length())));
        }
      }
      return directory;
    }
  }

  public record ExternalAccess(boolean enabled, AuthMethod method) {}

  /**
   * Methods a pg_hba rule for external clients may use: password methods, and trust (see {@link
   * #TRUST}).
   */
  public enum AuthMethod {
    MD5("md5"),
    PASSWORD("password"),
    SCRAM_SHA_256("scram-sha-256"),
    /**
     * No password at all: only as the official image's POSTGRES_HOST_AUTH_METHOD sets it, with a
     * loud warning.
     */
    TRUST("trust");

    private final String keyword;

    AuthMethod(String keyword) {
      this.keyword = keyword;
    }

    /** The word pg_hba.conf uses. */
    public String keyword() {
      return keyword;
    }
  }

  /**
   * One {@code POSTGRESQL_<NAME>} variable.
   *
   * @param variable the environment variable, e.g. {@code POSTGRESQL_PG_STAT_STATEMENTS__MAX}
   * @param name the server parameter, e.g. {@code pg_stat_statements.max}
   * @param value the value exactly as given
   */
  public record ServerSetting(String variable, String name, String value) {
    /**
     * The parameter a {@code POSTGRESQL_} variable sets: lower case, double underscore for a dot.
     */
    public static String parameterName(String variable) {
      return variable
          .substring(Variable.SERVER_SETTING_PREFIX.length())
          .toLowerCase(Locale.ROOT)
          .replace("__", ".");
    }
  }

  /** A host and port such as {@code 0.0.0.0:8008} or {@code [::1]:2379}. */
  public record HostPort(String host, int port) {
    /**
     * Where to connect to reach a server listening here: a wildcard address means this host, i.e.
     * loopback.
     */
    public HostPort connectable() {
      return switch (host) {
        case "0.0.0.0", "*", "" -> new HostPort("127.0.0.1", port);
        case "::" -> new HostPort("::1", port);
        default -> this;
      };
    }

    @Override
    public String toString() {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  /**
   * @param listen where the HTTP endpoint listens; empty when {@code HEALTH_LISTEN} is set to the
   *     empty string
   */
  public record Health(Optional<HostPort> listen, DiskThreshold diskMinFree) {}

  /**
   * Free space the disk probe requires: a share of the file system, or an absolute number of bytes.
   */
  public record DiskThreshold(OptionalInt percent, long bytes) {
    public static DiskThreshold ofPercent(int percent) {
      return new DiskThreshold(OptionalInt.of(percent), 0);
    }

    public static DiskThreshold ofBytes(long bytes) {
      return new DiskThreshold(OptionalInt.empty(), bytes);
    }

    /** Whether {@code free} bytes out of {@code total} meet the threshold. */
    public boolean isMet(long free, long total) {
      return percent.isPresent() ? free * 100 >= (long) percent.getAsInt() * total : free >= bytes;
    }
  }
}
