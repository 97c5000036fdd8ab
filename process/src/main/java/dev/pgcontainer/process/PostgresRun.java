package dev.pgcontainer.process;

import dev.pgcontainer.core.PgInstallation;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone {@code run} sequence: directories, database, configuration, before-start steps, start, password,
 * supervision. Signals are honoured from the first step on. Validation happened before: nothing here runs on a bad
 * configuration.
 */
public final class PostgresRun {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresRun.class);

  /** The OS user the server runs as when the launcher is started as root. */
  public static final String DEFAULT_SERVER_USER = "postgres";

  private final Settings settings;
  private final PgInstallation installation;
  private final Map<String, String> environment;
  private final List<BeforeStartStep> beforeStart;
  private final String serverUserWhenRoot;
  private final RunState state;

  private PostgresRun(
      Settings settings, PgInstallation installation, Map<String, String> environment,
      List<BeforeStartStep> beforeStart, String serverUserWhenRoot, RunState state) {
    this.settings = settings;
    this.installation = installation;
    this.environment = environment;
    this.beforeStart = List.copyOf(beforeStart);
    this.serverUserWhenRoot = serverUserWhenRoot;
    this.state = state;
  }

  public static PostgresRun of(Settings settings, PgInstallation installation, Map<String, String> environment) {
    return new PostgresRun(
        settings, installation, Map.copyOf(environment), List.of(), DEFAULT_SERVER_USER, new RunState());
  }

  /** The live state of this run (phase, server process), for health probes and metrics. */
  public RunState state() {
    return state;
  }

  /** Adds a step that runs after the configuration is written and before the server starts. */
  public PostgresRun withStepBeforeStart(BeforeStartStep step) {
    List<BeforeStartStep> steps = new ArrayList<>(beforeStart);
    steps.add(step);
    return new PostgresRun(settings, installation, environment, steps, serverUserWhenRoot, state);
  }

  /** The OS user the server runs as when the launcher is root (default {@value #DEFAULT_SERVER_USER}). */
  public PostgresRun withServerUserWhenRoot(String user) {
    return new PostgresRun(settings, installation, environment, beforeStart, user, state);
  }

  /** The OS user the server will run as, and whether the launcher must switch to it. */
  public ServerUser serverUser() {
    if (OsUsers.isRoot()) {
      OsUser user = OsUsers.find(serverUserWhenRoot).orElseThrow(() -> new PgcontainerException(
          "the launcher runs as root and PostgreSQL refuses to, but there is no OS user '" + serverUserWhenRoot
              + "' to run it as: create it (useradd --system " + serverUserWhenRoot + ") or set PGCONTAINER_RUN_AS"));
      return new ServerUser(user, true);
    }
    OsUser self = OsUsers.currentUser()
        .orElseGet(() -> new OsUser(String.valueOf(OsUsers.currentUid()), OsUsers.currentUid(), -1));
    return new ServerUser(self, false);
  }

  /** Creates and fixes the server's directories (what {@code pgcontainer prepare} does as root). */
  public void prepareDirectories() {
    ServerUser user = serverUser();
    ServerDirectories.of(settings).prepare(user.account(), user.switchesUser());
  }

  /**
   * Runs the sequence and supervises the server until it ends.
   *
   * @return the launcher's exit code (see {@link Supervisor})
   */
  public int run() {
    try (Supervisor supervisor = Supervisor.install()) {
      if (settings.sleepMode()) {
        state.enter(Phase.SLEEPING);
        LOG.info("SLEEP_MODE=true: nothing is started; the container stays up for maintenance until stopped");
        return supervisor.sleepUntilStopped();
      }
      return runServer(supervisor);
    } catch (StopRequested e) {
      LOG.info("{}", e.getMessage());
      return 0;
    } finally {
      state.enter(Phase.STOPPED);
    }
  }

  private int runServer(Supervisor supervisor) {
    long start = System.nanoTime();
    ServerUser user = serverUser();
    ServerDirectories.of(settings).prepare(user.account(), user.switchesUser());
    LOG.info("PostgreSQL {} from {}; server runs as OS user {}", installation.version(), installation.binDir(),
        user.account().name());
    PostgresInstance instance = PostgresInstance.of(
        settings, installation, user.switchesUser() ? Optional.of(user.account()) : Optional.empty(),
        user.account().name(), environment);
    boolean newCluster = instance.initialise(supervisor);
    instance.writeConfiguration();
    for (BeforeStartStep step : beforeStart) {
      supervisor.checkNotStopped("the steps before start");
      step.run(instance, supervisor, newCluster);
    }
    supervisor.checkNotStopped("configuration");
    ManagedProcess server = instance.start();
    state.serverStarted(server);
    state.enter(Phase.STARTING);
    StopLadder ladder = StopLadder.postgres(settings.timeout());
    try {
      supervisor.awaitReady(server, "accepting connections", instance.acceptingConnections(), settings.timeout());
      instance.applyPassword(settings.passwordChangeTimeout());
    } catch (StopRequested e) {
      LOG.info("{}; stopping postgres", e.getMessage());
      state.enter(Phase.SHUTTING_DOWN);
      return Supervisor.stop(server, ladder);
    } catch (RuntimeException e) {
      LOG.error("{}", e.getMessage());
      Supervisor.stop(server, ladder);
      throw e;
    }
    state.enter(Phase.RUNNING);
    LOG.info("PostgreSQL is ready after {} ms. Connect with: {}", (System.nanoTime() - start) / 1_000_000,
        connectHint());
    return supervisor.supervise(server, () -> instance.reload(server), ladder, () -> state.enter(Phase.SHUTTING_DOWN));
  }

  private String connectHint() {
    String local = "psql -h " + settings.directories().socket() + " -p " + settings.port() + " -U "
        + settings.superuser().name() + " " + settings.superuser().database();
    if (!settings.externalAccess().enabled()) {
      return local + " (as root or the server's OS user; external access is off)";
    }
    return local + ", or postgresql://" + settings.superuser().name() + "@<host>:" + settings.port() + "/"
        + settings.superuser().database() + " with POSTGRES_PASSWORD";
  }

  /**
   * @param account the OS account the server runs as
   * @param switchesUser true when the launcher is root and starts the server as {@code account}
   */
  public record ServerUser(OsUser account, boolean switchesUser) {}
}
