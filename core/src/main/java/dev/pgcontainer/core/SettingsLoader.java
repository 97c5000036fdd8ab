package dev.pgcontainer.core;

import dev.pgcontainer.core.Settings.AuthMethod;
import dev.pgcontainer.core.Settings.CitusRole;
import dev.pgcontainer.core.Settings.DiskThreshold;
import dev.pgcontainer.core.Settings.HostPort;
import dev.pgcontainer.core.Settings.LogFormat;
import dev.pgcontainer.core.Settings.LogLevel;
import dev.pgcontainer.core.Settings.ServerSetting;
import dev.pgcontainer.core.Settings.WatchdogMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the environment map once, collecting every problem before failing.
 *
 * <p>Every launcher command starts here, in a cold JVM: the way through valid settings uses loops and conditionals,
 * not lambdas, method references or streams, as each of those costs the first call a fraction of a millisecond to
 * link.
 */
final class SettingsLoader {

  /** Prefixes of our own variables: an unknown name under one of them is most likely a typo. */
  private static final List<String> OWN_PREFIXES =
      List.of("PATRONI_", "BACKUP_", "RESTORE_", "CITUS_", "HEALTH_", "POSTGRES_", "EXTERNAL_ACCESS_", "LOG_",
          "TIMEOUT", "SLEEP_");

  /**
   * Patroni reads its own {@code PATRONI_*} variables (e.g. {@code PATRONI_LOG_LEVEL}), so a far-off name under that
   * prefix is left to Patroni; only near-misses of ours are errors.
   */
  private static final String PATRONI_NATIVE_PREFIX = "PATRONI_";

