package dev.pgcontainer.embedded;

import dev.pgcontainer.core.ConfigurationException;
import dev.pgcontainer.core.EnvironmentVariable;
import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Variable;
import dev.pgcontainer.feature.Feature;
import dev.pgcontainer.feature.FeatureRun;
import dev.pgcontainer.feature.RunContribution;
import dev.pgcontainer.health.GaugeSource;
import dev.pgcontainer.health.HealthEndpoint;
import dev.pgcontainer.health.Probe;
import dev.pgcontainer.instance.EmbeddedBinaries;
import dev.pgcontainer.instance.Phase;
import dev.pgcontainer.instance.PostgresRun;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.instance.ServerRun;
import dev.pgcontainer.supervision.OsUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running PostgreSQL, started and supervised as {@code pgcontainer run} does it (same validation,
 * files, privilege drop and graceful stop), listening on 127.0.0.1 only, and closed when done. Its
 * directories live in a temporary directory removed on close unless {@link Builder#directory} names
 * one to keep. Example: docs/java-library.md.
 */
public final class PgServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PgServer.class);

  private final Settings settings;
  private final BackgroundRun run;
  private final Path directory;
  private final boolean removeDirectory;
  private final String password;
  private final Thread shutdownHook;
  private final Optional<HealthEndpoint> health;

  private PgServer(
      Settings settings,
      BackgroundRun run,
      Optional<HealthEndpoint> health,
      Path directory,
      boolean removeDirectory,
      String password) {
    this.settings = settings;
    this.run = run;
    this.health = health;
    this.directory = directory;
    this.removeDirectory = removeDirectory;
    this.password = password;
    this.shutdownHook = new Thread(this::stopAndClean, "pgcontainer-stop-" + settings.port());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code jdbc:postgresql://127.0.0.1:PORT/DATABASE}, the database made at init. */
  public String jdbcUrl() {
    return jdbcUrl(database());
  }

  /** The JDBC URL of another database of this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  public int port() {
    return settings.port();
  }

  /** The superuser's name. */
  public String user() {
    return settings.superuser().name();
  }

  /** The superuser's password (generated unless the builder was given one). */
  public String password() {
    return password;
  }

  /** The database made at init. */
  public String database() {
    return settings.superuser().database();
  }

  /** PGDATA. */
  public Path dataDirectory() {
    return settings.directories().data();
  }

  /** Where the run is: {@link Phase#RUNNING} while the server is supervised and ready. */
  public Phase phase() {
    return run.phase();
  }

  /** True while the server runs and accepts connections. */
  public boolean isReady() {
    return !run.ended() && run.phase() == Phase.RUNNING;
  }

  /**
   * Where the launcher's HTTP health endpoint listens ({@code /health}, {@code /live}, {@code
   * /ready}, {@code /metrics}), when {@link Builder#healthEndpoint} asked for one.
   */
  public Optional<InetSocketAddress> healthEndpoint() {
    return health.flatMap(HealthEndpoint::address);
  }

  /** A connection to the database made at init, as the superuser. */
  public Connection connect() throws SQLException {
    return connect(database());
  }

  /** A connection to {@code database}, as the superuser. */
  public Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user());
    properties.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /**
   * Stops the server gracefully (smart, fast, immediate shutdown within TIMEOUT) and removes a
   * temporary directory.
   */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to: it stops the server
    }
    stopAndClean();
  }

  /**
   * Kills the server as a crash would (SIGKILL to the supervised process), then removes a temporary
   * directory.
   */
  synchronized void kill() {
    if (!run.ended()) {
      run.kill();
    }
    stopAndClean();
  }

  private synchronized void stopAndClean() {
    if (!run.ended()) {
      int code = run.stop();
      LOG.debug("server on port {} stopped with exit code {}", port(), code);
    }
    health.ifPresent(HealthEndpoint::close);
    if (removeDirectory) {
      removeTree(directory);
    }
  }

  static void removeTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not remove {}: {}", root, e.getMessage());
    }
  }

  /** A free TCP port on 127.0.0.1 at the time of asking. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /**
   * What the server is made of. Every value goes through the launcher's validation, so a bad one is
   * reported with every other problem at once (a {@link ConfigurationException}), named as the
   * launcher's variable it stands for.
   */
  public static final class Builder {

    private final Map<String, String> variables = new LinkedHashMap<>();
    private int port;
    private String password;
    private Path directory;
    private Duration readyDeadline = Duration.ofMinutes(10);

    private Builder() {}

    /** The TCP port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * A server setting, e.g. {@code setting("work_mem", "8MB")}; checked against the server's own
     * catalogue.
     */
    public Builder setting(String name, String value) {
      variables.put(settingVariable(name), value);
      return this;
    }

    /**
     * For data nobody keeps, such as tests': fsync, full-page writes and synchronous commit off (a
     * crash of the machine loses the data). Settings given to this builder before or after win.
     */
    public Builder forTests() {
      return settingUnlessSet("fsync", "off")
          .settingUnlessSet("full_page_writes", "off")
          .settingUnlessSet("synchronous_commit", "off");
    }

    /** As {@link #setting}, unless this builder has a value for {@code name} already. */
    private Builder settingUnlessSet(String name, String value) {
      variables.putIfAbsent(settingVariable(name), value);
      return this;
    }

    private static String settingVariable(String name) {
      return "POSTGRESQL_" + name.replace(".", "__").toUpperCase(Locale.ROOT);
    }

    /** The database made at init (default: the user's name). */
    public Builder database(String database) {
      return variable(Variable.POSTGRES_DB, database);
    }

    /** The superuser's name (default postgres). */
    public Builder user(String user) {
      return variable(Variable.POSTGRES_USER, user);
    }

    /** The superuser's password (default: a random one, see {@link PgServer#password()}). */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** Extra initdb arguments, e.g. {@code --data-checksums}. */
    public Builder initdbArguments(String arguments) {
      return variable(Variable.POSTGRES_INITDB_ARGS, arguments);
    }

    /**
     * The directory holding data, config, log and socket, kept after close (a server started again
     * on it finds its data). Default: a temporary directory, removed on close.
     */
    public Builder directory(Path directory) {
      this.directory = directory;
      return this;
    }

    /**
     * The server's bin directory (default: as the launcher finds it, else the published binaries it
     * unpacks).
     */
    public Builder binaries(Path binDirectory) {
      return variable(Variable.PG_BINDIR, binDirectory.toString());
    }

    /** The launcher's TIMEOUT: the start's wait and the graceful stop's budget (default 30 s). */
    public Builder timeout(Duration timeout) {
      return variable(Variable.TIMEOUT, String.valueOf(Math.max(1, timeout.toSeconds())));
    }

    /** The OS user the server runs as when the JVM runs as root (default postgres). */
    public Builder serverUserWhenRoot(String user) {
      variables.put(SettingsSource.RUN_AS_VARIABLE, user);
      return this;
    }

    /**
     * Serves the launcher's HTTP health endpoint on {@code hostPort}, e.g. {@code 127.0.0.1:8080}
     * (HEALTH_LISTEN); default none.
     */
    public Builder healthEndpoint(String hostPort) {
      return variable(Variable.HEALTH_LISTEN, hostPort);
    }

    /** For waits the run leaves open (a Patroni replica's base backup); default 10 minutes. */
    Builder readyDeadline(Duration deadline) {
      this.readyDeadline = deadline;
      return this;
    }

    Builder variable(EnvironmentVariable variable, String value) {
      variables.put(variable.name(), value);
      return this;
    }

    /**
     * Validates, then starts the server and waits until it accepts connections.
     *
     * @throws ConfigurationException listing every problem, before anything is created
     * @throws PgcontainerException when the server did not start, with the reason
     */
    public PgServer start() {
      boolean temporary = directory == null;
      Path base = temporary ? temporaryDirectory() : directory.toAbsolutePath();
      String secret = password != null ? password : randomPassword();
      Map<String, String> env = environment(System.getenv(), base, secret);
      try {
        Optional<PgInstallation> installed =
            SettingsSource.installation(env, PgInstallation::discover);
        if (installed.isEmpty()) {
          // every problem but the server's catalogue first, as the launcher does, before fetching
          // binaries
          SettingsSource.withServerCatalogue(env, Optional.empty());
        }
        PgInstallation binaries =
            installed.orElseGet(
                () -> EmbeddedBinaries.forEnvironment(env, OsUsers.isRoot()).obtain());
        Settings settings = SettingsSource.forRun(env, List.of(), binaries);
        settings.warnings().forEach(w -> LOG.warn("{}", w));
        ServerRun serverRun =
            ServerRun.of(
                    settings,
                    binaries,
                    env,
                    Features.serverManager(settings, PostgresRun.standalone()))
                .withFeatures(Features.parts(settings));
        String runAs = env.get(SettingsSource.RUN_AS_VARIABLE);
        if (runAs != null) {
          serverRun = serverRun.withServerUserWhenRoot(runAs);
        }
        // as the launcher does: each enabled feature the library runs joins, its probes and gauges
        // served alike
        List<Probe> probes = new ArrayList<>();
        List<GaugeSource> gauges = new ArrayList<>();
        for (Feature feature : Features.enabled(settings)) {
          if (feature.runsInLibrary()) {
            RunContribution part = feature.join(new FeatureRun(settings, env, serverRun));
            for (RunExtension extension : part.extensions()) {
              serverRun = serverRun.withExtension(extension);
            }
            probes.addAll(part.probes());
            gauges.addAll(part.gauges());
          }
        }
        // served from before initdb, as the launcher serves it; disabled unless asked for
        ServerRun served = serverRun;
        Optional<HealthEndpoint> health =
            settings
                .health()
                .listen()
                .map(
                    listen -> {
                      HealthEndpoint endpoint =
                          HealthEndpoint.bind(settings)
                              .serve(
                                  settings,
                                  served.state(),
                                  Features.checks(),
                                  probes,
                                  served.requests());
                      gauges.forEach(endpoint::addGauges);
                      return endpoint;
                    });
        BackgroundRun background = BackgroundRun.start(serverRun, "pgcontainer-" + settings.port());
        PgServer server = new PgServer(settings, background, health, base, temporary, secret);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
          background.awaitReady("PostgreSQL on port " + settings.port(), readyDeadline);
        } catch (RuntimeException e) {
          server.close();
          throw e;
        }
        return server;
      } catch (RuntimeException e) {
        if (temporary) {
          removeTree(base);
        }
        throw e;
      }
    }

    /**
     * The launcher's environment for this server: the JVM's own ({@code inherited}: PATH, HOME,
     * locale), without any variable the launcher reads, so that the user's shell cannot change the
     * server, plus this builder's values.
     */
    Map<String, String> environment(Map<String, String> inherited, Path base, String secret) {
      Map<String, String> env = new HashMap<>();
      inherited.forEach(
          (name, value) -> {
            if (!isLauncherVariable(name)) {
              env.put(name, value);
            }
          });
      env.put(Variable.PGDATA.name(), base.resolve("data").toString());
      env.put(Variable.PGCONFIG.name(), base.resolve("config").toString());
      env.put(Variable.PGLOG.name(), base.resolve("log").toString());
      env.put(Variable.PGSOCKET.name(), base.resolve("socket").toString());
      env.put(Variable.HEALTH_LISTEN.name(), "");
      env.put("POSTGRESQL_LISTEN_ADDRESSES", "127.0.0.1");
      env.put("POSTGRESQL_PORT", String.valueOf(port == 0 ? freePort() : port));
      env.put(Variable.POSTGRES_PASSWORD.name(), secret);
      env.putAll(variables);
      return env;
    }

    private static boolean isLauncherVariable(String name) {
      return name.startsWith("POSTGRESQL_")
          || name.startsWith("PGCONTAINER_")
          || name.startsWith("PATRONI_")
          || name.startsWith("CITUS_")
          || name.startsWith("BACKUP_")
          || name.startsWith("POSTGRES_")
          || name.startsWith("HEALTH_")
          || Stream.of(Variable.values()).anyMatch(v -> v.name().equals(name));
    }

    private static Path temporaryDirectory() {
      try {
        // entered by the server's OS user when the JVM is root and the server is not
        return Files.createTempDirectory(
            "pgcontainer-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory for the server", e);
      }
    }

    static String randomPassword() {
      byte[] bytes = new byte[18];
      new SecureRandom().nextBytes(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
  }
}
