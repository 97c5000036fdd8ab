package dev.pgcontainer.backup;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.instance.ServerDirectories;
import dev.pgcontainer.instance.ServerSetup;
import dev.pgcontainer.instance.ServerUser;
import dev.pgcontainer.supervision.Commands;
import dev.pgcontainer.supervision.Supervisor;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * {@code pgcontainer restore [--target-time T]}: replaces the cluster in PGDATA with one restored
 * from the repository, while no server runs. Refuses before changing anything when a server runs on
 * PGDATA or the repository holds no backup that can reach the target. The cluster in PGDATA is set
 * aside (inside PGDATA: renames, even on a mount point) and deleted only once the restored one has
 * recovered, been promoted and shut down cleanly; any failure puts it back. The restored cluster
 * does not archive (see {@link RestoreFromRepository}).
 */
final class OfflineRestore {

  private final Settings settings;
  private final ServerUser user;
  private final ServerDirectories directories;
  private final PostgresInstance instance;
  private final PgBackRest pgBackRest;

  private OfflineRestore(
      Settings settings,
      ServerUser user,
      ServerDirectories directories,
      PostgresInstance instance,
      PgBackRest pgBackRest) {
    this.settings = settings;
    this.user = user;
    this.directories = directories;
    this.instance = instance;
    this.pgBackRest = pgBackRest;
  }

  /**
   * A restore for {@code settings} (backups must be enabled), run as {@code user}.
   *
   * @throws dev.pgcontainer.core.PgcontainerException when pgBackRest is not installed
   */
  public static OfflineRestore of(ServerSetup setup) {
    return new OfflineRestore(
        setup.settings(),
        setup.user(),
        ServerDirectories.of(setup.settings(), setup.features().directories()),
        PostgresInstance.of(setup),
        PgBackRest.of(setup));
  }

  /**
   * Restores to {@code target}, or to the end of the archive; returns the backup set it started
   * from.
   *
   * @throws dev.pgcontainer.core.PgcontainerException saying what went wrong and what to do; PGDATA
   *     then holds what it held before
   */
  public BackupInfo.BackupSet run(Optional<OffsetDateTime> target) throws InterruptedException {
    instance.dataDirectory().requireNoRunningServer();
    directories.prepare(user.account(), user.switchesUser());
    instance.writeConfiguration(); // pgbackrest.conf among the files, for the info read next
    RestoreFromRepository source = RestoreFromRepository.of(settings, pgBackRest, target);
    BackupInfo.BackupSet set = source.chooseSet(Commands::run);
    try (Supervisor supervisor = Supervisor.install()) {
      instance.replaceCluster(supervisor, source);
    }
    return set;
  }
}
