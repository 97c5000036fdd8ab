package dev.pgcontainer.instance;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.OsUser;
import dev.pgcontainer.supervision.OsUsers;
import dev.pgcontainer.supervision.StopRequested;
import dev.pgcontainer.supervision.Supervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * What {@link PostgresRun} and {@link PatroniRun} share: who the server runs as and its directories; the adapters'
 * {@link RunExtension}s, with the hooks both runs call the same way ({@link RunExtension#afterReady}, {@link
 * RunExtension#onStop}); the supervisor's lifetime around the run's own steps (sleep mode, a stop signal before the
 * server is ready, the final phase); the launcher's door for one-shot commands ({@link LauncherRequests}), open from
 * when the directories are made until the run ends; and the line that tells the operator the server is ready.
 * Immutable; the {@link RunState} and the door are shared on purpose.
 */
final class RunFrame {

  /** The steps of a run once the signal handlers are installed; returns the launcher's exit code. */
  @FunctionalInterface
  interface Steps {
    int run(Supervisor supervisor);
  }

  private final Settings settings;
  private final boolean takesSignals;
  private final String serverUserWhenRoot;
  private final List<RunExtension> extensions;
  private final RunState state;
  private final LauncherRequests requests;
  private final Logger log;

  private RunFrame(Settings settings, boolean takesSignals, String serverUserWhenRoot, List<RunExtension> extensions,
      RunState state, LauncherRequests requests, Logger log) {
    this.settings = settings;
    this.takesSignals = takesSignals;
    this.serverUserWhenRoot = serverUserWhenRoot;
    this.extensions = List.copyOf(extensions);
    this.state = state;
    this.requests = requests;
    this.log = log;
  }

  /** A frame whose messages go to {@code log}, the run's own logger. */
  static RunFrame of(Settings settings, Logger log) {
    return new RunFrame(settings, true, ServerRun.DEFAULT_SERVER_USER, List.of(), new RunState(),
        LauncherRequests.forSettings(settings), log);
  }

  RunFrame withServerUserWhenRoot(String user) {
    return new RunFrame(settings, takesSignals, user, extensions, state, requests, log);
  }

  /** This frame, leaving the JVM's signals alone: only {@link RunState#requestStop} stops the run. */
  RunFrame withoutSignalHandlers() {
    return new RunFrame(settings, false, serverUserWhenRoot, extensions, state, requests, log);
  }

  /** This frame with {@code extension} added after the others: hooks run in the order added. */
  RunFrame withExtension(RunExtension extension) {
    List<RunExtension> more = new ArrayList<>(extensions);
    more.add(extension);
    return new RunFrame(settings, takesSignals, serverUserWhenRoot, more, state, requests, log);
  }

  List<RunExtension> extensions() {
    return extensions;
  }

  <T extends RunExtension> Optional<T> extension(Class<T> type) {
    return extensions.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** Each extension's {@link RunExtension#afterReady}; a failure is logged and the server keeps running. */
  void extensionsAfterReady(PostgresInstance instance) {
    for (RunExtension extension : extensions) {
      try {
        extension.afterReady(instance);
      } catch (RuntimeException e) {
        log.error("after the start: {}; the server keeps running", e.getMessage());
      }
    }
  }

  /** Each extension's {@link RunExtension#onStop}; a failure is logged, and the others still stop. */
  void stopExtensions() {
    for (RunExtension extension : extensions) {
      try {
        extension.onStop();
      } catch (RuntimeException e) {
        log.warn("while stopping: {}", e.getMessage());
      }
    }
  }

  RunState state() {
    return state;
  }

  LauncherRequests requests() {
    return requests;
  }

  /** The OS user the server will run as, and whether the launcher must switch to it. */
  ServerUser serverUser() {
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

  /** Creates and fixes the server's directories for the server's user, and returns that user. */
  ServerUser prepareDirectories() {
    ServerUser user = serverUser();
    ServerDirectories.of(settings).prepare(user.account(), user.switchesUser());
    return user;
  }

  /** As {@link #prepareDirectories()}, then opens the launcher's door in the socket directory it made. */
  ServerUser prepareDirectoriesAndListen() {
    ServerUser user = prepareDirectories();
    requests.listen();
    return user;
  }

  /** Installs the signal handlers, then sleeps (SLEEP_MODE) or runs {@code steps}; a stop before ready exits 0. */
  int run(Steps steps) {
    try (Supervisor supervisor = takesSignals ? Supervisor.install() : Supervisor.withoutSignals()) {
      state.supervisedBy(supervisor);
      if (settings.sleepMode()) {
        state.enter(Phase.SLEEPING);
        requests.listen(); // when the directory is there: sleep mode makes none
        log.info("SLEEP_MODE=true: nothing is started; the container stays up for maintenance until stopped");
        return supervisor.sleepUntilStopped();
      }
      return steps.run(supervisor);
    } catch (StopRequested e) {
      log.info("{}", e.getMessage());
      return 0;
    } finally {
      state.enter(Phase.STOPPED);
      requests.close();
    }
  }

  /** Enters {@link Phase#RUNNING} and says so, e.g. {@code how} = " as the Patroni leader". */
  void announceReady(long startNanos, String how) {
    state.enter(Phase.RUNNING);
    log.info("PostgreSQL is ready after {} ms{}. Connect with: {}", (System.nanoTime() - startNanos) / 1_000_000, how,
        connectHint());
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
}
