package dev.pgcontainer.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every environment variable of the contract (see the spec's tables), with its default. The names
 * double as the list that typos are checked against.
 */
public enum Variable implements EnvironmentVariable {
  PGDATA("/usr/local/pgsql/data"),
  PGCONFIG("/usr/local/pgsql/config"),
  PGLOG("/usr/local/pgsql/log"),
  /**
   * Directory of the server's Unix socket; not in the original image, added so the launcher never
   * needs TCP trust.
   */
  PGSOCKET("/var/run/postgresql"),
  PG_BINDIR(null),
  LOG_LEVEL("INFO"),
  LOG_FORMAT("text"),
  TIMEOUT("30"),
  TIMEOUT_CHANGE_PASSWORD("5"),
  SLEEP_MODE("false"),

  POSTGRES_USER("postgres", Kind.FILE_ALLOWED),
  POSTGRES_PASSWORD(null, Kind.SECRET),
  POSTGRES_DB(null, Kind.FILE_ALLOWED),
  POSTGRES_INITDB_ARGS(null, Kind.FILE_ALLOWED),
  /** As the official image: initdb's {@code --waldir}. */
  POSTGRES_INITDB_WALDIR(null),
  /**
   * As the official image: the pg_hba method of external clients; {@code trust} needs no password.
   */
  POSTGRES_HOST_AUTH_METHOD(null),
  EXTERNAL_ACCESS_ENABLE("true"),
  EXTERNAL_ACCESS_METHOD("scram-sha-256"),

  HEALTH_LISTEN("0.0.0.0:8080"),
  HEALTH_DISK_MIN_FREE("5%");

  /** How a variable may be given besides its plain value. */
  enum Kind {
    PLAIN,
    /**
     * {@code X_FILE} is accepted too (as the official image does for user, database and initdb
     * arguments).
     */
    FILE_ALLOWED,
    /** A secret: {@code X_FILE} accepted, value never printed. */
    SECRET
  }

  /** Prefix that marks a server setting passed through, e.g. {@code POSTGRESQL_SHARED_BUFFERS}. */
  public static final String SERVER_SETTING_PREFIX = "POSTGRESQL_";

  /** Suffix of the variable that names a file holding the value. */
  public static final String FILE_SUFFIX = "_FILE";

  private static final Map<String, Variable> BY_NAME = byName();

  private final String defaultValue;
  private final Kind kind;

  Variable(String defaultValue) {
    this(defaultValue, Kind.PLAIN);
  }

  Variable(String defaultValue, Kind kind) {
    this.defaultValue = defaultValue;
    this.kind = kind;
  }

  @Override
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  @Override
  public boolean isSecret() {
    return kind == Kind.SECRET;
  }

  @Override
  public boolean acceptsFile() {
    return kind != Kind.PLAIN;
  }

  /**
   * The value an {@code X_FILE}'s content gives: the content minus one trailing newline, as the
   * spec says (editors and echo add one).
   */
  public static String valueOfFile(String content) {
    if (content.endsWith("\r\n")) {
      return content.substring(0, content.length() - 2);
    }
    return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
  }

  public static Optional<Variable> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  // A loop, not a stream: this runs in every cold start (see SettingsLoader).
  private static Map<String, Variable> byName() {
    Map<String, Variable> byName = new HashMap<>();
    for (Variable variable : values()) {
      byName.put(variable.name(), variable);
    }
    return Map.copyOf(byName);
  }
}
