package dev.pgcontainer.backup;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.core.Settings;
import dev.pgcontainer.instance.ServerSetup;
import dev.pgcontainer.supervision.Commands;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pgcontainer backup [full|diff|incr]}: a backup of the running server, which must be the
 * primary and must archive (a restored copy does not, see {@link RestoreFromRepository}).
 *
 * <p>The happy path asks the server nothing itself: pgBackRest refuses a standby and a server that
 * does not archive on its own, and a connection would cost a cold JVM about a third of a second on
 * every backup. When the backup fails, the server is asked ({@code pg_is_in_recovery()}, {@code
 * archive_mode}) so that the message says what to do.
 */
final class OnDemandBackup {

  /**
   * pgBackRest's progress lines that name the set and give its size, e.g. "INFO: new backup label =
   * ...".
   */
  private static final Pattern LABEL = Pattern.compile("INFO: new backup label = (\\S+)");

  private static final Pattern SIZE =
      Pattern.compile("INFO: (full|diff|incr) backup size = ([^,]+), file total = (\\d+)");

  /**
   * A backup made.
   *
   * @param type the type pgBackRest made (a diff or incr backup becomes full when no full one
   *     exists yet)
   * @param label the new set, as {@code pgcontainer restore} and pgBackRest's {@code --set} name it
   * @param size what pgBackRest reported, e.g. {@code 22.1MB, 964 files}
   * @param took how long pgBackRest took, retention included
   */
  public record Outcome(String stanza, BackupType type, String label, String size, Duration took) {

    /**
     * The outcome pgBackRest's progress lines describe; a detail it did not report is said to be
     * missing.
     */
    static Outcome fromProgress(
        String stanza, BackupType requested, List<String> progress, Duration took) {
      Optional<Matcher> size = find(progress, SIZE);
      return new Outcome(
          stanza,
          size.flatMap(m -> BackupType.fromKeyword(m.group(1))).orElse(requested),
          find(progress, LABEL).map(m -> m.group(1)).orElse("(label not reported)"),
          size.map(m -> m.group(2) + ", " + m.group(3) + " files").orElse("size not reported"),
          took);
    }

    /**
     * One line for the operator, e.g. {@code full backup 20260131-020000F of stanza main done in
     * 11.3 s: ...}.
     */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s backup %s of stanza %s done in %.1f s: %s",
          type.keyword(),
          label,
          stanza,
          took.toMillis() / 1000.0,
          size);
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
  public static OnDemandBackup of(ServerSetup setup) {
    return of(setup.settings(), PgBackRest.of(setup));
  }

  static OnDemandBackup of(Settings settings, PgBackRest pgBackRest) {
    return new OnDemandBackup(settings, pgBackRest);
  }

  /**
   * Runs a backup of {@code type}.
   *
   * @throws PgcontainerException when it fails: the server is a standby, does not archive, does not
   *     answer, or pgBackRest's own error
   */
  public Outcome run(BackupType type) throws InterruptedException {
    long start = System.nanoTime();
    List<String> progress;
    try {
      progress = pgBackRest.backup(Commands::run, type);
    } catch (RuntimeException e) {
      throw explained(type, e);
    }
    return Outcome.fromProgress(
        BackupSettings.of(settings).stanza(),
        type,
        progress,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private PgcontainerException explained(BackupType type, RuntimeException failure) {
    String failed = "the " + type.keyword() + " backup failed: ";
    try {
      LocalServer.Role role = LocalServer.forSettings(settings).role();
      if (role.inRecovery()) {
        return new PgcontainerException(
            failed
                + "this server is a standby (pg_is_in_recovery() is true): backups are"
                + " taken from the primary; run pgcontainer backup in the primary's container",
            failure);
      }
      if (!role.archiving()) {
        return new PgcontainerException(failed + StanzaSetup.ARCHIVING_OFF, failure);
      }
    } catch (PgcontainerException unreachable) {
      return new PgcontainerException(failed + unreachable.getMessage(), failure);
    }
    return new PgcontainerException(
        failed
            + Failures.summary(failure)
            + " (pgBackRest's log: "
            + settings
                .directories()
                .log()
                .resolve(BackupSettings.of(settings).stanza() + "-backup.log")
            + ")",
        failure);
  }

  private static Optional<Matcher> find(List<String> lines, Pattern pattern) {
    return lines.stream().map(pattern::matcher).filter(Matcher::find).findFirst();
  }
}
