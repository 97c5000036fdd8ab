package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.OsUser;
import dev.pgcontainer.supervision.OsUsers;
import dev.pgcontainer.supervision.StopRequested;
import dev.pgcontainer.supervision.Supervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code run} sequence: directories, stopping what a killed launcher left running ({@link
 * Leftovers}), the cluster, configuration, start, ready, supervision, with the steps that differ
 * between postgres run by the launcher and postgres run by a manager program in one {@link
 * ServerManager}. Signals are honoured from the first step on; {@code SLEEP_MODE} starts nothing.
 * Validation happened before: nothing here runs on a bad configuration.
 *
 * <p>Adapters take part through {@link RunExtension}s. Immutable; the {@link RunState} and the
 * launcher's door for one-shot commands ({@link LauncherRequests}, open from when the directories
 * are made until the run ends) are shared on purpose between the copies.
 */
public final class ServerRun {

  /** The OS user the server runs as when the launcher is started as root, unless told otherwise. */
  public static final String DEFAULT_SERVER_USER = "postgres";

  private final Settings settings;
  private final PgInstallation installation;
  private final Map<String, String> environment;
  private final ServerManager manager;
  private final boolean takesSignals;
  private final String serverUserWhenRoot;
  private final List<RunExtension> extensions;
  private final FeatureParts features;
  private final RunState state;
  private final LauncherRequests requests;

  private ServerRun(
      Settings settings,
      PgInstallation installation,
      Map<String, String> environment,
      ServerManager manager,
      boolean takesSignals,
      String serverUserWhenRoot,
      List<RunExtension> extensions,
      FeatureParts features,
      RunState state,
      LauncherRequests requests) {
    this.settings = settings;
    this.installation = installation;
    this.environment = environment;
    this.manager = manager;
    this.takesSignals = takesSignals;
    this.serverUserWhenRoot = serverUserWhenRoot;
    this.extensions = List.copyOf(extensions);
    this.features = features;
    this.state = state;
    this.requests = requests;
  }

  /**
   * A run of {@code manager}; {@link PostgresRun#standalone()} for postgres run by the launcher
   * itself.
   */
  public static ServerRun of(
      Settings settings,
      PgInstallation installation,
      Map<String, String> environment,
      ServerManager manager) {
    return new ServerRun(
        settings,
        installation,
        Map.copyOf(environment),
        manager,
        true,
        DEFAULT_SERVER_USER,
        List.of(),
        FeatureParts.NONE,
        new RunState(),
        LauncherRequests.forSettings(settings));
  }

  /** The live state of this run (phase, supervised process), for health probes and metrics. */
  public RunState state() {
    return state;
  }

  /**
   * The launcher's door for one-shot commands, which the parts of the run {@link
   * LauncherRequests#serve serve} theirs on; it listens from when the run has made its directories
   * until the run ends.
   */
  public LauncherRequests requests() {
    return requests;
  }

  /**
   * The same run, with the server started as {@code user} when the launcher is root (default
   * postgres).
   */
  public ServerRun withServerUserWhenRoot(String user) {
    return new ServerRun(
        settings,
        installation,
        environment,
        manager,
        takesSignals,
        user,
        extensions,
        features,
        state,
        requests);
  }

  /**
   * The same run for a program that embeds it: the JVM's signals stay that program's, and {@link
   * RunState#requestStop} stops the run.
   */
  public ServerRun withoutSignalHandlers() {
    return new ServerRun(
        settings,
        installation,
        environment,
        manager,
        false,
        serverUserWhenRoot,
        extensions,
        features,
        state,
        requests);
  }

  /**
   * The same run with an adapter's hooks added after the others; they run in the order added. When
   * several offer a {@link RunExtension#clusterSource()}, the first one makes the cluster.
   */
  public ServerRun withExtension(RunExtension extension) {
    List<RunExtension> more = new ArrayList<>(extensions);
    more.add(extension);
    return new ServerRun(
        settings,
        installation,
        environment,
        manager,
        takesSignals,
        serverUserWhenRoot,
        more,
        features,
        state,
        requests);
  }

  /** The same run with the enabled features' parts: configuration and directories. */
  public ServerRun withFeatures(FeatureParts enabled) {
    return new ServerRun(
        settings,
        installation,
        environment,
        manager,
        takesSignals,
        serverUserWhenRoot,
        extensions,
        enabled,
        state,
        requests);
  }

