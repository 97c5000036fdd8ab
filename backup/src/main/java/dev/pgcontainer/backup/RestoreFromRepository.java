package dev.pgcontainer.backup;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ClusterSource;
import dev.pgcontainer.instance.PostgresInstance;
import dev.pgcontainer.supervision.ManagedProcess;
import dev.pgcontainer.supervision.StopLadder;
import dev.pgcontainer.supervision.Supervisor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster made from the backup repository instead of initdb: {@code pgbackrest restore}, then
 * recovery to the target by a server with no TCP listener inside the init directory, promoted and
 * shut down cleanly before the init protocol moves it into PGDATA, so a failed or interrupted
 * restore is discarded. The restored cluster gets {@code archive_mode=off}; why: docs/backups.md,
 * "A restored cluster does not archive".
 */
final class RestoreFromRepository implements ClusterSource {

  private static final Logger LOG = LoggerFactory.getLogger(RestoreFromRepository.class);

  /**
   * The shortest shutdown budget for the recovered server: its shutdown checkpoint writes what the
   * replay changed.
   */
  private static final Duration MIN_SHUTDOWN = Duration.ofMinutes(1);

  private final Settings settings;
  private final PgBackRest pgBackRest;
  private final Optional<OffsetDateTime> target;

  private RestoreFromRepository(
      Settings settings, PgBackRest pgBackRest, Optional<OffsetDateTime> target) {
    this.settings = settings;
    this.pgBackRest = pgBackRest;
    this.target = target;
  }

  /**
   * A restore to {@code target}, or to the end of the archive when it is empty.
   *
   * @param pgBackRest pgBackRest for the stanza of {@code settings}
   */
  public static RestoreFromRepository of(
      Settings settings, PgBackRest pgBackRest, Optional<OffsetDateTime> target) {
    return new RestoreFromRepository(settings, pgBackRest, target);
  }

  @Override
  public String description() {
    BackupSettings backup = BackupSettings.of(settings);
    return "restore of stanza "
        + backup.stanza()
        + " from "
        + backup.repositoryPath()
        + target.map(time -> " to " + time).orElse(" to the end of its WAL archive");
  }

  /**
   * The backup set the restore starts from: the newest that ended by the target (the newest of all
   * without one).
   *
   * @throws PgcontainerException when the repository holds none that fits, saying what to do;
   *     nothing is changed
   */
  public BackupInfo.BackupSet chooseSet(PgBackRest.CommandRunner runner)
      throws InterruptedException {
    BackupInfo info = pgBackRest.info(runner);
    String where =
        "stanza " + info.stanza() + " in " + BackupSettings.of(settings).repositoryPath();
    if (info.backups().isEmpty()) {
      throw new PgcontainerException(
          where
              + " holds no backup to restore (pgBackRest: "
              + info.status().message()
              + "): check BACKUP_REPO_PATH and BACKUP_STANZA, or take a backup first (pgcontainer backup full)");
    }
    if (target.isEmpty()) {
      return info.backups().get(info.backups().size() - 1);
    }
    BackupInfo.BackupSet earliest = info.earliest().orElseThrow();
    return info.latestEndedBy(target.get().toInstant())
        .orElseThrow(
            () ->
                new PgcontainerException(
                    "the recovery target "
                        + target.get()
                        + " is before the end of the earliest backup of "
                        + where
                        + " ("
                        + earliest.label()
                        + ", ended "
                        + earliest.stopped()
                        + "): a restore can only reach times after that;"
                        + " choose a later target time. Nothing was changed"));
  }

  @Override
  public void create(PostgresInstance instance, Path clusterDirectory, Supervisor supervisor) {
    instance
        .writeConfiguration(); // pgbackrest.conf, and the configuration of the server that recovers
    try {
      BackupInfo.BackupSet set = chooseSet(supervisor::run);
      LOG.info(
          "restoring backup {} ({}, ended {}) into {}",
          set.label(),
          set.type().keyword(),
          set.stopped(),
          clusterDirectory);
      pgBackRest.restore(supervisor::run, clusterDirectory, set.label(), target);
    } catch (InterruptedException e) {
      // Supervisor.run turns a stop signal into StopRequested; a bare interrupt is the same request
      Thread.currentThread().interrupt();
      throw new PgcontainerException("the restore was interrupted", e);
    }
    recover(instance, clusterDirectory, supervisor);
  }

  private void recover(PostgresInstance instance, Path clusterDirectory, Supervisor supervisor) {
    ManagedProcess server = instance.startUnlisted(clusterDirectory);
    Duration budget =
        settings.timeout().compareTo(MIN_SHUTDOWN) > 0 ? settings.timeout() : MIN_SHUTDOWN;
    StopLadder ladder = StopLadder.postgres(budget);
    try {
      supervisor.awaitReady(
          server,
          "recovery reached "
              + target.map(Object::toString).orElse("the end of the archive")
              + " and the server was promoted",
          instance.recoveryEnded(clusterDirectory),
          PgBackRest.LONG_COMMAND_LIMIT);
      // the settings pointed at the init directory and at the target; the promoted cluster needs
      // neither
      LocalServer.forSettings(settings)
          .execute(
              "ALTER SYSTEM RESET restore_command",
              "ALTER SYSTEM RESET recovery_target_time",
              "ALTER SYSTEM RESET recovery_target_action");
    } catch (RuntimeException e) {
      Supervisor.stop(server, ladder);
      throw e;
    }
    if (Supervisor.stop(server, ladder) != 0) {
      throw new PgcontainerException(
          "the restored cluster recovered but did not shut down cleanly within "
              + budget.toSeconds()
              + " s; it is discarded: try again, with a larger TIMEOUT if the server is slow");
    }
    LOG.info("the restored cluster recovered, was promoted and shut down cleanly");
  }
}
