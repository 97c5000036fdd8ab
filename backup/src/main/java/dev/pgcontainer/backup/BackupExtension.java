package dev.pgcontainer.backup;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ClusterSource;
import dev.pgcontainer.instance.LauncherRequests;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.RunExtension;
import dev.pgcontainer.instance.ServerSetup;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pgBackRest's part in {@code pgcontainer run} with {@code BACKUP_ENABLED=true}, standalone and
 * under Patroni: the restore of an empty PGDATA ({@link RestoreFromRepository}, standalone only),
 * the backup thread once the server is ready ({@link BackupScheduler}, findings in {@link
 * #status()}) and {@code pgcontainer backup} through the launcher's socket ({@link
 * BackupRequests}). The files are rendered by config-render; why the stop needs no step of its own:
 * docs/backups.md, Stop.
 */
final class BackupExtension implements RunExtension {

  private static final Logger LOG = LoggerFactory.getLogger(BackupExtension.class);

  private final Settings settings;
  private final PgBackRest pgBackRest;
  private final BackupStatus status = new BackupStatus();
  private final AtomicReference<BackupScheduler> scheduler = new AtomicReference<>();
  private final LauncherRequests requests;
  private final boolean rolesChange;

  private BackupExtension(
      Settings settings, PgBackRest pgBackRest, LauncherRequests requests, boolean rolesChange) {
    this.settings = settings;
    this.pgBackRest = pgBackRest;
    this.requests = requests;
    this.rolesChange = rolesChange;
  }

  /**
   * The extension for a run of {@code settings} (backups must be enabled), with pgBackRest from the
   * launcher's PATH.
   *
   * @param user the server's OS user, which pgBackRest runs as
   * @param requests the launcher's door, through which {@code pgcontainer backup} asks for a backup
   * @param rolesChange whether another program than the launcher manages the server (Patroni), so
   *     that the server may turn from primary to standby and back
   * @throws dev.pgcontainer.core.PgcontainerException when pgBackRest is not installed
   */
  public static BackupExtension forRun(
      ServerSetup setup, LauncherRequests requests, boolean rolesChange) {
    if (!BackupSettings.of(setup.settings()).enabled()) {
      throw new IllegalArgumentException("the backup extension needs BACKUP_ENABLED=true");
    }
    return new BackupExtension(setup.settings(), PgBackRest.of(setup), requests, rolesChange);
  }

  /** What the launcher knows about its backups, for health and metrics. */
  public BackupStatus status() {
    return status;
  }

  /** With {@code RESTORE_FROM_BACKUP=true}, an empty PGDATA is restored from the repository. */
  @Override
  public Optional<ClusterSource> clusterSource() {
    BackupSettings backup = BackupSettings.of(settings);
    return backup.restoreFromBackup()
        ? Optional.of(RestoreFromRepository.of(settings, pgBackRest, backup.restoreTargetTime()))
        : Optional.empty();
  }

  @Override
  public void afterReady(PostgresInstance instance) {
    LocalServer server = LocalServer.forSettings(settings);
    BackupScheduler started =
        new BackupScheduler(
            BackupSchedule.of(BackupSettings.of(settings)),
            new StanzaSetup(settings, pgBackRest, server, status),
            pgBackRest,
            OnDemandBackup.of(settings, pgBackRest),
            server,
            status,
            Clock.systemDefaultZone(),
            rolesChange);
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
