package dev.pgcontainer.citus;

import dev.pgcontainer.configrender.ConfigLayout;
import dev.pgcontainer.configrender.RenderedFile;
import dev.pgcontainer.configrender.RenderedFileWriter;
import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.patroni.PatroniSettings;
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
 * Citus' part in the standalone {@code pgcontainer run} with {@code CITUS_ENABLE=true}: the
 * password file for the server's connections to other nodes ({@link PasswordFile}), the database,
 * extension and coordinator entry before the server is announced ready ({@link NodeSetup}), and a
 * worker's registration once it is ready ({@link WorkerRegistration}). Under Patroni, Patroni's own
 * Citus support does this ({@code PatroniConfig.Citus}, {@link AuthinfoPassword}). Why a password
 * file rather than pg_dist_authinfo: docs/citus.md, Authentication between nodes.
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
  static CitusExtension forRun(Settings settings, ServerUser user) {
    if (!CitusSettings.of(settings).enabled() || PatroniSettings.of(settings).enabled()) {
      throw new IllegalArgumentException(
          "the Citus extension runs with CITUS_ENABLE=true and without Patroni");
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
    String database = CitusSettings.of(settings).database();
    try (SqlSession maintenance =
        NodeSessions.local(settings, MAINTENANCE_DATABASE, timeout).open()) {
      NodeSetup.forSettings(settings)
          .run(maintenance, NodeSessions.local(settings, database, timeout));
    } catch (SQLException e) {
      throw new PgcontainerException(
          "Citus: could not prepare database "
              + database
              + " for a "
              + CitusSettings.of(settings).role().name().toLowerCase(Locale.ROOT)
              + " ("
              + e.getMessage()
              + "); the server log above says more",
          e);
    }
  }

  @Override
  public void afterReady(PostgresInstance instance) {
    CitusSettings citus = CitusSettings.of(settings);
    if (citus.role() != CitusRole.WORKER || !citus.autoRegisterWorkers()) {
      return;
    }
    Duration timeout = settings.timeout();
    WorkerRegistration work =
        new WorkerRegistration(
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
    return ConfigLayout.of(settings).file(PasswordFile.FILE);
  }

  /** A file left from a start that had a password must not keep an old one. */
  private static void deleteStale(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new PgcontainerException(
          "cannot remove the stale Citus password file "
              + file
              + " ("
              + e.getMessage()
              + "): remove it by hand",
          e);
    }
  }
}
