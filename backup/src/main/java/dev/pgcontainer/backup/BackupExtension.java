package dev.pgcontainer.backup;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ServerSetup;
import dev.pgcontainer.instance.ClusterSource;
import dev.pgcontainer.instance.LauncherRequests;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.RunExtension;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgBackRest's part in {@code pgcontainer run} with {@code BACKUP_ENABLED=true}, standalone and under Patroni:
 *
 * <ul>
 *   <li>an empty PGDATA with {@code RESTORE_FROM_BACKUP=true} is restored from the repository (to {@code
 *       RESTORE_TARGET_TIME} or the end of the archive) instead of initialised: {@link RestoreFromRepository}
 *       (standalone only: under Patroni, Patroni makes every member's cluster);
 *   <li>{@code pgbackrest.conf} and the server's archive settings need no step here: they are rendered and written
 *       with the rest of the server's configuration (config-render; under Patroni through {@code custom_conf}), on
 *       every start and reload;
 *   <li>once the server is ready, the backup thread sets the stanza up on the primary, runs a backup missed while no
 *       launcher ran and then the scheduled ones, and under Patroni follows the member's role ({@link
 *       BackupScheduler}); its findings are in {@link #status()};
 *   <li>{@code pgcontainer backup} asks the running launcher through its socket ({@link BackupRequests}), and the
 *       backup runs on that thread;
 *   <li>on stop, the socket stops serving backups and the thread ends (a running pgbackrest is killed). The last WAL segment needs no step of its own:
 *       with archive_mode on, PostgreSQL's shutdown checkpoint switches to a new segment and the archiver pushes the
 *       finished one before the server exits, within the stop ladder's fast step; under Patroni, whose stop of
 *       postgres is a fast shutdown too, within the time the ladder gives Patroni.
 * </ul>
 */
final class BackupExtension implements RunExtension {

  private static final Logger LOG = LoggerFactory.getLogger(BackupExtension.class);

  private final Settings settings;
  private final PgBackRest pgBackRest;
  private final BackupStatus status = new BackupStatus();
  private final AtomicReference<BackupScheduler> scheduler = new AtomicReference<>();
  private final LauncherRequests requests;

  private BackupExtension(Settings settings, PgBackRest pgBackRest, LauncherRequests requests) {
    this.settings = settings;
    this.pgBackRest = pgBackRest;
    this.requests = requests;
  }

  /**
   * The extension for a run of {@code settings} (backups must be enabled), with pgBackRest from the launcher's PATH.
   *
   * @param user the server's OS user, which pgBackRest runs as
   * @param requests the launcher's door, through which {@code pgcontainer backup} asks for a backup
   * @throws dev.pgcontainer.core.PgcontainerException when pgBackRest is not installed
   */
  public static BackupExtension forRun(ServerSetup setup, LauncherRequests requests) {
    if (!setup.settings().backup().enabled()) {
      throw new IllegalArgumentException("the backup extension needs BACKUP_ENABLED=true");
    }
    return new BackupExtension(setup.settings(), PgBackRest.of(setup), requests);
  }

  /** What the launcher knows about its backups, for health and metrics. */
  public BackupStatus status() {
    return status;
  }

  /** With {@code RESTORE_FROM_BACKUP=true}, an empty PGDATA is restored from the repository. */
  @Override
  public Optional<ClusterSource> clusterSource() {
    Settings.Backup backup = settings.backup();
    return backup.restoreFromBackup()
        ? Optional.of(RestoreFromRepository.of(settings, pgBackRest, backup.restoreTargetTime()))
        : Optional.empty();
  }

  @Override
  public void afterReady(PostgresInstance instance) {
    LocalServer server = LocalServer.forSettings(settings);
    BackupScheduler started = new BackupScheduler(
        BackupSchedule.of(settings.backup()),
        new StanzaSetup(settings, pgBackRest, server, status),
        pgBackRest,
        OnDemandBackup.of(settings, pgBackRest),
        server,
        status,
        Clock.systemDefaultZone(),
        settings.patroni().enabled());
    if (scheduler.compareAndSet(null, started)) {
      started.start();
      requests.serve(BackupRequests.COMMAND, new BackupRequests(started::requested));
    }
  }

  @Override
  public void onStop() {
    requests.stopServing(BackupRequests.COMMAND);
    BackupScheduler running = scheduler.get();
    if (running != null) {
      running.stop();
      LOG.debug("backup thread stopped");
    }
  }
}
