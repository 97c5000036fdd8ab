package dev.pgcontainer.backup;

import dev.pgcontainer.core.PgcontainerException;
import dev.pgcontainer.instance.LauncherRequests;
import java.util.List;
import java.util.Optional;

/**
 * {@code pgcontainer backup [TYPE]} asked of the running launcher through its {@link
 * LauncherRequests} socket: the backup runs on the launcher's backup thread, so it waits for a
 * scheduled one instead of failing on pgBackRest's lock and shows in health and metrics at once.
 * Without a launcher behind the socket the command runs the backup itself.
 */
final class BackupRequests implements LauncherRequests.Handler {

  /** The command it answers. */
  static final String COMMAND = "backup";

  /** The CLI's exit codes, which the client exits with. */
  static final int EXIT_OK = 0;

  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  /** Makes the backup a request asks for, on the launcher's backup thread. */
  @FunctionalInterface
  interface Backups {
    /**
     * @throws PgcontainerException when the backup fails, saying why and what to do
     */
    OnDemandBackup.Outcome backup(BackupType type) throws InterruptedException;
  }

  private final Backups backups;

  BackupRequests(Backups backups) {
    this.backups = backups;
  }

  @Override
  public int answer(List<String> arguments, LauncherRequests.Answer answer)
      throws InterruptedException {
    if (arguments.size() > 1) {
      error(answer, "backup takes at most one argument, the type: " + BackupType.keywords());
      return EXIT_USAGE;
    }
    Optional<BackupType> type =
        arguments.isEmpty()
            ? Optional.of(
                BackupType
                    .FULL) // as on the command line: "back up now" means a set that depends on no
            // other
            : BackupType.fromKeyword(arguments.get(0));
    if (type.isEmpty()) {
      error(
          answer,
          "unknown backup type '" + arguments.get(0) + "': use one of " + BackupType.keywords());
      return EXIT_USAGE;
    }
    try {
      answer.out(backups.backup(type.get()).describe());
      return EXIT_OK;
    } catch (RuntimeException e) {
      error(answer, e.getMessage());
      return EXIT_FAILURE;
    }
  }

  /** As the command prints a failure: {@code pgcontainer backup: MESSAGE} on stderr. */
  private static void error(LauncherRequests.Answer answer, String message) {
    answer.err("pgcontainer backup: " + message);
  }
}
