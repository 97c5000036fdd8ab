package dev.pgcontainer.backup;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.process.Commands;
import dev.pgcontainer.process.ServerUser;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code pgcontainer backup [full|diff|incr]}: a backup of the running server, which must be the primary (a standby is
 * refused, with what to do) and must archive (a restored copy does not, see {@link RestoreFromRepository}).
 */
public final class OnDemandBackup {

  /**
   * A backup made.
   *
   * @param set the backup set, as the repository lists it (pgBackRest makes a full backup when no prior one exists)
   * @param took how long pgBackRest took
   * @param info the repository afterwards, retention applied
   */
  public record Outcome(BackupInfo.BackupSet set, Duration took, BackupInfo info) {

    /** One line for the operator, e.g. {@code full backup 20260131-020000F of stanza main done in 11.3 s: ...}. */
    public String describe() {
      return String.format(Locale.ROOT,
          "%s backup %s of stanza %s done in %.1f s: %s of data, %s added to the repository; it holds %d full,"
              + " %d diff and %d incr backups, WAL %s",
          set.type().keyword(), set.label(), info.stanza(), took.toMillis() / 1000.0, mebibytes(set.databaseBytes()),
          mebibytes(set.repositoryDeltaBytes()), count(BackupType.FULL), count(BackupType.DIFF),
          count(BackupType.INCR),
          info.archives().stream().reduce((a, b) -> b)
              .map(a -> a.first().orElse("-") + " to " + a.last().orElse("-")).orElse("none"));
    }

    private long count(BackupType type) {
      return info.backups().stream().filter(kept -> kept.type() == type).count();
    }

    private static String mebibytes(long bytes) {
      return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
  }

  private final Settings settings;
  private final PgBackRest pgBackRest;

  private OnDemandBackup(Settings settings, PgBackRest pgBackRest) {
    this.settings = settings;
    this.pgBackRest = pgBackRest;
  }

  /**
   * Backups for {@code settings} (backups must be enabled), pgBackRest run as the server's OS user.
   *
   * @throws PgcontainerException when pgBackRest is not installed
   */
  public static OnDemandBackup of(Settings settings, Map<String, String> launcherEnvironment, ServerUser user) {
    return new OnDemandBackup(settings, PgBackRest.forSettings(settings, launcherEnvironment, user));
  }

  /**
   * Runs a backup of {@code type}.
   *
   * @throws PgcontainerException when no server answers, it is a standby, it does not archive, or pgBackRest fails
   */
  public Outcome run(BackupType type) throws InterruptedException {
    LocalServer.Role role = LocalServer.forSettings(settings).role();
    if (role.inRecovery()) {
      throw new PgcontainerException("this server is a standby (pg_is_in_recovery() is true): backups are taken from"
          + " the primary; run pgcontainer backup in the primary's container");
    }
    if (!role.archiving()) {
      throw new PgcontainerException("no backup was taken: " + StanzaSetup.ARCHIVING_OFF);
    }
    InfoJson.loadInBackground();
    long start = System.nanoTime();
    try {
      pgBackRest.backup(Commands::run, type);
    } catch (RuntimeException e) {
      throw new PgcontainerException("the " + type.keyword() + " backup failed: " + Failures.summary(e)
          + " (pgBackRest's log: " + settings.directories().log() + "/" + settings.backup().stanza() + "-backup.log)",
          e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    BackupInfo info = pgBackRest.info(Commands::run);
    BackupInfo.BackupSet set = info.backups().get(info.backups().size() - 1);
    return new Outcome(set, took, info);
  }
}