  private static final Pattern HOST_PORT = Pattern.compile("^(?:\\[([0-9A-Fa-f:.]+)]|([^:\\[\\]]+)):(\\d{1,5})$");
  private static final Pattern DECIMAL = Pattern.compile("^[0-9]+$");
  private static final Pattern SIZE = Pattern.compile("^(\\d+)\\s*(B|kB|KB|MB|GB|TB)?$");
  private static final Pattern PERCENT = Pattern.compile("^(\\d+)\\s*%$");
  private static final Pattern SERVER_SETTING_NAME = Pattern.compile("^[A-Z][A-Z0-9_]*[A-Z0-9]$");
  private static final int MAX_IDENTIFIER_BYTES = 63;
  private static final String RESERVED_ROLE_PREFIX = "pg_";
  private static final Pattern STANZA = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]*$");

  /** Parameters the launcher sets when backups are enabled; archive_library would take archive_command's place. */
  private static final List<String> ARCHIVE_PARAMETERS_OF_BACKUPS = List.of("archive_command", "archive_library");

  /** archive_mode values that keep archiving on (the server also takes the boolean spellings of on). */
  private static final List<String> ARCHIVE_MODES_WITH_BACKUPS = List.of("on", "always", "true", "yes", "1");

  /** Server parameters the launcher must know to find the server, mapped to the variable that sets them. */
  private static final Map<String, String> LAUNCHER_OWNED_PARAMETERS =
      Map.of(
          "data_directory", Variable.PGDATA.name(),
          "config_file", Variable.PGCONFIG.name(),
          "unix_socket_directories", Variable.PGSOCKET.name());

  private final Map<String, String> env;
  private final String hostName;
  private final ServerSettingsValidator serverSettingsValidator;
  private final ScheduleValidator scheduleValidator;
  private final List<SettingsRule> rules;
  private final List<ServerSetting> commandLineSettings;
  private final List<ConfigurationProblem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  private SettingsLoader(
      Map<String, String> env, String hostName, ServerSettingsValidator serverSettingsValidator,
      ScheduleValidator scheduleValidator, List<SettingsRule> rules, List<ServerSetting> commandLineSettings) {
    this.env = env;
    this.hostName = hostName;
    this.serverSettingsValidator = serverSettingsValidator;
    this.scheduleValidator = scheduleValidator;
    this.rules = List.copyOf(rules);
    this.commandLineSettings = List.copyOf(commandLineSettings);
  }

  static Settings load(
      Map<String, String> env, String hostName, ServerSettingsValidator serverSettingsValidator,
      ScheduleValidator scheduleValidator, List<SettingsRule> rules) {
    return load(env, hostName, serverSettingsValidator, scheduleValidator, rules, List.of());
  }

  /**
   * As {@link #load(Map, String, ServerSettingsValidator, ScheduleValidator, List)}, with server settings of the
   * command line ({@code postgres -c name=value}) judged like {@code POSTGRESQL_*} ones and placed after them: the
   * last one wins, so they win over the environment, as on the official image.
   */
  static Settings load(
      Map<String, String> env, String hostName, ServerSettingsValidator serverSettingsValidator,
      ScheduleValidator scheduleValidator, List<SettingsRule> rules, List<ServerSetting> commandLineSettings) {
    return new SettingsLoader(env, hostName, serverSettingsValidator, scheduleValidator, rules, commandLineSettings)
        .load();
  }

  private Settings load() {
    checkUnknownVariables();
    Settings.Directories directories =
        new Settings.Directories(
            absolutePath(Variable.PGDATA),
            absolutePath(Variable.PGCONFIG),
            absolutePath(Variable.PGLOG),
            absolutePath(Variable.PGSOCKET),
            optional(Variable.PG_BINDIR).isPresent()
                ? Optional.of(absolutePath(Variable.PG_BINDIR))
                : Optional.empty());
    Settings.Logging logging =
        new Settings.Logging(
            choice(Variable.LOG_LEVEL, LogLevel.class, LogLevel.INFO),
            choice(Variable.LOG_FORMAT, LogFormat.class, LogFormat.TEXT));
    Duration timeout = Duration.ofSeconds(positiveInt(Variable.TIMEOUT, 3600));
    Duration passwordTimeout = Duration.ofSeconds(positiveInt(Variable.TIMEOUT_CHANGE_PASSWORD, 3600));
    boolean sleepMode = bool(Variable.SLEEP_MODE);

    // Without a value (both X and X_FILE set, or an unreadable file) that problem is reported; the default avoids
    // a follow-up problem about a name the operator never wrote.
    String user =
        roleName(
            Variable.POSTGRES_USER,
            textOrFile(Variable.POSTGRES_USER).orElse(Variable.POSTGRES_USER.defaultValue().orElseThrow()));
    Optional<Secret> password = secret(Variable.POSTGRES_PASSWORD);
    Optional<String> givenDatabase = textOrFile(Variable.POSTGRES_DB);
    String database = givenDatabase.isPresent() ? identifier(Variable.POSTGRES_DB, givenDatabase.get()) : user;
    List<String> initdbArguments = new ArrayList<>(initdbArguments());
    Optional<String> walDirectory = optional(Variable.POSTGRES_INITDB_WALDIR);
    if (walDirectory.isPresent()) {
      initdbArguments.add("--waldir=" + absolutePath(Variable.POSTGRES_INITDB_WALDIR));
    }
    Settings.Superuser superuser = new Settings.Superuser(user, password, database, initdbArguments);

    Settings.ExternalAccess access =
        new Settings.ExternalAccess(bool(Variable.EXTERNAL_ACCESS_ENABLE), externalAccessMethod());
    if (access.enabled() && access.method() == AuthMethod.TRUST) {
      warnings.add(TRUST_WARNING);
    }
    if (access.enabled() && access.method() != AuthMethod.TRUST && password.isEmpty()
        && !reported(Variable.POSTGRES_PASSWORD.name())) {
      problems.add(
          ConfigurationProblem.missing(
              Variable.POSTGRES_PASSWORD.name(),
              "external access is enabled with method "
                  + access.method().keyword()
                  + " but no password is set, so no client could log in: set POSTGRES_PASSWORD or"
                  + " POSTGRES_PASSWORD_FILE, or EXTERNAL_ACCESS_ENABLE=false (or, as on the official image,"
                  + " POSTGRES_HOST_AUTH_METHOD=trust to let anyone in without a password)"));
    }

    List<ServerSetting> serverSettings = serverSettings();
    Settings.Patroni patroni = patroni(password);
    Settings.Backup backup = backup();
    checkArchivingLeftToBackups(backup, serverSettings);
    Settings.Citus citus = citus(database, patroni, access);
    Settings.Health health =
        new Settings.Health(
            text(Variable.HEALTH_LISTEN).isBlank()
                ? Optional.empty()
                : Optional.of(hostPort(Variable.HEALTH_LISTEN, text(Variable.HEALTH_LISTEN))),
            diskThreshold());

    // Built even with problems, values with a problem holding their defaults, so that the rules run on the rest.
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
            patroni,
            backup,
            citus,
            health,
            warnings);
    for (SettingsRule rule : rules) {
      rule.problems(settings).stream().filter(p -> !reported(p.variable())).forEach(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    return settings;
  }

  /** As the official image prints it, for the same reason: trust lets anyone who reaches the port in. */
  private static final String TRUST_WARNING = String.join("\n",
      "********************************************************************************",
      "WARNING: POSTGRES_HOST_AUTH_METHOD has been set to \"trust\". This allows",
      "         anyone with access to the PostgreSQL port to log in as any role without",
      "         a password, even if POSTGRES_PASSWORD is set. In Docker's default",
      "         configuration, that is any other container on the same host.",
      "         Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) and leave the method",
      "         at its default (scram-sha-256) instead.",
      "********************************************************************************");

  /**
   * The method of the external-access pg_hba rule: the official image's {@code POSTGRES_HOST_AUTH_METHOD} and our
   * {@code EXTERNAL_ACCESS_METHOD} mean the same thing, so either may be set; both with different methods is an error.
   */
  private AuthMethod externalAccessMethod() {
    // trust only as the official image's variable says it, with its warning: our own takes password methods only
    AuthMethod ours = choice(Variable.EXTERNAL_ACCESS_METHOD, AuthMethod.class,
        List.of(AuthMethod.MD5, AuthMethod.PASSWORD, AuthMethod.SCRAM_SHA_256), AuthMethod.SCRAM_SHA_256);
    if (optional(Variable.POSTGRES_HOST_AUTH_METHOD).isEmpty()) {
      return ours;
    }
    int problemsBefore = problems.size();
    AuthMethod official = choice(Variable.POSTGRES_HOST_AUTH_METHOD, AuthMethod.class, AuthMethod.SCRAM_SHA_256);
    boolean bothGiven = optional(Variable.EXTERNAL_ACCESS_METHOD).isPresent();
    if (problems.size() == problemsBefore && bothGiven && ours != official) {
      problems.add(
          ConfigurationProblem.of(
              Variable.POSTGRES_HOST_AUTH_METHOD.name(), text(Variable.POSTGRES_HOST_AUTH_METHOD),
              "EXTERNAL_ACCESS_METHOD=" + text(Variable.EXTERNAL_ACCESS_METHOD).trim() + " says otherwise: both set the"
                  + " method of external clients, keep only one"));
    }
    return official;
  }

  /** Whether a problem about {@code variable} (or its {@code _FILE} twin) is already reported. */
  private boolean reported(String variable) {
    String base =
        variable.endsWith(Variable.FILE_SUFFIX)
            ? variable.substring(0, variable.length() - Variable.FILE_SUFFIX.length())
            : variable;
    for (ConfigurationProblem problem : problems) {
      if (problem.variable().equals(base) || problem.variable().equals(base + Variable.FILE_SUFFIX)) {
        return true;
      }
    }
    return false;
  }

  private Settings.Patroni patroni(Optional<Secret> superuserPassword) {
    boolean enabled = bool(Variable.PATRONI_ENABLE);
    Optional<Secret> replicationPassword = secret(Variable.PATRONI_REPLICATION_PASSWORD);
    WatchdogMode watchdog = choice(Variable.PATRONI_WATCHDOG_MODE, WatchdogMode.class, WatchdogMode.OFF);
    List<HostPort> etcdHosts = new ArrayList<>();
    for (String host : text(Variable.PATRONI_ETCD_HOSTS).split(",")) {
      if (!host.trim().isEmpty()) {
        etcdHosts.add(hostPort(Variable.PATRONI_ETCD_HOSTS, host.trim()));
      }
    }
    if (etcdHosts.isEmpty()) {
      problems.add(
          ConfigurationProblem.missing(
              Variable.PATRONI_ETCD_HOSTS.name(), "needs at least one host:port, e.g. etcd1:2379,etcd2:2379"));
    }
    if (watchdog == WatchdogMode.REQUIRED && !enabled) {
      problems.add(
          ConfigurationProblem.of(
              Variable.PATRONI_WATCHDOG_MODE.name(),
              text(Variable.PATRONI_WATCHDOG_MODE),
              "the watchdog is Patroni's: 'required' needs PATRONI_ENABLE=true"));
    }
    if (enabled) {
      if (superuserPassword.isEmpty() && !reported(Variable.POSTGRES_PASSWORD.name())) {
        problems.add(
            ConfigurationProblem.missing(
                Variable.POSTGRES_PASSWORD.name(),
                "Patroni connects to other members as the superuser (pg_rewind): set POSTGRES_PASSWORD or"
                    + " POSTGRES_PASSWORD_FILE"));
      }
      if (replicationPassword.isEmpty() && !reported(Variable.PATRONI_REPLICATION_PASSWORD.name())) {
        problems.add(
            ConfigurationProblem.missing(
                Variable.PATRONI_REPLICATION_PASSWORD.name(),
                "replicas authenticate with it: set PATRONI_REPLICATION_PASSWORD or PATRONI_REPLICATION_PASSWORD_FILE"));
      }
    }
    int problemsBeforeTimings = problems.size();
    int ttl = positiveInt(Variable.PATRONI_TTL, 3600);
    int loopWait = positiveInt(Variable.PATRONI_LOOP_WAIT, 3600);
    int retryTimeout = positiveInt(Variable.PATRONI_RETRY_TIMEOUT, 3600);
    boolean timingsValid = problems.size() == problemsBeforeTimings;
    if (enabled && timingsValid && loopWait + 2 * retryTimeout > ttl) {
      // Patroni's own rule: otherwise the leader key can expire between two loops and the cluster flaps.
      problems.add(
          ConfigurationProblem.of(
              Variable.PATRONI_TTL.name(),
              String.valueOf(ttl),
              "must be at least PATRONI_LOOP_WAIT + 2 * PATRONI_RETRY_TIMEOUT (" + (loopWait + 2 * retryTimeout)
                  + ")"));
    }
    return new Settings.Patroni(
        enabled,
        nonBlank(Variable.PATRONI_SCOPE),
        optional(Variable.PATRONI_NAME).orElse(hostName),
        nonBlank(Variable.PATRONI_NAMESPACE),
        etcdHosts,
        hostPort(Variable.PATRONI_RESTAPI_LISTEN, text(Variable.PATRONI_RESTAPI_LISTEN)),
        optional(Variable.PATRONI_CONNECT_ADDRESS).orElse(hostName),
        roleName(Variable.PATRONI_REPLICATION_USER, text(Variable.PATRONI_REPLICATION_USER)),
        replicationPassword,
        ttl,
        loopWait,
        retryTimeout,
        bool(Variable.PATRONI_SYNCHRONOUS_MODE),
        watchdog,
        Path.of(text(Variable.PATRONI_WATCHDOG_DEVICE)),
        nonNegativeInt(Variable.PATRONI_WATCHDOG_SAFETY_MARGIN));
  }

  private Settings.Backup backup() {
    boolean enabled = bool(Variable.BACKUP_ENABLED);
    boolean restore = bool(Variable.RESTORE_FROM_BACKUP);
    Optional<String> givenTarget = optional(Variable.RESTORE_TARGET_TIME);
    Optional<OffsetDateTime> target = givenTarget.isPresent() ? targetTime(givenTarget.get()) : Optional.empty();
    if (restore && !enabled) {
      problems.add(
          ConfigurationProblem.of(
              Variable.RESTORE_FROM_BACKUP.name(),
              text(Variable.RESTORE_FROM_BACKUP),
              "restoring needs the backup repository: set BACKUP_ENABLED=true"));
    }
    if (optional(Variable.RESTORE_TARGET_TIME).isPresent() && !(restore && enabled)) {
      problems.add(
          ConfigurationProblem.of(
              Variable.RESTORE_TARGET_TIME.name(),
              text(Variable.RESTORE_TARGET_TIME),
              "a restore target is only used with BACKUP_ENABLED=true and RESTORE_FROM_BACKUP=true"));
    }
    return new Settings.Backup(
        enabled,
        stanza(),
        absolutePath(Variable.BACKUP_REPO_PATH),
        positiveInt(Variable.BACKUP_RETENTION_FULL, 9_999_999),
        positiveInt(Variable.BACKUP_RETENTION_DIFF, 9_999_999),
        cron(Variable.BACKUP_SCHEDULE_FULL),
        cron(Variable.BACKUP_SCHEDULE_DIFF),
        cron(Variable.BACKUP_SCHEDULE_INCR),
        restore,
        target);
  }

  /** A DNS name (labels of letters, digits, hyphens and, as container runtimes allow, underscores) or IPv4 address. */
  private static final Pattern NODE_HOST_NAME = Pattern.compile(
      "^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$");

  /** CITUS_NODE_HOST of a node the others reach on this host only. */
  private static final Pattern LOOPBACK =
      Pattern.compile("^(localhost|127(\\.\\d{1,3}){3}|::1)$", Pattern.CASE_INSENSITIVE);

  /** An IPv6 address without brackets, as citus_add_node takes it: at least two colons, so never host:port. */
  private static final Pattern NODE_HOST_IPV6 = Pattern.compile("^(?=(?:[^:]*:){2})[0-9A-Fa-f:.]+$");

  private static final int MAX_HOST_NAME_LENGTH = 253;

  private Settings.Citus citus(String database, Settings.Patroni patroni, Settings.ExternalAccess access) {
    boolean enabled = bool(Variable.CITUS_ENABLE);
    CitusRole role = choice(Variable.CITUS_ROLE, CitusRole.class, CitusRole.STANDALONE);
    boolean underPatroni = enabled && patroni.enabled();
    if (enabled && role == CitusRole.WORKER) {
      workerCoordinator(underPatroni);
    }
    if (underPatroni && bool(Variable.CITUS_AUTO_REGISTER_WORKERS)) {
      warnings.add("CITUS_AUTO_REGISTER_WORKERS=true is ignored with PATRONI_ENABLE=true: the coordinator's Patroni"
          + " registers the leader of each worker group (at its PATRONI_CONNECT_ADDRESS)");
    }
    Optional<String> givenNodeHost = optional(Variable.CITUS_NODE_HOST);
    String nodeHost = givenNodeHost.isPresent() ? nodeHost(givenNodeHost.get()) : hostName;
    if (enabled && !patroni.enabled() && role != CitusRole.STANDALONE && !access.enabled()) {
      checkReachableByOtherNodes(role, nodeHost);
    }
    Optional<String> givenDatabase = optional(Variable.CITUS_DATABASE);
    return new Settings.Citus(
        enabled,
        role,
        nonBlank(Variable.CITUS_COORDINATOR_HOST),
        port(Variable.CITUS_COORDINATOR_PORT),
        bool(Variable.CITUS_AUTO_REGISTER_WORKERS),
        nodeHost,
        givenDatabase.isPresent() ? identifier(Variable.CITUS_DATABASE, givenDatabase.get()) : database,
        citusGroup(role, underPatroni));
  }

  /**
   * Without Patroni a worker needs CITUS_COORDINATOR_HOST to register and to answer {@code citus status}; under
   * Patroni its Patroni finds the coordinator in etcd (the group-0 leader of the same scope): the variable is unused.
   */
  private void workerCoordinator(boolean underPatroni) {
    boolean given = optional(Variable.CITUS_COORDINATOR_HOST).isPresent();
    if (!underPatroni && !given) {
      problems.add(
          ConfigurationProblem.missing(
              Variable.CITUS_COORDINATOR_HOST.name(),
              "a worker must know its coordinator: set CITUS_COORDINATOR_HOST to the coordinator's host name"));
    } else if (underPatroni && given) {
      warnings.add("CITUS_COORDINATOR_HOST is ignored with PATRONI_ENABLE=true: Patroni finds the coordinator (group 0"
          + " of PATRONI_SCOPE) in etcd");
    }
  }

  /**
   * CITUS_GROUP: 0 for a coordinator (and a standalone node) unless given; under Patroni, where it is the Patroni Citus
   * group, a worker must give its own (1 or more) and a coordinator's must be 0.
   */
  private OptionalInt citusGroup(CitusRole role, boolean underPatroni) {
    Optional<String> given = optional(Variable.CITUS_GROUP);
    if (given.isEmpty()) {
      if (role != CitusRole.WORKER) {
        return OptionalInt.of(0);
      }
      if (underPatroni) {
        problems.add(
            ConfigurationProblem.missing(
                Variable.CITUS_GROUP.name(), "a worker under Patroni needs its group number (1, 2, ...)"));
      }
      return OptionalInt.empty();
    }
    int problemsBefore = problems.size();
    int group = nonNegativeInt(Variable.CITUS_GROUP);
    if (underPatroni && problems.size() == problemsBefore) {
      if (role == CitusRole.WORKER && group == 0) {
        problems.add(
            ConfigurationProblem.of(
                Variable.CITUS_GROUP.name(), given.get(),
                "a worker's group is 1 or more (group 0 is the coordinator's): give each worker group its own number"));
      } else if (role != CitusRole.WORKER && group != 0) {
        problems.add(
            ConfigurationProblem.of(
                Variable.CITUS_GROUP.name(), given.get(),
                "a " + role.name().toLowerCase(Locale.ROOT) + " is group 0: set CITUS_GROUP=0 or leave it unset, or"
                    + " CITUS_ROLE=worker for a worker group"));
      }
    }
    return OptionalInt.of(group);
  }

  /** CITUS_NODE_HOST goes to citus_add_node as the node's name: a host name or an IP address, the port apart. */
  private String nodeHost(String value) {
    boolean valid = value.length() <= MAX_HOST_NAME_LENGTH
        && (NODE_HOST_NAME.matcher(value).matches() || NODE_HOST_IPV6.matcher(value).matches());
    if (!valid) {
      problems.add(
          ConfigurationProblem.of(
              Variable.CITUS_NODE_HOST.name(), value,
              "must be a host name or an IP address without a port or brackets, e.g. worker-1, worker-1.db.svc,"
                  + " 10.0.0.5 or fd00::5 (the port is the server's own, POSTGRESQL_PORT)"));
    }
    return value;
  }

  /**
   * With EXTERNAL_ACCESS_ENABLE=false the server listens on localhost only and pg_hba admits no remote host, so the
   * other nodes could not reach a coordinator or worker: a problem unless every node runs on this host, as its
   * loopback CITUS_NODE_HOST says.
   */
  private void checkReachableByOtherNodes(CitusRole role, String nodeHost) {
    if (LOOPBACK.matcher(nodeHost).matches()) {
      return;
    }
    problems.add(
        ConfigurationProblem.of(
            Variable.EXTERNAL_ACCESS_ENABLE.name(), text(Variable.EXTERNAL_ACCESS_ENABLE),
            "a Citus " + role.name().toLowerCase(Locale.ROOT) + " is reached by the other nodes over TCP at"
                + " CITUS_NODE_HOST=" + nodeHost + ", but without external access the server listens on localhost"
                + " only and admits no remote host: set EXTERNAL_ACCESS_ENABLE=true (logins still need the password),"
                + " or CITUS_NODE_HOST=127.0.0.1 when every node runs on this host"));
  }

  private List<ServerSetting> serverSettings() {
    List<ServerSetting> settings = new ArrayList<>();
    for (Map.Entry<String, String> entry : new TreeMap<>(env).entrySet()) {
      String variable = entry.getKey();
      if (!variable.startsWith(Variable.SERVER_SETTING_PREFIX)) {
        continue;
      }
      String suffix = variable.substring(Variable.SERVER_SETTING_PREFIX.length());
      if (!SERVER_SETTING_NAME.matcher(suffix).matches() || suffix.contains("___") || suffix.startsWith("_")) {
        problems.add(
            ConfigurationProblem.of(
                variable,
                entry.getValue(),
                "not a server setting name: use POSTGRESQL_ followed by the setting in upper case, with __ for a dot"
                    + " (e.g. POSTGRESQL_SHARED_BUFFERS, POSTGRESQL_PG_STAT_STATEMENTS__MAX)"));
        continue;
      }
      addIfWritable(new ServerSetting(variable, ServerSetting.parameterName(variable), entry.getValue()), settings);
    }
    for (ServerSetting setting : commandLineSettings) {
      addIfWritable(setting, settings);
    }
    // Settings.port() and every file naming the port read a decimal number; the server's catalogue would also take
    // e.g. 0x1538, and is not asked about a port already reported here.
    List<ServerSetting> judged = new ArrayList<>(settings.size());
    for (ServerSetting setting : settings) {
      int problemsBefore = problems.size();
      if (setting.name().equals("port")) {
        port(setting.variable(), setting.value());
      }
      if (problems.size() == problemsBefore) {
        judged.add(setting);
      }
    }
    ServerSettingsValidator.Result checked = serverSettingsValidator.validate(judged);
    problems.addAll(checked.problems());
    if (checked.skippedReason().isPresent()) {
      warnings.add("server settings not checked: " + checked.skippedReason().get());
    }
    // Without a port it cannot read, Settings.port() gives the default to the rules that run despite problems.
    return judged;
  }

  /**
   * Adds {@code setting} unless the launcher owns its parameter or its value holds NUL or another control character,
   * which are problems.
   */
  private void addIfWritable(ServerSetting setting, List<ServerSetting> settings) {
    String launcherVariable = LAUNCHER_OWNED_PARAMETERS.get(setting.name());
    if (launcherVariable != null) {
      problems.add(
          ConfigurationProblem.of(
              setting.variable(), setting.value(),
              "the launcher sets this parameter itself: use " + launcherVariable + " instead"));
    } else if (setting.value().indexOf('\0') >= 0) {
      problems.add(
          ConfigurationProblem.of(
              setting.variable(), setting.value(), "a setting value cannot contain a NUL character"));
    } else if (controlCharacter(setting.value()).isPresent()) {
      problems.add(
          ConfigurationProblem.of(
              setting.variable(), setting.value(),
              "must not contain a control character (here " + controlCharacter(setting.value()).get()
                  + "): the server would take the value cut short or not at all: write it on one line, without"
                  + " escape sequences"));
    } else {
      settings.add(setting);
    }
  }

  private void checkUnknownVariables() {
    for (String name : new TreeMap<>(env).keySet()) {
      String base = name.endsWith(Variable.FILE_SUFFIX) ? name.substring(0, name.length() - 5) : name;
      if (Variable.byName(name).isPresent()
          || (Variable.byName(base).isPresent() && Variable.byName(base).get().acceptsFile())
          || !hasOwnPrefix(name)) {
        continue;
      }
      List<String> known = new ArrayList<>();
      for (Variable variable : Variable.values()) {
        known.add(variable.name());
      }
      Optional<String> suggestion = Suggestions.closest(name, known);
      if (suggestion.isPresent()) {
        // The value is never shown: a mistyped name cannot tell whether it holds a secret.
        problems.add(
            new ConfigurationProblem(
                name, Optional.empty(), "unknown variable: did you mean " + suggestion.get() + "?"));
      } else if (!name.startsWith(PATRONI_NATIVE_PREFIX)) {
        warnings.add(name + " is not a pgcontainer variable and is ignored");
      }
    }
  }

  private static boolean hasOwnPrefix(String name) {
    for (String prefix : OWN_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  // ---- single values ----

  /** The raw value, or the variable's default when unset; empty string when it has none. */
  private String text(Variable variable) {
    String value = env.get(variable.name());
    return value != null ? value : variable.defaultValue().orElse("");
  }

  /** The value when set to something other than blank, else empty (no default). */
  private Optional<String> optional(Variable variable) {
    String value = env.get(variable.name());
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private String nonBlank(Variable variable) {
    String value = text(variable).trim();
    if (value.isEmpty()) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(), value, "must not be empty (default " + variable.defaultValue().orElse("none") + ")"));
    }
    return value;
  }

  /** A value that may also come from {@code X_FILE}; setting both is an error. */
  private Optional<String> textOrFile(Variable variable) {
    String fileVariable = variable.name() + Variable.FILE_SUFFIX;
    String direct = env.get(variable.name());
    String file = env.get(fileVariable);
    if (direct != null && file != null) {
      problems.add(
          new ConfigurationProblem(
              variable.name(),
              Optional.empty(),
              "both " + variable.name() + " and " + fileVariable + " are set: keep only one"));
      return Optional.empty();
    }
    if (file != null) {
      return readValueFile(fileVariable, file, variable.isSecret());
    }
    return direct == null ? variable.defaultValue() : Optional.of(direct);
  }

  private Optional<Secret> secret(Variable variable) {
    Optional<String> value = textOrFile(variable);
    return value.isPresent() && !value.get().isEmpty() ? Optional.of(Secret.of(value.get())) : Optional.empty();
  }

  private Optional<String> readValueFile(String fileVariable, String location, boolean secret) {
    Path path = Path.of(location);
    try {
      return Optional.of(Variable.valueOfFile(Files.readString(path, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      // The exception text may only hold the path, never the content, so it is safe to show.
      problems.add(
          ConfigurationProblem.of(
              fileVariable,
              location,
              "cannot read the file ("
                  + e.getClass().getSimpleName()
                  + "): mount it readable by the launcher"
                  + (secret ? " (e.g. a Docker/Kubernetes secret)" : "")));
      return Optional.empty();
    }
  }

  /** Exactly {@code true} or {@code false} in any case: a space around it is a problem, as any other spelling. */
  private boolean bool(Variable variable) {
    String value = text(variable);
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (!value.equalsIgnoreCase("false")) {
      boolean spaced = value.strip().equalsIgnoreCase("true") || value.strip().equalsIgnoreCase("false");
      problems.add(
          ConfigurationProblem.of(
              variable.name(), value, "must be true or false" + (spaced ? ", without spaces around it" : "")));
    }
    return false;
  }

  /** {@code variable}'s value (or default) as one of {@code type}'s constants, any case, '-' for '_'; else empty. */
  static <E extends Enum<E>> Optional<E> parseChoice(Map<String, String> env, Variable variable, Class<E> type) {
    String value = env.getOrDefault(variable.name(), variable.defaultValue().orElse(""));
    String normalised = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(normalised)) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }

  private <E extends Enum<E>> E choice(Variable variable, Class<E> type, E fallback) {
    return choice(variable, type, List.of(type.getEnumConstants()), fallback);
  }

  /** As {@link #choice(Variable, Class, Enum)}, where only {@code acceptedConstants} are accepted. */
  private <E extends Enum<E>> E choice(Variable variable, Class<E> type, List<E> acceptedConstants, E fallback) {
    Optional<E> parsed = parseChoice(env, variable, type);
    if (parsed.isPresent() && acceptedConstants.contains(parsed.get())) {
      return parsed.get();
    }
    String value = text(variable).trim();
    List<String> accepted =
        acceptedConstants.stream()
            .map(e -> displayName(variable, e))
            .collect(Collectors.toList());
    String message = "must be one of " + String.join(", ", accepted);
    Optional<String> suggestion = Suggestions.closest(value, accepted);
    problems.add(
        ConfigurationProblem.of(
            variable.name(), value, message + suggestion.map(s -> " (did you mean " + s + "?)").orElse("")));
    return fallback;
  }

  /** How the spec writes an enum value: upper case for log levels, lower case with dashes elsewhere. */
  private static String displayName(Variable variable, Enum<?> constant) {
    return variable == Variable.LOG_LEVEL
        ? constant.name()
        : constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private int positiveInt(Variable variable, int max) {
    return integer(variable.name(), text(variable).trim(), 1, max);
  }

  private int nonNegativeInt(Variable variable) {
    return integer(variable.name(), text(variable).trim(), 0, Integer.MAX_VALUE);
  }

  private int port(Variable variable) {
    return port(variable.name(), text(variable).trim());
  }

  private int port(String variable, String value) {
    return integer(variable, value.trim(), 1, 65535);
  }

  private int integer(String variable, String value, int min, int max) {
    try {
      // Decimal ASCII digits only: Integer.parseInt would also take a sign and other scripts' digits.
      int parsed = DECIMAL.matcher(value).matches() ? Integer.parseInt(value) : -1;
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    problems.add(
        ConfigurationProblem.of(
            variable, value, "must be a whole number from " + min + " to " + (max == Integer.MAX_VALUE ? "2147483647"
                : max)));
    return min;
  }

  private Path absolutePath(Variable variable) {
    String value = text(variable).trim();
    if (hasLineBreak(value)) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(), value, "must not contain a line break: pgbackrest.conf has one setting a line"));
      return Path.of("/");
    }
    try {
      Path path = Path.of(value);
      if (path.isAbsolute()) {
        return path.normalize();
      }
    } catch (RuntimeException e) {
      // reported below
    }
    problems.add(ConfigurationProblem.of(variable.name(), value, "must be an absolute path, e.g. /var/lib/x"));
    return Path.of("/");
  }

  private String identifier(Variable variable, String value) {
    if (value.isEmpty() || value.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
      problems.add(
          ConfigurationProblem.of(variable.name(), value, "must be a name of 1 to 63 bytes (PostgreSQL's limit)"));
    } else if (value.indexOf('\0') >= 0) {
      problems.add(ConfigurationProblem.of(variable.name(), value, "must not contain a NUL character"));
    } else if (hasLineBreak(value)) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(), value,
              "must not contain a line break: pg_hba.conf, pg_ident.conf and password files have one entry a line"));
    }
    return value;
  }

  /**
   * A role the launcher creates (initdb's superuser, Patroni's replication user): a name, not reserved, and for the
   * superuser without the double quote initdb cannot create one with.
   */
  private String roleName(Variable variable, String value) {
    int problemsBefore = problems.size();
    identifier(variable, value);
    if (problems.size() == problemsBefore && value.startsWith(RESERVED_ROLE_PREFIX)) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(), value,
              "PostgreSQL reserves role names beginning with pg_ for its own roles: choose another name, e.g. "
                  + variable.defaultValue().orElse("admin")));
    } else if (problems.size() == problemsBefore && variable == Variable.POSTGRES_USER && value.indexOf('"') >= 0) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(), value, "must not contain a double quote (\"): initdb cannot create such a superuser"));
    }
    return value;
  }

  /** The first control character but a tab in {@code value}, described, e.g. "a carriage return (\\r)". */
  private static Optional<String> controlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\n' || c == '\r') {
        return Optional.of(c == '\n' ? "a line break (\\n)" : "a carriage return (\\r)");
      }
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        return Optional.of(String.format("the control character U+%04X", (int) c));
      }
    }
    return Optional.empty();
  }

  private static boolean hasLineBreak(String value) {
    return value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
  }

  private HostPort hostPort(Variable variable, String value) {
    Matcher m = HOST_PORT.matcher(value.trim());
    if (m.matches()) {
      int port = Integer.parseInt(m.group(3));
      if (port >= 1 && port <= 65535) {
        return new HostPort(m.group(1) != null ? m.group(1) : m.group(2), port);
      }
    }
    problems.add(
        ConfigurationProblem.of(
            variable.name(), value, "must be host:port with a port from 1 to 65535, e.g. 0.0.0.0:8008 or [::1]:8008"));
    return new HostPort("0.0.0.0", 1);
  }

  private DiskThreshold diskThreshold() {
    String value = text(Variable.HEALTH_DISK_MIN_FREE).trim();
    Matcher percent = PERCENT.matcher(value);
    if (percent.matches()) {
      String digits = percent.group(1).replaceFirst("^0+(?=\\d)", "");
      if (digits.length() <= 3 && Integer.parseInt(digits) <= 100) {
        return DiskThreshold.ofPercent(Integer.parseInt(digits));
      }
      problems.add(ConfigurationProblem.of(Variable.HEALTH_DISK_MIN_FREE.name(), value,
          "a percentage is the share of the file system that must stay free, from 0% to 100% (e.g. 5%);"
              + " or give a size (500MB, 2GB)"));
      return DiskThreshold.ofPercent(0);
    }
    Matcher size = SIZE.matcher(value);
    if (size.matches()) {
      try {
        return DiskThreshold.ofBytes(Math.multiplyExact(Long.parseLong(size.group(1)), unit(size.group(2))));
      } catch (ArithmeticException | NumberFormatException e) {
        // reported below
      }
    }
    problems.add(
        ConfigurationProblem.of(
            Variable.HEALTH_DISK_MIN_FREE.name(), value, "must be a percentage (5%) or a size (500MB, 2GB)"));
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

  private Optional<String> cron(Variable variable) {
    Optional<String> value = optional(variable);
    if (value.isEmpty()) {
      return value;
    }
    String v = value.get();
    if (v.split("\\s+").length != 5) {
      problems.add(
          ConfigurationProblem.of(
              variable.name(),
              v,
              "must be a cron expression of 5 fields (minute hour day-of-month month day-of-week),"
                  + " e.g. '0 2 * * 0'"));
    } else {
      scheduleValidator.problem(v).ifPresent(p -> problems.add(ConfigurationProblem.of(variable.name(), v, p)));
    }
    return value;
  }

  /** The stanza names a section of pgbackrest.conf and a directory of the repository: a plain name only. */
  private String stanza() {
    String stanza = nonBlank(Variable.BACKUP_STANZA);
    if (!stanza.isEmpty() && !STANZA.matcher(stanza).matches()) {
      problems.add(
          ConfigurationProblem.of(
              Variable.BACKUP_STANZA.name(),
              stanza,
              "must be a plain name of letters, digits, '.', '_' and '-', starting with a letter or digit"
                  + " (e.g. main or orders-db)"));
    }
    return stanza;
  }

  /**
   * With backups on, the launcher archives WAL through pgBackRest: an archive setting of the environment would win over
   * it and silently leave the backups without WAL, so it is rejected; archive_timeout and archive_mode=always stay
   * the operator's.
   */
  private void checkArchivingLeftToBackups(Settings.Backup backup, List<ServerSetting> serverSettings) {
    if (!backup.enabled()) {
      return;
    }
    for (ServerSetting setting : serverSettings) {
      boolean archivingOff =
          setting.name().equals("archive_mode") && !ARCHIVE_MODES_WITH_BACKUPS.contains(setting.value().trim().toLowerCase(Locale.ROOT));
      if (ARCHIVE_PARAMETERS_OF_BACKUPS.contains(setting.name()) || archivingOff) {
        problems.add(
            ConfigurationProblem.of(
                setting.variable(),
                setting.value(),
                "BACKUP_ENABLED=true archives WAL through pgBackRest, which this would "
                    + (archivingOff ? "turn off" : "replace")
                    + ": remove the variable"
                    + (archivingOff ? " (or set it to on or always)" : "")
                    + ", or set BACKUP_ENABLED=false to archive your own way"));
      }
    }
  }

  private Optional<OffsetDateTime> targetTime(String value) {
    try {
      return Optional.of(Settings.Backup.parseTargetTime(value));
    } catch (DateTimeParseException e) {
      problems.add(
          ConfigurationProblem.of(
              Variable.RESTORE_TARGET_TIME.name(), value, "must be " + Settings.Backup.TARGET_TIME_FORM));
      return Optional.empty();
    }
  }

  private List<String> initdbArguments() {
    Optional<String> raw = textOrFile(Variable.POSTGRES_INITDB_ARGS);
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
        if (List.of("-D", "--pgdata", "-U", "--username", "--pwfile", "-W", "--pwprompt").contains(option)) {
          problems.add(
              ConfigurationProblem.of(
                  Variable.POSTGRES_INITDB_ARGS.name(),
                  raw.get(),
                  option + " is set by the launcher: use PGDATA, POSTGRES_USER and POSTGRES_PASSWORD instead"));
        }
      }
      return arguments;
    } catch (IllegalArgumentException e) {
      problems.add(ConfigurationProblem.of(Variable.POSTGRES_INITDB_ARGS.name(), raw.get(), e.getMessage()));
      return List.of();
    }
  }
}