  /**
   * The extension of {@code type} added to this run, if any, e.g. to read its state for health and
   * metrics.
   */
  public <T extends RunExtension> Optional<T> extension(Class<T> type) {
    return extensions.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * Whether the launcher manages the server itself ({@link PostgresRun}), rather than a feature's
   * program, which may turn it from primary to standby and back.
   */
  public boolean managedByLauncher() {
    return manager instanceof PostgresRun;
  }

  /** The OS user the server will run as, and whether the launcher must switch to it. */
  public ServerUser serverUser() {
    if (OsUsers.isRoot()) {
      OsUser user =
          OsUsers.find(serverUserWhenRoot)
              .orElseThrow(
                  () ->
                      new PgcontainerException(
                          "the launcher runs as root and PostgreSQL refuses to, but there is no OS user '"
                              + serverUserWhenRoot
                              + "' to run it as: create it (useradd --system "
                              + serverUserWhenRoot
                              + ") or set PGCONTAINER_RUN_AS"));
      return new ServerUser(user, true);
    }
    OsUser self =
        OsUsers.currentUser()
            .orElseGet(
                () -> new OsUser(String.valueOf(OsUsers.currentUid()), OsUsers.currentUid(), -1));
    return new ServerUser(self, false);
  }

  /** Creates and fixes the server's directories (what {@code pgcontainer prepare} does as root). */
  public void prepareDirectories() {
    prepareDirectories(serverUser());
  }

  private void prepareDirectories(ServerUser user) {
    ServerDirectories.of(settings, features.directories())
        .prepare(user.account(), user.switchesUser());
  }

  /**
   * Runs the sequence and supervises until the end.
   *
   * @return the launcher's exit code (see {@link Supervisor})
   */
  public int run() {
    Logger log = LoggerFactory.getLogger(manager.getClass()); // the lines say who runs postgres
    try (Supervisor supervisor =
        takesSignals ? Supervisor.install() : Supervisor.withoutSignals()) {
      state.supervisedBy(supervisor);
      if (settings.sleepMode()) {
        state.enter(Phase.SLEEPING);
        requests.listen(); // when the directory is there: sleep mode makes none
        log.info(
            "SLEEP_MODE=true: nothing is started; the container stays up for maintenance until stopped");
        return supervisor.sleepUntilStopped();
      }
      return runServer(supervisor, log);
    } catch (StopRequested e) {
      log.info("{}", e.getMessage());
      return 0;
    } finally {
      state.enter(Phase.STOPPED);
      requests.close();
    }
  }

  private int runServer(Supervisor supervisor, Logger log) {
    long start = System.nanoTime();
    ServerUser user = serverUser();
    ServerSetup setup =
        ServerSetup.of(settings, installation, user, environment).withFeatures(features);
    ServerManager.Steps steps = manager.begin(setup);
    prepareDirectories(user);
    requests.listen();
    log.info(
        "PostgreSQL {} from {}; server runs as OS user {}",
        installation.version(),
        installation.binDir(),
        user.account().name());
    PostgresInstance instance = PostgresInstance.of(setup);
    Optional<ServerManager.Server> adopted = steps.adoptStarted(instance, extensions);
    ServerManager.Server server;
    if (adopted.isPresent()) {
      server = adopted.get();
    } else {
      Leftovers.of(settings, installation, features.leftovers()).stop();
      boolean newCluster = steps.makeCluster(instance, supervisor, extensions);
      instance.writeConfiguration();
      server = steps.start(instance, supervisor, extensions, newCluster);
    }
    state.serverStarted(server.process());
    state.enter(Phase.STARTING);
    String how;
    try {
      how = server.awaitReady(supervisor, extensions);
    } catch (StopRequested e) {
      log.info("{}; stopping {}", e.getMessage(), server.stopTarget().name());
      state.enter(Phase.SHUTTING_DOWN);
      return stop(server);
    } catch (RuntimeException e) {
      log.error("{}", e.getMessage());
      stop(server);
      throw e;
    }
    announceReady(log, start, how);
    server.ready();
    extensionsAfterReady(instance, log);
    try {
      int exitCode =
          supervisor.supervise(
              server.process(),
              server.stopTarget(),
              server::reload,
              server.ladder(),
              () -> {
                state.enter(Phase.SHUTTING_DOWN);
                stopExtensions(log);
              });
      server.afterStop();
      return exitCode;
    } finally {
      stopExtensions(log);
    }
  }

  private static int stop(ServerManager.Server server) {
    int exitCode = Supervisor.stop(server.stopTarget(), server.ladder());
    server.afterStop();
    return exitCode;
  }

  /**
   * Each extension's {@link RunExtension#afterReady}; a failure is logged and the server keeps
   * running.
   */
  private void extensionsAfterReady(PostgresInstance instance, Logger log) {
    for (RunExtension extension : extensions) {
      try {
        extension.afterReady(instance);
      } catch (RuntimeException e) {
        log.error("after the start: {}; the server keeps running", e.getMessage());
      }
    }
  }

  /**
   * Each extension's {@link RunExtension#onStop}; a failure is logged, and the others still stop.
   */
  private void stopExtensions(Logger log) {
    for (RunExtension extension : extensions) {
      try {
        extension.onStop();
      } catch (RuntimeException e) {
        log.warn("while stopping: {}", e.getMessage());
      }
    }
  }

  /** Enters {@link Phase#RUNNING} and says so, e.g. {@code how} = " as the Patroni leader". */
  private void announceReady(Logger log, long startNanos, String how) {
    state.enter(Phase.RUNNING);
    log.info(
        "PostgreSQL is ready after {} ms{}. Connect with: {}",
        (System.nanoTime() - startNanos) / 1_000_000,
        how,
        connectHint());
  }

  private String connectHint() {
    String local =
        "psql -h "
            + settings.directories().socket()
            + " -p "
            + settings.port()
            + " -U "
            + settings.superuser().name()
            + " "
            + settings.superuser().database();
    if (!settings.externalAccess().enabled()) {
      return local + " (as root or the server's OS user; external access is off)";
    }
    return local
        + ", or postgresql://"
        + settings.superuser().name()
        + "@<host>:"
        + settings.port()
        + "/"
        + settings.superuser().database()
        + " with POSTGRES_PASSWORD";
  }
}
