package dev.pgcontainer.citus;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.configrender.RenderedFileWriter;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.core.Settings.CitusRole;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.supervision.Supervisor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Citus' part in the standalone {@code pgcontainer run} with {@code CITUS_ENABLE=true} (under Patroni, Patroni's own
 * Citus support does all of it, see {@code PatroniConfig.Citus}, and {@link AuthinfoPassword} keeps the password the
 * nodes log in to each other with):
 *
 * <ul>
 *   <li>before the start: the password file for the server's connections to other nodes ({@link PasswordFile}),
 *       handed to the server as {@code PGPASSFILE};
 *   <li>before the server is announced ready: the database, the extension and the coordinator's own entry ({@link
 *       NodeSetup}); a failure stops the run, as clients would find no Citus;
 *   <li>once ready, on a worker with {@code CITUS_AUTO_REGISTER_WORKERS=true}: the registration with the coordinator on
 *       its own thread ({@link WorkerRegistration}); the worker's server runs whatever it comes to;
 *   <li>on stop: the registration thread ends.
 * </ul>
 *
 * <p>Inter-node authentication: the superuser's password in a libpq password file rather than in {@code
 * pg_dist_authinfo}. A catalog row would put the plain password into PGDATA, the WAL, every base backup and every
 * replica, readable by any superuser, and would keep an old password until someone updates it; the file stays in
 * PGCONFIG (0600, the server's user), outside backups, and is rewritten from {@code POSTGRES_PASSWORD} on every start.
 * Every node of a cluster shares {@code POSTGRES_USER} and {@code POSTGRES_PASSWORD}; pg_hba never trusts.
 */
public final class CitusExtension implements RunExtension {

  private static final String PASSWORD_FILE_VARIABLE = "PGPASSFILE";
  private static final String MAINTENANCE_DATABASE = "postgres";

  private final Settings settings;
  private final ServerUser user;
  private final CitusState state;
  private final AtomicReference<Thread> registration = new AtomicReference<>();

  private CitusExtension(Settings settings, ServerUser user) {
    this.settings = settings;
    this.user = user;
    this.state = CitusState.forSettings(settings);
  }

  /**
   * The extension for a run of {@code settings} without Patroni.
   *
   * @param user the server's OS user, owner of the password file
   */
  public static CitusExtension forRun(Settings settings, ServerUser user) {
    if (!settings.citus().enabled() || settings.patroni().enabled()) {
      throw new IllegalArgumentException("the Citus extension runs with CITUS_ENABLE=true and without Patroni");
    }
    return new CitusExtension(settings, user);
  }

  /** What the launcher knows about this node, for health and metrics. */
  public CitusState state() {
    return state;
  }

  @Override
  public void beforeStart(PostgresInstance instance, Supervisor supervisor, boolean newCluster) {
    Optional<RenderedFile> file = PasswordFile.of(settings);
    if (file.isEmpty()) {
      deleteStale(passwordFile());
      return;
    }
    RenderedFileWriter writer = RenderedFileWriter.of(ConfigLayout.of(settings));
    if (user.switchesUser()) {
      writer = writer.withOwner(user.account().name(), user.account().name());
    }
    writer.write(List.of(file.get()));
  }

  @Override
  public Map<String, String> serverEnvironment() {
    return settings.superuser().password().isPresent()
        ? Map.of(PASSWORD_FILE_VARIABLE, passwordFile().toString())
        : Map.of();
  }

  @Override
  public void beforeReady(PostgresInstance instance) {
    Duration timeout = settings.timeout();
    String database = settings.citus().database();
    try (SqlSession maintenance = NodeSessions.local(settings, MAINTENANCE_DATABASE, timeout).open()) {
      NodeSetup.forSettings(settings).run(maintenance, NodeSessions.local(settings, database, timeout));
    } catch (SQLException e) {
      throw new PgcontainerException("Citus: could not prepare database " + database + " for a "
          + settings.citus().role().name().toLowerCase(Locale.ROOT) + " (" + e.getMessage()
          + "); the server log above says more", e);
    }
  }

  @Override
  public void afterReady(PostgresInstance instance) {
    Settings.Citus citus = settings.citus();
    if (citus.role() != CitusRole.WORKER || !citus.autoRegisterWorkers()) {
      return;
    }
    Duration timeout = settings.timeout();
    WorkerRegistration work = new WorkerRegistration(
        NodeSessions.coordinator(settings, timeout),
        NodeSessions.local(settings, citus.database(), timeout),
        NodeSessions.coordinatorAddress(settings).toString(),
        citus.nodeHost(),
        settings.port(),
        RetryPolicy.forTimeout(timeout),
        RetryClock.system(),
        state);
    Thread thread = new Thread(work, "citus-registration");
    thread.setDaemon(true);
    if (registration.compareAndSet(null, thread)) {
      thread.start();
    }
  }

  @Override
  public void onStop() {
    Thread running = registration.get();
    if (running != null) {
      running.interrupt();
    }
  }

  private Path passwordFile() {
    return ConfigLayout.of(settings).citusPasswordFile();
  }

  /** A file left from a start that had a password must not keep an old one. */
  private static void deleteStale(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new PgcontainerException("cannot remove the stale Citus password file " + file + " (" + e.getMessage()
          + "): remove it by hand", e);
    }
  }
}
