package dev.pgcontainer.process;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone {@code run} sequence: directories, stopping what a killed launcher left running ({@link Leftovers}),
 * database (with the init scripts on a new one), configuration, the extensions' steps before start, start,
 * password, the extensions' steps before ready, the ready line, the extensions' steps after ready, supervision.
 * Signals are honoured from the first step on. Validation happened before: nothing here runs on a bad configuration.
 */
public final class PostgresRun implements ServerRun {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresRun.class);

  private final Settings settings;
  private final PgInstallation installation;
  private final Map<String, String> environment;
  private final RunFrame frame;
  private final Optional<InitScripts> initScripts;
  private final Optional<ClusterTemplates> templates;

  private PostgresRun(
      Settings settings, PgInstallation installation, Map<String, String> environment, RunFrame frame,
      Optional<InitScripts> initScripts, Optional<ClusterTemplates> templates) {
    this.settings = settings;
    this.installation = installation;
    this.environment = environment;
    this.frame = frame;
    this.initScripts = initScripts;
    this.templates = templates;
  }

  public static PostgresRun of(Settings settings, PgInstallation installation, Map<String, String> environment) {
    return new PostgresRun(
        settings, installation, Map.copyOf(environment), RunFrame.of(settings, LOG), Optional.empty(),
        Optional.empty());
  }

  @Override
  public RunState state() {
    return frame.state();
  }

  @Override
  public LauncherRequests requests() {
    return frame.requests();
  }

  /**
   * Adds an adapter's hooks (see {@link RunExtension}), every one of them; they run in the order added. When several
   * offer a {@link RunExtension#clusterSource()}, the first one makes the cluster.
   */
  @Override
  public PostgresRun withExtension(RunExtension extension) {
    return new PostgresRun(
        settings, installation, environment, frame.withExtension(extension), initScripts, templates);
  }

  @Override
  public <T extends RunExtension> Optional<T> extension(Class<T> type) {
    return frame.extension(type);
  }

  /** The OS user the server runs as when the launcher is root (default {@value #DEFAULT_SERVER_USER}). */
  @Override
  public PostgresRun withServerUserWhenRoot(String user) {
    return new PostgresRun(
        settings, installation, environment, frame.withServerUserWhenRoot(user), initScripts, templates);
  }

  /**
   * Runs {@code scripts} on a cluster this run makes with initdb, before it is complete (see {@link
   * PostgresInstance#initialise(Supervisor, InitScripts)}); a cluster made by an extension (a restore) runs none.
   */
  public PostgresRun withInitScripts(InitScripts scripts) {
    return new PostgresRun(settings, installation, environment, frame, Optional.of(scripts), templates);
  }

  /**
   * A new cluster made by initdb is copied from the template in {@code clusterTemplates} made for the same initdb
   * arguments and database, when there is one (see {@link ClusterTemplates}).
   */
  public PostgresRun withClusterTemplates(ClusterTemplates clusterTemplates) {
    return new PostgresRun(settings, installation, environment, frame, initScripts, Optional.of(clusterTemplates));
  }

  @Override
  public PostgresRun withoutSignalHandlers() {
    return new PostgresRun(
        settings, installation, environment, frame.withoutSignalHandlers(), initScripts, templates);
  }

  @Override
  public ServerUser serverUser() {
    return frame.serverUser();
  }

  @Override
  public void prepareDirectories() {
    frame.prepareDirectories();
  }

  /**
   * Runs the sequence and supervises the server until it ends.
   *
   * @return the launcher's exit code (see {@link Supervisor})
   */
  @Override
  public int run() {
    return frame.run(this::runServer);
  }

  private int runServer(Supervisor supervisor) {
    long start = System.nanoTime();
    ServerUser user = frame.prepareDirectoriesAndListen();
    LOG.info("PostgreSQL {} from {}; server runs as OS user {}", installation.version(), installation.binDir(),
        user.account().name());
    PostgresInstance plain = PostgresInstance.of(
        settings, installation, user.switchesUser() ? Optional.of(user.account()) : Optional.empty(),
        user.account().name(), environment);
    PostgresInstance instance = templates.map(plain::withClusterTemplates).orElse(plain);
    Leftovers.of(settings, installation).stop();
    List<RunExtension> extensions = frame.extensions();
    Optional<ClusterSource> source =
        extensions.stream().flatMap(extension -> extension.clusterSource().stream()).findFirst();
    boolean newCluster;
    if (source.isPresent()) {
      newCluster = instance.initialise(supervisor, source.get());
    } else {
      newCluster = initScripts.isPresent()
          ? instance.initialise(supervisor, initScripts.get())
          : instance.initialise(supervisor);
    }
    instance.writeConfiguration();
    for (RunExtension extension : extensions) {
      supervisor.checkNotStopped("the steps before start");
      extension.beforeStart(instance, supervisor, newCluster);
    }
    supervisor.checkNotStopped("configuration");
    Map<String, String> serverEnvironment = new HashMap<>();
    extensions.forEach(extension -> serverEnvironment.putAll(extension.serverEnvironment()));
    ManagedProcess server = instance.start(serverEnvironment);
    frame.state().serverStarted(server);
    frame.state().enter(Phase.STARTING);
    StopLadder ladder = StopLadder.postgres(settings.timeout());
    try {
      supervisor.awaitReady(server, "accepting connections", instance.acceptingConnections(), settings.timeout());
      if (!newCluster) {
        instance.createDatabaseIfMissing(settings.passwordChangeTimeout()); // POSTGRES_DB may have changed since
      }
      instance.applyPassword(settings.passwordChangeTimeout());
      for (RunExtension extension : extensions) {
        extension.beforeReady(instance);
      }
    } catch (StopRequested e) {
      LOG.info("{}; stopping postgres", e.getMessage());
      frame.state().enter(Phase.SHUTTING_DOWN);
      return Supervisor.stop(server, ladder);
    } catch (RuntimeException e) {
      LOG.error("{}", e.getMessage());
      Supervisor.stop(server, ladder);
      throw e;
    }
    frame.announceReady(start, "");
    frame.extensionsAfterReady(instance);
    try {
      return supervisor.supervise(server, () -> instance.reload(server), ladder, () -> {
        frame.state().enter(Phase.SHUTTING_DOWN);
        frame.stopExtensions();
      });
    } finally {
      frame.stopExtensions();
    }
  }
}
