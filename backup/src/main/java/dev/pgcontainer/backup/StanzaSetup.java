package dev.pgcontainer.backup;

import dev.pgcontainer.core.Settings;
import dev.pgcontainer.supervision.Commands;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every start with backups does once the server is up: make the stanza usable ({@code
 * stanza-create}, which succeeds when the stanza exists for this cluster, or {@code stanza-upgrade}
 * after a major upgrade), then {@code check} that archiving reaches the repository. Failures are
 * recorded in {@link BackupStatus} with what to do, and the server keeps running: backups are
 * degraded, not the database.
 */
final class StanzaSetup {

  private static final Logger LOG = LoggerFactory.getLogger(StanzaSetup.class);

  /**
   * Why a restored cluster does not archive, and how an operator makes it the stanza's primary:
   * shared with the backup command, which refuses for the same reason.
   */
  static final String ARCHIVING_OFF =
      "archiving is off (archive_mode=off in postgresql.auto.conf): this cluster was restored from the repository, and"
          + " a restored copy must not push a new timeline into the stanza it came from. If it replaces the original"
          + " cluster, turn archiving on with ALTER SYSTEM RESET archive_mode and restart; backups work again after that";

  /** What a setup found. */
  enum Outcome {
    /** The stanza is usable and WAL reaches the repository: backups can run. */
    READY,
    /** The server is a standby: the stanza is the primary's business, nothing was done. */
    STANDBY,
    /** Backups are not possible now; {@link BackupStatus} says why. */
    FAILED
  }

  private final Settings settings;
  private final PgBackRest pgBackRest;
  private final LocalServer server;
  private final BackupStatus status;

  StanzaSetup(Settings settings, PgBackRest pgBackRest, LocalServer server, BackupStatus status) {
    this.settings = settings;
    this.pgBackRest = pgBackRest;
    this.server = server;
    this.status = status;
  }

  /**
   * Sets the stanza up and checks it, on the primary only; a standby is recorded as such and left
   * alone. Never throws for a pgBackRest failure.
   */
  Outcome run() throws InterruptedException {
    String stanza = BackupSettings.of(settings).stanza();
    try {
      LocalServer.Role role = server.role();
      status.roleSeen(role.inRecovery());
      if (role.inRecovery()) {
        LOG.info(
            "the server is in recovery (a standby): the stanza is set up and checked on the primary only");
        return Outcome.STANDBY;
      }
      Optional<String> problem = prepareStanza();
      status.stanzaChecked(problem);
      if (problem.isPresent()) {
        LOG.error("backups are not possible: {}", problem.get());
        return Outcome.FAILED;
      }
      if (!role.archiving()) {
        status.archivingChecked(Optional.of(ARCHIVING_OFF));
        LOG.warn("{}", ARCHIVING_OFF);
        return Outcome.FAILED;
      }
      pgBackRest.check(Commands::run);
      status.archivingChecked(Optional.empty());
      status.infoRead(pgBackRest.info(Commands::run));
      LOG.info(
          "stanza {} is ready: WAL reaches the repository {}",
          stanza,
          BackupSettings.of(settings).repositoryPath());
      return Outcome.READY;
    } catch (RuntimeException e) {
      String problem =
          "stanza "
              + stanza
              + " in "
              + BackupSettings.of(settings).repositoryPath()
              + ": "
              + Failures.summary(e)
              + " (the server keeps running; scheduled backups set the stanza up again before they run)";
      status.stanzaChecked(Optional.of(problem));
      LOG.error("{}", problem);
      return Outcome.FAILED;
    }
  }

  /**
   * stanza-create, or stanza-upgrade when the repository's stanza belongs to an older major version
   * of this cluster; returns what makes the stanza unusable, if anything.
   */
  private Optional<String> prepareStanza() throws InterruptedException {
    BackupInfo info = pgBackRest.info(Commands::run);
    LocalServer.Identity cluster = server.identity();
    Optional<BackupInfo.Database> recorded =
        info.status().stanzaExists() ? info.currentDatabase() : Optional.empty();
    if (recorded.isPresent() && !recorded.get().version().equals(cluster.majorVersion())) {
      LOG.info(
          "stanza {} holds PostgreSQL {} backups and the cluster now runs {}: stanza-upgrade",
          info.stanza(),
          recorded.get().version(),
          cluster.majorVersion());
      pgBackRest.stanzaUpgrade(Commands::run);
      return Optional.empty();
    }
    if (recorded.isPresent() && recorded.get().systemId() != cluster.systemId()) {
      return Optional.of(
          "stanza "
              + info.stanza()
              + " holds the backups of another cluster (system identifier "
              + recorded.get().systemId()
              + ", this one "
              + cluster.systemId()
              + "); nothing was changed in the"
              + " repository. Restore from it into an empty PGDATA (RESTORE_FROM_BACKUP=true), or choose another"
              + " BACKUP_STANZA for this cluster");
    }
    pgBackRest.stanzaCreate(Commands::run);
    return Optional.empty();
  }
}
